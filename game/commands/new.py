"""``crossroads new NAME``: write a commented starter scenario that validates."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "new"
HELP = "Write a commented starter scenario NAME.yaml to grow into your own."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the name and the output folder."""
    parser.add_argument("name", metavar="NAME", help="file name and id, e.g. cloud_pricing")
    parser.add_argument(
        "-o", "--output-dir", metavar="DIR", default=".", help="folder to write into (default: .)"
    )


def run(args: argparse.Namespace) -> int:
    """Write NAME.yaml; refuse an invalid name (exit 2) or an existing file (exit 1)."""
    from game.paths import bundled_scenarios_dir
    from game.schema_docs import SCHEMA_NAME
    from game.starter import NAME_PATTERN, starter_text

    if not NAME_PATTERN.match(args.name):
        print(
            f"crossroads new: invalid name {args.name!r}: use letters, digits, '-' or '_', "
            "starting with a letter, at most 40 characters",
            file=sys.stderr,
        )
        return 2
    target = Path(args.output_dir) / f"{args.name}.yaml"
    schema_uri = (bundled_scenarios_dir() / SCHEMA_NAME).resolve().as_uri()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as f:
            f.write(starter_text(args.name, schema_uri))
    except FileExistsError:
        print(f"crossroads new: {target} already exists; not overwriting it", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"crossroads new: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {target}; check it with: crossroads validate {target}")
    return 0
