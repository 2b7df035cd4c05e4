"""The balance lab's advice: per-objective KPI distributions, suggested targets and the
too_easy, fingerprint_objective and luck_high warnings (docs/authoring.md, "Balancing a
scenario").

The closed forms use synthetic runs; the fixtures under tests/fixtures/balance/ are the
tutorial cut to 4 quarters with problems planted on purpose, played for real by a few bots on
a few seeds at a low resolution (seconds, not minutes).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from engine.balance import (
    NOTE_CODES,
    BalanceReport,
    Run,
    balance_report,
    hit_rate,
    reach,
    round_target,
    seeds_for,
)
from engine.loader import load_scenario
from engine.scenario import Scenario
from game.cli import main
from game.commands.balance import format_report, run_pairs

FIXTURES = Path(__file__).parent / "fixtures" / "balance"
SEEDS = 8
RESOLUTION = 100


def _codes(report: BalanceReport) -> list[str]:
    return sorted(w.code for w in report.warnings)


def _notes(report: BalanceReport) -> list[str]:
    return sorted(w.code for w in report.notes)


def _message(report: BalanceReport, code: str, objective: str = "") -> str:
    found = [w.message for w in report.warnings + report.notes if w.code == code]
    found = [m for m in found if f"'{objective}'" in m] if objective else found
    assert len(found) == 1, (code, objective, [w.code for w in report.warnings])
    return found[0]


# --------------------------------------------------------------------------- closed forms


def test_reach_is_the_order_statistic_met_on_that_share() -> None:
    values = [float(v) for v in range(1, 11)]  # 1..10
    assert reach(values, ">=", 0.9) == 2.0 and hit_rate(values, ">=", 2.0) == 0.9
    assert reach(values, "<=", 0.9) == 9.0 and hit_rate(values, "<=", 9.0) == 0.9
    assert reach(values, ">=", 0.3) == 8.0 and hit_rate(values, ">=", 8.0) == pytest.approx(0.3)
    # NaN (not measured) is a miss; too few measured values: no target at all
    holes = [1.0, 2.0, math.nan, math.nan]
    assert reach(holes, ">=", 0.5) == 1.0 and reach(holes, ">=", 0.9) is None
    assert hit_rate(holes, ">=", 1.0) == 0.5
    assert reach([], ">=", 0.9) is None and hit_rate([], ">=", 1.0) == 0.0
    assert reach([0.3] * 5, ">=", 0.9) == 0.3  # zero spread is fine


def test_round_target_keeps_two_figures_towards_easier() -> None:
    assert round_target(0.2437, ">=") == 0.24 and round_target(0.2437, "<=") == 0.25
    assert round_target(0.24, ">=") == 0.24  # no float noise: 0.24 / 0.01 is 23.999…
    assert round_target(17_834_000.0, ">=") == 17_000_000.0
    assert round_target(-1_234_000.0, ">=") == -1_300_000.0
    assert round_target(57.3, "<=") == 58.0
    assert round_target(0.0, ">=") == 0.0


def _synthetic(scenario: Scenario, kpi: dict[str, list[float]], scores: dict[str, list[float]]):
    """Runs whose every objective has the given KPI values (met when ≥ its target)."""
    objectives = [o for o in scenario.objectives if "pm" in o.roles]
    return [
        Run(
            bot=bot,
            seed=seed,
            score=scores[bot][seed],
            objectives={o.id: value >= o.target for o in objectives},
            kpis={
                **dict.fromkeys(
                    ("share", "revenue", "cumulative_profit", "morale", "tech_debt"), 1.0
                ),
                "score": scores[bot][seed],
            },
            leader="player",
            lead=0.1,
            top_share=0.3,
            values={o.id: value for o in objectives},
            kinds={o.id: "goal" for o in objectives},
            starts={o.id: -1e9 for o in objectives},
        )
        for bot, values in kpi.items()
        for seed, value in enumerate(values)
    ]


def test_synthetic_advice_and_warnings() -> None:
    """Every objective gets the same values: suggested targets, the fingerprint, the stretch
    target of an unreachable objective, and no seed variance without NaN."""
    scenario = load_scenario(FIXTURES / "advice.yaml")
    huge = 1e12  # above every target: only `customer_centric` meets them
    kpi = {
        "customer_centric": [huge] * 10,
        "balanced": [float(v) for v in range(10)],
        "hold": [0.0] * 10,
    }
    steady = {"customer_centric": [60.0] * 10, "balanced": [90.0] * 10, "hold": [10.0] * 10}
    report = balance_report(scenario, "pm", _synthetic(scenario, kpi, steady), 1)
    assert report.variance["luck"] == 0.0  # no seed effect at all
    for advice in report.objectives:
        assert advice.basis == "balanced" and advice.suggested == 1.0  # its 10th percentile
        assert advice.suggested_hits == {"customer_centric": 1.0, "balanced": 0.9, "hold": 0.0}
        assert advice.values["balanced"].p50 == pytest.approx(4.5)
    # balanced's 1..9 meet the 0.6 and 0.16 targets on 90% of seeds: only `grow` is a print
    assert _codes(report) == [] and _notes(report) == ["fingerprint_objective"]
    # 'ease the target' to the closest other style's median (balanced's 4.5, rounded down)
    assert "ease the target to about" in _message(report, "fingerprint_objective", "grow")
    doc = report.to_dict()
    json.dumps(doc, allow_nan=False)
    assert doc["objectives"][0]["values"]["hold"]["p90"] == 0.0

    # Nobody meets it: the stretch target is the best value any bot reaches on 30% of seeds.
    low = {b: [float(v) for v in range(10)] for b in ("balanced", "hold", "random")}
    scores = {"balanced": [90.0] * 10, "hold": [10.0] * 10, "random": [40.0] * 10}
    report = balance_report(scenario, "pm", _synthetic(scenario, low, scores), 1)
    assert "unreachable_objective" in _codes(report)
    assert report.objectives[0].stretch == 7.0  # met on 3 of 10 seeds
    assert "stretch goal" in _message(report, "unreachable_objective", "grow")


def test_notes_never_fail_strict() -> None:
    """too_easy and fingerprint_objective are notes (NOTE_CODES): an objective only
    ``balanced`` meets is named as the reference player's fingerprint."""
    assert {"too_easy", "fingerprint_objective"} == NOTE_CODES
    scenario = load_scenario(FIXTURES / "advice.yaml")
    kpi = {"balanced": [1e12] * 4, "hold": [0.0] * 4, "random": [0.0] * 4}
    scores = {"balanced": [90.0] * 4, "hold": [10.0, 12.0, 9.0, 11.0], "random": [40.0] * 4}
    report = balance_report(scenario, "pm", _synthetic(scenario, kpi, scores), 1)
    assert _codes(report) == [] and set(_notes(report)) == {"fingerprint_objective"}
    assert "fingerprint of balanced (the reference player)" in report.notes[0].message


