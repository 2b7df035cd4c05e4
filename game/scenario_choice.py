"""Turn a command's SCENARIO and --role arguments into a loaded scenario, or a clear refusal.

Shared by the headless commands (simulate, balance, ...) so they all accept a file path or a
bundled/user scenario id, list every validation problem, and exit with the same codes.
"""

from __future__ import annotations

import sys

from engine.scenario import Scenario
from game.escaping import terminal


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
    chosen = role or ("pm" if "pm" in scenario.roles else scenario.roles[0])
    if chosen not in scenario.roles:
        return usage(
            command,
            f"role '{chosen}' is not offered by '{scenario.id}' ({', '.join(scenario.roles)})",
        )
    return scenario, chosen
