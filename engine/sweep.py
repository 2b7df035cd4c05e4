"""Parameter sweeps for the balance lab: parse ``PATH=VALUES``, build and check every variant.

A sweep names a field of the validated scenario the way the loader's messages do (list
entries by id in brackets, else by position from 0, fields joined by dots:
``segments[smb].price_sensitivity``, ``firms[planly].ai.marketing``) and the values to try:
a comma list (``2,3,4``, ``incumbent,price_follower``, ``true,false``) or an inclusive linear
range ``START:STOP:COUNT`` (``20000:60000:3``). Values take the type of the field (an integer
field only takes whole numbers, a range on it stays integer).

Paths are resolved on the scenario *as the game plays it*: ``extends`` resolved and defaults
filled in, i.e. :meth:`Scenario.model_dump`, which the loader reads back to the same
scenario. Every combination of the values (the grid) is one variant: the scenario's data with
those values set, validated as the loader validates a file (:func:`check_variants`) before
anything is played. Pure: no I/O, no processes (those are in ``game/balance_backends.py``).
"""

from __future__ import annotations

import copy
import difflib
import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.balance import BalanceReport
from engine.loader import Problem, ScenarioError, field_name, load_scenario_text, number_hint
from engine.scenario import Scenario, reference_problems

MAX_PARAMETERS = 4
"""Swept fields at most: a grid over more is unreadable, and its size explodes."""
MAX_VALUES = 100
"""Values per swept field at most (a list, or a range's COUNT)."""
MAX_COMBINATIONS = 10_000
"""Variants (the product of the value counts) at most."""
MAX_PLAYTHROUGHS = 5_000_000
"""Combinations × bots × seeds at most: about 14 CPU-hours at 10 ms a playthrough."""
MAX_ARGUMENT = 4_000
"""Characters in one ``--sweep`` argument at most."""
MAX_WORD = 100
"""Characters in one text value at most."""
MAX_NUMBER = 1e15
"""Largest magnitude of a swept number (the scenario's own bounds are checked after)."""

Scalar = bool | int | float | str | None
Step = str | int
"""One step of a resolved path: a mapping key or a list position."""
Assignment = tuple[tuple[Step, ...], Scalar]
"""A resolved path and the value one variant gives it."""

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_PATH = re.compile(rf"^{_NAME}(?:\[[^\[\]]+\])*(?:\.{_NAME}(?:\[[^\[\]]+\])*)*$")
_TOKEN = re.compile(rf"\[(?P<sel>[^\[\]]+)\]|\.?(?P<key>{_NAME})")
_NUMBER = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_BOOLS = {"true": True, "false": False, "yes": True, "no": False}
_EXAMPLE = "e.g. segments[smb].price_sensitivity=2,3,4 or firms[planly].ai.marketing=2e4:6e4:3"


