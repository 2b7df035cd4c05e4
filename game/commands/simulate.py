"""``crossroads simulate``: play a scenario headlessly with a bot and print the KPIs.

The JSON and CSV formats are documented in docs/simulate-output.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from engine.kpis import KPIS

NAME = "simulate"
HELP = "Play a scenario headlessly with a bot; print a per-quarter KPI table (JSON/CSV too)."
FORMAT_VERSION = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``crossroads simulate``."""
    parser.add_argument("scenario", help="scenario file or bundled scenario id (e.g. tutorial)")
    parser.add_argument(
        "--role",
        choices=["pm", "cpo", "company"],
        help="role to play (default: pm if offered); company: a CPO seat and a PM seat per line "
        "(the scenario must offer cpo)",
    )
    parser.add_argument(
        "--bot", default="hold", help="strategy playing the player firm (default: hold)"
    )
    parser.add_argument(
        "--seat",
        action="append",
        default=[],
        metavar="SEAT=BOT",
        help="company mode: the bot in one seat, e.g. cpo=balanced or pm:tutor=random (ai: the "
        "line's AI PM); seats not named get --bot",
    )
    parser.add_argument(
        "--takeover",
        metavar="Q:BOT",
        help="BOT plays from quarter Q on (e.g. 7:hold: --bot plays quarters 1-6, then hold)",
    )
    parser.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    parser.add_argument("--turns", type=int, help="quarters to play (default: the whole scenario)")
    parser.add_argument("--json", metavar="FILE", type=Path, help="write every quarter as JSON")
    parser.add_argument(
        "--csv", metavar="FILE", type=Path, help="write firm KPIs per quarter as CSV"
    )


def _usage(message: str) -> int:
    from game.scenario_choice import usage

    return usage("simulate", message)


def _takeover(text: str | None, quarters: int, bots: Any) -> tuple[int, str] | str | None:
    """``Q:BOT`` as (quarter, bot); a message when it is malformed; None when not given."""
    if text is None:
        return None
    quarter, sep, bot = text.partition(":")
    if not sep or not quarter.strip().isdigit():
        return f"--takeover takes QUARTER:BOT, e.g. 7:hold (got '{text}')"
    q = int(quarter)
    if not 1 <= q <= quarters:
        return f"--takeover quarter must be between 1 and {quarters}, not {q}"
    bot = bot.strip()
    if bot not in bots:
        return f"unknown bot '{bot}' in --takeover (known: {', '.join(sorted(bots))})"
    return q, bot


