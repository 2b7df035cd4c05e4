"""``crossroads balance``: play every bot over many seeds and report whether a scenario is fair.

The numbers come from :mod:`engine.balance`; this module runs the (bot, seed) pairs across
worker processes, shows progress on stderr, prints the report and writes the JSON and PNG.
The walkthrough is in docs/authoring.md ("Balancing a scenario").
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from game.escaping import terminal

if TYPE_CHECKING:
    from engine.balance import BalanceReport, Run
    from engine.scenario import Scenario
    from game.balance_backends import Job

NAME = "balance"
HELP = "Play every bot over many seeds; report score spread, luck vs strategy and warnings."
FORMAT_VERSION = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``crossroads balance``."""
    parser.add_argument("scenario", help="scenario file or bundled scenario id (e.g. tutorial)")
    parser.add_argument(
        "--role", choices=["pm", "cpo"], help="role to play (default: pm if offered)"
    )
    parser.add_argument("--runs", type=int, default=200, help="seeds per bot (default: 200)")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: one per CPU; 1 runs in this process); with "
        "--cluster local, the local cluster's workers",
    )
    parser.add_argument("--bots", help="comma-separated bots to play (default: every built-in bot)")
    parser.add_argument(
        "--resolution",
        type=int,
        help="synthetic customers per segment (default: 500, reduced for speed; "
        "0 = the scenario's own)",
    )
    parser.add_argument("--json", metavar="FILE", type=Path, help="write the report as JSON")
    parser.add_argument(
        "--png", metavar="FILE", type=Path, help="draw the score distribution per bot"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when the report has any warning"
    )
    parser.add_argument(
        "--sweep",
        action="append",
        metavar="PATH=VALUES",
        help="play every combination of values of scenario fields, e.g. "
        "segments[smb].price_sensitivity=2,3,4 or firms[planly].ai.marketing=2e4:6e4:3 "
        "(START:STOP:COUNT); repeat for a grid",
    )
    parser.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="run on a Dask cluster: a scheduler's tcp://HOST:8786, or 'local' to start one "
        'with --workers processes (needs pip install "crossroads[cluster]")',
    )


def _usage(message: str) -> int:
    from game.scenario_choice import usage

    return usage("balance", message)


