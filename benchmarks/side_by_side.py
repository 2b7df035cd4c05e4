"""Would playing seeds in lockstep pay? Prints figures; never run by the tests.

    python benchmarks/side_by_side.py [--json] [--seeds S] [--repeat N]

Times the awareness kernel (``awareness.update_awareness``, one of the market phases that
already runs every segment side by side) on one tutorial playthrough's segments and on ``S``
playthroughs' segments side by side, as a lockstep batch would run it, and the random draws
that kernel must take per seed and segment on their own:

- ``one_seed_us``: CPU microseconds a call for one seed's segments;
- ``lockstep_us_per_seed``: a call over ``S`` seeds' segments, divided by ``S``;
- ``draws_us_per_seed``: the kernel's two draws per segment alone, per seed.

docs/architecture.md ("Where the time goes now") reads these: how much of the kernel lockstep
could save per seed, and how much of it the per-seed draws keep whatever the layout.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine import awareness  # noqa: E402
from engine.balance import BALANCE_RESOLUTION  # noqa: E402
from engine.loader import load_scenario  # noqa: E402
from engine.population import Population  # noqa: E402
from engine.simulation import Simulation  # noqa: E402
from game.allocator import keep_freed_memory  # noqa: E402
from game.paths import find_scenario  # noqa: E402


def _per_call(work: Callable[[], None], repeat: int) -> float:
    """CPU microseconds per call of ``work`` (the best of three rounds of ``repeat`` calls)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _ in range(repeat):
            work()
        best = min(best, (time.process_time() - start) / repeat)
    return best * 1e6


def main() -> int:
    """Time the kernel alone and side by side, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seeds", type=int, default=16, help="playthroughs side by side")
    parser.add_argument("--repeat", type=int, default=200, help="calls per timing round")
    args = parser.parse_args()
    keep_freed_memory()  # as every balance worker does
    path = find_scenario("tutorial")
    assert path is not None, "the bundled tutorial is missing"
    scenario = load_scenario(path)
    sims = [
        Simulation(scenario, seed=s, resolution=BALANCE_RESOLUTION, explain=False)
        for s in range(max(args.seeds, 1))
    ]
    one = [seg.population for seg in sims[0].state.segments]
    many = [seg.population for sim in sims for seg in sim.state.segments]
    rng = np.random.default_rng(1)

    def kernel(pops: list[Population]) -> Callable[[], None]:
        targets = np.full((pops[0].aware.shape[0], len(pops)), 0.4)
        return lambda: awareness.update_awareness(pops, targets, 0.1, rng)

    def draws() -> None:
        for pop in one:
            rng.random(pop.aware.shape, dtype=np.float32)
            rng.random(pop.aware.shape, dtype=np.float32)

    seeds = len(sims)
    figures = {
        "seeds": seeds,
        "one_seed_us": round(_per_call(kernel(one), args.repeat), 1),
        "lockstep_us_per_seed": round(
            _per_call(kernel(many), max(args.repeat // seeds, 1)) / seeds, 1
        ),
        "draws_us_per_seed": round(_per_call(draws, args.repeat), 1),
    }
    if args.json:
        print(json.dumps(figures))
        return 0
    print(
        f"awareness kernel, tutorial at resolution {BALANCE_RESOLUTION}: one seed "
        f"{figures['one_seed_us']:.0f} µs a call; {seeds} seeds side by side "
        f"{figures['lockstep_us_per_seed']:.0f} µs per seed; its random draws alone "
        f"{figures['draws_us_per_seed']:.0f} µs per seed"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
