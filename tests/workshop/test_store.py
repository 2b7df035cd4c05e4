"""The workshop store keeps every acknowledged submission, even across SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from game.workshop.store import SessionInfo, StoreError, WorkshopStore

TEAMS = ["alpha", "bravo", "charlie", "delta"]


def _make(path: Path, rounds: int = 3) -> WorkshopStore:
    info = SessionInfo(
        id="ws-test",
        scenario_id="tutorial",
        scenario_hash="abc",
        mode="shared",
        role="pm",
        seed=7,
        rounds=rounds,
        teams=TEAMS,
    )
    return WorkshopStore.create(path, info, "id: tutorial\n")


def test_round_trip_and_latest_submission_wins(tmp_path: Path) -> None:
    store = _make(tmp_path / "s.sqlite")
    store.submit("alpha", 1, {"products": {"x": {"price": 10}}})
    store.submit("alpha", 1, {"products": {"x": {"price": 12}}})
    store.submit("bravo", 1, {})
    subs = store.submissions(1)
    assert set(subs) == {"alpha", "bravo"}
    assert subs["alpha"].decisions == {"products": {"x": {"price": 12}}}
    store.close()
    again = WorkshopStore(tmp_path / "s.sqlite")
    assert again.info().teams == TEAMS
    assert again.scenario_text() == "id: tutorial\n"
    assert again.submissions(1)["alpha"].decisions["products"]["x"]["price"] == 12


def test_wrong_team_round_and_finished_session_are_refused(tmp_path: Path) -> None:
    store = _make(tmp_path / "s.sqlite", rounds=1)
    with pytest.raises(StoreError, match="unknown team 'zulu'"):
        store.submit("zulu", 1, {})
    with pytest.raises(StoreError, match="round 2 is not open"):
        store.submit("alpha", 2, {})
    store.mark_resolved(1)
    with pytest.raises(StoreError, match="ended after round 1"):
        store.submit("alpha", 2, {})
    assert store.submissions(2) == {}


def test_rewind_reopens_last_round_and_keeps_its_submissions(tmp_path: Path) -> None:
    store = _make(tmp_path / "s.sqlite")
    store.submit("alpha", 1, {"a": 1})
    store.inject("outage")
    store.mark_resolved(1)
    assert store.current_round() == 2
    assert store.rewind() == 1
    assert store.current_round() == 1
    assert store.submissions(1)["alpha"].decisions == {"a": 1}
    assert store.injects(1) == ["outage"]
    assert [a for _, a, _ in store.journal()] == ["submit", "inject", "resolve", "rewind"]
    with pytest.raises(StoreError):
        _make(tmp_path / "s.sqlite")


def test_corrupt_and_foreign_files_give_messages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a readable workshop file"):
        WorkshopStore(bad)
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    db.execute("INSERT INTO meta VALUES ('schema', '99')")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="format 99"):
        WorkshopStore(other)
    with pytest.raises(StoreError, match="no workshop session file"):
        WorkshopStore(tmp_path / "missing.sqlite")


def test_export_is_plain_data(tmp_path: Path) -> None:
    store = _make(tmp_path / "s.sqlite")
    store.submit("delta", 1, {"forecast": {"revenue": 1.0, "share": 0.1}})
    data = store.export()
    assert data["session"]["teams"] == TEAMS
    assert data["rounds"][0]["submissions"]["delta"]["forecast"]["share"] == 0.1


_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from game.workshop.store import WorkshopStore
    store = WorkshopStore(Path(sys.argv[1]))
    n = 0
    while True:
        for team in sys.argv[2:]:
            store.submit(team, 1, {"n": n, "pad": "x" * 2000})
            print(f"{team} {n}", flush=True)
            n += 1
    """
)


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.4])
def test_sigkill_loses_no_acknowledged_submission(tmp_path: Path, delay: float) -> None:
    path = tmp_path / "s.sqlite"
    _make(path).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), *TEAMS],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # started and writing, however slow the machine
    assert first.strip(), "the writer stopped before acknowledging anything"
    time.sleep(delay)  # then a varying point mid-stream
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate()
    acked = [line.split() for line in (first + out).splitlines() if line.strip()]
    store = WorkshopStore(path)
    stored = {int(s.decisions["n"]) for s in store.submissions(1).values()}
    rows = store.journal()
    # Every acknowledged submission is in the journal; the latest per team is retrievable.
    assert len(rows) >= len(acked)
    last_by_team = {team: int(n) for team, n in acked}
    latest = store.submissions(1)
    for team, n in last_by_team.items():
        assert latest[team].decisions["n"] >= n
    assert stored
