"""Each product line in words (engine/lines.py): the plan before a quarter, the quarter after.

Golden decisions on the bundled scenarios: a team on debt work only ships nothing and says
so; a blocked item names what it waits for; over capacity is counted; the AI PMs' plan shown
before a quarter is the plan they play; incubation is a standing team that leaves its lines
only while a bet is funded; every text names things, never ids.
"""

from __future__ import annotations

import re

import pytest

from engine.decisions import CapacitySplit, Decisions, ProductDecision, describe
from engine.loader import load_scenario
from engine.report import TurnReport
from engine.scenario import Scenario
from engine.simulation import Simulation
from game.paths import find_scenario

RESOLUTION = 200


def _scenario(name: str) -> Scenario:
    path = find_scenario(name)
    assert path is not None
    return load_scenario(path)


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    return _scenario("tutorial")


def _sim(scenario: Scenario, role: str, seed: int = 11) -> Simulation:
    sim = Simulation(scenario, seed, role=role, resolution=RESOLUTION)
    sim.reset()
    return sim


def _line(report: TurnReport, line: str):
    return report.organisation["player"].lines[line]


def test_a_team_on_debt_work_only_ships_nothing_and_says_why(tutorial):
    sim = _sim(tutorial, "pm")
    debt_only = ProductDecision(
        roadmap=["onboarding"], split=CapacitySplit(features=0.0, debt=0.9, discovery=0.1)
    )
    result = _line(sim.step({"player": Decisions(products={"teamboard": debt_only})}), "teamboard")
    assert result.shipped == [] and result.shipped_text == []
    assert result.reasons[0] == (
        "nothing shipped: the team spent the quarter mostly on technical debt "
        "(90% of its time, 0% on features)"
    )
    assert "90% of the team's time goes to paying down technical debt" in result.context
    assert result.split == {"features": 0.0, "debt": 0.9, "discovery": 0.1}


def test_a_blocked_item_names_what_it_waits_for(tutorial):
    sim = _sim(tutorial, "pm")
    both = Decisions(products={"teamboard": ProductDecision(roadmap=["api", "slack"])})
    plan = sim.outlook("player", both).lines["teamboard"]
    assert [(i.name, i.waits_for) for i in plan.items] == [
        ("Public API", ()),
        ("Chat integration", ("Public API",)),
    ]
    assert "blocked: Chat integration waits for Public API" in plan.reasons
    result = _line(sim.step({"player": both}), "teamboard")
    assert result.blocked == {"slack": ["api"]}
    assert "blocked: Chat integration waits for Public API" in result.reasons
    assert any(r.startswith("Public API in progress: ") for r in result.reasons)


def test_over_capacity_is_counted_and_warned_in_words(tutorial):
    sim = _sim(tutorial, "pm")
    busy = Decisions(products={"teamboard": ProductDecision(roadmap=["onboarding", "mobile"])})
    plan = sim.outlook("player", busy).lines["teamboard"]
    assert plan.planned > plan.capacity
    over = f"over capacity by {plan.planned - plan.capacity:.0f} of {plan.capacity:.0f} feature"
    assert any(r.startswith(over) for r in plan.reasons)
    report = sim.step({"player": busy})
    assert any(r.startswith("over capacity by ") for r in _line(report, "teamboard").reasons)
    warnings = report.organisation["player"].warnings
    assert warnings and warnings[0].startswith("Teamboard roadmap: Planned ")
    assert "over capacity by" in warnings[0]


def test_what_shipped_says_what_it_changed(tutorial):
    sim = _sim(tutorial, "pm")
    onboarding = Decisions(products={"teamboard": ProductDecision(roadmap=["onboarding"])})
    for _ in range(3):
        result = _line(sim.step({"player": onboarding}), "teamboard")
        if result.shipped:
            break
    assert result.shipped == ["onboarding"]
    change = result.effects["onboarding"]["usability"]
    assert result.shipped_text == [f"Guided onboarding: Usability {change:+.2f}"]


@pytest.mark.parametrize("scenario", ["tutorial", "portfolio", "disruptor"])
def test_the_ai_pms_play_the_plan_the_cpo_was_shown(scenario):
    """The outlook's plan is the one the AI PMs play: same items, order, split and price."""
    sc = _scenario(scenario)
    sim = _sim(sc, "cpo", seed=5)
    firm = sc.player_firms()[0].id
    lines = list(sim.view(firm).organisation.lines)
    for quarter in range(3):
        dec = Decisions(themes={lines[0]: ("profit", "growth", "quality")[quarter]})
        outlook = sim.outlook(firm, dec)
        report = sim.step({firm: dec})
        for line, plan in outlook.lines.items():
            played = report.organisation[firm].lines[line]
            assert [i.id for i in plan.items] == played.roadmap
            assert plan.split.model_dump() == played.split
            assert plan.planned == pytest.approx(played.planned, abs=1e-3)
            assert report.products[line].price == pytest.approx(plan.price)


