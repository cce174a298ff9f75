"""What a build can reuse from the last build into the same folder.

Two levels, both checked before anything is trusted:

* **The whole build.** A fingerprint of every input (the bytes of the
  project's content, catalogs and templates; the size and time of every file
  of the package, its fonts and templates included; the versions of
  shadow-report, WeasyPrint and Python; the options). When it matches the last
  build into the same output folder, and every PDF there is still the one that
  build wrote (SHA-256), nothing is laid out and no file is written: the last
  build's result is shown again.
* **One edition.** A key over the edition's HTML, the same package and
  template state, the PDF options and the confidential values its PDF was
  checked against. A PDF whose key matches, and whose bytes are those
  recorded, is kept as it is; the others are laid out again.

The record lives in the user's cache folder (``$XDG_CACHE_HOME/shadow-report``,
or ``SHADOW_REPORT_CACHE``), never in the output folder, which is shared and
published. Each record is signed with HMAC-SHA256 under a random key made for
this user (readable by the user alone), so that a record that is damaged,
copied from another machine or user, or written by another version, fails its
check and is ignored, never trusted: the editions are then laid out again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import platform
import secrets
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from builder import __version__
from builder.project import PACKAGE_DIR, Project, Unreadable, package_templates, read_inside

# Bump when what a record holds changes: older records are then ignored.
FORMAT = b"shadow-report build cache 1"
_KEEP = 64  # records kept, the most recently used (one per output folder)
_LARGEST = 64 * 1024 * 1024  # a record larger than this is not read


def cache_folder() -> Path:
    """Where the records and the signing key are kept."""
    chosen = os.environ.get("SHADOW_REPORT_CACHE")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "shadow-report"


@dataclass
class Record:
    """The last build into one output folder."""

    fingerprint: str = ""  # of every input and option (see :func:`fingerprint`)
    editions: dict[str, dict] = field(default_factory=dict)  # file name -> key, sha256, done
    result: object = None  # the BuildResult, shown again when nothing changed


class BuildCache:
    """The record of the last build into ``output``, and the means to check it."""

    def __init__(self, output: Path, *, folder: Path | None = None) -> None:
        self.output = output.resolve()
        self.folder = folder or cache_folder()
        name = hashlib.sha256(os.fsencode(self.output)).hexdigest()[:32]
        self.path = self.folder / "builds" / f"{name}.record"
        self.key = _signing_key(self.folder)
        self.record = self._load() if self.key else Record()

    @property
    def usable(self) -> bool:
        return self.key is not None

    def _load(self) -> Record:
        try:
            if self.path.stat().st_size > _LARGEST:
                return Record()
            data = self.path.read_bytes()
        except OSError:
            return Record()
        signature, body = data[:32], data[32:]
        if len(signature) < 32 or not hmac.compare_digest(signature, self._sign(body)):
            return Record()  # damaged, foreign or of another version: not trusted
        try:
            record = pickle.loads(body)  # noqa: S301 - signed by this user's own key
        except Exception:  # noqa: BLE001 - a record of an older layout of the classes
            return Record()
        return record if isinstance(record, Record) else Record()

    def _sign(self, body: bytes) -> bytes:
        return hmac.new(self.key, FORMAT + body, hashlib.sha256).digest()

    def unchanged(self, fingerprint: str) -> object | None:
        """The last build's result when its inputs and options are ``fingerprint``
        and the PDFs it built are still in the output folder as it wrote them."""
        if not self.usable or not fingerprint or self.record.fingerprint != fingerprint:
            return None
        result = self.record.result
        names = [built.path.name for built in getattr(result, "built", None) or []]
        if result is None or any(name not in self.record.editions for name in names):
            return None
        for name in names:
            if _sha256(self.output / name) != self.record.editions[name]["sha256"]:
                return None
        return result

    def edition_key(self, *parts: object) -> str:
        """An edition's key: a signed digest of everything its PDF is made from."""
        if not self.usable:
            return ""
        return _signed_digest(self.key, FORMAT, parts)

    def reusable(self, file_name: str, key: str) -> object | None:
        """What the last build recorded of this PDF (its ``PdfDone``), when its
        key is ``key`` and the file is the one it wrote."""
        entry = self.record.editions.get(file_name)
        if not key or entry is None or entry["key"] != key:
            return None
        if _sha256(self.output / file_name) != entry["sha256"]:
            return None
        return entry["done"]

    def last_seconds(self, file_name: str) -> float | None:
        """How long the last build that made this file took to make it: what
        it will likely take again, for sharing out the work."""
        entry = self.record.editions.get(file_name)
        seconds = getattr(entry.get("done") if isinstance(entry, dict) else None,
                          "seconds", None)
        return float(seconds) if isinstance(seconds, (int, float)) and seconds > 0 else None

    def save(self, fingerprint: str, editions: dict[str, tuple[str, object]],
             result: object) -> None:
        """Record this build: for each PDF written or kept, its key and what
        its layout gave (the records of the folder's other PDFs, from builds of
        other editions, are kept: each is checked again before any use). A
        cache that cannot be written is no error: the next build lays out
        again."""
        if not self.usable:
            return
        record = Record(fingerprint, {**self.record.editions, **{
            name: {"key": key, "sha256": _sha256(self.output / name), "done": done}
            for name, (key, done) in editions.items()}}, result)
        with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
            body = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
            if record == self.record:
                return
            _write_private(self.path, self._sign(body) + body)
            self.record = record
            _prune(self.path.parent, "*.record", _KEEP)


