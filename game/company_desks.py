"""The seats' desks in company mode: the hub's tabs bound to the CPO's or one PM's seat.

A :class:`CpoDesk` decides the company's portfolio (role ``cpo``) plus each line's
direction (budget and one-line strategy); a :class:`PmDesk` decides one line (role ``pm``)
and what its PM shares with the CPO. Each sees the firm through
:meth:`CompanySession.seat_view`: its own belief (a PM's studies stay the PM's until
shared). A desk's warnings include the company's flags (:func:`engine.company_mode.combine`)
as they stand against the other seats' current turns, so a PM sees "over the CPO's budget"
before handing in. Nothing here computes a simulation result.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, Any

from engine.company_mode import CpoTurn, Direction, Flag, Share, StudyRef, combine
from engine.decisions import Decisions, carry_forward
from game.company_seat import DirectionDraft, ShareDraft
from game.desk import DraftDesk
from game.translation import t

if TYPE_CHECKING:
    from collections.abc import Sequence

    from engine.decision_check import Problem
    from engine.lines import Outlook
    from engine.research import Belief
    from engine.view import FirmView
    from game.company_session import CompanySession, Note


class SeatDesk(DraftDesk):
    """What both seats' desks share: the company's simulation, the seat's own view."""

    seat_id: str

    def __init__(self, session: CompanySession, seat_id: str, role: str) -> None:
        super().__init__()
        self.session = session
        self.seat_id = seat_id
        self.scenario = session.scenario
        self.role = role
        self.firm_id = session.firm_id
        self.coach = None
        self.no_preview = t("company_ui.no_preview")
        self._view: FirmView | None = None

    @property
    def quarter(self) -> int:
        """The quarter being decided."""
        return self.session.quarter

    @property
    def quarters(self) -> int:
        """How many quarters the scenario has."""
        return self.scenario.quarters

    @property
    def person(self) -> str:
        """The person at this seat."""
        return self.session.people[self.seat_id]

    @property
    def heading(self) -> str:
        """Company and seat (solo), or seat and person (hot-seat), for the top bar."""
        firm = self.scenario.player_firms()[0].name
        seat = self.session.seat_title(self.seat_id)
        if len(self.session.people) == 1 or self.session.unnamed(self.seat_id):
            return t("company_ui.heading_solo", firm=firm, seat=seat)
        return t("company_ui.heading", seat=seat, person=self.person)  # the firm: too long

    @property
    def handed_in(self) -> bool:
        """True once this seat has handed in this quarter."""
        return self.seat_id in self.session.handed

    def view(self) -> FirmView:
        """The firm as this seat sees it (cached for the quarter: the belief is fixed)."""
        if self._view is None:
            self._view = self.session.seat_view(self.seat_id)
        return self._view

    def belief(self) -> Belief:
        """What this seat believes about the market (its own studies and shared ones)."""
        return self.session.belief(self.seat_id)

    def scorecard(self) -> dict[str, Any]:
        """The company's score, grade, objectives and competencies so far."""
        return self.session.sim.scorecard(self.firm_id)

    def engine_problems(self, decisions: Decisions) -> list[Problem]:
        """The engine's check of the seat's decisions against the company now."""
        return self.session.sim.problems(self.firm_id, decisions)

    def engine_outlook(self, decisions: Decisions) -> Outlook:
        """The engine's portfolio outlook of the decisions for the company now."""
        return self.session.sim.outlook(self.firm_id, decisions)

    @abstractmethod
    def flags(self) -> list[Flag]:
        """The company's flags as the seats' turns stand now (this seat's part of them)."""

    # ------------------------------------------------------------------ what the screens read
    def line_name(self, line: str) -> str:
        """A line's product name."""
        return self.session.line_name(line)

    def pm_name(self, line: str) -> str:
        """The person in the line's PM seat (the line's own PM when no person holds it)."""
        seat = f"pm:{line}"
        return self.session.people.get(seat, self.session.default_name(seat))

    def direction_for(self, line: str) -> tuple[str | None, Direction]:
        """(theme, direction) the CPO gives ``line`` this quarter, as the CPO's turn stands."""
        return self.session.direction_for(line)

    def shared_by(self) -> list[tuple[StudyRef, str]]:
        """Every study shared so far, with the line whose PM shared it."""
        return self.session.shared_by()

    def notes_to_cpo(self) -> Sequence[Note]:
        """The PMs' notes to the CPO so far."""
        return self.session.notes

    def played_flags(self) -> list[Flag]:
        """The last played quarter's flags this seat sees (a PM: its own line's)."""
        line = getattr(self, "line", None)
        return [f for f in self.session.flags if line is None or f.line == line]

    def problems(self) -> tuple[list[str], list[str]]:
        """(errors, warnings): the engine's, and the flags against the other seats' turns."""
        errors, warnings = super().problems()
        return errors, [*warnings, *(f.text for f in self.flags())]


