"""Turn a command's SCENARIO and --role arguments into a loaded scenario, or a clear refusal.

Shared by the headless commands (simulate, balance, ...) so they all accept a file path or a
bundled/user scenario id, list every validation problem, and exit with the same codes. Also
the one informational line every command prints for a file in an older format
(:func:`note_upgrade`).
"""

from __future__ import annotations

import sys
from typing import TextIO

from engine.scenario import Scenario
from game.escaping import terminal


def upgrade_line(scenario: Scenario, source: object) -> str | None:
    """The note for a scenario converted from an older file format on load, else None.

    ``source`` names the file (the note suggests ``crossroads migrate`` on it).
    """
    if not scenario.upgraded:
        return None
    from engine.scenario_format import upgrade_note

    return upgrade_note(str(source), list(scenario.upgraded))


def note_upgrade(scenario: Scenario, source: object, stream: TextIO | None = None) -> None:
    """Print :func:`upgrade_line`, if any, to ``stream`` (stderr by default), escaped.

    Informational only: the scenario loaded and the command goes on. Commands call this once
    per file they load, so each converted file gets its note once.
    """
    line = upgrade_line(scenario, source)
    if line is not None:
        print(terminal(line), file=stream or sys.stderr)


def usage(command: str, message: str) -> int:
    """Print a one-line usage error for ``crossroads COMMAND`` and return exit code 2.

    ``message`` may quote a file or a name from one: control characters are shown escaped.
    """
    print(f"crossroads {command}: {terminal(message)}", file=sys.stderr)
    return 2


def scenario_and_role(command: str, name: str, role: str | None) -> tuple[Scenario, str] | int:
    """The scenario named ``name`` and the role to play it in, or the exit code after a message.

    Exit codes: 2 when no scenario has that name or it does not offer ``role``; 1 when the file
    is invalid (every problem is printed, one per line).
    """
    from engine.loader import ScenarioError, load_scenario
    from game.paths import find_scenario

    path = find_scenario(name)
    if path is None:
        return usage(command, f"no scenario file or bundled id '{name}'")
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        print(
            f"crossroads {command}: {terminal(path)} has {len(exc.problems)} problem(s):",
            file=sys.stderr,
        )
        print("\n".join(map(terminal, exc.problems)), file=sys.stderr)
        return 1
    note_upgrade(scenario, path)
    chosen = role or ("pm" if "pm" in scenario.roles else scenario.roles[0])
    if chosen not in scenario.roles:
        return usage(
            command,
            f"role '{chosen}' is not offered by '{scenario.id}' ({', '.join(scenario.roles)})",
        )
    return scenario, chosen