def _signing_key(folder: Path) -> bytes | None:
    """This user's key, made on first use (32 random bytes, mode 0600); None
    when the cache folder cannot be used (the build then reuses nothing)."""
    path = folder / "key"
    try:
        data = path.read_bytes()
        if len(data) == 32 and path.stat().st_mode & 0o077 == 0:
            return data
    except OSError:
        pass
    try:
        _write_private(path, secrets.token_bytes(32))
        return path.read_bytes()
    except OSError:
        return None


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once (a reader sees the old file or the
    new one), readable by this user only (mkstemp makes it 0600), in a folder
    made 0700; raise OSError, leaving no temporary file, if it cannot be."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _signed_digest(key: bytes, label: bytes, parts: tuple) -> str:
    """HMAC-SHA256 of ``parts`` (bytes as they are, anything else by its repr),
    each with its length, so that no two lists of parts give the same input."""
    digest = hmac.new(key, label, hashlib.sha256)
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _prune(folder: Path, pattern: str, keep: int) -> None:
    """Keep the ``keep`` most recently used files of ``folder`` only."""
    with contextlib.suppress(OSError):
        files = sorted(folder.glob(pattern), key=lambda path: path.stat().st_mtime,
                       reverse=True)
        for stale in files[keep:]:
            stale.unlink(missing_ok=True)


def _sha256(path: Path) -> str | None:
    data = read_regular(path)
    return None if data is None else hashlib.sha256(data).hexdigest()


