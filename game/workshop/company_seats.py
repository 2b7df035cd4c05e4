"""Company workshops (issue 20): every team is a company, every seat hands in on its own.

In a session created with ``company=True`` each team is a company of the scenario's ``cpo``
role: a CPO seat and one PM seat per product line (:mod:`engine.company_mode`). Each seat has
its own join code and hands in its own turn; the store keeps a seat's hand-in as a submission
row of its team whose payload names the seat (:func:`hand_in_payload`). When a round is
resolved, each company's turns are combined into the company's decisions
(:func:`engine.company_mode.combine`): a CPO who did not hand in keeps course, a line whose
PM did not hand in is planned by its AI PM.

This module holds the seat-level rules the session, the host and the wire share: seat keys,
the company part of a seat's package (:class:`CompanyPart`), a company's played rounds
(:class:`CompanyRound`, :class:`CompanyLog`) and what each seat may see. Nothing here computes
a simulation result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.company_mode import (
    NOTE_MAX,
    CpoTurn,
    Direction,
    Flag,
    PmTurn,
    Seat,
    Share,
    StudyRef,
    visible_studies,
)
from engine.decisions import Decisions

SEP = "\x1f"
"""Between a team and a seat in a seat's key (not printable: never in a team name)."""
MAX_ITEMS = 400
"""The most entries a list in a seat's package may hold (studies, notes, flags)."""


def seat_key(team: str, seat: str) -> str:
    """The key a seat's code, draft and receipts are kept under: team and seat."""
    return f"{team}{SEP}{seat}"


def split_key(key: str) -> tuple[str, str | None]:
    """(team, seat) of a seat's key; (team, None) for a plain team's key."""
    team, sep, seat = key.partition(SEP)
    return (team, seat) if sep else (key, None)


def seat_words(seat: str, lines: Mapping[str, str]) -> str:
    """A seat in words: "CPO", "PM of Quill Tutor"."""
    from game.translation import t

    line = seat.partition(":")[2]
    if not line:
        return t("company_ui.seat_cpo")
    return t("company_ui.seat_pm", line=lines.get(line, line))


def key_words(key: str, lines: Mapping[str, str]) -> str:
    """A team's or a seat's key in words: "Alpha", "Alpha — PM of Quill Tutor"."""
    from game.translation import t

    team, seat = split_key(key)
    if seat is None:
        return team
    return t("company_ui.team_seat", team=team, seat=seat_words(seat, lines))


# ---------------------------------------------------------------------- the wire's part
class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class FlagData(_Part):
    """A flag raised in a company's round, as sent to a seat."""

    line: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    text: str = Field(max_length=600)


class SharedStudy(StudyRef):
    """A study shared with the CPO, with the line whose PM shared it."""

    line: str = Field(max_length=200)


class NoteData(_Part):
    """A PM's note to the CPO."""

    quarter: int = Field(ge=1, le=99)
    line: str = Field(max_length=200)
    text: str = Field(max_length=NOTE_MAX)


class CompanyPart(_Part):
    """What a seat's package carries besides a team's: the seat, the direction, the flags,
    what was shared, and the seat's own extra draft (see docs/workshop.md)."""

    seat: str = Field(max_length=220)
    lines: dict[str, str] = Field(default_factory=dict, max_length=50)
    themes: dict[str, str] = Field(default_factory=dict, max_length=50)
    direction: dict[str, Direction] = Field(default_factory=dict, max_length=50)
    flags: list[FlagData] = Field(default_factory=list, max_length=MAX_ITEMS)
    shared: list[SharedStudy] = Field(default_factory=list, max_length=MAX_ITEMS)
    notes: list[NoteData] = Field(default_factory=list, max_length=MAX_ITEMS)
    studies: list[StudyRef] = Field(default_factory=list, max_length=MAX_ITEMS)
    share: Share | None = None
    pm_turns: dict[str, PmTurn] = Field(default_factory=dict, max_length=50)
    handed_in: dict[str, bool] = Field(default_factory=dict, max_length=51)


class CpoExtra(_Part):
    """The CPO's hand-in beside the decisions: each line's direction."""

    direction: dict[str, Direction] = Field(default_factory=dict, max_length=50)


class PmExtra(_Part):
    """A PM's hand-in beside the line's decisions: what is shared with the CPO."""

    share: Share | None = None


