"""``crossroads balance --sweep``: the balance of every combination of swept values.

:mod:`engine.sweep` parses the ``--sweep`` arguments and checks every variant before anything
is played; :mod:`game.balance_backends` plays every combination × bot × seed. This module
prints, per combination, the balance report (:func:`game.commands.balance.format_report`:
the table, the objective hit rates and the warnings), then a summary table over the grid,
and writes the sweep JSON document and the figure (:mod:`game.sweep_figures`).
The walkthrough is in docs/authoring.md ("Sweeping parameters").
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from game.escaping import terminal

if TYPE_CHECKING:
    from engine.balance import Run
    from engine.scenario import Scenario
    from engine.sweep import Parameter, Scalar

SWEEP_FORMAT = 1
"""Version of the sweep JSON document (``"kind": "sweep"``); each combination's ``report``
is a plain ``crossroads balance`` document (its own ``format``)."""


def run_sweep(
    args: argparse.Namespace,
    scenario: Scenario,
    role: str,
    players: list[str],
    resolution: int | None,
) -> int:
    """Check the sweep, play the grid, print every report and the summary, write the files."""
    from engine import sweep
    from engine.balance import balance_report, seeds_for
    from game.balance_backends import Job
    from game.commands.balance import FORMAT_VERSION, format_report, play_on_backend, write_outputs

    planned = _planned(args.sweep, scenario, len(players) * args.runs)
    if isinstance(planned, int):
        return planned
    parameters, combinations = planned
    job = Job(
        scenario,
        role,
        resolution,
        tuple(sweep.assignments(parameters, c) for c in combinations),
    )
    seeds = [  # each variant plays from its own seed (a sweep may set it)
        seeds_for(scenario.model_copy(update={"seed": sweep.seed(scenario, sets)}), args.runs)
        for sets in job.variants
    ]
    triples = [(v, b, s) for v in range(len(combinations)) for b in players for s in seeds[v]]
    texts: list[str] = [""] * len(combinations)
    reports: list[dict[str, Any]] = [{}] * len(combinations)
    summaries: list[dict[str, Any]] = [{}] * len(combinations)

    def consume(v: int, runs: list[Run]) -> None:
        """One combination's report from its runs, as soon as they are all in."""
        variant = sweep.variant(scenario, job.variants[v])
        report = balance_report(variant, role, runs, resolution)
        title = f"== {v + 1}/{len(combinations)}: {sweep.label(parameters, combinations[v])} =="
        texts[v] = "\n".join([terminal(title), format_report(report, variant), ""])
        reports[v] = {"format": FORMAT_VERSION, **report.to_dict()}
        summaries[v] = sweep.summary(report)

    started = time.perf_counter()
    where = play_on_backend(args, job, triples, consume)
    if isinstance(where, int):
        return where
    print("\n".join(texts))
    print(format_summary(scenario, role, parameters, combinations, summaries, args.runs))
    elapsed = time.perf_counter() - started
    print(f"{len(triples)} playthroughs in {elapsed:.1f} s with {where}.")
    document = {
        "format": SWEEP_FORMAT,
        "kind": "sweep",
        "scenario": scenario.id,
        "role": role,
        "seeds": args.runs,
        "resolution": resolution,
        "bots": players,
        "parameters": [{"name": p.name, "values": list(p.values)} for p in parameters],
        "combinations": [
            {
                "values": {p.name: x for p, x in zip(parameters, c, strict=True)},
                "summary": s,
                "report": r,
            }
            for c, s, r in zip(combinations, summaries, reports, strict=True)
        ],
    }

    def figure() -> bytes:
        from game.sweep_figures import sweep_figure

        return sweep_figure(document)

    code = write_outputs(args, document, figure)
    if code:
        return code
    warned = sum(s["warnings"] for s in summaries)
    if args.strict and warned:
        print(f"strict: {warned} warning(s) over the grid", file=sys.stderr)
        return 1
    return 0


def _planned(
    arguments: Sequence[str], scenario: Scenario, per_combination: int
) -> tuple[list[Parameter], list[tuple[Scalar, ...]]] | int:
    """The swept parameters and every combination, each variant checked; or exit code 2
    after every problem found."""
    from engine import sweep

    specs, problems = [], []
    for argument in arguments:
        try:
            specs.append(sweep.parse(argument))
        except sweep.SweepError as exc:
            problems += exc.problems
    if problems:
        return _refuse(problems)
    try:
        parameters = sweep.resolve(scenario, specs)
        combinations = sweep.grid(parameters)
    except sweep.SweepError as exc:
        return _refuse(exc.problems)
    total = len(combinations) * per_combination
    if total > sweep.MAX_PLAYTHROUGHS:
        return _refuse(
            [
                f"{len(combinations)} combinations × {per_combination} playthroughs each "
                f"(bots × seeds) = {total}; at most {sweep.MAX_PLAYTHROUGHS}: sweep fewer "
                "values or play fewer --runs"
            ]
        )
    problems = sweep.check_variants(scenario, parameters, combinations)
    if problems:
        return _refuse(problems, "invalid variant(s)")
    return parameters, combinations


def _refuse(problems: Sequence[str], what: str = "problem(s) with --sweep") -> int:
    """Print the problems (one line when there is one) and return exit code 2."""
    from game.scenario_choice import usage

    if len(problems) == 1:
        return usage("balance", problems[0])
    print(f"crossroads balance: {len(problems)} {what}:", file=sys.stderr)
    for problem in problems:
        print(f"  - {terminal(problem)}", file=sys.stderr)
    return 2


def format_summary(
    scenario: Scenario,
    role: str,
    parameters: Sequence[Parameter],
    combinations: Sequence[Sequence[Scalar]],
    summaries: Sequence[dict[str, Any]],
    seeds: int,
) -> str:
    """One row per combination: its values, the best bot, the score gaps, runaway, luck and
    the number of warnings."""
    from engine.sweep import show
    from game.commands.balance import aligned

    def points(x: float | None) -> str:
        return "-" if x is None else f"{x:.1f}"

    rows = [["#", *(p.name for p in parameters), "best", "best-random", "best-hold"]]
    rows[0] += ["runaway", "luck", "warnings"]
    for i, (c, s) in enumerate(zip(combinations, summaries, strict=True), start=1):
        figures = [points(s["gap_random"]), points(s["gap_hold"])]
        figures += [f"{s['runaway']:.0%}", f"{s['luck']:.0%}", str(s["warnings"])]
        rows.append([str(i), *(show(v) for v in c), s["best"], *figures])
    lines = aligned(rows)
    out = [
        f"Sweep of '{scenario.id}' as {role.upper()}: {len(combinations)} combination(s), "
        f"{seeds} seeds per bot",
        "",
        lines[0],
        "-" * len(lines[0]),
        *lines[1:],
        "",
        "best-random, best-hold: the best bot's mean score minus random's and hold's; runaway:",
        "share of games with a runaway leader; luck: share of the score variance due to luck.",
    ]
    return "\n".join(map(terminal, out))
