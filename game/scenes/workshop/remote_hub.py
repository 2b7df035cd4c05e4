"""A team's hub in a network workshop: the solo hub bound to a :class:`RemoteDesk`.

The tabs are the solo hub's own (like the hot-seat :class:`WorkshopTeamHubScene`). The top bar
says the round, the cash, the deadline if the facilitator set one, and the live connection to
the host. The engine's checks come back from the host in the background; when an answer
changes what the hub would show (:attr:`RemoteDesk.revision`), the tab on show is rebuilt.

Hand in asks for confirmation as every hub does (the draft in words, the warnings), then
sends the decisions in the background with one hand-in id reused for every retry until the
host acknowledges them, so a lost acknowledgement is never recorded twice. A refusal lists
the host's problems and keeps the draft; a network failure says so and keeps the draft.
"""

from __future__ import annotations

import html
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.elements import UIPanel

from game.scenes.base import oid
from game.scenes.workshop.connection import (
    BusyScene,
    connection_words,
    deadline_words,
    leave_workshop,
    resolved_since,
    status_of,
)
from game.scenes.workshop.team_hub import TeamHubScene
from game.translation import t
from game.widgets.text import plain

if TYPE_CHECKING:
    from game.app import App
    from game.workshop.remote_desk import Membership, RemoteDesk


