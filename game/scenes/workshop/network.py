"""The facilitator's network pieces: the join banner, the join codes for the projector and
the hand-in deadline.

The round view shows, while its session is served on the network (:mod:`game.workshop.hosting`),
the address teams type in large type (:func:`host_banner`) and each team's join code and
connection. "Show join codes" puts the address and every team's code on the projector
(:class:`WorkshopCodesScene`), a deliberate action, since it shows every code to the whole
room; in a company workshop, one column per company with each seat's code. The deadline
closes hand-in a few minutes from now (:func:`choose_deadline`); the round view counts it
down (:func:`deadline_text`).
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pygame

from game.scenes.base import GAP, MARGIN, Scene
from game.scenes.dialog import DialogScene
from game.scenes.workshop.common import TOP_H, show_error, top_bar
from game.scenes.workshop.seats import company_seats
from game.translation import t
from game.widgets.text import fit, font, text_height
from game.workshop.wire import shown_code

if TYPE_CHECKING:
    from game.app import App
    from game.workshop.host import TeamLink
    from game.workshop.hosting import Hosting
    from game.workshop.session import WorkshopSession

Ladder = Sequence[tuple[str, int]]
"""Theme blocks of bold text, largest first, with their font size (layout units)."""
BANNER_LADDER: Ladder = (("#join", 34), ("#heading", 21))
PROJECTOR_LADDER: Ladder = (("#huge", 60), ("#title", 40), ("#heading", 21))
CODE_LADDER: Ladder = (("#code_huge", 64), ("#code", 44), ("#code_small", 28))
DEADLINE_MINUTES = (5, 10, 15)
CODE_COLUMNS = (1, 1, 2, 3, 2, 3, 3, 4, 4, 3, 4, 4, 4)  # cards per row, by number of teams
NAME_H = 34
BUTTON_H = 44
ADDRESS_H = 100  # the address on the projector: room for 60-point type
COMPANY_COLUMNS = 4  # companies side by side on the projector; more scroll below
SEAT_WORDS_H = 24  # "PM of Quill Tutor" above a seat's code
SEAT_MIN_H, SEAT_MAX_H = 76, 130  # a seat's card: words and a code of 28-64 points


def largest_fitting(text: str, width: int, height: int, ladder: Ladder) -> str:
    """The theme block of the largest bold text in which ``text`` fits ``width``×``height``
    (the smallest of the ladder when none does)."""
    for object_id, size in ladder:
        face = font(size, bold=True)
        if face.size(text)[0] <= width - 8 and face.get_linesize() <= height:
            return object_id
    return ladder[-1][0]


def join_words(address: str) -> str:
    """What teams read: ``Join at 192.168.1.20:8765``."""
    return t("ws_network.join_at", address=address)


def deadline_text(at: float | None, now: float | None = None) -> str:
    """The round's hand-in deadline as a countdown ("" without a deadline)."""
    if at is None:
        return ""
    left = at - (time.time() if now is None else now)
    if left <= 0:
        return t("ws_network.closed")
    minutes, seconds = divmod(math.ceil(left), 60)
    return t("ws_network.closes_in", clock=f"{minutes}:{seconds:02d}")


def host_banner(scene: Scene, area: pygame.Rect, hosting: Hosting, seats: bool = False) -> int:
    """The network state across the top of ``area``: the address to type in the largest
    type that fits (who types it: each team, or each company seat when ``seats``), the host
    starting, or why it could not start. Returns the height used."""
    state = hosting.state
    if state == "serving":
        first, *others = hosting.addresses or ["?"]
        words = join_words(first)
        scene.label(
            pygame.Rect(area.x, area.y, area.w, 48),
            words,
            object_id=largest_fitting(words, area.w, 48, BANNER_LADDER),
            tip=t("ws_network.address_tip"),
        )
        also = ", ".join(others)
        if others and seats:
            hint = t("ws_companies.join_hint_also", also=also)
        elif others:
            hint = t("ws_network.join_hint_also", also=also)
        else:
            hint = t("ws_companies.join_hint") if seats else t("ws_network.join_hint")
        scene.label(
            pygame.Rect(area.x, area.y + 48, area.w, 26),
            fit(hint, font(15), area.w - 8),
            object_id="#muted",
            tip=hint,
        )
        return 48 + 26
    if state == "starting":
        scene.label(
            pygame.Rect(area.x, area.y, area.w, 34),
            t("ws_network.starting"),
            object_id="#heading",
        )
        return 34
    body = t("ws_network.not_hosting", why=html.escape(_sentence(hosting.error)))
    h = text_height(body, area.w)
    scene.text(pygame.Rect(area.x, area.y, area.w, h), body, object_id="#bad")
    return h