def test_no_nan_with_unmeasured_objectives() -> None:
    """Values that were never measured (NaN) give empty distributions and no suggestion."""
    scenario = load_scenario(FIXTURES / "advice.yaml")
    nan = {b: [math.nan] * 3 for b in ("balanced", "hold", "random")}
    scores = {"balanced": [80.0, 82.0, 84.0], "hold": [10.0] * 3, "random": [40.0, 45.0, 50.0]}
    report = balance_report(scenario, "pm", _synthetic(scenario, nan, scores), 1)
    assert all(a.suggested is None and a.no_suggestion for a in report.objectives)
    json.dumps(report.to_dict(), allow_nan=False)
    assert "suggested target: none (balanced has too few measured values)" in format_report(
        report, scenario
    )


# --------------------------------------------------------------------------- the fixtures


def _play(name: str, bots: list[str]) -> tuple[Scenario, BalanceReport]:
    scenario = load_scenario(FIXTURES / f"{name}.yaml")
    pairs = [(b, s) for b in bots for s in seeds_for(scenario, SEEDS)]
    runs = run_pairs(scenario, "pm", pairs, RESOLUTION, 2)
    return scenario, balance_report(scenario, "pm", runs, RESOLUTION)


@pytest.fixture(scope="module")
def advice() -> tuple[Scenario, BalanceReport]:
    return _play("advice", ["hold", "balanced", "customer_centric"])


def test_fixture_flags_too_easy_and_fingerprint(advice: tuple[Scenario, BalanceReport]) -> None:
    _scenario, report = advice
    assert _notes(report) == ["fingerprint_objective", "too_easy", "too_easy"]
    easy = _message(report, "too_easy", "mid_share")
    assert "met by every bot" in easy and "tighten the target to about" in easy
    assert "fingerprint of customer_centric" in _message(report, "fingerprint_objective")
    by_id = {a.id: a for a in report.objectives}
    # The segment share has a distribution per bot and a target hold mostly misses.
    share = by_id["mid_share"]
    assert share.kpi == "share:mid" and share.kind == "goal" and share.due == "at the end"
    assert share.suggested is not None and share.suggested > share.target
    assert share.suggested_hits["hold"] < 0.5 <= share.suggested_hits["balanced"]
    assert all(np.isfinite([d.p10, d.p50, d.p90]).all() for d in share.values.values())
    # balanced never moves customer focus: no goal target can come from it
    assert by_id["focus"].suggested is None and "does not move it" in by_id["focus"].no_suggestion


def test_fixture_table_prints_distributions_and_targets(
    advice: tuple[Scenario, BalanceReport],
) -> None:
    scenario, report = advice
    text = format_report(report, scenario)
    heading = "[mid_share] Mid-market share of at least 16% by Q4: share:mid >= 16.0% at the end"
    assert heading in text and "3 note(s) (--strict ignores them):" in text
    assert text.count("  #  bot") == 3  # one p10/p50/p90 table per objective
    share = next(a for a in report.objectives if a.id == "mid_share")
    assert f"suggested target: >= {share.suggested:.1%} (balanced's p50)" in text


def test_fixture_flags_high_luck() -> None:
    _scenario, report = _play("luck", ["hold", "balanced", "random"])
    assert "luck_high" in _codes(report)
    assert report.variance["seed"] > report.variance["strategy"]
    assert "make random events rarer or smaller" in _message(report, "luck_high")


def test_command_prints_advice_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "b.json"
    argv = ["balance", str(FIXTURES / "advice.yaml"), "--runs", "2", "--resolution", "40"]
    code = main([*argv, "--bots", "hold,random", "--workers", "1", "--json", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "suggested target:" in printed and "[focus]" in printed
    doc = json.loads(out.read_text())
    first = doc["objectives"][0]
    assert first["id"] == "grow" and set(first["values"]) == {"hold", "random"}
    assert set(first["values"]["hold"]) == {"mean", "p10", "p50", "p90"}
    assert {"suggested", "basis", "suggested_hits", "stretch", "kind", "start"} <= set(first)
    assert "notes" in doc
