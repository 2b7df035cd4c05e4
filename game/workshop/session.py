"""A workshop session: teams, rounds and results over the durable decision log.

:class:`WorkshopSession` is what the facilitator screens and the ``crossroads workshop``
command both drive. The :class:`~game.workshop.store.WorkshopStore` file holds only inputs
(set-up, submissions, injected events, resolved rounds); every result is derived by
replaying them through the engine. Simulations are cached in memory, keyed by a digest of
the inputs of every resolved round, and the file is looked at before each read (a cheap
mark of its resolves and rewinds; the digests again whenever it moved), so a cache never
outlives the log it came from (another process, a rewind).

Modes (DESIGN §8): *shared* — one market where each team runs a clone of the player firm
(:func:`engine.teams.shared_market`); *parallel* — one simulation per team of the authored
scenario with the same seed, so results are comparable. Teams always use the scenario's own
ids in their decisions.

A team that has not submitted when the facilitator resolves with ``keep_course=True`` keeps
its course: :func:`engine.decisions.carry_forward` of its last decisions, the same rule that
starts a solo player's next quarter (standing choices kept, one-off ones cleared, shipped
items and decided bets dropped); before its first submission it keeps the starting prices
and marketing with no roadmap.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from engine.company_mode import (
    CpoTurn,
    Line,
    PmTurn,
    Seat,
    SeatTurns,
    combine,
    conversation,
    scorecards,
    seat_belief,
    seat_view,
    seats,
    studies_run,
)
from engine.decision_check import Problem, in_words, parse
from engine.decisions import Decisions, carry_forward
from engine.kpis import LEADERBOARD
from engine.loader import ScenarioError, load_scenario_text
from engine.report import TurnReport
from engine.scenario import Scenario
from engine.simulation import Simulation
from engine.teams import TeamMap, shared_market, team_ids
from engine.view import FirmView
from game.workshop.company_seats import (
    CompanyLog,
    CompanyPart,
    CompanyRound,
    SharedStudy,
    hand_in_payload,
    key_words,
    part_flags,
    read_extra,
    seat_decisions,
    seat_key,
    split_key,
    turn_of,
)
from game.workshop.store import (
    COACH_LEVELS,
    DuplicateReceipt,
    Mode,
    RoundChanged,
    SessionInfo,
    StoreError,
    WorkshopStore,
    new_session_id,
)
from game.workshop.words import phrase, whose

MIN_TEAMS, MAX_TEAMS = 2, 12
MAX_TEAM_NAME = 40
MAX_TIMER_S = 24 * 3600  # a suggested time per round of at most a day
MAX_SEED = 2**63 - 1
SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
RESOLVE_ATTEMPTS = 3
"""How often ``resolve`` plays a round again when input arrives while it is being played."""
LEADERBOARD_KPIS = LEADERBOARD


def max_resolution() -> int:
    """The most synthetic customers per segment a session may ask for (the scenario bound)."""
    from engine.scenario import Segment

    bounds = [getattr(m, "le", None) for m in Segment.model_fields["resolution"].metadata]
    return min((b for b in bounds if b is not None), default=2_000_000)


class WorkshopError(Exception):
    """Something a facilitator asked for that cannot be done; ``problems`` lists why."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        text = message + "".join(f"\n  - {p}" for p in self.problems)
        super().__init__(text)
        self.message = message


def workshops_dir() -> Path:
    """Folder of the session files (one SQLite file per session)."""
    from game.paths import user_data_dir

    path = user_data_dir() / "workshops"
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_session_id(session_id: str) -> str:
    """``session_id`` if it is a session id (letters, digits, ``-`` and ``_``), else refuse.

    A session id is a file name inside the workshop folder, never a path.
    """
    if not isinstance(session_id, str) or not SESSION_ID.fullmatch(session_id):
        shown = repr(session_id)[:70]
        raise WorkshopError(phrase("ws_errors.not_session_id", id=shown))
    return session_id


def session_path(session_id: str, folder: Path | None = None) -> Path:
    """File of the session ``session_id`` (refused unless it is a valid session id)."""
    return (folder or workshops_dir()) / f"{check_session_id(session_id)}.sqlite"


@dataclass(frozen=True)
class SessionSummary:
    """One line of the session list."""

    id: str
    scenario_id: str
    mode: str
    role: str
    teams: list[str]
    resolved: int
    rounds: int
    path: Path
    company: bool = False  # teams are companies (a CPO seat and one PM seat per line)


@dataclass(frozen=True)
class TeamView:
    """What one team may see at the keyboard: its own firm, never another team's inside."""

    team: str
    round: int
    rounds: int
    submitted: bool
    firm: FirmView  # history filtered to public results plus this team's organisation
    products: Mapping[str, str]  # authored product id -> id in this team's market
    scorecard: dict[str, Any]
    decisions: Decisions | None  # this round's submission (authored ids), if any


@dataclass(frozen=True)
class Resolution:
    """What resolving a round did: the reports per team world and who kept course."""

    round: int
    kept_course: list[str]
    reports: dict[str, TurnReport]  # per team (the same report for every team when shared)


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, allow_nan=False).encode()).hexdigest()


class Worlds:
    """The simulations of a session at some resolved round, with the inputs that built them.

    ``sims[team]`` is the team's market (one shared simulation, or one per team) and
    ``maps[team]`` its :class:`~engine.teams.TeamMap`; treat both as read-only.
    """

    def __init__(self, session: WorkshopSession) -> None:
        s = session
        self.digests: list[str] = []
        self.last: dict[str, Decisions] = {}  # effective decisions per team, authored ids
        self.played: list[dict[str, Decisions]] = []  # the same, per resolved round
        self.boards: list[list[dict[str, Any]]] = []  # the leaderboard before each round
        self.standing: list[dict[str, Any]] | None = None  # the leaderboard now (a cache)
        self.company: dict[str, CompanyLog] = {t: CompanyLog() for t in s.teams}  # seat turns
        if s.mode == "shared":
            market = shared_market(s.scenario, list(s.team_ids.values()), s.team_ids_names())
            sim = Simulation(market, seed=s.info.seed, role=s.info.role, resolution=s.resolution)
            self.sims = dict.fromkeys(s.teams, sim)
            self.maps = {t: TeamMap.of(s.scenario, s.team_ids[t]) for t in s.teams}
        else:
            self.sims = {
                t: Simulation(
                    s.scenario, seed=s.info.seed, role=s.info.role, resolution=s.resolution
                )
                for t in s.teams
            }
            self.maps = {t: TeamMap.identity(s.scenario) for t in s.teams}


