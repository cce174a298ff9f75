"""JSON Schemas of the content files, made from the content model, for editors.

An editor that reads JSON Schema (VS Code with Red Hat's YAML extension, or
any editor with the YAML language server) then completes the keys, shows each
field's description on hover and marks a wrong type, an unknown key, an
unknown theme or an impossible month as the drafter types. A schema says less
than ``validate`` (no references, no leak check, no 30 February): it helps
while typing; ``validate`` is the check.

Each schema has the shape the loader reads: ``report.yaml`` is a mapping,
every other file a list of entries (or empty). The project's files point at
them with their first line, ``# yaml-language-server: $schema=...``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import TypeAdapter

from builder.content import REPORT_FILE
from builder.model import COLLECTIONS, Report

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FILES = [REPORT_FILE, *COLLECTIONS]


def schema_name(stem: str) -> str:
    """``cases`` -> ``cases.schema.json``."""
    return f"{stem}.schema.json"


def editor_line(stem: str) -> str:
    """The first line of a content file, for the YAML language server: the schema
    in the project's ``schemas/`` folder, relative to the file in ``content/``."""
    return f"# yaml-language-server: $schema=../schemas/{schema_name(stem)}"


def file_schema(stem: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``content/<stem>.yaml``."""
    if stem == REPORT_FILE:
        schema = Report.model_json_schema()
        description = schema.pop("description")
    else:
        model = COLLECTIONS[stem]
        schema = TypeAdapter(list[model]).json_schema()
        schema["type"] = ["array", "null"]  # an empty file is an empty collection
        entry = schema["$defs"][model.__name__]["description"].split("\n\n")[0]
        description = f"A list of entries, each starting with '- id: ...'. {entry}"
    schema.pop("title", None)
    return _unwrapped({"$schema": DIALECT, "title": f"{stem}.yaml",
                       "description": description, **schema})


def content_schemas() -> dict[str, bytes]:
    """Every content file's schema as the file to write: name -> bytes."""
    return {schema_name(stem): (json.dumps(file_schema(stem), indent=2, ensure_ascii=False)
                                + "\n").encode("utf-8")
            for stem in FILES}


def _unwrapped(value: Any) -> Any:
    """The descriptions as paragraphs: the line breaks of a wrapped docstring
    would show in an editor's hover text."""
    if isinstance(value, dict):
        return {key: re.sub(r"(?<!\n)\n(?!\n)", " ", item)
                if key == "description" and isinstance(item, str) else _unwrapped(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_unwrapped(item) for item in value]
    return value
