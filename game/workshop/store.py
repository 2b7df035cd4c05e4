"""Durable workshop store: one SQLite file per session, the decision log as the truth.

Every submitted decision set is written in a transaction (WAL, ``synchronous=FULL``) before
the caller acknowledges it — its own, or one shared by hand-ins that arrived together
(:meth:`WorkshopStore.submit_many`) — so a crash loses nothing that was acknowledged. The store
keeps inputs only — the session set-up, submissions, injected events and which rounds were
resolved; results are always derived by replaying this log through the engine.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from game.files import MIB, FileRefused, os_reason, read_bytes
from game.workshop.words import phrase

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 256 * MIB  # a session file is a few hundred KB; anything this big is not ours
_HEADER = b"SQLite format 3\x00"
_DAMAGED = (sqlite3.Error, ValueError, TypeError, OverflowError)
Mode = Literal["shared", "parallel"]
COACH_LEVELS = ("guided", "hints", "none")  # game.coach.LEVELS (a session file stores a word)

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
# What a network workshop adds. A file made before it gains these tables when it is opened
# for writing; older versions of Crossroads read such a file as before.
_NETWORK_SCHEMA = """
CREATE TABLE IF NOT EXISTS join_code (team TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS draft (
    team TEXT PRIMARY KEY,
    round INTEGER NOT NULL,
    decisions TEXT NOT NULL,
    saved_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS receipt (
    id TEXT PRIMARY KEY,
    team TEXT NOT NULL,
    round INTEGER NOT NULL,
    warnings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deadline (round INTEGER PRIMARY KEY, at REAL NOT NULL);
"""
FACILITATOR = ""  # the join_code row of the facilitator's own code
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read from a projector
CODE_LENGTH = 8  # 31**8: about 40 bits


class StoreError(Exception):
    """A workshop file that cannot be opened or used, with a message for a person."""


class DeadlinePassed(StoreError):
    """Hand-in for the open round has closed (its deadline passed); nothing was recorded."""


class DuplicateReceipt(StoreError):
    """A hand-in retried under an id already recorded (the retry records nothing)."""


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
    coach: str = "none"  # the tutorial coach at the teams' hub: guided, hints or none (off)
    company: bool = False  # every team is a company: a CPO seat and one PM seat per line


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
            raise StoreError(phrase("ws_errors.no_file", path=str(self.path)))
        _check_ours(self.path)  # read-only: nothing is written to a file that is not ours
        try:
            self._db = _connect(self.path)
            with self._db:
                self._db.executescript(_NETWORK_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(_db_problem(self.path, exc)) from None

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
            raise StoreError(phrase("ws_errors.session_exists", path=str(path)))
        if len(set(info.teams)) != len(info.teams) or not info.teams:
            raise StoreError(phrase("ws_errors.teams_unique"))
        tmp = path.with_suffix(".creating")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _discard(tmp)
            _write_new(tmp, info, scenario_text)
            tmp.replace(path)
        except BaseException as exc:
            _discard(tmp)  # never leave a half-made session behind
            if isinstance(exc, OSError):
                raise StoreError(
                    phrase("ws_errors.could_not_create", name=path.name, reason=os_reason(exc))
                ) from None
            if isinstance(exc, _DAMAGED):
                raise StoreError(_db_problem(path, exc, "create")) from None
            raise
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
                raise StoreError(phrase("ws_errors.busy", name=self.path.name)) from exc
            raise StoreError(
                phrase("ws_errors.db_write_other", name=self.path.name, reason=str(exc))
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(_db_problem(self.path, exc, "write")) from exc

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn a damaged file met while reading into a StoreError in words."""
        try:
            yield
        except StoreError:
            raise
        except _DAMAGED as exc:
            raise StoreError(_db_problem(self.path, exc)) from None

    # ------------------------------------------------------------------ reads
    def info(self) -> SessionInfo:
        """The session set-up (a damaged set-up raises StoreError)."""
        with self._reading():
            return self._info()

    def _info(self) -> SessionInfo:
        row = self._db.execute(
            "SELECT id, scenario_id, scenario_hash, mode, role, seed, rounds, timer_s, "
            "created_at FROM session"
        ).fetchone()
        teams = [r[0] for r in self._db.execute("SELECT name FROM team ORDER BY idx")]
        res = self._db.execute("SELECT value FROM meta WHERE key='resolution'").fetchone()
        coach = self._db.execute("SELECT value FROM meta WHERE key='coach'").fetchone()
        company = self._db.execute("SELECT value FROM meta WHERE key='company'").fetchone()
        if row is None:
            raise StoreError(phrase("ws_errors.no_setup", name=self.path.name))
        ints = (row[5], row[6], *(() if row[7] is None else (row[7],)))
        if (
            row[3] not in ("shared", "parallel")
            or row[4] not in ("pm", "cpo")
            or not all(isinstance(v, int) and 0 <= v < 2**63 for v in ints)
            or not all(isinstance(v, str) for v in (row[0], row[1], row[2], *teams))
            or not teams
        ):
            raise StoreError(phrase("ws_errors.setup_not_valid", name=self.path.name))
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
            coach=coach[0] if coach and coach[0] in COACH_LEVELS else "none",
            company=bool(company and company[0] == "1"),
        )

    def scenario_text(self) -> str:
        """The exact scenario text the session was created with."""
        with self._reading():
            text = self._db.execute("SELECT scenario_text FROM session").fetchone()[0]
            if not isinstance(text, str):
                raise ValueError("the scenario copy is not text")
            return text

    def resolved_rounds(self) -> int:
        """How many rounds have been resolved (rounds are numbered from 1)."""
        with self._reading():
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
        with self._reading():
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
        with self._reading():
            rows = self._db.execute(
                "SELECT event_id FROM inject WHERE round=? ORDER BY id", (round_,)
            )
            return [r[0] for r in rows]

    def deadline(self, round_: int) -> float | None:
        """When hand-in for ``round_`` closes (seconds since the epoch), or None: no deadline."""
        with self._reading():
            row = self._db.execute("SELECT at FROM deadline WHERE round=?", (round_,)).fetchone()
            return float(row[0]) if row else None

    def receipt(self, receipt_id: str) -> tuple[str, int, list[str]] | None:
        """(team, round, warnings) of the hand-in acknowledged under ``receipt_id``, if any."""
        with self._reading():
            row = self._db.execute(
                "SELECT team, round, warnings FROM receipt WHERE id=?", (receipt_id,)
            ).fetchone()
            return (row[0], int(row[1]), list(json.loads(row[2]))) if row else None

    def draft(self, team: str, round_: int) -> dict[str, Any] | None:
        """The draft a team's client last kept on the host for ``round_`` (None: none)."""
        with self._reading():
            row = self._db.execute(
                "SELECT decisions FROM draft WHERE team=? AND round=?", (team, round_)
            ).fetchone()
            return json.loads(row[0]) if row else None

    def join_codes(self, keys: list[str] | None = None) -> dict[str, str]:
        """The join code of every team (or of each of ``keys``: a company's seats) and of the
        facilitator (key :data:`FACILITATOR`), made on first use and kept in the file, so
        every copy of the session agrees."""
        with self._reading():
            codes = dict(self._db.execute("SELECT team, code FROM join_code"))
        wanted = [*(self.info().teams if keys is None else keys), FACILITATOR]
        if all(t in codes for t in wanted):
            return {t: codes[t] for t in wanted}
        with self._tx(immediate=True) as db:
            for team in wanted:
                while True:  # a clash of 40-bit codes is unlikely, never impossible
                    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                    taken = db.execute("SELECT 1 FROM join_code WHERE code=?", (code,))
                    if taken.fetchone() is None:
                        break
                db.execute("INSERT OR IGNORE INTO join_code VALUES (?, ?)", (team, code))
        return self.join_codes(keys)

    def change_mark(self) -> tuple[int, ...]:
        """A cheap fingerprint of everything teams can see change (submissions, rounds,
        injects, deadlines): equal marks mean nothing changed."""
        with self._reading():
            row = self._db.execute(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM submission), "
                "(SELECT COUNT(*) FROM submission), "
                "(SELECT COALESCE(MAX(round), 0) FROM resolution), "
                "(SELECT COALESCE(MAX(id), 0) FROM journal), "
                "(SELECT COUNT(*) FROM deadline), "
                "(SELECT COALESCE(SUM(at), 0) FROM deadline)"
            ).fetchone()
            return tuple(int(v) for v in row)

    def draft_mark(self) -> tuple[int, int]:
        """A cheap fingerprint of the drafts kept on the host: (how many, latest save). A
        company's seats see each other's drafts (the CPO's direction as it stands)."""
        with self._reading():
            row = self._db.execute("SELECT COUNT(*), COALESCE(MAX(saved_at), 0) FROM draft")
            count, latest = row.fetchone()
            return int(count), int(float(latest) * 1000)

    def replay_mark(self) -> tuple[int, int]:
        """A cheap fingerprint of the inputs of every resolved round: (rounds resolved, id of
        the last resolve or rewind in the journal). Submissions and injects only ever go to
        the open round, so a resolved round's inputs change only by a rewind and a resolve,
        and both are journaled: equal marks mean the resolved rounds are as they were."""
        with self._reading():
            row = self._db.execute(
                "SELECT (SELECT COALESCE(MAX(round), 0) FROM resolution), "
                "(SELECT COALESCE(MAX(id), 0) FROM (SELECT id FROM journal "
                "WHERE action IN ('resolve', 'rewind') ORDER BY id DESC LIMIT 1))"
            ).fetchone()
            return int(row[0]), int(row[1])

    def journal(self) -> list[tuple[float, str, str]]:
        """Everything that happened to the session, oldest first."""
        with self._reading():
            return list(self._db.execute("SELECT at, action, detail FROM journal ORDER BY id"))

    # ------------------------------------------------------------------ writes
    def submit(
        self,
        team: str,
        round_: int,
        decisions: dict[str, Any],
        receipt: tuple[str, list[str]] | None = None,
        key: str | None = None,
    ) -> None:
        """Durably record a team's decision set; returns only once it is on disk.

        The open round and its deadline are checked inside the write transaction, so a
        submission never lands in a round that a concurrent ``resolve`` has just closed.
        ``receipt`` (id, warnings) is stored in the same transaction: a retry under the same
        id is then recognised (:meth:`receipt`) and never recorded twice. ``key``: who handed
        in, when not the team itself (a company's seat): its receipt and draft are the key's.
        """
        info = self.info()
        text = _decisions_text(info, team, decisions)
        now = time.time()
        with self._tx(immediate=True) as db:
            self._record(db, info, team, round_, text, receipt, now, key)

    def submit_many(
        self,
        hand_ins: list[tuple[str, int, dict[str, Any], tuple[str, list[str]] | None]],
        keys: list[str | None] | None = None,
    ) -> list[StoreError | None]:
        """Record several decision sets (each ``(team, round, decisions, receipt)`` and, in
        ``keys``, who handed it in, as for :meth:`submit`) in one transaction: one sync to
        disk for all of them.

        Each is checked exactly as :meth:`submit` checks it; one that is refused is rolled
        back alone (its error takes its place in the answer, None where it was recorded) and
        leaves the others recorded. When this returns, every recorded one is on disk; when
        the transaction itself fails it raises, and none is recorded."""
        info = self.info()
        found: list[StoreError | None] = [None] * len(hand_ins)
        texts: dict[int, str] = {}
        for i, (team, _round, decisions, _receipt) in enumerate(hand_ins):
            try:
                texts[i] = _decisions_text(info, team, decisions)
            except StoreError as exc:
                found[i] = exc
        if not texts:
            return found
        now = time.time()
        with self._tx(immediate=True) as db:
            for i, text in texts.items():
                team, round_, _, receipt = hand_ins[i]
                key = keys[i] if keys is not None else None
                db.execute("SAVEPOINT hand_in")
                try:
                    self._record(db, info, team, round_, text, receipt, now, key)
                except StoreError as exc:
                    db.execute("ROLLBACK TO hand_in")
                    found[i] = exc
                db.execute("RELEASE hand_in")
        return found

    def _record(
        self,
        db: sqlite3.Connection,
        info: SessionInfo,
        team: str,
        round_: int,
        text: str,
        receipt: tuple[str, list[str]] | None,
        now: float,
        key: str | None = None,
    ) -> None:
        """One decision set's checks and rows, inside a write transaction (see submit)."""
        key = key or team
        if round_ != self.current_round():
            raise StoreError(
                phrase("ws_errors.round_not_open", round=round_, open=self.current_round())
            )
        if round_ > info.rounds:
            raise StoreError(phrase("ws_errors.session_ended", rounds=info.rounds))
        closes = db.execute("SELECT at FROM deadline WHERE round=?", (round_,)).fetchone()
        if closes is not None and now > closes[0]:
            raise DeadlinePassed(
                phrase("ws_errors.deadline_passed", round=round_, at=_clock(closes[0]))
            )
        if receipt is not None:
            added = db.execute(
                "INSERT OR IGNORE INTO receipt VALUES (?, ?, ?, ?)",
                (receipt[0], key, round_, json.dumps(receipt[1], allow_nan=False)),
            ).rowcount
            if not added:
                raise DuplicateReceipt(f"hand-in {receipt[0]} was already recorded")
        db.execute(
            "INSERT INTO submission (round, team, decisions, submitted_at) VALUES (?,?,?,?)",
            (round_, team, text, now),
        )
        db.execute("DELETE FROM draft WHERE team=?", (key,))  # the hand-in is the draft now
        who = team if key == team else f"{team} ({key.rpartition(chr(31))[2]})"
        db.execute(
            "INSERT INTO journal (at, action, detail) VALUES (?, 'submit', ?)",
            (now, f"round {round_}: {who}"),
        )

    def keep_draft(self, team: str, round_: int, decisions: dict[str, Any]) -> None:
        """Keep a team's work-in-progress draft for ``round_`` (replacing the last one)."""
        text = json.dumps(decisions, sort_keys=True, allow_nan=False)
        with self._tx(immediate=True) as db:
            if round_ != self.current_round():
                raise StoreError(phrase("ws_errors.draft_not_kept", round=round_))
            db.execute(
                "INSERT OR REPLACE INTO draft VALUES (?, ?, ?, ?)",
                (team, round_, text, time.time()),
            )

    def set_deadline(self, round_: int, at: float | None) -> None:
        """Close hand-in for ``round_`` at ``at`` (seconds since the epoch); None removes it."""
        now = time.time()
        with self._tx(immediate=True) as db:
            if round_ != self.current_round():
                raise StoreError(phrase("ws_errors.deadline_not_set", round=round_))
            db.execute("DELETE FROM deadline WHERE round=?", (round_,))
            if at is not None:
                db.execute("INSERT INTO deadline VALUES (?, ?)", (round_, at))
            detail = f"round {round_}: " + ("none" if at is None else f"closes {_clock(at)}")
            db.execute(
                "INSERT INTO journal (at, action, detail) VALUES (?, 'deadline', ?)", (now, detail)
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
                raise StoreError(phrase("ws_errors.cannot_resolve_now", round=round_))
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
            raise StoreError(phrase("ws_errors.nothing_to_rewind"))
        now = time.time()
        with self._tx(immediate=True) as db:
            if self.resolved_rounds() != last:
                raise StoreError(phrase("ws_errors.changed_while_rewinding"))
            db.execute("DELETE FROM resolution WHERE round=?", (last,))
            subs = db.execute("DELETE FROM submission WHERE round>?", (last,)).rowcount
            injs = db.execute("DELETE FROM inject WHERE round>?", (last,)).rowcount
            db.execute("DELETE FROM draft WHERE round>?", (last,))
            db.execute("DELETE FROM deadline WHERE round>=?", (last,))  # reopened: no deadline
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


def _write_new(tmp: Path, info: SessionInfo, scenario_text: str) -> None:
    """Write a complete new session file at ``tmp`` (the caller renames it into place)."""
    db = _connect(tmp)
    try:
        with db:
            db.executescript(_SCHEMA)
            db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            if info.resolution is not None:
                db.execute("INSERT INTO meta VALUES ('resolution', ?)", (str(info.resolution),))
            if info.coach != "none":
                db.execute("INSERT INTO meta VALUES ('coach', ?)", (info.coach,))
            if info.company:
                db.execute("INSERT INTO meta VALUES ('company', '1')")
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
    finally:
        db.close()


def _decisions_text(info: SessionInfo, team: str, decisions: dict[str, Any]) -> str:
    """A decision set as stored, or StoreError (an unknown team, a number not finite)."""
    if team not in info.teams:
        raise StoreError(phrase("ws_errors.unknown_team", name=team, teams=", ".join(info.teams)))
    try:
        return json.dumps(decisions, sort_keys=True, allow_nan=False)
    except ValueError as exc:
        raise StoreError(phrase("ws_errors.not_finite", reason=str(exc))) from exc


def _clock(at: float) -> str:
    """A time of day for a message (the facilitator's local time)."""
    return time.strftime("%H:%M:%S", time.localtime(at))


def _discard(tmp: Path) -> None:
    """Remove a half-made session file and its SQLite side files."""
    for side in ("", "-wal", "-shm", "-journal"):
        Path(f"{tmp}{side}").unlink(missing_ok=True)


def _db_problem(path: Path, exc: BaseException, doing: str = "open") -> str:
    """What an SQLite error means for a person: permission, full disk, or a damaged file.

    ``doing``: what failed, "open", "create" or "write" (the message says "cannot open",
    "could not create" or "could not write to")."""
    text = str(exc).lower()
    folder = str(path.parent)
    name = path.name
    if "full" in text:
        return phrase(f"ws_errors.db_{doing}_full", name=name)
    if "readonly" in text or "read-only" in text:
        return phrase(f"ws_errors.db_{doing}_readonly", name=name, folder=folder)
    if "unable to open" in text:
        if not os.access(folder, os.W_OK) or not os.access(path, os.R_OK):
            return phrase(f"ws_errors.db_{doing}_denied", name=name, folder=folder)
        return phrase(f"ws_errors.db_{doing}_other", name=name, reason=str(exc))
    if isinstance(exc, OverflowError):
        return phrase(f"ws_errors.db_{doing}_too_large", name=name)
    detail = str(exc).split(" with text ")[0].splitlines()[0] if str(exc) else type(exc).__name__
    return phrase("ws_errors.damaged_detail", name=name, detail=detail[:120])


def _check_ours(path: Path) -> None:
    """Refuse, without writing anything, a file that is not an intact session file of ours.

    Checks the type and size, the SQLite header, then opens the file read-only to check
    the schema version, the session row and the database's integrity.
    """
    try:
        head = read_bytes(path, MAX_FILE_BYTES, follow=False, head=len(_HEADER))
    except FileRefused as exc:
        raise StoreError(
            phrase("ws_errors.cannot_be_opened", name=path.name, reason=str(exc.reason))
        ) from None
    if head != _HEADER:
        raise StoreError(phrase("ws_errors.not_sqlite", name=path.name))
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(_db_problem(path, exc)) from None
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            raise StoreError(phrase("ws_errors.no_workshop_data", name=path.name))
        version = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if version is None or str(version[0]) != str(SCHEMA_VERSION):
            found = version[0] if version else "none"
            raise StoreError(
                phrase("ws_errors.format", name=path.name, found=found, reads=SCHEMA_VERSION)
            )
        if not {"session", "team", "submission", "inject", "resolution", "journal"} <= tables:
            raise StoreError(phrase("ws_errors.tables_missing", name=path.name))
        check = db.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise StoreError(phrase("ws_errors.damaged_check", name=path.name, check=check[0]))
        if db.execute("SELECT COUNT(*) FROM session").fetchone()[0] != 1:
            raise StoreError(phrase("ws_errors.no_setup", name=path.name))
    except sqlite3.Error as exc:
        raise StoreError(_db_problem(path, exc)) from None
    finally:
        db.close()