class WorkshopSession:
    """One workshop: its store, its scenario and (cached) simulations derived from the log."""

    def __init__(self, store: WorkshopStore) -> None:
        self.store = store
        self.info: SessionInfo = store.info()
        try:
            from game.translation import language  # the author's text in the host's language

            self.scenario: Scenario = load_scenario_text(
                store.scenario_text(),
                f"{self.info.scenario_id} (session copy)",
                language=language(),
            )
        except ScenarioError as exc:
            raise WorkshopError(
                phrase("ws_errors.scenario_no_longer_loads", id=self.info.id),
                [str(p) for p in exc.problems],
            ) from exc
        self.teams: list[str] = list(self.info.teams)
        self.team_ids: dict[str, str] = dict(zip(self.teams, team_ids(self.teams), strict=True))
        self.company: bool = self.info.company
        firm = self.scenario.player_firms()[0]
        self.lines: dict[str, str] = {
            p.id: p.name for p in firm.products if "cpo" in p.roles and p.team is not None
        }
        """A company's product lines (authored id -> name): one PM seat each."""
        self._worlds: Worlds | None = None
        self._worlds_mark: tuple[int, int] | None = None  # the store's replay mark it matched

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def create(
        cls,
        scenario_text: str,
        *,
        teams: list[str],
        mode: Mode,
        role: str | None = None,
        seed: int | None = None,
        rounds: int | None = None,
        timer_s: int | None = None,
        resolution: int | None = None,
        coach: str = "none",
        source_name: str = "<scenario>",
        folder: Path | None = None,
        session_id: str | None = None,
        company: bool = False,
    ) -> WorkshopSession:
        """Check the set-up, write the new session file and open it.

        The scenario text is copied into the session, so later edits to the file do not
        change a running workshop. ``company``: every team is a company, a CPO seat and one
        PM seat per line, each with its own code (:mod:`game.workshop.company_seats`).
        """
        try:
            scenario = load_scenario_text(scenario_text, source_name)
        except ScenarioError as exc:
            raise WorkshopError(
                phrase("ws_errors.scenario_problems", name=source_name, count=len(exc.problems)),
                [str(p) for p in exc.problems],
            ) from exc
        problems = _setup_problems(scenario, teams, mode, role, seed, rounds, timer_s, resolution)
        if company:
            problems += _company_problems(scenario, role)
            role = "cpo"
        if coach not in COACH_LEVELS:
            problems.append(
                phrase("ws_errors.coach_level", levels=", ".join(COACH_LEVELS), value=_shown(coach))
            )
        if problems:
            raise WorkshopError(phrase("ws_errors.cannot_create"), problems)
        info = SessionInfo(
            id=session_id or new_session_id(),
            scenario_id=scenario.id,
            scenario_hash=hashlib.sha256(scenario_text.encode()).hexdigest(),
            mode=mode,
            role=role or ("pm" if "pm" in scenario.roles else scenario.roles[0]),
            seed=scenario.seed if seed is None else seed,
            rounds=rounds or scenario.quarters,
            teams=[t.strip() for t in teams],
            timer_s=timer_s,
            resolution=resolution,
            coach=coach,
            company=company,
        )
        path = session_path(info.id, folder)
        try:
            store = WorkshopStore.create(path, info, scenario_text)
        except StoreError as exc:
            raise WorkshopError(str(exc)) from exc
        return cls(store)

    @classmethod
    def open(cls, session_id: str, folder: Path | None = None) -> WorkshopSession:
        """Open (resume) the session ``session_id``."""
        path = session_path(session_id, folder)
        if not path.exists() and not path.is_symlink():
            known = ", ".join(s.id for s in list_sessions(folder))
            raise WorkshopError(
                phrase("ws_errors.no_session", id=session_id, known=known)
                if known
                else phrase("ws_errors.no_session_none", id=session_id)
            )
        try:
            return cls(WorkshopStore(path))
        except StoreError as exc:
            raise WorkshopError(str(exc)) from exc

    def close(self) -> None:
        """Close the session file."""
        self.store.close()

    # ------------------------------------------------------------------ state
    @property
    def id(self) -> str:
        """The session id."""
        return self.info.id

    @property
    def mode(self) -> Mode:
        """'shared' or 'parallel'."""
        return self.info.mode

    @property
    def resolution(self) -> int | None:
        """Synthetic customers per segment used by this session (None: the scenario's)."""
        return self.info.resolution

    @property
    def current_round(self) -> int:
        """The round teams submit for now (``rounds + 1`` once the session is over)."""
        return self.store.current_round()

    @property
    def resolved(self) -> int:
        """Rounds resolved so far."""
        return self.store.resolved_rounds()

    @property
    def finished(self) -> bool:
        """True once every round has been resolved."""
        return self.resolved >= self.info.rounds

    def team_ids_names(self) -> dict[str, str]:
        """Display name per team id."""
        return {tid: name for name, tid in self.team_ids.items()}

    def team(self, name: str) -> str:
        """The team called ``name`` (exact, then case-insensitive, then by team id)."""
        if name in self.teams:
            return name
        for t in self.teams:
            if t.casefold() == name.strip().casefold() or self.team_ids[t] == name:
                return t
        raise WorkshopError(
            phrase("ws_errors.unknown_team", name=name, teams=", ".join(self.teams))
        )

    def submitted(self) -> dict[str, bool]:
        """Per team, whether it has submitted for the open round (a company: every seat)."""
        if self.company:
            return {t: all(seats.values()) for t, seats in self.seat_status().items()}
        subs = self.store.submissions(self.current_round)
        return {t: t in subs for t in self.teams}

    def waiting_for(self) -> list[str]:
        """Teams that have not submitted for the open round."""
        return [t for t, done in self.submitted().items() if not done]

    def decisions(self, round_: int) -> dict[str, Decisions]:
        """The submitted decisions of a round per team (authored ids); a company's are its
        handed-in seats' turns combined (a CPO who has not handed in: no portfolio change)."""
        if self.company:
            return {
                t: combine(self.scenario, _cpo(turns), _pms(turns))[0]
                for t, turns in self.seat_turns(round_).items()
            }
        return {
            t: Decisions.model_validate(s.decisions)
            for t, s in self.store.submissions(round_).items()
        }

    # ------------------------------------------------------------------ replay
    def _round_digest(self, round_: int) -> str:
        if self.company:
            subs = {
                f"{t}/{seat}": hand_in_payload(seat, turn)
                for t, turns in self.seat_turns(round_).items()
                for seat, turn in turns.items()
            }
        else:
            subs = {t: sub.decisions for t, sub in self.store.submissions(round_).items()}
        return _digest(
            {
                "subs": {t: subs[t] for t in sorted(subs)},
                "injects": self.store.injects(round_),
            }
        )

    def worlds(self) -> Worlds:
        """The simulations at the last resolved round: the cache if the log still matches it,
        else replayed (only the missing rounds when the log merely grew).

        While the file's :meth:`~WorkshopStore.replay_mark` (every resolve and rewind moves
        it) is the one the cache last matched, the resolved rounds have not changed and their
        digests are not read again."""
        mark = self.store.replay_mark()
        w = self._worlds
        if w is not None and mark == self._worlds_mark:
            return w
        self._worlds = None  # until it is known to match the log again
        resolved = self.resolved
        digests = [self._round_digest(r) for r in range(1, resolved + 1)]
        if w is None or w.digests != digests[: len(w.digests)]:
            w = Worlds(self)
        for r in range(len(w.digests) + 1, resolved + 1):
            self._play(w, r)
            w.digests.append(digests[r - 1])
        self._worlds, self._worlds_mark = w, mark
        return w

    def replay(self) -> Worlds:
        """Rebuild every simulation from the log, ignoring any cache."""
        self._worlds = None
        return self.worlds()

    def _effective(
        self, w: Worlds, round_: int
    ) -> tuple[dict[str, Decisions], list[str], dict[str, CompanyRound]]:
        """Each team's decisions for ``round_`` (its submission, or keep-course), who kept
        course, and each company's seat turns as played."""
        if self.company:
            return self._company_effective(w, round_)
        subs = self.decisions(round_)
        out, kept = {}, []
        for t in self.teams:
            if t in subs:
                out[t] = subs[t]
            else:
                out[t] = self._keep_course(w, t)
                kept.append(t)
        return out, kept, {}

    def _keep_course(self, w: Worlds, team: str) -> Decisions:
        dec = self._carried(w, team)
        sim, m = w.sims[team], w.maps[team]
        if any(p.severity == "error" for p in sim.problems(m.firm, m.to_market(dec))):
            return Decisions()
        return dec

    def _carried(self, w: Worlds, team: str) -> Decisions:
        """The team's last played decisions carried forward (authored ids; the solo rule);
        a company's CPO carries the CPO's own decisions (the PMs' are theirs)."""
        sim, m = w.sims[team], w.maps[team]
        book = sim.company.books[m.firm]
        last = w.last.get(team)
        if self.company:
            cpo = w.company[team].last_cpo()
            last = cpo.decisions if cpo is not None else None
        return carry_forward(
            last,
            lines={m.local_id(line) for line in book.lines},
            shipped={m.local_id(i) for i in book.roadmap.shipped_ids()},
            resolved_bets=set(book.bets.resolved),
        )

    def next_draft(self, team: str) -> Decisions:
        """Where a team's decisions for the open round start (authored ids): its hand-in for
        this round if it made one, else last round's standing choices (:func:`carry_forward`).
        """
        team = self.team(team)
        if self.company:
            return self.seat_draft(team, "cpo")[0]
        own = self.store.submissions(self.current_round).get(team)
        if own is not None:
            return Decisions.model_validate(own.decisions)
        return self._carried(self.worlds(), team)

    def kept_draft(self, team: str) -> Decisions | None:
        """The unfinished draft a team's client kept on the host for the open round, if any."""
        kept = self.store.draft(self.team(team), self.current_round)
        if kept is None:
            return None
        parsed, _ = parse(kept)
        return parsed

    def _play(self, w: Worlds, round_: int) -> Resolution:
        decisions, kept, company_rounds = self._effective(w, round_)
        w.boards.append(self._standing(w))  # where the teams stood before it
        w.standing = None  # the worlds move on
        injects = self.store.injects(round_)
        reports: dict[str, TurnReport] = {}
        if self.mode == "shared":
            sim = w.sims[self.teams[0]]
            report = sim.step(
                {w.maps[t].firm: w.maps[t].to_market(d) for t, d in decisions.items()},
                inject=injects,
            )
            reports = dict.fromkeys(self.teams, report)
        else:
            for t, d in decisions.items():
                m = w.maps[t]
                reports[t] = w.sims[t].step({m.firm: m.to_market(d)}, inject=injects)
        w.last.update(decisions)
        w.played.append(decisions)
        for team, played in company_rounds.items():
            w.company[team].rounds.append(played)
        return Resolution(round_, kept, reports)

    # ------------------------------------------------------------------ company seats
    def seat_ids(self) -> list[str]:
        """A company's seats: ``cpo``, then ``pm:<line>`` per line (authored ids)."""
        return [s.id for s in seats(self.lines)]

    def seat_keys(self) -> list[str]:
        """The key of every seat of every company (each has its own join code)."""
        return [seat_key(t, s) for t in self.teams for s in self.seat_ids()]

    def _seat(self, team: str, seat: str) -> tuple[str, Seat]:
        """(team, seat) checked: a company session, a known team, a seat at its table."""
        if not self.company:
            raise WorkshopError(phrase("ws_errors.not_company"))
        team = self.team(team)
        try:
            return team, Seat.parse(seat, list(self.lines))
        except ValueError as exc:
            raise WorkshopError(phrase("ws_errors.no_such_seat", reason=str(exc))) from None

    def seat_turns(self, round_: int) -> dict[str, dict[str, CpoTurn | PmTurn]]:
        """Per company, each seat's latest hand-in for ``round_`` (a resubmission replaces)."""
        out: dict[str, dict[str, CpoTurn | PmTurn]] = {}
        for sub in self.store.all_submissions(round_):
            seat_id = sub.decisions.get("seat") if isinstance(sub.decisions, dict) else None
            try:
                seat = Seat.parse(str(seat_id), list(self.lines))
                out.setdefault(sub.team, {})[seat.id] = turn_of(seat, sub.decisions)
            except ValueError as exc:
                raise WorkshopError(
                    phrase("ws_errors.seat_turn_damaged", team=sub.team, reason=str(exc)[:200])
                ) from None
        return out

    def seat_status(self) -> dict[str, dict[str, bool]]:
        """Per company, per seat: handed in for the open round? (A sunset line's PM has
        nothing to hand in and counts as handed in.)"""
        turns = self.seat_turns(self.current_round) if not self.finished else {}
        live = self._live_lines(self.worlds()) if not self.finished else {}
        return {
            t: {
                s: s in turns.get(t, {}) or (s != "cpo" and s[3:] not in live.get(t, set()))
                for s in self.seat_ids()
            }
            for t in self.teams
        }

    def _live_lines(self, w: Worlds) -> dict[str, set[str]]:
        """Per company, the lines it still runs (authored ids)."""
        out = {}
        for t in self.teams:
            sim, m = w.sims[t], w.maps[t]
            out[t] = {m.local_id(line) for line in sim.company.books[m.firm].lines}
        return out

    def _company_effective(
        self, w: Worlds, round_: int
    ) -> tuple[dict[str, Decisions], list[str], dict[str, CompanyRound]]:
        """Each company's decisions: its seats' turns combined; a CPO who did not hand in
        keeps course (the CPO's own last decisions and direction), a line whose PM did not
        hand in is its AI PM's."""
        turns = self.seat_turns(round_)
        live = self._live_lines(w)
        out: dict[str, Decisions] = {}
        kept: list[str] = []
        played: dict[str, CompanyRound] = {}
        for t in self.teams:
            mine = turns.get(t, {})
            cpo = mine.get("cpo")
            if not isinstance(cpo, CpoTurn):
                last = w.company[t].last_cpo()
                cpo = CpoTurn(
                    decisions=self._keep_course(w, t),
                    direction=dict(last.direction) if last is not None else {},
                )
            pms = {line: turn for line, turn in _pms(mine).items() if line in live[t]}
            missing = [
                s for s in self.seat_ids() if s not in mine and (s == "cpo" or s[3:] in live[t])
            ]
            kept += [key_words(seat_key(t, s), self.lines) for s in missing]
            out[t], flags = combine(self.scenario, cpo, pms)
            played[t] = CompanyRound(cpo, pms, flags, missing)
        return out, kept, played

    def company_log(self, team: str) -> CompanyLog:
        """A company's resolved rounds as its seats played them."""
        return self.worlds().company[self.team(team)]

    def company_record(
        self, team: str
    ) -> tuple[Scenario, dict[str, Any], list[TurnReport], list[SeatTurns]]:
        """A company's game so far for its scorecards and its conversation, in its market's
        ids: (the market, the company's scorecard, its private reports from quarter 0, each
        resolved round's seat turns with that round's report)."""
        team = self.team(team)
        w = self.worlds()
        sim, m = w.sims[team], w.maps[team]
        history = [_private(r, m.firm) for r in sim.history]
        turns = [
            SeatTurns(
                cpo=CpoTurn(
                    decisions=m.to_market(r.cpo.decisions),
                    direction={m.products.get(k, k): v for k, v in r.cpo.direction.items()},
                ),
                pms={
                    m.products.get(line, line): PmTurn(
                        decision=next(
                            iter(
                                m.to_market(
                                    Decisions(products={line: t.decision})
                                ).products.values()
                            )
                        ),
                        share=t.share,
                    )
                    for line, t in r.pms.items()
                },
                flags=[replace(f, line=m.products.get(f.line, f.line)) for f in r.flags],
                report=history[i + 1],
            )
            for i, r in enumerate(w.company[team].rounds)
        ]
        return sim.scenario, sim.scorecard(m.firm), history, turns

    def company_scorecards(self, team: str) -> dict[str, Any]:
        """A company's scorecard and each seat's (:func:`engine.company_mode.scorecards`)."""
        return scorecards(*self.company_record(team))

    def company_conversation(self, team: str) -> list[Line]:
        """A company's rounds as a conversation between its seats (for the debrief)."""
        scenario, _, history, turns = self.company_record(team)
        return conversation(scenario, history, turns)

    def seat_draft(self, team: str, seat: str) -> tuple[Decisions, dict[str, Any]]:
        """Where a seat's turn for the open round starts (authored ids): its hand-in, else the
        draft its client kept on the host, else last round's standing choices; with the
        seat's extra (the CPO's direction, a PM's share)."""
        team, s = self._seat(team, seat)
        w = self.worlds()
        own = self.seat_turns(self.current_round).get(team, {}).get(s.id)
        if isinstance(own, CpoTurn):
            return own.decisions, {"direction": _dump(own.direction)}
        if isinstance(own, PmTurn):
            kept_share = own.share.model_dump(mode="json") if own.share else None
            return Decisions(products={s.line or "": own.decision}), {"share": kept_share}
        kept = self.store.draft(seat_key(team, s.id), self.current_round)
        if isinstance(kept, dict):
            parsed, _ = parse(kept.get("decisions", {}))
            try:
                extra = read_extra(s, kept.get("company"))
            except ValueError:
                extra = None
            if parsed is not None and extra is not None:
                return seat_decisions(s, parsed), extra.model_dump(mode="json", exclude_none=True)
        log = w.company[team]
        if s.role == "cpo":
            last = log.last_cpo()
            return self._carried(w, team), {
                "direction": _dump(last.direction) if last is not None else {}
            }
        line = s.line or ""
        turn = log.last_pm(line)
        sim, m = w.sims[team], w.maps[team]
        book = sim.company.books[m.firm]
        draft = carry_forward(
            Decisions(products={line: turn.decision}) if turn is not None else None,
            lines={line},
            shipped={m.local_id(i) for i in book.roadmap.shipped_ids()},
            resolved_bets=(),
        )
        return draft, {}

    def _turn(self, s: Seat, decisions: Decisions, extra: Mapping[str, Any] | None) -> Any:
        """A seat's turn from its decisions (a PM: its line only) and its extra."""
        checked = read_extra(s, extra)
        if s.role == "cpo":
            assert hasattr(checked, "direction")
            direction = {k: v for k, v in checked.direction.items() if k in self.lines}
            return CpoTurn(decisions=decisions, direction=direction)
        line = s.line or ""
        decision = decisions.products.get(line)
        share = getattr(checked, "share", None)
        turn = PmTurn(share=share) if decision is None else PmTurn(decision=decision, share=share)
        return turn

    def _standing_turn(self, team: str, seat: str) -> Any:
        """A seat's turn as it stands for the open round: handed in, or its draft."""
        decisions, extra = self.seat_draft(team, seat)
        return self._turn(Seat.parse(seat, list(self.lines)), decisions, extra)

    def seat_problems(
        self,
        team: str,
        seat: str,
        decisions: Decisions | Mapping[str, Any],
        extra: Mapping[str, Any] | None = None,
    ) -> list[Problem]:
        """The engine's check of a seat's decisions as they will be played (a PM: only its
        line's problems; what it leaves unset is the AI PM's), and the company's flags
        against the other seats' turns as they stand, as warnings (``where="company"``).
        In market ids, as the desks show them."""
        team, s = self._seat(team, seat)
        parsed = seat_decisions(s, self._well_formed(decisions, phrase("ws_errors.the_decisions")))
        try:
            turn = self._turn(s, parsed, extra)
        except ValueError as exc:
            raise WorkshopError(phrase("ws_errors.seat_extra", reason=str(exc)[:300])) from None
        w = self.worlds()
        sim, m = w.sims[team], w.maps[team]
        market = m.to_market(parsed)
        if s.role == "cpo":
            found = sim.problems(m.firm, market)
            pms = {
                line: t
                for line, t in _pms(self.seat_turns(self.current_round).get(team, {})).items()
            }
            flags = combine(self.scenario, turn, pms)[1]
        else:
            mine = f"products.{m.products.get(s.line or '', s.line)}"
            found = [
                p
                for p in sim.problems(m.firm, sim.as_played(m.firm, market))
                if p.where == mine or p.where.startswith(f"{mine}.")
            ]
            cpo = self._standing_turn(team, "cpo")
            flags = combine(self.scenario, cpo, {s.line or "": turn})[1]
        return [*found, *(Problem("company", f.text, "warning") for f in flags)]

    def submit_seat(
        self,
        team: str,
        seat: str,
        decisions: Decisions | Mapping[str, Any],
        extra: Mapping[str, Any] | None = None,
        receipt_id: str | None = None,
    ) -> list[str]:
        """Check and durably record a seat's turn for the open round; returns the warnings
        (the flags among them). Nothing is written when there is any error; a retry under
        the same ``receipt_id`` is acknowledged again and recorded once."""
        body = {"decisions": decisions, "company": extra}
        found = self.submit_many([(seat_key(team, seat), body, receipt_id)])[0]
        if isinstance(found, Exception):
            raise found
        return found

    def keep_seat_draft(
        self,
        team: str,
        seat: str,
        decisions: Decisions | Mapping[str, Any],
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Keep a seat's unfinished turn on the host (well-formed ones only)."""
        team, s = self._seat(team, seat)
        well_formed = self._well_formed(decisions, phrase("ws_errors.draft_decisions"))
        parsed = seat_decisions(s, well_formed)
        try:
            checked = read_extra(s, extra)
        except ValueError as exc:
            raise WorkshopError(phrase("ws_errors.seat_extra", reason=str(exc)[:300])) from None
        payload = {
            "decisions": parsed.model_dump(mode="json", exclude_unset=True),
            "company": checked.model_dump(mode="json", exclude_none=True),
        }
        try:
            self.store.keep_draft(seat_key(team, s.id), self.current_round, payload)
        except StoreError as exc:
            raise WorkshopError(str(exc)) from exc

    def seat_view(self, team: str, seat: str) -> FirmView:
        """What a seat sees at its desk: the company's view (public results and its own
        organisation), a PM's line only, and only the research the seat may see."""
        team, s = self._seat(team, seat)
        w = self.worlds()
        sim, m = w.sims[team], w.maps[team]
        view = self.team_view(team).firm
        visible = w.company[team].visible(s, studies_run(sim.history, m.firm))
        belief = seat_belief(sim.scenario, m.firm, sim.history, visible)
        return seat_view(view, s, m.products.get(s.line or "", s.line or ""), belief, visible)

    def company_part(self, team: str, seat: str) -> CompanyPart:
        """The company part of a seat's package (see :class:`CompanyPart`)."""
        team, s = self._seat(team, seat)
        w = self.worlds()
        log = w.company[team]
        live = self._live_lines(w)[team]
        lines = {k: v for k, v in self.lines.items() if k in live}
        cpo = self._standing_turn(team, "cpo") if not self.finished else log.last_cpo()
        themes = dict(cpo.decisions.themes) if cpo is not None else {}
        direction = dict(cpo.direction) if cpo is not None else {}
        mine = (lambda line: True) if s.role == "cpo" else (lambda line: line == s.line)
        handed = self.seat_status().get(team, {})
        part = CompanyPart(
            seat=s.id,
            lines=lines,
            themes={k: v for k, v in themes.items() if mine(k)},
            direction={k: v for k, v in direction.items() if mine(k)},
            flags=part_flags(log.rounds[-1].flags if log.rounds else [], s),
            shared=[
                SharedStudy(**study.model_dump(), line=line)
                for study, line in log.shared()
                if mine(line)
            ],
            notes=[n for n in log.notes() if mine(n.line)],
            studies=log.studies(s.line or "") if s.role == "pm" else [],
            handed_in=handed,
        )
        if self.finished:
            return part
        if s.role == "pm":
            _, extra = self.seat_draft(team, s.id)
            share = extra.get("share")
            return part.model_copy(update={"share": None if share is None else _share(share)})
        handed_pms = _pms(self.seat_turns(self.current_round).get(team, {}))
        return part.model_copy(update={"pm_turns": handed_pms})

    # ------------------------------------------------------------------ actions
    def check(self, team: str, decisions: Decisions | Mapping[str, Any]) -> list[str]:
        """Every problem with a team's decisions for the open round; raises on errors.

        Returns the warnings (legal choices with a consequence, played as given). Raises
        :class:`WorkshopError` listing every error, in the team's own ids.
        """
        team = self.team(team)
        decisions = self._well_formed(
            decisions, phrase("ws_errors.decisions_of", whose=whose(team))
        )
        w = self.worlds()
        sim, m = w.sims[team], w.maps[team]
        found = sim.problems(m.firm, m.to_market(decisions))
        errors = [m.local_text(in_words(p, sim.scenario)) for p in found if p.severity == "error"]
        if errors:
            raise WorkshopError(
                phrase(
                    "ws_errors.decisions_problems",
                    whose=whose(team),
                    round=self.current_round,
                    count=len(errors),
                ),
                errors,
            )
        return [m.local_text(in_words(p, sim.scenario)) for p in found if p.severity == "warning"]

    def _well_formed(self, decisions: Decisions | Mapping[str, Any], what: str) -> Decisions:
        """``decisions`` as well-formed Decisions for the open round, or WorkshopError."""
        if self.finished:
            raise WorkshopError(phrase("ws_errors.session_ended", rounds=self.info.rounds))
        if isinstance(decisions, Decisions):
            return decisions
        parsed, shape = parse(decisions)
        if parsed is None:
            raise WorkshopError(
                phrase("ws_errors.not_well_formed", what=what), [str(p) for p in shape]
            )
        return parsed

    def submit(
        self,
        team: str,
        decisions: Decisions | Mapping[str, Any],
        receipt_id: str | None = None,
    ) -> list[str]:
        """Check and durably record a team's decisions for the open round; returns warnings.

        Nothing is written when there is any error. When this returns, the submission is on
        disk (one SQLite transaction). A resubmission replaces the team's earlier one. A
        hand-in sent again under the same ``receipt_id`` (a retry after a lost
        acknowledgement) is acknowledged again with the same warnings and recorded once.
        """
        hand_in = self._hand_in(team, decisions, receipt_id)
        if isinstance(hand_in, list):
            return hand_in  # a retry, acknowledged from its receipt
        try:
            self.store.submit(
                hand_in.team, self.current_round, hand_in.payload, hand_in.receipt, hand_in.key
            )
        except DuplicateReceipt:
            return self._acknowledged_again(hand_in)
        except StoreError as exc:
            raise WorkshopError(str(exc)) from exc
        return hand_in.warnings

    def submit_many(
        self, hand_ins: Sequence[tuple[str, Decisions | Mapping[str, Any], str | None]]
    ) -> list[list[str] | Exception]:
        """Several hand-ins ``(team, decisions, receipt_id)`` for the open round, each checked
        and answered as :meth:`submit` answers it (its warnings, or in its place the error
        ``submit`` would raise), written in one transaction: one sync to disk for all of them
        (a host receiving many at once). One refused leaves the others recorded; when this
        returns, every one answered with warnings is on disk."""
        found: list[list[str] | Exception] = []
        pending: list[tuple[int, _HandIn]] = []
        for i, (team, decisions, receipt_id) in enumerate(hand_ins):
            try:
                hand_in = self._hand_in(team, decisions, receipt_id)
            except Exception as exc:  # answered to this hand-in alone, as submit would raise
                found.append(exc)
                continue
            found.append(hand_in if isinstance(hand_in, list) else hand_in.warnings)
            if not isinstance(hand_in, list):
                pending.append((i, hand_in))
        if not pending:
            return found
        round_ = self.current_round
        try:
            refused: list[StoreError | None] = self.store.submit_many(
                [(h.team, round_, h.payload, h.receipt) for _, h in pending],
                [h.key for _, h in pending],
            )
        except StoreError as exc:
            refused = [exc] * len(pending)
        for (i, hand_in), problem in zip(pending, refused, strict=True):
            if isinstance(problem, DuplicateReceipt):
                try:
                    found[i] = self._acknowledged_again(hand_in)
                except WorkshopError as exc:
                    found[i] = exc
            elif problem is not None:
                error = WorkshopError(str(problem))
                error.__cause__ = problem
                found[i] = error
        return found

    def _hand_in(
        self, team: str, decisions: Decisions | Mapping[str, Any], receipt_id: str | None
    ) -> _HandIn | list[str]:
        """A checked hand-in ready to be written, or the warnings of one already recorded
        under ``receipt_id`` (a retry); raises WorkshopError as :meth:`submit` does. ``team``
        may be a company seat's key; its ``decisions`` are then ``{"decisions": ...,
        "company": ...}`` (:meth:`submit_seat`)."""
        name, seat = split_key(team)
        if seat is not None:
            name, s = self._seat(name, seat)
            key = seat_key(name, s.id)
        else:
            key = name = self.team(team)
            if self.company:
                raise WorkshopError(phrase("ws_errors.company_seat_needed", team=name))
        if receipt_id is not None:
            earlier = self.store.receipt(receipt_id)
            if earlier is not None:
                return self._acknowledged(key, receipt_id, earlier)
        if seat is not None:
            return self._seat_hand_in(name, s, decisions, receipt_id)
        warnings = self.check(name, decisions)
        if not isinstance(decisions, Decisions):
            decisions = Decisions.model_validate(decisions)
        payload = decisions.model_dump(mode="json", exclude_unset=True)
        receipt = None if receipt_id is None else (receipt_id, warnings)
        return _HandIn(name, payload, receipt, warnings, key)

    def _seat_hand_in(self, team: str, s: Seat, body: Any, receipt_id: str | None) -> _HandIn:
        """A company seat's checked hand-in (see :meth:`_hand_in`)."""
        if not isinstance(body, Mapping):
            raise WorkshopError(phrase("ws_errors.seat_extra", reason="not a mapping"))
        decisions, extra = body.get("decisions", {}), body.get("company")
        found = self.seat_problems(team, s.id, decisions, extra)
        w = self.worlds()
        sim, m = w.sims[team], w.maps[team]
        words = [p.message if p.where == "company" else in_words(p, sim.scenario) for p in found]
        errors = [
            m.local_text(w) for w, p in zip(words, found, strict=True) if p.severity == "error"
        ]
        if errors:
            raise WorkshopError(
                phrase(
                    "ws_errors.decisions_problems",
                    whose=key_words(seat_key(team, s.id), self.lines),
                    round=self.current_round,
                    count=len(errors),
                ),
                errors,
            )
        warnings = [
            m.local_text(w) for w, p in zip(words, found, strict=True) if p.severity == "warning"
        ]  # a flag is a sentence of its own (it names its line)
        parsed = seat_decisions(s, self._well_formed(decisions, phrase("ws_errors.the_decisions")))
        payload = hand_in_payload(s.id, self._turn(s, parsed, extra))
        receipt = None if receipt_id is None else (receipt_id, warnings)
        return _HandIn(team, payload, receipt, warnings, seat_key(team, s.id))

    def _acknowledged_again(self, hand_in: _HandIn) -> list[str]:
        """The answer to a hand-in whose id was recorded meanwhile (a retry that crossed)."""
        receipt_id = hand_in.receipt[0] if hand_in.receipt else ""
        earlier = self.store.receipt(receipt_id)
        assert earlier is not None
        return self._acknowledged(hand_in.key, receipt_id, earlier)

    @staticmethod
    def _acknowledged(team: str, receipt_id: str, earlier: tuple[str, int, list[str]]) -> list[str]:
        """The warnings of a hand-in already recorded under ``receipt_id`` (by ``team``)."""
        if earlier[0] != team:
            raise WorkshopError(phrase("ws_errors.receipt_other_team", id=receipt_id))
        return earlier[2]

    # ------------------------------------------------------------------ network workshop
    def join_codes(self) -> dict[str, str]:
        """Each team's join code (a company's: each seat's, under its seat key), and the
        facilitator's under the key ``""``."""
        try:
            return self.store.join_codes(self.seat_keys() if self.company else None)
        except StoreError as exc:
            raise WorkshopError(str(exc)) from exc

    def deadline(self) -> float | None:
        """When hand-in for the open round closes (epoch seconds), or None."""
        return None if self.finished else self.store.deadline(self.current_round)

    def deadline_passed(self, now: float | None = None) -> bool:
        """True when the open round has a deadline and it has passed."""
        at = self.deadline()
        return at is not None and (time.time() if now is None else now) > at

    def set_deadline(self, minutes: float | None) -> float | None:
        """Close hand-in for the open round ``minutes`` from now (None: no deadline).
        Returns when it closes."""
        if self.finished:
            raise WorkshopError(phrase("ws_errors.session_ended", rounds=self.info.rounds))
        if minutes is not None and not (
            isinstance(minutes, int | float) and math.isfinite(minutes) and 0 < minutes <= 24 * 60
        ):
            raise WorkshopError(phrase("ws_errors.deadline_range"))
        at = None if minutes is None else time.time() + minutes * 60
        try:
            self.store.set_deadline(self.current_round, at)
        except StoreError as exc:
            raise WorkshopError(str(exc)) from exc
        return at

    def keep_draft(self, team: str, decisions: Decisions | Mapping[str, Any]) -> None:
        """Keep a team's unfinished draft for the open round (authored ids) on the host, so a
        client that crashed finds it again. Only well-formed decisions are kept."""
        team = self.team(team)
        if self.company:
            raise WorkshopError(phrase("ws_errors.company_seat_needed", team=team))
        decisions = self._well_formed(decisions, phrase("ws_errors.draft_decisions"))
        payload = decisions.model_dump(mode="json", exclude_unset=True)
        try:
            self.store.keep_draft(team, self.current_round, payload)
        except StoreError as exc:
            raise WorkshopError(str(exc)) from exc

    def resolve(self, keep_course: bool = False) -> Resolution:
        """Play the open round for every team and record that it was resolved.

        Refuses while a team has not submitted, unless ``keep_course`` (see the module
        docstring). The round is played in memory first and marked resolved only if it
        played, so a refused round leaves the file as it was.
        """
        if self.finished:
            raise WorkshopError(phrase("ws_errors.session_ended", rounds=self.info.rounds))
        round_ = self.current_round
        waiting = self.waiting_for()
        if waiting and not keep_course and not self.deadline_passed():
            raise WorkshopError(
                phrase("ws_errors.round_waiting", round=round_, teams=", ".join(waiting))
            )
        for _ in range(RESOLVE_ATTEMPTS):
            w = self.worlds()
            digest = self._round_digest(round_)
            try:
                result = self._play(w, round_)
            except ValueError as exc:
                self._worlds = None
                raise WorkshopError(
                    phrase("ws_errors.round_not_played", round=round_, reason=str(exc))
                ) from exc
            try:
                # The round's inputs are read again under the write lock that closes it: a
                # submission or inject made while it was played means it is played again.
                self.store.mark_resolved(
                    round_, unchanged=lambda d=digest: self._round_digest(round_) == d
                )
            except RoundChanged:
                self._worlds = None
                continue
            except StoreError as exc:
                self._worlds = None
                raise WorkshopError(str(exc)) from exc
            w.digests.append(digest)
            return result
        raise WorkshopError(phrase("ws_errors.round_kept_changing", round=round_))

    def rewind(self) -> int:
        """Reopen the last resolved round; its results are replayed from the log."""
        try:
            round_ = self.store.rewind()
        except StoreError as exc:
            raise WorkshopError(str(exc)) from exc
        return round_

    def inject(self, event_id: str) -> None:
        """Queue an event from the scenario's inject deck for the open round."""
        deck = self.scenario.inject_deck
        if event_id not in deck:
            raise WorkshopError(
                phrase(
                    "ws_errors.not_in_deck",
                    event=event_id,
                    scenario=self.scenario.id,
                    deck=", ".join(deck) or phrase("ws_errors.empty"),
                )
            )
        if self.finished:
            raise WorkshopError(phrase("ws_errors.session_ended", rounds=self.info.rounds))
        self.store.inject(event_id)

    # ------------------------------------------------------------------ results
    def reports(self, team: str) -> list[TurnReport]:
        """Every quarter report of the team's market so far (quarter 0 first)."""
        return list(self.worlds().sims[self.team(team)].history)

    def firm(self, team: str) -> str:
        """The firm id a team runs in its market."""
        return self.worlds().maps[self.team(team)].firm

    def scorecard(self, team: str) -> dict[str, Any]:
        """The team's score, grade, objectives and competencies so far."""
        team = self.team(team)
        w = self.worlds()
        return w.sims[team].scorecard(w.maps[team].firm)

    def leaderboard(self, round_: int | None = None) -> list[dict[str, Any]]:
        """One row per team, best score first: rank, score, grade and the KPIs after ``round_``
        (default: the last resolved round; 0 is the start, before any round)."""
        w = self.worlds()
        if round_ is None or round_ >= self.resolved:
            return self._standing(w)
        if round_ < 0:
            raise WorkshopError(phrase("ws_errors.no_round", round=round_))
        return w.boards[round_]

    def _standing(self, w: Worlds) -> list[dict[str, Any]]:
        """The leaderboard of the worlds as they stand (computed once per round played: every
        team's package and status asks for it)."""
        if w.standing is None:
            w.standing = self._board(w, len(w.played))
        return [dict(row) for row in w.standing]

    def _board(self, w: Worlds, round_: int) -> list[dict[str, Any]]:
        """The leaderboard of the worlds as they stand (after ``round_`` rounds)."""
        rows = []
        for t in self.teams:
            sim, m = w.sims[t], w.maps[t]
            card = sim.scorecard(m.firm)
            book = sim.company.books[m.firm]
            kpis = book.kpis[-1] if book.kpis else {}
            fr = sim.history[-1].firms[m.firm]
            row: dict[str, Any] = {
                "team": t,
                "firm": m.firm,
                "round": round_,
                "score": card["score"],
                "grade": card["grade"],
                "objective_score": card["objective_score"],
            }
            for k in LEADERBOARD_KPIS:  # this quarter's result, or the book's running totals
                row[k] = getattr(fr, k) if hasattr(fr, k) else kpis.get(k, 0.0)
            rows.append(row)
        rows.sort(key=lambda r: (-r["score"], -r["cumulative_profit"], self.teams.index(r["team"])))
        for i, row in enumerate(rows):
            row["rank"] = i + 1
        return rows

    def team_view(self, team: str) -> TeamView:
        """Everything one team may see at the keyboard (hot-seat entry), and nothing more."""
        team = self.team(team)
        w = self.worlds()
        sim, m = w.sims[team], w.maps[team]
        view = sim.view(m.firm)
        view.history = [_private(r, m.firm) for r in view.history]
        round_ = self.current_round
        own = None if self.company else self.store.submissions(round_).get(team)
        return TeamView(
            team=team,
            round=round_,
            rounds=self.info.rounds,
            submitted=self.submitted()[team] if self.company else own is not None,
            firm=view,
            products=dict(m.products),
            scorecard=sim.scorecard(m.firm),
            decisions=Decisions.model_validate(own.decisions) if own else None,
        )

    def last_decisions(self, team: str) -> Decisions | None:
        """The decisions the team played in the last resolved round (authored ids)."""
        return self.worlds().last.get(self.team(team))

    def played(self, team: str) -> list[Decisions]:
        """The decisions the team played in each resolved round (keep-course included)."""
        team = self.team(team)
        return [round_[team] for round_ in self.worlds().played]

    def export(self) -> dict[str, Any]:
        """The human-readable export: the log plus the leaderboard derived from it."""
        data = self.store.export()
        data["leaderboard"] = self.leaderboard()
        data["team_ids"] = self.team_ids
        return data


@dataclass(frozen=True)
class _HandIn:
    """A checked hand-in, ready to be written (see :meth:`WorkshopSession.submit`)."""

    team: str
    payload: dict[str, Any]
    receipt: tuple[str, list[str]] | None
    warnings: list[str]
    key: str  # who handed in: the team, or a company seat's key


def _cpo(turns: Mapping[str, CpoTurn | PmTurn]) -> CpoTurn:
    """The CPO's turn among a company's hand-ins (none handed in: no portfolio change)."""
    cpo = turns.get("cpo")
    return cpo if isinstance(cpo, CpoTurn) else CpoTurn()


def _pms(turns: Mapping[str, CpoTurn | PmTurn]) -> dict[str, PmTurn]:
    """The PMs' turns among a company's hand-ins, by line."""
    return {k[3:]: v for k, v in turns.items() if isinstance(v, PmTurn)}


def _dump(direction: Mapping[str, Any]) -> dict[str, Any]:
    """Each line's direction as plain data."""
    return {k: v.model_dump(mode="json") for k, v in direction.items()}


def _share(data: Mapping[str, Any]) -> Any:
    """A share as the engine's model."""
    from engine.company_mode import Share

    return Share.model_validate(dict(data))


def _company_problems(scenario: Scenario, role: str | None) -> list[str]:
    """Why ``scenario`` cannot be played by companies (a CPO role with product lines)."""
    firms = scenario.player_firms()
    lines = [p for p in firms[0].products if "cpo" in p.roles and p.team] if firms else []
    if "cpo" not in scenario.roles or not lines:
        return [phrase("ws_errors.company_needs_cpo", scenario=scenario.id)]
    if role not in (None, "cpo"):
        return [phrase("ws_errors.company_role", role=role)]
    return []


def _private(report: TurnReport, firm: str) -> TurnReport:
    """A report with only public results and ``firm``'s own organisation, colleagues and
    explanations: another team's colleagues, requests, promises and what their reactions
    did (the ``people`` events) are that team's own business."""
    people = report.people.get(firm)
    mine = {c.id for c in people.colleagues} if people is not None else set()
    return replace(
        report,
        organisation={k: v for k, v in report.organisation.items() if k == firm},
        people={firm: people} if people is not None else {},
        events=[e for e in report.events if not private_event(e) or e.get("id") in mine],
        drivers=[d for d in report.drivers if d.firm == firm],
    )


def private_event(event: Mapping[str, Any]) -> bool:
    """True for an event-log entry only its firm may see: a colleague's reaction."""
    return event.get("source") == "people"


def _setup_problems(
    scenario: Scenario,
    teams: list[str],
    mode: str,
    role: str | None,
    seed: int | None,
    rounds: int | None,
    timer_s: int | None,
    resolution: int | None,
) -> list[str]:
    out = _team_problems(teams)
    if mode not in ("shared", "parallel"):
        out.append(phrase("ws_errors.bad_mode", mode=mode))
    if role is not None and role not in scenario.roles:
        out.append(
            phrase(
                "ws_errors.bad_role",
                scenario=scenario.id,
                role=role,
                roles=", ".join(scenario.roles),
            )
        )
    if len(scenario.player_firms()) != 1:
        out.append(phrase("ws_errors.one_player_firm", scenario=scenario.id))
    if seed is not None and not (_is_int(seed) and 0 <= seed <= MAX_SEED):
        out.append(phrase("ws_errors.bad_seed", top=MAX_SEED, value=_shown(seed)))
    if rounds is not None and not (_is_int(rounds) and 1 <= rounds <= scenario.quarters):
        out.append(phrase("ws_errors.bad_rounds", top=scenario.quarters, value=_shown(rounds)))
    if timer_s is not None and not (_is_int(timer_s) and 0 < timer_s <= MAX_TIMER_S):
        out.append(
            phrase(
                "ws_errors.bad_timer",
                hours=MAX_TIMER_S // 3600,
                seconds=MAX_TIMER_S,
                value=_shown(timer_s),
            )
        )
    top = max_resolution()
    if resolution is not None and not (_is_int(resolution) and 10 <= resolution <= top):
        out.append(phrase("ws_errors.bad_resolution", top=top, value=_shown(resolution)))
    return out


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value: object) -> str:
    if _is_int(value) and abs(value) >= 10**30:
        return phrase("ws_errors.huge_number")
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "..."


