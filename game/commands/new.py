"""``crossroads new NAME [--from BASE]``: write a commented starter scenario that validates.

With ``--from`` the file is small: it ``extends`` BASE (a bundled id, or a file, named by its
path relative to the new file) and shows in comments how to override, add and drop items.
It gets no schema line: editors would flag every field it inherits as missing.

The starter's first line points editors at ``scenario.schema.json`` *relative to the file*,
and the schema is written beside it, so the pair keeps working wherever the folder is moved
or shared (as the bundled scenarios do). An existing schema there is brought up to date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "new"
HELP = "Write a commented starter scenario NAME.yaml (and the schema editors read) to grow."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the name and the output folder."""
    parser.add_argument("name", metavar="NAME", help="file name and id, e.g. cloud_pricing")
    parser.add_argument(
        "-o", "--output-dir", metavar="DIR", default=".", help="folder to write into (default: .)"
    )
    parser.add_argument(
        "--from",
        dest="base",
        metavar="BASE",
        help="build on a scenario: a bundled id (tutorial) or a scenario file",
    )


def run(args: argparse.Namespace) -> int:
    """Write NAME.yaml and its schema; refuse an invalid name (2) or an existing file (1)."""
    from game.starter import NAME_PATTERN, starter_text

    if not NAME_PATTERN.match(args.name):
        print(
            f"crossroads new: invalid name {args.name!r}: use letters, digits, '-' or '_', "
            "starting with a letter, at most 40 characters",
            file=sys.stderr,
        )
        return 2
    target = Path(args.output_dir) / f"{args.name}.yaml"
    text = (
        starter_text(args.name) if args.base is None else _extending(args.name, args.base, target)
    )
    if isinstance(text, int):
        return text
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        print(f"crossroads new: {target} already exists; not overwriting it", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"crossroads new: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {target}; check it with: crossroads validate {target}")
    if args.base is None:
        _write_schema(target.parent)
    return 0


def _extending(name: str, base: str, target: Path) -> str | int:
    """The text of NAME.yaml extending ``base``, or the exit code after a message."""
    import os

    from engine.loader import ScenarioError, load_scenario
    from game.escaping import terminal
    from game.paths import bundled_scenarios_dir
    from game.starter import extending_text

    path = Path(base)
    if path.is_file() and path.suffix in (".yaml", ".yml"):
        ref = Path(os.path.relpath(path.resolve(), target.parent.resolve())).as_posix()
    elif (bundled_scenarios_dir() / f"{base}.yaml").is_file():
        path, ref = bundled_scenarios_dir() / f"{base}.yaml", base
    else:
        print(
            f"crossroads new: --from {terminal(base)}: no bundled scenario id or .yaml file "
            "of that name",
            file=sys.stderr,
        )
        return 2
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        print(f"crossroads new: the base {terminal(path)} is not valid:", file=sys.stderr)
        print("\n".join(map(terminal, exc.problems)), file=sys.stderr)
        return 1
    return extending_text(name, ref, scenario)


def write_schema_beside(folder: Path) -> tuple[Path, str]:
    """Write the scenario schema into ``folder`` unless it is there already.

    Returns its path and what happened: ``"wrote"``, ``"updated"`` (it was stale) or
    ``"kept"`` (it was current). Raises :class:`OSError` when it cannot be written.
    """
    from game.schema_docs import SCHEMA_NAME, schema_text

    path = folder / SCHEMA_NAME
    text = schema_text()
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    except (OSError, UnicodeDecodeError):
        current = ""  # unreadable or not text: replace it
    if current == text:
        return path, "kept"
    path.write_text(text, encoding="utf-8")
    return path, "wrote" if current is None else "updated"


def _write_schema(folder: Path) -> None:
    """Write the schema beside a new scenario, saying so; a failure is only a warning."""
    try:
        path, done = write_schema_beside(folder)
    except OSError as exc:
        print(
            f"crossroads new: warning: cannot write the editor schema into {folder}: "
            f"{exc.strerror or exc}; 'crossroads schema -o FILE' writes it elsewhere",
            file=sys.stderr,
        )
        return
    if done != "kept":
        print(f"{done} {path} (editors read it; keep it beside your scenarios)")
