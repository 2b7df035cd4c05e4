"""The ``crossroads`` command: one sub-command per module in ``game.commands``.

Each command module exposes ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``; modules are discovered, so adding a command touches no list here.
Command modules import heavy libraries inside ``run`` to keep start-up fast.
Usage errors exit 2; no input may produce a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from typing import NoReturn

import game.commands
from game.allocator import keep_freed_memory


def command_names() -> list[str]:
    """Names of the command modules in ``game.commands``."""
    return sorted(m.name for m in pkgutil.iter_modules(game.commands.__path__))


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors are one line (and where to read more), exit code 2."""

    def error(self, message: str) -> NoReturn:
        """One line: what was wrong and where the help is; no multi-line usage block."""
        from game.escaping import terminal

        self.exit(2, f"{self.prog}: {terminal(message)} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every registered sub-command."""
    parser = _Parser(prog="crossroads", description="Crossroads: a product-decision simulation.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_names():
        module = importlib.import_module(f"game.commands.{name}")
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    keep_freed_memory()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if "play" in command_names():
            args = parser.parse_args(["play"])
        else:
            parser.print_help()
            return 0
    try:
        return int(args._run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
