"""The debrief report model and what-if replays, checked against the engine's own history."""

from __future__ import annotations

import json
from typing import Any

import pytest
from market_scenarios import tutorial

from engine import scoring
from engine.bots import play
from engine.debrief import TURNING_FACTORS, DebriefReport, build_report
from engine.decisions import Decisions, Forecast, ProductDecision, ResearchOrder
from engine.scenario import Scenario
from engine.simulation import Simulation
from engine.whatif import BOT_WAYS, replay, what_if

SEED = 11
BOTS = ("hold", "balanced")


def scripted_log(quarters: int) -> list[dict[str, Decisions]]:
    """A PM game: a price cut and two studies in Q1, forecasts from Q2, otherwise steady."""
    log = []
    for q in range(1, quarters + 1):
        dec = Decisions()
        if q == 1:
            dec = Decisions(
                products={
                    "teamboard": ProductDecision(
                        price=270.0,
                        research=[
                            ResearchOrder(method="interviews", segment="mid"),
                            ResearchOrder(method="survey", segment="smb"),
                        ],
                    )
                },
                initiatives=["advisory_board"],
            )
        elif q in (2, 3, 4):
            dec = Decisions(forecast=Forecast(revenue=1_000_000.0 * q, share=0.15))
        log.append({"player": dec})
    return log


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return tutorial(400)


@pytest.fixture(scope="module")
def log(scenario: Scenario) -> list[dict[str, Decisions]]:
    return scripted_log(scenario.quarters)


@pytest.fixture(scope="module")
def sim(scenario: Scenario, log: list[dict[str, Decisions]]) -> Simulation:
    """The game played directly on the engine (the reference the report must match)."""
    s = Simulation(scenario, SEED, "pm")
    for decisions in log:
        s.step(decisions)
    return s


@pytest.fixture(scope="module")
def report(scenario: Scenario, log: list[dict[str, Decisions]]) -> DebriefReport:
    return build_report(scenario, SEED, "pm", log, bots=BOTS, spread_seeds=1)


def test_report_header_and_score_match_the_engine(report: DebriefReport, sim: Simulation) -> None:
    card = sim.scorecard("player")
    assert (report.scenario, report.role, report.seed, report.firm) == (
        "tutorial",
        "pm",
        SEED,
        "player",
    )
    assert report.quarters_played == report.quarters == 12
    assert report.score == card["score"] and report.grade == card["grade"]
    assert report.objective_score == card["objective_score"]
    assert report.competencies == card["competencies"]
    assert [o.status for o in report.objectives] == [o["status"] for o in card["objectives"]]


def test_kpi_history_and_rivals_match_the_engine(report: DebriefReport, sim: Simulation) -> None:
    assert len(report.kpis) == len(sim.history) == 13
    cumulative = 0.0
    for row, rep in zip(report.kpis, sim.history, strict=True):
        fr = rep.firms["player"]
        cumulative += fr.profit if rep.quarter else 0.0
        assert row["quarter"] == rep.quarter
        assert (row["revenue"], row["profit"], row["share"], row["cash"]) == (
            fr.revenue,
            fr.profit,
            fr.share,
            fr.cash,
        )
        assert row["cumulative_profit"] == pytest.approx(cumulative)
        if rep.quarter:
            org = rep.organisation["player"]
            assert (row["morale"], row["tech_debt"], row["belief_error"]) == (
                org.morale,
                org.tech_debt,
                org.belief_error,
            )
    for fid, series in report.firms.items():
        assert series["share"] == [r.firms[fid].share for r in sim.history]
        assert series["revenue"] == [r.firms[fid].revenue for r in sim.history]


def test_objectives_say_when_they_were_settled(report: DebriefReport) -> None:
    for o in report.objectives:
        if o.status in ("met", "missed"):
            assert o.settled is not None and 1 <= o.settled <= 12
        if o.status == "met":
            assert o.first_met is not None and o.first_met <= 12


