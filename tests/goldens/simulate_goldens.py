"""Record the ``crossroads simulate`` JSON goldens: one SHA-256 per scenario, role and bot.

Run ``python tests/goldens/simulate_goldens.py`` only for a deliberate model change, and say why in
the commit; a restructuring must leave ``simulate.sha256`` unchanged
(``tests/test_goldens.py`` checks it).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import sys
import tempfile
from pathlib import Path

import digests

HERE = Path(__file__).resolve().parent
GOLDENS = HERE / "simulate.sha256"


def cases() -> list[tuple[str, str, str]]:
    """Every bundled scenario x offered role x bot, in a fixed order."""
    from engine.bots import BOTS
    from engine.loader import load_scenario
    from game.paths import bundled_scenarios

    out = []
    for path in bundled_scenarios():
        scenario = load_scenario(path)
        for role in scenario.roles:
            out += [(scenario.id, role, bot) for bot in sorted(BOTS)]
    return out


def digest(case: tuple[str, str, str]) -> str:
    """SHA-256 of the JSON ``crossroads simulate`` writes for one case."""
    from game.cli import main

    scenario, role, bot = case
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.json"
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["simulate", scenario, "--role", role, "--bot", bot, "--json", str(out)])
        if code != 0:
            raise RuntimeError(f"simulate {scenario} --role {role} --bot {bot} exited {code}")
        return hashlib.sha256(out.read_bytes()).hexdigest()


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    digests.write(GOLDENS, digests.compute(cases(), digest))