def _sentence(text: str) -> str:
    """``text`` as a sentence: a capital first and a full stop last."""
    from game.workshop.words import shown

    text = shown((text or "").strip()).strip() or t("ws_network.could_not_start")
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def connection_words(connected: bool) -> tuple[str, str]:
    """A team's connection in words, and the theme block it is shown in."""
    if connected:
        return t("ws_network.connected"), "#good"
    return t("ws_network.not_connected"), "#muted"


def choose_deadline(app: App, session: WorkshopSession, done: Callable[[], None]) -> None:
    """Ask when hand-in for the open round closes: in 5, 10 or 15 minutes, or never.

    ``done`` runs after a deadline was set or removed (the round view shows it).
    """
    at = session.deadline()
    now = deadline_text(at)
    body = t("ws_network.deadline_body", round=session.current_round) + (
        "<br><br>" + t("ws_network.deadline_now", now=html.escape(now)) if now else ""
    )

    def set_to(minutes: float | None) -> None:
        from game.workshop.session import WorkshopError

        try:
            session.set_deadline(minutes)
        except WorkshopError as exc:
            show_error(app, exc, t("ws_network.no_deadline_set"))
            return
        done()

    choices: list[tuple[str, Callable[[], None] | None]] = [
        (t("ws_network.minutes", count=m), lambda m=m: set_to(m)) for m in DEADLINE_MINUTES
    ]
    if at is not None:
        choices.append((t("ws_network.no_deadline"), lambda: set_to(None)))
    choices.append((t("ws_round.cancel"), None))
    title = t("ws_network.deadline_title", round=session.current_round)
    app.push(DialogScene(app, title, body, choices))


