"""``crossroads workshop``: run a workshop from the command line with decision-sheet files.

Sub-commands: ``new``, ``sheet``, ``submit``, ``resolve``, ``rewind``, ``inject``, ``status``,
``list`` and ``export`` (see docs/workshop.md). Exit codes: 0 done, 1 refused or failed (the
reason is printed, nothing half-done), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.formatting import possessive
from game.escaping import terminal
from game.workshop import DEFAULT_PORT

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
    new.add_argument(
        "--company",
        action="store_true",
        help="every team is a company: a CPO seat and one PM seat per line, each with its "
        "own join code (needs a scenario with a CPO role)",
    )

    sheet = sub.add_parser("sheet", help="write a pre-filled decision sheet for a team")
    _where(sheet, team=True)
    sheet.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    submit = sub.add_parser("submit", help="check and record a team's decision sheet")
    _where(submit, team=True)
    submit.add_argument("--decisions", required=True, type=Path, metavar="FILE.yaml")

    resolve = sub.add_parser("resolve", help="play the open round and show the leaderboard")
    _where(resolve)
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
    _where(status)

    host = sub.add_parser("host", help="serve a session to the teams' computers on the network")
    host.add_argument("id", help="session id")
    host.add_argument(
        "--bind",
        default="0.0.0.0",
        metavar="ADDRESS",
        help="the address to listen on (default: every address of this computer)",
    )
    host.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default: {DEFAULT_PORT}")
    host.add_argument(
        "--deadline",
        type=float,
        metavar="MINUTES",
        help="close hand-in this many minutes after each round opens (late teams keep course)",
    )

    codes = sub.add_parser("codes", help="print each team's join code (TEAM CODE lines)")
    codes.add_argument("id", help="session id")

    deadline = sub.add_parser("deadline", help="close the open round's hand-in in N minutes")
    deadline.add_argument("id", help="session id")
    deadline.add_argument("minutes", help="minutes from now, or 'off' to remove the deadline")

    sub.add_parser("list", help="list the workshop sessions")

    export = sub.add_parser("export", help="write leaderboard, decisions and reports")
    export.add_argument("id", help="session id")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="DIR")
    export.add_argument(
        "--compare-bots",
        action="store_true",
        help="add the bot comparison and what-if to each debrief report (slower)",
    )


def _where(parser: argparse.ArgumentParser, team: bool = False) -> None:
    """A session on this computer (``ID``, with ``--team``) or on a host (``--host --code``)."""
    parser.add_argument("id", nargs="?", help="session id (on this computer)")
    if team:
        parser.add_argument("--team", help="team name (with a session id)")
        parser.add_argument(
            "--seat",
            metavar="SEAT",
            help="a company workshop's seat: cpo or pm:LINE (with a session id and --team)",
        )
    parser.add_argument("--host", metavar="URL", help="a workshop host, e.g. 192.168.1.20:8765")
    parser.add_argument("--code", help="your join code (with --host)")


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
    from game.workshop.client import RemoteError
    from game.workshop.session import WorkshopError
    from game.workshop.store import StoreError
    from game.workshop.wire import WireError

    if args.action is None:
        return _usage(
            "give an action: new, sheet, submit, resolve, rewind, inject, status, list, "
            "export, host, codes or deadline (see crossroads workshop --help)"
        )
    problem = _where_problem(args)
    if problem:
        return _usage(problem)
    remote = getattr(args, "host", None) is not None
    handler = globals()[f"_{'remote_' if remote else ''}{args.action}"]
    try:
        return int(handler(args))
    except RemoteError as exc:
        _say(exc.message if not exc.problems else f"{exc.message}: {exc.problems[0]}")
        for p in exc.problems[1:]:
            print(f"  {terminal(p)}", file=sys.stderr)
        return 1
    except WireError as exc:
        return _usage(str(exc))
    except (WorkshopError, StoreError, FileRefused) as exc:
        _say(str(exc))
        return 1
    except OSError as exc:  # permission denied, disk full...: say which, and where
        _say(f"{os_reason(exc)}: {exc.filename}" if exc.filename else os_reason(exc))
        return 1
    except ValueError as exc:  # an engine refusal that got past the session's own checks
        _say(str(exc))
        return 1


def _where_problem(args: argparse.Namespace) -> str | None:
    """Why a session-or-host action's arguments do not say where, or None."""
    if not hasattr(args, "host"):
        return None
    if args.host is not None:
        if args.id is not None:
            return "give a session id or --host, not both"
        if not args.code:
            return "--host needs --code (your join code)"
        return None
    if args.code is not None:
        return "--code goes with --host URL"
    if args.id is None:
        return "give a session id (or --host URL --code CODE for a session on a host)"
    if hasattr(args, "team") and not args.team:
        return "--team is required with a session id"
    return None


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
        company=args.company,
    )
    info = session.info
    note_upgrade(session.scenario, path)
    print(session.id)
    print(
        f"{info.scenario_id}: {len(teams)} teams ({terminal(', '.join(teams))}), "
        f"{info.mode} market, {'companies' if info.company else info.role.upper()}, "
        f"{info.rounds} rounds, seed {info.seed}",
        file=sys.stderr,
    )
    session.close()
    return 0


