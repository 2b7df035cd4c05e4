"""Organisation mechanics: each test shows a direction and a size."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import organisation as org
from engine.loader import load_scenario
from game.paths import bundled_scenarios


@pytest.fixture(scope="module")
def tutorial():
    return load_scenario(next(p for p in bundled_scenarios() if p.stem == "tutorial"))


@pytest.fixture
def start(tutorial):
    firm = tutorial.player_firms()[0]
    return org.initial_state(firm, tutorial.organisation)


def _quarter(state, params, *, feature_ask, split=(0.7, 0.2, 0.1), shipped=1, seed=0, q=1):
    """One quarter for the teamboard line with a given roadmap load."""
    team = state.teams["teamboard"]
    alloc = org.allocate(team, state.culture, split, feature_ask, 0.0, params)
    work = {"teamboard": org.TeamWork(alloc, shipped=shipped, debt_share=split[1])}
    return org.end_quarter(state, work, q, False, params, np.random.default_rng(seed))


def test_capacity_closed_form(start, tutorial):
    p = tutorial.organisation
    team = start.teams["teamboard"]
    expected = 10 * p.productivity * np.sqrt(0.7) * 0.6 * (1 - p.brooks * 10)
    assert org.capacity(team, start.culture, p) == pytest.approx(expected)
    # a new hire counts half
    hired, _ = org.staff(start, {"teamboard": (2, 0)}, p)
    bigger = org.capacity(hired.teams["teamboard"], hired.culture, p)
    assert bigger == pytest.approx(11 * p.productivity * np.sqrt(0.7) * 0.6 * (1 - p.brooks * 12))


def test_three_quarters_over_capacity_lower_morale_and_raise_attrition(start, tutorial):
    p = tutorial.organisation
    cap = org.feature_points(start.teams["teamboard"], start.culture, 0.7, p)
    calm, busy = start, start
    for q in (1, 2, 3):
        calm, _ = _quarter(calm, p, feature_ask=cap, q=q)
        busy, _ = _quarter(busy, p, feature_ask=2 * cap, q=q)
    drop = calm.culture["morale"] - busy.culture["morale"]
    assert drop > 0.1  # twice the work for three quarters costs > 0.1 morale
    ratio = org.attrition_rate(busy.culture["morale"], p) / org.attrition_rate(
        calm.culture["morale"], p
    )
    assert ratio == pytest.approx(np.exp(p.attrition_gamma * drop))
    assert ratio > 1.5
    # ... and more debt: crunch code
    assert busy.teams["teamboard"].tech_debt > calm.teams["teamboard"].tech_debt + 5


def test_attrition_is_binomial_at_the_stated_rate(start, tutorial):
    p = tutorial.organisation
    big = replace(start, teams={"teamboard": replace(start.teams["teamboard"], experienced=2000)})
    rate = org.attrition_rate(0.3, p)
    big = org.shift_culture(big, "morale", 0.3 - big.culture["morale"])
    leavers = []
    for seed in range(20):
        team = big.teams["teamboard"]
        # morale after end_quarter moves; measure the draw at the post-update morale
        _, out = _quarter(big, p, feature_ask=0.0, seed=seed)
        leavers.append(out.leavers["teamboard"] / team.headcount / out.attrition_rate)
    assert np.mean(leavers) == pytest.approx(1.0, abs=0.05)
    assert rate > p.attrition_base  # low morale → more than the 3.5% base


def test_debt_paydown_raises_delivery(start, tutorial):
    p = tutorial.organisation
    heavy = replace(start, teams={"teamboard": replace(start.teams["teamboard"], tech_debt=120)})
    paid, lazy = heavy, heavy
    for q in (1, 2, 3):
        paid, _ = _quarter(paid, p, feature_ask=0.0, split=(0.5, 0.5, 0.0), q=q, shipped=0)
        lazy, _ = _quarter(lazy, p, feature_ask=0.0, split=(1.0, 0.0, 0.0), q=q, shipped=0)
    f_paid = org.feature_points(paid.teams["teamboard"], paid.culture, 1.0, p)
    f_lazy = org.feature_points(lazy.teams["teamboard"], lazy.culture, 1.0, p)
    assert paid.teams["teamboard"].tech_debt < 60 < lazy.teams["teamboard"].tech_debt
    assert f_paid / f_lazy > 1.3  # g = 1/(1 + D/D50) recovers
    assert org.debt_factor(60, p) == pytest.approx(0.5)


def test_initiative_lands_after_its_delay_not_before(start, tutorial):
    p = tutorial.organisation
    training = next(i for i in tutorial.initiatives if i.id == "discovery_training")
    postmortems = next(i for i in tutorial.initiatives if i.id == "blameless_postmortems")
    state, cost, effort = org.start_initiatives(start, [postmortems], quarter=1)
    assert cost == postmortems.cost and effort == postmortems.effort
    before = start.culture["safety"]
    state, out = _quarter(state, p, feature_ask=0.0, q=1)
    assert state.culture["safety"] == before and out.landed == []
    state, out = _quarter(state, p, feature_ask=0.0, q=2)
    assert state.culture["safety"] == before and out.landed == []
    state, out = _quarter(state, p, feature_ask=0.0, q=3)
    assert out.landed == ["blameless_postmortems"]
    assert state.culture["safety"] == pytest.approx(before + 0.12)
    assert training.delay == 1


def test_layoffs_cut_cost_now_and_morale_for_longer(start, tutorial):
    p = tutorial.organisation
    cut, out = org.staff(start, {"teamboard": (0, 3)}, p)
    assert out.cost == 3 * p.severance
    # payroll falls at once: this quarter's saving already covers most of the severance
    saving = org.salary_cost(start, p) - org.salary_cost(cut, p)
    assert saving == 3 * p.salary
    kept = start
    gaps = []
    for q in range(1, 6):
        kept, _ = _quarter(kept, p, feature_ask=0.0, q=q, seed=q)
        cut, _ = _quarter(cut, p, feature_ask=0.0, q=q, seed=q)
        gaps.append(kept.culture["morale"] - cut.culture["morale"])
    assert all(g > 0.02 for g in gaps[:4])  # the hit lasts at least four quarters
    assert gaps[0] > 0.08
    assert cut.culture["safety"] < kept.culture["safety"]


def test_hiring_freeze_stops_backfill(start, tutorial):
    p = tutorial.organisation
    low = org.shift_culture(start, "morale", -0.5)
    team = low.teams["teamboard"]
    work = {"teamboard": org.TeamWork(org.allocate(team, low.culture, (1, 0, 0), 0, 0, p))}
    for seed in range(50):
        frozen, out_f = org.end_quarter(low, work, 1, True, p, np.random.default_rng(seed))
        if out_f.leavers:
            break
    open_, out_o = org.end_quarter(low, work, 1, False, p, np.random.default_rng(seed))
    assert out_f.leavers == out_o.leavers and sum(out_f.leavers.values()) > 0
    assert frozen.headcount == low.headcount - sum(out_f.leavers.values())
    assert open_.headcount == low.headcount
    assert out_o.hiring_cost == sum(out_o.leavers.values()) * p.hiring_cost


def test_new_hires_assimilate_after_the_delay(start, tutorial):
    p = tutorial.organisation
    state, _ = org.staff(start, {"teamboard": (4, 0)}, p)
    assert state.teams["teamboard"].new_hires == 4
    zero = p.model_copy(update={"attrition_base": 0.0})
    for q in (1, 2):
        assert state.teams["teamboard"].new_hires == 4
        state, _ = _quarter(state, zero, feature_ask=0.0, q=q)
    assert state.teams["teamboard"].new_hires == 0
    assert state.teams["teamboard"].experienced == 14


def test_breakthrough_rate_scales_with_innovation_safety_capability(start, tutorial):
    p = tutorial.organisation
    base = org.breakthrough_rate(start.culture, p)
    bold = org.shift_culture(org.shift_culture(start, "innovation", 0.3), "safety", 0.3)
    assert org.breakthrough_rate(bold.culture, p) / base == pytest.approx((0.8 / 0.5) * (0.9 / 0.6))
    draws = [_quarter(bold, p, feature_ask=0.0, seed=s)[1].breakthroughs for s in range(200)]
    assert np.mean(draws) == pytest.approx(org.breakthrough_rate(bold.culture, p), rel=0.25)


def test_layoffs_in_the_simulation_cut_payroll_now_and_morale_for_quarters(tutorial):
    from engine.decisions import Decisions, ProductDecision
    from engine.simulation import Simulation

    def run(layoffs):
        sim = Simulation(tutorial, seed=3, role="pm", resolution=40)
        first = {"player": Decisions(products={"teamboard": ProductDecision(layoffs=layoffs)})}
        reports = [sim.step(first)] + [sim.step({}) for _ in range(3)]
        return reports

    kept, cut = run(0), run(3)
    p = tutorial.organisation
    assert cut[0].firms["player"].costs["severance"] == 3 * p.severance
    assert kept[0].firms["player"].costs["payroll"] - cut[0].firms["player"].costs["payroll"] == (
        3 * p.salary
    )
    gaps = [
        k.organisation["player"].morale - c.organisation["player"].morale
        for k, c in zip(kept, cut, strict=True)
    ]
    assert all(g > 0.02 for g in gaps), gaps


@settings(max_examples=60, deadline=None)
@given(
    quarters=st.lists(
        st.tuples(
            st.integers(0, 5),  # hires
            st.integers(0, 12),  # layoffs (clipped to headcount here, as the check demands)
            st.floats(0, 1),  # features share
            st.floats(0, 1),  # debt share of the rest
            st.floats(0, 300),  # feature points asked
            st.booleans(),  # hiring freeze
        ),
        min_size=1,
        max_size=8,
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_organisation_stays_in_range(quarters, seed):
    sc = load_scenario(next(p for p in bundled_scenarios() if p.stem == "tutorial"))
    p = sc.organisation
    state = org.initial_state(sc.player_firms()[0], p)
    rng = np.random.default_rng(seed)
    for q, (hires, layoffs, f, d, ask, freeze) in enumerate(quarters, start=1):
        team = state.teams["teamboard"]
        state, out = org.staff(
            state, {"teamboard": (0 if freeze else hires, min(layoffs, team.headcount))}, p
        )
        split = (f, (1 - f) * d, (1 - f) * (1 - d))
        team = state.teams["teamboard"]
        alloc = org.allocate(team, state.culture, split, ask, 0.0, p)
        work = {"teamboard": org.TeamWork(alloc, shipped=1, debt_share=split[1])}
        state, out = org.end_quarter(state, work, q, freeze, p, rng)
        assert all(0.0 <= v <= 1.0 for v in state.culture.values())
        for t in state.teams.values():
            assert t.experienced >= 0 and all(c >= 0 for c in t.cohorts)
            assert t.tech_debt >= 0 and np.isfinite(t.tech_debt)
            assert org.capacity(t, state.culture, p) >= 0
        assert 0 <= out.attrition_rate <= org.ATTRITION_CAP
