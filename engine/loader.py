"""Load a scenario file: safe YAML, strict models, cross-references, every problem at once.

:func:`load_scenario` and :func:`load_scenario_text` either return a validated
:class:`~engine.scenario.Scenario` or raise :class:`ScenarioError` listing *every* problem
found, each as ``path:line:col: field.path: message`` pointing at the author's line. Field
errors and cross-reference problems come in one run: the cross-reference checks also run on
the parts of a file that passed validation (see :mod:`engine.pruning`). A field path names
list entries by id where they have one (``firms[rampart].products[ledger].price``) and by
position from 0 where they do not (``effects[2].attribute``). Nothing in a file is ever
constructed or run (no Python tags), and hostile files (huge, deeply nested, alias bombs)
are refused quickly; see :mod:`engine.yaml_positions`. A file that starts with ``extends:`` is
merged onto its base first (:mod:`engine.inheritance`) and each problem names the file that
set the value.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import resources
from operator import attrgetter
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from engine.inheritance import EXTENDS_KEY, MAX_EXTENDS, Layer, merge
from engine.pruning import MAX_PASSES, Located, Pruning, locate
from engine.scenario import Scenario, reference_problems
from engine.scenario_format import CURRENT_FORMAT, READABLE_FORMATS
from engine.yaml_positions import Path, Reading, YamlProblem, read_yaml

MAX_BYTES = 2_000_000
_ID_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
_ID = re.compile(_ID_PATTERN)
_CONSTRUCTOR = SafeConstructor()
_BUNDLED = FilePath(str(resources.files("scenarios")))


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
        order = attrgetter("file", "line", "col", "field", "message")  # a file's lines in order
        self.problems = sorted(set(problems), key=order)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def load_scenario(path: str | FilePath, language: str = "en") -> Scenario:
    """Read and validate the scenario file at ``path`` (and the bases it ``extends``).

    Translated texts (``title: {en: ..., de: ...}``) hold their ``language`` translation,
    else the scenario's own language's (see :func:`load_scenario_text`).
    """
    path = FilePath(path)
    return load_scenario_text(_read_file(path), str(path), folder=path.parent, language=language)


def _read_file(path: FilePath) -> str:
    """The text of a scenario file, within the size limit; :class:`ScenarioError` if not."""
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
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise ScenarioError(
            [Problem(name, line, col, "", f"not UTF-8 text (byte 0x{bad}); save the file as UTF-8")]
        ) from None


def load_scenario_text(
    text: str, source_name: str = "<text>", folder: FilePath | None = None, language: str = "en"
) -> Scenario:
    """Validate scenario YAML given as text; ``source_name`` is used in messages.

    ``folder`` is where a base given as a path (``extends: base.yaml``) is looked for; without
    it only bundled ids can be extended. Every player-facing text written per language
    (``title: {en: Tutorial, de: Einführung}``) becomes its ``language`` translation, or the
    scenario's own language's when it has none: the scenario returned holds plain strings, and
    the language changes no number. Ids are never translated.
    """
    reading = _read_mapping(text, source_name)
    files: dict[Path, str] = {}
    if EXTENDS_KEY in reading.data:
        here = FilePath(source_name).resolve() if folder is not None else None
        layer, problems = _layer(reading, source_name, folder, (here,) if here else ())
        reading, files = layer.reading()
    else:
        problems = _File(source_name, reading).reading_problems()
    file = _File(source_name, reading, files)
    pruning = Pruning(reading.data)
    try:
        scenario = Scenario.model_validate(reading.data, context={"language": language})
    except ValidationError as exc:
        problems += _partial_check(exc.errors(), pruning, file)
        raise ScenarioError(problems) from None
    problems += _reference_problems(scenario, pruning, file)
    if problems:
        raise ScenarioError(problems)
    return scenario


def _read_mapping(text: str, source_name: str) -> Reading:
    """YAML text read with positions; :class:`ScenarioError` unless it is a mapping."""
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
    return reading


# --------------------------------------------------------------------------- extends


def _layer(
    reading: Reading, name: str, folder: FilePath | None, chain: tuple[FilePath, ...]
) -> tuple[Layer, list[Problem]]:
    """A file's data merged onto the bases it extends (see :mod:`engine.inheritance`).

    ``chain`` holds the files already being read, for cycles and the depth limit. A base that
    cannot be used stops the load: every other problem would only be a consequence of it.
    """
    own = _File(name, reading)
    problems = own.reading_problems()
    layer = Layer.of(reading, name)
    if EXTENDS_KEY not in reading.data:
        return layer, problems
    layer.data = {k: v for k, v in reading.data.items() if k != EXTENDS_KEY}
    stop = own.problem((EXTENDS_KEY,), "")
    found = _find_base(reading.data[EXTENDS_KEY], folder)
    if isinstance(found, str):
        raise ScenarioError([*problems, replace(stop, message=found)])
    resolved = found.resolve()
    if resolved in chain:
        loop = " → ".join(p.name for p in (*chain[chain.index(resolved) :], resolved))
        raise ScenarioError([*problems, replace(stop, message=f"the bases form a cycle: {loop}")])
    if len(chain) > MAX_EXTENDS:
        message = f"more than {MAX_EXTENDS} levels of extends; merge some of the bases"
        raise ScenarioError([*problems, replace(stop, message=message)])
    try:
        base_reading = _read_mapping(_read_file(found), str(found))
    except ScenarioError as exc:
        why = f"the base {found} cannot be read: {exc.problems[0]}"
        raise ScenarioError([*problems, replace(stop, message=why)]) from None
    base, base_problems = _layer(base_reading, str(found), found.parent, (*chain, resolved))
    problems += base_problems
    written, inherited = layer.data.get("format"), base.data.get("format", 1)
    if "format" in layer.data and written != inherited:
        problems.append(
            own.problem(
                ("format",),
                f"the base '{reading.data[EXTENDS_KEY]}' is format {inherited}: run 'crossroads "
                "migrate' on it, or delete this line to take the base's format",
            )
        )
    if "id" not in layer.data:
        problems.append(replace(stop, message="give this scenario its own id (id: ...) below"))
    merged = merge(base, layer, lambda path, message: problems.append(own.problem(path, message)))
    return merged, problems


def _find_base(ref: Any, folder: FilePath | None) -> FilePath | str:
    """The file ``extends: ref`` names, or why it names none.

    A value ending in ``.yaml``/``.yml`` or holding a ``/`` is a path relative to the file; any
    other is the id of a bundled scenario. URLs and absolute paths are refused: a scenario and
    its base must keep working when the folder is moved or shared.
    """
    what = "a bundled scenario id (tutorial) or a path relative to this file (base.yaml)"
    if not isinstance(ref, str) or not ref.strip():
        return f"expected {what}, got {_shown(ref) if ref else 'nothing'}"
    ref = ref.strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", ref):
        return "bases are read from files, not URLs: save the base beside this file and name it"
    if FilePath(ref).is_absolute() or re.match(r"^[a-zA-Z]:[\\/]", ref) or ref.startswith("\\"):
        return "write the base's path relative to this file, so the pair can be moved or shared"
    if ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref:
        if not ref.endswith((".yaml", ".yml")):
            return f"a base file ends in .yaml or .yml, not '{ref}'"
        if folder is None:
            return "a base given as a path needs a scenario file (this text has no folder)"
        path = folder / ref
        return path if path.is_file() else f"no base file '{ref}' (looked for {path})"
    ids = sorted(p.stem for p in _BUNDLED.glob("*.yaml"))
    if ref in ids:
        return _BUNDLED / f"{ref}.yaml"
    hint = _suggest(ref, ids) or f"; bundled ids: {', '.join(ids)}"
    return f"no bundled scenario '{ref}'{hint} (a file is named with its suffix: {ref}.yaml)"


@dataclass
class _File:
    """The file whose problems are being reported: its name and what YAML read from it."""

    name: str
    reading: Reading
    files: dict[Path, str] = field(default_factory=dict)  # merged: the file that set a path
    _ids: dict[int, Counter[Any]] = field(default_factory=dict)  # per list: its ids, counted

    def problem(self, path: Path, message: str, key: bool = False) -> Problem:
        """A problem at ``path`` (at its key when ``key``), at the author's line and file."""
        line, col, at = _position(self.reading, path, key)
        return Problem(self.files.get(at, self.name), line, col, self.field_name(path), message)

    def reading_problems(self) -> list[Problem]:
        """What YAML reading found (duplicate keys), as problems of this file."""
        return [
            Problem(self.name, line, col, self.field_name(path), message)
            for path, line, col, message in self.reading.problems
        ]

    def field_name(self, path: Path) -> str:
        """A path as authors read it: ``firms[rampart].products[ledger].price``.

        A list entry is named by its id when it has a valid one that no other entry of that
        list shares, else by its position from 0 (``effects[2]``).
        """
        out = ""
        node = self.reading.data
        for el in path:
            if isinstance(el, int):
                entries = node if isinstance(node, list) else []
                node = entries[el] if 0 <= el < len(entries) else None
                ident = node.get("id") if isinstance(node, dict) else None
                named = isinstance(ident, str) and _ID.match(ident) and self._count(entries, ident)
                out += f"[{ident if named == 1 else el}]"
            else:
                out += f".{el}" if out else str(el)
                node = node.get(el) if isinstance(node, dict) else None
        return out

    def _count(self, entries: list[Any], ident: str) -> int:
        """How many entries of ``entries`` have the id ``ident`` (counted once per list)."""
        if id(entries) not in self._ids:
            ids = (e.get("id") for e in entries if isinstance(e, dict))
            self._ids[id(entries)] = Counter(i for i in ids if isinstance(i, str))
        return self._ids[id(entries)][ident]


