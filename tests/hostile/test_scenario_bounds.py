"""Hostile scenarios: every number at and inside its bounds either is refused or plays finitely.

Hypothesis mutates numeric fields of bundled scenarios (the tutorial as PM, the portfolio as
CPO) to values at and inside the bounds the models declare (the minimum, the maximum, tiny and
huge values, random ones). Any scenario that still validates must play every bot for two
quarters with every KPI finite and no exception. A deterministic test pins the cases the
hardening issue named: each is now refused by the loader with a message naming its field.
"""

from __future__ import annotations

import copy
import math
import types
import typing
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import annotated_types as at
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from engine.bots import BOTS, play
from engine.loader import ScenarioError, load_scenario_text
from engine.scenario import Scenario, reference_problems
from engine.simulation import Simulation
from engine.yaml_positions import read_yaml
from game.paths import bundled_scenarios_dir

Loc = tuple[str | int, ...]
RESOLUTION = 30
QUARTERS = 2
CASES = (("tutorial", "pm"), ("portfolio", "cpo"))


# --------------------------------------------------------------------------- the fields


@dataclass(frozen=True)
class NumericField:
    """One number in a scenario's data: where it is, whether it is an int, and its bounds."""

    loc: Loc
    integer: bool
    low: float
    high: float


def _bounds(metadata: list[Any]) -> tuple[float, float]:
    """The (low, high) bounds a field's constraints declare; infinite when missing."""
    low, high = -math.inf, math.inf
    for m in metadata:
        if isinstance(m, at.Ge):
            low = float(m.ge)
        elif isinstance(m, at.Gt):
            low = math.nextafter(float(m.gt), math.inf)
        elif isinstance(m, at.Le):
            high = float(m.le)
        elif isinstance(m, at.Lt):
            high = math.nextafter(float(m.lt), -math.inf)
    return low, high


def _strip(tp: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """Unwrap Annotated and Optional, collecting the constraints on the way."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            base, *extra = typing.get_args(tp)
            tp = base
            metadata = [*metadata, *extra]
            for m in extra:
                metadata.extend(getattr(m, "metadata", []))
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(options) != 1:
                return tp, metadata
            tp = options[0]
        else:
            return tp, metadata


def _model_for(tp: Any, value: dict[str, Any]) -> type[BaseModel] | None:
    """The model a mapping validates as (for a discriminated union: the one its tag names)."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for option in typing.get_args(tp):
        option, _ = _strip(option, [])
        if not (isinstance(option, type) and issubclass(option, BaseModel)):
            continue
        for tag in ("archetype", "type"):
            field = option.model_fields.get(tag)
            if field is not None and value.get(tag) in typing.get_args(field.annotation):
                return option
    return None


def numeric_fields(
    data: Any, tp: Any, loc: Loc = (), metadata: list[Any] | None = None
) -> Iterator[NumericField]:
    """Every int or float in ``data`` (plain data of type ``tp``) with its declared bounds."""
    tp, metadata = _strip(tp, list(metadata or []))
    if isinstance(data, bool) or typing.get_origin(tp) is typing.Literal:
        return  # a Literal (the file format) is bounded by its choices
    if isinstance(data, int | float):
        yield NumericField(loc, tp is int, *_bounds(metadata))
    elif isinstance(data, dict):
        model = _model_for(tp, data)
        if model is not None:
            for key, value in data.items():
                field = model.model_fields[key]
                yield from numeric_fields(value, field.annotation, (*loc, key), field.metadata)
        elif typing.get_origin(tp) is dict:
            for key, value in data.items():
                yield from numeric_fields(value, typing.get_args(tp)[1], (*loc, key))
    elif isinstance(data, list) and typing.get_origin(tp) is list:
        for i, value in enumerate(data):
            yield from numeric_fields(value, typing.get_args(tp)[0], (*loc, i))


def _data(name: str) -> dict[str, Any]:
    """A bundled scenario as the plain data the loader reads."""
    text = (bundled_scenarios_dir() / f"{name}.yaml").read_text(encoding="utf-8")
    return read_yaml(text).data


DATA = {name: _data(name) for name, _ in CASES}
FIELDS = {name: list(numeric_fields(data, Scenario)) for name, data in DATA.items()}


def _set(data: dict[str, Any], loc: Loc, value: float) -> None:
    for key in loc[:-1]:
        data = data[key]
    data[loc[-1]] = value


# --------------------------------------------------------------------------- playing


def _finite_play(scenario: Scenario, role: str) -> None:
    """Play every bot for two quarters; every KPI and the score must be finite."""
    player = scenario.player_firms()[0].id
    for bot in sorted(BOTS):
        sim = Simulation(scenario, role=role, resolution=RESOLUTION, explain=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # the KPIs are what must be finite
            reports = play(sim, bot, QUARTERS)
            score = sim.scorecard(player)["score"]
        values = {"score": score}
        for report in reports:
            for firm in report.firms.values():
                for kpi in ("revenue", "profit", "cash", "customers", "share"):
                    values[f"Q{report.quarter} {firm.id} {kpi}"] = getattr(firm, kpi)
                for kpi in ("satisfaction", "nps"):
                    values[f"Q{report.quarter} {firm.id} {kpi}"] = getattr(firm, kpi)
            for product in report.products.values():
                for kpi in ("price", "revenue", "customers", "satisfaction"):
                    values[f"Q{report.quarter} {product.id} {kpi}"] = getattr(product, kpi)
        bad = {k: v for k, v in values.items() if not math.isfinite(v)}
        assert not bad, f"bot {bot}: not finite: {bad}"


def _validated(data: dict[str, Any]) -> Scenario | None:
    """The scenario when it passes every check the loader makes, else None."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError:
        return None
    return None if reference_problems(scenario) else scenario


# --------------------------------------------------------------------------- strategies

TINY = (5e-324, 1e-300, 1e-12, 1e-6, 1e-3)
HUGE = (1e3, 1e6, 1e9, 1e12)


def values(field: NumericField) -> st.SearchStrategy[float]:
    """Values at and inside a field's bounds: the edges, tiny and huge ones, random ones."""
    low, high = field.low, field.high
    if field.integer:
        return st.one_of(st.sampled_from([int(low), int(high)]), st.integers(int(low), int(high)))
    special = [low, high, math.nextafter(low, high), math.nextafter(high, low)]
    special += [v for t in (*TINY, *HUGE) for v in (t, -t) if low <= v <= high]
    return st.one_of(
        st.sampled_from(sorted(set(special))),
        st.floats(low, high, allow_nan=False, allow_infinity=False),
    )


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("name", [name for name, _ in CASES])
def test_every_numeric_field_has_finite_bounds(name: str) -> None:
    """Every number an author writes has a lower and an upper bound."""
    unbounded = [
        ".".join(map(str, f.loc))
        for f in FIELDS[name]
        if not (math.isfinite(f.low) and math.isfinite(f.high))
    ]
    assert not unbounded


@pytest.mark.parametrize(("name", "role"), CASES)
@SETTINGS
@given(draw=st.data())
def test_mutated_scenarios_are_refused_or_play_finitely(
    name: str, role: str, draw: st.DataObject
) -> None:
    """One to three numbers at and inside their bounds: refused, or every bot plays finitely."""
    fields = FIELDS[name]
    picked = draw.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3), label="fields")
    data = copy.deepcopy(DATA[name])
    for field in picked:
        value = draw.draw(values(field), label=".".join(map(str, field.loc)))
        _set(data, field.loc, value)
    scenario = _validated(data)
    if scenario is not None:
        _finite_play(scenario, role)


