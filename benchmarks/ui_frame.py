"""UI frame time per screen at 1280×720 (p50/p95) and cold start to the title screen.

Runs headless (SDL dummy video driver unless SDL_VIDEODRIVER is set). Each screen is shown,
then drawn for a number of frames while the mouse moves over it (hover effects, tooltips),
timing ``App.frame``. Cold start is a fresh ``python`` process from launch to the first drawn
title frame. Targets (DESIGN §9): p95 ≤ 8 ms on the busiest screen, cold start ≤ 2 s.

    python benchmarks/ui_frame.py [--frames N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.app import App

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

COLD_START = """
import time
t0 = time.perf_counter()
from game.app import App
from game.scenes.title import TitleScene
app = App(persist_settings=False)
app.push(TitleScene(app))
app.frame(1 / 60)
print(time.perf_counter() - t0)
"""


def cold_start_seconds(runs: int = 3) -> float:
    """Best of ``runs`` fresh processes: launch (interpreter included) to first title frame."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", COLD_START], check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def screens(app: App) -> Iterator[str]:
    """Show each screen in turn; yields its name while it is on top."""
    from game.scenes.briefing import BriefingScene
    from game.scenes.debrief import DebriefScene
    from game.scenes.flow import start_game
    from game.scenes.results import ResultsScene
    from game.scenes.role_choice import RoleChoiceScene
    from game.scenes.scenario_picker import ScenarioPickerScene
    from game.session import list_scenarios

    yield "title"
    entry = list_scenarios()[0]
    for scene in (
        ScenarioPickerScene(app),
        RoleChoiceScene(app, entry),
        BriefingScene(app, entry, "pm", 1),
    ):
        app.push(scene)
        yield scene.name
    for role in ("pm", "cpo"):
        start_game(app, entry, role, 7)
        for _ in range(3):
            app.session.end_quarter()
        from game.scenes.hub import HubScene

        app.reset_to(HubScene(app))
        for i, tab in enumerate(app.top.tabs):
            app.top.show_tab(i)
            yield f"hub:{tab.title}" if role == "pm" else f"hub:{tab.title} (cpo)"
    app.push(ResultsScene(app, app.session.sim.history[-1]))
    yield "results"
    app.push(DebriefScene(app))
    yield "debrief"


def frame_times(n_frames: int) -> dict[str, dict[str, float]]:
    """p50/p95 milliseconds per frame for every screen."""
    import numpy as np
    import pygame

    from game.app import App
    from game.scenes.title import TitleScene
    from game.settings import Settings

    app = App(Settings(width=1280, height=720), persist_settings=False)
    app.push(TitleScene(app))
    out = {}
    for name in screens(app):
        times = []
        for i in range(n_frames + 10):
            pos = (40 + (i * 37) % 1200, 40 + (i * 23) % 640)
            pygame.event.post(
                pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1), buttons=(0, 0, 0))
            )
            start = time.perf_counter()
            app.frame(1 / 60)
            if i >= 10:  # the first frames build caches
                times.append((time.perf_counter() - start) * 1000)
        out[name] = {
            "p50_ms": round(float(np.percentile(times, 50)), 2),
            "p95_ms": round(float(np.percentile(times, 95)), 2),
        }
    return out


def main() -> int:
    """Print the figures (a table, or JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=120, help="frames timed per screen")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["CROSSROADS_HOME"] = home  # never touch the player's saves
        scenes = frame_times(args.frames)
        cold = cold_start_seconds()
    result = {"scenes": scenes, "cold_start_s": round(cold, 3)}
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{'screen':32} {'p50 ms':>8} {'p95 ms':>8}")
    for name, t in scenes.items():
        print(f"{name:32} {t['p50_ms']:8.2f} {t['p95_ms']:8.2f}")
    busiest = max(scenes, key=lambda n: scenes[n]["p95_ms"])
    print(f"busiest screen: {busiest} (p95 {scenes[busiest]['p95_ms']:.2f} ms; target ≤ 8 ms)")
    print(f"cold start to title: {cold:.2f} s (target ≤ 2 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
