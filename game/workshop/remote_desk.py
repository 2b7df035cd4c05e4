"""A team's desk in a network workshop: the hub's tabs bound to a facilitator's host.

:class:`RemoteDesk` is the network twin of :class:`~game.workshop.team_desk.TeamDesk`. Its
view, history, organisation, scorecard and products come from the team package the host
sent (:class:`~game.workshop.wire.Package`: the team's own firm only); the draft is kept in
the ids of the team's market, exactly as on a hot-seat desk, and translated back to the
scenario's own ids (:class:`~engine.teams.TeamMap`) for everything sent to the host.

Nothing here blocks the window's thread on the network. The engine's check and outlook of a
draft are asked of the host in the background (:class:`~game.workshop.client.Link`) and
remembered per draft; until the current draft's answer arrives the last answer is shown and
:attr:`RemoteDesk.revision` counts answers that change what is on screen, so the hub knows
when to refresh. The draft is kept twice while the team works: in a small JSON file on this
computer (written atomically a moment after each change) and on the host (``keep_draft`` a
few seconds after the last change), so a client that crashed or a laptop that slept finds
its draft again when it rejoins with its code.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import json
import math
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.decisions import Decisions
from engine.lines import Outlook
from game.coach import Coach
from game.desk import DraftDesk
from game.jobs import Job
from game.scenes.glossary import ROLE_NAMES
from game.translation import t
from game.workshop import wire
from game.workshop.client import Link, RemoteError, new_receipt, submit_until_acknowledged
from game.workshop.words import phrase, shown, whose

if TYPE_CHECKING:
    from engine.decision_check import Problem
    from engine.preview import Preview
    from engine.view import FirmView

SAVE_AFTER_S = 0.5
"""Seconds after the last change before the draft is written on this computer."""
PUSH_AFTER_S = 3.0
"""Seconds after the last change before the draft is kept on the host."""
RETRY_S = 4.0
"""Seconds before a check or a kept draft that could not reach the host is tried again."""
PREVIEW_TIMEOUT_S = 8.0
"""How long a preview waits for the host (it runs in a background job)."""
ANSWERS_KEPT = 64
"""Checks of drafts remembered (a slider visits many prices)."""
MAX_DRAFT_FILE = 256 * 1024
MAX_JOIN_FILE = 4 * 1024
EMPTY_OUTLOOK = Outlook(lines={}, bets=(), incubation=0)
"""What the portfolio shows before the host's first answer (it normally comes at join)."""

Answer = tuple[list["Problem"], Outlook]


# ---------------------------------------------------------------------- words
def remote_words(exc: BaseException, url: str = "") -> str:
    """Any failure of a network call as one sentence for a person (never a traceback)."""
    where = url or t("ws_join.the_host")
    if isinstance(exc, RemoteError):
        english = exc.message.strip().rstrip(".")
        text = shown(english).strip().rstrip(".")
        if exc.unreachable:
            if "in time" in english:
                return t("ws_join.no_answer_in_time", where=where)
            return t("ws_join.nothing_answers", where=where)
        if exc.status in (401, 403, 429):
            return f"{text[:1].upper()}{text[1:]}."
        if exc.status in (502, 500) or "Crossroads" in english:
            return f"{text[:1].upper()}{text[1:]}."
        extra = "".join(f" {shown(p).rstrip('.')}." for p in exc.problems[:6])
        return f"{text[:1].upper()}{text[1:]}.{extra}"
    if isinstance(exc, wire.WireError):
        text = shown(str(exc)).rstrip(".")
        return f"{text[:1].upper()}{text[1:]}."
    if isinstance(exc, TimeoutError | concurrent.futures.TimeoutError):
        return t("ws_join.no_answer_in_time", where=where)
    if isinstance(exc, concurrent.futures.CancelledError):
        return t("ws_join.connection_closed")
    return t("ws_join.went_wrong", kind=type(exc).__name__)


