"""The whole pipeline: load and check content, plan, render, lay out, write.

It reads as the list of stages. Everything is checked and every edition's HTML
rendered before the first PDF is touched, so a broken reference or template
leaves earlier PDFs as they were; each PDF is written to a temporary file and
moved into place only when complete.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from builder.content import Content, load_content
from builder.errors import OutputError, Problem, ProjectError, ValidationFailed
from builder.i18n import Language, source_language
from builder.mechanisms import MECHANISMS, Mechanism
from builder.pdf import layout, write_pdf
from builder.plan import plan_report
from builder.project import Project
from builder.render import render_html

LANGUAGES = ("en",)


@dataclass(frozen=True)
class Edition:
    mechanism: Mechanism
    language: Language

    @property
    def name(self) -> str:
        return f"{self.mechanism.key}-{self.language.code}"


@dataclass
class Built:
    edition: Edition
    path: Path
    pages: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    built: list[Built]
    warnings: list[Problem]
    seconds: float


def select_editions(content: Content, mechanisms: list[str] | None,
                    languages: list[str] | None) -> list[Edition]:
    """The editions to build: those asked for, else every mechanism the report builds."""
    if mechanisms:
        unknown = [m for m in mechanisms if m not in MECHANISMS]
        if unknown:
            raise ProjectError(f"unknown mechanism {', '.join(unknown)}: "
                               f"choose from {', '.join(MECHANISMS)}")
        chosen = [MECHANISMS[m] for m in MECHANISMS if m in mechanisms]
    else:
        chosen = [m for m in MECHANISMS.values()
                  if getattr(content.report.mechanisms, m.key).build]
    languages = languages or list(LANGUAGES)
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown:
        raise ProjectError(f"no edition language {', '.join(unknown)}: "
                           f"available: {', '.join(LANGUAGES)}")
    return [Edition(m, source_language(code)) for m in chosen for code in languages]


def build(project: Project, *, output: Path | None = None,
          mechanisms: list[str] | None = None, languages: list[str] | None = None,
          strict: bool = False, on_built: Callable[[Built], None] | None = None
          ) -> BuildResult:
    """Build the requested editions of ``project`` into ``output``."""
    started = time.perf_counter()
    content = load_content(project)
    if strict and content.warnings:
        raise ValidationFailed([_as_error(w) for w in content.warnings])
    editions = select_editions(content, mechanisms, languages)
    rendered = [(edition, render_html(plan_report(content, edition.mechanism),
                                      edition.language, project))
                for edition in editions]
    output = output or project.root / "output"
    _prepare(output, project)
    built: list[Built] = []
    for edition, html in rendered:
        clock = time.perf_counter()
        document = layout(html, project)
        if strict and document.warnings:
            raise ValidationFailed([Problem(edition.name, 0, 0, f"renderer: {message}")
                                    for message in document.warnings])
        target = output / f"{edition.name}.pdf"
        _write_atomically(target, lambda path, d=document: write_pdf(d, path))
        result = Built(edition, target, document.pages, time.perf_counter() - clock,
                       document.warnings)
        built.append(result)
        if on_built:
            on_built(result)
    return BuildResult(built, content.warnings, time.perf_counter() - started)


def _as_error(problem: Problem) -> Problem:
    return Problem(problem.path, problem.line, problem.column, problem.message,
                   problem.key, "error")


def _prepare(output: Path, project: Project) -> None:
    for protected in (project.content, project.locales, project.templates):
        if output.resolve() == protected.resolve() or \
                protected.resolve() in output.resolve().parents:
            raise OutputError(f"{output}: refusing to write output inside "
                              f"{project.relative(protected)}/")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{output}: cannot create the output folder: {exc.strerror}") \
            from None
    if not os.access(output, os.W_OK):
        raise OutputError(f"{output}: the output folder is not writable")


def _write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename over ``target``."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".part",
                                         dir=target.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