def run(args: argparse.Namespace) -> int:
    """Load, check the arguments, play, print the table and write the files."""
    from engine.bots import BOTS, play, play_takeover
    from engine.simulation import Simulation
    from game.scenario_choice import scenario_and_role

    company = args.role == "company"
    chosen = scenario_and_role("simulate", args.scenario, "cpo" if company else args.role)
    if isinstance(chosen, int):
        return chosen
    scenario, role = chosen
    if args.seat and not company:
        return _usage("--seat needs --role company")
    if args.bot not in BOTS:
        return _usage(f"unknown bot '{args.bot}' (known: {', '.join(sorted(BOTS))})")
    seed = scenario.seed if args.seed is None else args.seed
    if not 0 <= seed < 2**63:
        return _usage(f"seed must be between 0 and 2**63 - 1, not {seed}")
    turns = scenario.quarters if args.turns is None else args.turns
    if not 1 <= turns <= scenario.quarters:
        return _usage(f"--turns must be between 1 and {scenario.quarters}, not {turns}")
    takeover = _takeover(args.takeover, scenario.quarters, BOTS)
    if isinstance(takeover, str):
        return _usage(takeover)
    if takeover is not None and args.turns is not None:
        return _usage("--takeover plays to the end: leave out --turns")

    if company and takeover is not None:
        return _usage("--takeover is for one player: leave it out with --role company")
    sim = Simulation(scenario, seed=seed, role=role)
    start = sim.history[0]
    table: Any = None
    if company:
        table = _seat_bots(args, sim, BOTS)
        if isinstance(table, str):
            return _usage(table)
        from engine.company_mode import play as play_company

        seat_turns = play_company(sim, table, turns)
        reports = [t.report for t in seat_turns]
    elif takeover is None:
        reports = play(sim, args.bot, turns)
    else:
        reports = play_takeover(sim, args.bot, *takeover)
    player = scenario.player_firms()[0].id
    print(kpi_table(sim, player, reports))
    card = sim.scorecard(player)
    if sim.finished:  # the score line is the final verdict: only after the last quarter
        print(
            f"Score {card['score']:.1f} ({card['grade']}): "
            f"objectives {card['objective_score']:.0f}/100, "
            + ", ".join(
                f"{name.replace('_', ' ')} {c['score']:.0f}"
                for name, c in card["competencies"].items()
            )
        )
    try:
        if args.json:
            document = {
                "format": FORMAT_VERSION,
                "scenario": scenario.id,
                "title": scenario.title,
                "seed": seed,
                "role": role,
                "bot": args.bot,
                "takeover": None
                if takeover is None
                else {"quarter": takeover[0], "bot": takeover[1]},
                "player": player,
                "currency": scenario.currency,
                "start": start.to_dict(),
                "quarters": [r.to_dict() for r in reports],
                **card,
            }
            if company:
                from engine.company_mode import scorecards

                document["role"] = "company"
                document["seats"] = table
                document["seat_scores"] = scorecards(scenario, card, [start, *reports], seat_turns)[
                    "seats"
                ]
                for quarter, turn in zip(document["quarters"], seat_turns, strict=True):
                    quarter.update(turn.to_dict())
            args.json.write_text(
                json.dumps(document, indent=1, allow_nan=False) + "\n", encoding="utf-8"
            )
        if args.csv:
            write_csv(args.csv, sim.segment_ids, [start, *reports])
    except OSError as exc:
        print(f"crossroads simulate: cannot write output: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # json refuses NaN and infinity (allow_nan=False)
        print(f"crossroads simulate: a result is not a finite number ({exc})", file=sys.stderr)
        return 1
    return 0


def _seat_bots(args: argparse.Namespace, sim: Any, bots: Any) -> dict[str, str] | str:
    """The bot in every seat (``--seat SEAT=BOT``, the rest ``--bot``), or a message."""
    from engine.company_mode import AI, Seat, seats

    lines = sim.company.books[sim.scenario.player_firms()[0].id].lines
    table = {s.id: args.bot for s in seats(lines)}
    for text in args.seat:
        seat_text, sep, bot = text.partition("=")
        if not sep or not bot.strip():
            return f"--seat takes SEAT=BOT, e.g. cpo=balanced or pm:{lines[0]}=random"
        try:
            seat = Seat.parse(seat_text.strip(), lines)
        except ValueError as exc:
            return f"--seat: {exc}"
        bot = bot.strip()
        if bot not in bots and not (bot == AI and seat.role == "pm"):
            known = ", ".join(sorted(bots))
            return f"unknown bot '{bot}' in --seat (known: {known}; ai for a PM seat)"
        table[seat.id] = bot
    return table


TABLE_KPIS = ("revenue", "profit", "cash", "customers", "share", "satisfaction", "nps")
"""The player firm's KPIs in the table, after the quarter (registry ids)."""


def revenue_by_segment(rep: Any, firm: str) -> dict[str, float]:
    """A firm's revenue in each segment this quarter: its products' customers × price."""
    out = {s: 0.0 for s in rep.segments}
    for p in rep.products.values():
        if p.firm == firm:
            for s, n in p.customers_by_segment.items():
                out[s] += n * p.price
    return out


def revenue_share(rep: Any, firm: str) -> float:
    """A firm's share of every firm's revenue this quarter (0 when nobody earns anything)."""
    total = sum(f.revenue for f in rep.firms.values())
    return rep.firms[firm].revenue / total if total > 0 else 0.0


def kpi_table(sim: Any, player: str, reports: list[Any]) -> str:
    """An aligned table: the player firm's KPIs per quarter, its revenue by segment, and each
    firm's customer share beside its revenue share (of all firms' revenue)."""
    from game.escaping import terminal

    rivals = [f for f in sim.state.firms if f != player]
    cur = sim.scenario.currency
    money, share = KPIS["revenue"].format, KPIS["share"].format
    header = ["Q", "revenue", "profit", "cash", "customers", "share", "rev. share"]
    header += ["satisf.", "NPS"]
    header += [f"rev. {seg.name[:12]}" for seg in sim.state.segments]
    for r in rivals:
        name = sim.state.firms[r].name[:12]
        header += [f"{name} share", f"{name} rev. share"]
    rows = [header]
    for rep in reports:
        f = rep.firms[player]
        row = [str(rep.quarter)]
        row += [KPIS[k].format(getattr(f, k), cur) for k in TABLE_KPIS[:5]]
        row.append(share(revenue_share(rep, player)))
        row += [KPIS[k].format(getattr(f, k), cur) for k in TABLE_KPIS[5:]]
        row += [money(v, cur) for v in revenue_by_segment(rep, player).values()]
        for r in rivals:
            row += [share(rep.firms[r].share), share(revenue_share(rep, r))]
        rows.append(row)
    rows = [[terminal(cell) for cell in row] for row in rows]  # names and currency are data
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.rjust(w) if i else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def write_csv(path: Path, segments: list[str], reports: list[Any]) -> None:
    """One row per quarter and firm (quarter 0 is the starting position)."""
    from game.escaping import csv_writer

    fields = ["quarter", "firm", "revenue", "profit", "cash", "customers", "share"]
    fields += [f"share_{s}" for s in segments] + ["satisfaction", "nps"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv_writer(fh)
        writer.writerow(fields)
        for rep in reports:
            for f in rep.firms.values():
                writer.writerow(
                    [rep.quarter, f.id, f.revenue, f.profit, f.cash, f.customers, f.share]
                    + [f.share_by_segment[s] for s in segments]
                    + [f.satisfaction, f.nps]
                )
