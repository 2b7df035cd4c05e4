"""Durable workshop store: one SQLite file per session, the decision log as the truth.

Every submitted decision set is written in its own transaction (WAL, ``synchronous=FULL``)
before the caller acknowledges it, so a crash loses nothing that was acknowledged. The store
keeps inputs only — the session set-up, submissions, injected events and which rounds were
resolved; results are always derived by replaying this log through the engine.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

SCHEMA_VERSION = 1
Mode = Literal["shared", "parallel"]

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE session (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    scenario_hash TEXT NOT NULL,
    scenario_text TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('shared', 'parallel')),
    role TEXT NOT NULL CHECK (role IN ('pm', 'cpo')),
    seed INTEGER NOT NULL,
    rounds INTEGER NOT NULL,
    timer_s INTEGER,
    created_at REAL NOT NULL
);
CREATE TABLE team (idx INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE submission (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round INTEGER NOT NULL,
    team TEXT NOT NULL REFERENCES team(name),
    decisions TEXT NOT NULL,
    submitted_at REAL NOT NULL
);
CREATE TABLE inject (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round INTEGER NOT NULL,
    event_id TEXT NOT NULL
);
CREATE TABLE resolution (round INTEGER PRIMARY KEY, resolved_at REAL NOT NULL);
CREATE TABLE journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""


class StoreError(Exception):
    """A workshop file that cannot be opened or used, with a message for a person."""


class RoundChanged(StoreError):
    """A round's inputs changed while it was being resolved (nothing was written)."""


@dataclass(frozen=True)
class SessionInfo:
    """The set-up of one workshop session."""

    id: str
    scenario_id: str
    scenario_hash: str
    mode: Mode
    role: str
    seed: int
    rounds: int
    teams: list[str]
    timer_s: int | None = None
    created_at: float = field(default=0.0)
    resolution: int | None = None  # synthetic customers per segment (None: the scenario's)


@dataclass(frozen=True)
class Submission:
    """One team's decision set for one round, as stored."""

    round: int
    team: str
    decisions: dict[str, Any]
    submitted_at: float


def new_session_id() -> str:
    """A short, readable, unique session id such as ``ws-20261127-3f9a``."""
    return time.strftime("ws-%Y%m%d-") + secrets.token_hex(2)


