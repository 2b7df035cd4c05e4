"""``crossroads calibrate``: what a scenario's model units mean, measured over one quarter.

The numbers come from :mod:`engine.calibrate`; this module checks the arguments, prints one
table per segment and writes the JSON. The walkthrough is in docs/authoring.md
("Calibrating a scenario").
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.calibrate import Calibration, Elasticity, SegmentCalibration
    from engine.scenario import Scenario

NAME = "calibrate"
HELP = "Measure price elasticities, awareness and shares after one quarter (model units check)."
FORMAT_VERSION = 1
DEFAULT_RUNS = 8
MAX_RESOLUTION = 2_000_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``crossroads calibrate``."""
    parser.add_argument("scenario", help="scenario file or bundled scenario id (e.g. tutorial)")
    parser.add_argument(
        "--role", choices=["pm", "cpo"], help="role to play (default: pm if offered)"
    )
    parser.add_argument("--seed", type=int, help="first random seed (default: the scenario's)")
    parser.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        help=f"seeds averaged, from --seed on (default: {DEFAULT_RUNS})",
    )
    parser.add_argument(
        "--resolution",
        type=int,
        default=0,
        help="synthetic customers per segment (default 0: the scenario's own)",
    )
    parser.add_argument("--json", metavar="FILE", type=Path, help="write the figures as JSON")


def _usage(message: str) -> int:
    from game.scenario_choice import usage

    return usage("calibrate", message)


def run(args: argparse.Namespace) -> int:
    """Check the arguments, calibrate, print the tables and write the JSON."""
    from engine.calibrate import MAX_RUNS, CalibrationError, calibrate
    from game.scenario_choice import scenario_and_role

    chosen = scenario_and_role("calibrate", args.scenario, args.role)
    if isinstance(chosen, int):
        return chosen
    scenario, role = chosen
    seed = scenario.seed if args.seed is None else args.seed
    if not 0 <= seed < 2**63 - MAX_RUNS:
        return _usage(f"seed must be between 0 and 2**63 - {MAX_RUNS + 1}, not {seed}")
    if not 1 <= args.runs <= MAX_RUNS:
        return _usage(f"--runs must be between 1 and {MAX_RUNS}, not {args.runs}")
    if not (args.resolution == 0 or 10 <= args.resolution <= MAX_RESOLUTION):
        return _usage(
            f"--resolution must be 0 or between 10 and {MAX_RESOLUTION}, not {args.resolution}"
        )
    try:
        result = calibrate(scenario, seed, role, args.resolution or None, args.runs)
    except CalibrationError as exc:
        from game.escaping import terminal

        print(f"crossroads calibrate: {terminal(exc)}", file=sys.stderr)
        return 1
    print(format_calibration(result, scenario))
    if args.json:
        try:
            document = {"format": FORMAT_VERSION, **result.to_dict()}
            args.json.write_text(
                json.dumps(document, indent=1, allow_nan=False) + "\n", encoding="utf-8"
            )
        except OSError as exc:
            print(
                f"crossroads calibrate: cannot write output: {exc.strerror or exc}", file=sys.stderr
            )
            return 1
        except ValueError as exc:  # json refuses NaN and infinity (allow_nan=False)
            print(f"crossroads calibrate: a result is not a finite number ({exc})", file=sys.stderr)
            return 1
    return 0


# --------------------------------------------------------------------------- the tables


def _elasticity(e: Elasticity) -> str:
    """'-0.48±0.19 (-2.88)': measured ± standard error (closed-form prediction)."""
    from engine.formatting import MISSING, number, signed

    if e.measured is None:
        shown = MISSING
    else:
        shown = signed(e.measured)
        if e.standard_error is not None:
            shown += "±" + number(e.standard_error)
    return f"{shown} ({signed(e.predicted)})"


def _segment_table(seg: SegmentCalibration, currency: str) -> list[list[str]]:
    """Header and one row per product (cells not yet escaped)."""
    from engine.formatting import money_cents, money_full, pct

    names = {p.id: p.name[:14] for p in seg.products}
    header = ["product", "price", "marketing", "aware Q0", "aware Q1", "share logit"]
    header += ["share Q1", "own-price ε (logit)", "of choosers", "choice ε"]
    header += [f"ε vs {names[p.id]} price" for p in seg.products]
    rows = [header]
    for p in seg.products:
        cross = {e.price_of: e for e in p.cross}
        row = [
            names[p.id],
            money_cents(p.price, currency),
            money_full(p.marketing, currency),
            pct(p.awareness_start),
            pct(p.awareness),
            pct(p.share_predicted),
            pct(p.share_simulated),
            _elasticity(p.own),
            pct(p.share_of_choosers),
            _elasticity(p.own_choice).split(" (")[0],
        ]
        row += ["" if q.id == p.id else _elasticity(cross[q.id]) for q in seg.products]
        rows.append(row)
    return rows


def _aligned(rows: list[list[str]]) -> list[str]:
    """Rows as lines: the first column left-aligned, the others right-aligned."""
    from game.escaping import terminal

    rows = [[terminal(cell) for cell in row] for row in rows]  # names and currency are data
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]


def format_calibration(result: Calibration, scenario: Scenario) -> str:
    """Every segment's table, then how to read them."""
    from engine.formatting import number
    from game.escaping import terminal

    res = "each segment's own" if result.resolution is None else f"{result.resolution:,}"
    out = [
        f"{terminal(scenario.title)}: one quarter from the start as {result.role}, seeds "
        f"{result.seed}..{result.seed + result.runs - 1}, resolution {res}, prices ±"
        f"{result.price_step:.0%}",
    ]
    for seg in result.segments:
        lines = _aligned(_segment_table(seg, scenario.currency))
        out += [
            "",
            f"{terminal(seg.name)}: price sensitivity α {number(seg.price_sensitivity)}, "
            f"outside utility {number(seg.outside_utility)}, "
            f"switching cost {number(seg.switching_cost)}, "
            f"{seg.choosing:.0%} of the category chose this quarter",
            lines[0],
            "-" * len(lines[0]),
            *lines[1:],
        ]
    out += [
        "",
        f"ε: elasticity of the row's {result.quantity}",
        "after one quarter to the column's price: measured ± standard error over the seeds",
        "(closed-form homogeneous logit: own −α(1 − s), cross +α·s of the product whose price",
        "moved). Share logit: that logit's share with every product known. Marketing: spend",
        "in the quarter (starting prices and spend held). Choice ε: the same for the row's",
        "share of this quarter's choosers (newcomers, non-buyers taking a fresh look, users",
        "whose churn triggered; that share is 'of choosers'), which is what −α(1 − s) describes",
        "with s that share; one quarter moves only those customers, so the installed base's ε",
        "is smaller and grows over the quarters.",
    ]
    return "\n".join(out)
