"""``crossroads list``: the bundled scenarios as a table (id, title, roles, quarters)."""

from __future__ import annotations

import argparse

NAME = "list"
HELP = "List the bundled scenarios: id, title, roles, quarters and difficulty."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options."""


def rows() -> list[tuple[str, ...]]:
    """One row per bundled scenario; an invalid one shows its error count instead.

    A bundled file in an older file format gets its note on stderr.
    """
    from engine.loader import ScenarioError, load_scenario
    from game.paths import bundled_scenarios
    from game.scenario_choice import note_upgrade

    out: list[tuple[str, ...]] = []
    for path in bundled_scenarios():
        try:
            s = load_scenario(path)
        except ScenarioError as exc:
            n = len(exc.problems)
            note = f"INVALID: {n} problem{'s' if n != 1 else ''} (crossroads validate {path})"
            out.append((path.stem, note, "", "", ""))
        except Exception as exc:  # a loader bug must still not show a traceback
            out.append((path.stem, f"INVALID: internal error ({type(exc).__name__})", "", "", ""))
        else:
            note_upgrade(s, path)
            out.append((s.id, s.title, ", ".join(s.roles), str(s.quarters), s.difficulty))
    return out


def run(args: argparse.Namespace) -> int:
    """Print the aligned table; exit 1 if any bundled scenario is invalid."""
    from game.escaping import terminal

    header = ("ID", "TITLE", "ROLES", "QUARTERS", "DIFFICULTY")
    table = [header, *(tuple(terminal(cell) for cell in row) for row in rows())]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 1 if any(r[1].startswith("INVALID") for r in table[1:]) else 0