class WorkshopStore:
    """One workshop session's SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise StoreError(f"no workshop session file at {self.path}")
        try:
            self._db = _connect(self.path)
            version = self._db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path.name} is not a readable workshop file ({exc})") from exc
        if version is None or int(version[0]) != SCHEMA_VERSION:
            found = version[0] if version else "none"
            raise StoreError(
                f"{self.path.name} uses workshop format {found}; this version reads "
                f"format {SCHEMA_VERSION}"
            )

    # ------------------------------------------------------------------ creation
    @classmethod
    def create(
        cls,
        path: Path,
        info: SessionInfo,
        scenario_text: str,
    ) -> WorkshopStore:
        """Create a new session file (refusing to overwrite one) and return it open."""
        path = Path(path)
        if path.exists():
            raise StoreError(f"a workshop session already exists at {path}")
        if len(set(info.teams)) != len(info.teams) or not info.teams:
            raise StoreError("team names must be given and be unique")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".creating")
        tmp.unlink(missing_ok=True)
        db = _connect(tmp)
        with db:
            db.executescript(_SCHEMA)
            db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            if info.resolution is not None:
                db.execute("INSERT INTO meta VALUES ('resolution', ?)", (str(info.resolution),))
            db.execute(
                "INSERT INTO session VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    info.id,
                    info.scenario_id,
                    info.scenario_hash,
                    scenario_text,
                    info.mode,
                    info.role,
                    info.seed,
                    info.rounds,
                    info.timer_s,
                    info.created_at or time.time(),
                ),
            )
            db.executemany("INSERT INTO team VALUES (?, ?)", list(enumerate(info.teams)))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        tmp.replace(path)
        return cls(path)

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    @contextmanager
    def _tx(self, immediate: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction; ``immediate`` takes the write lock before anything is read,
        so checks made inside it (the open round) still hold when it commits."""
        try:
            with self._db:
                if immediate:
                    self._db.execute("BEGIN IMMEDIATE")
                yield self._db
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    f"{self.path.name} is busy (a round is being resolved or another command "
                    "is writing); nothing was recorded, try again"
                ) from exc
            raise StoreError(f"could not write to {self.path.name}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"could not write to {self.path.name}: {exc}") from exc

    # ------------------------------------------------------------------ reads
    def info(self) -> SessionInfo:
        """The session set-up."""
        row = self._db.execute(
            "SELECT id, scenario_id, scenario_hash, mode, role, seed, rounds, timer_s, "
            "created_at FROM session"
        ).fetchone()
        teams = [r[0] for r in self._db.execute("SELECT name FROM team ORDER BY idx")]
        res = self._db.execute("SELECT value FROM meta WHERE key='resolution'").fetchone()
        return SessionInfo(
            id=row[0],
            scenario_id=row[1],
            scenario_hash=row[2],
            mode=row[3],
            role=row[4],
            seed=row[5],
            rounds=row[6],
            teams=teams,
            timer_s=row[7],
            created_at=row[8],
            resolution=int(res[0]) if res else None,
        )

    def scenario_text(self) -> str:
        """The exact scenario text the session was created with."""
        return self._db.execute("SELECT scenario_text FROM session").fetchone()[0]

    def resolved_rounds(self) -> int:
        """How many rounds have been resolved (rounds are numbered from 1)."""
        row = self._db.execute("SELECT MAX(round) FROM resolution").fetchone()
        return int(row[0] or 0)

    def current_round(self) -> int:
        """The round teams are submitting for now."""
        return self.resolved_rounds() + 1

    def submissions(self, round_: int) -> dict[str, Submission]:
        """The latest submission of each team for a round (a resubmission replaces)."""
        return {s.team: s for s in self.all_submissions(round_)}

    def all_submissions(self, round_: int) -> list[Submission]:
        """Every submission made for a round, resubmissions included, oldest first."""
        return [
            Submission(rnd, team, json.loads(text), at)
            for rnd, team, text, at in self._db.execute(
                "SELECT round, team, decisions, submitted_at FROM submission WHERE round=? "
                "ORDER BY id",
                (round_,),
            )
        ]

    def injects(self, round_: int) -> list[str]:
        """Event ids injected for a round, in the order the facilitator played them."""
        rows = self._db.execute("SELECT event_id FROM inject WHERE round=? ORDER BY id", (round_,))
        return [r[0] for r in rows]

    def journal(self) -> list[tuple[float, str, str]]:
        """Everything that happened to the session, oldest first."""
        return list(self._db.execute("SELECT at, action, detail FROM journal ORDER BY id"))

    # ------------------------------------------------------------------ writes
    def submit(self, team: str, round_: int, decisions: dict[str, Any]) -> None:
        """Durably record a team's decision set; returns only once it is on disk.

        The open round is checked inside the write transaction, so a submission never lands
        in a round that a concurrent ``resolve`` has just closed.
        """
        info = self.info()
        if team not in info.teams:
            raise StoreError(f"unknown team '{team}'; teams are {', '.join(info.teams)}")
        try:
            text = json.dumps(decisions, sort_keys=True, allow_nan=False)
        except ValueError as exc:
            raise StoreError(f"decisions hold a number that is not finite ({exc})") from exc
        now = time.time()
        with self._tx(immediate=True) as db:
            if round_ != self.current_round():
                raise StoreError(
                    f"round {round_} is not open; teams are submitting for round "
                    f"{self.current_round()} (nothing was recorded)"
                )
            if round_ > info.rounds:
                raise StoreError(f"the session has ended after round {info.rounds}")
            db.execute(
                "INSERT INTO submission (round, team, decisions, submitted_at) VALUES (?,?,?,?)",
                (round_, team, text, now),
            )
            db.execute(
                "INSERT INTO journal (at, action, detail) VALUES (?, 'submit', ?)",
                (now, f"round {round_}: {team}"),
            )

    def inject(self, event_id: str) -> None:
        """Queue an event for the round now open."""
        now = time.time()
        with self._tx(immediate=True) as db:
            round_ = self.current_round()
            db.execute("INSERT INTO inject (round, event_id) VALUES (?, ?)", (round_, event_id))
            db.execute(
                "INSERT INTO journal (at, action, detail) VALUES (?, 'inject', ?)",
                (now, f"round {round_}: {event_id}"),
            )

    def mark_resolved(self, round_: int, unchanged: Callable[[], bool] | None = None) -> None:
        """Record that a round was resolved (its results follow from the log).

        ``unchanged`` is asked inside the write transaction (it may read the store) whether
        the round's inputs are still the ones that were played; if not, :class:`RoundChanged`
        is raised and nothing is written, so the caller plays the round again.
        """
        now = time.time()
        with self._tx(immediate=True) as db:
            if round_ != self.current_round():
                raise StoreError(f"round {round_} cannot be resolved now")
            if unchanged is not None and not unchanged():
                raise RoundChanged(f"round {round_} received new input while it was resolved")
            db.execute("INSERT INTO resolution VALUES (?, ?)", (round_, now))
            db.execute(
                "INSERT INTO journal (at, action, detail) VALUES (?, 'resolve', ?)",
                (now, f"round {round_}"),
            )

    def rewind(self) -> int:
        """Reopen the last resolved round (its submissions stay, so it can be re-resolved).

        Submissions and injected events already made for the following round were based on
        the results being undone; they are discarded in the same transaction (and the
        journal says how many).
        """
        last = self.resolved_rounds()
        if last == 0:
            raise StoreError("no resolved round to rewind")
        now = time.time()
        with self._tx(immediate=True) as db:
            if self.resolved_rounds() != last:
                raise StoreError("the session changed while rewinding; nothing was undone")
            db.execute("DELETE FROM resolution WHERE round=?", (last,))
            subs = db.execute("DELETE FROM submission WHERE round>?", (last,)).rowcount
            injs = db.execute("DELETE FROM inject WHERE round>?", (last,)).rowcount
            detail = f"round {last}"
            if subs or injs:
                detail += (
                    f" (discarded {subs} submission(s), {injs} inject(s) for round {last + 1})"
                )
            db.execute(
                "INSERT INTO journal (at, action, detail) VALUES (?, 'rewind', ?)", (now, detail)
            )
        return last

    # ------------------------------------------------------------------ export
    def export(self) -> dict[str, Any]:
        """The whole session as plain data (the human-readable export)."""
        info = self.info()
        rounds = []
        for r in range(1, min(self.current_round(), info.rounds) + 1):
            subs = self.submissions(r)
            rounds.append(
                {
                    "round": r,
                    "resolved": r <= self.resolved_rounds(),
                    "injects": self.injects(r),
                    "submissions": {t: s.decisions for t, s in subs.items()},
                }
            )
        return {
            "format": SCHEMA_VERSION,
            "session": asdict(info),
            "rounds": rounds,
            "journal": [
                {"at": at, "action": action, "detail": detail}
                for at, action, detail in self.journal()
            ],
        }


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level="DEFERRED")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    return db
