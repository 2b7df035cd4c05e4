"""``crossroads validate PATH...``: check scenario files and folders, one line per problem.

A valid file in an older format gets an informational line after its OK line (it is
converted on load; ``crossroads migrate`` rewrites it); that does not make it invalid.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "validate"
HELP = "Check scenario files (or folders of them) and report every problem with its line."
SUFFIXES = (".yaml", ".yml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the paths to check."""
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="scenario file, or folder scanned for *.yaml"
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
    """Validate every file; exit 0 if all are valid, 1 if any is not, 2 for bad paths."""
    from engine.loader import ScenarioError, load_scenario
    from game.escaping import terminal
    from game.scenario_choice import note_upgrade

    files, errors = scenario_files(args.paths)
    if errors:
        for error in errors:
            print(f"crossroads validate: {terminal(error)}", file=sys.stderr)
        return 2
    invalid = 0
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
    if len(files) > 1:
        print(f"{len(files) - invalid} valid, {invalid} invalid")
    return 1 if invalid else 0
