"""A company seat's hub in a network workshop: the remote hub with the company banner.

A person who joined a company workshop with a seat's code (the CPO's or one line's PM's)
gets the remote team hub (:class:`~game.scenes.workshop.remote_hub.RemoteHubScene`: round,
deadline, connection, hand-in in the background) bound to a
:class:`~game.workshop.remote_seat.RemoteSeatDesk`, with the hot-seat company hub's banner
under the tab bar (:class:`~game.scenes.company.CompanyBanner`: the CPO's direction for a
PM, what was shared for the CPO, the flags) and a line saying which seats of the company
have handed in. The tabs bring the company pieces with them: the CPO's budget and strategy
on the portfolio tab and the Shared tab, a PM's "Share with the CPO" on the research tab.

What the other seats decided reaches this seat through the host: when the host's live
status says another seat handed in, and every :data:`COMPANY_REFRESH_S` seconds, the seat's
package is fetched again in the background and its company part taken in (the seat's own
draft stays as it is).
"""

from __future__ import annotations

import html
import time
from concurrent.futures import Future
from typing import TYPE_CHECKING

from game.company_seat import seat_line
from game.scenes.company import CompanyBanner
from game.scenes.workshop.remote_hub import RemoteHubScene
from game.translation import t
from game.workshop.company_seats import seat_words
from game.workshop.remote_seat import RemoteSeatDesk

if TYPE_CHECKING:
    from collections.abc import Mapping

    from engine.company_mode import Direction
    from game.app import App
    from game.workshop import wire
    from game.workshop.remote_desk import Membership, RemoteDesk

COMPANY_REFRESH_S = 30.0
"""Seconds between fetches of the seat's package while its hub is open, in case a status
was missed (a seat's live status already says who handed in and the CPO's direction, and a
new hand-in fetches the package at once)."""


def seats_words(me: str, lines: Mapping[str, str], handed: Mapping[str, bool]) -> str:
    """Which seats of the company handed in this round and which are still deciding (the
    seat ``me`` marked as yours)."""

    def name(seat: str) -> str:
        title = seat_words(seat, lines)
        return t("company_net.you", seat=title) if seat == me else title

    order = sorted(handed, key=lambda s: (seat_line(s) is not None, s))
    done = [name(s) for s in order if handed[s]]
    waiting = [name(s) for s in order if not handed[s]]
    return t(
        "company_net.seats",
        done=", ".join(done) or t("company_net.nobody"),
        waiting=", ".join(waiting) or t("company_net.everyone"),
    )


def live_seats(membership: Membership, round_: int) -> dict[str, bool] | None:
    """The host's newest word on which seats handed in ``round_`` (None: none yet)."""
    status = membership.link.status
    if not isinstance(status, dict) or status.get("round") != round_:
        return None
    seats = status.get("seats")
    return seats if isinstance(seats, dict) else None


class RemoteSeatHubScene(CompanyBanner, RemoteHubScene):
    """One company seat's hub for the open round of a workshop hosted on the network."""

    banner_h = 100

    def __init__(self, app: App, membership: Membership, desk: RemoteSeatDesk) -> None:
        self.seat = desk
        self.company_seat = desk
        self._seats_seen: dict[str, bool] | None = None
        self._direction_seen: tuple[dict[str, str], dict[str, Direction]] | None = None
        self._refetch: Future[wire.Package] | None = None
        self._refetched_at = time.monotonic()
        super().__init__(app, membership, desk)

    def banner_html(self) -> str:
        """The company banner, then which seats have handed in."""
        handed = self.seat.handed_in_seats(live_seats(self.membership, self.desk.quarter))
        seats = seats_words(self.seat.seat_id, self.seat.part.lines, handed)
        return f"{super().banner_html()}<br>{html.escape(seats, quote=False)}"

    def update(self, dt: float) -> None:
        """The remote hub's frame, then what the other seats decided (from the host)."""
        super().update(dt)
        if self.root is None or self.leaving:
            return
        self._follow_company()

    def _follow_company(self) -> None:
        """Fetch the seat's package again when another seat handed in (or now and then),
        and take in its company part once it arrives. Never blocks."""
        now = time.monotonic()
        live = self.seat.handed_in_seats(live_seats(self.membership, self.desk.quarter))
        if live != self._seats_seen:
            moved = self._seats_seen is not None
            self._seats_seen = live
            self.refresh_banner()
            if moved:
                self._fetch_company(now)
        direction = self.seat.live_direction()
        if direction != self._direction_seen:
            moved = self._direction_seen is not None
            self._direction_seen = direction
            if moved and seat_line(self.seat.seat_id) is not None:  # the CPO changed it:
                self.refresh_banner()  # the banner, and this PM's flags against it
                self.seat.ask_again()
        if now - self._refetched_at >= COMPANY_REFRESH_S:
            self._fetch_company(now)
        future = self._refetch
        if future is None or not future.done():
            return
        self._refetch = None
        try:
            package = future.result()
        except Exception:  # the connection line says so; tried again a moment later
            return
        if package.company is not None and package.round == self.desk.quarter:
            self.seat.take_company(package.company)

    def _fetch_company(self, now: float) -> None:
        if self._refetch is None:
            self._refetched_at = now
            self._refetch = self.membership.package()


def hub_for(app: App, membership: Membership, desk: RemoteDesk) -> RemoteHubScene:
    """The hub for a network desk: a company seat's (with the banner) or a team's."""
    if isinstance(desk, RemoteSeatDesk):
        return RemoteSeatHubScene(app, membership, desk)
    return RemoteHubScene(app, membership, desk)