class SweepError(Exception):
    """A sweep that cannot run; ``problems`` lists every reason found, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Spec:
    """A ``--sweep`` argument as written: the path and the values (a list, or a range)."""

    path: str
    items: tuple[str, ...] = ()
    range: tuple[float, float, int] | None = None  # START, STOP, COUNT


@dataclass(frozen=True)
class Parameter:
    """A swept field: its name as the loader writes it, its path and its typed values."""

    name: str
    path: tuple[Step, ...]
    values: tuple[Scalar, ...]


def parse(argument: str) -> Spec:
    """``PATH=VALUES`` split and checked for syntax; :class:`SweepError` says what is wrong."""
    if len(argument) > MAX_ARGUMENT:
        raise SweepError([f"a --sweep argument is at most {MAX_ARGUMENT} characters"])
    path, eq, values = (part.strip() for part in argument.partition("="))
    if not eq or not path or not values:
        raise SweepError([f"--sweep '{argument}' is not PATH=VALUES ({_EXAMPLE})"])
    if not _PATH.match(path):
        raise SweepError(
            [
                f"--sweep path '{path}' is not fields joined by dots with list entries in "
                f"brackets ({_EXAMPLE})"
            ]
        )
    if ":" in values:
        if values.count(":") != 2 or "," in values:
            raise SweepError([f"{path}: a range is START:STOP:COUNT (e.g. 2:4:3), not '{values}'"])
        return Spec(path, range=_range(path, values))
    items = tuple(v.strip() for v in values.split(","))
    if "" in items:
        raise SweepError([f"{path}: an empty value in '{values}' (values are comma-separated)"])
    if len(items) > MAX_VALUES:
        raise SweepError([f"{path}: {len(items)} values; at most {MAX_VALUES}"])
    return Spec(path, items=items)


def _range(path: str, text: str) -> tuple[float, float, int]:
    """START:STOP:COUNT as numbers, COUNT a whole number from 2 to MAX_VALUES."""
    start, stop, count = (p.strip() for p in text.split(":"))
    for part in (start, stop):
        if not _finite(part):
            raise SweepError(
                [
                    f"{path}: range '{text}' needs numbers START:STOP:COUNT (within ±1e15), "
                    f"not '{part}'"
                ]
            )
    if not count.isdigit() or not 2 <= int(count) <= MAX_VALUES:
        raise SweepError(
            [f"{path}: range '{text}': COUNT must be a whole number from 2 to {MAX_VALUES}"]
        )
    if float(start) == float(stop):
        raise SweepError([f"{path}: range '{text}' starts and stops at the same value"])
    return float(start), float(stop), int(count)


def _finite(text: str) -> bool:
    """A plain number within ±MAX_NUMBER (no nan, inf or 300-digit seeds)."""
    return bool(_NUMBER.match(text)) and abs(float(text)) <= MAX_NUMBER


# --------------------------------------------------------------------------- paths


def resolve(scenario: Scenario, specs: Sequence[Spec]) -> list[Parameter]:
    """Each spec's field found in ``scenario`` and its values typed; every problem at once."""
    if len(specs) > MAX_PARAMETERS:
        raise SweepError([f"{len(specs)} --sweep fields; at most {MAX_PARAMETERS}"])
    data = scenario.model_dump(mode="json")
    found, problems = [], []
    for spec in specs:
        try:
            path, current = _walk(scenario, data, spec.path)
            name = field_name(data, path)
            found.append(Parameter(name, path, _values(name, spec, current)))
        except SweepError as exc:
            problems += exc.problems
    names = [p.name for p in found]
    problems += [f"{n}: swept twice; give all its values in one --sweep" for n in _twice(names)]
    if problems:
        raise SweepError(problems)
    return found


def _twice(items: Sequence[Any]) -> list[Any]:
    return sorted({x for x in items if items.count(x) > 1}, key=str)


def _walk(scenario: Scenario, data: Any, text: str) -> tuple[tuple[Step, ...], Any]:
    """The path ``text`` names in ``data`` (walked beside the models) and its value there."""
    node, model = data, scenario
    path: list[Step] = []
    for match in _TOKEN.finditer(text):
        here = field_name(data, tuple(path)) or "the scenario"
        key, sel = match["key"], match["sel"]
        if key is not None:
            if not isinstance(node, dict):
                raise SweepError([f"{text}: no such field: {here} has no field '{key}'"])
            choices = list(type(model).model_fields) if isinstance(model, BaseModel) else []
            choices = choices or list(node)
            if key not in node:
                raise SweepError([f"{text}: no such field '{key}' in {here}{_hint(key, choices)}"])
            node = node[key]
            model = getattr(model, key) if isinstance(model, BaseModel) else None
            path.append(key)
        else:
            index = _entry(text, here, node, sel.strip())
            node = node[index]
            model = model[index] if isinstance(model, list) else None
            path.append(index)
    if isinstance(node, dict | list):
        if isinstance(node, list):
            raise SweepError([f"{text}: is a list, not a single value; sweep one of its entries"])
        fields = ", ".join(list(node)[:12]) + (", ..." if len(node) > 12 else "")
        raise SweepError([f"{text}: is not a single value; sweep one of its fields: {fields}"])
    return tuple(path), node


