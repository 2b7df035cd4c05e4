"""Objectives, score, grade, competencies and forecast calibration."""

from __future__ import annotations

import pytest

from engine import scoring
from engine.scenario import Objective


def _obj(**kw):
    base = {"id": "o", "description": "d", "kpi": "share", "target": 0.2}
    return Objective.model_validate({**base, **kw})


def test_at_objective_is_behind_then_met_or_missed():
    obj = _obj(segment="mid", by=3)
    hist = [{"share:mid": 0.1}, {"share:mid": 0.15}]
    r = scoring.evaluate(obj, hist, 12, 1e6)
    assert r.status == "behind" and r.credit == 0.0
    met = scoring.evaluate(obj, [*hist, {"share:mid": 0.21}], 12, 1e6)
    assert met.status == "met" and met.credit == 1.0
    missed = scoring.evaluate(obj, [*hist, {"share:mid": 0.15}], 12, 1e6)
    # shortfall 0.05 of a 0.2 scale: 60% partial credit × (1 − 0.25)
    assert missed.status == "missed" and missed.credit == pytest.approx(0.45)


def test_always_objective_counts_every_quarter():
    obj = _obj(kpi="morale", target=0.5, mode="always")
    hist = [{"morale": m} for m in (0.7, 0.6, 0.45, 0.55)]
    r = scoring.evaluate(obj, hist, 4, 1e6)
    assert r.status == "missed" and "Q3" in r.evidence
    assert r.credit == pytest.approx((3 + 0.6 * (1 - 0.05 / 0.5)) / 4)


def test_final_money_objective_uses_money_scale():
    obj = _obj(kpi="cumulative_profit", target=0.0, mode="final")
    hist = [{"cumulative_profit": -250_000.0}] * 4
    r = scoring.evaluate(obj, hist, 4, 1_000_000.0)
    assert r.credit == pytest.approx(0.6 * 0.75)


def test_score_grade_and_blend():
    results = [
        scoring.ObjectiveResult("a", "", "met", 1, 1.0, 2.0, ""),
        scoring.ObjectiveResult("b", "", "missed", 0, 0.5, 1.0, ""),
    ]
    assert scoring.score(results) == pytest.approx(100 * 2.5 / 3)
    assert scoring.final_score(80, [60, 40]) == pytest.approx(0.7 * 80 + 0.3 * 50)
    assert [scoring.grade(x) for x in (90, 75, 60, 45, 10)] == list("ABCDF")


def test_calibration():
    pairs = [((110.0, 0.2), (100.0, 0.25)), ((90.0, 0.3), (100.0, 0.25))]
    c = scoring.calibration(pairs)
    assert c.count == 2 and c.revenue_error == pytest.approx(0.1)
    assert c.revenue_bias == pytest.approx(0.0) and c.share_error == pytest.approx(0.05)


def test_competencies_reward_research_and_forecasts():
    quiet = [scoring.Record(kpis={"morale": 0.6, "customers": 10, "satisfaction": 0.6})] * 4
    curious = [
        scoring.Record(
            kpis={"morale": 0.6, "customers": 10, "satisfaction": 0.6},
            studies=2,
            segments_studied=("a", "b"),
            belief_error=0.1,
            forecast=(100.0, 0.2),
            actual=(100.0, 0.2),
            discovery_share=0.15,
        )
    ] * 4
    q = scoring.competencies(quiet, 80, 2, 0.2, None)
    c = scoring.competencies(curious, 80, 2, 0.2, None)
    assert c["market_understanding"].score > q["market_understanding"].score + 50
    assert c["customer_empathy"].score > q["customer_empathy"].score
    assert "no forecasts made" in q["market_understanding"].evidence


def test_an_unmeasured_kpi_earns_no_credit_and_no_nan():
    obj = _obj(kpi="pm_skill", product="gone", target=0.5)
    r = scoring.evaluate(obj, [{"pm_skill": 0.6}] * 12, 12, 1e6)
    assert r.status == "missed" and r.credit == 0.0
    assert scoring.score([r]) == 0.0
