"""Untrusted templates: a confined loader and a strict sandbox.

A project's ``templates/`` overrides the package's templates file by file, and
its files are untrusted: a careless or hostile override must not read files,
run commands or print what the report's data does not hold. Templates are
read only as regular files really inside their templates folder
(:class:`ConfinedLoader`, never through a link to a file elsewhere), and they
run in :class:`ReportSandbox`, which reaches the report's data and nothing
else. Rendering (:mod:`builder.render`) and the extraction of template strings
(:mod:`builder.catalogs`) read templates the same way.
"""

from __future__ import annotations

import datetime
import io
import os
import stat
import types
from collections.abc import Callable, ItemsView, Iterator, KeysView, ValuesView
from functools import partial
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
import jinja2.bccache
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from builder.errors import RenderError
from builder.project import FONTS_DIR, Project, package_templates


def template_roots(project: Project | None) -> list[tuple[Path, str]]:
    """The folders templates are read from, project overrides first: each
    resolved, with the prefix that names its templates to users.

    A project's ``templates/`` that resolves outside the project (a link to a
    folder elsewhere) is refused: an override could then read any file there.
    """
    package = package_templates().resolve()
    roots = [(package, "")]
    if project is not None and project.templates.is_dir():
        folder = project.templates.resolve()
        if not folder.is_relative_to(project.root.resolve()):
            raise RenderError("templates/: refused: the project's templates folder is a link "
                              "to a folder outside the project")
        if folder != package:
            roots.insert(0, (folder, "templates/"))
    return roots


class RefusedResource(ValueError):
    """A document asked for something outside the project's own assets."""


def resolve_asset(url: str, project: Project | None) -> Path:
    """The file an ``asset:`` URL (the package's fonts, the templates' files,
    project overrides first) or a ``file:`` URL inside the project's
    ``templates/`` names; anything else is refused. The PDF renderer
    (:class:`builder.pdf.AssetFetcher`) and the live preview load through it."""
    parts = urlsplit(url)
    if parts.scheme == "asset":
        kind, _, rest = unquote(parts.path).partition("/")
        roots = {"fonts": [FONTS_DIR], "templates": [root for root, _ in
                                                     template_roots(project)]}
        for root in roots.get(kind, []):
            path = _inside(root, rest)
            if path is not None and path.is_file():
                return path
        raise RefusedResource(f"no such asset: {url}")
    if parts.scheme == "file" and not parts.netloc:
        # Only the project's own templates folder: content/, locales/ and
        # output/ hold what must never reach a PDF but as rendered text.
        for root, prefix in template_roots(project):
            if prefix:
                path = _inside(root, unquote(parts.path), absolute=True)
                if path is not None and path.is_file():
                    return path
    raise RefusedResource(f"refused to load {url!r}: only files in the project's "
                          "templates/ and the package's assets are used")


def _inside(root: Path, relative: str, *, absolute: bool = False) -> Path | None:
    root = root.resolve()
    path = (Path(relative) if absolute else root / relative).resolve()
    try:
        path.relative_to(root)
    except ValueError:
        return None
    return path


class TemplateRefused(SecurityError):
    """A template file that may not be read: outside its templates folder, or not
    a regular file. The message names the template."""


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from the given folders only, as regular files really inside them.

    A name is looked up in each folder in turn (project overrides first). The
    first folder that has an entry of that name decides: a link that leads
    outside that folder (or nowhere), a FIFO, a device or a folder is refused
    rather than skipped, so that a refused override never silently falls back
    to the package's template.
    """

    def __init__(self, roots: list[tuple[Path, str]]) -> None:
        self.roots = roots
        # Real file name -> the template's name as users see it, for messages.
        self.shown: dict[str, str] = {}

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for root, prefix in self.roots:
            candidate = root.joinpath(*pieces)
            if not os.path.lexists(candidate):
                continue
            shown = prefix + "/".join(pieces)
            try:
                real = candidate.resolve(strict=True)
            except (OSError, RuntimeError):  # a dangling link, or a loop of links
                raise TemplateRefused(f"{shown}: refused: a link to a file that does not "
                                      "exist") from None
            if not real.is_relative_to(root):
                raise TemplateRefused(f"{shown}: refused: a link to a file outside "
                                      f"{prefix or 'the package templates/'}")
            source, mtime = _read_template(real, shown)
            self.shown[str(real)] = shown
            return source, str(real), partial(_unchanged, real, mtime)
        raise jinja2.TemplateNotFound(template)


def _read_template(path: Path, shown: str) -> tuple[str, float]:
    """A template file's text and modification time; anything but a regular
    file is refused before it is opened (a FIFO would block the build, a
    device could be read without end)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise TemplateRefused(f"{shown}: refused: not a regular file")
    # The path is resolved: a link here means it was swapped since, and
    # O_NONBLOCK keeps a FIFO swapped in from blocking; fstat checks again.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise TemplateRefused(f"{shown}: refused: cannot be read ({exc.strerror})") from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise TemplateRefused(f"{shown}: refused: not a regular file")
        data = handle.read()
    try:
        return data.decode("utf-8"), info.st_mtime
    except UnicodeDecodeError:
        raise jinja2.TemplateError(f"{shown}: not UTF-8 text") from None


def _unchanged(path: Path, mtime: float) -> bool:
    """Jinja2's up-to-date check of a loaded template."""
    try:
        return os.path.getmtime(path) == mtime
    except OSError:
        return False