def test_a_new_pm_is_named_as_picking_naively():
    sc = _scenario("portfolio")
    plan = _sim(sc, "cpo").outlook("player", Decisions()).lines["tutor"]
    assert plan.pm_skill < 0.3
    assert any(c.startswith(f"the PM is new (skill {plan.pm_skill:.2f})") for c in plan.context)


def test_incubation_stands_and_lends_only_while_a_bet_is_funded(tutorial):
    sim = _sim(tutorial, "cpo")
    idle = Decisions(incubation=2)
    outlook = sim.outlook("player", idle)
    assert outlook.lent == {} and "no bet is being funded" in outlook.incubation_text
    report = sim.step({"player": idle})
    assert all(r.lent == 0 for r in report.organisation["player"].lines.values())
    funded = Decisions(bets=["ai_lab"], incubation=2)
    outlook = sim.outlook("player", funded)
    assert sum(outlook.lent.values()) == 2
    assert "2 engineers work in incubation this quarter, lent by " in outlook.incubation_text
    report = sim.step({"player": funded})
    assert sum(r.lent for r in report.organisation["player"].lines.values()) == 2
    lab = next(b for b in sim.outlook("player", funded).bets if b.id == "ai_lab")
    assert (lab.funded, lab.quarters, lab.outcome) == (1, 2, None)
    assert lab.unlocks == ("AI schedule assistant",)


def test_the_solo_draft_keeps_the_incubation_team():
    from game.session import Session, read_scenario

    path = find_scenario("tutorial")
    assert path is not None
    session = Session(read_scenario(path), "cpo", 11)
    session.draft.bets = ["ai_lab"]
    session.draft.incubation = 3
    for _ in range(3):  # the bet resolves after two quarters; the team stays
        session.end_quarter(autosave=False)
        assert session.draft.incubation == 3
    assert "ai_lab" in session.org().bets_resolved and session.draft.bets == []


def test_decision_summaries_name_lines_and_themes(tutorial):
    dec = Decisions(themes={"insights": "profit", "teamboard": "growth"}, incubation=2)
    sim = _sim(tutorial, "cpo")
    said = describe(tutorial, dec, sim.history[-1], None)
    assert "themes: Teamboard: Growth; Teamboard Insights: Profit" in said
    assert "incubation team: 2 engineers (no bet funded: they stay on their lines)" in said
    assert not any("insights profit" in s or "profit" in s.split(":")[-1] for s in said)


@pytest.mark.parametrize("scenario", ["tutorial", "portfolio", "culture_turnaround", "disruptor"])
def test_no_ids_in_what_the_cpo_reads(scenario):
    """Plans, reasons, shipped items, bets and warnings use names; no id leaks into them."""
    sc = _scenario(scenario)
    sim = _sim(sc, "cpo", seed=3)
    firm = sc.player_firms()[0].id
    ids = {b.id for b in sc.backlog} | {p.id for _, p in sc.products()} | {b.id for b in sc.bets}
    ids |= {m.id for m in sc.research} | {s.id for s in sc.segments} | {a.id for a in sc.attributes}
    names = {b.name for b in sc.backlog} | {p.name for _, p in sc.products()}
    names |= {b.name for b in sc.bets} | {m.name for m in sc.research}
    names |= {s.name for s in sc.segments} | {a.name for a in sc.attributes}
    texts: list[str] = []
    for _ in range(4):
        decided = sim.view(firm).organisation.bets_resolved
        dec = Decisions(bets=[b.id for b in sc.bets[:1] if b.id not in decided], incubation=1)
        outlook = sim.outlook(firm, dec)
        texts.append(outlook.incubation_text)
        for plan in outlook.lines.values():
            texts += [*plan.reasons, *plan.context, *plan.research, *(i.name for i in plan.items)]
        texts += [u for b in outlook.bets for u in b.unlocks]
        org = sim.step({firm: dec}).organisation[firm]
        texts += org.warnings
        for result in org.lines.values():
            texts += [*result.reasons, *result.context, *result.shipped_text]
    assert texts
    for text in texts:
        for name in names:  # a name may contain an id ("Public API" holds "api")
            text = text.replace(name, "")
        leaked = [i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)]
        assert not leaked, f"{leaked} in {text!r}"