def field_name(data: Any, path: Path) -> str:
    """``path`` in ``data`` as authors read it (see :meth:`_File.field_name`)."""
    return _File("", Reading(data=data)).field_name(path)


def _partial_check(errors: list[Any], pruning: Pruning, file: _File) -> list[Problem]:
    """The field errors, then what the parts that passed validation still show.

    Each failing part is taken out of a copy (see :mod:`engine.pruning`) and the copy is
    validated again, at most ``MAX_PASSES`` times: a later pass reports the errors the changes
    cannot explain (a model validator that had not run), and once the copy passes its
    cross-reference problems are added. When nothing can be taken out (a required top-level
    field is broken) the field errors are all there is to report.
    """
    found = [(err, locate(err["loc"])) for err in errors]
    problems = [_from_pydantic(err, located, file) for err, located in found]
    for _ in range(MAX_PASSES):
        absorbed = [pruning.absorb(located) for _, located in found]
        if not all(absorbed):
            return problems
        try:
            scenario = Scenario.model_validate(pruning.rebuild())
        except ValidationError as exc:
            found = [(err, locate(err["loc"])) for err in exc.errors()]
            problems += [
                _from_pydantic(err, located, file, pruning.original)
                for err, located in found
                if not pruning.explains(located, err["type"])
            ]
            continue
        return problems + _reference_problems(scenario, pruning, file)
    return problems


