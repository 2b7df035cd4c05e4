"""A company seat's desk in a network workshop: the CPO's or one PM's, bound to a host.

In a company workshop every team is a company and every seat has its own join code; the
host's package for a seat carries a ``company`` part (:class:`~game.workshop.company_seats.
CompanyPart`) besides the usual package. :class:`RemoteSeatDesk` is a :class:`~game.workshop.
remote_desk.RemoteDesk` that also keeps the seat's extra draft — the CPO's direction for each
line (:class:`RemoteCpoDesk`), a PM's share with the CPO (:class:`RemotePmDesk`) — and sends
it as ``company=`` with every kept draft, check and hand-in, so the host's check answers the
live flags too (warnings at ``where="company"``). It reads as a
:class:`~game.company_seat.CompanySeat`, so the company screens (banner, budget and strategy,
Share with the CPO, the Shared tab) work on it as they do on the hot-seat desks.

The draft is kept in the ids of the company's market, as every remote desk keeps it; lines
are translated to the scenario's own ids (:class:`~engine.teams.TeamMap`) for the host.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, Any

from engine.company_mode import Direction, Flag, Share, StudyRef
from game.company_seat import DirectionDraft, ShareDraft, line_pm_name, line_product, seat_line
from game.translation import t
from game.workshop.company_seats import seat_key, seat_words
from game.workshop.remote_desk import RemoteDesk

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from engine.decision_check import Problem
    from engine.decisions import Decisions
    from game.company_seat import NoteLike
    from game.workshop import wire
    from game.workshop.client import Link
    from game.workshop.company_seats import CompanyPart

COMPANY = "company"
"""Where the host's check puts the company's flags."""


class RemoteSeatDesk(RemoteDesk):
    """One company seat (CPO or PM) for the open round of a network workshop."""

    def __init__(self, package: wire.Package, link: Link, *, local: bool = True) -> None:
        part = package.company
        if part is None:
            raise ValueError("a seat's desk needs a package with a company part")
        self.part: CompanyPart = part
        self.seat_id: str = part.seat
        self.map = package.map
        self._own_ids = {v: k for k, v in package.map.products.items()}  # market id -> own
        self.take_extra(part)
        super().__init__(package, link, local=local)
        self.no_preview = t("company_net.no_preview")

    @staticmethod
    def keeper_of(package: wire.Package) -> str:
        """The seat's key (team and seat): seats on one computer keep their own drafts."""
        part = package.company
        return seat_key(package.team, part.seat) if part is not None else package.team

    # ------------------------------------------------------------------ ids
    def own_id(self, line: str) -> str:
        """A line in the scenario's own ids (what the host speaks)."""
        return self._own_ids.get(line, line)

    def market_id(self, line: str) -> str:
        """A line in the ids of the company's market (what the draft and the tabs use)."""
        return self.map.products.get(line, line)

    # ------------------------------------------------------------------ the desk
    @property
    def heading(self) -> str:
        """Company and seat, for the top bar."""
        return t("company_ui.heading_solo", firm=self.team, seat=self.seat_title(self.seat_id))

    def seat_title(self, seat_id: str) -> str:
        """A seat in words: "CPO", "PM of Quill Tutor"."""
        return seat_words(seat_id, self.part.lines)

    def preview(self, draft: Decisions) -> None:
        """No preview in company mode: the round plays once every seat has handed in."""
        return None

    def engine_problems(self, decisions: Decisions) -> list[Problem]:
        """The host's check of the seat's decisions (the flags apart: see :meth:`flags`)."""
        return [p for p in super().engine_problems(decisions) if p.where != COMPANY]

    def flags(self) -> list[Flag]:
        """The live flags the host's check found against the other seats' turns."""
        decisions, _ = self.decisions()
        if decisions is None:
            return []
        line = seat_line(self.seat_id) or ""
        return [
            Flag(line=line, kind="live", text=p.message)
            for p in RemoteDesk.engine_problems(self, decisions)
            if p.where == COMPANY
        ]

    def problems(self) -> tuple[list[str], list[str]]:
        """(errors, warnings): the host's check, then the live flags."""
        errors, warnings = super().problems()
        return errors, [*warnings, *(f.text for f in self.flags())]

    # ------------------------------------------------------------------ the company part
    @abstractmethod
    def take_extra(self, part: CompanyPart) -> None:
        """Start the seat's extra draft from what the host kept (the CPO's direction, a
        PM's line and share)."""

    def take_company(self, part: CompanyPart) -> None:
        """A newer company part of the same round (the CPO kept or handed in, a PM handed
        in): what the seat reads of the others changes; its own drafts stay."""
        if part.seat == self.seat_id and part != self.part:
            self.part = part
            self.revision += 1
            self.ask_again()  # the flags against the other seats' turns may have changed

    def handed_in_seats(self, live: Mapping[str, Any] | None = None) -> dict[str, bool]:
        """Which seats of the company have handed in this round (the host's live status
        when it says, else the package's)."""
        out = dict(self.part.handed_in)
        if isinstance(live, dict):
            out.update({k: bool(v) for k, v in live.items() if k in out})
        return out

    # ------------------------------------------------------------------ a CompanySeat
    def line_name(self, line: str) -> str:
        """A line's product name."""
        own = self.own_id(line)
        return self.part.lines.get(own) or line_product(self.scenario, own)

    def pm_name(self, line: str) -> str:
        """The line's own PM by first name (the host does not name the person at a seat)."""
        return line_pm_name(self.scenario, self.own_id(line))

    def direction_for(self, line: str) -> tuple[str | None, Direction]:
        """(theme, direction) the CPO gives ``line`` this round, as the host last said (its
        live status follows the CPO's kept draft; else the package)."""
        own = self.own_id(line)
        themes, direction = self.live_direction()
        return themes.get(own), direction.get(own, Direction())

    def live_direction(self) -> tuple[dict[str, str], dict[str, Direction]]:
        """The CPO's themes and direction as the host's newest status for this round says
        (the package's when the status says nothing, or nothing that fits)."""
        status = self.link.status
        if isinstance(status, dict) and status.get("round") == self.quarter:
            themes, found = status.get("themes"), status.get("direction")
            if isinstance(themes, dict) and isinstance(found, dict):
                try:
                    return (
                        {str(k): str(v) for k, v in themes.items()},
                        {str(k): Direction.model_validate(v) for k, v in found.items()},
                    )
                except ValueError:
                    pass
        return dict(self.part.themes), dict(self.part.direction)

    def shared_by(self) -> list[tuple[StudyRef, str]]:
        """The studies shared with the CPO so far (a PM: its own), with their lines."""
        return [
            (StudyRef(quarter=s.quarter, method=s.method, segment=s.segment), s.line)
            for s in self.part.shared
        ]

    def notes_to_cpo(self) -> Sequence[NoteLike]:
        """The notes to the CPO so far (a PM: its own)."""
        return self.part.notes

    def played_flags(self) -> list[Flag]:
        """The last played round's flags (a PM: its line's)."""
        return [Flag(line=f.line, kind=f.kind, text=f.text) for f in self.part.flags]