def _sheet(args: argparse.Namespace) -> int:
    from game.workshop.session import WorkshopError
    from game.workshop.sheet import seat_template, template

    session = _open(args.id)
    if session.finished:
        raise WorkshopError(f"the session has ended after round {session.info.rounds}")
    if session.company:
        text = seat_template(session, args.team, _seat_arg(session, args))
    else:
        text = template(session, args.team)
    return _write_sheet(text, args.output)


def _seat_arg(session: Any, args: argparse.Namespace) -> str:
    """The seat a company workshop's sheet is for (``--seat``), refused in words if none."""
    from game.workshop.session import WorkshopError

    if not args.seat:
        raise WorkshopError(
            f"teams are companies in this workshop: give --seat ({', '.join(session.seat_ids())})"
        )
    return str(args.seat)


def _write_sheet(text: str, output: Path | None) -> int:
    """A decision sheet to its file, or to stdout."""
    if output:
        output.write_text(text, encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _submit(args: argparse.Namespace) -> int:
    from game.workshop.sheet import parse_sheet, read_sheet, submit_seat_sheet

    session = _open(args.id)
    team = session.team(args.team)
    text = read_sheet(args.decisions)
    if session.company:
        seat = _seat_arg(session, args)
        warnings = submit_seat_sheet(session, team, seat, text, str(args.decisions))
        who = f"{possessive(terminal(team))} {terminal(seat)}"
    else:
        decisions = parse_sheet(text, str(args.decisions), session, team)
        warnings = session.submit(team, decisions)
        who = possessive(terminal(team))
    waiting = session.waiting_for()
    print(f"recorded {who} decisions for round {session.current_round}")
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
    if not session.finished and session.company:  # a company's seats hand in one by one
        for team, seats in session.seat_status().items():
            marks = [f"{seat} {'✓' if done else '…'}" for seat, done in seats.items()]
            print(f"round {session.current_round}, {terminal(team)}: " + ", ".join(marks))
    elif not session.finished:
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


# ---------------------------------------------------------------------- the network
def _host(args: argparse.Namespace) -> int:
    from game.workshop.host import serve
    from game.workshop.session import WorkshopError
    from game.workshop.wire import shown_code

    if not 0 < args.port < 65536:
        return _usage(f"--port must be between 1 and 65535, not {args.port}")
    if args.deadline is not None and not 0 < args.deadline <= 24 * 60:
        return _usage("--deadline is a number of minutes between 0 and 1440")
    session = _open(args.id)  # a missing or damaged session is refused here, in words
    session.close()

    def announce(host: object) -> None:
        from game.workshop.host import Host

        assert isinstance(host, Host)
        print(f"hosting {args.id}: teams join at " + " or ".join(host.addresses), flush=True)
        print(f"facilitator code: {shown_code(host.facilitator_code())}", flush=True)
        for link in host.links():
            print(f"{terminal(link.team)} {shown_code(link.code)}", flush=True)
        print("Ctrl+C stops the host (hand-ins are safe in the session file)", flush=True)

    try:
        serve(args.id, args.bind, args.port, args.deadline, announce=announce)
    except WorkshopError:
        raise
    return 0


def _codes(args: argparse.Namespace) -> int:
    from game.workshop.company_seats import split_key
    from game.workshop.wire import shown_code

    session = _open(args.id)
    codes = session.join_codes()
    for key in session.seat_keys() if session.company else session.teams:
        team, seat = split_key(key)  # a company's seats: "TEAM SEAT CODE"
        who = terminal(team) if seat is None else f"{terminal(team)} {seat}"
        print(f"{who} {shown_code(codes[key])}")
    print(f"facilitator code: {shown_code(codes[''])}", file=sys.stderr)
    return 0


def _at(at: float) -> str:
    """A time of day on this computer's clock."""
    import time

    return time.strftime("%H:%M:%S", time.localtime(at))


def _deadline(args: argparse.Namespace) -> int:
    session = _open(args.id)
    if args.minutes.strip().lower() in ("off", "none", "0"):
        session.set_deadline(None)
        print(f"round {session.current_round} has no deadline")
        return 0
    try:
        minutes = float(args.minutes)
    except ValueError:
        return _usage(f"minutes must be a number or 'off', not '{terminal(args.minutes[:20])}'")
    at = session.set_deadline(minutes)
    assert at is not None
    print(f"hand-in for round {session.current_round} closes at {_at(at)}")
    return 0


def _remote(args: argparse.Namespace, work: Any) -> Any:
    """Run ``work(client)`` against the host named by ``--host``/``--code``."""
    import asyncio

    from game.workshop.client import HostClient

    async def main() -> Any:
        async with HostClient(args.host, args.code) as client:
            return await work(client)

    return asyncio.run(main())


def _remote_sheet(args: argparse.Namespace) -> int:
    async def work(client: Any) -> tuple[int, str]:
        return await client.sheet()

    _round, text = _remote(args, work)
    return _write_sheet(text, args.output)


def _remote_submit(args: argparse.Namespace) -> int:
    from game.workshop.client import submit_until_acknowledged
    from game.workshop.sheet import read_sheet

    text = read_sheet(args.decisions)

    async def work(client: Any) -> tuple[int, list[str]]:
        return await submit_until_acknowledged(client, lambda r: client.submit_sheet(text, r))

    round_, warnings = _remote(args, work)
    print(f"handed in for round {round_} (the host has it on disk)")
    for w in warnings:
        print(f"  warning: {terminal(w)}")
    return 0


def _remote_status(args: argparse.Namespace) -> int:
    async def work(client: Any) -> dict[str, Any]:
        return await client.status()

    st = _remote(args, work)
    head = f"{terminal(str(st.get('session', '?')))}: round {st.get('round')} of {st.get('rounds')}"
    if st.get("finished"):
        print(f"{head}, the session is over")
    else:
        print(f"{head}, {st.get('handed_in')} of {st.get('teams')} teams handed in")
    if "team_links" in st:  # the facilitator's code
        for link in st["team_links"]:
            marks = ("handed in" if link.get("handed_in") else "not yet") + (
                ", connected" if link.get("connected") else ""
            )
            print(f"  {terminal(str(link.get('team')))}: {marks}")
    elif not st.get("finished"):
        done = "handed in" if st.get("submitted") else "not handed in yet"
        print(f"your team ({terminal(str(st.get('team')))}): {done}")
    if isinstance(st.get("deadline"), int | float):
        print(f"hand-in closes at {_at(st['deadline'])}")
    return 0


def _remote_resolve(args: argparse.Namespace) -> int:
    async def work(client: Any) -> dict[str, Any]:
        return await client.resolve(keep_course=args.keep_course)

    done = _remote(args, work)
    print(f"round {done.get('round')} resolved")
    if done.get("kept_course"):
        print(f"kept course: {terminal(', '.join(map(str, done['kept_course'])))}")
    return 0
