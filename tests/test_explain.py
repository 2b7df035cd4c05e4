"""Drivers add up to the change they explain, rank by size and name the real cause."""

from __future__ import annotations

import pytest
from market_scenarios import player, product, rival, scenario, segment, tutorial

from engine.bots import play
from engine.decisions import Decisions, ProductDecision
from engine.report import Explanation, TurnReport
from engine.simulation import Simulation


def _share(report: TurnReport, firm: str, seg: str) -> Explanation:
    return next(
        e for e in report.drivers if e.firm == firm and e.kpi == "share" and e.segment == seg
    )


def test_drivers_add_up_and_are_ranked_every_quarter() -> None:
    sim = Simulation(tutorial(), seed=3)
    for report in play(sim, "random", 5):
        firms = set(report.firms)
        assert {e.firm for e in report.drivers} == firms
        for exp in report.drivers:
            total = sum(d.size for d in exp.drivers)
            assert total == pytest.approx(exp.change, abs=1e-9 * max(1.0, abs(exp.after)))
            assert exp.change == pytest.approx(exp.after - exp.before)
            sizes = [abs(d.size) for d in exp.drivers]
            assert sizes == sorted(sizes, reverse=True)
            assert exp.summary.endswith(".")
        shares = [e for e in report.drivers if e.kpi == "share"]
        assert len(shares) == len(firms) * len(report.segments)
        factors = {d.factor for d in shares[0].drivers}
        assert factors == {
            "churn",
            "events",
            "drift",
            "price",
            "attributes",
            "awareness",
            "competitors",
            "chance",
        }


def _duel() -> Simulation:
    seg = segment(in_market=0.6, resolution=4000, churn={"a": 3.0, "b": 7.0})
    mine = product("mine", customers={"s1": 2500.0}, awareness={"s1": 0.8})
    theirs = product("theirs", customers={"s1": 2500.0}, awareness={"s1": 0.8})
    ai = {"archetype": "price_follower", "rho": 1.0, "lag": 1, "improvement": 0.0, "marketing": 0.0}
    return Simulation(scenario([player([mine]), rival("ai", ai, [theirs])], [seg]), seed=8)


def test_own_price_cut_is_the_top_share_driver() -> None:
    sim = _duel()
    report = sim.step({"player": Decisions(products={"mine": ProductDecision(price=75.0)})})
    exp = _share(report, "player", "s1")
    assert exp.change > 0
    top = exp.drivers[0]
    assert top.factor == "price" and top.size > 0
    assert "your price cut of 25%" in top.text
    assert exp.summary.startswith("Share in S1 rose")
    rival_view = _share(report, "ai", "s1")
    assert next(d for d in rival_view.drivers if d.factor == "competitors").size < 0


def test_rival_price_cut_shows_as_a_competitor_driver() -> None:
    sim = _duel()
    sim.step({"player": Decisions(products={"mine": ProductDecision(price=75.0)})})
    report = sim.step({})  # the follower matches the cut this quarter
    exp = _share(report, "player", "s1")
    rivals = next(d for d in exp.drivers if d.factor == "competitors")
    assert rivals.size < 0
    assert "Ai cut the price of Theirs 25%" in rivals.text


def test_revenue_drivers_split_price_and_volume() -> None:
    sim = _duel()
    report = sim.step({"player": Decisions(products={"mine": ProductDecision(price=110.0)})})
    exp = next(e for e in report.drivers if e.firm == "player" and e.kpi == "revenue")
    price = next(d for d in exp.drivers if d.factor == "price")
    before = sim.history[0].products["mine"]
    assert price.size == pytest.approx(10.0 * before.customers)
    assert sum(d.size for d in exp.drivers) == pytest.approx(exp.change)


def test_satisfaction_drivers_name_the_price_rise() -> None:
    sim = _duel()
    report = sim.step({"player": Decisions(products={"mine": ProductDecision(price=130.0)})})
    exp = next(e for e in report.drivers if e.firm == "player" and e.kpi == "satisfaction")
    assert exp.change < 0
    assert sum(d.size for d in exp.drivers) == pytest.approx(exp.change)
    price = next(d for d in exp.drivers if d.factor == "price")
    assert price.size < 0 and exp.drivers[0] is price
    assert exp.summary.startswith("Satisfaction fell")
    assert {d.factor for d in exp.drivers} == {
        "customers",
        "events",
        "drift",
        "price",
        "attributes",
        "awareness",
        "competitors",
        "other",
    }


def test_profit_and_cash_drivers_name_revenue_and_every_cost() -> None:
    """ΔProfit = price + volume − Δ each cost kind; ΔCash = revenue − each cost (+ events)."""
    sim = Simulation(tutorial(), seed=4)
    for report in play(sim, "balanced", 3):
        previous = sim.history[report.quarter - 1]
        profit = next(e for e in report.drivers if e.firm == "player" and e.kpi == "profit")
        cash = next(e for e in report.drivers if e.firm == "player" and e.kpi == "cash")
        assert sum(d.size for d in profit.drivers) == pytest.approx(profit.change)
        assert sum(d.size for d in cash.drivers) == pytest.approx(cash.change)
        assert cash.change == pytest.approx(report.firms["player"].profit)
        kinds = set(report.firms["player"].costs) | set(previous.firms["player"].costs)
        assert {d.factor for d in profit.drivers} == {"price", "volume"} | {
            f"cost:{k}" for k in kinds
        }
        payroll = next(d for d in cash.drivers if d.factor == "cost:payroll")
        assert payroll.text == "salaries" and payroll.size < 0
