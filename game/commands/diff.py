"""``crossroads diff A B``: what differs between two scenarios, after merging their bases.

Both are loaded as the game plays them (``extends`` resolved, defaults filled in) and compared
by id path (see :func:`engine.inheritance.differences`). ``--balance`` also plays every bot
over a few seeds on each and prints the two ``crossroads balance`` tables side by side.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.scenario import Scenario

NAME = "diff"
HELP = "Show the differences of two scenarios (after extends); --balance compares their balance."
DEFAULT_RUNS = 10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the two scenarios and the balance options."""
    parser.add_argument("a", metavar="A", help="scenario file or bundled id (e.g. tutorial)")
    parser.add_argument("b", metavar="B", help="scenario file or bundled id to compare with A")
    parser.add_argument(
        "--balance", action="store_true", help="also print both balance tables side by side"
    )
    parser.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, help=f"seeds per bot (default: {DEFAULT_RUNS})"
    )
    parser.add_argument(
        "--role", choices=["pm", "cpo"], help="role to play (default: pm if offered)"
    )


def run(args: argparse.Namespace) -> int:
    """Print the differences (and the balance tables); 0, or 1/2 when a scenario fails."""
    from engine.inheritance import differences
    from game.escaping import terminal
    from game.scenario_choice import scenario_and_role, usage

    if args.balance and not 2 <= args.runs <= 10_000:
        return usage("diff", f"--runs must be between 2 and 10000, not {args.runs}")
    chosen = []
    for name in (args.a, args.b):
        found = scenario_and_role("diff", name, args.role)
        if isinstance(found, int):
            return found
        chosen.append(found)
    (a, role_a), (b, role_b) = chosen
    lines = differences(a.model_dump(mode="json"), b.model_dump(mode="json"))
    print(terminal(f"{args.a} → {args.b}: {len(lines) or 'no'} difference(s)"))
    for line in lines:
        print(terminal(f"  {line}"))
    if args.balance:
        print()
        print(side_by_side(_balance(a, role_a, args.runs), _balance(b, role_b, args.runs)))
    return 0


def _balance(scenario: Scenario, role: str, runs: int) -> str:
    """The ``crossroads balance`` report of ``scenario`` over ``runs`` seeds per bot."""
    from engine.balance import BALANCE_RESOLUTION, TAKEOVER, balance_report, seeds_for
    from engine.bots import BOTS
    from game.commands.balance import format_report, run_pairs

    players = [*BOTS, TAKEOVER] if {"balanced", "hold"} <= set(BOTS) else list(BOTS)
    pairs = [(bot, seed) for bot in players for seed in seeds_for(scenario, runs)]
    workers = min(4, os.cpu_count() or 1)
    print(f"diff: playing {len(pairs)} games of '{scenario.id}'...", file=sys.stderr)
    played = run_pairs(scenario, role, pairs, BALANCE_RESOLUTION, workers)
    report = balance_report(scenario, role, played, BALANCE_RESOLUTION)
    return format_report(report, scenario)


def side_by_side(left: str, right: str, gap: int = 4) -> str:
    """Two blocks of text in columns, the left one padded to its widest line.

    Prose lines longer than a block's table (its longest line of dashes) are wrapped to it.
    """
    a, b = _wrapped(left), _wrapped(right)
    width = max(map(len, a), default=0) + gap
    rows = max(len(a), len(b))
    a += [""] * (rows - len(a))
    b += [""] * (rows - len(b))
    return "\n".join(f"{x.ljust(width)}{y}".rstrip() for x, y in zip(a, b, strict=True))


def _wrapped(block: str) -> list[str]:
    """The lines of ``block``, those wider than its dashed rule wrapped to the rule's width."""
    import textwrap

    lines = block.splitlines()
    rule = max((len(x) for x in lines if x and set(x) == {"-"}), default=0)
    if not rule:
        return lines
    return [
        part
        for line in lines
        for part in (textwrap.wrap(line, rule, subsequent_indent="    ") or [""])
    ]
