"""Where a report project's parts are, and where the package's own assets are.

A report project is a folder with ``content/`` (the YAML files), optionally
``locales/`` (translations) and ``templates/`` (overrides of the package's
templates, file by file). Output goes to ``output/`` unless told otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.errors import ProjectError

PACKAGE_DIR = Path(__file__).resolve().parent


def package_templates() -> Path:
    """The templates shipped with the package.

    An installed wheel carries them in ``builder/templates``; a source checkout
    (editable install, tests run from the repository) has them at the top.
    """
    inside = PACKAGE_DIR / "templates"
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / "templates"


FONTS_DIR = PACKAGE_DIR / "fonts"


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    def relative(self, path: Path) -> str:
        """A path as users see it: relative to the project when inside it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def open_project(directory: str | Path | None = None) -> Project:
    """The report project in ``directory`` (default: the current directory)."""
    root = Path(directory or ".").resolve()
    if not root.is_dir():
        raise ProjectError(f"{directory}: no such folder")
    if not (root / "content").is_dir():
        raise ProjectError(
            f"{root}: not a report project (no content/ folder); "
            "start one with 'shadow-report new FOLDER' or pass --project"
        )
    return Project(root)
