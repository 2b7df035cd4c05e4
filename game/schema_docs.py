"""Generate the scenario JSON Schema and the authoring reference from the models.

Both artefacts are committed (``scenarios/scenario.schema.json`` for editors,
``docs/authoring.md`` for authors) and regenerated together by one command::

    python -m game.schema_docs          # rewrite both files
    python -m game.schema_docs --check  # exit 1 if either is stale

The schema uses draft-07 keywords only (the YAML language server's dialect): pydantic's
``$defs`` become ``definitions`` and OpenAPI ``discriminator`` hints are dropped. The
reference has one table per model (field, type, default, bounds and unit, description),
after the hand-written introduction in ``docs/authoring_intro.md`` and the starter scenario.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from engine.formatting import exact
from engine.scenario import Scenario, Translatable
from game.paths import bundled_scenarios_dir
from game.starter import starter_text

SCHEMA_URL = "http://json-schema.org/draft-07/schema#"
SCHEMA_NAME = "scenario.schema.json"
DRAFT_2019_KEYWORDS = frozenset(
    {
        "$defs",
        "$anchor",
        "$dynamicRef",
        "$dynamicAnchor",
        "$recursiveRef",
        "$recursiveAnchor",
        "$vocabulary",
        "prefixItems",
        "dependentRequired",
        "dependentSchemas",
        "unevaluatedItems",
        "unevaluatedProperties",
        "minContains",
        "maxContains",
        "discriminator",
    }
)
_ID_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
_UNIT = re.compile(r"\s*Unit: (.+?)\.?\s*$")


def repo_root() -> Path:
    """The checkout folder (parent of the ``game`` package)."""
    return Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- JSON Schema


def _draft07(node: Any) -> Any:
    """Rewrite a pydantic schema fragment to draft-07 keywords."""
    if isinstance(node, list):
        return [_draft07(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _draft07(v) for k, v in node.items() if k != "discriminator"}
    if "$ref" in out and len(out) > 1:  # draft-07 ignores siblings of $ref
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    return out


def json_schema() -> dict[str, Any]:
    """The scenario format as a draft-07 JSON Schema."""
    raw = Scenario.model_json_schema(ref_template="#/definitions/{model}")
    definitions = raw.pop("$defs", {})
    schema = {
        "$schema": SCHEMA_URL,
        **_draft07(raw),
        "definitions": {k: _draft07(v) for k, v in sorted(definitions.items())},
    }
    schema["title"] = "Crossroads scenario"
    return schema


def schema_text() -> str:
    """The schema as committed: indented JSON with a trailing newline."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# --------------------------------------------------------------------------- reference


def _bounds(metadata: list[Any], text_like: bool) -> list[str]:
    out: list[str] = []
    for m in metadata:
        for attr, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            value = getattr(m, attr, None)
            if isinstance(m, at.Ge | at.Gt | at.Le | at.Lt) and value is not None:
                out.append(f"{sign} {exact(value)}")
        unit = "characters" if text_like else "items"
        if isinstance(m, at.MinLen) and m.min_length == 1:
            out.append("not empty")
        elif isinstance(m, at.MinLen) and m.min_length:
            out.append(f"at least {m.min_length} {unit}")
        if isinstance(m, at.MaxLen):
            out.append(f"at most {m.max_length} {unit}")
    return out


def _is_id(metadata: list[Any]) -> bool:
    return any(getattr(m, "pattern", None) == _ID_PATTERN for m in metadata)


def _metadata(tp: Any) -> tuple[Any, list[Any]]:
    """Split ``Annotated[X, ...]`` into X and a flat list of constraint objects."""
    if typing.get_origin(tp) is not typing.Annotated:
        return tp, []
    base, *extra = typing.get_args(tp)
    flat: list[Any] = []
    for item in extra:
        flat.extend(item.metadata if isinstance(item, FieldInfo) else [item])
    return base, flat