def _team_problems(teams: list[str]) -> list[str]:
    """Problems with the team names: 2-12 of them, printable, trimmed, different, short."""
    out = []
    if not isinstance(teams, list) or not all(isinstance(t, str) for t in teams):
        return [phrase("ws_errors.teams_list")]
    names = [t.strip() for t in teams]
    if not MIN_TEAMS <= len(names) <= MAX_TEAMS:
        out.append(phrase("ws_errors.teams_count", low=MIN_TEAMS, high=MAX_TEAMS, got=len(names)))
    if any(not n for n in names):
        out.append(phrase("ws_errors.team_empty"))
    if any(not n.isprintable() for n in names):
        out.append(phrase("ws_errors.team_printable"))
    if len({n.casefold() for n in names}) != len(names):
        out.append(phrase("ws_errors.team_different"))
    if any(len(n) > MAX_TEAM_NAME for n in names):
        out.append(phrase("ws_errors.team_length", most=MAX_TEAM_NAME))
    return out


def list_sessions(folder: Path | None = None) -> list[SessionSummary]:
    """Every readable session file, newest first (damaged ones are left out)."""
    return scan_sessions(folder)[0]


def scan_sessions(
    folder: Path | None = None,
) -> tuple[list[SessionSummary], list[tuple[str, str]]]:
    """Every readable session (newest first) and, per file that cannot be used, why.

    A damaged file never hides the others. A folder that cannot be read raises OSError
    (permission denied is not "no sessions yet").
    """
    folder = folder or workshops_dir()
    files = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".sqlite"):
                try:
                    files.append((entry.stat(follow_symlinks=False).st_mtime, Path(entry.path)))
                except OSError:
                    files.append((0.0, Path(entry.path)))
    out, damaged = [], []
    for _, path in sorted(files, key=lambda f: f[0], reverse=True):
        try:
            out.append(_summary(path))
        except StoreError as exc:
            damaged.append((path.name, str(exc)))
    return out, damaged


def _summary(path: Path) -> SessionSummary:
    store = WorkshopStore(path)
    try:
        info = store.info()
        return SessionSummary(
            info.id,
            info.scenario_id,
            info.mode,
            info.role,
            info.teams,
            store.resolved_rounds(),
            info.rounds,
            path,
            info.company,
        )
    finally:
        store.close()