def _entry(text: str, here: str, node: Any, selector: str) -> int:
    """The position of ``[selector]`` (an id, or a position from 0) in the list ``node``."""
    if not isinstance(node, list):
        raise SweepError([f"{text}: {here} is not a list; [{selector}] names a list entry"])
    if selector.isdigit():
        if int(selector) >= len(node):
            raise SweepError([f"{text}: no entry [{selector}] in {here} ({len(node)} entries)"])
        return int(selector)
    ids = [e.get("id") if isinstance(e, dict) else None for e in node]
    if ids.count(selector) == 1:
        return ids.index(selector)
    if ids.count(selector) > 1:
        raise SweepError([f"{text}: several entries of {here} have id '{selector}'"])
    named = [i for i in ids if isinstance(i, str)]
    hint = _hint(selector, named) if named else " (its entries have no ids: use [0], [1], ...)"
    raise SweepError([f"{text}: no id '{selector}' in {here}{hint}"])


def _hint(word: str, choices: Sequence[str]) -> str:
    """'(did you mean X?)' for a close choice, else the first few choices."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    shown = ", ".join(list(choices)[:12]) + (", ..." if len(choices) > 12 else "")
    return f"; one of: {shown}" if shown else ""


# --------------------------------------------------------------------------- values


def _values(name: str, spec: Spec, current: Any) -> tuple[Scalar, ...]:
    """The spec's values typed like the field's current value (any type when it is unset)."""
    kind = type(current)
    if spec.range is not None:
        if kind in (bool, str):
            raise SweepError([f"{name}: takes {_kind(current)}, not a range of numbers"])
        start, stop, count = spec.range
        values = [float(f"{start + (stop - start) * i / (count - 1):.12g}") for i in range(count)]
        whole = kind is int or (current is None and start.is_integer() and stop.is_integer())
        if whole:
            if not all(v.is_integer() for v in values):
                raise SweepError(
                    [
                        f"{name}: takes whole numbers; the range {start:g}:{stop:g}:{count} "
                        "has steps between them: choose a COUNT that gives whole steps"
                    ]
                )
            return tuple(int(v) for v in values)
        return tuple(values)
    typed = [_typed(name, item, current) for item in spec.items]
    problems = [f"{name}: value {show(v)} is listed twice" for v in _twice(typed)]
    if problems:
        raise SweepError(problems)
    return tuple(typed)


def _typed(name: str, item: str, current: Any) -> Scalar:
    """One written value as the field's type: a bool, a whole number, a number or text."""
    if isinstance(current, bool):
        if item.lower() not in _BOOLS:
            raise SweepError([f"{name}: takes true or false, not '{item}'"])
        return _BOOLS[item.lower()]
    if isinstance(current, int | float):
        if not _finite(item):
            hint = number_hint(item, integer=isinstance(current, int))
            raise SweepError([f"{name}: takes {_kind(current)}, not '{item}'{hint}"])
        number = float(item)
        if isinstance(current, int):
            if not number.is_integer():
                raise SweepError([f"{name}: takes a whole number, not '{item}'"])
            return int(number)
        return number
    if isinstance(current, str) or not (_finite(item) or item.lower() in _BOOLS):
        if len(item) > MAX_WORD:
            raise SweepError([f"{name}: a value is at most {MAX_WORD} characters"])
        return item
    if item.lower() in _BOOLS:
        return _BOOLS[item.lower()]
    return int(item) if re.match(r"^[-+]?[0-9]+$", item) else float(item)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    return "a number" if isinstance(value, float) else "text"


def show(value: Scalar) -> str:
    """A value as written on the command line: 3, 0.25, 40000, true, incumbent."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return "null" if value is None else str(value)


# --------------------------------------------------------------------------- the grid


def grid(parameters: Sequence[Parameter]) -> list[tuple[Scalar, ...]]:
    """Every combination of the parameters' values, the last parameter varying fastest."""
    size = math.prod(len(p.values) for p in parameters)
    if size > MAX_COMBINATIONS:
        counts = " × ".join(str(len(p.values)) for p in parameters)
        raise SweepError(
            [f"{counts} = {size} combinations; at most {MAX_COMBINATIONS}: sweep fewer values"]
        )
    return list(itertools.product(*(p.values for p in parameters)))


