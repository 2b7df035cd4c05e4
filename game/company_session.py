"""Company mode (issue 20): one company at one table, a CPO seat and one PM seat per line.

A :class:`CompanySession` is the game of a company played in the engine's ``cpo`` role
(:mod:`engine.company_mode`): some seats are held by people (hot-seat on one machine, or one
person solo), every other seat by a bot (the CPO seat) or by the line's AI PM (a PM seat,
:data:`~engine.company_mode.AI`) or a named bot. It holds the one ``Simulation``, each
person's desk for the quarter (:mod:`game.company_desks`), the studies and notes the PMs
shared so far, the study orders played and the latest quarter's flags. When every person
has handed in, the quarter is combined (:func:`engine.company_mode.combine`) and played.

Bot seats decide when a quarter opens (their decision reads only the quarter's view and
their own random stream, so this is what :func:`engine.company_mode.play` decides too): a
person in a PM seat sees a bot CPO's themes before deciding. Nothing here computes a
simulation result.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, ValidationError

from engine.company_mode import (
    AI,
    CpoTurn,
    Direction,
    Flag,
    Line,
    PmTurn,
    Seat,
    SeatTurns,
    StudyRef,
    combine,
    conversation,
    pm_view,
    scorecards,
    seat_belief,
    seat_report,
    seat_view,
    seats,
    studies_run,
    visible_studies,
)
from engine.decisions import ProductDecision
from game.saves import (
    MAX_SEED,
    SaveError,
    company_autosave_path,
    first_error,
    quietly,
    read_document,
    write_atomic,
)
from game.session import ScenarioEntry
from game.translation import t

if TYPE_CHECKING:
    from engine.report import TurnReport
    from engine.research import Belief
    from engine.view import FirmView
    from game.company_desks import CpoDesk, SeatDesk

DEFAULT_CPO_BOT = "balanced"
"""The bot in the CPO seat when no person holds it."""
SAVE_FORMAT = "crossroads-company-save"
SAVE_VERSION = 1
NAME_MAX = 60
"""Characters of a person's name a company save may hold."""
SEATS_MAX = 21
"""Seats a company save may name (the CPO and up to 20 lines)."""

