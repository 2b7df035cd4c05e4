"""``crossroads preview``: the quarter-0 market of a scenario as its author needs it.

The numbers come from :mod:`engine.starting_market`; this module prints one table per
segment, the firms' unit economics and the flags, and writes the JSON. The game's scenario
picker shows the same rows (``game.scenes.scenario_preview``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.starting_market import SegmentStart, StartingMarket

NAME = "preview"
HELP = "Show a scenario's starting market: appeal, expected shares, unit economics, flags."
FORMAT_VERSION = 1
PRODUCT_HEADER = (
    *("product", "price", "appeal", "brand", "quality", "fit", "price term", "aware"),
    *("share Q0", "expected Q1", "gap pts", "choosers", "own ε (logit)"),
)
FIRM_HEADER = (
    *("firm", "customers", "revenue", "serving", "payroll", "marketing", "other", "profit"),
    *("margin", "runway", "satisf.", "NPS", "customers Q1", "revenue Q1"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``crossroads preview``."""
    parser.add_argument("scenario", help="scenario file or bundled scenario id (e.g. tutorial)")
    parser.add_argument(
        "--role", choices=["pm", "cpo"], help="role to play (default: pm if offered)"
    )
    parser.add_argument("--json", metavar="FILE", type=Path, help="write the figures as JSON")


def run(args: argparse.Namespace) -> int:
    """Load, compute the starting market, print it and write the JSON."""
    from engine.calibrate import CalibrationError
    from engine.starting_market import starting_market
    from game.escaping import terminal
    from game.scenario_choice import scenario_and_role

    chosen = scenario_and_role("preview", args.scenario, args.role)
    if isinstance(chosen, int):
        return chosen
    scenario, role = chosen
    try:
        market = starting_market(scenario, role)
    except (CalibrationError, ValueError) as exc:
        print(f"crossroads preview: {terminal(exc)}", file=sys.stderr)
        return 1
    print(format_preview(market))
    if args.json:
        try:
            document = {"format": FORMAT_VERSION, **market.to_dict()}
            args.json.write_text(
                json.dumps(document, indent=1, allow_nan=False) + "\n", encoding="utf-8"
            )
        except OSError as exc:
            print(
                f"crossroads preview: cannot write output: {exc.strerror or exc}", file=sys.stderr
            )
            return 1
    return 0


# --------------------------------------------------------------------------- the rows


SEGMENT_HEADING = (
    "%{name}: %{in_market} of %{size} people in the category; reference price %{price}, "
    "α %{alpha}, outside %{outside}, switching cost %{switching}"
)
"""The segment line in English (the game's preview screen passes its own language's)."""
YOU = "(you)"


def segment_heading(seg: SegmentStart, currency: str, template: str = SEGMENT_HEADING) -> str:
    """One line: the segment's people and model units (not escaped)."""
    from engine.formatting import count, money_cents, number
    from engine.phrases import fill

    return fill(
        template,
        {
            "name": seg.name,
            "in_market": count(seg.in_market),
            "size": count(seg.size),
            "price": money_cents(seg.reference_price, currency),
            "alpha": number(seg.price_sensitivity),
            "outside": number(seg.outside_utility),
            "switching": number(seg.switching_cost),
        },
    )


def segment_rows(seg: SegmentStart, currency: str) -> list[list[str]]:
    """Header and one row per product (cells not escaped)."""
    from engine.formatting import MISSING, money_cents, pct, signed
    from engine.starting_market import large_gap

    rows = [list(PRODUCT_HEADER)]
    for p in seg.products:
        t = p.terms
        own = MISSING if p.elasticity is None else signed(p.elasticity)
        flag = " !" if large_gap(p) else ""
        rows.append(
            [
                p.name[:14],
                money_cents(p.price, currency),
                signed(p.appeal),
                signed(t["brand"]),
                signed(t["quality"] + t["network"]),
                signed(t["fit"]),
                signed(t["price"]),
                pct(p.awareness, 0),
                pct(p.share),
                pct(p.share_expected),
                f"{100 * p.gap:+.1f}{flag}",
                pct(p.share_of_choosers),
                f"{own} ({signed(p.elasticity_logit)})",
            ]
        )
    return rows


def firm_rows(market: StartingMarket, you: str = YOU) -> list[list[str]]:
    """Header and one row per firm: quarter-0 run rate and expected quarter 1 (``you`` marks
    the player's firm)."""
    from engine.formatting import MISSING, money_full, number

    cur = market.currency
    rows = [list(FIRM_HEADER)]
    for f in market.firms:
        runway = MISSING if f.runway is None else f"{f.runway:.1f} q"
        rows.append(
            [
                f.name[:16] + (f" {you}" if f.id == market.player else ""),
                f"{f.customers:,.0f}",
                money_full(f.revenue, cur),
                money_full(f.serving, cur),
                money_full(f.payroll, cur),
                money_full(f.marketing, cur),
                money_full(f.other_costs, cur),
                money_full(f.profit, cur),
                f"{f.margin:.0%}",
                runway,
                number(f.satisfaction),
                f"{f.nps:+.0f}",
                f"{f.customers_expected:,.0f}",
                money_full(f.revenue_expected, cur),
            ]
        )
    return rows


def format_preview(market: StartingMarket) -> str:
    """Every segment's table, the firms' table, the flags and how to read them (escaped)."""
    from game.commands.calibrate import _aligned
    from game.escaping import terminal

    out = [
        f"{terminal(market.title)}: the starting market as {market.role}, no decision taken "
        f"(quarter 1 averaged over seeds {market.seed}..{market.seed + market.runs - 1})"
    ]
    for seg in market.segments:
        lines = _aligned(segment_rows(seg, market.currency))
        out += [
            "",
            terminal(segment_heading(seg, market.currency)),
            lines[0],
            "-" * len(lines[0]),
            *lines[1:],
            f"Favourite: {terminal(seg.why)}",
        ]
    lines = _aligned(firm_rows(market))
    out += ["", "Firms: one quarter at the starting run rate", lines[0], "-" * len(lines[0])]
    out += lines[1:]
    out += ["", "Flags:" if market.flags else "Flags: nothing looks wrong."]
    out += [f"- {terminal(flag)}" for flag in market.flags]
    out += [
        "",
        "Appeal: utility of the segment's mean customer (brand + quality + fit + price term;",
        "quality includes the network term), against the outside option. Expected Q1: the",
        "expected-share model after one quarter with every price and spend held; gap = that",
        "minus share Q0 (! when large); choosers: the share of quarter 1's choosers, where the",
        "installed base heads. Own ε: measured elasticity of the share after one quarter",
        "(closed-form logit). Runway: quarters of cash at the quarter-0 loss (— not losing).",
    ]
    return "\n".join(out)
