"""Roadmap execution: hidden truth, dependencies, carry-over and estimates."""

from __future__ import annotations

import numpy as np
import pytest

from engine import roadmap as rm
from engine.loader import load_scenario
from game.paths import bundled_scenarios


@pytest.fixture(scope="module")
def tutorial():
    return load_scenario(next(p for p in bundled_scenarios() if p.stem == "tutorial"))


@pytest.fixture
def backlog(tutorial):
    return {b.id: b for b in tutorial.backlog}


def _state(tutorial, seed=0):
    return rm.initial_state(tutorial, ["teamboard"], np.random.default_rng(seed))


def test_dependencies_block_shipping(tutorial, backlog):
    state = _state(tutorial)
    state, out = rm.work(state, ["slack"], 1000.0, backlog, quarter=1)
    assert out.blocked == {"slack": ["api"]} and out.shipped == []
    assert state.items["slack"].progress == 0.0 and out.idle == 1000.0
    # with its dependency earlier in the list, both ship in the same quarter
    state, out = rm.work(state, ["api", "slack"], 1000.0, backlog, quarter=1)
    assert [s.id for s in out.shipped] == ["api", "slack"]


def test_progress_carries_over_and_ships_at_true_effort(tutorial, backlog):
    state = _state(tutorial)
    true = state.items["mobile"].true_effort
    state, out = rm.work(state, ["mobile"], true * 0.6, backlog, quarter=1)
    assert out.shipped == [] and state.items["mobile"].progress == pytest.approx(true * 0.6)
    state, out = rm.work(state, ["mobile"], true * 0.5, backlog, quarter=2)
    assert [s.id for s in out.shipped] == ["mobile"]
    assert out.idle == pytest.approx(true * 0.1)
    assert state.items["mobile"].shipped == 2
    assert out.shipped[0].debt == backlog["mobile"].debt


def test_true_effort_is_lognormal_around_the_estimate(tutorial):
    ratios = [_state(tutorial, seed).items["mobile"].true_effort / 60 for seed in range(400)]
    logs = np.log(ratios)
    assert np.median(ratios) == pytest.approx(1.0, abs=0.08)
    assert np.std(logs) == pytest.approx(0.4, rel=0.15)  # effort_uncertainty of mobile


def test_true_effects_average_the_authored_effect(tutorial):
    effects = [
        _state(tutorial, s).items["onboarding"].true_effects["usability"] for s in range(400)
    ]
    assert np.mean(effects) == pytest.approx(0.08, rel=0.1)
    assert np.std(effects) / 0.08 == pytest.approx(0.5, rel=0.2)


def test_estimates_sharpen_with_pm_skill(tutorial, backlog):
    errors = {0.0: [], 1.0: []}
    for seed in range(200):
        s = _state(tutorial, seed).items["onboarding"]
        for skill in errors:
            est = rm.estimated_effects(s, backlog["onboarding"], skill)["usability"]
            errors[skill].append(abs(np.log(est / s.true_effects["usability"])))
    assert np.mean(errors[1.0]) < 0.3 * np.mean(errors[0.0])


def test_breakthrough_items_are_hidden_until_revealed(tutorial):
    state = _state(tutorial)
    assert rm.hidden_breakthroughs(state) == ["ai_planner"]
    assert "ai_planner" not in state.open_ids()
    state, new = rm.reveal(state, ["ai_planner"])
    assert new == ["ai_planner"] and "ai_planner" in state.open_ids()


def test_committed_effort_lets_only_the_last_item_spill(tutorial, backlog):
    state = _state(tutorial)
    assert rm.committed_effort(["mobile"], state, backlog, 30) == 30  # one big item: fine
    assert rm.committed_effort(["onboarding", "mobile"], state, backlog, 30) == 30
    assert rm.committed_effort(["onboarding", "gantt", "mobile"], state, backlog, 30) == 55