class RemoteHubScene(TeamHubScene):
    """One team's hub for the open round of a workshop hosted on the network."""

    name = "workshop_remote_hub"

    def __init__(self, app: App, membership: Membership, desk: RemoteDesk) -> None:
        self.membership = membership
        self.remote: RemoteDesk = desk
        self.seen_revision = desk.revision
        self.confirm_pending = False  # Hand in was pressed before the host's check came back
        self.leaving = False
        super().__init__(app, desk)

    # ------------------------------------------------------------------ the top bar
    def build_status(self, bar: UIPanel, area: pygame.Rect) -> None:
        """Round, cash and deadline over the connection to the host."""
        self.status_label = self.label(
            pygame.Rect(area.x, area.y + 3, self.width - 370 - area.x, 24),
            self.status_text(),
            container=bar,
            tip=t("ws_join.status_tip"),
        )
        text, kind = connection_words(self.membership.link)
        self.connection_label = self.label(
            pygame.Rect(area.x, area.y + 27, self.width - 370 - area.x, 22),
            text,
            container=bar,
            object_id=kind,
            tip=t("ws_join.link_tip", url=self.membership.url),
        )
        self._connection = (text, kind)

    def status_text(self) -> str:
        """Round, cash and the deadline (if any)."""
        text = super().status_text()
        left = deadline_words(self.membership.clock.remaining(self.deadline()))
        return f"{text} · {left}" if left else text

    def deadline(self) -> float | None:
        """When hand-in closes (host time), from the newest status or the package."""
        status = status_of(self.membership.link, self.desk.quarter)
        if status is not None and status.round == self.desk.quarter:
            return status.deadline
        return self.remote.package.deadline

    def back_button(self) -> tuple[str, str]:
        return t("workshop.leave"), t("ws_join.leave_tip")

    def _hint_text(self) -> str:
        if self.confirm_pending:
            return t("ws_join.checking")
        return super()._hint_text()

    # ------------------------------------------------------------------ every frame
    def update(self, dt: float) -> None:
        """Keep the draft, follow the host's answers and status, keep the top bar current."""
        link = self.membership.link
        self.membership.clock.follow(link)
        super().update(dt)
        if self.root is None or self.leaving:
            return
        desk = self.remote
        desk.poll()
        label = getattr(self, "connection_label", None)
        shown = connection_words(link)
        if label is not None and label.alive() and shown != self._connection:
            self._connection = shown
            label.set_text(shown[0])
            label.change_object_id(oid(shown[1]))
        if desk.revision != self.seen_revision and not self._busy_hands():
            self.seen_revision = desk.revision
            self.refresh()
        if self.confirm_pending and (desk.answered() or desk.check_failed()):
            self.confirm_pending = False
            self.hint.set_text(self._hint_text())
            self.end_quarter()
        if resolved_since(link, desk.quarter):
            self._round_played()

    def _busy_hands(self) -> bool:
        """True while the player drags a slider or types (a rebuild would interrupt)."""
        typing = any(
            isinstance(e, pygame_gui.elements.UITextEntryLine)
            for e in self.manager.get_focus_set() or ()
        )
        return typing or bool(pygame.mouse.get_pressed()[0])

    def _round_played(self) -> None:
        """The facilitator played the round while the team was here: on to its results."""
        from game.scenes.workshop.waiting import RemoteWaitingScene

        self.leaving = True
        self.remote.flush()
        played = not self.remote.handed_in  # else its earlier hand-in was played
        self.app.replace(
            RemoteWaitingScene(self.app, self.membership, self.desk.quarter, None, played=played)
        )

    # ------------------------------------------------------------------ hand in
    def end_quarter(self) -> None:
        """Confirm once the host has checked the draft as it is now (it usually has)."""
        desk = self.remote
        if not desk.answered() and not desk.check_failed():
            desk.prime()
            self.confirm_pending = True
            self.hint.set_text(self._hint_text())
            return
        super().end_quarter()

    def _play(self) -> None:
        """Hand in in the background ("Handing in…"); the waiting screen once acknowledged."""
        from game.scenes.dialog import show_message
        from game.scenes.workshop.common import problems_html
        from game.workshop.session import WorkshopError

        try:
            future = self.remote.hand_in()
        except WorkshopError as exc:
            show_message(self.app, t("workshop.not_handed_in"), problems_html(exc))
            return
        self.app.push(
            BusyScene(
                self.app,
                t("ws_join.handing_in", round=self.desk.quarter),
                t("ws_join.sending", team=self.remote.team),
                future,
                self._handed,
                stop=self._stopped_waiting,
            )
        )

    def _handed(self, future: Future[Any]) -> None:
        """The host's answer to the hand-in: the waiting screen, or the reason in words."""
        from game.scenes.dialog import show_message
        from game.scenes.workshop.waiting import RemoteWaitingScene
        from game.workshop.client import RemoteError
        from game.workshop.remote_desk import remote_words
        from game.workshop.words import shown

        try:
            round_, warnings = future.result()
        except RemoteError as exc:
            if exc.unreachable:
                show_message(
                    self.app,
                    t("workshop.not_handed_in"),
                    t(
                        "ws_join.unreachable",
                        why=html.escape(remote_words(exc, self.membership.url)),
                    ),
                )
                return
            items = exc.problems or []
            body = html.escape(plain(remote_words(exc, self.membership.url)))
            if items:
                message = shown(exc.message)
                body = html.escape(plain(message[:1].upper() + message[1:])) + ".<br>"
                body += "<br>".join(f"• {html.escape(plain(shown(p)))}" for p in items)
            show_message(
                self.app, t("workshop.not_handed_in"), body + "<br><br>" + t("ws_join.draft_kept")
            )
            return
        except Exception as exc:  # anything else, in words; the draft stays
            show_message(
                self.app,
                t("workshop.not_handed_in"),
                html.escape(remote_words(exc, self.membership.url))
                + "<br><br>"
                + t("ws_join.draft_kept"),
            )
            return
        self.leaving = True
        self.remote.settle()
        self.remote.flush()
        summary = self.remote.summary()
        self.app.replace(
            RemoteWaitingScene(self.app, self.membership, round_, warnings, summary=summary)
        )

    def _stopped_waiting(self) -> None:
        from game.scenes.dialog import show_message

        show_message(
            self.app,
            t("ws_join.still_sending"),
            t("ws_join.still_sending_body"),
        )

    # ------------------------------------------------------------------ leaving
    def on_back(self) -> None:
        """Leave the workshop (asks first; the draft is kept)."""
        leave_workshop(self.app, self.membership, self.remote.flush)
