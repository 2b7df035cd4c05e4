"""Lint warnings: each code fires on a purpose-built case, bundled scenarios are clean (or
silence with a reason), silencing works, and ``validate`` prints them (``--strict`` fails)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.lint import CODES, LintWarning, lint
from engine.loader import ScenarioError, load_scenario, load_scenario_text
from engine.yaml_positions import read_yaml
from game.cli import main
from game.paths import bundled_scenarios

PLANTED = Path(__file__).parent / "fixtures" / "lint" / "planted.yaml"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "authoring_intro.md"
LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): warning (?P<code>W\d{3}): .+$"
)


def _planted_text() -> str:
    return PLANTED.read_text(encoding="utf-8")


def _lint_text(text: str) -> list[LintWarning]:
    return lint(load_scenario_text(text, "planted.yaml"), read_yaml(text))


def _codes(warnings: list[LintWarning]) -> list[str]:
    return sorted(w.code for w in warnings)


def test_every_code_fires_once_on_the_planted_scenario() -> None:
    warnings = _lint_text(_planted_text())
    assert _codes(warnings) == sorted(set(CODES) - {"W001", "W002"})
    assert all(w.line > 0 and w.col > 0 and w.message for w in warnings)


def test_each_warning_points_at_the_field_by_id() -> None:
    found = {w.code: (w.field, w.line, w.col) for w in _lint_text(_planted_text())}
    assert found["W401"] == ("firms[rival].products[rival].price", 46, 16)
    assert found["W201"] == ("events[limbo]", 72, 5)
    assert found["W101"] == ("objectives[morale_segment].segment", 89, 14)
    assert found["W402"] == ("firms[player].products[app].customers.everyone", 30, 31)
    assert found["W301"] == ("bets[moonshot].unlocks[0]", 70, 15)


def test_without_a_reading_paths_are_named_but_unplaced() -> None:
    warnings = lint(load_scenario(PLANTED))
    w401 = next(w for w in warnings if w.code == "W401")
    assert (w401.field, w401.line, w401.col) == ("firms[rival].products[rival].price", 0, 0)


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: Path(p).stem)
def test_bundled_scenarios_have_no_warnings(path: Path) -> None:
    assert lint(load_scenario(path)) == []


def test_bundled_silences_give_a_reason() -> None:
    silenced = 0
    for path in bundled_scenarios():
        text = Path(path).read_text(encoding="utf-8")
        for line in text.splitlines():
            if "lint:" in line:
                silenced += 1
                assert re.search(r'reason: "[^"]{20,}"', line), line
    assert silenced  # the bundled guardrails are silenced, not left to warn


# ----------------------------------------------------------------- negative cases


@pytest.mark.parametrize(
    ("code", "old", "new"),
    [
        ("W101", "    segment: everyone\n    target: 0.8", "    target: 0.8"),
        (
            "W104",
            "    kpi: cash\n    target: 1\n",
            "    kpi: cash\n    target: 1\n    mode: always\n",
        ),
        ("W104", "    kpi: cash\n    target: 1\n", "    kpi: cash\n    target: 1000000\n"),
        ("W105", "    mode: final\n    by: 6\n", "    mode: at\n    by: 6\n"),
        ("W201", "objectives:\n", "inject_deck: [limbo]\nobjectives:\n"),
        ("W202", "    earliest: 30\n", "    earliest: 12\n"),
        ("W203", "    quarter: 3\n    earliest: 2\n", "    quarter: 3\n"),
        (
            "W301",
            "    effects: {ease: 0.1}\n  - id: rival_feature",
            "    effects: {ease: 0.1}\n    breakthrough: true\n  - id: rival_feature",
        ),
        ("W401", "        price: 2000\n", "        price: 999\n"),
        ("W402", "customers: {everyone: 30}", "customers: {everyone: 3000}"),
        ("W403", "marketing: 5000000", "marketing: 900000"),
        ("W404", "    cash: 100000\n", "    cash: 1000000\n"),
        (
            "W502",
            "    product: app\n    effort: 5\n  - id: polish",
            "    product: app\n    effort: 5\n    quality: 0.05\n  - id: polish",
        ),
    ],
)
def test_a_fixed_setting_stops_its_warning(code: str, old: str, new: str) -> None:
    text = _planted_text()
    assert old in text
    assert code not in _codes(_lint_text(text.replace(old, new, 1)))


def test_a_price_near_any_segment_it_sells_in_is_fine() -> None:
    text = _planted_text().replace(
        "segments:\n",
        "segments:\n  - id: firms\n    name: Firms\n    size: 1000\n    ideal: {ease: 0.5}\n"
        "    weights: {ease: 1.0}\n    reference_price: 3000\n",
        1,
    )
    assert "W401" in _codes(_lint_text(text))  # no customers or awareness there yet
    text = text.replace("customers: {everyone: 500}", "customers: {everyone: 500, firms: 10}")
    assert "W401" not in _codes(_lint_text(text))


def test_pm_skill_is_fine_for_the_cpo() -> None:
    text = _planted_text().replace("roles: [pm]\nattributes", "roles: [pm, cpo]\nattributes")
    text = text.replace("    target: 0.9\n    roles: [pm]\n", "    target: 0.9\n    roles: [cpo]\n")
    text = text.replace("team: {engineers: 3}", "team: {engineers: 3, pm: {name: Ana}}")
    text = text.replace("team: {engineers: 1}", "team: {engineers: 1, pm: {name: Bo}}")
    codes = _codes(_lint_text(text))
    assert "W103" not in codes and "W302" not in codes and "W503" not in codes


# ----------------------------------------------------------------- silencing


def _silence(text: str, anchor: str, codes: str, indent: str) -> str:
    block = f'{indent}lint: {{ignore: [{codes}], reason: "planted on purpose for the test"}}\n'
    assert anchor in text
    return text.replace(anchor, anchor + block, 1)


def test_an_item_silences_its_own_warning() -> None:
    text = _silence(_planted_text(), "  - id: limbo\n", "W201", "    ")
    assert "W201" not in _codes(_lint_text(text))
    assert len(_lint_text(text)) == len(CODES) - 3  # nothing else went quiet


def test_an_enclosing_item_silences_what_is_inside_it() -> None:
    text = _silence(_planted_text(), "    controller: ai\n", "W401, W504", "    ")
    codes = _codes(_lint_text(text))
    assert "W401" not in codes and "W504" not in codes and "W403" in codes


def test_the_top_level_silences_a_code_everywhere() -> None:
    text = _silence(_planted_text(), "roles: [pm]\n", "W201, W203", "")
    codes = _codes(_lint_text(text))
    assert "W201" not in codes and "W203" not in codes and "W202" in codes


def test_a_silence_on_another_item_does_not_apply() -> None:
    text = _silence(_planted_text(), "  - id: too_late\n", "W201", "    ")
    warnings = _lint_text(text)
    assert "W201" in _codes(warnings)
    stale = next(w for w in warnings if w.code == "W002")
    assert stale.field == "events[too_late].lint.ignore[0]"
    assert "W201 does not fire here" in stale.message


def test_an_unknown_code_is_a_warning() -> None:
    text = _silence(_planted_text(), "  - id: limbo\n", "W201, W999", "    ")
    w001 = [w for w in _lint_text(text) if w.code == "W001"]
    assert [w.field for w in w001] == ["events[limbo].lint.ignore[1]"]


def test_a_silence_needs_a_reason_and_codes() -> None:
    text = _planted_text().replace("  - id: limbo\n", "  - id: limbo\n    lint: {ignore: [W201]}\n")
    with pytest.raises(ScenarioError, match=re.escape("events[limbo].lint.reason: required field")):
        load_scenario_text(text)
    text = _planted_text().replace(
        "  - id: limbo\n", '  - id: limbo\n    lint: {ignore: [201], reason: "a reason"}\n'
    )
    with pytest.raises(ScenarioError, match=re.escape("events[limbo].lint.ignore[0]")):
        load_scenario_text(text)


# ----------------------------------------------------------------- validate


def test_validate_prints_warnings_after_ok_and_a_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(PLANTED)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"OK {PLANTED} (Planted warnings)"
    body = out[1:-1]
    assert len(body) == len(CODES) - 2
    for line in body:
        found = LINE.match(line)
        assert found and found["file"] == str(PLANTED), line
    lines = [int(LINE.match(line)["line"]) for line in body]  # type: ignore[index]
    assert lines == sorted(lines)
    assert out[-1] == f"1 valid, 0 invalid, {len(body)} warnings (--strict makes them fail)"


def test_strict_makes_warnings_fail(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--strict", str(PLANTED)]) == 1
    assert capsys.readouterr().out.splitlines()[-1].endswith("warnings (--strict: they fail)")
    assert main(["validate", "--strict", *map(str, bundled_scenarios())]) == 0


def test_errors_come_before_warnings_and_invalid_files_are_not_linted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "a_bad.yaml"
    bad.write_text(_planted_text().replace("price: 100\n", "price: -1\n", 1), encoding="utf-8")
    good = tmp_path / "b_planted.yaml"
    good.write_text(_planted_text(), encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{bad}:") and "warning" not in out[0]
    assert not any(line.startswith(f"{bad}:") and "warning" in line for line in out)
    assert out[-1] == f"1 valid, 1 invalid, {len(CODES) - 2} warnings (--strict makes them fail)"


def test_docs_list_every_code_and_show_real_output(capsys: pytest.CaptureFixture[str]) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for code in CODES:
        assert f"| {code} |" in docs, f"{code} is missing from the table in {DOCS.name}"
    main(["validate", str(PLANTED)])
    real = capsys.readouterr().out.replace(str(PLANTED), "planted.yaml")
    shown = [line for line in docs.splitlines() if line.startswith("planted.yaml:")]
    assert shown and all(line in real for line in shown)


def test_an_objective_on_a_line_missing_from_one_of_its_roles() -> None:
    text = _planted_text().replace("roles: [pm]\nattributes", "roles: [pm, cpo]\nattributes")
    text = text.replace("team: {engineers: 3}", "team: {engineers: 3, pm: {name: Ana}}")
    text = text.replace("team: {engineers: 1}", "team: {engineers: 1, pm: {name: Bo}}")
    text = text.replace("    kpi: cash\n    target: 1\n", "    kpi: revenue\n    product: pro\n")
    text = text.replace("    product: pro\n", "    product: pro\n    target: 1000000\n", 1)
    w102 = [w for w in _lint_text(text) if w.field == "objectives[cash_goal].product"]
    assert [w.code for w in w102] == ["W102"]
    assert "not offered in role 'pm'" in w102[0].message and "roles: [cpo]" in w102[0].message