def test_timeline_names_the_scripted_decisions(report: DebriefReport) -> None:
    first = report.timeline[0]
    assert first.quarter == 1
    text = " | ".join(first.decisions)
    assert "Teamboard: price $300 → $270 (-10%)" in text
    assert "Customer interviews of Mid-market" in text or "interviews" in text.lower()
    assert "started" in text
    assert any("forecast: revenue $2,000,000" in d for d in report.timeline[1].decisions)
    assert len(report.timeline) == 12


def test_turning_points_come_from_decision_or_event_drivers(
    report: DebriefReport, sim: Simulation
) -> None:
    assert 1 <= len(report.turning_points) <= 4
    quarters = [t.quarter for t in report.turning_points]
    assert quarters == sorted(set(quarters))
    for t in report.turning_points:
        assert t.factor in TURNING_FACTORS
        ex = next(
            e
            for e in sim.history[t.quarter].drivers
            if e.firm == "player" and e.kpi == "share" and e.segment == t.segment
        )
        assert any(d.factor == t.factor and d.size == t.size for d in ex.drivers)
        assert t.change == ex.change


def test_beliefs_start_vague_and_track_the_true_ideal(
    report: DebriefReport, sim: Simulation
) -> None:
    assert len(report.beliefs) == 13
    start = report.beliefs[0]["segments"]["mid"]["usability"]
    assert (start["believed"], start["sd"]) == (0.5, 0.25)
    for row, rep in zip(report.beliefs, sim.history, strict=True):
        for seg, attrs in row["segments"].items():
            for attr, cell in attrs.items():
                assert cell["true"] == rep.segments[seg].ideal[attr]
    # Mid-market was interviewed in Q1: its belief is sharper than the never-studied agencies.
    q1 = report.beliefs[1]["segments"]
    assert q1["mid"]["usability"]["sd"] < q1["agency"]["usability"]["sd"]
    assert report.beliefs[1]["error"] == sim.history[1].organisation["player"].belief_error


def test_calibration_counts_the_forecasts(report: DebriefReport, sim: Simulation) -> None:
    cal = report.calibration
    assert cal["count"] == 3
    pairs = [
        (
            (1_000_000.0 * q, 0.15),
            (sim.history[q].firms["player"].revenue, sim.history[q].firms["player"].share),
        )
        for q in (2, 3, 4)
    ]
    expected = scoring.calibration(pairs)
    assert cal["revenue_error"] == pytest.approx(expected.revenue_error)
    assert cal["share_error"] == pytest.approx(expected.share_error)


def test_bots_compared_on_the_same_seed(report: DebriefReport, scenario: Scenario) -> None:
    comp = report.comparison
    assert comp is not None
    assert [b.bot for b in comp.bots] == list(BOTS)
    hold = Simulation(scenario, SEED, "pm")
    play(hold, "hold")
    assert comp.bots[0].score == hold.scorecard("player")["score"]
    assert comp.closest in BOTS
    assert comp.spread_seeds == [SEED + 1] and len(comp.spread_scores) == 1
    assert comp.rank == 1 + sum(b.score >= report.score for b in comp.bots)
    assert f"you scored {report.score:.0f}" in comp.sentences[0]


def test_report_has_prompts_what_if_and_is_json(report: DebriefReport, scenario: Scenario) -> None:
    questions = [p["question"] for p in report.prompts]
    assert questions[: len(scenario.debrief)] == [p.question for p in scenario.debrief]
    assert report.what_if is not None and report.what_if["bot"] in BOTS
    data: dict[str, Any] = json.loads(json.dumps(report.to_dict()))
    assert data["score"] == report.score
    assert len(data["decisions"]) == 12


def test_what_if_from_quarter_zero_is_a_plain_bot_run(scenario: Scenario) -> None:
    log = scripted_log(6)
    for bot in ("random", "balanced"):
        alt = replay(scenario, SEED, "pm", log, bot=bot, from_quarter=0)
        ref = Simulation(scenario, SEED, "pm")
        play(ref, bot)
        assert [r.to_dict() for r in alt.history] == [r.to_dict() for r in ref.history]
        assert alt.scorecard() == ref.scorecard("player")


