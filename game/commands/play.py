"""``crossroads play``: open the game window (the default when no command is given)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from game.escaping import terminal

NAME = "play"
HELP = "Play a scenario as PM or CPO in a window (opens the title screen without a scenario)."


def window_size(text: str) -> tuple[int, int]:
    """Parse 'WxH' (e.g. 1280x720) for --window."""
    try:
        w, h = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not WIDTHxHEIGHT, e.g. 1280x720") from None
    if w < 1280 or h < 720:
        raise argparse.ArgumentTypeError(f"{w}x{h} is smaller than the minimum 1280x720")
    return (w, h)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``crossroads play``."""
    parser.add_argument(
        "scenario",
        nargs="?",
        help="scenario file or bundled scenario id (e.g. tutorial); omit to open the title",
    )
    parser.add_argument(
        "--role",
        choices=["pm", "cpo", "company"],
        help="role to play (default: first); company: one company, you in one seat (--seat) "
        "and the AI in the others",
    )
    parser.add_argument(
        "--seat",
        metavar="SEAT",
        help="with --role company: your seat, cpo (the default) or pm:LINE",
    )
    parser.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    parser.add_argument("--window", type=window_size, metavar="WxH", help="window size")
    parser.add_argument("--fullscreen", action="store_true", help="use the whole screen")
    parser.add_argument(
        "--frames",
        type=int,
        metavar="N",
        help="draw N frames, then close (a smoke test of a build; 1-100000)",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE",
        help="with --frames: save the last frame as a PNG",
    )
    parser.add_argument(
        "--coach",
        choices=["guided", "hints", "none"],
        help="tutorial coach: a guided first quarter and hints, hints only, or none "
        "(default: guided for an introductory scenario such as the tutorial, else none)",
    )


def find_scenario(name: str) -> Path | None:
    """A scenario file by path, or by id among the bundled and the user's scenarios."""
    from game import paths

    path = Path(name)
    if path.is_file():
        return path
    for candidate in [*paths.bundled_scenarios(), *paths.user_scenarios_dir().glob("*.y*ml")]:
        if candidate.stem == name:
            return candidate
    return None


def run(args: argparse.Namespace) -> int:
    """Open the window; with a scenario, start it straight away."""
    from dataclasses import replace

    from game.scenario_choice import note_upgrade
    from game.session import read_scenario
    from game.settings import load_settings

    if args.frames is not None and not 1 <= args.frames <= 100_000:
        print(f"crossroads play: --frames must be 1-100000, not {args.frames}", file=sys.stderr)
        return 2
    if args.screenshot is not None and args.frames is None:
        print("crossroads play: --screenshot needs --frames", file=sys.stderr)
        return 2
    _clean_stale_files()
    entry = None
    if args.scenario:
        path = find_scenario(args.scenario)
        if path is None:
            print(f"crossroads play: no scenario file or id '{args.scenario}'", file=sys.stderr)
            return 2
        entry = read_scenario(path)
        if entry.scenario is None:
            print(f"crossroads play: {terminal(path)} has errors:", file=sys.stderr)
            print("\n".join(map(terminal, entry.problems)), file=sys.stderr)
            return 1
        note_upgrade(entry.scenario, path)
        wanted = "cpo" if args.role == "company" else args.role
        if wanted and wanted not in entry.scenario.roles:
            offered = ", ".join(entry.scenario.roles)
            print(
                f"crossroads play: role '{args.role}' is not offered (offered: {offered})",
                file=sys.stderr,
            )
            return 2
    if args.seat is not None and args.role != "company":
        print("crossroads play: --seat needs --role company", file=sys.stderr)
        return 2
    company = None
    if entry is not None and entry.scenario is not None and args.role == "company":
        from game.company_session import CompanySession

        seed = entry.scenario.seed if args.seed is None else args.seed
        try:
            company = CompanySession(entry, seed, {args.seat or "cpo": None})
        except ValueError as exc:
            print(f"crossroads play: {exc}", file=sys.stderr)
            return 2
    settings = load_settings()
    if args.window:
        settings = replace(settings, width=args.window[0], height=args.window[1])
    if args.fullscreen:
        settings = replace(settings, fullscreen=True)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from game.app import App
    from game.scenes.flow import start_game
    from game.scenes.title import TitleScene

    try:
        app = App(settings)
    except Exception as exc:  # no display or no video driver: say so in one line
        print(f"crossroads play: cannot open a window ({exc})", file=sys.stderr)
        return 1
    app.push(TitleScene(app))
    if company is not None:
        from game.scenes.company import start_company

        start_company(app, company)
    elif entry is not None and entry.scenario is not None:
        role = args.role or entry.scenario.roles[0]
        seed = entry.scenario.seed if args.seed is None else args.seed
        start_game(app, entry, role, seed, args.coach)
    try:
        app.run(max_frames=args.frames, screenshot=args.screenshot)
    except OSError as exc:  # the screenshot could not be written
        reason = exc.strerror or exc
        print(f"crossroads play: cannot save the screenshot: {reason}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug must not show a traceback: log it, say where
        return crashed(app, exc)
    return 0


def _clean_stale_files() -> None:
    """Remove temporary files left by autosaves or settings writes that were killed."""
    from game import paths
    from game.saves import clean_stale_temporaries, saves_dir

    try:
        for folder in (saves_dir(), paths.user_data_dir()):
            clean_stale_temporaries(folder)
    except OSError:  # a read-only data folder: nothing to clean, and play still starts
        pass


def crashed(app: object, exc: BaseException) -> int:
    """Save what can be saved, write the traceback to a log file and print one line."""
    import traceback

    from game import paths

    game = getattr(app, "session", None) or getattr(app, "company", None)
    if game is not None:
        game.autosave_quietly()
    log = paths.user_data_dir() / "crash.log"
    log.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    print(
        f"crossroads play: the game stopped after an internal error ({exc.__class__.__name__}); "
        f"your game was saved and the details are in {log}",
        file=sys.stderr,
    )
    return 1