SeatId = Annotated[str, StringConstraints(min_length=3, max_length=80)]
LineId = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
BotName = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class _SaveModel(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class SavedQuarter(_SaveModel):
    """One played quarter in a company save: every seat's turn (people's and bots')."""

    cpo: CpoTurn
    pms: dict[LineId, PmTurn] = Field(default_factory=dict, max_length=SEATS_MAX)


class CompanySave(_SaveModel):
    """A company save file, every field bounded; what it names is checked against the
    scenario when it is loaded (:meth:`CompanySession.load`)."""

    format: Literal["crossroads-company-save"]
    version: Literal[1]
    scenario_path: str = Field(min_length=1, max_length=4096)
    scenario_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    seed: StrictInt = Field(ge=0, le=MAX_SEED)
    people: dict[SeatId, Name] = Field(min_length=1, max_length=SEATS_MAX)
    bots: dict[SeatId, BotName] = Field(default_factory=dict, max_length=SEATS_MAX)
    quarters: list[SavedQuarter] = Field(default_factory=list, max_length=99)


@dataclass(frozen=True)
class Note:
    """A PM's note to the CPO, as shared with the quarter's turn."""

    quarter: int
    line: str
    text: str


@dataclass
class PlayedQuarter:
    """One company quarter as played: every seat's turn (people's and bots'), the flags."""

    cpo: CpoTurn
    pms: dict[str, PmTurn]
    flags: list[Flag] = field(default_factory=list)


class CompanySession:
    """One company game: the simulation, the people's desks, what was shared, the log."""

    def __init__(
        self,
        entry: ScenarioEntry,
        seed: int,
        people: Mapping[str, str | None],
        bots: Mapping[str, str] | None = None,
    ) -> None:
        """``people``: the seat ids people hold, each with the person's name (None: the
        seat's own, e.g. the line's PM); ``bots``: a bot (or ``ai``) for other seats."""
        if entry.scenario is None:
            raise ValueError(f"{entry.path.name} is not a valid scenario")
        if "cpo" not in entry.scenario.roles:
            raise ValueError(t("company_ui.no_cpo_role", title=entry.scenario.title))
        from engine.bots import make_bot
        from engine.simulation import Simulation  # numpy-heavy: loaded when a game starts

        self.entry = entry
        self.scenario = entry.scenario
        self.seed = seed
        self.firm_id = self.scenario.player_firms()[0].id
        self.sim = Simulation(self.scenario, seed, role="cpo")
        self.sim.reset()
        self.lines: list[str] = list(self.sim.company.books[self.firm_id].lines)
        self.table: list[Seat] = seats(self.lines)
        ids = [s.id for s in self.table]
        for seat_id in people:
            Seat.parse(seat_id, self.lines)  # ValueError in words for a seat not at the table
        if not people:
            raise ValueError(t("company_ui.nobody"))
        self.people: dict[str, str] = {
            s: (people[s] or self.default_name(s)) for s in ids if s in people
        }
        chosen = dict(bots or {})
        self.bots: dict[str, str] = {
            s: chosen.get(s, DEFAULT_CPO_BOT if s == "cpo" else AI)
            for s in ids
            if s not in self.people
        }
        self._players = {
            s.id: make_bot(self.bots[s.id], self.sim.streams.generator("bots", 0, 1 + i))
            for i, s in enumerate(self.table)
            if self.bots.get(s.id, AI) != AI
        }
        self.shared: list[StudyRef] = []
        self.shared_from: dict[tuple[int, str, str], str] = {}  # each shared study's line
        self.notes: list[Note] = []
        self.orders: dict[int, dict[str, list[tuple[str, str]]]] = {}
        self.played: list[PlayedQuarter] = []
        self.reports: list[TurnReport] = []
        self.seen: dict[str, int] = {}  # per person: quarters whose results they have seen
        self._open_quarter()

    # ------------------------------------------------------------------ the table
    @property
    def quarter(self) -> int:
        """The quarter being decided (1-based)."""
        return len(self.played) + 1

    @property
    def finished(self) -> bool:
        """True once every quarter of the scenario has been played."""
        return len(self.played) >= self.scenario.quarters

    @property
    def flags(self) -> list[Flag]:
        """The latest played quarter's flags (both seats see them)."""
        return self.played[-1].flags if self.played else []

    def seat(self, seat_id: str) -> Seat:
        """The seat named ``seat_id``."""
        return Seat.parse(seat_id, self.lines)

    def default_name(self, seat_id: str) -> str:
        """Who sits in a seat when no name is given: the line's PM by first name, the CPO."""
        seat = self.seat(seat_id)
        if seat.role == "cpo":
            return t("company_ui.the_cpo")
        firm = self.scenario.player_firms()[0]
        team = next(p.team for p in firm.products if p.id == seat.line)
        name = team.pm.name if team is not None and team.pm is not None else ""
        return name.split()[0] if name else self.line_name(seat.line or "")

    def unnamed(self, seat_id: str) -> bool:
        """Is the person in the CPO seat known only as "the CPO" (no name given)?"""
        return seat_id == "cpo" and self.people.get(seat_id) == t("company_ui.the_cpo")

    def line_name(self, line: str) -> str:
        """A line's product name."""
        firm = self.scenario.player_firms()[0]
        return next((p.name for p in firm.products if p.id == line), line)

    def seat_title(self, seat_id: str) -> str:
        """The seat in words: "CPO", "PM of Quill Tutor"."""
        seat = self.seat(seat_id)
        if seat.role == "cpo":
            return t("company_ui.seat_cpo")
        return t("company_ui.seat_pm", line=self.line_name(seat.line or ""))

    def waiting(self) -> list[str]:
        """The seats whose person has not handed in this quarter, in table order."""
        return [s for s in self.people if s not in self.handed]

    def shared_by(self) -> list[tuple[StudyRef, str]]:
        """Every study shared so far, with the line whose PM shared it."""
        return [(s, self.shared_from[(s.quarter, s.method, s.segment)]) for s in self.shared]

    # ------------------------------------------------------------------ what a seat sees
    def view(self) -> FirmView:
        """The company's own view this quarter (every line, the firm's own belief)."""
        if self._view is None:
            self._view = self.sim.view(self.firm_id)
        return self._view

    def visible(self, seat_id: str) -> set[tuple[int, str, str]]:
        """(quarter, method, segment) of the studies ``seat_id`` may see."""
        ran = studies_run(self.sim.history, self.firm_id)
        return visible_studies(self.seat(seat_id), self.orders, self.shared, ran)

    def belief(self, seat_id: str) -> Belief:
        """What ``seat_id`` believes about the market: the prior and the studies it may see."""
        return seat_belief(self.scenario, self.firm_id, self.sim.history, self.visible(seat_id))

    def seat_view(self, seat_id: str) -> FirmView:
        """The firm view as ``seat_id`` sees it: a PM's line only, the seat's own belief in
        every line, and only the findings it may see in the quarter reports."""
        seat = self.seat(seat_id)
        return seat_view(
            self.view(), seat, seat.line or "", self.belief(seat_id), self.visible(seat_id)
        )

    def seat_report(self, seat_id: str, report: TurnReport) -> TurnReport:
        """``report`` with only the study findings ``seat_id`` may see."""
        return seat_report(report, self.firm_id, self.visible(seat_id))

    def direction_for(self, line: str) -> tuple[str | None, Direction]:
        """(theme, direction) the CPO gives ``line`` this quarter, as the CPO's turn stands."""
        turn = self.cpo_turn()
        return turn.decisions.themes.get(line), turn.direction.get(line, Direction())

    # ------------------------------------------------------------------ turns
    def desk(self, seat_id: str) -> SeatDesk:
        """The desk of a seat a person holds (KeyError for a bot's seat)."""
        return self._desks[seat_id]

    def cpo_desk(self) -> CpoDesk | None:
        """The CPO's desk when a person holds the CPO seat."""
        from game.company_desks import CpoDesk

        desk = self._desks.get("cpo")
        return desk if isinstance(desk, CpoDesk) else None

    def cpo_turn(self) -> CpoTurn:
        """The CPO's turn as it stands: the person's draft, or the bot's decision."""
        desk = self.cpo_desk()
        if desk is not None:
            return desk.turn()
        return self._bot_turns["cpo"]  # type: ignore[return-value]

    def pm_turns(self) -> dict[str, PmTurn]:
        """Each PM seat's turn as it stands (people's drafts, bots' decisions), by line; a
        line left to its AI PM has none."""
        from game.company_desks import PmDesk

        out: dict[str, PmTurn] = {}
        for seat in self.table[1:]:
            line = seat.line or ""
            if line not in self.view().organisation.lines:
                continue  # sunset: nobody plans it
            desk = self._desks.get(seat.id)
            if isinstance(desk, PmDesk):
                out[line] = desk.turn()
            elif seat.id in self._bot_turns:
                out[line] = self._bot_turns[seat.id]  # type: ignore[assignment]
        return out

    def hand_in(self, seat_id: str) -> TurnReport | None:
        """Hand in a person's turn; once every person has, the quarter is played (and the
        game autosaved) and its report returned (None while others are still deciding).
        ValueError in words when the draft has errors (nothing is handed in then)."""
        if self.finished:
            raise ValueError(t("company_ui.over"))
        desk = self.desk(seat_id)
        errors, _ = desk.problems()
        if errors:
            raise ValueError("; ".join(errors))
        self.handed.add(seat_id)
        if self.waiting():
            return None
        report = self._play()
        self.autosave_quietly()
        return report

    def _open_quarter(self) -> None:
        """A new quarter: fresh desks for the people, the bots' decisions made."""
        from game.company_desks import CpoDesk, PmDesk

        self._view: FirmView | None = None
        self.handed: set[str] = set()
        self._desks: dict[str, SeatDesk] = {}
        if self.finished:
            return
        view = self.view()
        self._bot_turns: dict[str, CpoTurn | PmTurn] = {}
        for seat in self.table:
            player = self._players.get(seat.id)
            if player is None:
                continue
            if seat.role == "cpo":
                self._bot_turns["cpo"] = CpoTurn(decisions=player.decide(view))
            elif seat.line in view.organisation.lines:
                line = seat.line or ""
                decided = player.decide(pm_view(view, line))
                self._bot_turns[seat.id] = PmTurn(
                    decision=decided.products.get(line, ProductDecision())
                )
        for seat in self.table:
            if seat.id not in self.people:
                continue
            if seat.role == "cpo":
                self._desks[seat.id] = CpoDesk(self)
            elif seat.line in view.organisation.lines:
                self._desks[seat.id] = PmDesk(self, seat.line or "")
            else:  # the line was sunset: its PM has nothing left to decide
                self.handed.add(seat.id)

    def _play(self, turns: PlayedQuarter | None = None) -> TurnReport:
        """Combine the seats' turns (``turns``: a saved quarter) and play the quarter."""
        if turns is None:
            turns = PlayedQuarter(self.cpo_turn(), self.pm_turns())
        decisions, flags = combine(self.scenario, turns.cpo, turns.pms)
        turns.flags = flags
        quarter = self.quarter
        report = self.sim.step({self.firm_id: decisions})
        self.orders[quarter] = {
            line: [(o.method, o.segment) for o in turn.decision.research]
            for line, turn in turns.pms.items()
        }
        for line, turn in turns.pms.items():
            if turn.share is None:
                continue
            for study in turn.share.studies:
                key = (study.quarter, study.method, study.segment)
                if key not in self.shared_from:
                    self.shared.append(study)
                    self.shared_from[key] = line
            if turn.share.note.strip():
                self.notes.append(Note(quarter, line, turn.share.note.strip()))
        self.played.append(turns)
        self.reports.append(report)
        self._open_quarter()
        return report

    # ------------------------------------------------------------------ the debrief
    def seat_turns(self) -> list[SeatTurns]:
        """Every played quarter as the engine's :class:`SeatTurns` (turns, flags, report)."""
        return [
            SeatTurns(q.cpo, q.pms, q.flags, report)
            for q, report in zip(self.played, self.reports, strict=True)
        ]

    def scorecards(self) -> dict[str, Any]:
        """The company's scorecard and each seat's part (:func:`engine.company_mode.scorecards`)."""
        card = self.sim.scorecard(self.firm_id)
        return scorecards(self.scenario, card, self.sim.history, self.seat_turns())

    def conversation(self) -> list[Line]:
        """The quarters as a conversation between seats (engine: ``conversation``)."""
        return conversation(self.scenario, self.sim.history, self.seat_turns())

    def who(self, seat_id: str) -> str:
        """Who sat in a seat: the person's name, the line's AI PM or a bot by name."""
        if seat_id in self.people:
            return self.people[seat_id]
        bot = self.bots.get(seat_id, AI)
        if bot == AI:
            return t("company_ui.debrief.ai_pm")
        from game.report_export import bot_label

        return t("company_ui.debrief.bot", bot=bot_label(bot))

    # ------------------------------------------------------------------ saves
    def save_data(self) -> dict[str, Any]:
        """The game as plain JSON data: scenario, seed, who sits where, each quarter's turns
        (a bot's turns too, so a save replays without the bots)."""
        return {
            "format": SAVE_FORMAT,
            "version": SAVE_VERSION,
            "scenario_path": str(self.entry.path.absolute()),
            "scenario_hash": self.entry.digest,
            "seed": self.seed,
            "people": self.people,
            "bots": self.bots,
            "quarters": [
                {
                    "cpo": q.cpo.model_dump(mode="json", exclude_unset=True),
                    "pms": {
                        k: v.model_dump(mode="json", exclude_unset=True) for k, v in q.pms.items()
                    },
                }
                for q in self.played
            ],
        }

    def save(self, path: Path | None = None) -> Path:
        """Write the game to ``path`` (default: the company autosave) atomically."""
        target = path or company_autosave_path()
        write_atomic(target, json.dumps(self.save_data(), indent=1, allow_nan=False))
        return target

    def autosave_quietly(self) -> str | None:
        """Autosave; returns a message instead of raising when the disk refuses."""
        return quietly(self.save)

    @classmethod
    def load(cls, path: Path | None = None) -> CompanySession:
        """Rebuild a saved company game (default: the autosave) by replaying its turns.

        Everything read is bounded (:class:`CompanySave`) and checked against the scenario:
        the seats must be at its table, the bots known, the quarters within its length. Any
        problem is a :class:`~game.saves.SaveError` in words; the file is never changed.
        """
        path = path or company_autosave_path()
        raw = read_document(path)
        if not isinstance(raw, dict) or raw.get("format") != SAVE_FORMAT:
            raise SaveError(t("company_ui.save_unreadable", name=path.name))
        try:
            saved = CompanySave.model_validate(raw)
        except ValidationError as exc:
            raise SaveError(
                t("company_ui.save_incomplete", name=path.name, error=first_error(exc))
            ) from None
        entry = _saved_entry(saved)
        session = _seated(entry, saved)
        if len(saved.quarters) > session.scenario.quarters:
            raise SaveError(
                t(
                    "session.too_many_quarters",
                    played=len(saved.quarters),
                    quarters=session.scenario.quarters,
                )
            )
        for q, quarter in enumerate(saved.quarters, start=1):
            unknown = sorted(set(quarter.pms) - set(session.lines))
            if unknown:
                raise SaveError(t("company_ui.save_no_line", quarter=q, line=unknown[0][:40]))
            try:
                session._play(PlayedQuarter(quarter.cpo, dict(quarter.pms)))
            except Exception as exc:  # a hand-edited save must never end the game
                raise SaveError(
                    t("session.cannot_replay", quarter=q, error=exc.__class__.__name__)
                ) from None
        return session


def _saved_entry(saved: CompanySave) -> ScenarioEntry:
    """The scenario a company save was played on, unchanged since; SaveError otherwise."""
    from game import paths
    from game.session import read_scenario

    path = Path(saved.scenario_path)
    entry = read_scenario(path, path.parent == paths.bundled_scenarios_dir())
    if entry.scenario is None:
        raise SaveError(
            t("session.scenario_unloadable_why", file=path.name, problem=entry.problems[0])
            if entry.problems
            else t("session.scenario_unloadable", file=path.name)
        )
    if entry.digest != saved.scenario_hash:
        raise SaveError(t("company_ui.save_scenario_changed"))
    return entry


def _seated(entry: ScenarioEntry, saved: CompanySave) -> CompanySession:
    """A new company game with the save's seed and seats; the seats and bots checked."""
    from engine.bots import BOTS

    for seat_id, bot in saved.bots.items():
        if seat_id in saved.people:
            raise SaveError(t("company_ui.save_bad_seat", seat=seat_id))
        if bot not in BOTS and not (bot == AI and seat_id != "cpo"):
            raise SaveError(t("company_ui.save_bad_bot", seat=seat_id, bot=bot))
    try:
        session = CompanySession(entry, saved.seed, saved.people, saved.bots)
    except ValueError as exc:  # a seat not at this scenario's table, in words
        raise SaveError(t("company_ui.save_bad_table", reason=str(exc)[:200])) from None
    except Exception as exc:  # untrusted numbers reaching the engine
        raise SaveError(t("session.cannot_start", error=exc.__class__.__name__)) from None
    table = {s.id for s in session.table}
    stray = sorted(set(saved.bots) - table)
    if stray:
        raise SaveError(t("company_ui.save_bad_seat", seat=stray[0]))
    return session