def test_what_if_keeps_the_played_quarters_and_says_the_difference(
    scenario: Scenario, log: list[dict[str, Decisions]], sim: Simulation
) -> None:
    result = what_if(scenario, SEED, "pm", log, 4, "balanced")
    alt = replay(scenario, SEED, "pm", log, bot="balanced", from_quarter=4)
    assert [r.to_dict() for r in alt.history[:5]] == [r.to_dict() for r in sim.history[:5]]
    assert alt.history[5].to_dict() != sim.history[5].to_dict()
    assert result.yours.score == sim.scorecard("player")["score"]
    assert result.theirs.score == alt.scorecard()["score"]
    first = result.sentences[0]
    assert first.startswith(f"Had you {BOT_WAYS['balanced']} after Q4")
    assert f"{result.theirs.share:.1%} share instead of your {result.yours.share:.1%}" in first
    assert result.share == [r.firms["player"].share for r in alt.history]


def test_replay_refuses_impossible_requests(scenario: Scenario) -> None:
    log = scripted_log(3)
    with pytest.raises(ValueError, match="unknown bot"):
        replay(scenario, SEED, "pm", log, bot="nope", from_quarter=0)
    with pytest.raises(ValueError, match="cannot start at Q5"):
        replay(scenario, SEED, "pm", log, bot="hold", from_quarter=5)
    with pytest.raises(ValueError, match="no played quarters"):
        build_report(scenario, SEED, "pm", [], bots=())


def test_cpo_game_reports_without_product_decisions() -> None:
    sc = tutorial(300)
    log = [{"player": Decisions(themes={"teamboard": "growth", "insights": "quality"})}] * 3
    rep = build_report(sc, 2, "cpo", log, bots=())
    assert rep.role == "cpo" and rep.comparison is None and rep.what_if is None
    assert any("themes:" in d for d in rep.timeline[0].decisions)
    assert not any("themes:" in d for d in rep.timeline[1].decisions)  # unchanged: not repeated


def test_what_if_of_a_bot_run_hands_over_to_another_bot(scenario: Scenario) -> None:
    log = replay(scenario, SEED, "pm", [], bot="balanced", turns=3).log
    rep = build_report(scenario, SEED, "pm", log, source="bot:balanced", bots=BOTS, spread_seeds=0)
    assert rep.what_if is not None and rep.what_if["bot"] == "hold"
    assert rep.comparison is not None and rep.comparison.closest == "balanced"
    assert rep.comparison.spread_scores == [] and len(rep.comparison.sentences) == 1


def test_injected_events_happen_in_the_report_and_in_the_bot_games(scenario: Scenario) -> None:
    log = scripted_log(3)
    injected = [[], ["viral_post"], []]
    rep = build_report(scenario, SEED, "pm", log, bots=("hold",), spread_seeds=0, injected=injected)
    assert rep.timeline[1].events == ["A viral post about Teamboard"]
    ref = Simulation(scenario, SEED, "pm")
    for q, decisions in enumerate(log):
        ref.step(decisions, inject=injected[q])
    assert rep.score == ref.scorecard("player")["score"]
    hold = replay(scenario, SEED, "pm", [], bot="hold", turns=3, injected=injected)
    assert any(e["id"] == "viral_post" for e in hold.history[2].events)
    assert rep.comparison is not None and rep.comparison.bots[0].score == hold.scorecard()["score"]


def test_kpi_history_columns_are_registry_kpis(report: DebriefReport) -> None:
    """Every KPI column of the debrief (and so of its CSV export) is in the KPI registry."""
    from engine.kpis import KPIS, REPORT_HISTORY, kpi

    keys = set(report.kpis[0]) - {"quarter"}
    assert {kpi(k).id for k in keys} <= set(KPIS)
    assert set(REPORT_HISTORY) <= keys
