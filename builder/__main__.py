"""``python -m builder`` and the ``shadow-report`` command.

Nothing but ``sys`` is loaded before Ctrl-C is handled: one pressed while the
rest of the program loads (a second or more on a busy machine) stops the
command as cleanly as later on, with exit status 130 and no traceback.
"""

from __future__ import annotations

import sys

from builder import INTERRUPTED


def run() -> int:
    """Load the command line and run it; return the exit status."""
    try:
        from builder.cli import main

        return main()
    except KeyboardInterrupt as exc:  # before main() handles it, or after
        print(INTERRUPTED, file=sys.stderr)
        return getattr(exc, "exit_status", 130)


if __name__ == "__main__":
    sys.exit(run())