def decisions_key(decisions: Decisions) -> str:
    """A short digest of decisions in the scenario's own ids (only the choices made)."""
    text = wire.dump(wire.decisions_json(decisions))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def clean_leaderboard(rows: Any) -> list[dict[str, Any]]:
    """The host's leaderboard rows with every field a screen reads checked (rank, team,
    score, grade and the shown KPIs); a row that does not fit is left out."""
    from engine.kpis import LEADERBOARD_SHOWN

    out: list[dict[str, Any]] = []
    for r in rows[:100] if isinstance(rows, list) else []:
        try:
            row: dict[str, Any] = {
                "rank": int(r["rank"]),
                "team": str(r["team"])[:80],
                "score": float(r["score"]),
                "grade": str(r["grade"])[:8],
            }
            for key in LEADERBOARD_SHOWN:
                row[key] = float(r.get(key, 0.0))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            continue
        if all(math.isfinite(v) for v in row.values() if isinstance(v, float)):
            out.append(row)
    return out


# ---------------------------------------------------------------------- this computer
def drafts_dir() -> Path:
    """Folder of the drafts this computer keeps for network workshops."""
    from game.paths import user_data_dir

    return user_data_dir() / "workshop-drafts"


def draft_path(session_id: str, team: str) -> Path:
    """The file of one team's draft in one session (safe for any team name)."""

    def slug(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9_-]", "_", text)[:40]

    tag = hashlib.sha256(f"{session_id}\n{team}".encode()).hexdigest()[:8]
    return drafts_dir() / f"{slug(session_id)}-{slug(team)}-{tag}.json"


@dataclass(frozen=True)
class LocalDraft:
    """A draft kept on this computer: whose, for which round, and whether the host has it."""

    session: str
    team: str
    round: int
    saved: float  # epoch seconds
    synced: bool  # the host acknowledged exactly these decisions (kept or handed in)
    decisions: dict[str, Any]  # the scenario's own ids, only the choices made
    company: dict[str, Any] | None = None  # a company seat's extra draft (direction or share)


def read_local_draft(session_id: str, team: str) -> LocalDraft | None:
    """The draft this computer kept for ``team`` in ``session_id`` (None: none or damaged)."""
    from game.files import read_json

    try:
        raw = read_json(draft_path(session_id, team), MAX_DRAFT_FILE)
        draft = LocalDraft(
            session=str(raw["session"]),
            team=str(raw["team"]),
            round=int(raw["round"]),
            saved=float(raw["saved"]),
            synced=bool(raw["synced"]),
            decisions=dict(raw["decisions"]),
            company=dict(raw["company"]) if raw.get("company") is not None else None,
        )
    except (OSError, ValueError, RecursionError, KeyError, TypeError):
        return None
    return draft if (draft.session, draft.team) == (session_id, team) else None


def write_local_draft(draft: LocalDraft) -> None:
    """Keep a draft on this computer (atomically: the old file or the new, never half)."""
    from dataclasses import asdict

    from game.saves import write_atomic

    write_atomic(
        draft_path(draft.session, draft.team), json.dumps(asdict(draft), indent=1, allow_nan=False)
    )


def last_join() -> tuple[str, str]:
    """The address and join code typed last time on this computer ("" when none)."""
    from game.files import read_json
    from game.paths import user_data_dir

    try:
        raw = read_json(user_data_dir() / "workshop-join.json", MAX_JOIN_FILE)
        return str(raw.get("address", ""))[:200], str(raw.get("code", ""))[:40]
    except (OSError, ValueError, RecursionError, AttributeError):
        return "", ""


def remember_join(address: str, code: str) -> None:
    """Remember the address and join code that worked (the join screen fills them in)."""
    from game.paths import user_data_dir
    from game.saves import write_atomic

    text = json.dumps(
        {"address": address.strip()[:200], "code": code.strip()[:40]}, allow_nan=False
    )
    with contextlib.suppress(OSError):  # a convenience only: next time the fields start empty
        write_atomic(user_data_dir() / "workshop-join.json", text)


# ---------------------------------------------------------------------- the link
class HostClock:
    """The host's time as this computer estimates it (from its status messages)."""

    def __init__(self) -> None:
        self.offset = 0.0
        self._version = -1

    def follow(self, link: Link) -> None:
        """Take the host's ``now`` from a status message not seen yet (call it every frame:
        the estimate is as good as the time between the message and the call)."""
        status = link.status
        if status is not None and link.version != self._version:
            self._version = link.version
            now = status.get("now")
            if isinstance(now, int | float) and math.isfinite(now):
                self.offset = float(now) - time.time()

    def remaining(self, deadline: float | None) -> float | None:
        """Seconds until ``deadline`` (host time), None without one."""
        if deadline is None:
            return None
        return deadline - (time.time() + self.offset)


