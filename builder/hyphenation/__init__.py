"""Hyphenation dictionaries shipped with the package, for languages Pyphen lacks.

WeasyPrint hyphenates (``hyphens: auto``) with Pyphen, looking the element's
``lang`` up in ``pyphen.LANGUAGES`` through ``pyphen.language_fallback`` each
time it breaks a line; Pyphen has no Kazakh dictionary, so Kazakh text was not
hyphenated and justified Kazakh lines had wide gaps. :func:`install` adds the
dictionaries of this folder (``hyph_kk_KZ.dic``: hyph-utf8's Kazakh patterns
with corrections, see README.md here) to Pyphen's, for ``kk`` and ``kk-KZ``.
They take precedence over a dictionary a later Pyphen might ship for the same
language, so that the breaks stay the ones tests/test_hyphenation.py checks.
"""

from __future__ import annotations

from pathlib import Path

import pyphen

FOLDER = Path(__file__).parent


def dictionaries() -> dict[str, Path]:
    """Each shipped dictionary by its Pyphen name (``kk_KZ``)."""
    return {path.name[len("hyph_"):-len(".dic")]: path
            for path in sorted(FOLDER.glob("hyph_*.dic"))}


def install() -> None:
    """Make Pyphen, and so WeasyPrint, use the shipped dictionaries in this
    process (and in the processes it forks afterwards)."""
    for name, path in dictionaries().items():
        for key in (name, name.split("_")[0]):
            pyphen.LANGUAGES[key] = path
            pyphen.LANGUAGES_LOWERCASE[key.lower()] = key
