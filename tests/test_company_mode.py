"""Company mode (engine.company_mode): seats, the CPO's direction, sharing, flags, bots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine import company_mode as cm
from engine.decisions import Decisions, ProductDecision, ResearchOrder
from engine.loader import load_scenario
from engine.research import error
from engine.simulation import Simulation


@pytest.fixture(scope="module")
def portfolio():
    return load_scenario("scenarios/portfolio.yaml")


def _sim(sc, seed: int = 5) -> Simulation:
    return Simulation(sc, role="cpo", seed=seed, resolution=400)


def test_seats_and_their_ids(portfolio) -> None:
    sim = _sim(portfolio)
    lines = sim.company.books["player"].lines
    assert [s.id for s in cm.seats(lines)] == ["cpo", "pm:classroom", "pm:tutor", "pm:exam_prep"]
    assert cm.Seat.parse("pm:tutor", lines) == cm.Seat("pm", "tutor")
    with pytest.raises(ValueError, match="no line 'nope'"):
        cm.Seat.parse("pm:nope", lines)
    with pytest.raises(ValueError, match="a seat is 'cpo' or 'pm:LINE'"):
        cm.Seat.parse("ceo", lines)


def test_bots_in_every_seat_play_the_same_game_as_the_engine_driven_directly(portfolio) -> None:
    bots = {"cpo": "balanced", "pm:classroom": "customer_centric", "pm:tutor": "random"}
    played = cm.play(_sim(portfolio), bots)
    again = cm.play(_sim(portfolio), bots)
    assert [t.report.to_dict() for t in played] == [t.report.to_dict() for t in again]
    direct = _sim(portfolio)
    for turn in played:  # the seats' combined decisions, stepped straight into the engine
        decisions, _ = cm.combine(portfolio, turn.cpo, turn.pms)
        assert direct.step({"player": decisions}).to_dict() == turn.report.to_dict()
    # a human PM's line plays the PM's choices: the tutor line's price is the random bot's
    first = played[0]
    assert first.report.products["tutor"].price == pytest.approx(first.pms["tutor"].decision.price)
    assert "exam_prep" not in first.pms  # an AI seat: the AI PM decides
    json.dumps([t.to_dict() for t in played])


def test_staffing_is_the_cpos_and_spending_over_budget_is_flagged(portfolio) -> None:
    cpo = cm.CpoTurn(
        decisions=Decisions(themes={"tutor": "growth"}),
        direction={"tutor": cm.Direction(budget=20_000, strategy="Win families before BrightBot")},
    )
    pm = cm.PmTurn(decision=ProductDecision(marketing={"families": 30_000}, hires=3))
    decisions, flags = cm.combine(portfolio, cpo, {"tutor": pm})
    assert decisions.products["tutor"].hires == 0
    assert "hires" not in decisions.products["tutor"].model_fields_set
    assert decisions.products["tutor"].marketing == {"families": 30_000}
    assert [f.kind for f in flags] == ["hires", "over_budget"]
    assert "over the CPO's budget of $20,000" in flags[1].text


def test_a_pms_unshared_research_is_not_visible_to_the_cpo_until_shared(portfolio) -> None:
    sim = _sim(portfolio)
    study = ResearchOrder(method="interviews", segment="families")
    cpo = cm.CpoTurn()
    pm = cm.PmTurn(decision=ProductDecision(research=[study]))
    decisions, _ = cm.combine(portfolio, cpo, {"tutor": pm})
    sim.step({"player": decisions})
    orders = {1: {"tutor": [("interviews", "families")]}}
    truth = sim.company._truth(sim.quarter_context(), "player")
    firm_belief = sim.company.books["player"].belief  # every study the firm ran

    def belief(seat: cm.Seat, shared=()):
        seen = cm.visible_studies(seat, orders, shared)
        return cm.seat_belief(portfolio, "player", sim.history, seen)

    cpo_seat, tutor_pm = cm.Seat("cpo"), cm.Seat("pm", "tutor")
    unshared = belief(cpo_seat)
    assert unshared.studies == 0 and "families" not in unshared.segments_studied
    assert belief(tutor_pm).studies == 1  # the PM who ran it knows it
    assert belief(cm.Seat("pm", "classroom")).studies == 0
    shared = belief(cpo_seat, [cm.StudyRef(quarter=1, method="interviews", segment="families")])
    assert shared.studies == 1 and "families" in shared.segments_studied
    assert error(shared, truth).overall == pytest.approx(error(belief(tutor_pm), truth).overall)
    assert error(shared, truth).overall < error(unshared, truth).overall
    # a seat shown every study the firm ran (the AI PMs' too) knows what the firm knows
    everything = {(1, f["method"], f["segment"]) for f in cm.studies_of(sim.history[1], "player")}
    whole = cm.seat_belief(portfolio, "player", sim.history, everything)
    assert error(whole, truth).overall == pytest.approx(error(firm_belief, truth).overall, abs=1e-4)
    # the AI PMs share every study with the CPO; the tutor PM's stays the PM's until shared
    ran = cm.studies_run(sim.history, "player")
    assert ran == everything and (1, "interviews", "families") in ran
    assert cm.visible_studies(cpo_seat, orders, (), ran) == ran - {(1, "interviews", "families")}
    assert cm.visible_studies(tutor_pm, orders, (), ran) == {(1, "interviews", "families")}


def test_agreement_with_the_theme() -> None:
    before = ProductDecision(price=40.0, marketing={"families": 10_000})
    cheaper = ProductDecision(price=36.0, marketing={"families": 12_000})
    dearer = ProductDecision(price=44.0, marketing={"families": 10_000})
    assert cm.agreement("growth", before, cheaper) is True
    assert cm.agreement("growth", before, dearer) is False
    assert cm.agreement("profit", before, dearer) is True
    assert cm.agreement("quality", before, dearer) is True
    assert cm.agreement(None, before, dearer) is None


def test_each_seat_is_scored_on_its_part(portfolio) -> None:
    sim = _sim(portfolio)
    bots = {"cpo": "balanced", "pm:classroom": "customer_centric", "pm:tutor": "greedy_share"}
    turns = cm.play(sim, bots)
    card = sim.scorecard("player")
    scores = cm.scorecards(portfolio, card, sim.history, turns)
    seats = scores["seats"]
    assert set(seats) == {"cpo", "pm:classroom", "pm:tutor"}
    # portfolio's line goals are people goals (each PM's skill): the CPO's, with the rest
    assert seats["pm:tutor"]["objectives"] == []
    assert {o["id"] for o in seats["cpo"]["objectives"]} == {o.id for o in portfolio.objectives}
    # balanced (the CPO) leaves themes to the AI PMs on lines it does not theme, greedy_share
    # cuts price and spends on marketing: it follows a growth theme whenever one is set
    agreed, themed = cm.alignment(sim.history, turns, "tutor")
    assert (seats["pm:tutor"]["aligned"], seats["pm:tutor"]["themed"]) == (agreed, themed)
    assert seats["cpo"]["themed"] == themed + seats["pm:classroom"]["themed"]
    assert scores["company"]["score"] == card["score"]


def test_a_line_goal_is_its_pms() -> None:
    import yaml

    from engine.loader import load_scenario_text

    data = yaml.safe_load(Path("scenarios/portfolio.yaml").read_text(encoding="utf-8"))
    data["objectives"].append(
        {
            "id": "tutor_customers",
            "description": "Quill Tutor: 6,000 customers by Q12",
            "kpi": "customers",
            "product": "tutor",
            "target": 6000,
            "by": 12,
        }
    )
    sc = load_scenario_text(yaml.safe_dump(data))
    sim = _sim(sc)
    turns = cm.play(sim, {"cpo": "balanced", "pm:tutor": "greedy_share"}, 2)
    seats = cm.scorecards(sc, sim.scorecard("player"), sim.history, turns)["seats"]
    assert [o["id"] for o in seats["pm:tutor"]["objectives"]] == ["tutor_customers"]
    assert "tutor_customers" not in [o["id"] for o in seats["cpo"]["objectives"]]


def test_the_quarters_read_as_a_conversation_between_seats(portfolio) -> None:
    sim = _sim(portfolio)
    cpo = cm.CpoTurn(
        decisions=Decisions(themes={"tutor": "growth"}),
        direction={"tutor": cm.Direction(budget=20_000, strategy="Win families first")},
    )
    share = cm.Share(
        studies=[cm.StudyRef(quarter=1, method="interviews", segment="families")],
        note="Families want adaptive practice, not more content",
    )
    pm = cm.PmTurn(
        decision=ProductDecision(
            price=36.0,
            marketing={"families": 30_000},
            research=[ResearchOrder(method="interviews", segment="families")],
        ),
        share=share,
    )
    decisions, flags = cm.combine(portfolio, cpo, {"tutor": pm})
    report = sim.step({"player": decisions})
    turns = [cm.SeatTurns(cpo, {"tutor": pm}, flags, report)]
    said = [(line.seat, line.text) for line in cm.conversation(portfolio, sim.history, turns)]
    assert ("cpo", "themes: Quill Tutor: Growth") in said
    assert ("cpo", "Quill Tutor: budget $20,000; strategy: Win families first") in said
    assert ("pm:tutor", "Quill Tutor: price $40 → $36 (-10%)") in said
    assert (
        "pm:tutor",
        "Shared 1 study with the CPO. Note: Families want adaptive practice, not more content",
    ) in said
    assert any(s == "pm:tutor" and "over the CPO's budget" in t for s, t in said)


def test_a_cpos_mentoring_sharpens_a_human_pms_estimates(portfolio) -> None:
    """Mentoring raises the PM's skill, and a PM seat's estimates of item effects are as
    sharp as the PM's skill: the human PM of Tutor sees closer estimates after mentoring."""
    mentored, alone = _sim(portfolio), _sim(portfolio)
    for sim, mentoring in ((mentored, {"tutor": 1.0}), (alone, {})):
        for _ in range(4):
            cpo = cm.CpoTurn(decisions=Decisions(mentoring=mentoring))
            decisions, _ = cm.combine(portfolio, cpo, {"tutor": cm.PmTurn()})
            sim.step({"player": decisions})

    def estimate_error(sim) -> float:
        view = cm.pm_view(sim.view("player"), "tutor")
        book = sim.company.books["player"]
        errors = []
        for item in view.organisation.lines["tutor"].items:
            truth = book.roadmap.items[item.id].true_effects
            errors += [abs(item.effects[a] - truth[a]) for a in truth]
        return sum(errors)

    skill = {
        name: sim.company.books["player"].org.teams["tutor"].pm_skill
        for name, sim in (("mentored", mentored), ("alone", alone))
    }
    assert skill["mentored"] > skill["alone"]
    assert estimate_error(mentored) < estimate_error(alone)
