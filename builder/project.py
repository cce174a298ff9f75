"""Where a report project's parts are, and where the package's own assets are.

A report project is a folder with ``content/`` (the YAML files), optionally
``locales/`` (translations) and ``templates/`` (overrides of the package's
templates, file by file). Output goes to ``output/`` unless told otherwise.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
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


class Unreadable(Exception):
    """A user's file that is refused before it is read; the message says why."""


def read_inside(path: Path, root: Path | None, limit: int) -> bytes:
    """The bytes of a user's file, read safely.

    Refused before anything is read: a file that resolves outside ``root``
    (a link to a file elsewhere), anything but a regular file (a named pipe
    would block for ever, a device such as /dev/zero never ends), and a file
    larger than ``limit`` bytes. Read errors (permissions) are refused too.
    """
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise Unreadable("file not found") from None
    except (OSError, RuntimeError) as exc:
        raise Unreadable(f"cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    if root is not None and not real.is_relative_to(root.resolve()):
        raise Unreadable("refused: a link to a file outside the project")
    try:
        info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("refused: not a regular file (a named pipe, a device or a "
                             "folder)")
        if info.st_size > limit:
            raise Unreadable(f"file is larger than {limit // 1024 // 1024 or 1} MiB")
        descriptor = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise Unreadable("refused: not a regular file")
            data = handle.read(limit + 1)
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise Unreadable(f"file is larger than {limit // 1024 // 1024 or 1} MiB")
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: written beside it, then moved
    into place, so that a failure or an interrupt never leaves half a file (a
    drafter's content file or a translator's catalog). A file replaced keeps
    its permissions. A file that already holds exactly ``data`` is left alone,
    its time too: an editor holding it open sees no change, and a build does
    not lay out its language again."""
    with contextlib.suppress(OSError):
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, temporary)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


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

    def holds(self, path: Path) -> bool:
        """Whether the file is the project's own (inside its folder), not the
        package's."""
        return path.resolve().is_relative_to(self.root)

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
