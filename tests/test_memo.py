"""Per-scenario values (engine/memo.py): built once, shared, never edited by a playthrough."""

from __future__ import annotations

import gc
import json

import numpy as np
import pytest
from market_scenarios import tutorial

from engine import memo
from engine.bots import play
from engine.simulation import Simulation


def test_a_value_is_built_once_per_scenario_and_key() -> None:
    sc, other = tutorial(), tutorial()
    built: list[str] = []

    def build(tag: str) -> object:
        built.append(tag)
        return object()

    first = memo.per_scenario(sc, "k", lambda: build("a"))
    assert memo.per_scenario(sc, "k", lambda: build("b")) is first
    assert memo.per_scenario(other, "k", lambda: build("c")) is not first
    assert memo.per_scenario(sc, "j", lambda: build("d")) is not first
    assert built == ["a", "c", "d"]


def test_values_go_with_their_scenario() -> None:
    sc = tutorial()
    memo.per_scenario(sc, "k", object)
    sid = id(sc)
    assert sid in memo._KEPT
    del sc
    gc.collect()
    assert sid not in memo._KEPT


def test_shared_arrays_are_read_only() -> None:
    sim = Simulation(tutorial(), seed=3, resolution=50)
    layout = sim._layout
    for array in (*layout.attributes, *layout.ideal, *layout.weights, layout.drift):
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 0.0
    # the state has its own copies of what the simulation edits in place
    assert not any(
        np.shares_memory(p.attributes, a)
        for p, a in zip(sim.state.products, layout.attributes, strict=True)
    )
    assert not any(
        np.shares_memory(s.ideal, i) for s, i in zip(sim.state.segments, layout.ideal, strict=True)
    )


def test_playthroughs_sharing_a_scenario_equal_fresh_ones() -> None:
    """A playthrough never edits what the next one of the same scenario reads."""
    shared = tutorial()
    runs = []
    for seed in (4, 5, 4):
        sim = Simulation(shared, seed=seed, resolution=60)
        play(sim, "random", 5)
        runs.append(json.dumps([r.to_dict() for r in sim.history], sort_keys=True))
    fresh = Simulation(tutorial(), seed=4, resolution=60)
    play(fresh, "random", 5)
    assert runs[0] == runs[2] == json.dumps([r.to_dict() for r in fresh.history], sort_keys=True)
    assert runs[0] != runs[1]