def run(args: argparse.Namespace) -> int:
    """Check the arguments, play every pair, print the report and write the files.

    Ctrl-C stops the batches still to play and the workers, and exits 130 after one line.
    """
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("crossroads balance: cancelled", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    from engine.balance import BALANCE_RESOLUTION, TAKEOVER
    from engine.bots import BOTS
    from game.scenario_choice import scenario_and_role

    chosen = scenario_and_role("balance", args.scenario, args.role)
    if isinstance(chosen, int):
        return chosen
    scenario, role = chosen
    if not 2 <= args.runs <= 100_000:
        return _usage(f"--runs must be between 2 and 100000, not {args.runs}")
    if not 1 <= args.workers <= 256:
        return _usage(f"--workers must be between 1 and 256, not {args.workers}")
    bots = list(BOTS) if args.bots is None else [b.strip() for b in args.bots.split(",")]
    unknown = [b for b in bots if b not in BOTS]
    if unknown or len(set(bots)) < 2:
        return _usage(
            f"--bots needs two or more of: {', '.join(BOTS)}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    if args.resolution is None:
        resolution: int | None = BALANCE_RESOLUTION
    elif args.resolution == 0:
        resolution = None
    elif 10 <= args.resolution <= 2_000_000:
        resolution = args.resolution
    else:
        return _usage(f"--resolution must be 0 or between 10 and 2000000, not {args.resolution}")

    players = list(dict.fromkeys(bots))
    if "balanced" in players and "hold" in players:  # does the second half matter?
        players.append(TAKEOVER)
    if args.sweep:
        from game.balance_sweep import run_sweep

        return run_sweep(args, scenario, role, players, resolution)
    return _plain(args, scenario, role, players, resolution)


def _plain(
    args: argparse.Namespace,
    scenario: Scenario,
    role: str,
    players: list[str],
    resolution: int | None,
) -> int:
    """The balance of the scenario itself: the table, the JSON and the score figure."""
    from engine.balance import TAKEOVER, balance_report, seeds_for
    from game.balance_backends import Job

    pairs = [(b, s) for b in players for s in seeds_for(scenario, args.runs)]
    started = time.perf_counter()
    runs: list[Run] = []
    where = play_on_backend(
        args,
        Job(scenario, role, resolution),
        [(0, b, s) for b, s in pairs],
        lambda _variant, played: runs.extend(played),
    )
    if isinstance(where, int):
        return where
    report = balance_report(scenario, role, runs, resolution)
    elapsed = time.perf_counter() - started
    print(format_report(report, scenario))
    print(f"{len(pairs)} playthroughs in {elapsed:.1f} s with {where}.")
    document = {"format": FORMAT_VERSION, **report.to_dict()}

    def figure() -> bytes:
        return score_figure(report, [r for r in runs if r.bot != TAKEOVER])

    code = write_outputs(args, document, figure)
    if code:
        return code
    if args.strict and report.warnings:
        print(f"strict: {len(report.warnings)} warning(s)", file=sys.stderr)
        return 1
    return 0


def play_on_backend(
    args: argparse.Namespace,
    job: Job,
    triples: Sequence[tuple[int, str, int]],
    consume: Callable[[int, list[Run]], None],
) -> str | int:
    """Play the triples on the backend ``--cluster``/``--workers`` choose, with a progress
    bar; ``consume(variant, runs)`` gets each variant's runs once they are all in (see
    :func:`game.balance_backends.play_variants`). Returns what played them, in words, or
    the exit code after a message."""
    from game.balance_backends import BackendError, open_backend, play_variants

    try:
        backend = open_backend(args.cluster, args.workers)
    except BackendError as exc:
        print(f"crossroads balance: {terminal(exc)}", file=sys.stderr)
        return exc.code
    bar = ProgressBar(len(triples))  # started once the workers are there: an honest rate
    try:
        play_variants(job, triples, backend, consume, lambda r, b, n: bar(r, (b, n)))
    except BackendError as exc:
        print(f"crossroads balance: {terminal(exc)}", file=sys.stderr)
        return exc.code
    except (OSError, RuntimeError) as exc:  # the pool could not start or a worker died
        print(f"crossroads balance: the worker processes failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        bar.interrupted()
        raise
    finally:
        backend.close()
    if args.cluster is None:
        return f"{args.workers} worker(s)"
    where = "a local Dask cluster" if args.cluster == "local" else f"Dask at {args.cluster}"
    return terminal(f"{where} ({backend.slots} worker slot(s))")


def write_outputs(
    args: argparse.Namespace, document: dict[str, Any], figure: Callable[[], bytes]
) -> int:
    """Write ``--json`` (``document``) and ``--png`` (``figure()``); 0, or 1 after a message."""
    try:
        if args.json:
            args.json.write_text(
                json.dumps(document, indent=1, allow_nan=False) + "\n", encoding="utf-8"
            )
        if args.png:
            args.png.write_bytes(figure())
    except OSError as exc:
        print(f"crossroads balance: cannot write output: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # json refuses NaN and infinity (allow_nan=False)
        print(f"crossroads balance: a result is not a finite number ({exc})", file=sys.stderr)
        return 1
    return 0


# --------------------------------------------------------------------------- running pairs


def run_pairs(
    scenario: Scenario,
    role: str,
    pairs: Sequence[tuple[str, int]],
    resolution: int | None,
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> list[Run]:
    """Play every (bot, seed) pair; ``workers`` > 1 spreads batches over a process pool.

    ``progress`` is called with the number of pairs finished so far. The result is in the
    order of ``pairs`` whatever order the workers finish in.
    """
    from game.balance_backends import Job, open_backend, play

    tick = progress or (lambda _done: None)
    backend = open_backend(None, workers if len(pairs) > 1 else 1)
    try:
        triples = [(0, bot, seed) for bot, seed in pairs]
        return play(Job(scenario, role, resolution), triples, backend, lambda r, _b, _n: tick(r))
    finally:
        backend.close()


class ProgressBar:
    """Progress on stderr: a redrawn bar on a terminal, a line per 10% otherwise.

    Shows playthroughs and batches done, the rate and the time left.
    """

    WIDTH = 20

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.perf_counter()
        self.shown = -1
        self.drawn = False
        self.width = 0  # of the last line drawn on a terminal, to clear what it leaves

    def __call__(self, done: int, batches: tuple[int, int] | None = None) -> None:
        """Show ``done`` playthroughs finished (and ``batches`` done of all, if given)."""
        elapsed = time.perf_counter() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 else math.inf
        extra = "" if batches is None else f", batch {batches[0]}/{batches[1]}"
        speed = f"{rate:.1f} per s" if rate < 100 else f"{rate:.0f} per s"
        eta = f"{left:.0f} s left" if math.isfinite(left) else "time left unknown"
        if self.tty:
            filled = self.WIDTH * done // max(self.total, 1)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            end = "\n" if done >= self.total else ""
            line = f"[{bar}] {done}/{self.total} playthroughs{extra}, {speed}, {eta}"
            self.stream.write(f"\r{line.ljust(self.width)}{end}")
            self.width = len(line)
            self.drawn = done < self.total
        else:
            tenth = 10 * done // max(self.total, 1)
            if tenth == self.shown:
                return
            self.shown = tenth
            self.stream.write(
                f"balance: {done}/{self.total} playthroughs{extra}, {speed}, {eta} "
                f"({elapsed:.1f} s)\n"
            )
        self.stream.flush()

    def interrupted(self) -> None:
        """End a half-drawn bar's line so the next message starts on its own."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


# --------------------------------------------------------------------------- output


def _takeover_line(report: BalanceReport) -> list[str]:
    """How much the second half matters: balanced handing over to hold halfway."""
    t = report.takeover
    if t is None:
        return []
    return [
        f"Second half: balanced handing over to hold from Q{t['from_quarter']:.0f} scores "
        f"{t['takeover']:.1f}, {t['cost']:.1f} points below playing on ({t['balanced']:.1f})"
    ]


def aligned(rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """Rows as aligned text: the second column left-aligned, the others right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        indent
        + "  ".join(
            c.ljust(w) if i == 1 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]


def _objective_lines(report: BalanceReport, scenario: Scenario) -> list[str]:
    """Per objective: its KPI as scored per bot (met, p10/p50/p90) and the suggested target."""
    from engine.kpis import KPIS, Kpi

    kpi_of = {o.id: o.kpi for o in scenario.objectives}
    hits = {b.bot: b.objectives for b in report.bots}
    out = []
    for a in report.objectives:
        kpi = KPIS[kpi_of[a.id]]

        def show(value: float, kpi: Kpi = kpi) -> str:
            return kpi.compact(value, scenario.currency)

        out += [
            "",
            f"[{a.id}] {a.description}: {a.kpi} {a.op} {show(a.target)} {a.due} ({a.kind}"
            + ("" if a.start is None else f", {show(a.start)} at the start")
            + ")",
        ]
        rows = [["#", "bot", "met", "p10", "p50", "p90"]]
        for rank, (bot, d) in enumerate(a.values.items(), start=1):
            met = f"{hits[bot][a.id]:.0%}"
            rows.append([str(rank), bot, met, show(d.p10), show(d.p50), show(d.p90)])
        out += aligned(rows, "  ")
        if a.suggested is None:
            out.append(f"  suggested target: none ({a.no_suggestion})")
        else:
            met_by = ", ".join(f"{b} {r:.0%}" for b, r in a.suggested_hits.items())
            side = round(100 * ((1 - a.suggested_rate) if a.op == ">=" else a.suggested_rate))
            out.append(
                f"  suggested target: {a.op} {show(a.suggested)} ({a.basis}'s p{side}); "
                f"met by {met_by}"
            )
    return out


def format_report(report: BalanceReport, scenario: Scenario) -> str:
    """The report as aligned text: a row per bot, then the verdicts and warnings."""
    from engine.formatting import number, pct
    from engine.kpis import BALANCE, KPIS
    from game.escaping import terminal

    cur = scenario.currency
    objectives = list(report.objective_any)  # the objectives of the role played
    header = ["#", "bot", "mean", "p10", "p50", "p90", "wins"]
    header += [f"[{o[:12]}]" for o in objectives]
    header += ["share", "revenue", "cum.profit", "morale", "debt"]
    rows = [header]
    for b in report.bots:
        s, k = b.score, b.kpis
        rows.append(
            [str(b.rank), b.bot]
            + [number(x, 1) for x in (s.mean, s.p10, s.p50, s.p90)]
            + [str(b.wins)]
            + [pct(b.objectives[o], 0) for o in objectives]
            + [KPIS[kpi].compact(k[kpi].mean, cur) for kpi in BALANCE if kpi != "score"]
        )
    lines = aligned(rows)
    res = "scenario default" if report.resolution is None else f"{report.resolution}/segment"
    v, run = report.variance, report.runaway
    out = [
        f"Balance of '{report.scenario}' as {report.role.upper()}: {len(report.bots)} bots × "
        f"{report.seeds} seeds, resolution {res}",
        "",
        lines[0],
        "-" * len(lines[0]),
        *lines[1:],
        "",
        "mean/p10/p50/p90: final score 0-100; wins: seeds on which the bot scored highest;",
        "[objective]: share of seeds on which the bot met it; other KPIs: mean at the end.",
        "",
        f"Best bot: {report.best}"
        + (
            f"; random is {report.random_gap:.1f} points behind it"
            if report.random_gap is not None
            else ""
        ),
        f"Score variance: {v['strategy']:.0%} strategy (between bots), {v['luck']:.0%} luck "
        f"({v['seed']:.0%} the seed, {v['interaction']:.0%} seed × bot)",
        f"Runaway leader: {run['rate']:.0%} of games end with a firm ahead by more than "
        f"{100 * run['threshold_lead']:.0f} share points or above "
        f"{run['threshold_share']:.0%} share; "
        "leaders: " + ", ".join(f"{name} {rate:.0%}" for name, rate in run["leaders"].items()),
        "Objectives met by at least one bot: "
        + ", ".join(f"{o} {rate:.0%} of seeds" for o, rate in report.objective_any.items()),
        *_takeover_line(report),
    ]
    if report.objectives:
        out += [
            "",
            "Objectives: the KPI as scored (at the quarter it is due; for 'every quarter' the "
            "worst one),",
            "per bot: met = share of seeds; p10/p50/p90 over the seeds.",
            *_objective_lines(report, scenario),
        ]
    out.append("")
    if report.warnings:
        out.append(f"{len(report.warnings)} warning(s):")
        out += [f"  ! {w.code}: {w.message}" for w in report.warnings]
    else:
        out.append("No balance warnings.")
    if report.notes:
        out.append(f"{len(report.notes)} note(s) (--strict ignores them):")
        out += [f"  - {w.code}: {w.message}" for w in report.notes]
    return "\n".join(map(terminal, out))  # names, currency and messages are scenario data


def score_figure(report: BalanceReport, runs: Sequence[Run]) -> bytes:
    """PNG of every bot's score distribution (box and points), best bot on top."""
    import io

    import matplotlib
    import numpy as np
    from matplotlib.figure import Figure

    from game.report_figures import DPI, OKABE_ITO, STYLE

    order = [b.bot for b in report.bots]
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(10, 1.0 + 0.7 * len(order)), dpi=DPI, layout="constrained")
        ax = fig.subplots()
        data = [[r.score for r in runs if r.bot == bot] for bot in reversed(order)]
        # ``orientation`` replaced ``vert`` in Matplotlib 3.10; the project allows 3.8.
        modern = tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) >= (3, 10)
        sideways = {"orientation": "horizontal"} if modern else {"vert": False}
        ax.boxplot(data, whis=(10, 90), showfliers=False, widths=0.5, **sideways)
        rng = np.random.default_rng(0)  # jitter only; fixed so the image is reproducible
        for i, scores in enumerate(data, start=1):
            colour = OKABE_ITO[(len(order) - i) % (len(OKABE_ITO) - 1)]
            y = i + rng.uniform(-0.18, 0.18, len(scores))
            ax.scatter(scores, y, s=10, alpha=0.45, color=colour, linewidths=0)
        ax.set_yticks(range(1, len(order) + 1), [b.replace("_", " ") for b in reversed(order)])
        ax.set_xlabel("final score (box: p10-p90 whiskers, quartiles, median)")
        ax.set_title(
            f"{report.scenario} as {report.role.upper()}: scores over {report.seeds} seeds"
        )
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()
