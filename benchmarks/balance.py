"""Balance-lab benchmark (DESIGN §9): 1 000 tutorial playthroughs; prints figures, never tested.

    python benchmarks/balance.py [--json] [--workers W] [--runs N] [--resolution R]
                                 [--against REV_OR_PATH]

- ``runs``: playthroughs timed (every built-in bot in turn over consecutive seeds, PM role),
  played exactly as ``crossroads balance`` plays them (process pool, no explanations);
- ``seconds``: wall time for all of them;
- ``cpu_seconds``: CPU time of the workers and this process together (robust on a busy
  machine: ``cpu_seconds / workers`` is the wall time on otherwise idle cores);
- ``playthrough_ms``: CPU milliseconds per playthrough (``cpu_seconds / runs``);
- ``resolution`` (synthetic customers per segment: the balance default, 500) and ``workers``.

Targets: 1 000 playthroughs in <= 60 s on 2 cores, at the balance resolution; since issue 17
<= 10 s of CPU (about 10 ms a playthrough) on the machine where 0.1 took 34 s.

``--against REV_OR_PATH`` times the same playthroughs on another version (a checkout, or a git
revision such as ``HEAD~5`` checked out for the run) right after this one and prints the
figures side by side (see ``against.py``).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

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
    parser.add_argument(
        "--against", metavar="REV_OR_PATH", help="also time another version, side by side"
    )
    args = parser.parse_args()
    if args.against:
        return _against(args)
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
        "playthrough_ms": round(1000 * (_cpu() - cpu0) / max(len(runs), 1), 2),
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
        f"on idle cores; {figures['playthrough_ms']:.1f} ms of CPU a playthrough"
    )
    return 0


def _against(args: argparse.Namespace) -> int:
    """This checkout and ``args.against``, one after the other, side by side."""
    from against import ROOT as HERE
    from against import checkout, figures, side_by_side

    same = ["--workers", str(args.workers), "--runs", str(args.runs)]
    same += ["--resolution", str(args.resolution)]
    now = figures(HERE, "balance.py", same)
    with checkout(args.against) as where:
        before = figures(where, "balance.py", same)
    for f in (before, now):
        f.setdefault("playthrough_ms", 1000 * f["cpu_seconds"] / max(f["runs"], 1))
    rows = [
        ("wall seconds", before["seconds"], now["seconds"], "s"),
        ("CPU seconds", before["cpu_seconds"], now["cpu_seconds"], "s"),
        ("CPU per playthrough", before["playthrough_ms"], now["playthrough_ms"], "ms"),
    ]
    print(
        f"{args.runs} tutorial playthroughs, resolution {args.resolution}, {args.workers} workers"
    )
    print(side_by_side(rows, args.against))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