def _reference_problems(scenario: Scenario, pruning: Pruning, file: _File) -> list[Problem]:
    """Cross-reference problems of a (possibly pruned) scenario, at the author's lines."""
    return [
        file.problem(pruning.original(tuple(loc)), message)
        for loc, message in reference_problems(scenario, pruning.unsure)
        if not pruning.hides(loc)
    ]


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


def _position(reading: Reading, path: Path, key: bool = False) -> tuple[int, int, Path]:
    """Line and column of ``path`` (its key when ``key``), else of its nearest ancestor, and
    the path they belong to."""
    if key and path in reading.keys:
        return (*reading.keys[path], path)
    for n in range(len(path), -1, -1):
        if path[:n] in reading.values:
            return (*reading.values[path[:n]], path[:n])
    return 1, 1, ()


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


def _from_pydantic(
    err: Any, located: Located, file: _File, original: Callable[[Path], Path] = tuple
) -> Problem:
    """Map one pydantic error (at ``located``) to a Problem at the author's line.

    ``original`` maps a path in a pruned copy of the data back to the file's.
    """
    path, is_key, parent = original(located.path), located.is_key, located.parent
    kind = err["type"]
    reading = file.reading
    if path == ("format",) and not is_key:
        return file.problem(path, _format_message(err.get("input")))
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
    elif kind == "translated_text" and isinstance(err.get("input"), dict):
        language = ctx.get("language")
        if isinstance(language, str) and language in err["input"]:  # at that translation's line
            path, at_key = (*path, language), bool(ctx.get("key"))
        if ctx.get("wrong_type"):
            value = err["input"][language]
            kind = "string_type"  # the hints of a plain text of the wrong type
            message += _yaml_hint(reading, path, kind) or f", got {_shown(value)}"
            return file.problem(path, message)
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
    if not is_key:
        message += _value_hint(reading, path, kind, err.get("input"))
    return file.problem(path, message, key=at_key)


