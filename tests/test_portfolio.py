"""CPO levers: mentoring, AI PM policies, bets; and events through the simulation API."""

from __future__ import annotations

import numpy as np
import pytest

from engine import portfolio
from engine.decisions import Decisions
from engine.loader import load_scenario
from engine.simulation import Simulation
from game.paths import bundled_scenarios


@pytest.fixture(scope="module")
def tutorial():
    return load_scenario(next(p for p in bundled_scenarios() if p.stem == "tutorial"))


def test_mentoring_raises_pm_skill_faster_under_high_safety():
    low, high = 0.35, 0.35
    for _ in range(4):
        low = portfolio.mentor(low, 0.5, safety=0.3)
        high = portfolio.mentor(high, 0.5, safety=0.9)
    assert 0.35 < low < high
    assert (high - 0.35) / (low - 0.35) > 1.4  # (0.5 + 0.9)/(0.5 + 0.3) = 1.75 per quarter


def test_mentoring_in_the_simulation(tutorial):
    sims = {}
    for safety in (0.3, 0.9):
        sim = Simulation(tutorial, seed=2, role="cpo", resolution=40)
        book = sim.company.books["player"]
        book.org = book.org.__class__(
            **{**book.org.__dict__, "culture": {**book.org.culture, "safety": safety}}
        )
        for _ in range(3):
            sim.step({"player": Decisions(mentoring={"insights": 1.0})})
        sims[safety] = sim.company.books["player"].org.teams["insights"].pm_skill
    assert 0.35 < sims[0.3] < sims[0.9]


def test_ai_pm_policy_follows_theme_and_skill():
    growth = portfolio.policy_for("growth", "builder", 0.9)
    profit = portfolio.policy_for("profit", "builder", 0.9)
    assert growth.price_step < 0 < profit.price_step
    assert portfolio.policy_for(None, "analyst", 0.2).value == "naive"
    assert (
        portfolio.policy_for(None, "analyst", 0.2).noise
        > portfolio.policy_for(None, "analyst", 0.9).noise
    )


def test_bet_chance_scales_with_innovation_and_capability(tutorial):
    bet = tutorial.bets[0]
    base = portfolio.bet_chance(bet, 0.5, 0.5, 0)
    assert base == pytest.approx(bet.success)
    assert portfolio.bet_chance(bet, 0.6, 0.5, 0) == pytest.approx(bet.success * 1.2)
    assert portfolio.bet_chance(bet, 1.0, 1.0, 5) == 0.95  # capped
    wins = 0
    for seed in range(400):
        _, cost, out = portfolio.resolve_bets(
            portfolio.BetState({"ai_lab": 1}),
            ["ai_lab"],
            {"ai_lab": bet},
            0.5,
            0.5,
            0,
            np.random.default_rng(seed),
        )
        assert cost == bet.cost
        wins += out[0][1]
    assert wins / 400 == pytest.approx(bet.success, abs=0.07)


def test_injected_event_is_listed_with_its_effect(tutorial):
    sim = Simulation(tutorial, seed=4, role="pm", resolution=40)
    debt0 = sim.company.books["player"].org.teams["teamboard"].tech_debt
    sim.inject("outage")
    report = sim.step({})
    outage = next(e for e in report.events if e["id"] == "outage")
    assert outage["source"] == "injected"
    assert outage["effects"] == [
        "Teamboard: quality -0.08",
        "Teamboard Inc. (Teamboard): technical debt +15 points",
    ]
    line = report.organisation["player"].lines["teamboard"]
    assert line.tech_debt > debt0  # +15 at the start of the quarter, minus one quarter's paydown
    with pytest.raises(ValueError, match="unknown event"):
        sim.inject("meteor")


def test_sunset_withdraws_a_line_and_moves_its_people(tutorial):
    sim = Simulation(tutorial, seed=4, role="cpo", resolution=40)
    before = sim.company.books["player"].org.headcount
    report = sim.step({"player": Decisions(sunset=["insights"])})
    assert "insights" not in report.organisation["player"].lines
    assert not sim.state.products[sim.state.product_index("insights")].active
    assert sim.company.books["player"].org.teams.keys() == {"teamboard"}
    assert report.organisation["player"].headcount >= before - 3


def test_ai_pms_fill_what_the_cpo_left_unset(tutorial):
    sim = Simulation(tutorial, seed=4, role="cpo", resolution=40)
    from engine.decisions import ProductDecision

    dec = Decisions(
        themes={"teamboard": "profit"},
        products={"insights": ProductDecision(price=450.0, hires=1)},
    )
    filled = sim.company.prepare(sim.quarter_context(), {"player": dec}, 1)["player"]
    assert filled.products["insights"].price == 450.0 and filled.products["insights"].hires == 1
    assert filled.products["insights"].roadmap  # the AI PM planned the work
    assert filled.products["teamboard"].price == pytest.approx(300 * 1.03)  # profit theme


def test_injection_through_step_replays_exactly(tutorial):
    runs = []
    for _ in range(2):
        sim = Simulation(tutorial, seed=6, role="pm", resolution=40)
        sim.step({})
        report = sim.step({}, inject=["viral_post"])
        runs.append(report.to_dict())
    assert runs[0] == runs[1]
    assert runs[0]["events"][0]["effects"] == [
        "Teamboard: awareness in Small businesses +15 points"
    ]