class RemoteCpoDesk(RemoteSeatDesk, DirectionDraft):
    """The CPO's seat: the company's portfolio decisions and each line's direction."""

    def take_extra(self, part: CompanyPart) -> None:
        """The direction as the host kept it (in the market's ids, as the tabs use them)."""
        self.direction = {self.market_id(k): v.model_copy() for k, v in part.direction.items()}

    def company_extra(self) -> dict[str, Any]:
        """The direction for each line, as the host takes it."""
        return {
            "direction": {
                self.own_id(line): d.model_dump(mode="json") for line, d in self.direction.items()
            }
        }

    def restore_extra(self, extra: dict[str, Any] | None) -> None:
        """The direction this computer kept (one that does not fit is left as it was)."""
        found = (extra or {}).get("direction")
        if not isinstance(found, dict):
            return
        try:
            self.direction = {
                self.market_id(str(k)): Direction.model_validate(v) for k, v in found.items()
            }
        except ValueError:
            return

    def summary(self) -> list[str]:
        """The draft in words, then each line's direction (the confirmation, the waiting
        room)."""
        from engine.formatting import money_full

        cur = self.scenario.currency
        return [
            *super().summary(),
            *(
                t(
                    "company_net.summary_direction",
                    line=self.line_name(line),
                    budget=t("company_ui.no_limit")
                    if d.budget is None
                    else money_full(d.budget, cur),
                    strategy=d.strategy or t("company_ui.no_strategy"),
                )
                for line, d in self.direction.items()
            ),
        ]

    def direction_for(self, line: str) -> tuple[str | None, Direction]:
        """(theme, direction) this CPO gives ``line``, as drafted."""
        market = self.market_id(self.own_id(line))
        return self.draft.themes.get(market), self.direction.get(market, Direction())


class RemotePmDesk(RemoteSeatDesk, ShareDraft):
    """One line's PM: the line's decision and what is shared with the CPO."""

    def take_extra(self, part: CompanyPart) -> None:
        """The line (in the market's ids) and the share as the host kept it."""
        self.line = self.market_id(seat_line(part.seat) or "")
        self.share = part.share.model_copy() if part.share is not None else Share()

    def company_extra(self) -> dict[str, Any]:
        """What is shared with the CPO, as the host takes it."""
        return {"share": self.share.model_dump(mode="json")}

    def restore_extra(self, extra: dict[str, Any] | None) -> None:
        """The share this computer kept (one that does not fit is left as it was)."""
        found = (extra or {}).get("share")
        if found is None:
            return
        try:
            self.share = Share.model_validate(found)
        except ValueError:
            return

    def summary(self) -> list[str]:
        """The draft in words, then what is shared with the CPO (the confirmation, the
        waiting room)."""
        from game.scenes.company_sharing import study_words

        out = super().summary()
        if self.share.studies:
            words = ", ".join(study_words(self.scenario, s) for s in self.share.studies)
            out.append(t("company_net.summary_shared", studies=words))
        if self.share.note.strip():
            out.append(t("company_net.summary_note", note=self.share.note.strip()))
        return out

    def earlier_studies(self) -> list[StudyRef]:
        """The PM's studies from played rounds (the host's list)."""
        return list(self.part.studies)

    def shared_studies(self) -> Sequence[StudyRef]:
        """The studies this PM shared in earlier rounds."""
        return [study for study, _ in self.shared_by()]


def seat_desk(package: wire.Package, link: Link, *, local: bool = True) -> RemoteDesk:
    """The desk for a package: a company seat's (CPO or PM), or a team's."""
    part = getattr(package, "company", None)
    if part is None:
        return RemoteDesk(package, link, local=local)
    kind = RemotePmDesk if seat_line(part.seat) is not None else RemoteCpoDesk
    return kind(package, link, local=local)
