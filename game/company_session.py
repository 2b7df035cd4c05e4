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
from typing import TYPE_CHECKING, Any

from engine.company_mode import (
    AI,
    CpoTurn,
    Direction,
    Flag,
    PmTurn,
    Seat,
    StudyRef,
    combine,
    pm_view,
    seat_belief,
    seat_report,
    seat_view,
    seats,
    studies_run,
    visible_studies,
)
from engine.decisions import ProductDecision
from game.session import ScenarioEntry
from game.translation import t

if TYPE_CHECKING:
    from engine.report import TurnReport
    from engine.research import Belief
    from engine.view import FirmView
    from game.company_desks import CpoDesk, SeatDesk

DEFAULT_CPO_BOT = "balanced"
"""The bot in the CPO seat when no person holds it."""
SAVE_FORMAT = 1


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
        """Hand in a person's turn; once every person has, the quarter is played and its
        report returned (None while others are still deciding). ValueError in words when
        the draft has errors (nothing is handed in then)."""
        if self.finished:
            raise ValueError(t("company_ui.over"))
        desk = self.desk(seat_id)
        errors, _ = desk.problems()
        if errors:
            raise ValueError("; ".join(errors))
        self.handed.add(seat_id)
        if self.waiting():
            return None
        return self._play()

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

    # ------------------------------------------------------------------ saves
    def save_data(self) -> dict[str, Any]:
        """The game as plain JSON data: scenario, seed, who sits where, each quarter's turns
        (a bot's turns too, so a save replays without the bots)."""
        return {
            "format": SAVE_FORMAT,
            "scenario_path": str(self.entry.path),
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

    def save(self, path: Path) -> None:
        """Write the game to ``path``."""
        path.write_text(json.dumps(self.save_data(), indent=1, allow_nan=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> CompanySession:
        """Rebuild a saved company game by replaying its turns; ValueError in words."""
        from game.session import read_scenario

        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(t("company_ui.save_unreadable", reason=str(exc)[:160])) from None
        if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
            raise ValueError(t("company_ui.save_unreadable", reason="format"))
        entry = read_scenario(Path(data["scenario_path"]))
        if entry.scenario is None or entry.digest != data["scenario_hash"]:
            raise ValueError(t("company_ui.save_scenario_changed"))
        session = cls(entry, int(data["seed"]), data["people"], data["bots"])
        for q in data["quarters"]:
            turns = PlayedQuarter(
                CpoTurn.model_validate(q["cpo"]),
                {k: PmTurn.model_validate(v) for k, v in q["pms"].items()},
            )
            session._play(turns)
        return session