def assignments(
    parameters: Sequence[Parameter], combination: Sequence[Scalar]
) -> tuple[Assignment, ...]:
    """The (path, value) pairs one combination sets."""
    return tuple((p.path, v) for p, v in zip(parameters, combination, strict=True))


def label(parameters: Sequence[Parameter], combination: Sequence[Scalar]) -> str:
    """A combination as ``name=value`` pairs: ``segments[smb].price_sensitivity=3, ...``."""
    return ", ".join(f"{p.name}={show(v)}" for p, v in zip(parameters, combination, strict=True))


def apply(data: dict[str, Any], sets: Sequence[Assignment]) -> dict[str, Any]:
    """A deep copy of scenario ``data`` with each path set to its value."""
    out = copy.deepcopy(data)
    for path, value in sets:
        node: Any = out
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
    return out


def variant(scenario: Scenario, sets: Sequence[Assignment]) -> Scenario:
    """``scenario`` with the values set (itself when there are none); ValidationError if not
    valid. The same scenario the loader makes of the variant (see :func:`check_variants`)."""
    if not sets:
        return scenario
    return Scenario.model_validate(apply(scenario.model_dump(mode="json"), sets))


def check_variants(
    scenario: Scenario,
    parameters: Sequence[Parameter],
    combinations: Sequence[Sequence[Scalar]],
) -> list[str]:
    """Every problem of every variant, each naming the values that cause it.

    A variant the models accept with no broken cross-reference is valid: that is what the
    loader checks of data without YAML quirks, and the scenario :func:`variant` (so every
    worker) makes of it. Any other goes through the loader itself for its messages. A
    problem at or under a swept field (else beside it, in the same mapping) names that
    field's value only, and is reported once; any other names the combination. Nothing is
    kept: a variant is about 90 kB and a sweep may have 10 000.
    """
    data = scenario.model_dump(mode="json")
    problems: dict[str, None] = {}
    for combination in combinations:
        candidate = apply(data, assignments(parameters, combination))
        try:
            if not reference_problems(Scenario.model_validate(candidate)):
                continue
        except ValidationError:
            pass
        for problem in _loader_problems(candidate):
            own = [i for i, p in enumerate(parameters) if _under(problem.field, p.name)]
            own = own or [
                i
                for i, p in enumerate(parameters)
                if "." in p.name and _under(problem.field, p.name.rsplit(".", 1)[0])
            ]
            named = label(
                [parameters[i] for i in own] or parameters,
                [combination[i] for i in own] or combination,
            )
            where = f"{problem.field}: " if problem.field else ""
            problems[f"{named}: {where}{problem.message}"] = None
    return list(problems)


def seed(scenario: Scenario, sets: Sequence[Assignment]) -> int:
    """The ``seed`` of a variant: the swept one, else the scenario's."""
    value = dict(sets).get(("seed",), scenario.seed)
    return value if isinstance(value, int) else scenario.seed


def _loader_problems(data: dict[str, Any]) -> list[Problem]:
    """What the loader finds in scenario ``data`` (none when it loads)."""
    try:
        load_scenario_text(json.dumps(data, allow_nan=False), "variant")
    except ScenarioError as exc:
        return exc.problems
    return []


def _under(field: str, name: str) -> bool:
    """Whether the loader's ``field`` is the swept field ``name`` or inside it."""
    return field == name or field.startswith((f"{name}.", f"{name}["))


def summary(report: BalanceReport) -> dict[str, Any]:
    """The headline figures of one combination's balance report (engine.balance)."""
    means = {b.bot: b.score.mean for b in report.bots}
    best = report.bots[0]
    return {
        "best": report.best,
        "gap_random": report.random_gap,
        "gap_hold": None if "hold" not in means else best.score.mean - means["hold"],
        "runaway": report.runaway["rate"],
        "luck": report.variance["luck"],
        "warnings": len(report.warnings),
    }
