"""Market-step benchmark (DESIGN §9): prints figures; never run by the tests.

    python benchmarks/market_step.py [--json] [--against REV_OR_PATH]

- ``evals_per_s``: customer×product evaluations per second of the market step kernel
  (utilities, churn triggers, one inverse-CDF draw) at 100 000 customers × 8 products;
- ``speedup_vs_loop``: that rate over the plain per-customer Python loop of
  ``loop_baseline.py``, timed in the same run on a subset of the same customers;
- ``playthrough_s``: a full 12-quarter tutorial game at default resolution (hold bot);
- ``peak_mb_1m``: peak resident memory of a process that builds and plays two quarters of
  a one-segment, 8-product market with 1 000 000 synthetic customers.

Also printed: ``loop_evals_per_s``, ``playthrough_cpu_s`` (CPU time, robust on a busy
machine) and ``step_s_100k`` (one whole ``Simulation.step``, all phases, at 100 k × 8).

Targets: >= 40 M evals/s, >= 100x the loop, <= 0.5 s, <= 500 MB.

``--against REV_OR_PATH`` measures another version (a checkout or a git revision) in the
same run and prints both side by side (see ``against.py``).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from loop_baseline import loop_step  # noqa: E402

from engine import market  # noqa: E402
from engine.bots import play  # noqa: E402
from engine.loader import load_scenario  # noqa: E402
from engine.population import draw_population  # noqa: E402
from engine.scenario import Scenario  # noqa: E402
from engine.simulation import Simulation  # noqa: E402
from game.allocator import keep_freed_memory  # noqa: E402

CUSTOMERS = 100_000
PRODUCTS = 8
ATTRIBUTES = 4
LOOP_CUSTOMERS = 4_000
ARCHETYPES = ["incumbent", "price_follower", "fast_follower", "innovator", "best_response"]


def wide_market(resolution: int) -> Scenario:
    """One segment, four attributes, the player and seven AI rivals (8 products)."""
    attrs = [f"a{k}" for k in range(ATTRIBUTES)]
    rng = random.Random(1)

    def prod(pid: str) -> dict[str, Any]:
        return {
            "id": pid,
            "name": pid,
            "attributes": {a: round(rng.uniform(0.2, 0.8), 2) for a in attrs},
            "price": round(rng.uniform(60, 160)),
            "customers": {"s": 5_000.0},
            "awareness": {"s": 0.5},
        }

    firms: list[dict[str, Any]] = [
        {
            "id": "player",
            "name": "Player",
            "controller": "player",
            "products": [{**prod("p0"), "team": {"engineers": 5}}],
        }
    ]
    for i in range(1, PRODUCTS):
        firms.append(
            {
                "id": f"ai{i}",
                "name": f"AI {i}",
                "controller": "ai",
                "ai": {"archetype": ARCHETYPES[i % len(ARCHETYPES)]},
                "products": [prod(f"p{i}")],
            }
        )
    return Scenario.model_validate(
        {
            "id": "wide",
            "title": "Wide",
            "summary": "Benchmark market.",
            "briefing": "-",
            "roles": ["pm"],
            "quarters": 12,
            "attributes": [{"id": a, "name": a} for a in attrs],
            "segments": [
                {
                    "id": "s",
                    "name": "S",
                    "size": 1e6,
                    "in_market": 0.6,
                    "ideal": {a: 0.5 for a in attrs},
                    "weights": {a: 2.0 for a in attrs},
                    "reference_price": 100.0,
                    "resolution": min(resolution, 200_000),
                }
            ],
            "firms": firms,
            "objectives": [{"id": "o", "description": "-", "kpi": "share", "target": 0.1}],
        }
    )


def _best(fn: Any, repeat: int, clock: Any = time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


def kernel_inputs(n: int) -> dict[str, Any]:
    """A realistic in-market population of ``n`` customers facing 8 products."""
    sc = wide_market(n)
    seg = sc.segments[0]
    rng = np.random.default_rng(0)
    pop = draw_population(seg, n, PRODUCTS, rng)
    ideal = np.full(ATTRIBUTES, 0.5)
    offer = market.make_offer(
        rng.uniform(0.2, 0.8, (PRODUCTS, ATTRIBUTES)),
        rng.uniform(0.5, 0.9, PRODUCTS),
        np.zeros(PRODUCTS),
        rng.uniform(60, 160, PRODUCTS),
        np.full(PRODUCTS, 0.05),
        seg.reference_price,
        sc.choice,
    )
    return {
        "segment": seg,
        "choice": sc.choice,
        "ideals": pop.ideals(ideal),
        "weights": pop.weight_mult * np.float32(2.0),
        "alpha": pop.alpha_mult * np.float32(seg.price_sensitivity),
        "theta": pop.theta,
        "current": rng.integers(-1, PRODUCTS, n).astype(np.int16),
        "fresh": np.zeros(n, dtype=bool),
        "aware": rng.random((PRODUCTS, n)) < 0.7,
        "offer": offer,
    }


def vector_rate(k: dict[str, Any]) -> float:
    """Evaluations per second of utility + churn + draw, vectorised."""
    rng = np.random.default_rng(1)

    def step() -> None:
        util = market.utility_matrix(k["ideals"], k["weights"], k["alpha"], k["offer"])
        market.choose_segments(
            util,
            k["current"],
            k["fresh"],
            k["aware"],
            k["theta"],
            [k["current"].size],
            [k["segment"]],
            k["choice"].churn_gap,
            rng,
        )

    n = k["current"].size
    return n * PRODUCTS / _best(step, 7)


def loop_rate(k: dict[str, Any], n: int) -> float:
    """Evaluations per second of the same step as a plain Python loop over ``n`` customers."""
    offer = k["offer"]
    args = (
        k["ideals"][:, :n].T.tolist(),
        k["weights"][:, :n].T.tolist(),
        k["alpha"][:n].tolist(),
        k["theta"][:n].tolist(),
        k["current"][:n].tolist(),
        k["aware"][:, :n].T.tolist(),
        offer.attributes.tolist(),
        offer.constant.tolist(),
        offer.log_price.tolist(),
        k["segment"].switching_cost,
        k["segment"].outside_utility,
        k["choice"].churn_gap,
    )
    seconds = _best(lambda: loop_step(*args, random.Random(0)), 2)
    return n * PRODUCTS / seconds


def playthrough_seconds(clock: Any = time.perf_counter) -> float:
    """Best of three full 12-quarter tutorial games (set-up included) with the hold bot.

    With ``clock=time.process_time`` it is CPU time, which other busy processes on a shared
    machine inflate far less than wall time.
    """
    scenario = load_scenario(ROOT / "scenarios" / "tutorial.yaml")
    return _best(lambda: play(Simulation(scenario), "hold"), 3, clock)


def step_seconds_100k() -> float:
    """One full ``Simulation.step`` (all phases) of the 100 k × 8 market."""
    sim = Simulation(wide_market(CUSTOMERS), resolution=CUSTOMERS)
    sim.step({})
    return _best(lambda: sim.step({}), 3)


PEAK_SCRIPT = """
import resource, sys
sys.path[:0] = {paths!r}
from game.allocator import keep_freed_memory
keep_freed_memory()
from market_step import wide_market
from engine.simulation import Simulation
sim = Simulation(wide_market(1_000_000), resolution=1_000_000)
sim.step({{}}); sim.step({{}})
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def peak_mb_1m() -> float:
    """Peak RSS (MB) of a fresh process playing two quarters with 1 M customers."""
    script = PEAK_SCRIPT.format(paths=[str(ROOT), str(Path(__file__).resolve().parent)])
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--against", metavar="REV_OR_PATH", help="also measure another version, side by side"
    )
    args = parser.parse_args()
    keep_freed_memory()  # as the crossroads command does for every game
    if args.against:
        return _against(args.against)
    k = kernel_inputs(CUSTOMERS)
    fast = vector_rate(k)
    slow = loop_rate(k, LOOP_CUSTOMERS)
    figures = {
        "evals_per_s": fast,
        "speedup_vs_loop": fast / slow,
        "playthrough_s": playthrough_seconds(),
        "playthrough_cpu_s": playthrough_seconds(time.process_time),
        "peak_mb_1m": peak_mb_1m(),
        "loop_evals_per_s": slow,
        "step_s_100k": step_seconds_100k(),
    }
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"market step kernel, {CUSTOMERS:,} customers x {PRODUCTS} products:")
    print(f"  vectorised      {fast / 1e6:8.1f} M evals/s   (target >= 40)")
    print(f"  Python loop     {slow / 1e6:8.3f} M evals/s")
    print(f"  speed-up        {fast / slow:8.0f} x          (target >= 100)")
    print(f"full Simulation.step at 100 k x 8: {figures['step_s_100k'] * 1000:.0f} ms")
    print(
        f"tutorial 12-quarter playthrough:   {figures['playthrough_s']:.3f} s (target <= 0.5); "
        f"CPU {figures['playthrough_cpu_s']:.3f} s"
    )
    print(f"peak memory, 1 M customers:        {figures['peak_mb_1m']:.0f} MB (target <= 500)")
    return 0


def _against(rev_or_path: str) -> int:
    """This checkout and ``rev_or_path``, one after the other, side by side."""
    from against import ROOT as HERE
    from against import checkout, figures, side_by_side

    now = figures(HERE, "market_step.py", [])
    with checkout(rev_or_path) as where:
        before = figures(where, "market_step.py", [])
    rows = [
        ("kernel M evals/s", before["evals_per_s"] / 1e6, now["evals_per_s"] / 1e6, ""),
        ("playthrough wall", before["playthrough_s"], now["playthrough_s"], "s"),
        ("playthrough CPU", before["playthrough_cpu_s"], now["playthrough_cpu_s"], "s"),
        ("step at 100k x 8", before["step_s_100k"], now["step_s_100k"], "s"),
        ("peak MB at 1M", before["peak_mb_1m"], now["peak_mb_1m"], "MB"),
    ]
    print(side_by_side(rows, rev_or_path))
    print("(ratio: before / now; above 1 is faster or smaller now, except evals/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
