"""Shared pieces of a team's network screens: the connection and the deadline in words, a
"please wait" overlay over a network call, and leaving the workshop.

A deadline is counted against the host's own time (:class:`~game.workshop.remote_desk.
HostClock`), which may differ from this computer's.
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pygame

from game.scenes.base import ROW, Scene
from game.translation import t
from game.widgets.text import plain

if TYPE_CHECKING:
    from game.app import App
    from game.workshop.client import Link
    from game.workshop.remote_desk import Membership


def deadline_words(left: float | None) -> str:
    """A round's deadline in words ('' without a deadline)."""
    if left is None:
        return ""
    if left <= 0:
        return t("ws_join.deadline_passed")
    return t("ws_join.hand_in_within", clock=clock_words(left))


def clock_words(left: float) -> str:
    """Seconds left as a clock: ``4:05``, or ``1 h 05 min`` from an hour on."""
    minutes, seconds = divmod(int(max(0.0, left) + 0.999), 60)
    if minutes >= 60:
        return t("ws_join.hours", hours=minutes // 60, minutes=f"{minutes % 60:02d}")
    return f"{minutes}:{seconds:02d}"


def connection_words(link: Link, now: float | None = None) -> tuple[str, str]:
    """(text, theme id) of the live connection to the host, for a status line."""
    now = time.time() if now is None else now
    if link.state == "connected":
        return t("ws_join.connected"), "#good"
    if link.state == "lost":
        wait = max(0, math.ceil(link.retry_at - now))
        why = t("ws_join.code_refused") if link.refused else t("ws_join.connection_lost")
        again = t("ws_join.retrying_in", seconds=wait) if wait > 0 else t("ws_join.retrying_now")
        return t("ws_join.lost", why=why, again=again), "#bad"
    return t("ws_join.connecting"), "#muted"


@dataclass(frozen=True)
class HostStatus:
    """The host's last status message, every field checked."""

    round: int
    rounds: int
    resolved: int
    finished: bool
    submitted: bool
    handed_in: int
    teams: int
    deadline: float | None


def host_status(link: Link) -> HostStatus | None:
    """The host's last status (None: none yet, or one that does not fit)."""
    raw = link.status
    if not isinstance(raw, dict):
        return None
    try:
        at = raw.get("deadline")
        deadline = float(at) if isinstance(at, int | float) and math.isfinite(at) else None
        return HostStatus(
            round=int(raw.get("round", 0)),
            rounds=int(raw.get("rounds", 0)),
            resolved=int(raw.get("resolved", 0)),
            finished=bool(raw.get("finished", False)),
            submitted=bool(raw.get("submitted", False)),
            handed_in=int(raw.get("handed_in", 0)),
            teams=int(raw.get("teams", 0)),
            deadline=deadline,
        )
    except (TypeError, ValueError, OverflowError):
        return None


def status_of(link: Link, round_: int) -> HostStatus | None:
    """The host's last status if it is about ``round_`` or later (None: nothing yet)."""
    status = host_status(link)
    if status is None or (status.round < round_ and status.resolved < round_):
        return None
    return status


def resolved_since(link: Link, round_: int) -> bool:
    """True once the host's status says ``round_`` has been played."""
    status = status_of(link, round_)
    return status is not None and status.resolved >= round_


def leave_workshop(app: App, membership: Membership, before: Callable[[], None] | None) -> None:
    """Ask, then leave: the link is closed and the join screen (or the title) shows again.

    ``before`` runs first (the hub keeps its draft)."""
    from game.scenes.dialog import DialogScene

    def leave() -> None:
        if before is not None:
            before()
        membership.close()
        while app.top is not None and app.top.name.startswith("workshop_remote"):
            app.pop()

    app.push(
        DialogScene(
            app,
            t("ws_join.leave_title"),
            t("ws_join.leave_body"),
            [(t("workshop.leave_button"), leave), (t("ws_join.stay"), None)],
        )
    )


class BusyScene(Scene):
    """A small card over the screen while a network call runs; ``done`` gets the future.

    After a few seconds a 'Stop waiting' button appears (Esc): the call goes on in the
    background, and the screen below says what that means."""

    name = "workshop_remote_busy"
    overlay = True
    PATIENCE_S = 4.0

    def __init__(
        self,
        app: App,
        title: str,
        text: str,
        future: Future[Any],
        done: Callable[[Future[Any]], None],
        stop: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(app)
        self.title = title
        self.words = text
        self.future = future
        self.done = done
        self.stop = stop
        self.started = time.monotonic()
        self._patient = False

    def build(self) -> None:
        w, h = min(620, self.width - 80), 250
        card = self.panel(
            pygame.Rect((self.width - w) // 2, (self.height - h) // 2, w, h), object_id="#card"
        )
        self.label(
            pygame.Rect(20, 14, w - 40, 34), self.title, object_id="#heading", container=card
        )
        self.box = self.text(
            pygame.Rect(20, 54, w - 40, h - 54 - ROW - 30), self._text(), container=card
        )
        if self._patient and self.stop is not None:
            self.button(
                pygame.Rect(w - 20 - 220, h - ROW - 16, 220, ROW),
                t("ws_join.stop_waiting"),
                self.give_up,
                container=card,
            )
            self.app.focus_index = 0

    def _text(self) -> str:
        text = html.escape(plain(self.words))
        if self._patient:
            text += f"<br><font color='#a8b3c1'>{t('ws_join.still_trying')}</font>"
        return text

    def update(self, dt: float) -> None:
        """Hand the finished call to ``done``; offer to stop waiting after a while."""
        if self.future.done():
            self.app.pop()
            self.done(self.future)
            return
        if not self._patient and time.monotonic() - self.started >= self.PATIENCE_S:
            self._patient = True
            self.rebuild()

    def give_up(self) -> None:
        """Stop waiting (the call may still arrive; the screen below says so)."""
        if self.stop is not None:
            self.app.pop()
            self.stop()

    def on_back(self) -> None:
        if self._patient:
            self.give_up()

    def on_reload(self) -> None:
        """F5 does nothing while waiting."""
