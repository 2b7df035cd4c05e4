"""The committed JSON Schema and authoring reference are current and usable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from engine.scenario import Scenario
from game import schema_docs
from game.paths import bundled_scenarios, bundled_scenarios_dir
from game.starter import starter_text

FIXTURES = Path(__file__).parent / "fixtures"


def _keys(node: object) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in _keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _keys(v)}
    return set()


def _schema_keywords(node: object) -> set[str]:
    """Keywords used by a schema (the names under 'properties'/'definitions' are data)."""
    if isinstance(node, list):
        return {k for v in node for k in _schema_keywords(v)}
    if not isinstance(node, dict):
        return set()
    out = set(node)
    for key, value in node.items():
        if key in ("properties", "definitions"):
            out |= {k for v in value.values() for k in _schema_keywords(v)}
        elif key not in ("default", "enum", "const", "examples"):
            out |= _schema_keywords(value)
    return out


def test_committed_schema_and_authoring_doc_are_current() -> None:
    stale = schema_docs.stale_files()
    assert not stale, f"regenerate with: python -m game.schema_docs (stale: {stale})"


def test_check_mode_reports_stale_files(monkeypatch, tmp_path: Path, capsys) -> None:
    stale = tmp_path / "authoring.md"
    stale.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(schema_docs, "generated_files", lambda: {stale: "new\n"})
    assert schema_docs.main(["--check"]) == 1
    assert "stale:" in capsys.readouterr().out
    assert schema_docs.main([]) == 0
    assert stale.read_text(encoding="utf-8") == "new\n"
    assert schema_docs.main(["--check"]) == 0


def test_schema_uses_draft07_keywords_only() -> None:
    schema = json.loads(schema_docs.schema_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    keywords = _schema_keywords(schema)
    assert not keywords & schema_docs.DRAFT_2019_KEYWORDS
    assert "mapping" not in keywords and "propertyName" not in keywords
    for node in _dicts(schema):
        if "$ref" in node:
            assert set(node) == {"$ref"}, node  # draft-07 ignores siblings of $ref
            assert node["$ref"].startswith("#/definitions/")
            assert node["$ref"].removeprefix("#/definitions/") in schema["definitions"]


def _dicts(node: object):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _dicts(v)
    elif isinstance(node, list):
        for v in node:
            yield from _dicts(v)


def test_schema_accepts_every_valid_scenario_and_rejects_typos() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_docs.schema_text())
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    sources = [p.read_text("utf-8") for p in bundled_scenarios()]
    sources += [p.read_text("utf-8") for p in sorted((FIXTURES / "good").glob("*.yaml"))]
    sources.append(starter_text("demo"))
    for text in sources:
        assert not list(validator.iter_errors(yaml.safe_load(text)))
    typo = yaml.safe_load(starter_text("demo").replace("reference_price: 200", "ref_price: 200"))
    assert list(validator.iter_errors(typo))


def test_authoring_doc_has_a_table_for_every_model_and_field() -> None:
    doc = schema_docs.authoring_markdown()
    for model in schema_docs._models(Scenario):
        section = doc.split(f"\n### {model.__name__}\n", 1)[1].split("\n### ", 1)[0]
        rows = re.findall(r"^\| `(\w+)` \|", section, flags=re.M)
        assert rows == list(model.model_fields), model.__name__


def test_authoring_doc_carries_intro_example_and_regeneration_command() -> None:
    doc = schema_docs.authoring_markdown()
    intro = (schema_docs.repo_root() / "docs" / "authoring_intro.md").read_text("utf-8")
    assert intro.strip() in doc
    assert starter_text("my_market").strip() in doc
    assert "python -m game.schema_docs" in doc
    segment = doc.split("\n### Segment\n", 1)[1]
    row = next(line for line in segment.splitlines() if line.startswith("| `reference_price`"))
    assert "**required**" in row and "≥ 0.01; ≤ 1e+07" in row
    assert "unit: money per customer per quarter" in row


def test_schema_file_ships_with_bundled_scenarios() -> None:
    assert (bundled_scenarios_dir() / schema_docs.SCHEMA_NAME).is_file()


def test_error_examples_in_the_intro_are_what_the_loader_prints() -> None:
    from engine.loader import ScenarioError, load_scenario_text

    intro = (schema_docs.repo_root() / "docs" / "authoring_intro.md").read_text("utf-8")
    text = (
        starter_text("cloud_pricing")
        .replace("depends_on: [onboarding]", "depends_on: [onboardin]")
        .replace('title: "Cloud pricing"', "title: NO")
        .replace("    weights: {ease: 1.5, power: 4.0}", "    wieghts: {ease: 1.5, power: 4.0}")
        .replace("size: 5000", "size: 5k")
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "cloud_pricing.yaml")
    example = intro.split("## Reading an error", 1)[1].split("```text\n", 1)[1].split("```")[0]
    assert example.splitlines() == [str(p) for p in info.value.problems]
