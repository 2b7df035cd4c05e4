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
    # no start known: shortfall 0.05 of a 0.2 scale, PARTIAL_CREDIT × (1 − 0.25)
    assert missed.status == "missed" and missed.credit == pytest.approx(0.5 * 0.75)


def test_always_objective_counts_every_quarter():
    obj = _obj(kpi="morale", target=0.5, mode="always")
    hist = [{"morale": m} for m in (0.7, 0.6, 0.45, 0.55)]
    r = scoring.evaluate(obj, hist, 4, 1e6)
    assert r.status == "missed" and "Q3" in r.evidence
    assert r.credit == pytest.approx((3 + 0.5 * (1 - 0.05 / 0.5)) / 4)


def test_final_money_objective_uses_money_scale():
    obj = _obj(kpi="cumulative_profit", target=0.0, mode="final")
    hist = [{"cumulative_profit": -250_000.0}] * 4
    r = scoring.evaluate(obj, hist, 4, 1_000_000.0)
    assert r.credit == pytest.approx(0.5 * 0.75)


def test_score_grade_and_blend():
    results = [
        scoring.ObjectiveResult("a", "", "met", 1, 1.0, 2.0, ""),
        scoring.ObjectiveResult("b", "", "missed", 0, 0.5, 1.0, ""),
    ]
    assert scoring.score(results) == pytest.approx(100 * 2.5 / 3)
    assert scoring.final_score(80, [60, 40]) == pytest.approx(0.4 * 80 + 0.6 * 50)
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


def test_a_goal_earns_partial_credit_for_progress_from_the_start_only() -> None:
    """Standing still earns nothing, half way earns a quarter of the partial credit, a near
    miss most of it; a goal already met earns full credit."""
    obj = _obj(segment="mid", by=2)
    start = 0.1

    def credit(end: float) -> float:
        return scoring.evaluate(
            obj, [{"share:mid": 0.1}, {"share:mid": end}], 12, 1e6, start
        ).credit

    assert credit(0.1) == 0.0 and credit(0.05) == 0.0
    assert credit(0.15) == pytest.approx(scoring.PARTIAL_CREDIT * 0.25)
    assert credit(0.19) == pytest.approx(scoring.PARTIAL_CREDIT * 0.81)
    assert credit(0.2) == 1.0
    result = scoring.evaluate(obj, [{"share:mid": 0.1}, {"share:mid": 0.1}], 12, 1e6, start)
    assert result.kind == "goal" and result.start == start


def test_a_guardrail_earns_nothing_kept_and_costs_its_weight_broken() -> None:
    goal = scoring.evaluate(_obj(id="g", by=1), [{"share": 0.2}], 4, 1e6, 0.1)
    kept = scoring.evaluate(
        _obj(id="k", kpi="cash", target=0.0, by=1), [{"cash": 5.0}], 4, 1e6, 9.0
    )
    assert kept.kind == "guardrail" and kept.status == "met"
    broken = scoring.evaluate(
        _obj(id="b", kpi="morale", target=0.5, by=1), [{"morale": 0.0}], 4, 1e6, 0.7
    )
    assert broken.kind == "guardrail" and broken.credit == 0.0
    assert scoring.score([goal, kept]) == pytest.approx(100.0)
    # a broken guardrail of weight 1 out of 3 takes a third off
    assert scoring.score([goal, kept, broken]) == pytest.approx(100.0 * (1 - 1 / 3))
    assert scoring.score([kept]) == pytest.approx(100.0)  # no goals: only guardrails count


def test_cumulative_profit_starts_from_the_run_rate() -> None:
    obj = _obj(kpi="cumulative_profit", target=10e6, mode="final")
    assert scoring.start_value(obj, {"profit": 500_000.0}, 12) == pytest.approx(6e6)
    assert scoring.start_value(_obj(segment="mid"), {"share:mid": 0.3}, 12) == 0.3
    assert scoring.start_value(_obj(segment="x"), {}, 12) is None


def _quarter(**kw: object) -> scoring.Record:
    return scoring.Record(kpis={"morale": 0.6, "share": 0.2, "satisfaction": 0.6}, **kw)


def test_an_idle_roadmap_cannot_score_high_on_strategic_thinking() -> None:
    """Objectives met, but nothing shipped, all capacity idle, prices never touched."""
    idle = [_quarter(idle=20.0)] * 12
    busy = [_quarter(started=("a",), shipped=("a",), feature_points=20.0, price_change=0.02)] * 12
    lazy = scoring.competencies(idle, 100.0, 2, 0.2, None)["strategic_thinking"]
    active = scoring.competencies(busy, 100.0, 2, 0.2, None)["strategic_thinking"]
    assert lazy.score <= 35 < 90 <= active.score
    assert "prices never changed" in lazy.evidence


def test_evidence_must_last_the_whole_game() -> None:
    """Research, shipping and care in the first half only earn half of those parts."""
    active = _quarter(
        studies=1,
        segments_studied=("a",),
        shipped=("x",),
        started=("x",),
        feature_points=10.0,
        initiatives=1,
    )
    quiet = _quarter(idle=10.0)
    whole = scoring.competencies([active] * 12, 80.0, 1, 0.2, None)
    half = scoring.competencies([active] * 6 + [quiet] * 6, 80.0, 1, 0.2, None)
    for name in ("market_understanding", "strategic_thinking", "customer_empathy", "leadership"):
        assert half[name].score < whole[name].score, name


def test_a_cpo_is_judged_on_steering_not_on_the_ai_pms_work() -> None:
    shipping = _quarter(shipped=("x",), started=("x",), feature_points=10.0)
    steering = _quarter(shipped=("x",), started=("x",), feature_points=10.0, steered=True)
    absent = scoring.competencies([shipping] * 12, 60.0, 1, 0.2, (0.5, 0.5))
    present = scoring.competencies([steering] * 12, 60.0, 1, 0.2, (0.5, 0.5))
    gap = present["strategic_thinking"].score - absent["strategic_thinking"].score
    assert gap == pytest.approx(100 / 3)