def _value_hint(reading: Reading, path: Path, kind: str, value: Any) -> str:
    """What the wrong value was and, for a number written as authors do, how to write it."""
    hint = _yaml_hint(reading, path, kind)
    if hint:
        return hint
    if kind.endswith("_type") and not kind.startswith(("model", "dict")):
        hint = f", got {_shown(value)}"
    if kind in ("float_type", "int_type") and isinstance(value, str):
        hint += number_hint(value, integer=kind == "int_type")
    elif kind == "int_type" and isinstance(value, float) and value.is_integer():
        written = reading.raw.get(path, (_plain(value), ""))[0]
        hint = f", got {written}; write {_plain(value)} (a whole number: no exponent or point)"
    return hint


_SEPARATED = r"[0-9]{1,3}(?:(?P<sep>[,' _\u00a0\u202f])[0-9]{3})(?:(?P=sep)[0-9]{3})*"
_AUTHOR_NUMBER = re.compile(
    r"^(?P<sign>[-+]?)\s*(?P<currency>[$€£¥]?)\s*"
    rf"(?P<digits>(?:{_SEPARATED}|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)\s*"
    r"(?P<suffix>%|[kKmMbB]|bn|mn|MM)?\s*(?P<after>[$€£¥]?)$"
)
_QUOTED_NUMBER = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_SCALES = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "mn": 1e6, "MM": 1e6, "b": 1e9, "B": 1e9}
_SCALES["bn"] = 1e9


def number_hint(text: str, integer: bool = False) -> str:
    """How to write a number given as text the way people write it ('' when it is not one).

    ``4M``, ``2.5k``, ``$4,000,000``, ``4 000 000`` → "; write 4000000 (or 4e6)"; ``40%`` →
    "; write 0.40 for 40%"; a quoted number (``"250"``) → "; write the number without
    quotes". Commas and spaces count only as thousands separators (groups of three), so
    ``1,5`` gets no hint rather than a wrong one.
    """
    if _QUOTED_NUMBER.match(text.strip()):
        return "; write the number without quotes"
    found = _AUTHOR_NUMBER.match(text.strip())
    if found is None or (found["currency"] and found["after"]):
        return ""
    digits = re.sub(r"[^0-9.]", "", found["digits"])
    value = float(digits) * (-1 if found["sign"] == "-" else 1)
    suffix = found["suffix"]
    if suffix == "%":
        return f"; write {_plain(value / 100, decimals=2)} for {text.strip()}"
    value *= _SCALES.get(suffix or "", 1.0)
    if integer and not value.is_integer():
        return ""
    short = _scientific(value)
    return f"; write {_plain(value)}" + (f" (or {short})" if short else "")


def _plain(value: float, decimals: int = 0) -> str:
    """A number as a plain YAML literal: no exponent, no separators, at least ``decimals``."""
    if value.is_integer() and abs(value) < 1e15 and not decimals:
        return str(int(value))
    text = f"{value:.12f}".rstrip("0")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(decimals, '0')}" if fraction or decimals else whole


def _scientific(value: float) -> str:
    """A short exponent form (``4e6``) for a large round number, else ''."""
    if not value.is_integer() or abs(value) < 10_000:
        return ""
    mantissa, exponent = f"{value:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    if float(f"{mantissa}e{exponent}") != value:
        return ""
    return f"{mantissa}e{int(exponent)}"


def where(reading: Reading, path: Path) -> tuple[str, int, int]:
    """``path`` as authors read it, with the line and column it was written at (for lint)."""
    problem = _File("", reading).problem(path, "")
    return problem.field, problem.line, problem.col
