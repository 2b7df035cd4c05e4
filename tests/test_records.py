"""``evolve`` makes the same changed copy as ``dataclasses.replace`` for the engine's records."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from engine.organisation import initial_state
from engine.records import evolve
from tests.market_scenarios import tutorial


@dataclass(frozen=True)
class _Record:
    a: int
    b: tuple[int, ...] = ()
    c: dict[str, int] = field(default_factory=dict)


def test_evolve_equals_replace_and_leaves_the_original() -> None:
    r = _Record(1, (2,), {"k": 3})
    new = evolve(r, a=5)
    assert new == replace(r, a=5) and type(new) is _Record
    assert r.a == 1 and new is not r and new.c is r.c  # unchanged fields are shared, as replace


def test_evolve_of_an_engine_record_equals_replace() -> None:
    scenario = tutorial()
    firm = scenario.player_firms()[0]
    org = initial_state(firm, scenario.organisation)
    assert evolve(org, layoff_shock=0.5) == replace(org, layoff_shock=0.5)


def test_unknown_field_is_refused_like_replace() -> None:
    with pytest.raises(TypeError, match="has no field z"):
        evolve(_Record(1), z=2)
