"""A company workshop's seats as the facilitator sees them (issue 20).

In a session created with ``company=True`` every team is a company: a CPO seat and one PM
seat per product line, each with its own join code (:mod:`game.workshop.company_seats`).
These helpers give the facilitator's screens each company's seats in words, with their
hand-in, code and connection (:func:`company_seats`), and say who plays a seat nobody handed
in when the round is resolved anyway (:func:`missing_words`): a CPO keeps course, a line's
AI PM plans the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.translation import t

if TYPE_CHECKING:
    from game.workshop.host import TeamLink
    from game.workshop.session import WorkshopSession


@dataclass(frozen=True)
class SeatState:
    """One seat of a company in the open round."""

    key: str  # the seat's key (team and seat), what its code authenticates as
    seat: str  # cpo | pm:LINE
    words: str  # "CPO", "PM of Quill Tutor"
    handed_in: bool
    code: str | None  # its join code while the session is served, else None
    connected: bool


def company_seats(
    session: WorkshopSession, links: Sequence[TeamLink] = ()
) -> dict[str, list[SeatState]]:
    """Per company (in the session's order), its seats: CPO first, then one PM per line."""
    from game.workshop.company_seats import seat_key, seat_words

    names = session.lines
    by_key = {link.team: link for link in links}
    status = session.seat_status()
    out: dict[str, list[SeatState]] = {}
    for team in session.teams:
        rows = []
        for seat, done in status.get(team, {}).items():
            key = seat_key(team, seat)
            link = by_key.get(key)
            rows.append(
                SeatState(
                    key=key,
                    seat=seat,
                    words=seat_words(seat, names),
                    handed_in=done,
                    code=link.code if link is not None else None,
                    connected=link.connected if link is not None else False,
                )
            )
        out[team] = rows
    return out


def handed_in_words(seats: Sequence[SeatState]) -> str:
    """ "2 of 3 seats handed in"."""
    return t("ws_companies.seats_handed_in", done=sum(s.handed_in for s in seats), seats=len(seats))


def missing_words(session: WorkshopSession) -> list[str]:
    """Per company with a seat that has not handed in, who plays it if the round is resolved
    now: "Alpha: the CPO keeps course; the AI PM plans Quill Tutor"."""
    names = session.lines
    out = []
    for team, seats in session.seat_status().items():
        missing = [seat for seat, done in seats.items() if not done]
        if not missing:
            continue
        parts = []
        if "cpo" in missing:
            parts.append(t("ws_companies.cpo_keeps_course"))
        lines = [names.get(s.partition(":")[2], s) for s in missing if s != "cpo"]
        if lines:
            parts.append(t("ws_companies.ai_pm_plans", count=len(lines), lines=", ".join(lines)))
        out.append(t("ws_companies.missing_company", team=team, who="; ".join(parts)))
    return out


def missing_count(session: WorkshopSession) -> int:
    """Seats that have not handed in for the open round, over every company."""
    return sum(not done for seats in session.seat_status().values() for done in seats.values())
