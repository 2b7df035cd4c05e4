"""Join a network workshop (title screen → Join workshop): the host's address and a join code.

The facilitator's screen shows the address (``192.168.1.20:8765``) and each team's code
(``ABCD-2345``; dashes, spaces and small letters are fine). Joining runs in the background
(the host's hello, then the team's package, then the engine's first check of the draft) while
the screen says "Connecting to …"; any failure is said in words and the fields stay as
typed. The address and code that worked are remembered for next time.
"""

from __future__ import annotations

import concurrent.futures
import html
import time
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

from game.scenes.base import GAP, ROW, Scene
from game.scenes.workshop.common import TOP_H, top_bar
from game.translation import t
from game.widgets.text import plain

if TYPE_CHECKING:
    from game.app import App
    from game.workshop import wire
    from game.workshop.remote_desk import Membership, RemoteDesk

FIRST_CHECK_S = 6.0
"""How long the join waits for the host's first check of the draft before opening the hub."""
CARD_W = 760
CARD_H = 330
PAD = 24
LABEL_W = 170


class WorkshopJoinScene(Scene):
    """Address, code, Join: a team's way into a workshop hosted on the network."""

    name = "workshop_join"

    def __init__(self, app: App) -> None:
        from game.workshop.remote_desk import last_join

        super().__init__(app)
        self.address, self.code = last_join()
        self.message = ""
        self.bad = False  # the message is a failure (shown in the warning colour)
        self.future: concurrent.futures.Future[Any] | None = None
        self.membership: Membership | None = None
        self.desk: RemoteDesk | None = None
        self.opening_since = 0.0

    @property
    def busy(self) -> bool:
        """True while a join is under way."""
        return self.future is not None or self.desk is not None

    def build(self) -> None:
        top_bar(
            self,
            t("ws_join.title"),
            t("ws_join.subtitle"),
        )
        x = (self.width - CARD_W) // 2
        card = self.panel(pygame.Rect(x, TOP_H + 40, CARD_W, CARD_H), object_id="#card")
        inner = CARD_W - 2 * PAD
        entry_w = inner - LABEL_W
        y = PAD
        self.label(pygame.Rect(PAD, y, LABEL_W - GAP, ROW), t("ws_join.address"), container=card)
        self.address_entry = self.entry_line(
            pygame.Rect(PAD + LABEL_W, y, entry_w, ROW),
            self.address,
            lambda text: None,
            tip=t("ws_join.address_tip"),
            container=card,
        )
        self.address_entry.set_text_length_limit(120)
        y += ROW + GAP
        self.label(pygame.Rect(PAD, y, LABEL_W - GAP, ROW), t("ws_join.code"), container=card)
        self.code_entry = self.entry_line(
            pygame.Rect(PAD + LABEL_W, y, entry_w, ROW),
            self.code,
            lambda text: None,
            tip=t("ws_join.code_tip"),
            container=card,
        )
        self.code_entry.set_text_length_limit(24)
        for entry in (self.address_entry, self.code_entry):
            self._changes[entry] = self._typed
        y += ROW + 4
        self.label(
            pygame.Rect(PAD + LABEL_W, y, entry_w, 26),
            t("ws_join.code_hint"),
            object_id="#muted",
            container=card,
        )
        y += 26 + GAP + 4
        self.join_button = self.button(
            pygame.Rect(PAD + LABEL_W, y, 240, 44),
            t("ws_join.join"),
            self.join,
            object_id="#primary",
            enabled=not self.busy,
            tip=t("ws_join.join_tip"),
            container=card,
        )
        self.button(
            pygame.Rect(PAD + LABEL_W + 240 + GAP, y, 180, 44),
            t("workshop.back"),
            self.on_back,
            tip=t("workshop.title_screen_tip"),
            container=card,
        )
        y += 44 + GAP + 4
        self.status_box = self.text(
            pygame.Rect(PAD, y, inner, CARD_H - y - PAD), self._status_html(), container=card
        )
        self.text(
            pygame.Rect(x, TOP_H + 40 + CARD_H + 2 * GAP, CARD_W, -1),
            t("ws_join.how_it_works"),
            object_id="#muted",
        )
        self.app.focus_index = 0 if not self.address else 1
        entry = self.address_entry if not self.address else self.code_entry
        self.manager.set_focus_set(entry)

    def _status_html(self) -> str:
        if not self.message:
            return f"<font color='#a8b3c1'>{t('ws_join.type_both')}</font>"
        colour = "#f0894a" if self.bad else "#a8b3c1"
        return f"<font color='{colour}'>{html.escape(plain(self.message))}</font>"

    def _say(self, message: str, bad: bool = False) -> None:
        self.message, self.bad = message, bad
        box = getattr(self, "status_box", None)
        if box is not None and box.alive():
            box.set_text(self._status_html())
        button = getattr(self, "join_button", None)
        if button is not None and button.alive():
            if self.busy:
                button.disable()
            else:
                button.enable()

    def _typed(self, event: pygame.event.Event) -> None:
        """Remember the fields; Enter in either of them joins."""
        self.address = self.address_entry.get_text()
        self.code = self.code_entry.get_text()
        if event.type != pygame_gui.UI_TEXT_ENTRY_FINISHED:
            return
        if event.ui_element is self.address_entry and not self.code.strip():
            self.app.focus_index = self.focusables().index(self.code_entry)  # on to the code
            self.manager.set_focus_set(self.code_entry)
            return
        self.join()

    def on_enter(self) -> None:
        self.join()

    # ------------------------------------------------------------------ joining
    def join(self) -> None:
        """Check what was typed, then connect in the background."""
        from game.workshop import wire
        from game.workshop.client import Link
        from game.workshop.remote_desk import joining
        from game.workshop.words import shown

        if self.busy:
            return
        self.address = self.address_entry.get_text()
        self.code = self.code_entry.get_text()
        try:
            url = wire.normalise_url(self.address)
        except wire.WireError as exc:
            self._say(_sentence(shown(str(exc))), bad=True)
            return
        code = wire.normalise_code(self.code)
        if not code:
            self._say(t("ws_join.type_code"), bad=True)
            return
        if not wire.CODE.fullmatch(code):
            self._say(t("ws_join.not_a_code", code=self.code.strip()[:24]), bad=True)
            return
        link = Link(url, code)
        self.future = link.call(joining)
        self._link = link
        self._say(t("ws_join.connecting_to", url=url))

    def update(self, dt: float) -> None:
        """Follow the join: the host's answer, then the first check of the draft."""
        future = self.future
        if future is not None and future.done():
            self.future = None
            self._joined(future)
        desk = self.desk
        if desk is not None:
            waited = time.monotonic() - self.opening_since
            if desk.answered() or desk.check_failed() or waited >= FIRST_CHECK_S:
                self.desk = None
                self._open_hub(desk)

    def _joined(self, future: concurrent.futures.Future[Any]) -> None:
        from game.workshop.remote_desk import Membership, remember_join, remote_words
        from game.workshop.remote_seat import seat_desk

        link = self._link
        try:
            hello, package = future.result()
        except Exception as exc:  # every failure in words; the fields stay as typed
            self._close(link)
            self._say(t("ws_join.could_not_join", why=remote_words(exc, link.url)), bad=True)
            return
        remember_join(self.address, self.code)
        self.membership = Membership(link.url, link.client.code, link, hello, package.team)
        if package.company is not None:  # a company seat: the waiting room names the seats
            self.membership.seat = package.company.seat
            self.membership.lines = dict(package.company.lines)
        link.watch()
        if package.finished or package.submitted:
            self._say("")
            self._open_other(package)
            return
        self.desk = seat_desk(package, link)
        self.desk.prime()
        self.opening_since = time.monotonic()
        who = package.team
        if package.company is not None:  # "Alpha — PM of Quill Tutor"
            from game.workshop.company_seats import key_words, seat_key

            who = key_words(seat_key(who, package.company.seat), package.company.lines)
        self._say(t("ws_join.joined_as", team=who))

    def _open_hub(self, desk: RemoteDesk) -> None:
        from game.scenes.workshop.seat_hub import hub_for

        assert self.membership is not None
        self._say("")
        self.app.push(hub_for(self.app, self.membership, desk))

    def _open_other(self, package: wire.Package) -> None:
        """A team that already handed in waits; a finished session shows its results."""
        from game.scenes.workshop.waiting import RemoteResultsScene, RemoteWaitingScene

        assert self.membership is not None
        if package.finished:
            self.app.push(RemoteResultsScene(self.app, self.membership, package))
        else:
            self.app.push(RemoteWaitingScene(self.app, self.membership, package.round, None))

    @staticmethod
    def _close(link: Any) -> None:
        import threading

        threading.Thread(target=link.close, daemon=True, name="link-close").start()

    # ------------------------------------------------------------------ leaving
    def hide(self) -> None:
        """Covered by the workshop: typing must not go on into the hidden fields."""
        super().hide()
        self.manager.set_focus_set(None)

    def resume(self) -> None:
        """Back from the workshop: say so, with the fields as they were."""
        self.membership = None
        self.message = t("ws_join.left")
        self.bad = False
        self.refresh()

    def on_back(self) -> None:
        """Back to the title (a join under way is abandoned)."""
        if self.future is not None or self.desk is not None:
            self.future, self.desk = None, None
            self._close(self._link)
        self.app.pop()


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}."
