"""The engine's sentences in German (engine.phrases.use("de")): a short simulation of the
bundled tutorial writes its decision warnings, line stories, rival moves and decision
summaries in German, and every number is the same as in English."""

from __future__ import annotations

from typing import Any

import pytest

from engine import phrases
from engine.decisions import THEME_NAMES, Decisions, ProductDecision, describe
from engine.loader import load_scenario
from engine.scenario import Scenario
from engine.simulation import Simulation
from game.paths import find_scenario

RESOLUTION = 200
BUSY = Decisions(
    products={"teamboard": ProductDecision(roadmap=["api", "slack", "onboarding", "mobile"])}
)
"""More work than the team has, and an item waiting for another: warnings and reasons."""


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    path = find_scenario("tutorial")
    assert path is not None
    return load_scenario(path)


def _play(scenario: Scenario) -> dict[str, Any]:
    """Two quarters of the busy roadmap: what the engine wrote, and every report."""
    sim = Simulation(scenario, 11, role="pm", resolution=RESOLUTION)
    sim.reset()
    words: dict[str, Any] = {
        "problems": [str(p) for p in sim.problems("player", BUSY)],
        "plan": sim.outlook("player", BUSY).lines["teamboard"].reasons,
    }
    reports = [sim.step({"player": BUSY}) for _ in range(2)]
    last = reports[-1]
    words["warnings"] = last.organisation["player"].warnings
    words["reasons"] = [r.organisation["player"].lines["teamboard"].reasons for r in reports]
    words["shipped"] = last.organisation["player"].lines["teamboard"].shipped_text
    words["moves"] = [m.text for r in reports for m in r.competitor_moves]
    words["decided"] = describe(scenario, BUSY, reports[0], None, full=True)
    return {"words": words, "reports": [r.to_dict() for r in reports]}


def _numbers(data: Any) -> Any:
    """``data`` with every text left out: what must not depend on the language."""
    if isinstance(data, dict):
        return {k: _numbers(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_numbers(v) for v in data]
    return None if isinstance(data, str) else data


def test_the_engine_writes_german_with_the_same_numbers(tutorial: Scenario, german: None) -> None:
    de = _play(tutorial)
    phrases.use("en")
    en = _play(tutorial)
    assert _numbers(de["reports"]) == _numbers(en["reports"])
    assert de["words"] != en["words"]

    words = de["words"]
    assert any(
        "Feature-Punkten verplant: Kapazität um " in p and "Überstunden" in p
        for p in words["problems"]
    )
    assert "blockiert: Chat integration wartet auf Public API" in words["plan"]
    assert words["warnings"][0].startswith("Teamboard Roadmap: ")
    assert "verplant" in words["warnings"][0]
    assert "nichts ausgeliefert: Die laufende Arbeit ist noch nicht fertig" in words["reasons"][0]
    assert words["shipped"] == ["Public API: Integrations +0.13"] or words["shipped"] == [
        "Public API: Integrations +0,13"
    ]
    assert words["moves"] and all(
        " verbessert " in m or " senkt " in m or " erhöht " in m or " hält " in m
        for m in words["moves"]
    )
    assert "Prognose: keine" in words["decided"]
    assert any(d.startswith("Teamboard: bauen: Public API") for d in words["decided"])


def test_english_is_back_after_german(tutorial: Scenario, german: None) -> None:
    assert THEME_NAMES["growth"] == "Wachstum"
    phrases.use("en")
    assert THEME_NAMES["growth"] == "Growth"
    sim = Simulation(tutorial, 11, role="pm", resolution=RESOLUTION)
    sim.reset()
    report = sim.step({"player": BUSY})
    assert report.organisation["player"].warnings[0].startswith("Teamboard roadmap: Planned ")
