"""``python -m builder`` is the ``shadow-report`` command."""

from __future__ import annotations

import sys

from builder.cli import main

sys.exit(main())
