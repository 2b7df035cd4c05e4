"""Record the ``crossroads simulate`` JSON goldens: one SHA-256 per scenario, role and bot.

Run ``python tests/goldens/simulate_goldens.py`` only for a deliberate model change, and say why in
the commit; a restructuring must leave ``simulate.sha256`` unchanged
(``tests/test_goldens.py`` checks it).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import multiprocessing
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

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


def compute(workers: int = 2) -> dict[tuple[str, str, str], str]:
    """Digest of every case, in parallel."""
    todo = cases()
    ctx = multiprocessing.get_context("spawn")  # no inherited pygame or thread state
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        return dict(zip(todo, pool.map(digest, todo), strict=True))


def read() -> dict[tuple[str, str, str], str]:
    """The recorded digests."""
    out = {}
    for line in GOLDENS.read_text(encoding="utf-8").splitlines():
        scenario, role, bot, sha = line.split()
        out[(scenario, role, bot)] = sha
    return out


def main() -> int:
    """Write ``simulate.sha256``."""
    found = compute()
    GOLDENS.write_text(
        "".join(f"{s} {r} {b} {sha}\n" for (s, r, b), sha in found.items()), encoding="utf-8"
    )
    print(f"recorded {len(found)} goldens in {GOLDENS}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    sys.exit(main())
