"""``crossroads new NAME``: write a commented starter scenario that validates.

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
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as f:
            f.write(starter_text(args.name))
    except FileExistsError:
        print(f"crossroads new: {target} already exists; not overwriting it", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"crossroads new: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {target}; check it with: crossroads validate {target}")
    _write_schema(target.parent)
    return 0


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
