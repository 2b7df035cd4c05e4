"""What the company screens read of a seat, wherever the company is played.

A company seat is the CPO's or one PM's desk (:mod:`game.company_desks` on one machine,
:mod:`game.workshop.remote_seat` over a network workshop). The company pieces of the hub —
the banner (the CPO's direction for a PM, what was shared for the CPO, the flags), the
portfolio tab's budget and strategy, "Share with the CPO" and the CPO's Shared tab — read a
seat through :class:`CompanySeat` only, so they work the same against the local
:class:`~game.company_session.CompanySession` and a host's package.

The two drafts a seat keeps beside its decisions live here once for both kinds of desk:
:class:`DirectionDraft` (the CPO: each line's budget and strategy) and :class:`ShareDraft`
(a PM: which studies to share and a note).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from engine.company_mode import NOTE_MAX, Direction, Flag, PmTurn, Share, StudyRef
from engine.decisions import Decisions, ProductDecision

if TYPE_CHECKING:
    from engine.scenario import Scenario


class NoteLike(Protocol):
    """A PM's note to the CPO: the quarter it was shared, the line and the text."""

    quarter: int
    line: str
    text: str


@runtime_checkable
class CompanySeat(Protocol):
    """What the company screens read of one seat (the CPO's or a PM's)."""

    seat_id: str
    scenario: Scenario
    role: str

    def line_name(self, line: str) -> str:
        """A line's product name."""
        ...

    def pm_name(self, line: str) -> str:
        """The person (or the line's own PM) in the line's PM seat."""
        ...

    def direction_for(self, line: str) -> tuple[str | None, Direction]:
        """(theme, direction) the CPO gives ``line`` this quarter, as it stands."""
        ...

    def shared_by(self) -> list[tuple[StudyRef, str]]:
        """Every study shared with the CPO so far that this seat may see, with its line."""
        ...

    def notes_to_cpo(self) -> Sequence[NoteLike]:
        """The notes to the CPO so far that this seat may see."""
        ...

    def played_flags(self) -> list[Flag]:
        """The last played quarter's flags this seat sees (a PM: its own line's)."""
        ...

    def flags(self) -> list[Flag]:
        """The flags as the seats' turns stand now (this seat's part of them)."""
        ...


def line_product(scenario: Scenario, line: str) -> str:
    """A line's product name (its id when the scenario has no such line)."""
    firm = scenario.player_firms()[0]
    return next((p.name for p in firm.products if p.id == line), line)


def line_pm_name(scenario: Scenario, line: str) -> str:
    """The line's own PM by first name (the product's name when it has none)."""
    firm = scenario.player_firms()[0]
    product = next((p for p in firm.products if p.id == line), None)
    team = product.team if product is not None else None
    name = team.pm.name if team is not None and team.pm is not None else ""
    return name.split()[0] if name else line_product(scenario, line)


def seat_line(seat_id: str) -> str | None:
    """The line of a PM seat id (``pm:LINE``), None for the CPO."""
    return seat_id.split(":", 1)[1] if seat_id.startswith("pm:") else None


class DirectionDraft:
    """The CPO's direction for each line (budget and strategy), drafted beside the decisions."""

    direction: dict[str, Direction]

    def set_direction(self, line: str, **change: Any) -> None:
        """Change a line's budget or strategy (validated by the engine's model)."""
        now = self.direction.get(line, Direction())
        self.direction = {**self.direction, line: Direction(**{**now.model_dump(), **change})}


class ShareDraft(ABC):
    """What a PM shares with the CPO this quarter (studies and a note), drafted beside the
    line's decision; the studies on offer are the earlier ones plus this quarter's orders."""

    line: str
    share: Share

    def decision(self) -> ProductDecision:
        """The line's decision as drafted (only the fields the PM chose)."""
        decisions, _ = self.decisions()  # type: ignore[attr-defined]
        return (decisions or Decisions()).products.get(self.line, ProductDecision())

    @abstractmethod
    def earlier_studies(self) -> list[StudyRef]:
        """The studies this PM ran in earlier quarters (a desk says where they are kept)."""

    @abstractmethod
    def shared_studies(self) -> Sequence[StudyRef]:
        """The studies shared with the CPO in earlier quarters (this PM's at least)."""

    def studies(self) -> list[StudyRef]:
        """The studies this PM may share: those run in earlier quarters, then this quarter's
        orders (shared once they report)."""
        quarter: int = self.quarter  # type: ignore[attr-defined]
        return [
            *self.earlier_studies(),
            *(
                StudyRef(quarter=quarter, method=o.method, segment=o.segment)
                for o in self.decision().research
            ),
        ]

    def shared_already(self) -> set[tuple[int, str, str]]:
        """Studies shared in earlier quarters."""
        return {(s.quarter, s.method, s.segment) for s in self.shared_studies()}

    def toggle_share(self, study: StudyRef) -> None:
        """Share a study with the CPO, or take it back before handing in."""
        kept = [s for s in self.share.studies if s != study]
        if len(kept) == len(self.share.studies):
            kept.append(study)
        self.share = Share(studies=kept, note=self.share.note)

    def set_note(self, text: str) -> None:
        """The note to the CPO (cut to the engine's limit)."""
        self.share = Share(studies=self.share.studies, note=text[:NOTE_MAX])

    def turn(self) -> PmTurn:
        """The PM's turn as drafted: the decision and what is shared."""
        shared = self.share if (self.share.studies or self.share.note) else None
        return PmTurn(decision=self.decision(), share=shared)


def directs(desk: object) -> bool:
    """Is ``desk`` a company CPO's desk (it gives each line a direction)?"""
    return isinstance(desk, DirectionDraft)


def shares_studies(desk: object) -> bool:
    """Is ``desk`` a company PM's desk (which shares with its CPO)?"""
    return isinstance(desk, ShareDraft)