@dataclass
class Membership:
    """A team's place in a network workshop: the host, the code and the open link."""

    url: str
    code: str
    link: Link
    hello: dict[str, Any]
    team: str = ""
    clock: HostClock = field(default_factory=lambda: HostClock())
    seat: str | None = None
    """A company seat's id (``cpo``, ``pm:LINE``); None for a team."""
    lines: dict[str, str] = field(default_factory=dict)
    """A company's lines (own id -> product name), to name its seats."""

    def package(self) -> concurrent.futures.Future[wire.Package]:
        """Fetch the team's package for the open round (in the background)."""
        return self.link.call(lambda c: c.package())

    def close(self) -> None:
        """Close the link without making the window wait for it."""
        threading.Thread(target=self.link.close, daemon=True, name="link-close").start()


async def joining(client: Any) -> tuple[dict[str, Any], wire.Package]:
    """Who the host is, then the team's package (run in the link's thread)."""
    hello = await client.hello()
    return hello, await client.package()


# ---------------------------------------------------------------------- the desk
class RemoteDesk(DraftDesk):
    """One team's seat for the open round of a workshop served by a host on the network."""

    _no_preview = ""

    @property  # type: ignore[override]
    def no_preview(self) -> str:
        """Why there is no preview (the host could not be asked, or not yet)."""
        return self._no_preview or t("ws_join.no_preview_now")

    @no_preview.setter
    def no_preview(self, why: str) -> None:
        self._no_preview = why

    def __init__(self, package: wire.Package, link: Link, *, local: bool = True) -> None:
        super().__init__()
        self.package = package
        self.link = link
        self.map = package.map
        self.scenario = package.scenario
        self.team = package.team
        self.keeper = self.keeper_of(package)
        """Whose draft this computer keeps (the team; a company seat's key for a seat)."""
        self.session_id = str(package.session.get("id", ""))
        self.role = str(package.session.get("role", "pm"))
        self.firm_id = package.map.firm
        level = str(package.session.get("coach", "none"))
        self.coach = Coach(level) if level in ("guided", "hints") else None
        self.handed_in = package.submitted
        self.revision = 0
        """Counts answers from the host that changed what the hub would show."""
        self.check_error = ""
        """Why the last check could not be made ('' when it was)."""
        self._lock = threading.Lock()
        self._extras: dict[str, dict[str, Any]] = {}  # a draft key's extra draft
        self._answers: dict[str, Answer] = {}
        self._last: Answer | None = None  # the newest answer received
        self._shown: Answer | None = None  # the answer last handed to the hub
        self._wanted: tuple[str, Decisions] | None = None  # the newest draft asked about
        self._asking: str | None = None  # the draft whose check is on its way
        self._failed: tuple[str, float] | None = None
        self._receipt: tuple[str, str] | None = None  # (decisions key, hand-in id)
        self._handing: tuple[str, concurrent.futures.Future[Any]] | None = None
        start, self.restored = package.draft, False
        kept = read_local_draft(self.session_id, self.keeper) if local else None
        if kept is not None and kept.round == package.round and not kept.synced:
            parsed = _parsed(kept.decisions)
            if parsed is not None:  # changes the host never received: newer than its copy
                start, self.restored = parsed, True
                self.restore_extra(kept.company)
        self.draft = self.map.to_market(start)
        self._seen = ""  # the draft's JSON when last looked at
        self._changed_at = 0.0
        self._authored: tuple[str, Decisions] | None = None  # the draft's key and decisions
        self._pushed = "" if self.restored else self.draft_key(package.draft)  # host has this
        self._pushing: concurrent.futures.Future[None] | None = None
        self._push_failed = 0.0
        self._written: tuple[str, bool] | None = None  # what the local file holds
        self._writer: Job[None] | None = None
        self.keep_error = ""
        """Why the draft could not be kept on the host ('' when it was)."""

    # ------------------------------------------------------------------ the desk
    @property
    def quarter(self) -> int:
        """The open round."""
        return self.package.round

    @property
    def quarters(self) -> int:
        """Rounds in the session."""
        return self.package.rounds

    @property
    def heading(self) -> str:
        """Team and role, for the top bar."""
        return f"{self.team} · {ROLE_NAMES.get(self.role, self.role)}"

    def view(self) -> FirmView:
        """The team's own firm as the host let it see it."""
        return self.package.firm  # type: ignore[no-any-return]

    def scorecard(self) -> dict[str, Any]:
        """The team's score, grade, objectives and competencies so far."""
        return self.package.scorecard

    def previous(self) -> Decisions | None:
        """The decisions the team played last round (in its market's ids)."""
        last = self.package.previous
        return self.map.to_market(last) if last is not None else None

    def authored(self) -> Decisions:
        """The draft in the scenario's own ids (what the host records); WorkshopError in
        words when it is not well formed."""
        decisions, shape = self.decisions()
        if decisions is None:
            from game.workshop.session import WorkshopError

            raise WorkshopError(
                phrase(
                    "ws_errors.not_well_formed",
                    what=phrase("ws_errors.decisions_of", whose=whose(self.team)),
                ),
                [str(p) for p in shape],
            )
        return self.map.to_team(decisions)

    # ------------------------------------------------------------------ a seat's extra draft
    @staticmethod
    def keeper_of(package: wire.Package) -> str:
        """Whose draft a package's desk keeps on this computer: the team (a company seat's
        desk says its seat too, so seats on one computer never share a file)."""
        return package.team

    def company_extra(self) -> dict[str, Any] | None:
        """What a company seat drafts besides its decisions, as the host takes it (the CPO's
        direction, a PM's share); None for a team (a seat's desk says)."""
        return None

    def restore_extra(self, extra: dict[str, Any] | None) -> None:
        """Take back the extra draft this computer kept (a team has none)."""

    def draft_key(self, authored: Decisions) -> str:
        """The key of the draft as the host sees it: the decisions and a seat's extra draft
        (a change to either is checked and kept anew)."""
        key = decisions_key(authored)
        extra = self.company_extra()
        if extra is None:
            return key
        text = key + json.dumps(extra, sort_keys=True, allow_nan=False)
        key = hashlib.sha256(text.encode()).hexdigest()[:32]
        with self._lock:
            if len(self._extras) >= ANSWERS_KEPT:
                self._extras.clear()
            self._extras[key] = extra
        return key

    def _extra_kw(self, key: str) -> dict[str, Any]:
        """The keyword a call about the draft ``key`` sends its extra draft in (none: {})."""
        with self._lock:
            extra = self._extras.get(key)
        return {} if extra is None else {"company": extra}

    # ------------------------------------------------------------------ the host's checks
    def engine_problems(self, decisions: Decisions) -> list[Problem]:
        """The host's check of the draft (the last answer while this one is on its way)."""
        return self._answer(decisions)[0]

    def engine_outlook(self, decisions: Decisions) -> Outlook:
        """The host's portfolio outlook of the draft (the last answer while this one is on
        its way)."""
        return self._answer(decisions)[1]

    def answered(self) -> bool:
        """True when the current draft's check has come back (or it cannot be asked: a draft
        that is not well formed is checked here)."""
        decisions, _ = self.decisions()
        if decisions is None:
            return True
        key = self.draft_key(self.map.to_team(decisions))
        with self._lock:
            return key in self._answers

    def _answer(self, decisions: Decisions) -> Answer:
        authored = self.map.to_team(decisions)
        key = self.draft_key(authored)
        with self._lock:
            found = self._answers.get(key)
            if found is not None:
                self._shown = found
                return found
            self._wanted = (key, authored)
            ask = self._asking is None and not self._failed_lately(key)
            shown = self._last or ([], EMPTY_OUTLOOK)
            self._shown = shown
        if ask:
            self._ask(key, authored)
        return shown

    def _failed_lately(self, key: str) -> bool:
        failed = self._failed
        return failed is not None and failed[0] == key and time.monotonic() - failed[1] < RETRY_S

    def _ask(self, key: str, authored: Decisions) -> None:
        """Start the one check in flight (its answer arrives in the link's thread)."""
        with self._lock:
            self._asking = key
        extra = self._extra_kw(key)
        future = self.link.call(lambda c: c.check(authored, **extra))
        future.add_done_callback(lambda f: self._answered(key, f))

    def _answered(self, key: str, future: concurrent.futures.Future[Any]) -> None:
        error: BaseException | None = None
        answer: Answer | None = None
        try:
            problems, outlook = future.result()
            answer = (list(problems), outlook or EMPTY_OUTLOOK)
        except BaseException as exc:  # shown in words; the next one retried
            error = exc
        nxt = None
        with self._lock:
            self._asking = None
            if answer is not None:
                if self.link.state == "lost":  # the host answers again: reconnect now
                    self.link.retry_now()
                if len(self._answers) >= ANSWERS_KEPT:
                    self._answers.clear()
                self._answers[key] = answer
                self._last = answer
                self.check_error = ""
                wanted = self._wanted
                if wanted is not None and wanted[0] == key and answer != self._shown:
                    self.revision += 1
            else:
                self._failed = (key, time.monotonic())
                self.check_error = remote_words(error or RuntimeError(), self.link.url)
            wanted = self._wanted
            if (
                wanted is not None
                and wanted[0] not in self._answers
                and not self._failed_lately(wanted[0])
            ):
                nxt = wanted
        if nxt is not None:
            self._ask(*nxt)

    def prime(self) -> None:
        """Ask the host about the draft as it is now, unless it has answered already (the
        hub opens, and Hand in confirms, once it has)."""
        decisions, _ = self.decisions()
        if decisions is not None:
            authored = self.map.to_team(decisions)
            self._want(self.draft_key(authored), authored)

    def _want(self, key: str, authored: Decisions) -> None:
        """Make ``authored`` the draft to ask about; ask now unless a check is on its way
        (its answer starts the next) or this draft could not reach the host just now."""
        with self._lock:
            if key in self._answers:
                return
            self._wanted = (key, authored)
            ask = self._asking is None and not self._failed_lately(key)
        if ask:
            self._ask(key, authored)

    def ask_again(self) -> None:
        """Forget the host's answers and ask about the draft again: what the check depends
        on besides the draft changed (another seat of the company handed in)."""
        with self._lock:
            self._answers.clear()
        self.prime()

    def check_failed(self) -> bool:
        """True when the current draft's check could not reach the host lately."""
        decisions, _ = self.decisions()
        if decisions is None:
            return False
        key = self.draft_key(self.map.to_team(decisions))
        with self._lock:
            return self._failed_lately(key)

    # ------------------------------------------------------------------ the preview
    def preview(self, draft: Decisions) -> Preview | None:
        """The host's preview of ``draft``'s prices and marketing (blocks: call it from a
        background job). None with :attr:`no_preview` saying why when the host cannot be
        asked; ``ValueError`` in words when the host refuses the prices or marketing."""
        from engine.decision_check import parse

        decisions, shape = parse(draft)
        if decisions is None:
            raise ValueError(str(shape[0]) if shape else phrase("ws_errors.draft_not_well_formed"))
        authored = self.map.to_team(decisions)
        key = (self.quarter, decisions_key(authored))
        with self._lock:
            if key in self._previews:
                return self._previews[key]
        try:
            found = self.link.call(lambda c: c.preview(authored)).result(PREVIEW_TIMEOUT_S)
        except ValueError:
            raise
        except Exception as exc:  # unreachable or refused: said where the preview would be
            self.no_preview = t("ws_join.no_preview_because", why=remote_words(exc, self.link.url))
            return None
        with self._lock:
            if len(self._previews) >= self.PREVIEWS_KEPT:
                self._previews.clear()
            if found is not None:
                self._previews[key] = found
        return found  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ keeping the draft
    def poll(self, now: float | None = None) -> None:
        """Each frame: keep the draft (this computer, then the host) once it rests; retry a
        check that could not reach the host. Never blocks."""
        now = time.monotonic() if now is None else now
        seen = self.draft.model_dump_json(exclude_unset=True) + json.dumps(
            self.company_extra(), sort_keys=True, allow_nan=False
        )
        if seen != self._seen:
            self._seen, self._changed_at = seen, now
            decisions, _ = self.decisions()
            self._authored = None  # not well formed: nothing is kept or asked until it is
            if decisions is not None:
                authored = self.map.to_team(decisions)
                self._authored = (self.draft_key(authored), authored)
        if self._authored is None:
            return
        key, authored = self._authored
        resting = now - self._changed_at
        wanted = (key, key == self._pushed)
        writer = self._writer
        if wanted != self._written and resting >= SAVE_AFTER_S and (writer is None or writer.done):
            self._save(key, authored, wanted[1])
        pushing = self._pushing
        if (
            key != self._pushed
            and resting >= PUSH_AFTER_S
            and (pushing is None or pushing.done())
            and now - self._push_failed >= RETRY_S
        ):
            self._push(key, authored)
        if resting >= SAVE_AFTER_S:  # ask about a draft at rest before Hand in is pressed
            self._want(key, authored)

    def flush(self) -> None:
        """Keep the draft now, on this computer and on the host (leaving the hub)."""
        self._changed_at = -1e9
        self.poll()

    def _save(self, key: str, authored: Decisions, synced: bool) -> None:
        draft = LocalDraft(
            self.session_id,
            self.keeper,
            self.quarter,
            time.time(),
            synced,
            wire.decisions_json(authored),
            self._extras.get(key),
        )
        self._written = (key, synced)
        self._writer = Job(lambda: write_local_draft(draft), name="draft-save")

    def _push(self, key: str, authored: Decisions) -> None:
        extra = self._extra_kw(key)
        future = self.link.call(lambda c: c.keep_draft(authored, **extra))
        self._pushing = future

        def done(f: concurrent.futures.Future[None]) -> None:
            try:
                f.result()
            except RemoteError as exc:
                if exc.unreachable:
                    self._push_failed = time.monotonic()
                else:  # refused (the round is closed): keeping it again would not help
                    self._pushed = key
                self.keep_error = remote_words(exc, self.link.url)
                return
            except BaseException as exc:  # retried; said in words
                self._push_failed = time.monotonic()
                self.keep_error = remote_words(exc, self.link.url)
                return
            self._pushed, self.keep_error = key, ""

        future.add_done_callback(done)

    # ------------------------------------------------------------------ hand in
    def hand_in(self) -> concurrent.futures.Future[tuple[int, list[str]]]:
        """Hand the draft in, in the background: (round, warnings) once the host has it on
        disk. The same decisions handed in again reuse one hand-in id until the host
        acknowledges them, so a retry is recorded once. Raises WorkshopError in words when
        the draft is not well formed (nothing is sent)."""
        authored = self.authored()
        key = self.draft_key(authored)
        extra = self._extra_kw(key)
        if self._receipt is None or self._receipt[0] != key:
            self._receipt = (key, new_receipt())
        receipt = self._receipt[1]

        async def send(c: Any) -> tuple[int, list[str]]:
            return await submit_until_acknowledged(
                c, lambda r: c.submit(authored, r, **extra), receipt=receipt
            )

        future = self.link.call(send)
        self._handing = (key, future)
        future.add_done_callback(lambda f: self.settle())
        return future

    @property
    def receipt(self) -> str | None:
        """The id of a hand-in not acknowledged yet (None: none pending)."""
        return self._receipt[1] if self._receipt is not None else None

    def settle(self) -> None:
        """Take in a hand-in the host acknowledged: its id is spent and the host's copy of
        the draft is the hand-in (safe to call more than once, from any thread)."""
        handing = self._handing
        if handing is None or not handing[1].done() or handing[1].cancelled():
            return
        if handing[1].exception() is not None:
            return
        self._handing = None
        if self._receipt is not None and self._receipt[0] == handing[0]:
            self._receipt = None
        self._pushed = handing[0]
        self.handed_in = True


def _parsed(data: Any) -> Decisions | None:
    from engine.decision_check import parse

    decisions, _ = parse(data)
    return decisions
