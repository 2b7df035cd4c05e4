"""Events: scheduled, random pool at most once, injected by id; effects in words."""

from __future__ import annotations

import numpy as np
import pytest

from engine import events
from engine.loader import load_scenario
from game.paths import bundled_scenarios


@pytest.fixture(scope="module")
def tutorial():
    return load_scenario(next(p for p in bundled_scenarios() if p.stem == "tutorial"))


class Recorder:
    """A World that records every call."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, *args))


def test_scheduled_event_fires_in_its_quarter(tutorial):
    rng = np.random.default_rng(0)
    fired4, _ = events.due(tutorial, 4, frozenset(), [], rng)
    fired5, _ = events.due(tutorial, 5, frozenset(), [], np.random.default_rng(0))
    assert "rival_sso" not in [e.id for e in fired4]
    assert "rival_sso" in [e.id for e in fired5]


def test_random_pool_respects_window_probability_and_once(tutorial):
    hits = 0
    for seed in range(2000):
        due, _ = events.due(tutorial, 2, frozenset(), [], np.random.default_rng(seed))
        ids = [e.id for e in due]
        assert "recession" not in ids  # earliest: 4
        hits += "key_engineer_leaves" in ids
    assert hits / 2000 == pytest.approx(0.06, abs=0.015)
    for seed in range(200):
        due, _ = events.due(tutorial, 6, frozenset({"recession"}), [], np.random.default_rng(seed))
        assert "recession" not in [e.id for e in due]


def test_injected_event_and_unknown_id(tutorial):
    due, fired = events.due(tutorial, 3, frozenset(), ["outage"], np.random.default_rng(0))
    assert "outage" in [e.id for e in due] and "outage" in fired
    with pytest.raises(KeyError, match="unknown event 'nope'"):
        events.due(tutorial, 3, frozenset(), ["nope"], np.random.default_rng(0))


def test_effects_apply_in_order_with_descriptions(tutorial):
    world = Recorder()
    outage = next(e for e in tutorial.events if e.id == "outage")
    text = events.apply(outage, world, tutorial)
    assert world.calls == [
        ("product_quality", "teamboard", -0.08),
        ("tech_debt", "player", "teamboard", 15),
    ]
    assert text == [
        "Teamboard: quality -0.08",
        "Teamboard Inc. (Teamboard): technical debt +15 points",
    ]
    recession = next(e for e in tutorial.events if e.id == "recession")
    assert events.apply(recession, Recorder(), tutorial) == [
        "Small businesses: price sensitivity +15%",
        "Small businesses: growth -2% points per quarter",
    ]


def test_describe_says_what_apply_would_do_without_doing_it(tutorial):
    """The deck's words are apply's words; nothing is applied; a firm may be renamed."""
    for event in tutorial.events:
        world = Recorder()
        lines = events.describe(event, tutorial)
        assert world.calls == []
        assert lines == events.apply(event, world, tutorial)
        assert len(world.calls) == len(lines)
    viral = next(e for e in tutorial.events if e.id == "viral_post")
    assert events.describe(viral, tutorial) == [
        "Teamboard: awareness in Small businesses +15 points"
    ]
    leaves = next(e for e in tutorial.events if e.id == "key_engineer_leaves")
    assert events.describe(leaves, tutorial, {"player": "Each team"}) == [
        "Each team (Teamboard): -1 engineer",
        "Each team: morale -0.05",
    ]


def test_cash_effects_read_in_the_scenario_currency(tutorial):
    from engine.scenario import Cash, Event

    bonus = Event(
        id="grant", title="A grant", effects=[Cash(type="cash", firm="all", change=50_000)]
    )
    lines = events.describe(bonus, tutorial)
    assert lines[0] == "Teamboard Inc.: cash +$50,000"
    assert len(lines) == len(tutorial.firms)
