"""Decision validation lists every problem at once, in words, and never clips."""

from __future__ import annotations

import pytest

from engine.company import DecisionError
from engine.decisions import CapacitySplit, Decisions, ProductDecision, ResearchOrder
from engine.loader import load_scenario
from engine.simulation import Simulation
from game.paths import bundled_scenarios


@pytest.fixture(scope="module")
def tutorial():
    return load_scenario(next(p for p in bundled_scenarios() if p.stem == "tutorial"))


@pytest.fixture
def sim(tutorial):
    return Simulation(tutorial, seed=1, role="pm", resolution=40)


def test_every_problem_in_one_call(sim):
    bad = Decisions(
        products={
            "teamboard": ProductDecision(
                price=-5,
                marketing={"smb": -100.0, "moon": 10.0},
                roadmap=[
                    "api",
                    "slack",
                    "sso",
                    "crm",
                    "mobile",
                    "nope",
                    "dashboards",
                    "slack",
                    "ai_planner",
                ],
                research=[
                    ResearchOrder(method="telepathy", segment="smb"),
                    ResearchOrder(method="survey", segment="mars"),
                ],
                layoffs=99,
                hires=2,
            ),
            "planly": ProductDecision(price=100),
            "insights": ProductDecision(price=100),
            "ghost": ProductDecision(),
        },
        initiatives=["hack_week", "yoga"],
        hiring_freeze=True,
        mentoring={"teamboard": 0.5},
        bets=["ai_lab"],
    )
    problems = sim.problems("player", bad)
    text = "\n".join(str(p) for p in problems)
    expected = [
        "price must be above zero (got -5",
        "marketing spend cannot be negative",
        "unknown segment 'moon'",
        "unknown backlog item 'nope'",
        "Executive dashboards belongs to Teamboard Insights, not Teamboard",
        "Chat integration is listed twice",
        "unknown backlog item 'ai_planner'",  # a breakthrough not yet discovered
        "unknown research method 'telepathy'",
        "unknown segment 'mars'",
        "cannot hire 2 during a hiring freeze",
        "cannot lay off 99: the team has 10 people",
        "'planly' is another firm's product",
        "'insights' is not a line you run as PM",
        "unknown product 'ghost'",
        "unknown culture initiative 'yoga'",
        "only a CPO decides mentoring",
        "only a CPO decides bets",
        "over capacity by",
    ]
    for phrase in expected:
        assert phrase in text, f"missing: {phrase}\n{text}"
    assert problems[-1].severity == "warning"  # errors first
    with pytest.raises(DecisionError) as caught:
        sim.step({"player": bad})
    assert len(caught.value.problems) == sum(p.severity == "error" for p in problems)
    assert sim.state.quarter == 0  # nothing was played


def test_unmet_dependency_and_spend_beyond_cash(sim):
    dec = Decisions(
        products={
            "teamboard": ProductDecision(
                roadmap=["slack"], marketing={"smb": 5_000_000.0}, split=CapacitySplit()
            )
        }
    )
    text = [str(p) for p in sim.problems("player", dec)]
    assert any("Chat integration depends on Public API, which has not shipped" in t for t in text)
    assert any("beyond the cash available ($3,000,000): the firm will borrow" in t for t in text)


def test_over_capacity_is_a_warning_with_its_size_and_is_played_as_given(sim):
    dec = Decisions(
        products={"teamboard": ProductDecision(roadmap=["api", "sso", "onboarding", "uptime"])}
    )
    problems = sim.problems("player", dec)
    assert [p.severity for p in problems] == ["warning"]
    lv = sim.view("player").organisation.lines["teamboard"]
    available = lv.feature_rate * 0.7
    over = 35 + 40 + 25 - available
    assert f"of {available:.0f} feature points: over capacity by {over:.0f}," in problems[0].message
    assert "the team will crunch" in problems[0].message
    report = sim.step({"player": dec})
    org = report.organisation["player"]
    assert org.warnings and org.lines["teamboard"].overtime > 0


def test_valid_decisions_have_no_problems(sim):
    dec = Decisions(
        products={
            "teamboard": ProductDecision(
                price=290,
                roadmap=["themes", "api"],  # the last item may spill into next quarter
                research=[ResearchOrder(method="interviews", segment="mid")],
            )
        },
        initiatives=["hack_week"],
    )
    assert sim.problems("player", dec) == []


def test_cpo_checks(tutorial):
    sim = Simulation(tutorial, seed=1, role="cpo", resolution=40)
    dec = Decisions(
        mentoring={"teamboard": 0.8, "insights": 0.5},
        themes={"nowhere": "growth"},
        bets=["ai_lab", "moonshot"],
        incubation=500,
        sunset=["teamboard", "insights"],
    )
    text = "\n".join(str(p) for p in sim.problems("player", dec))
    for phrase in (
        "mentoring time adds up to 130%, more than 100%",
        "unknown product line 'nowhere'",
        "unknown innovation bet 'moonshot'",
        "cannot move 500 engineers to incubation: the firm has 16",
        "cannot sunset every product line",
    ):
        assert phrase in text, f"missing: {phrase}\n{text}"


def test_an_item_past_its_estimate_is_not_called_idle():
    """A roadmap whose only item ran past its estimate is not 'nothing planned'."""
    from engine.roadmap import PlanLoad, load_of, load_words

    names = {"api": "Public API"}
    late = load_of(["api"], {"api": 0.0}, 22.0)
    assert late.overrun == ("api",) and late.planned == 0.0
    assert "Public API ran past the estimate" in load_words(late, names)
    assert load_words(PlanLoad(0.0, 0.0, 22.0, None), names).startswith("Nothing planned")
    carry = load_of(["a", "b"], {"a": 10.0, "b": 30.0}, 22.0)
    assert (
        carry.carry == "b" and carry.crunch == 0.0 and "b will carry over" in load_words(carry, {})
    )
    crunch = load_of(["a", "b"], {"a": 30.0, "b": 10.0}, 22.0)
    assert crunch.crunch == pytest.approx(8.0) and "over capacity by 8" in load_words(crunch, {})
