"""Translated scenario text (`title: {en: ..., de: ...}`): validated, resolved, same numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.loader import ScenarioError, load_scenario, load_scenario_text
from engine.scenario import Scenario
from game.cli import main
from game.paths import bundled_scenarios_dir
from game.starter import starter_text

TUTORIAL = bundled_scenarios_dir() / "tutorial.yaml"
PORTFOLIO = bundled_scenarios_dir() / "portfolio.yaml"


def _starter(**replacements: str) -> str:
    """The ``crossroads new`` starter with whole lines replaced (``old line`` → new lines)."""
    text = starter_text("cloud_pricing")
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "demo.yaml")
    return [str(p) for p in info.value.problems]


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


TITLE = 'title: "Cloud pricing"'


def test_a_mapping_of_languages_is_accepted_and_resolved() -> None:
    text = _starter(**{TITLE: 'title: {en: "Cloud pricing", de: "Cloud-Preise"}'})
    assert load_scenario_text(text).title == "Cloud pricing"
    assert load_scenario_text(text, language="en").title == "Cloud pricing"
    assert load_scenario_text(text, language="de").title == "Cloud-Preise"


def test_a_missing_translation_falls_back_to_the_source_language() -> None:
    text = _starter(**{TITLE: 'title: {en: "Cloud pricing", de: "Cloud-Preise"}'})
    assert load_scenario_text(text, language="fr").title == "Cloud pricing"
    tutorial = load_scenario(TUTORIAL, language="de")
    assert tutorial.firms[1].name == "Planly"  # a plain string: every language reads it


def test_missing_source_language_is_reported_with_its_path_and_line() -> None:
    text = _starter(**{TITLE: 'title: {de: "Cloud-Preise", fr: "Prix du cloud"}'})
    line = _line_of(text, "Cloud-Preise")
    [problem] = _problems(text)
    assert problem.startswith(f"demo.yaml:{line}:")
    assert ": title: translations must include the scenario's language 'en'" in problem
    assert "got de, fr" in problem


def test_a_bad_language_code_is_reported_at_its_key() -> None:
    text = _starter(**{TITLE: 'title:\n  en: "Cloud pricing"\n  EN: "Cloud pricing"'})
    line = _line_of(text, 'EN: "Cloud')
    assert _problems(text) == [
        f"demo.yaml:{line}:3: title.EN: 'EN' is not a language code: write two lower-case "
        "letters (en, de, fr)"
    ]
    for bad in ("deu", "d", "1e", "de-AT"):
        text = _starter(**{TITLE: f'title: {{en: "Cloud pricing", {bad}: "x"}}'})
        [problem] = _problems(text)
        assert f"'{bad}' is not a language code" in problem


def test_translations_have_the_fields_bounds_and_type() -> None:
    long = "x" * 81  # a title has at most 80 characters
    text = _starter(**{TITLE: f'title: {{en: "Cloud pricing", de: "{long}"}}'})
    [problem] = _problems(text)
    assert "title.de: the 'de' text has 81 characters; at most 80 are allowed" in problem
    text = _starter(**{TITLE: 'title: {en: "Cloud pricing", de: ""}'})
    assert "title.de: the 'de' text is empty" in _problems(text)[0]
    text = _starter(**{TITLE: 'title: {en: "Cloud pricing", de: NO}'})
    [problem] = _problems(text)
    assert "title.de: the 'de' text must be text; YAML reads 'NO' as a boolean" in problem
    for mapping, keys in (("{}", "none"), ("{EN: x, title: y}", "EN, title")):
        [problem] = _problems(_starter(**{TITLE: f"title: {mapping}"}))
        assert (
            ": title: Input should be a valid string, or translations like {en: ..., de: ...}"
            in (problem)
        )
        assert problem.endswith(f"got a mapping with keys: {keys}")


def test_errors_in_nested_translations_name_the_entry_and_come_with_the_others() -> None:
    text = _starter(
        **{
            TITLE: 'title: {de: "Cloud-Preise"}',
            "    name: Small teams": "    name: {en: Small teams, EN: Small teams}",
            "size: 5000": "size: 5k",
        }
    )
    problems = _problems(text)
    assert len(problems) == 3, problems
    assert ": title: translations must include" in problems[0]
    assert "segments[starters].name.EN: 'EN' is not a language code" in problems[1]
    assert "segments[pros].size: Input should be a valid number" in problems[2]


def test_the_scenario_language_field_names_the_source_language() -> None:
    text = _starter(**{TITLE: 'language: de\ntitle: {de: "Cloud-Preise", en: "Cloud pricing"}'})
    assert load_scenario_text(text, language="en").title == "Cloud pricing"
    only_german = text.replace(', en: "Cloud pricing"', "")
    assert load_scenario_text(only_german, language="en").title == "Cloud-Preise"
    assert load_scenario_text(only_german).language == "de"
    without_german = text.replace('de: "Cloud-Preise", ', "")
    assert "language 'de'" in _problems(without_german)[0]
    bad = _starter(**{TITLE: f"language: DE\n{TITLE}"})
    assert "language: String should match pattern" in _problems(bad)[0]


def test_ids_and_other_strings_are_not_translatable() -> None:
    for old, new in (
        ("id: cloud_pricing", "id: {en: cloud_pricing, de: cloud_preise}"),
        ('currency: "$"', "currency: {en: $, de: €}"),
        ("  - id: ease", "  - id: {en: ease, de: ease}"),
    ):
        problems = _problems(_starter(**{old: new}))
        assert any("Input should be a valid string" in p for p in problems), problems


# --------------------------------------------------------------------------- bundled


def _numbers(node: Any, path: str = "") -> dict[str, float]:
    """Every number of a nested result, by path (text is left out)."""
    out: dict[str, float] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            out |= _numbers(value, f"{path}.{key}")
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            out |= _numbers(value, f"{path}[{i}]")
    elif isinstance(node, int | float) and not isinstance(node, bool):
        out[path] = node
    return out


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


@pytest.mark.parametrize("path", [TUTORIAL, PORTFOLIO], ids=lambda p: p.stem)
def test_bundled_scenario_in_german_changes_text_only(path: Path) -> None:
    from engine.bots import play
    from engine.simulation import Simulation

    english, german = load_scenario(path), load_scenario(path, language="de")
    assert german.title != english.title
    assert german.segments[0].name != english.segments[0].name
    assert german.model_dump(exclude={"title"}) != english.model_dump(exclude={"title"})
    assert _numbers(german.model_dump()) == _numbers(english.model_dump())
    results = []
    for scenario in (english, german):
        sim = Simulation(scenario, role=scenario.roles[0], resolution=500)
        reports = play(sim, "balanced")
        player = scenario.player_firms()[0].id
        results.append(
            _numbers({"quarters": [r.to_dict() for r in reports], "card": sim.scorecard(player)})
        )
    assert results[0] == results[1]


def test_the_tutorial_is_translated_into_german() -> None:
    data = yaml.safe_load(TUTORIAL.read_text("utf-8"))
    english = load_scenario(TUTORIAL)
    german = load_scenario(TUTORIAL, language="de")
    assert german.title == "Einführung: Teamboard"
    assert german.briefing.startswith("Willkommen bei Teamboard Inc.")
    assert [a.name for a in german.attributes] == [
        "Bedienbarkeit",
        "Integrationen",
        "Zuverlässigkeit",
    ]
    # every text with English words in it has German; what stays the same is a proper name
    proper = {"Teamboard Inc.", "Teamboard", "Teamboard Insights", "Planly", "Stackworks"}
    proper |= {"Priya Raman", "Tom Becker"}
    same = set(_strings(english.model_dump())) & set(_strings(german.model_dump()))
    assert {s for s in same if s[:1].isupper()} <= proper
    assert data["title"] == {"en": "Tutorial: Teamboard", "de": "Einführung: Teamboard"}


def test_the_tutorial_validates_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(TUTORIAL)]) == 0
    assert "OK" in capsys.readouterr().out


def test_schema_accepts_translations_and_rejects_bad_codes() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from game import schema_docs

    validator = jsonschema.Draft7Validator(json.loads(schema_docs.schema_text()))
    assert not list(validator.iter_errors(yaml.safe_load(TUTORIAL.read_text("utf-8"))))
    good = yaml.safe_load(_starter(**{TITLE: 'title: {en: "Cloud pricing", de: "Cloud-Preise"}'}))
    assert not list(validator.iter_errors(good))
    for title in ({"en": "Cloud pricing", "DE": "x"}, {"en": ""}, {}):
        assert list(validator.iter_errors({**good, "title": title})), title


def test_reference_doc_lists_translatable_fields() -> None:
    from game import schema_docs

    doc = schema_docs.authoring_markdown()
    row = next(line for line in doc.splitlines() if line.startswith("| `briefing`"))
    assert "map of language → text" in row
    assert re.search(r"^\| `language` \|", doc, flags=re.M)


# --------------------------------------------------------------------------- the game


def test_the_game_reads_scenarios_in_the_players_language() -> None:
    from game import translation
    from game.session import read_scenario

    try:
        translation.set_language("de")
        german = read_scenario(TUTORIAL)
        translation.set_language("en")
        english = read_scenario(TUTORIAL)
    finally:
        translation.set_language("en")
    assert german.scenario is not None and english.scenario is not None
    assert german.scenario.title == "Einführung: Teamboard"
    assert english.scenario.title == "Tutorial: Teamboard"
    assert german.digest == english.digest  # a save made in one language loads in the other


def test_model_validate_without_a_loader_keeps_the_source_language() -> None:
    data = yaml.safe_load(TUTORIAL.read_text("utf-8"))
    assert Scenario.model_validate(data).title == "Tutorial: Teamboard"
    german = Scenario.model_validate(data, context={"language": "de"})
    assert german.title == "Einführung: Teamboard"
    # a validated (resolved) scenario round-trips as plain data in its language
    assert Scenario.model_validate(german.model_dump()).title == "Einführung: Teamboard"


def test_a_game_saved_in_english_resumes_in_german(tmp_path: Path) -> None:
    from game import translation
    from game.session import Session, read_scenario

    data = yaml.safe_load(TUTORIAL.read_text("utf-8"))
    for segment in data["segments"]:
        segment["resolution"] = 200
    path = tmp_path / "tutorial.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    english = Session(read_scenario(path, bundled=False), "pm", 5)
    english.end_quarter(autosave=False)
    save = english.save(tmp_path / "game.save")
    try:
        translation.set_language("de")
        german = Session.from_save(save)
    finally:
        translation.set_language("en")
    assert german.scenario.title == "Einführung: Teamboard"
    assert english.scenario.title == "Tutorial: Teamboard"
    assert german.quarter == english.quarter
    assert _numbers(german.last.to_dict()) == _numbers(english.last.to_dict())
