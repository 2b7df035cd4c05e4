"""``crossroads validate PATH...``: check scenario files and folders, one line per problem.

A valid file in an older format gets an informational line after its OK line (it is
converted on load; ``crossroads migrate`` rewrites it); that does not make it invalid.
A valid file is then linted (:mod:`engine.lint`): each warning is printed after the OK line
as ``file:line:col: path: warning W104: message``, and the summary counts them. Warnings do
not make a file invalid unless ``--strict`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.scenario import Scenario

NAME = "validate"
HELP = (
    "Check scenario files (or folders of them) and report every problem, then every lint "
    "warning, with its line."
)
SUFFIXES = (".yaml", ".yml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the paths to check."""
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="scenario file, or folder scanned for *.yaml"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1) when any file has a lint warning, not only when one is invalid",
    )


def scenario_files(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Files to check (folders expanded, sorted) and usage errors for paths that don't exist."""
    files: list[Path] = []
    errors: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            if not found:
                errors.append(f"no *.yaml or *.yml scenario files in folder {name}")
            files += found
        elif path.exists():
            files.append(path)
        else:
            errors.append(f"no such file or folder: {name}")
    return files, errors


def run(args: argparse.Namespace) -> int:
    """Validate and lint every file; exit 0 if all are valid, 1 if any is not (or, with
    ``--strict``, has a warning), 2 for bad paths."""
    from engine.loader import ScenarioError, load_scenario
    from game.escaping import terminal
    from game.scenario_choice import note_upgrade

    files, errors = scenario_files(args.paths)
    if errors:
        for error in errors:
            print(f"crossroads validate: {terminal(error)}", file=sys.stderr)
        return 2
    invalid = warned = 0
    for path in files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            invalid += 1
            for problem in exc.problems:
                print(terminal(problem))
        except Exception as exc:  # a loader bug must still not show a traceback
            invalid += 1
            print(
                f"{terminal(path)}: internal error while checking ({type(exc).__name__}); "
                "please report it"
            )
        else:
            print(f"OK {terminal(path)} ({terminal(scenario.title)})")
            note_upgrade(scenario, path, sys.stdout)  # informational: still valid
            warnings = _warnings(scenario, path)
            for line in warnings:
                print(terminal(line))
            warned += len(warnings)
    if len(files) > 1 or warned:
        print(_summary(len(files) - invalid, invalid, warned, args.strict))
    return 1 if invalid or (args.strict and warned) else 0


def _warnings(scenario: Scenario, path: Path) -> list[str]:
    """The lint warnings of a valid file, as printed lines at the author's positions."""
    from engine.lint import lint
    from engine.yaml_positions import read_yaml

    try:
        reading = read_yaml(path.read_text(encoding="utf-8-sig"))
        return [w.text(str(path)) for w in lint(scenario, reading)]
    except Exception as exc:  # a lint bug must not show a traceback nor make the file invalid
        return [f"{path}: internal error while linting ({type(exc).__name__}); please report it"]


def _summary(valid: int, invalid: int, warnings: int, strict: bool) -> str:
    """``7 valid, 1 invalid, 3 warnings`` (warnings only when there are some)."""
    text = f"{valid} valid, {invalid} invalid"
    if warnings:
        text += f", {warnings} warning{'s' if warnings != 1 else ''}"
        text += " (--strict: they fail)" if strict else " (--strict makes them fail)"
    return text
