"""Sweep benchmark (issue 17): a 3×3 sweep of the tutorial on the local pool and on Dask.

    python benchmarks/sweep.py [--json] [--workers W] [--runs N] [--resolution R]

Sweeps ``segments[smb].price_sensitivity`` (2.5, 3.4, 4.3) × ``firms[planly].ai.marketing``
(30000, 60000, 90000), playing hold, random and balanced (and balanced handing over to
hold, as ``crossroads balance`` does) on N seeds each, exactly as ``crossroads balance
--sweep`` plays them (batches of seeds, no explanations, the balance resolution), once on the
local process pool and once on a Dask ``LocalCluster`` with the same number of worker
processes. Per backend it prints:

- ``playthroughs`` and ``seconds`` (wall time of the playing, the workers already started),
  ``per_second`` (playthroughs per second of wall time) and ``startup_seconds`` (starting
  the pool or the cluster: the pool starts its workers while playing, so 0 there);
- ``identical``: whether the cluster's runs equal the pool's (they must).

The cluster line is skipped with the message saying to ``pip install "crossroads[cluster]"``
when the extra is missing. Prints figures, never asserts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from engine import sweep  # noqa: E402
from engine.balance import BALANCE_RESOLUTION, TAKEOVER, seeds_for  # noqa: E402
from engine.loader import load_scenario  # noqa: E402
from game.balance_backends import (  # noqa: E402
    BackendError,
    DaskCluster,
    Job,
    ProcessPool,
    play,
)
from game.paths import find_scenario  # noqa: E402

SWEEPS = (
    "segments[smb].price_sensitivity=2.5,3.4,4.3",
    "firms[planly].ai.marketing=30000:90000:3",
)
BOTS = ("hold", "random", "balanced", TAKEOVER)


def main() -> int:
    """Time the sweep on each backend and print the figures (lines, or JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--runs", type=int, default=5, help="seeds per bot (default 5)")
    parser.add_argument(
        "--resolution", type=int, default=BALANCE_RESOLUTION, help="customers per segment"
    )
    args = parser.parse_args()
    path = find_scenario("tutorial")
    assert path is not None, "the bundled tutorial is missing"
    scenario = load_scenario(path)
    parameters = sweep.resolve(scenario, [sweep.parse(s) for s in SWEEPS])
    variants = tuple(sweep.assignments(parameters, c) for c in sweep.grid(parameters))
    job = Job(scenario, "pm", args.resolution, variants)
    seeds = seeds_for(scenario, args.runs)
    triples = [(v, b, s) for v in range(len(variants)) for b in BOTS for s in seeds]

    figures: dict[str, Any] = {"sweep": list(SWEEPS), "workers": args.workers}
    started = time.perf_counter()
    pool = ProcessPool(args.workers)
    figures["pool"], reference = _timed(pool, job, triples, time.perf_counter() - started)
    started = time.perf_counter()
    try:
        cluster = DaskCluster("local", args.workers)
    except BackendError as exc:
        figures["cluster"] = {"skipped": str(exc)}
    else:
        try:
            figures["cluster"], runs = _timed(cluster, job, triples, time.perf_counter() - started)
            figures["cluster"]["identical"] = runs == reference
        finally:
            cluster.close()
    if args.json:
        print(json.dumps(figures))
        return 0
    print(
        f"3×3 tutorial sweep, {len(BOTS)} players × {args.runs} seeds per combination, "
        f"resolution {args.resolution}/segment, {args.workers} workers:"
    )
    for name in ("pool", "cluster"):
        f = figures[name]
        if "skipped" in f:
            print(f"  {name:8} skipped: {f['skipped']}")
            continue
        print(
            f"  {name:8} {f['playthroughs']} playthroughs in {f['seconds']:.1f} s "
            f"({f['per_second']:.1f} per s; start-up {f['startup_seconds']:.1f} s)"
            + ("" if name == "pool" else f"; identical to the pool: {f['identical']}")
        )
    return 0


def _timed(
    backend: Any, job: Job, triples: list[tuple[int, str, int]], startup: float
) -> tuple[dict[str, Any], list[Any]]:
    """Play the triples on ``backend``: the figures and the runs."""
    started = time.perf_counter()
    runs = play(job, triples, backend)
    seconds = time.perf_counter() - started
    figures = {
        "playthroughs": len(runs),
        "seconds": round(seconds, 2),
        "per_second": round(len(runs) / seconds, 1),
        "startup_seconds": round(startup, 2),
    }
    return figures, runs


if __name__ == "__main__":
    raise SystemExit(main())
