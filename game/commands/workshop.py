"""``crossroads workshop``: run a workshop from the command line with decision-sheet files.

Sub-commands: ``new``, ``sheet``, ``submit``, ``resolve``, ``rewind``, ``inject``, ``status``,
``list`` and ``export`` (see docs/workshop.md). Exit codes: 0 done, 1 refused or failed (the
reason is printed, nothing half-done), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from engine.formatting import possessive
from game.escaping import terminal

if TYPE_CHECKING:
    from game.workshop.session import WorkshopSession

NAME = "workshop"
HELP = "Run a facilitated workshop: teams submit decision sheets, you resolve the rounds."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``crossroads workshop`` and its sub-commands."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    new = sub.add_parser("new", help="create a session and print its id")
    new.add_argument("--scenario", required=True, help="scenario file or bundled id")
    new.add_argument("--teams", required=True, help="team names, comma-separated (e.g. A,B,C)")
    new.add_argument("--mode", required=True, choices=["shared", "parallel"])
    new.add_argument("--role", choices=["pm", "cpo"], help="default: pm if offered")
    new.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    new.add_argument("--rounds", type=int, help="rounds to play (default: every quarter)")
    new.add_argument("--timer", type=int, metavar="SECONDS", help="suggested time per round")
    new.add_argument(
        "--resolution",
        type=int,
        help="synthetic customers per segment (default: the scenario's; lower is faster)",
    )
    new.add_argument(
        "--coach",
        choices=["guided", "hints", "none"],
        default="none",
        help="the tutorial coach at each team's hub (default: none, i.e. off)",
    )

    sheet = sub.add_parser("sheet", help="write a pre-filled decision sheet for a team")
    sheet.add_argument("id", help="session id")
    sheet.add_argument("--team", required=True)
    sheet.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    submit = sub.add_parser("submit", help="check and record a team's decision sheet")
    submit.add_argument("id", help="session id")
    submit.add_argument("--team", required=True)
    submit.add_argument("--decisions", required=True, type=Path, metavar="FILE.yaml")

    resolve = sub.add_parser("resolve", help="play the open round and show the leaderboard")
    resolve.add_argument("id", help="session id")
    resolve.add_argument(
        "--keep-course",
        action="store_true",
        help="teams that have not submitted keep their course instead of blocking the round",
    )

    rewind = sub.add_parser("rewind", help="reopen the last resolved round")
    rewind.add_argument("id", help="session id")

    inject = sub.add_parser("inject", help="queue an event from the inject deck for the open round")
    inject.add_argument("id", help="session id")
    inject.add_argument("event", nargs="?", help="event id (omit to list the deck)")

    status = sub.add_parser("status", help="round, submissions and leaderboard of a session")
    status.add_argument("id", help="session id")

    sub.add_parser("list", help="list the workshop sessions")

    export = sub.add_parser("export", help="write leaderboard, decisions and reports")
    export.add_argument("id", help="session id")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="DIR")
    export.add_argument(
        "--compare-bots",
        action="store_true",
        help="add the bot comparison and what-if to each debrief report (slower)",
    )


def _say(message: str) -> None:
    """A message on stderr; file-borne text cannot add lines or escapes (our own list of
    problems keeps its one line per problem)."""
    text = "\n".join(terminal(line) for line in message.split("\n"))
    print(f"crossroads workshop: {text}", file=sys.stderr)


def _usage(message: str) -> int:
    _say(message)
    return 2


def run(args: argparse.Namespace) -> int:
    """Dispatch to the sub-command; every refusal is one clear message, never a traceback."""
    from game.files import FileRefused, os_reason
    from game.workshop.session import WorkshopError
    from game.workshop.store import StoreError

    if args.action is None:
        return _usage(
            "give an action: new, sheet, submit, resolve, rewind, inject, status, "
            "list or export (see crossroads workshop --help)"
        )
    handler = globals()[f"_{args.action}"]
    try:
        return int(handler(args))
    except (WorkshopError, StoreError, FileRefused) as exc:
        _say(str(exc))
        return 1
    except OSError as exc:  # permission denied, disk full...: say which, and where
        _say(f"{os_reason(exc)}: {exc.filename}" if exc.filename else os_reason(exc))
        return 1
    except ValueError as exc:  # an engine refusal that got past the session's own checks
        _say(str(exc))
        return 1


def _open(session_id: str) -> WorkshopSession:
    from game.workshop.session import WorkshopSession

    return WorkshopSession.open(session_id)


def _new(args: argparse.Namespace) -> int:
    from engine.loader import MAX_BYTES
    from game.files import read_text
    from game.paths import find_scenario
    from game.scenario_choice import note_upgrade
    from game.workshop.session import WorkshopSession

    path = find_scenario(args.scenario)
    if path is None:
        return _usage(f"no scenario file or bundled id '{args.scenario}'")
    teams = [t.strip() for t in args.teams.split(",")]
    session = WorkshopSession.create(
        read_text(path, MAX_BYTES),
        teams=teams,
        mode=args.mode,
        role=args.role,
        seed=args.seed,
        rounds=args.rounds,
        timer_s=args.timer,
        resolution=args.resolution,
        coach=args.coach,
        source_name=str(path),
    )
    info = session.info
    note_upgrade(session.scenario, path)
    print(session.id)
    print(
        f"{info.scenario_id}: {len(teams)} teams ({terminal(', '.join(teams))}), "
        f"{info.mode} market, {info.role.upper()}, {info.rounds} rounds, seed {info.seed}",
        file=sys.stderr,
    )
    session.close()
    return 0


def _sheet(args: argparse.Namespace) -> int:
    from game.workshop.session import WorkshopError
    from game.workshop.sheet import template

    session = _open(args.id)
    if session.finished:
        raise WorkshopError(f"the session has ended after round {session.info.rounds}")
    text = template(session, args.team)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _submit(args: argparse.Namespace) -> int:
    from game.workshop.sheet import parse_sheet, read_sheet

    session = _open(args.id)
    team = session.team(args.team)
    text = read_sheet(args.decisions)
    decisions = parse_sheet(text, str(args.decisions), session, team)
    warnings = session.submit(team, decisions)
    waiting = session.waiting_for()
    print(f"recorded {possessive(terminal(team))} decisions for round {session.current_round}")
    for w in warnings:
        print(f"  warning: {terminal(w)}")
    print(f"waiting for: {terminal(', '.join(waiting))}" if waiting else "every team has submitted")
    return 0


def _resolve(args: argparse.Namespace) -> int:
    session = _open(args.id)
    result = session.resolve(keep_course=args.keep_course)
    print(f"round {result.round} of {session.info.rounds} resolved")
    if result.kept_course:
        print(f"kept course: {terminal(', '.join(result.kept_course))}")
    _print_board(session)
    if session.finished:
        print("the session is complete: crossroads workshop export", session.id, "-o DIR")
    return 0


def _rewind(args: argparse.Namespace) -> int:
    session = _open(args.id)
    round_ = session.rewind()
    print(f"round {round_} is open again; its submissions are kept (teams may resubmit)")
    return 0


def _inject(args: argparse.Namespace) -> int:
    session = _open(args.id)
    if not args.event:
        titles = {e.id: e.title for e in session.scenario.events}
        for ev in session.scenario.inject_deck:
            print(f"{ev}: {terminal(titles.get(ev, ''))}")
        return 0
    session.inject(args.event)
    print(f"'{terminal(args.event)}' will happen at the start of round {session.current_round}")
    return 0


def _status(args: argparse.Namespace) -> int:
    session = _open(args.id)
    info = session.info
    print(
        f"{info.id}: {info.scenario_id}, {info.mode} market, {info.role.upper()}, "
        f"seed {info.seed}, {session.resolved} of {info.rounds} rounds resolved"
        + (f", {info.timer_s} s per round" if info.timer_s else "")
    )
    if not session.finished:
        marks = [f"{terminal(t)} {'✓' if done else '…'}" for t, done in session.submitted().items()]
        print(f"round {session.current_round}: " + ", ".join(marks))
        injects = session.store.injects(session.current_round)
        if injects:
            print(f"injected for this round: {', '.join(injects)}")
    _print_board(session)
    return 0


def _list(args: argparse.Namespace) -> int:
    from game.workshop.session import scan_sessions

    sessions, damaged = scan_sessions()
    for _name, why in damaged:
        _say(f"skipped a file that cannot be used: {why}")
    if not sessions and not damaged:
        print("no workshop sessions yet (crossroads workshop new ...)")
    for s in sessions:
        print(
            f"{s.id}  {s.scenario_id}  {s.mode}  {s.role}  {len(s.teams)} teams  "
            f"{s.resolved}/{s.rounds} rounds"
        )
    return 0


def _print_board(session: WorkshopSession) -> None:
    from engine.formatting import number
    from engine.kpis import KPIS

    cur = session.scenario.currency
    widths = {"revenue": 12, "profit": 12, "share": 6}
    head = " ".join(f"{k:>{w}}" for k, w in widths.items())
    print(f"{'#':>2}  {'team':<16} {'score':>6}  {head}")
    for row in session.leaderboard():
        cells = " ".join(f"{terminal(KPIS[k].format(row[k], cur)):>{w}}" for k, w in widths.items())
        team = terminal(row["team"])[:16]
        print(f"{row['rank']:>2}  {team:<16} {number(row['score'], 1):>6}  {cells}")


def _export(args: argparse.Namespace) -> int:
    from game.workshop.export import export_session

    session = _open(args.id)
    done = export_session(session, args.output, compare_bots=args.compare_bots)
    written = "leaderboard.csv, decisions.csv, session.json and teams/*-scorecard.json"
    if done.debriefs:
        written += " and a debrief report per team (teams/*.html)"
    print(f"wrote {written} to {args.output}")
    if done.note:
        print(done.note)
    return 0
