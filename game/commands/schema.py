"""``crossroads schema``: print or write the scenario JSON Schema (draft-07) for editors.

``--write-all`` (regenerate the committed schema and docs/authoring.md in a source checkout)
is for developers and does not show in ``--help``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "schema"
HELP = "Print the scenario JSON Schema (for editor autocomplete), or write it with -o."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the output options."""
    parser.add_argument("-o", "--output", metavar="FILE", help="write the schema to FILE")
    parser.add_argument(  # for developers in a checkout: hidden from --help
        "--write-all", action="store_true", help=argparse.SUPPRESS
    )


def run(args: argparse.Namespace) -> int:
    """Print, write one file, or regenerate every committed artefact."""
    from game import schema_docs

    if args.write_all:
        if not (schema_docs.repo_root() / "docs" / "authoring_intro.md").exists():
            print("crossroads schema: --write-all needs a source checkout", file=sys.stderr)
            return 2
        for path in schema_docs.write_all():
            print(f"wrote {path}")
        return 0
    text = schema_docs.schema_text()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"crossroads schema: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}")
    return 0