@pytest.mark.parametrize(("name", "role"), CASES)
@pytest.mark.parametrize("edge", ["low", "high"])
def test_every_field_at_one_edge_is_refused_or_plays_finitely(
    name: str, role: str, edge: str
) -> None:
    """Every number of a scenario at its minimum (or maximum) at once."""
    data = copy.deepcopy(DATA[name])
    for field in FIELDS[name]:
        _set(data, field.loc, int(getattr(field, edge)) if field.integer else getattr(field, edge))
    scenario = _validated(data)
    if scenario is not None:
        _finite_play(scenario, role)


def _load(changes: dict[Loc, float]) -> Scenario:
    """The tutorial with ``changes`` applied, through the loader (YAML text in)."""
    data = copy.deepcopy(DATA["tutorial"])
    for loc, value in changes.items():
        _set(data, loc, value)
    return load_scenario_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "t.yaml")


@pytest.mark.parametrize(
    ("loc", "value", "field", "message"),
    [
        (
            ("research", 0, "noise"),
            1e-300,
            "research[interviews].noise",
            "greater than or equal to 0.001",
        ),
        (
            ("segments", 0, "reference_price"),
            5e-324,
            "segments[smb].reference_price",
            "greater than or equal to 0.01",
        ),
        (
            ("firms", 1, "products", 0, "price"),
            5e-324,
            "firms[planly].products[planly].price",
            "greater than or equal to 0.01",
        ),
        (
            ("advertising", "reach"),
            5e-324,
            "advertising.reach",
            "greater than or equal to 0.000001",
        ),
        (
            ("advertising", "reach"),
            1e-6,
            "advertising.reach",
            "of marketing a quarter to keep its starting awareness",
        ),
        (
            ("firms", 0, "products", 0, "price"),
            1e-12,
            "firms[player].products[teamboard].price",
            "greater than or equal to 0.01",
        ),
    ],
)
def test_the_issue_cases_are_refused_with_their_field(
    loc: Loc, value: float, field: str, message: str
) -> None:
    """The hardening issue's crashes are refused by the loader, naming the field."""
    with pytest.raises(ScenarioError) as caught:
        _load({loc: value})
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1, problems
    assert f": {field}: " in problems[0] and message in problems[0], problems


def test_the_smallest_prices_play_every_bot() -> None:
    """A player price and a reference price of one cent play finitely (bots never post 0)."""
    scenario = _load({("firms", 0, "products", 0, "price"): 0.01})
    _finite_play(scenario, "pm")
    scenario = _load({("segments", 0, "reference_price"): 0.01, ("research", 0, "noise"): 1e-3})
    _finite_play(scenario, "pm")
