"""Killing the game while it autosaves never damages the save.

A child process plays a small tutorial quarter after quarter, autosaving after each one
(``Session.end_quarter``), and is SIGKILLed at random moments. After every kill the autosave
either does not exist yet or resumes: a whole game of some quarters, never half a file.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from game import paths
from game.saves import SaveError
from game.session import Session

CHILD = """
import sys
from pathlib import Path
from game.session import Session, read_scenario
session = Session(read_scenario(Path(sys.argv[1])), "pm", 3)
print("ready", flush=True)
while True:
    while not session.finished:
        session.end_quarter()  # autosaves
    session = Session(read_scenario(Path(sys.argv[1])), "pm", 3)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_autosave_never_damages_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("CROSSROADS_HOME", str(home))
    source = next(p for p in paths.bundled_scenarios() if p.stem == "tutorial")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for segment in data["segments"]:
        segment["resolution"] = 40
    scenario = tmp_path / "tutorial.yaml"
    scenario.write_text(yaml.safe_dump(data), encoding="utf-8")
    rng = random.Random(11)
    env = {**os.environ, "CROSSROADS_HOME": str(home)}
    played = []
    for _ in range(8):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(scenario)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait()
        try:
            session = Session.from_save()
        except SaveError as exc:
            assert "no saved game" in str(exc)
            continue
        played.append(len(session.log))
        assert 1 <= len(session.log) <= session.scenario.quarters
    assert played  # the kills landed while games were under way
