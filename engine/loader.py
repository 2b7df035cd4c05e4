"""Load a scenario file: safe YAML, strict models, cross-references, every problem at once.

:func:`load_scenario` and :func:`load_scenario_text` either return a validated
:class:`~engine.scenario.Scenario` or raise :class:`ScenarioError` listing *every* problem
found, each as ``path:line:col: field.path: message`` pointing at the author's line. Nothing
in a file is ever constructed or run (no Python tags), and hostile files (huge, deeply
nested, alias bombs) are refused quickly; see :mod:`engine.yaml_positions`.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from engine.scenario import Scenario, reference_problems
from engine.scenario_format import CURRENT_FORMAT, READABLE_FORMATS
from engine.yaml_positions import Path, Reading, YamlProblem, read_yaml

MAX_BYTES = 2_000_000
_ID_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
_CONSTRUCTOR = SafeConstructor()


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario file; ``line`` 0 means the whole file."""

    file: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {field}{self.message}"


class ScenarioError(Exception):
    """A scenario file could not be loaded; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.line, p.col, p.field, p.message))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def load_scenario(path: str | FilePath) -> Scenario:
    """Read and validate the scenario file at ``path``."""
    path = FilePath(path)
    name = str(path)
    try:
        if path.is_dir():
            raise _file_error(name, "is a folder, not a scenario file")
        if path.exists() and not path.is_file():
            raise _file_error(name, "is not a regular file")
        size = path.stat().st_size
        limit = _megabytes(MAX_BYTES)
        if size > MAX_BYTES:
            raise _file_error(name, f"file is {_megabytes(size)}; the limit is {limit}")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)  # the file may grow after stat
        if len(data) > MAX_BYTES:
            raise _file_error(name, f"file is over the limit of {limit}")
    except FileNotFoundError:
        raise _file_error(name, "no such file") from None
    except OSError as exc:
        raise _file_error(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise ScenarioError(
            [Problem(name, line, col, "", f"not UTF-8 text (byte 0x{bad}); save the file as UTF-8")]
        ) from None
    return load_scenario_text(text, name)


def load_scenario_text(text: str, source_name: str = "<text>") -> Scenario:
    """Validate scenario YAML given as text; ``source_name`` is used in messages."""
    if len(text) > MAX_BYTES:
        raise _file_error(source_name, f"text is over the limit of {_megabytes(MAX_BYTES)}")
    try:
        reading = read_yaml(text)
    except YamlProblem as exc:
        raise ScenarioError([Problem(source_name, exc.line, exc.col, "", exc.message)]) from None
    if reading.data is None:
        raise ScenarioError([Problem(source_name, 1, 1, "", "the file is empty")])
    if not isinstance(reading.data, dict):
        kind = _kind(reading.data)
        message = f"the top level must be a mapping of keys (id:, title:, ...), not {kind}"
        raise ScenarioError([Problem(source_name, 1, 1, "", message)])
    problems = [
        Problem(source_name, line, col, _dotted(path), message)
        for path, line, col, message in reading.problems
    ]
    try:
        scenario = Scenario.model_validate(reading.data)
    except ValidationError as exc:
        problems += [_from_pydantic(err, reading, source_name) for err in exc.errors()]
        raise ScenarioError(problems) from None
    for loc, message in reference_problems(scenario):
        path = tuple(loc)
        line, col = _position(reading, path)
        problems.append(Problem(source_name, line, col, _dotted(path), message))
    if problems:
        raise ScenarioError(problems)
    return scenario


# --------------------------------------------------------------------------- helpers


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def _file_error(name: str, message: str) -> ScenarioError:
    return ScenarioError([Problem(name, 0, 0, "", message)])


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return {list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), "a value"
    )


def _shown(value: Any) -> str:
    """A short description of a wrong value for a type error."""
    if isinstance(value, str):
        return f"text '{value if len(value) <= 40 else value[:40] + '...'}'"
    if isinstance(value, dict):
        return "a mapping"
    return _kind(value)


def _dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)


def _position(reading: Reading, path: Path, key: bool = False) -> tuple[int, int]:
    """Line and column of ``path`` (its key when ``key``), else of its nearest ancestor."""
    if key and path in reading.keys:
        return reading.keys[path]
    for n in range(len(path), -1, -1):
        if path[:n] in reading.values:
            return reading.values[path[:n]]
    return 1, 1


def _strip(tp: Any) -> Any:
    """Remove ``Annotated`` wrappers and ``| None`` from a type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _tagged_member(tp: Any, tag: Any) -> type[BaseModel] | None:
    """The member of a discriminated union of models whose tag literal is ``tag``."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return None
    for member in map(_strip, typing.get_args(tp)):
        if not _is_model(member):
            continue
        for info in member.model_fields.values():
            if typing.get_origin(info.annotation) is Literal and tag in typing.get_args(
                info.annotation
            ):
                return member
    return None


def _child(tp: Any, el: str | int) -> Any:
    if _is_model(tp):
        info = tp.model_fields.get(str(el))
        return None if info is None else info.annotation
    if typing.get_origin(tp) in (list, dict):
        return typing.get_args(tp)[-1]
    return None


def _walk(loc: tuple[Any, ...]) -> tuple[Path, bool, Any]:
    """Turn a pydantic ``loc`` into a YAML path by dropping union tags.

    Returns the path, whether it ends in a mapping key ('[key]'), and the model class that
    holds the path's last element (None when that is not a model).
    """
    out: list[str | int] = []
    tp: Any = Scenario
    parent: Any = None
    is_key = False
    for el in loc:
        if el == "[key]":
            is_key = True
            continue
        tp = _strip(tp)
        member = _tagged_member(tp, el) if isinstance(el, str) else None
        if member is not None:
            tp = member
            continue
        out.append(el)
        parent, tp = tp, _child(tp, el)
    return tuple(out), is_key, parent if _is_model(parent) else None


def _suggest(word: Any, choices: list[str]) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _yaml_hint(reading: Reading, path: Path, err_type: str) -> str:
    """Explain what YAML made of a plain scalar that failed a type check."""
    if path not in reading.raw:
        return ""
    text, kind = reading.raw[path]
    if kind in ("sexagesimal", "octal"):
        tag = "float" if "." in text else "int"
        value = _CONSTRUCTOR.construct_object(ScalarNode(f"tag:yaml.org,2002:{tag}", text))
        base = "base-60" if kind == "sexagesimal" else "octal"
        return f"; YAML 1.1 would read {text} as the {base} number {value}: write the number"
    if kind == "null":
        return "; the value is empty"
    if kind == "float" and "nan" in text.lower():
        return f"; YAML reads '{text}' as not-a-number"
    if kind == "bool":
        if err_type.startswith(("string", "literal")):
            return f"; YAML reads '{text}' as a boolean; quote it: \"{text}\""
        return f"; YAML reads '{text}' as a boolean, not a number"
    if err_type.startswith(("string", "literal")):
        return f"; YAML reads '{text}' as a number; quote it: \"{text}\""
    return ""


def _format_message(value: Any) -> str:
    """Why a declared ``format`` cannot be read, and what this version reads."""
    *older, newest = READABLE_FORMATS
    reads = f"this version of Crossroads reads formats {', '.join(map(str, older))} and {newest}"
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not isinstance(value, int) or value < 1:
        got = value if number else "nothing" if value is None else _shown(value)
        return f"the format is a version number ({reads}), got {got}"
    if value in READABLE_FORMATS:  # an older format spelled out: such files have no key
        return (
            f"a format-{value} file has no 'format' key: delete this line and the file is "
            f"converted on load (crossroads migrate then rewrites it in format {CURRENT_FORMAT})"
        )
    newer = " (it was written for a newer version: update Crossroads)"
    return f"this file is format {value}; {reads}" + (newer if value > CURRENT_FORMAT else "")


def _from_pydantic(err: Any, reading: Reading, source: str) -> Problem:
    """Map one pydantic error to a Problem at the author's line, with a helpful message."""
    path, is_key, parent = _walk(err["loc"])
    kind = err["type"]
    if path == ("format",) and not is_key:
        line, col = _position(reading, path)
        return Problem(source, line, col, "format", _format_message(err.get("input")))
    ctx = err.get("ctx") or {}
    message = err["msg"]
    at_key = is_key
    if kind == "extra_forbidden":
        at_key = True
        fields = list(parent.model_fields) if parent else []
        key = path[-1] if path else ""
        message = f"unknown key '{key}'" + (
            _suggest(key, fields) or (f"; allowed keys: {', '.join(fields)}" if fields else "")
        )
    elif kind == "missing":
        message = "required field is missing"
    elif kind == "union_tag_invalid":
        tag_key = str(ctx.get("discriminator", "'type'")).strip("'")
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        path = (*path, tag_key)
        message = f"unknown {tag_key} '{ctx.get('tag')}'" + (
            _suggest(ctx.get("tag"), expected) or f"; one of: {', '.join(expected)}"
        )
    elif kind == "union_tag_not_found":
        message = f"missing {ctx.get('discriminator', 'type')} (says which kind this is)"
    elif kind == "value_error":
        message = str(message).removeprefix("Value error, ")
    elif kind == "string_pattern_mismatch" and ctx.get("pattern") == _ID_PATTERN:
        message = (
            "not a valid id: use lower-case letters, digits and underscores, starting with a "
            "letter, at most 40 characters"
        )
    elif kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        message += _suggest(err.get("input"), options)
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = f"expected a mapping of keys, got {_kind(err.get('input'))}"
    hint = "" if is_key else _yaml_hint(reading, path, kind)
    if not hint and kind.endswith("_type") and not kind.startswith(("model", "dict")):
        hint = f", got {_shown(err.get('input'))}"
    message += hint
    line, col = _position(reading, path, key=at_key)
    return Problem(source, line, col, _dotted(path), message)
