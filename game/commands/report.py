"""``crossroads report``: the debrief of a saved game or a ``simulate --json`` run as HTML.

A save holds the seed, role, scenario and every decision, so the game is replayed exactly.
A ``simulate --json`` document holds the scenario id, seed, role and bot (and the decisions,
when recorded): the run is rebuilt by replaying them, and refused if the replay does not
reproduce the recorded result (another scenario file or version). See docs/debrief.md.

``--language`` chooses the language of the report's words (headings, figures and the engine's
sentences); the messages of this command stay English, and so do the CSV column names and the
JSON field names, which tools read (their values are numbers, ids or the report's sentences).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from game.escaping import terminal

NAME = "report"
LANGUAGE_CODES = ("en", "de")
"""The languages a report can be written in (:data:`game.translation.LANGUAGES`)."""
MAX_INPUT_BYTES = 64 * 1024 * 1024
HELP = "Write the debrief of a saved game or a simulate --json run as a self-contained HTML."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``crossroads report``."""
    parser.add_argument("input", type=Path, help="a save file, or the JSON of crossroads simulate")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="HTML file to write"
    )
    parser.add_argument(
        "--scenario",
        metavar="FILE",
        help="scenario file a simulate run was made with (default: its bundled id)",
    )
    parser.add_argument(
        "--data",
        action="store_true",
        help="also write FILE-kpis.csv, FILE-decisions.csv and FILE.json beside the HTML",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=4,
        metavar="N",
        help="other seeds to replay the closest bot on (luck band; default 4)",
    )
    parser.add_argument(
        "--no-bots", action="store_true", help="skip the comparison with the built-in bots"
    )
    parser.add_argument(
        "--language",
        choices=LANGUAGE_CODES,
        default="en",
        help="language of the report's words: headings, figures and sentences (default en); "
        "CSV column names and JSON field names stay English, as tools read them",
    )


class InputError(Exception):
    """The input cannot be debriefed; the message says why in one line."""


def _usage(message: str) -> int:
    print(f"crossroads report: {terminal(message)}", file=sys.stderr)
    return 2


def _fail(message: str) -> int:
    print(f"crossroads report: {terminal(message)}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    """Read the input, rebuild the game, build the report and write the files, in the
    language ``args.language`` (the language in use before is restored afterwards)."""
    from game.translation import language, set_language

    previous = language()
    set_language(args.language)  # before the replay: the engine writes its sentences as it steps
    try:
        return _run(args)
    finally:
        set_language(previous)


def _run(args: argparse.Namespace) -> int:
    if not args.input.is_file():
        return _usage(f"no file '{args.input}'")
    if args.output.suffix.lower() not in (".html", ".htm"):
        return _usage(f"the output must be an .html file, not '{args.output.name}'")
    if not 0 <= args.seeds <= 20:
        return _usage(f"--seeds must be between 0 and 20, not {args.seeds}")
    from game.files import read_json

    try:
        raw = read_json(args.input, MAX_INPUT_BYTES)
    except OSError as exc:
        return _fail(f"cannot read {exc}")
    except (ValueError, RecursionError) as exc:  # not UTF-8 or JSON, huge numbers, deep nesting
        return _fail(f"{args.input.name} is not readable JSON ({exc.__class__.__name__})")
    try:
        game = _game(args, raw)
        from engine.bots import BOTS
        from engine.debrief import build_report

        scenario, seed, role, log, source = game
        report = build_report(
            scenario,
            seed,
            role,
            log,
            source=source,
            bots=[] if args.no_bots else list(BOTS),
            spread_seeds=args.seeds,
        )
    except InputError as exc:
        return _fail(str(exc))
    except ValueError as exc:  # decisions the engine refuses, an empty game
        return _fail(f"{args.input.name} cannot be replayed: {str(exc).splitlines()[0]}")
    except (ArithmeticError, RecursionError, KeyError, TypeError) as exc:  # damaged numbers
        return _fail(f"{args.input.name} cannot be replayed ({exc.__class__.__name__})")
    from game.report_export import write_report

    try:
        written = write_report(report.to_dict(), args.output, data=args.data)
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    print(
        f"Score {report.score:.1f} ({report.grade}) · wrote "
        + ", ".join(terminal(p) for p in written)
    )
    return 0


def _game(args: argparse.Namespace, raw: Any) -> tuple[Any, int, str, list[Any], str]:
    """(scenario, seed, role, decision log, source) of a save or a simulate document."""
    if isinstance(raw, dict) and raw.get("format") == "crossroads-save":
        return _from_save(args.input)
    if isinstance(raw, dict) and "quarters" in raw and "bot" in raw and "scenario" in raw:
        return _from_simulate(raw, args.scenario, args.input.name)
    raise InputError(
        f"{args.input.name} is neither a Crossroads save nor the JSON of crossroads simulate"
    )


def _from_save(path: Path) -> tuple[Any, int, str, list[Any], str]:
    from game.saves import SaveError
    from game.session import Session

    try:
        session = Session.from_save(path)
    except SaveError as exc:
        raise InputError(str(exc)) from None
    return session.scenario, session.seed, session.role, list(session.log), "played"


def _from_simulate(
    doc: dict[str, Any], scenario_file: str | None, name: str
) -> tuple[Any, int, str, list[Any], str]:
    from pydantic import ValidationError

    from engine.decisions import Decisions
    from engine.loader import ScenarioError, load_scenario
    from engine.whatif import replay
    from game.paths import find_scenario
    from game.scenario_choice import note_upgrade

    try:
        sid, seed, role, bot = str(doc["scenario"]), int(doc["seed"]), str(doc["role"]), doc["bot"]
        quarters = doc["quarters"]
        last = quarters[-1]["firms"][doc["player"]]
        recorded = (float(last["revenue"]), float(last["share"]))
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise InputError(f"{name} is incomplete or damaged ({exc})") from None
    path = find_scenario(scenario_file or sid)
    if path is None:
        raise InputError(f"no scenario '{scenario_file or sid}' (pass --scenario FILE)")
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        raise InputError(f"{path} has {len(exc.problems)} problem(s); fix it first") from None
    note_upgrade(scenario, path)
    if scenario.id != sid:
        raise InputError(f"{name} was played on '{sid}', not on '{scenario.id}' ({path.name})")
    try:
        if "decisions" in doc:
            log = [
                {str(f): Decisions.model_validate(d) for f, d in q.items()}
                for q in doc["decisions"]
            ]
            play = replay(scenario, seed, role, log)
        else:
            play = replay(scenario, seed, role, [], bot=str(bot), turns=len(quarters))
    except (ValidationError, AttributeError, TypeError) as exc:
        raise InputError(f"{name} has damaged decisions ({exc.__class__.__name__})") from None
    fr = play.history[-1].firms[play.firm]
    if len(play.log) != len(quarters) or not _same(recorded, (fr.revenue, fr.share)):
        raise InputError(
            f"{name} does not replay to the recorded result with {path} (another scenario "
            "file or game version?); pass the scenario it was made with as --scenario FILE"
        )
    return scenario, seed, role, play.log, "played" if "decisions" in doc else f"bot:{bot}"


def _same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return all(abs(x - y) <= 1e-6 * max(1.0, abs(x)) for x, y in zip(a, b, strict=True))