# What a template may reach, by kind (see ReportSandbox).
_DATA = (str, int, float, bool, list, tuple, dict, set, frozenset, datetime.date)
# Never reachable, whatever else they are.
_FORBIDDEN = (types.ModuleType, type, PurePath, io.IOBase, jinja2.Environment,
              jinja2.Template, jinja2.BaseLoader, Context)
# builder modules whose objects open files or hold the raw files and catalogs.
_HIDDEN_MODULES = ("builder.project", "builder.catalogs", "builder.loader", "builder.pdf",
                   "builder.build", "builder.cli")
_CODE_MODULES = ("builder.", "jinja2.", "markupsafe")
# Besides reachable values, what a call may return: data to iterate over.
_ITERABLES = (bytes, range, KeysView, ValuesView, ItemsView, Iterator)


def _refusal(value: Any) -> str | None:
    """Why a template may not reach ``value`` (as "a file path", ...), or None if it may.

    Allowed: plain data, the report's objects (of builder modules but those
    listed in ``_HIDDEN_MODULES``), Jinja2's runtime objects (loops, macros,
    template modules), functions of builder, jinja2 and markupsafe, and
    methods of allowed objects. Everything else, in particular modules,
    classes, paths, files and Babel's catalogs, is refused.
    """
    if isinstance(value, _FORBIDDEN):  # the sandbox and its loader among them
        kind = ("a module" if isinstance(value, types.ModuleType) else
                "a class" if isinstance(value, type) else
                "a file path" if isinstance(value, PurePath) else
                "a file" if isinstance(value, io.IOBase) else None)
        return kind or f"a {_type_name(value)} object"
    module = type(value).__module__ or ""
    if module in _HIDDEN_MODULES:
        return f"a {_type_name(value)} object"
    if value is None or isinstance(value, _DATA):
        return None
    if isinstance(value, (types.MethodType, types.BuiltinMethodType, types.MethodWrapperType)):
        owner = getattr(value, "__self__", None)
        if isinstance(owner, types.ModuleType):  # a builtin function such as len or open
            return f"the function {getattr(value, '__name__', '?')}"
        return None if _refusal(owner) is None else f"a method of {_refusal(owner)}"
    if isinstance(value, types.FunctionType):
        # Where its code is, not __module__, which a wrapper copies from what it wraps
        # (Jinja2's sandboxed str.format is a function of jinja2.sandbox).
        origin = value.__globals__.get("__name__") or ""
        if origin.startswith(_CODE_MODULES) and origin not in _HIDDEN_MODULES:
            return None
        return f"the function {origin}.{value.__qualname__}"
    if module.startswith("builder."):
        return None
    if module in ("jinja2.runtime", "jinja2.utils") or isinstance(value, TemplateModule):
        return None
    return f"a {_type_name(value)} object"


def _type_name(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


class ReportSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, stricter: templates reach the report's data and nothing else.

    Jinja2's own sandbox only hides attributes that start with ``_``; a
    template could still walk from the data to a path or a catalog and read
    files (``r.language.translations.loaded.path``). Here every attribute or
    item a template gets, the object it gets it from, everything it calls and
    everything a call returns must be of a kind :func:`_refusal` allows; any
    other raises :class:`SecurityError` at once.
    """

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        raise SecurityError(f"access to attribute {attribute!r} of a "
                            f"{type(obj).__name__!r} object is unsafe")

    def getattr(self, obj: Any, attribute: str) -> Any:
        return self._checked(obj, attribute, super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return self._checked(obj, argument, super().getitem(obj, argument))

    def _checked(self, obj: Any, name: Any, value: Any) -> Any:
        if isinstance(value, jinja2.Undefined):
            return value
        if isinstance(obj, str) and name in ("format", "format_map"):
            return value  # Jinja2's sandboxed str.format (its formatter checks again)
        refused = _refusal(obj)
        if refused is not None:
            raise SecurityError(f"refused to look into {refused} (for {name!r})")
        refused = _refusal(value)
        if refused is not None:
            raise SecurityError(f"{name!r} of a {type(obj).__name__!r} object is {refused}, "
                                "which templates may not use")
        return value

    def is_safe_callable(self, obj: Any) -> bool:
        if not super().is_safe_callable(obj):
            return False
        # The globals (dict, cycler, namespace ...) are classes: callable by design.
        return _refusal(obj) is None or any(obj is known for known in self.globals.values())

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        result = super().call(context, obj, *args, **kwargs)
        refused = _refusal(result)
        if refused is not None and not (isinstance(result, _ITERABLES) and
                                        not isinstance(result, io.IOBase)):
            raise SecurityError(f"a call returned {refused}, which templates may not use")
        return result


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process and kept in memory.

    Each edition gets an environment of its own (its filters and translations
    differ), and compiling the templates again for each was a tenth of the
    time a build spends outside WeasyPrint. A compiled template is reused
    only for the same file with the same source (Jinja2 checks the source's
    checksum), by environments all made by :func:`environment`, with the
    same sandbox and options.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)  # dropped if the source changed

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def environment(project: Project | None) -> ReportSandbox:
    """The Jinja2 environment: sandboxed, confined to the templates folders,
    autoescaping, i18n, strict undefined variables."""
    env = ReportSandbox(
        loader=ConfinedLoader(template_roots(project)),
        bytecode_cache=_COMPILED,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    return env


def where_in_template(exc: BaseException, loader: ConfinedLoader) -> str | None:
    """The template (and line) the error was raised in, from Jinja2's rewritten
    traceback: the innermost frame in a template file."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        shown = loader.shown.get(tb.tb_frame.f_code.co_filename)
        if shown is not None:
            found = f"{shown}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
