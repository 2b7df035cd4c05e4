"""The balance lab: the variance decomposition, the warnings, the command and the CI check.

The last test is the CI balance check: every bundled scenario, in every role it offers, must
raise no balance warning on a small sample (CI_SEEDS seeds per bot at CI_RESOLUTION), so an
engine change that breaks a scenario's balance fails the suite. That includes the teaching
checks: ``hold`` at most 45, the best bot 30 points above it, and ``balanced`` handing over
to ``hold`` halfway losing at least 10 points. The full check is
``crossroads balance SCENARIO --runs 200 --strict``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine.balance import (
    TAKEOVER,
    BalanceReport,
    Distribution,
    Run,
    balance_report,
    play_run,
    seeds_for,
    variance_shares,
)
from engine.bots import BOTS, play
from engine.loader import load_scenario
from engine.scenario import Scenario
from engine.simulation import Simulation
from game.cli import main
from game.commands.balance import run_pairs
from game.paths import bundled_scenarios, find_scenario

CI_SEEDS = 10
CI_RESOLUTION = 500  # the balance lab's own resolution, so CI agrees with --strict at 200 runs
CI_WORKERS = 2


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    path = find_scenario("tutorial")
    assert path is not None
    return load_scenario(path)


def _runs(
    scenario: Scenario, scores: dict[str, list[float]], met: dict[str, float] | None = None
) -> list[Run]:
    """Synthetic runs: ``met`` gives each bot's chance to meet every objective (default 1).

    Every objective is a guardrail (met at the start), so a hit rate of 1 is not too easy;
    the objective advice has its own tests in test_balance_advice.py."""
    runs = []
    for bot, values in scores.items():
        for seed, score in enumerate(values):
            hit = seed < round((met or {}).get(bot, 1.0) * len(values))
            runs.append(
                Run(
                    bot=bot,
                    seed=seed,
                    score=score,
                    objectives={o.id: hit for o in scenario.objectives},
                    kpis={
                        "score": score,
                        "share": 0.2,
                        "revenue": 1.0,
                        "cumulative_profit": 1.0,
                        "morale": 0.6,
                        "tech_debt": 10.0,
                    },
                    leader="planly" if seed % 2 else "player",
                    lead=0.3 if seed % 2 else 0.1,
                    top_share=0.5,
                    kinds={o.id: "guardrail" for o in scenario.objectives},
                )
            )
    return runs


def _codes(report: BalanceReport) -> list[str]:
    return sorted(w.code for w in report.warnings)


# --------------------------------------------------------------------------- closed forms


def test_variance_shares_closed_forms() -> None:
    bots = np.array([[80.0], [60.0], [40.0]]) * np.ones((1, 5))
    assert variance_shares(bots) == pytest.approx(
        {"strategy": 1.0, "seed": 0.0, "interaction": 0.0, "luck": 0.0}
    )
    seeds = np.ones((3, 1)) * np.array([[50.0, 60.0, 70.0, 80.0]])
    assert variance_shares(seeds)["seed"] == pytest.approx(1.0)
    assert variance_shares(np.full((3, 4), 7.0))["luck"] == 0.0
    # Additive bot and seed effects of equal size (±1 each) split the variance in halves.
    additive = np.array([[-1.0], [1.0]]) + np.array([[-1.0, 1.0]])
    shares = variance_shares(additive)
    assert (shares["strategy"], shares["seed"], shares["interaction"]) == pytest.approx(
        (0.5, 0.5, 0.0)
    )
    # A pure interaction (each bot wins on a different seed) is all luck.
    assert variance_shares(np.array([[1.0, -1.0], [-1.0, 1.0]]))["luck"] == pytest.approx(1.0)


def test_distribution_percentiles() -> None:
    d = Distribution.of(list(range(101)))
    assert (d.mean, d.p10, d.p50, d.p90) == pytest.approx((50.0, 10.0, 50.0, 90.0))
    assert np.isnan(Distribution.of([]).mean)


# --------------------------------------------------------------------------- warnings


def test_fair_scenario_has_no_warnings(tutorial: Scenario) -> None:
    scores = {
        "balanced": [90, 80, 85, 70],
        "customer_centric": [85, 84, 80, 75],
        "random": [60, 65, 70, 55],
        "feature_factory": [50, 55, 60, 65],
    }
    report = balance_report(tutorial, "pm", _runs(tutorial, scores), 200)
    assert report.warnings == []
    assert [b.bot for b in report.bots] == [
        "balanced",
        "customer_centric",
        "random",
        "feature_factory",
    ]
    assert report.best == "balanced"
    assert report.random_gap == pytest.approx(81.25 - 62.5)
    assert report.bots[0].wins == 2 and report.bots[1].wins == 2
    assert report.runaway["rate"] == pytest.approx(0.5)  # odd seeds: a 30-point lead
    assert report.to_dict()["bots"][0]["kpis"]["score"]["p50"] == pytest.approx(82.5)


def test_each_warning_fires(tutorial: Scenario) -> None:
    close = {"balanced": [70, 72, 74], "random": [65, 66, 67], "hold": [40, 41, 42]}
    assert _codes(balance_report(tutorial, "pm", _runs(tutorial, close), 200)) == ["random_close"]
    dominant = {"greedy_share": [90, 91, 92], "random": [60, 62, 64], "hold": [30, 31, 32]}
    assert _codes(balance_report(tutorial, "pm", _runs(tutorial, dominant), 200)) == [
        "dominant_bot"
    ]
    # the reference good player may win every seed by any margin
    reference = {"balanced": [90, 91, 92], "random": [60, 62, 64], "hold": [30, 31, 32]}
    assert _codes(balance_report(tutorial, "pm", _runs(tutorial, reference), 200)) == []
    factory = {"feature_factory": [80, 70, 75], "random": [60, 72, 50], "hold": [39, 41, 30]}
    assert _codes(balance_report(tutorial, "pm", _runs(tutorial, factory), 200)) == [
        "feature_factory_first"
    ]
    # Unreachable: the best hit rate of every objective is 1/4 < 30%; at 2/4 it is reachable.
    scores = {"balanced": [80, 70, 75, 72], "random": [60, 52, 50, 55], "hold": [39, 41, 30, 9]}
    rare = balance_report(tutorial, "pm", _runs(tutorial, scores, dict.fromkeys(scores, 0.25)), 1)
    pm_objectives = [o for o in tutorial.objectives if "pm" in o.roles]
    assert _codes(rare) == ["unreachable_objective"] * len(pm_objectives)
    fine = balance_report(tutorial, "pm", _runs(tutorial, scores, {"hold": 0.5, "random": 0}), 1)
    assert fine.warnings == []


def test_inaction_must_fail_and_the_second_half_must_matter(tutorial: Scenario) -> None:
    """hold above 45 passes (hold_passes); the best bot less than 30 points above hold
    (hold_close); balanced handing over to hold halfway losing less than 10 points
    (takeover_cheap). The takeover runs are not a bot of their own."""
    passing = {"balanced": [80, 82, 84], "random": [50, 52, 54], "hold": [56, 57, 58]}
    codes = _codes(balance_report(tutorial, "pm", _runs(tutorial, passing), 200))
    assert codes == ["hold_close", "hold_passes"]
    scores = {"balanced": [80, 82, 84], "random": [50, 52, 54], "hold": [20, 21, 22]}
    cheap = _runs(tutorial, {**scores, TAKEOVER: [75, 76, 77]})
    report = balance_report(tutorial, "pm", cheap, 200)
    assert _codes(report) == ["takeover_cheap"]
    assert [b.bot for b in report.bots] == ["balanced", "random", "hold"]
    assert report.takeover == pytest.approx(
        {"from_quarter": 7, "balanced": 82.0, "takeover": 76.0, "cost": 6.0}
    )
    costly = balance_report(tutorial, "pm", _runs(tutorial, {**scores, TAKEOVER: [60] * 3}), 200)
    assert costly.warnings == [] and costly.takeover["cost"] == pytest.approx(22.0)


def test_report_needs_a_full_grid(tutorial: Scenario) -> None:
    runs = _runs(tutorial, {"balanced": [1, 2], "random": [3, 4]})
    with pytest.raises(ValueError, match="every bot on every seed"):
        balance_report(tutorial, "pm", runs[:-1], 200)


# --------------------------------------------------------------------------- playing


def test_play_run_matches_a_full_simulation(tutorial: Scenario) -> None:
    run = play_run(tutorial, "pm", "random", 11, resolution=60)
    sim = Simulation(tutorial, seed=11, role="pm", resolution=60)  # explanations on
    play(sim, "random")
    card = sim.scorecard()
    assert run.score == card["score"]
    assert run.objectives == {o["id"]: o["status"] == "met" for o in card["objectives"]}
    assert run.kpis["share"] == sim.history[-1].firms["player"].share
    assert sim.history[-1].drivers  # the balance run skipped them; nothing else changed
    assert 0 <= run.lead <= run.top_share <= 1
    assert seeds_for(tutorial, 3) == [tutorial.seed, tutorial.seed + 1, tutorial.seed + 2]


def test_pool_gives_the_same_runs_in_order(tutorial: Scenario) -> None:
    pairs = [("hold", 1), ("random", 1), ("hold", 2), ("random", 2), ("profit", 1)]
    seen: list[int] = []
    serial = run_pairs(tutorial, "cpo", pairs, 40, workers=1, progress=seen.append)
    pooled = run_pairs(tutorial, "cpo", pairs, 40, workers=2)
    assert pooled == serial
    assert [(r.bot, r.seed) for r in pooled] == pairs
    assert seen == [1, 2, 3, 4, 5]


# --------------------------------------------------------------------------- the command


def test_balance_command_writes_json_and_png(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_json, out_png = tmp_path / "b.json", tmp_path / "b.png"
    args = ["balance", "tutorial", "--runs", "2", "--bots", "hold,random", "--resolution", "40"]
    code = main([*args, "--workers", "1", "--json", str(out_json), "--png", str(out_png)])
    assert code == 0
    captured = capsys.readouterr()
    assert "Best bot:" in captured.out and "luck" in captured.out
    assert "balance: 4/4 playthroughs" in captured.err  # plain progress when not a terminal
    doc = json.loads(out_json.read_text())
    assert doc["format"] == 1 and doc["seeds"] == 2 and doc["resolution"] == 40
    assert {b["bot"] for b in doc["bots"]} == {"hold", "random"}
    assert set(doc["variance"]) == {"strategy", "seed", "interaction", "luck"}
    assert out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # random beats hold on every seed but both do little: random is best and close to hold,
    # neither builds the culture two objectives ask for: warnings, which --strict turns into
    # exit 1 (no takeover runs without balanced)
    assert {w["code"] for w in doc["warnings"]} == {
        "random_close",
        "unreachable_objective",
        "dominant_bot",
        "hold_close",
    }
    assert doc["takeover"] is None
    assert main([*args, "--workers", "1", "--strict"]) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nowhere"], "no scenario file or bundled id"),
        (["tutorial", "--runs", "1"], "--runs must be between"),
        (["tutorial", "--bots", "hold,nobody"], "unknown: nobody"),
        (["tutorial", "--workers", "0"], "--workers must be between"),
        (["tutorial", "--resolution", "5"], "--resolution must be 0 or between"),
        (["culture_turnaround", "--role", "pm"], "is not offered"),
    ],
)
def test_balance_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["balance", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


# --------------------------------------------------------------------------- CI check


def _cases() -> list[tuple[str, str]]:
    return [(path.stem, role) for path in bundled_scenarios() for role in load_scenario(path).roles]


@pytest.mark.parametrize(("scenario_id", "role"), _cases())
def test_bundled_scenario_is_balanced(scenario_id: str, role: str) -> None:
    path = find_scenario(scenario_id)
    assert path is not None
    scenario = load_scenario(path)
    pairs = [(b, s) for b in [*BOTS, TAKEOVER] for s in seeds_for(scenario, CI_SEEDS)]
    runs = run_pairs(scenario, role, pairs, CI_RESOLUTION, CI_WORKERS)
    report = balance_report(scenario, role, runs, CI_RESOLUTION)
    assert not report.warnings, [w.message for w in report.warnings]
