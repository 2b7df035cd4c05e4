"""The coach's rules (game.coach) and the reflection prompts (engine.debrief), without pygame."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from market_scenarios import TUTORIAL, tutorial

from engine.debrief import quarter_themes, reflection_prompt
from engine.decisions import Decisions, ProductDecision, ResearchOrder
from engine.loader import load_scenario
from engine.report import Driver, Explanation, share_impact
from engine.simulation import Simulation
from game import coach
from game.coach import Facts, facts_of, place, quarter_note, suggestion, walkthrough
from game.session import Session, read_scenario


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tutorial with 200 synthetic customers per segment (a fast Session)."""
    data = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    for seg in data["segments"]:
        seg["resolution"] = 200
    path = tmp_path_factory.mktemp("coach") / "tutorial.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _session(small: Path, role: str = "pm", level: str = "guided") -> Session:
    return Session(read_scenario(small, bundled=False), role, 5, level)


def test_pure_rules_do_not_load_pygame() -> None:
    code = "import sys, game.coach; print(sorted(m for m in sys.modules if 'pygame' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_levels_default_to_guided_for_the_tutorial_only() -> None:
    assert coach.default_level(tutorial()) == "guided"
    price_war = load_scenario(TUTORIAL.parent / "price_war.yaml")
    assert coach.default_level(price_war) == "none"
    assert [coach.next_level(x) for x in coach.LEVELS] == ["hints", "none", "guided"]
    assert coach.level_of("loud") == "none" and coach.level_of(None) == "none"


def test_guided_walkthrough_follows_what_the_trainee_does(small: Path) -> None:
    session = _session(small)
    c = session.coach
    facts = facts_of(session)
    assert [s.id for s in walkthrough(facts)] == ["research", "roadmap", "price", "end"]
    step = c.step(facts, session.draft, "Dashboard")
    # Every segment is equally unknown at the start: the objectives' segment comes first.
    assert step is not None and step.id == "research" and step.target == "research:mid"
    assert "Mid-market" in step.text and "Customer interviews" in step.text
    line = session.product_draft("teamboard")
    assert c.step(facts, session.draft, "Research").id == "research"  # opening a tab: not yet
    line.research = [ResearchOrder(method="interviews", segment="mid")]
    assert c.step(facts, session.draft, "Research").id == "roadmap"
    line.roadmap = ["onboarding"]
    assert c.step(facts, session.draft, "Roadmap").id == "price"
    line.marketing = {"smb": 20_000.0}
    end = c.step(facts, session.draft, "Pricing & marketing")
    assert end is not None and end.id == "end" and end.target == "hub:submit"
    assert c.position(facts) == (4, 4)
    session.end_quarter(autosave=False)
    later = facts_of(session)
    assert c.step(later, session.draft, "Dashboard") is None  # quarter 2: no walkthrough
    assert c.note(later) is not None  # ... but the notes


def test_next_and_skip(small: Path) -> None:
    session = _session(small)
    c = session.coach
    facts = facts_of(session)
    c.next()
    assert c.step(facts, session.draft, "Dashboard").id == "roadmap"
    c.skip()
    assert c.step(facts, session.draft, "Dashboard") is None
    c.set_level("guided")  # turned back on: starts over
    assert c.step(facts, session.draft, "Dashboard").id in ("research", "roadmap")


def test_hints_and_none_levels(small: Path) -> None:
    hints = _session(small, level="hints")
    quiet = _session(small, level="none")
    for s in (hints, quiet):
        assert s.coach.step(facts_of(s), s.draft, "Dashboard") is None
        assert s.coach.note(facts_of(s)) is None  # nothing to say before quarter 1
        s.end_quarter(autosave=False)
    note = hints.coach.note(facts_of(hints))
    assert note is not None and note.changed and note.suggestion
    assert quiet.coach.note(facts_of(quiet)) is None
    hints.coach.dismiss(2)
    assert hints.coach.note(facts_of(hints)) is None


def test_cpo_walkthrough_uses_the_tabs_a_cpo_has(small: Path) -> None:
    session = _session(small, role="cpo")
    facts = facts_of(session)
    assert [s.id for s in walkthrough(facts)] == ["market", "end"]
    step = session.coach.step(facts, session.draft, "Market")
    assert step is not None and step.id == "end"  # opening the Market tab did the first step


def _facts(small: Path, **changes: object) -> Facts:
    """Facts after one played quarter, with no drivers unless a test gives some."""
    session = _session(small)
    session.end_quarter(autosave=False)
    facts = facts_of(session)
    return replace(facts, report=replace(facts.report, drivers=[]), **changes)


def test_suggestions_follow_the_state_in_order(small: Path) -> None:
    base = _facts(small)
    over = replace(base, warnings=("Teamboard roadmap: over capacity by 12 points (40 planned)",))
    assert "over capacity" in suggestion(over)
    fresh = replace(base, studies=0)
    text = suggestion(fresh)
    assert "customer interviews in Mid-market" in text and "know least" in text
    empty = replace(base, studies=2, roadmap_empty=True, items_left=True)
    assert "Nothing is on your roadmap" in suggestion(empty)
    quiet = replace(base, studies=2, roadmap_empty=False, awareness={"mid": 0.2}, priority=("mid",))
    assert "Only 20% of Mid-market" in suggestion(quiet)
    calm = replace(quiet, awareness={"mid": 0.6})
    assert "write down what you expect" in suggestion(calm)