@functools.cache
def package_state() -> str:
    """The package as installed, and what lays out and writes PDFs: the
    versions, and the size and time of every file of the package (code,
    fonts, templates, shipped catalogs), which a reinstall or an edit changes.
    Worked out once per process: the code a process runs is the code it
    loaded, whatever happens to the files afterwards."""
    digest = hashlib.sha256()
    for name in ("weasyprint", "pydyf", "pypdf", "pypdfium2", "jinja2", "babel", "pyphen",
                 "tinycss2", "tinyhtml5", "fonttools"):
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\n".encode())
    digest.update(f"{__version__} {sys.version} {platform.machine()}\n".encode())
    roots = [PACKAGE_DIR]
    templates = package_templates()
    if not templates.is_relative_to(PACKAGE_DIR):
        roots.append(templates)
    for root in roots:
        for folder, folders, files in os.walk(root):
            folders[:] = sorted(name for name in folders if name != "__pycache__")
            for name in sorted(files):
                path = Path(folder, name)
                with contextlib.suppress(OSError):
                    info = path.stat()
                    digest.update(f"{path} {info.st_size} {info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def project_state(project: Project) -> str | None:
    """The bytes of every file of the project's content, catalogs and
    templates (None if one cannot be read: nothing is then taken as unchanged)."""
    return _folder_digest(project.content, project.locales, project.templates)


def catalog_times(project: Project) -> dict[str, tuple]:
    """When each language's catalogs were last saved (``locales/<language>/``):
    a catalog saved again, even with the same bytes or by ``touch``, lays out
    that language's editions again, as ``make`` would. (Content files are
    shared by every edition: for them only a change to an edition's HTML
    counts, or every edit would lay out all of them.)"""
    found: dict[str, tuple] = {}
    if not project.locales.is_dir():
        return found
    for language in sorted(project.locales.iterdir()):
        if language.is_symlink() or not language.is_dir():
            continue
        times = []
        for folder, folders, files in os.walk(language):
            folders.sort()
            for name in sorted(files):
                with contextlib.suppress(OSError):
                    times.append((os.path.relpath(Path(folder, name), language),
                                  os.lstat(Path(folder, name)).st_mtime_ns))
        found[language.name] = tuple(times)
    return found


def templates_state(project: Project) -> str | None:
    """The project's template overrides (stylesheets and images a PDF loads)."""
    return _folder_digest(project.templates)


def _folder_digest(*roots: Path) -> str | None:
    digest = hashlib.sha256()
    for root in roots:
        digest.update(f"[{root.name}]\n".encode())
        if not root.is_dir():
            continue
        for folder, folders, files in os.walk(root):
            folders.sort()
            for name in sorted(files):
                data = read_regular(Path(folder, name), root)
                if data is None:
                    return None
                digest.update(f"{Path(folder, name).relative_to(root)} {len(data)}\n".encode())
                digest.update(data)
    return digest.hexdigest()


def read_regular(path: Path, root: Path | None = None) -> bytes | None:
    """The bytes of a regular file (inside ``root``, if given), read as the
    build reads a user's files (:func:`builder.project.read_inside`); None for
    anything else (a named pipe, which would block, a device, a link out of
    ``root``, a file too large or unreadable): the build then takes nothing
    as unchanged, and its own checks say what is wrong with the file."""
    try:
        return read_inside(path, root, _LARGEST)
    except Unreadable:
        return None


class CleanVerdicts:
    """Files the leak check found clean, so that an unchanged catalog is not
    searched again (it is most of what ``validate`` spends).

    A verdict is an empty file named by a signed digest (HMAC-SHA256 under
    this user's key) of everything it depends on: the file's bytes, the
    confidential values searched for, and the package (its matcher). Only a
    clean verdict is kept, and only this user's key can name one: a file put
    there by anyone else, or a verdict of other bytes or other values, is
    never found.
    """

    _KEEP = 512

    def __init__(self, folder: Path | None = None) -> None:
        folder = folder or cache_folder()
        self.key = _signing_key(folder)
        self.folder = folder / "clean"

    def token(self, *parts: object) -> str | None:
        if self.key is None:
            return None
        return _signed_digest(self.key, FORMAT + b" clean", parts)

    def clean(self, token: str | None) -> bool:
        return token is not None and (self.folder / token).is_file()

    def record(self, token: str | None) -> None:
        if token is None:
            return
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            (self.folder / token).touch()
        _prune(self.folder, "*", self._KEEP)


class CleanTexts:
    """Texts of the content the leak check found clean, so that a validation
    after an edit searches again only the texts that changed.

    One file per set of confidential values and package, named by a signed
    digest of them (as :class:`CleanVerdicts`), lists the signed digest of
    each text found clean: a digest written by anyone without this user's
    key, or of another text, never matches, and new values (a person added)
    start a new file, where every text is searched. The file keeps the
    digests of the texts searched last, no others.
    """

    _KEEP = 16

    def __init__(self, searched_for: object, folder: Path | None = None) -> None:
        folder = folder or cache_folder()
        self.key = _signing_key(folder)
        self.folder = folder / "clean-texts"
        self.name = None if self.key is None else \
            _signed_digest(self.key, FORMAT + b" clean texts", (searched_for,))
        self.known: set[str] = set()
        self.found: set[str] = set()  # clean texts of this run
        if self.name is not None:
            data = read_regular(self.folder / self.name)
            self.known = set(data.decode("ascii", "replace").split()) if data else set()

    def _digest(self, text: str) -> str | None:
        if self.name is None:
            return None
        return _signed_digest(self.key, FORMAT + b" clean text", (self.name, text))

    def clean(self, text: str) -> bool:
        """Whether ``text`` was found clean of these values before."""
        digest = self._digest(text)
        if digest is not None and digest in self.known:
            self.found.add(digest)
            return True
        return False

    def record(self, text: str) -> None:
        """Note ``text`` as found clean."""
        digest = self._digest(text)
        if digest is not None:
            self.found.add(digest)

    def save(self) -> None:
        if self.name is None or self.found == self.known:
            return
        with contextlib.suppress(OSError):
            _write_private(self.folder / self.name, "\n".join(sorted(self.found)).encode())
        _prune(self.folder, "[0-9a-f]*", self._KEEP)
