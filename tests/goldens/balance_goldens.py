"""Record the balance-run goldens: one SHA-256 per scenario, role and bot at the balance resolution.

``crossroads simulate`` goldens (``simulate_goldens.py``) cover full-resolution playthroughs with
explanations; the balance lab plays at :data:`engine.balance.BALANCE_RESOLUTION` without them,
through a faster path. These digests pin that path: every field of :class:`engine.balance.Run`
for SEEDS seeds of every bot (and the takeover run), printed with ``repr`` so every float bit
counts. Re-record (``python tests/goldens/balance_goldens.py``) only for a deliberate model
change, in the same commit as the simulate goldens.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import asdict
from pathlib import Path

import digests

HERE = Path(__file__).resolve().parent
GOLDENS = HERE / "balance.sha256"
SEEDS = 3


def cases() -> list[tuple[str, str, str]]:
    """Every bundled scenario x offered role x bot (and the takeover run), in a fixed order."""
    from engine.balance import TAKEOVER
    from engine.bots import BOTS
    from engine.loader import load_scenario
    from game.paths import bundled_scenarios

    out = []
    for path in bundled_scenarios():
        scenario = load_scenario(path)
        for role in scenario.roles:
            out += [(scenario.id, role, bot) for bot in [*sorted(BOTS), TAKEOVER]]
    return out


def digest(case: tuple[str, str, str]) -> str:
    """SHA-256 of ``repr`` of every Run of one case over SEEDS seeds."""
    from engine.balance import play_run, seeds_for
    from engine.loader import load_scenario
    from game.paths import find_scenario

    scenario_id, role, bot = case
    path = find_scenario(scenario_id)
    assert path is not None
    scenario = load_scenario(path)
    runs = [asdict(play_run(scenario, role, bot, s)) for s in seeds_for(scenario, SEEDS)]
    return hashlib.sha256(repr(runs).encode()).hexdigest()


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    digests.write(GOLDENS, digests.compute(cases(), digest))