def _share(segment: str, change: float, factor: str, size: float) -> Explanation:
    drivers = [Driver(factor, size, f"the {factor} text"), Driver("chance", change - size, "x")]
    return Explanation("player", "share", segment, 0.2, 0.2 + change, change, drivers, "s")


def test_price_moves_point_to_the_preview(small: Path) -> None:
    base = _facts(small, studies=2, roadmap_empty=False)
    report = replace(base.report, drivers=[_share("smb", -0.04, "price", -0.03)])
    assert "moved mostly on your price" in suggestion(replace(base, report=report))
    rivals = replace(base.report, drivers=[_share("mid", -0.05, "competitors", -0.04)])
    text = suggestion(replace(base, report=rivals))
    assert "Mid-market share moved mostly on your rivals' moves" in text


def test_what_changed_names_the_biggest_move_and_its_driver(small: Path) -> None:
    base = _facts(small)
    report = replace(
        base.report,
        drivers=[_share("smb", 0.005, "price", 0.004), _share("mid", -0.041, "competitors", -0.03)],
    )
    note = quarter_note(replace(base, report=report))
    assert (
        note.changed
        == "Mid-market share fell 4.1 points, mostly from the competitors text (-3.0 pts)."
    )
    flat = replace(base.report, drivers=[_share("smb", 0.001, "price", 0.001)])
    assert "barely moved" in quarter_note(replace(base, report=flat)).changed


@pytest.mark.parametrize(
    "target",
    [(372, 56, 174, 32), (705, 203, 255, 36), (20, 300, 100, 36), (1100, 600, 150, 40)],
)
def test_the_panel_never_covers_its_target_and_stays_inside(target: tuple) -> None:
    bounds = (12, 94, 1256, 588)
    obstacles = [(440 + 267 * i, 205 + 56 * r, 250, 32) for i in range(3) for r in range(4)]
    x, y, w, h = place(target, (420, 200), bounds, obstacles)
    assert (w, h) == (420, 200)
    assert bounds[0] <= x and x + w <= bounds[0] + bounds[2]
    assert bounds[1] <= y and y + h <= bounds[1] + bounds[3]
    tx, ty, tw, th = target
    assert x + w <= tx or tx + tw <= x or y + h <= ty or ty + th <= y


def test_the_panel_prefers_a_free_spot_near_the_target() -> None:
    bounds = (12, 94, 1256, 588)
    target = (705, 203, 255, 36)
    row = [(440 + 267 * i, 205 + 56 * r, 250, 32) for i in range(3) for r in range(4)]
    spot = place(target, (420, 200), bounds, row)
    assert not any(coach._overlap(spot, o) for o in row)


# --------------------------------------------------------------------------- reflection prompts


@pytest.fixture(scope="module")
def played() -> Simulation:
    sim = Simulation(tutorial(), seed=5)
    research = ProductDecision(research=[ResearchOrder(method="interviews", segment="mid")])
    sim.step({"player": Decisions(products={"teamboard": research})})
    return sim


def test_a_fitting_scenario_question_comes_first(played: Simulation) -> None:
    history = played.history
    assert "market_understanding" in quarter_themes(history[-1], history[-2], "player")
    prompt = reflection_prompt(played.scenario, history, "player")
    assert prompt["source"] == "scenario"
    assert prompt["question"].startswith("Which segment did you research first")


def test_each_scenario_question_is_asked_once_then_drivers_speak(played: Simulation) -> None:
    history = played.history
    asked = [p.question for p in played.scenario.debrief]
    prompt = reflection_prompt(played.scenario, history, "player", asked)
    assert prompt["source"] == "drivers"
    assert " share " in prompt["question"] or prompt["question"].startswith(("Revenue", "Little"))
    big = max(
        (e for e in history[-1].drivers if e.firm == "player" and e.kpi == "share"),
        key=lambda e: share_impact(history[-1], e),  # points × the segment's customers
    )
    name = {s.id: s.name for s in played.scenario.segments}[big.segment]
    if abs(big.change) >= 0.01:
        verb = "fell" if big.change < 0 else "rose"
        assert f"{name} share {verb} {abs(big.change) * 100:.1f} points" in prompt["question"]


def test_generated_questions_vary_from_quarter_to_quarter(played: Simulation) -> None:
    report = played.history[-1]
    moves = [_share("smb", -0.03, "price", -0.02), _share("mid", -0.09, "competitors", -0.05)]
    history = [played.history[0], replace(report, drivers=moves)]
    asked = [p.question for p in played.scenario.debrief]
    first = reflection_prompt(played.scenario, history, "player", asked)["question"]
    assert "Small businesses share fell 3.0 points" in first  # the weightiest move
    again = reflection_prompt(played.scenario, history, "player", [*asked, first])["question"]
    assert "Mid-market share fell 9.0 points" in again  # nearly as weighty, not asked yet
    later = replace(history[1], quarter=history[1].quarter + 1)
    other = reflection_prompt(played.scenario, [history[0], later], "player", asked)["question"]
    assert other != first  # another wording next quarter


def test_no_prompt_before_a_quarter_is_played() -> None:
    sim = Simulation(tutorial(resolution=50), seed=1)
    with pytest.raises(ValueError):
        reflection_prompt(sim.scenario, sim.history, "player")
