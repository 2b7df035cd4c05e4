"""Colleagues (engine.stakeholders): requests, answers, promises, trust and what they do.

The fixture ``tests/fixtures/people/deal.yaml`` is the tutorial with a sales lead (Dana
Okafor: Northwind signs 1,200 mid-market seats if single sign-on ships by the end of Q6) and
an engineering lead (Sam Lee: a quarter of the time on debt for two quarters, from Q2).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine import stakeholders
from engine.bots import play
from engine.decisions import CapacitySplit, Decisions, ProductDecision, RequestResponse
from engine.loader import ScenarioError, load_scenario, load_scenario_text
from engine.simulation import Simulation

FIXTURE = Path(__file__).parent / "fixtures" / "people" / "deal.yaml"
RESOLUTION = 1000


@pytest.fixture(scope="module")
def deal():
    return load_scenario(FIXTURE)


def _shipped(sim: Simulation) -> set[str]:
    return {i for r in sim.history[1:] for i in r.organisation["player"].shipped}


def _play(sim: Simulation, roadmap: list[str], answer, quarters: int, features: float = 0.95):
    """Play ``quarters`` quarters building ``roadmap`` and answering every request with
    ``answer(key)`` (None: no answer)."""
    for _ in range(quarters):
        people = sim.history[-1].people["player"]
        replies = {}
        for req in people.requests:
            reply = answer(req.key)
            if reply is not None:
                replies[req.key] = reply
        shipped = _shipped(sim)
        split = CapacitySplit(features=features, debt=1 - features, discovery=0.0)
        line = ProductDecision(roadmap=[i for i in roadmap if i not in shipped], split=split)
        sim.step({"player": Decisions(products={"teamboard": line}, responses=replies)})
    return sim.history[-1]


def _accept(key: str) -> RequestResponse:
    return RequestResponse(answer="accept")


def _share_explanation(report, segment: str):
    return next(
        e
        for e in report.drivers
        if e.kpi == "share" and e.segment == segment and e.firm == "player"
    )


def test_keeping_the_sales_promise_wins_the_deal_and_the_drivers_name_it(deal) -> None:
    sim = Simulation(deal, role="pm", resolution=RESOLUTION)
    assert [r.key for r in sim.history[0].people["player"].requests] == ["sales.northwind"]
    _play(sim, ["api", "sso"], _accept, 6)
    promise = next(
        p for p in sim.history[-1].people["player"].promises if p.key == "sales.northwind"
    )
    assert promise.status == "kept" and promise.closed is not None and promise.closed <= 6
    kept_at = promise.closed
    sales = next(c for c in sim.history[kept_at].people["player"].colleagues if c.id == "sales")
    assert sales.trust == pytest.approx(0.6 + 0.15)
    assert sales.mood == "pleased"
    while sim.state.quarter < kept_at + 1:
        _play(sim, ["onboarding"], _accept, 1)
    report = sim.history[kept_at + 1]
    # the deal signs at the start of the next quarter, sized by sales' trust (0.75: ×1.25)
    entry = next(e for e in report.events if e.get("source") == "people" and e["deals"])
    assert "Dana Okafor" in entry["title"] and "Northwind signed" in entry["title"]
    assert "1,500 customers in Mid-market sign up for Teamboard" in entry["effects"][0]
    mid = _share_explanation(report, "mid")
    deals = next(d for d in mid.drivers if d.factor == "deals")
    assert deals.size > 0.2  # 1,500 of about 4,700 in the category (the sample's measure)
    assert "Dana Okafor" in deals.text
    assert sum(d.size for d in mid.drivers) == pytest.approx(mid.change, abs=1e-9)
    assert "Dana Okafor" in mid.summary


def test_breaking_the_sales_promise_loses_the_deal_and_lowers_trust(deal) -> None:
    sim = Simulation(deal, role="pm", resolution=RESOLUTION)
    _play(sim, ["onboarding", "mobile"], _accept, 7)
    people = sim.history[6].people["player"]
    promise = next(p for p in people.promises if p.key == "sales.northwind")
    assert promise.status == "broken" and promise.closed == 6
    sales = next(c for c in people.colleagues if c.id == "sales")
    assert sales.trust == pytest.approx(0.6 - 0.25)
    assert sales.mood == "let_down" and any("Promise broken" in w for w in sales.why)
    q7 = sim.history[7]
    entry = next(e for e in q7.events if "Dana Okafor" in e["title"])
    assert "Northwind walked away" in entry["title"] and "Dana Okafor" in entry["title"]
    assert not entry["deals"]
    assert all(d.factor != "deals" for r in sim.history[1:] for e in r.drivers for d in e.drivers)
    mid = _share_explanation(q7, "mid")
    events_driver = next(d for d in mid.drivers if d.factor == "events")
    assert "Dana Okafor" in events_driver.text  # the lost deal's awareness hit is named


def test_kept_and_broken_promises_change_the_market_through_the_model(deal) -> None:
    kept = Simulation(deal, role="pm", resolution=RESOLUTION, seed=3)
    broken = Simulation(deal, role="pm", resolution=RESOLUTION, seed=3)
    _play(kept, ["api", "sso"], _accept, 8)
    _play(broken, ["api", "sso"], lambda key: None, 8)  # the same work, nothing promised
    gained = (
        kept.history[-1].products["teamboard"].customers_by_segment["mid"]
        - broken.history[-1].products["teamboard"].customers_by_segment["mid"]
    )
    assert gained > 1000  # the deal's customers stay (some churn, as any customer may)


def test_the_same_seed_and_answers_give_the_same_json(deal) -> None:
    def run() -> str:
        sim = Simulation(deal, role="pm", resolution=RESOLUTION, seed=11)
        _play(sim, ["api", "sso", "onboarding"], _accept, 6)
        return json.dumps([r.to_dict() for r in sim.history], sort_keys=True)

    assert run() == run()


def test_every_quarter_carries_requests_answers_promises_and_trust(deal) -> None:
    sim = Simulation(deal, role="pm", resolution=RESOLUTION)
    _play(sim, ["api", "sso"], _accept, 3)
    q2 = sim.history[2].to_dict()["people"]["player"]
    # Sam's debt time was promised in Q2 and broken at once: 5% on debt, not 25%
    assert {c["id"]: c["trust"] for c in q2["colleagues"]} == {"sales": 0.6, "eng": 0.25}
    assert [r["outcome"] for r in q2["responses"]] == ["accepted"]
    status = {p["key"]: p["status"] for p in q2["promises"]}
    assert status == {"sales.northwind": "open", "eng.debt_sprint": "broken"}
    assert sim.history[1].to_dict()["people"]["player"]["requests"][0]["key"] == ("eng.debt_sprint")
    # a scenario without colleagues keeps its reports exactly as they were
    plain = Simulation(load_scenario("scenarios/tutorial.yaml"), role="pm", resolution=200)
    assert "people" not in plain.history[0].to_dict()


def test_an_ignored_request_costs_more_trust_than_a_decline(deal) -> None:
    ignored = Simulation(deal, role="pm", resolution=RESOLUTION)
    declined = Simulation(deal, role="pm", resolution=RESOLUTION)
    _play(ignored, [], lambda key: None, 1)
    _play(declined, [], lambda key: RequestResponse(answer="decline", reason="market"), 1)

    def trust(sim):
        return {c.id: c.trust for c in sim.history[-1].people["player"].colleagues}["sales"]

    assert trust(ignored) == pytest.approx(0.6 - 0.12)
    assert trust(declined) == pytest.approx(0.6 - 0.05)
    outcome = ignored.history[-1].people["player"].responses[0]
    assert (outcome.answer, outcome.outcome) == ("none", "ignored")


def test_negotiation_is_agreed_with_enough_trust_else_asked_again(deal) -> None:
    sim = Simulation(deal, role="pm", resolution=RESOLUTION)
    # Q6 + 2 quarters needs 0.35 + 2 × 0.1 = 0.55; Dana trusts 0.6: agreed
    _play(sim, [], lambda key: RequestResponse(answer="negotiate", due=8), 1)
    response = sim.history[1].people["player"].responses[0]
    assert (response.outcome, response.due) == ("agreed", 8)
    promise = sim.history[1].people["player"].promises[0]
    assert promise.due == 8 and promise.status == "open"

    low = load_scenario_text(
        FIXTURE.read_text().replace("trust: 0.6", "trust: 0.5"), folder=FIXTURE.parent
    )
    sim = Simulation(low, role="pm", resolution=RESOLUTION)
    warned = sim.problems("player", Decisions(responses={"sales.northwind": _negotiate(8)}))
    assert [p.severity for p in warned] == ["warning"] and "0.55" in warned[0].message
    _play(sim, [], lambda key: _negotiate(8) if key == "sales.northwind" else None, 1)
    response = sim.history[1].people["player"].responses[0]
    assert response.outcome == "refused"
    again = sim.history[1].people["player"].requests
    assert next((r.key, r.asked, r.due, r.held) for r in again) == ("sales.northwind", 2, 6, True)


def _negotiate(due: int) -> RequestResponse:
    return RequestResponse(answer="negotiate", due=due)


def test_a_broken_promise_is_remembered_the_next_ask_comes_sooner_and_bigger() -> None:
    state = stakeholders.initial_state(
        load_scenario(FIXTURE), "pm", ["teamboard"], ["teamboard", "insights"]
    )
    eng = state.colleagues["eng"]
    eng.broken = 1
    stakeholders.ask(state, 2, {}, np.random.default_rng(0))
    req = state.open["eng.debt_sprint"]
    assert req.due == 2  # due_in 2 less one broken promise: due the quarter it is asked
    assert req.ask.share == pytest.approx(0.30)  # 25% + 5 points per broken promise
    assert "After a broken promise" in req.text


def test_trust_at_work_closed_form() -> None:
    sc = load_scenario_text(
        FIXTURE.read_text()
        .replace("role: engineering", "role: design")
        .replace("role: sales", "role: marketing"),
        folder=FIXTURE.parent,
    )
    state = stakeholders.initial_state(sc, "pm", ["teamboard"], ["teamboard"])
    state.colleagues["sales"].trust = 1.0  # marketing, full trust
    state.colleagues["eng"].trust = 0.0  # design, none
    mods = stakeholders.modifiers(state)
    assert mods.reach == pytest.approx(1 + stakeholders.MARKETING_REACH)
    assert mods.shipped_quality == pytest.approx(-stakeholders.DESIGN_QUALITY)
    assert mods.research_cost == pytest.approx(1 + stakeholders.DESIGN_RESEARCH_COST)
    assert mods.costs == 1.0 and mods.culture == {}
    neutral = stakeholders.initial_state(sc, "cpo", [], [])
    assert stakeholders.modifiers(neutral).neutral


def test_engineering_trust_moves_morale_through_the_organisation(deal) -> None:
    high = load_scenario_text(
        FIXTURE.read_text().replace("trust: 0.5", "trust: 1.0"), folder=FIXTURE.parent
    )
    low = load_scenario_text(
        FIXTURE.read_text().replace("trust: 0.5", "trust: 0.0"), folder=FIXTURE.parent
    )
    morale = {}
    for name, sc in (("high", high), ("low", low)):
        sim = Simulation(sc, role="pm", resolution=RESOLUTION)
        sim.step({"player": Decisions()})
        morale[name] = sim.history[-1].organisation["player"].morale
    assert morale["high"] > morale["low"]


def test_answers_are_checked_with_every_problem_in_words(deal) -> None:
    sim = Simulation(deal, role="pm", resolution=RESOLUTION)
    found = sim.problems(
        "player",
        Decisions(
            responses={
                "sales.nope": RequestResponse(answer="accept"),
                "sales.northwind": RequestResponse(answer="decline"),
            }
        ),
    )
    messages = {p.where: p.message for p in found}
    assert "no colleague is waiting" in messages["responses.sales.nope"]
    assert "say why you decline" in messages["responses.sales.northwind"]
    late = sim.problems("player", Decisions(responses={"sales.northwind": _negotiate(9)}))
    assert "will not wait beyond Q8" in late[0].message
    early = sim.problems("player", Decisions(responses={"sales.northwind": _negotiate(5)}))
    assert "later quarter than Q6" in early[0].message
    smaller = sim.problems(
        "player",
        Decisions(responses={"sales.northwind": RequestResponse(answer="negotiate", smaller=True)}),
    )
    assert "no smaller version" in smaller[0].message
    with pytest.raises(ValueError, match="say why you decline"):
        sim.step({"player": Decisions(responses={"sales.northwind": {"answer": "decline"}})})


def test_broken_references_in_colleagues_are_reported_at_once() -> None:
    text = (
        FIXTURE.read_text()
        .replace("item: sso", "item: ssso")
        .replace("segment: mid, customers", "segment: middle, customers")
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, folder=FIXTURE.parent)
    problems = "\n".join(str(p) for p in caught.value.problems)
    assert "unknown backlog item 'ssso'" in problems and "did you mean 'sso'" in problems
    assert "unknown segment 'middle'" in problems


def test_a_trust_objective_needs_colleagues() -> None:
    text = (Path("scenarios") / "tutorial.yaml").read_text().replace("kpi: morale", "kpi: trust")
    with pytest.raises(ScenarioError, match="add 'stakeholders'"):
        load_scenario_text(text)


def test_collaboration_is_scored_only_with_colleagues(deal) -> None:
    sim = Simulation(deal, role="pm", resolution=300, explain=False)
    play(sim, "balanced")
    card = sim.scorecard()
    assert "collaboration" in card["competencies"]
    evidence = card["competencies"]["collaboration"]["evidence"]
    assert evidence[1].startswith("Kept 2 of 2 promises")
    plain = Simulation(load_scenario("scenarios/tutorial.yaml"), role="pm", resolution=300)
    play(plain, "balanced")
    assert "collaboration" not in plain.scorecard()["competencies"]


def _mean_score(sc, bot: str, seeds: range, manner=None) -> float:
    from engine import bots

    scores = []
    for seed in seeds:
        sim = Simulation(sc, seed=seed, role="pm", resolution=300, explain=False)
        b = bots.make_bot(bot, sim.streams.generator("bots", 0, 0))
        if manner is not None:
            b.manner = manner  # type: ignore[attr-defined]
        while not sim.finished:
            sim.step({"player": b.decide(sim.view("player"))})
        scores.append(sim.scorecard()["score"])
    return float(np.mean(scores))


def test_saying_yes_to_everything_scores_clearly_below_weighing_each_request() -> None:
    from engine.colleague_bots import Manner

    sc = load_scenario("scenarios/alignment.yaml")
    seeds = range(4)
    balanced = _mean_score(sc, "balanced", seeds)
    # feature_factory accepts every request; so does balanced in a "yes" manner, which
    # also works to keep every promise: over-commitment alone costs it
    assert _mean_score(sc, "feature_factory", seeds) < balanced - 30
    assert _mean_score(sc, "balanced", seeds, Manner("yes")) < balanced - 10


def test_low_engineering_trust_makes_the_estimates_optimistic_not_the_work(deal) -> None:
    low = load_scenario_text(
        FIXTURE.read_text().replace("trust: 0.5", "trust: 0.1"), folder=FIXTURE.parent
    )
    seen = {}
    for name, sc in (("neutral", deal), ("low", low)):
        sim = Simulation(sc, role="pm", resolution=RESOLUTION)
        items = sim.view("player").organisation.lines["teamboard"].items
        seen[name] = {i.id: i.remaining for i in items}
    # trust 0.1: lean −0.8, estimates × (1 − 0.25 × 0.8) = 0.8 of the authored effort
    assert seen["neutral"]["onboarding"] == pytest.approx(25.0)
    assert seen["low"]["onboarding"] == pytest.approx(25.0 * 0.8)