def _type_name(tp: Any) -> str:
    """Human type of an annotation, with inline bounds for nested constrained types."""
    base, metadata = _metadata(tp)
    if metadata:
        if _is_id(metadata):
            return "id"
        bounds = _bounds(metadata, base is str)
        return _type_name(base) + (f" ({', '.join(bounds)})" if bounds else "")
    origin = typing.get_origin(base)
    args = typing.get_args(base)
    if base is type(None):
        return "null"
    if origin in (typing.Union, types.UnionType):
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if len(models) > 1:
            return "one of " + ", ".join(_type_name(a) for a in args)
        return " or ".join(_type_name(a) for a in args)
    if origin is Literal:
        return " / ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of: {_type_name(args[0])}"
    if origin is dict:
        key = "id" if args[0] is str else _type_name(args[0])
        return f"map of {key} → {_type_name(args[1])}"
    if isinstance(base, type) and issubclass(base, BaseModel):
        return f"[{base.__name__}](#{base.__name__.lower()})"
    return {str: "text", int: "integer", float: "number", bool: "true / false"}.get(base, str(base))


def _default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
    elif info.default is PydanticUndefined:
        return "**required**"
    else:
        value = info.default
    if isinstance(value, BaseModel):
        return "(all defaults)"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return exact(value)
    return f"`{json.dumps(value, ensure_ascii=False, allow_nan=False)}`"


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model reachable from ``root``, breadth first in field order."""

    def nested(tp: Any) -> Iterator[type[BaseModel]]:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            yield tp
        for arg in typing.get_args(tp):
            yield from nested(arg)

    order = [root]
    for model in order:
        for info in model.model_fields.values():
            for found in nested(info.annotation):
                if found not in order:
                    order.append(found)
    return order


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def model_table(model: type[BaseModel]) -> str:
    """The reference section of one model: heading, docstring and field table."""
    lines = [f"### {model.__name__}", "", _cell(model.__doc__ or ""), ""]
    lines += [
        "| Field | Type | Default | Bounds / unit | Description |",
        "|---|---|---|---|---|",
    ]
    for name, info in model.model_fields.items():
        description = info.description or ""
        unit = _UNIT.search(description)
        description = _UNIT.sub("", description).strip()
        type_text = "id" if _is_id(info.metadata) else _type_name(info.annotation)
        if any(isinstance(m, Translatable) for m in info.metadata):
            type_text = "text, or map of language → text"
        text_like = typing.get_origin(info.annotation) is not list and "text" in type_text
        bounds = _bounds(info.metadata, text_like)
        if unit:
            bounds.append(f"unit: {unit.group(1)}")
        row = [f"`{name}`", type_text, _default(info), "; ".join(bounds), description]
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def authoring_markdown() -> str:
    """The whole ``docs/authoring.md``: intro, starter scenario, field reference."""
    intro = (repo_root() / "docs" / "authoring_intro.md").read_text(encoding="utf-8")
    parts = [
        "<!-- Generated by `python -m game.schema_docs` from docs/authoring_intro.md, the "
        "starter in game/starter.py and the models in engine/scenario.py. Edit those, then "
        "regenerate; a test fails when this file is stale. -->",
        intro.strip(),
        "## The starter scenario\n\nThis is exactly what `crossroads new my_market` writes "
        "(with your name in place of `my_market`). It validates as it stands.\n\n"
        "```yaml\n" + starter_text("my_market").strip() + "\n```",
        "## Field reference\n\nOne table per part of the format, generated from the models. "
        "*required* fields have no default. Effects and AI archetypes are chosen by their "
        "`type` / `archetype` key.",
    ]
    parts += [model_table(m).strip() for m in _models(Scenario)]
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------- files


def generated_files() -> dict[Path, str]:
    """Every generated file and the text it should hold."""
    return {
        bundled_scenarios_dir() / SCHEMA_NAME: schema_text(),
        repo_root() / "docs" / "authoring.md": authoring_markdown(),
    }


def stale_files() -> list[Path]:
    """Generated files whose committed text differs from what the models produce."""
    return [
        path
        for path, text in generated_files().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def write_all() -> list[Path]:
    """Regenerate the schema and the authoring reference; return the paths written."""
    written = []
    for path, text in generated_files().items():
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m game.schema_docs [--check]``."""
    parser = argparse.ArgumentParser(prog="python -m game.schema_docs", description=__doc__)
    parser.add_argument("--check", action="store_true", help="report stale files, write none")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"stale: {path} (run: python -m game.schema_docs)")
        return 1 if stale else 0
    for path in write_all():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