def read_extra(seat: Seat, extra: Mapping[str, Any] | None) -> CpoExtra | PmExtra:
    """A seat's extra hand-in (``{"direction": ...}`` or ``{"share": ...}``) checked by its
    model; ValueError with every problem in words."""
    model: type[CpoExtra] | type[PmExtra] = CpoExtra if seat.role == "cpo" else PmExtra
    try:
        return model.model_validate(dict(extra or {}))
    except ValidationError as exc:
        found = [f"company.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ValueError("; ".join(found)) from None


def hand_in_payload(seat: str, turn: CpoTurn | PmTurn) -> dict[str, Any]:
    """A seat's turn as the store keeps it in its team's submission row."""
    return {"seat": seat, "turn": turn.model_dump(mode="json", exclude_unset=True)}


def turn_of(seat: Seat, payload: Mapping[str, Any]) -> CpoTurn | PmTurn:
    """A stored seat turn (ValueError when the stored data does not fit)."""
    data = payload.get("turn", {})
    return CpoTurn.model_validate(data) if seat.role == "cpo" else PmTurn.model_validate(data)


# ---------------------------------------------------------------------- a company's rounds
@dataclass(frozen=True)
class CompanyRound:
    """One company's resolved round: each seat's turn as played, the flags, who was missing."""

    cpo: CpoTurn
    pms: Mapping[str, PmTurn]  # by line (authored ids): the PMs who handed in
    flags: list[Flag]
    missing: list[str]  # seats that had not handed in (the CPO kept course; AI PMs planned)


@dataclass
class CompanyLog:
    """What a company's resolved rounds add up to: study orders, what was shared, notes."""

    rounds: list[CompanyRound] = field(default_factory=list)

    def orders(self) -> dict[int, dict[str, list[tuple[str, str]]]]:
        """Per quarter, each PM seat's studies as ordered (method, segment)."""
        return {
            q: {line: [(o.method, o.segment) for o in t.decision.research] for line, t in pms}
            for q, pms in enumerate((r.pms.items() for r in self.rounds), start=1)
        }

    def shared(self) -> list[tuple[StudyRef, str]]:
        """Every study shared so far (first share counts), with the line that shared it."""
        out: list[tuple[StudyRef, str]] = []
        seen: set[tuple[int, str, str]] = set()
        for r in self.rounds:
            for line, turn in r.pms.items():
                for s in turn.share.studies if turn.share else ():
                    key = (s.quarter, s.method, s.segment)
                    if key not in seen:
                        seen.add(key)
                        out.append((s, line))
        return out

    def notes(self) -> list[NoteData]:
        """Every note to the CPO so far."""
        return [
            NoteData(quarter=q, line=line, text=t.share.note.strip())
            for q, r in enumerate(self.rounds, start=1)
            for line, t in r.pms.items()
            if t.share and t.share.note.strip()
        ]

    def visible(self, seat: Seat, ran: set[tuple[int, str, str]]) -> set[tuple[int, str, str]]:
        """(quarter, method, segment) of the studies ``seat`` may see (``ran``: every study
        the company ran, :func:`engine.company_mode.studies_run`)."""
        return visible_studies(seat, self.orders(), [s for s, _ in self.shared()], ran)

    def studies(self, line: str) -> list[StudyRef]:
        """The studies the PM of ``line`` ran in resolved rounds (what it may share)."""
        return [
            StudyRef(quarter=q, method=m, segment=g)
            for q, by_line in sorted(self.orders().items())
            for m, g in by_line.get(line, ())
        ]

    def last_cpo(self) -> CpoTurn | None:
        """The CPO's turn as played last round (its own or kept course)."""
        return self.rounds[-1].cpo if self.rounds else None

    def last_pm(self, line: str) -> PmTurn | None:
        """The PM of ``line``'s turn last round (None: the AI PM planned it)."""
        return self.rounds[-1].pms.get(line) if self.rounds else None


def part_flags(flags: Sequence[Flag], seat: Seat) -> list[FlagData]:
    """The flags a seat sees: every line's for the CPO, its own line's for a PM."""
    return [
        FlagData(line=f.line, kind=f.kind, text=f.text)
        for f in flags
        if seat.role == "cpo" or f.line == seat.line
    ]


def seat_decisions(seat: Seat, decisions: Decisions) -> Decisions:
    """A seat's own part of a decision set: all of it for the CPO, a PM's line only."""
    if seat.role == "cpo":
        return decisions
    line = seat.line or ""
    pd = decisions.products.get(line)
    return Decisions(products={line: pd}) if pd is not None else Decisions()