class WorkshopCodesScene(Scene):
    """The address and every team's join code, large enough for the back of the room."""

    name = "workshop_codes"

    def __init__(self, app: App, session: WorkshopSession) -> None:
        super().__init__(app)
        self.session = session

    def build(self) -> None:
        s = self.session
        hosting = self.app.hosting
        addresses = hosting.addresses if hosting is not None and hosting.serves(s.id) else []
        top_bar(
            self,
            t("ws_network.codes_title", id=s.id),
            t("ws_network.codes_subtitle"),
        )
        w = self.width - 2 * MARGIN
        y = TOP_H + MARGIN
        words = join_words(addresses[0]) if addresses else t("ws_network.not_hosting_short")
        self.label(
            pygame.Rect(MARGIN, y, w, ADDRESS_H),
            words,
            object_id=largest_fitting(words, w, ADDRESS_H, PROJECTOR_LADDER),
        )
        y += ADDRESS_H
        self.label(
            pygame.Rect(MARGIN, y, w, 32),
            t("ws_companies.codes_how") if s.company else t("ws_network.codes_how"),
            object_id="#huge_note",
        )
        y += 32 + GAP
        bottom = self.height - MARGIN - BUTTON_H - GAP
        self._cards(pygame.Rect(MARGIN, y, w, bottom - y))
        self.button(
            pygame.Rect(self.width - MARGIN - 320, self.height - MARGIN - BUTTON_H, 320, BUTTON_H),
            t("workshop.back_to_round"),
            self.app.pop,
            object_id="#primary",
        )
        self.app.focus_index = 0

    def _links(self) -> list[TeamLink]:
        """Each team's (or seat's) code and connection, as the host has them."""
        hosting = self.app.hosting
        return hosting.links() if hosting is not None and hosting.serves(self.session.id) else []

    def _cards(self, area: pygame.Rect) -> None:
        """One card per team: its name, and its code in the largest type that fits (for a
        company workshop, one column per company with a card per seat)."""
        if self.session.company:
            self._company_cards(area)
            return
        links = self._links()
        codes = {link.team: link.code for link in links}  # the file's codes, as the host has them
        teams = [t for t in self.session.teams if t in codes]
        if not teams:
            return
        cols = CODE_COLUMNS[min(len(teams), len(CODE_COLUMNS) - 1)]
        rows = math.ceil(len(teams) / cols)
        card_w = (area.w - GAP * (cols - 1)) // cols
        card_h = min(200, (area.h - GAP * (rows - 1)) // rows)
        top = area.y
        shown = {team: shown_code(codes[team]) for team in teams}
        name_h = min(NAME_H, card_h // 3)
        code_h = card_h - name_h - 12
        widest = max(shown.values(), key=lambda c: font(CODE_LADDER[0][1], bold=True).size(c)[0])
        code_id = largest_fitting(widest, card_w - 24, code_h, CODE_LADDER)  # one size for all
        for i, team in enumerate(teams):
            row, col = divmod(i, cols)
            card = self.panel(
                pygame.Rect(
                    area.x + col * (card_w + GAP), top + row * (card_h + GAP), card_w, card_h
                ),
                object_id="#card",
            )
            name = fit(team, font(22, bold=True), card_w - 32)
            self.label(
                pygame.Rect(12, 4, card_w - 24, name_h),
                name,
                container=card,
                object_id="#big_bold",
                tip=team if name != team else None,
            )
            self.label(
                pygame.Rect(12, 4 + name_h, card_w - 24, code_h),
                shown[team],
                container=card,
                object_id=code_id,
            )

    def _company_cards(self, area: pygame.Rect) -> None:
        """One column per company (at most four a row, scrolling below): its name, then a
        card per seat with the seat in words and its code, every code in one size."""
        companies = {
            team: [x for x in seats if x.code is not None]
            for team, seats in company_seats(self.session, self._links()).items()
        }
        companies = {team: seats for team, seats in companies.items() if seats}
        if not companies:
            return
        cols = min(len(companies), COMPANY_COLUMNS)
        rows = math.ceil(len(companies) / cols)
        most = max(len(seats) for seats in companies.values())
        seat_h = max(SEAT_MIN_H, min(SEAT_MAX_H, (area.h - NAME_H) // most))
        block_h = NAME_H + most * seat_h
        total = rows * block_h + (rows - 1) * GAP
        scroller = self.scroller(area) if total > area.h else None
        inner_w = area.w - (24 if scroller is not None else 0)
        block_w = (inner_w - GAP * (cols - 1)) // cols
        origin = (0, 0) if scroller is not None else area.topleft
        codes = [shown_code(x.code or "") for seats in companies.values() for x in seats]
        code_h = seat_h - SEAT_WORDS_H - 16
        face = font(CODE_LADDER[0][1], bold=True)
        widest = max(codes, key=lambda c: face.size(c)[0])
        code_id = largest_fitting(widest, block_w - 24, code_h, CODE_LADDER)
        for i, (team, seats) in enumerate(companies.items()):
            row, col = divmod(i, cols)
            x = origin[0] + col * (block_w + GAP)
            y = origin[1] + row * (block_h + GAP)
            name = fit(team, font(22, bold=True), block_w - 8)
            self.label(
                pygame.Rect(x, y, block_w, NAME_H),
                name,
                container=scroller,
                object_id="#big_bold",
                tip=team if name != team else None,
            )
            for j, seat in enumerate(seats):
                self._seat_card(
                    pygame.Rect(x, y + NAME_H + j * seat_h, block_w, seat_h - 6),
                    seat.words,
                    shown_code(seat.code or ""),
                    code_id,
                    scroller,
                )
        if scroller is not None:
            self.scroll_area(scroller, inner_w, total)

    def _seat_card(
        self, rect: pygame.Rect, words: str, code: str, code_id: str, container: Any
    ) -> None:
        """A seat's card: the seat in words above its code."""
        card = self.panel(rect, container=container, object_id="#card")
        seat = fit(words, font(15), rect.w - 24)
        self.label(
            pygame.Rect(12, 4, rect.w - 24, SEAT_WORDS_H),
            seat,
            container=card,
            object_id="#muted",
            tip=words if seat != words else None,
        )
        self.label(
            pygame.Rect(12, 4 + SEAT_WORDS_H, rect.w - 24, rect.h - SEAT_WORDS_H - 10),
            code,
            container=card,
            object_id=code_id,
        )

    def on_enter(self) -> None:
        """Enter: back to the round view."""
        self.app.pop()