class CpoDesk(SeatDesk, DirectionDraft):
    """The CPO's seat: the company's portfolio decisions and each line's direction."""

    def __init__(self, session: CompanySession) -> None:
        super().__init__(session, "cpo", "cpo")
        last = session.played[-1].cpo if session.played else None
        org = self.org()
        self.draft = carry_forward(
            last.decisions if last else None,
            lines=set(org.lines),
            shipped={i for line in org.lines.values() for i in line.shipped},
            resolved_bets=set(org.bets_resolved),
        )
        self.direction: dict[str, Direction] = {
            k: v.model_copy() for k, v in (last.direction if last else {}).items()
        }

    def previous(self) -> Decisions | None:
        """The CPO's decisions last quarter."""
        return self.session.played[-1].cpo.decisions if self.session.played else None

    def turn(self) -> CpoTurn:
        """The CPO's turn as drafted (the well-formed part of the draft)."""
        decisions, _ = self.decisions()
        return CpoTurn(decisions=decisions or Decisions(), direction=dict(self.direction))

    def flags(self) -> list[Flag]:
        """Every PM's flags against this draft."""
        return combine(self.scenario, self.turn(), self.session.pm_turns())[1]


class PmDesk(SeatDesk, ShareDraft):
    """One line's PM: the line's decision and what is shared with the CPO."""

    def __init__(self, session: CompanySession, line: str) -> None:
        super().__init__(session, f"pm:{line}", "pm")
        self.line = line
        last = self.previous()
        org = self.org()
        self.draft = carry_forward(
            last,
            lines={line},
            shipped={i for v in org.lines.values() for i in v.shipped},
            resolved_bets=(),
        )
        self.share = Share()

    def previous(self) -> Decisions | None:
        """This PM's own line decision last quarter (None: the AI PM planned it)."""
        if not self.session.played:
            return None
        turn = self.session.played[-1].pms.get(self.line)
        return Decisions(products={self.line: turn.decision}) if turn else None

    def earlier_studies(self) -> list[StudyRef]:
        """The studies this PM ran in earlier quarters."""
        return [
            StudyRef(quarter=q, method=m, segment=g)
            for q, by_line in sorted(self.session.orders.items())
            for m, g in by_line.get(self.line, ())
        ]

    def shared_studies(self) -> Sequence[StudyRef]:
        """The studies shared with the CPO in earlier quarters."""
        return self.session.shared

    def engine_problems(self, decisions: Decisions) -> list[Problem]:
        """The engine's check of this line as it will be played: what the PM left unset is
        the AI PM's (no "nothing planned" for a roadmap left to it), and only this line's
        problems (the other lines are other seats')."""
        sim = self.session.sim
        found = sim.problems(self.firm_id, sim.as_played(self.firm_id, decisions))
        mine = f"products.{self.line}"
        return [p for p in found if p.where == mine or p.where.startswith(f"{mine}.")]

    def flags(self) -> list[Flag]:
        """This line's flags against the CPO's turn as it stands."""
        return combine(self.scenario, self.session.cpo_turn(), {self.line: self.turn()})[1]
