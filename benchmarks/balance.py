"""Balance-lab benchmark (DESIGN §9): 1 000 tutorial playthroughs; prints figures, never tested.

    python benchmarks/balance.py [--json] [--workers W] [--runs N] [--resolution R]

- ``runs``: playthroughs timed (every built-in bot in turn over consecutive seeds, PM role),
  played exactly as ``crossroads balance`` plays them (process pool, no explanations);
- ``seconds``: wall time for all of them;
- ``cpu_seconds``: CPU time of the workers and this process together (robust on a busy
  machine: ``cpu_seconds / workers`` is the wall time on otherwise idle cores);
- ``resolution`` (synthetic customers per segment: the balance default, 500) and ``workers``.

Target: 1 000 playthroughs in <= 60 s on 2 cores, at the balance resolution.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from engine.balance import BALANCE_RESOLUTION  # noqa: E402
from engine.bots import BOTS  # noqa: E402
from engine.loader import load_scenario  # noqa: E402
from game.commands.balance import run_pairs  # noqa: E402
from game.paths import find_scenario  # noqa: E402

TARGET_S = 60.0


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    """Time the playthroughs and print the figures (a sentence, or JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--runs", type=int, default=1000, help="playthroughs (default 1000)")
    parser.add_argument(
        "--resolution", type=int, default=BALANCE_RESOLUTION, help="customers per segment"
    )
    args = parser.parse_args()
    path = find_scenario("tutorial")
    assert path is not None, "the bundled tutorial is missing"
    scenario = load_scenario(path)
    bots = list(BOTS)
    pairs = [(bots[i % len(bots)], scenario.seed + i // len(bots)) for i in range(args.runs)]
    cpu0, wall0 = _cpu(), time.perf_counter()
    runs = run_pairs(scenario, "pm", pairs, args.resolution, args.workers)
    seconds = time.perf_counter() - wall0
    figures = {
        "runs": len(runs),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(_cpu() - cpu0, 2),
        "resolution": args.resolution,
        "workers": args.workers,
    }
    if args.json:
        print(json.dumps(figures))
        return 0
    print(
        f"{figures['runs']} tutorial playthroughs at resolution {args.resolution}/segment with "
        f"{args.workers} workers: {seconds:.1f} s (target <= {TARGET_S:.0f} s on 2 cores); "
        f"CPU {figures['cpu_seconds']:.1f} s, i.e. {figures['cpu_seconds'] / args.workers:.1f} s "
        "on idle cores"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
