"""A network team between rounds: the waiting room, the round's results, the final standings.

The waiting room follows the host's live status: how many teams have handed in, the
deadline, the connection. Until the facilitator plays the round the team may change its
decisions (a new hub, starting from its hand-in). Once the status says the round was played,
the team's new package is fetched and its results shown: its own numbers and why they moved
(the solo results' own wording, from the engine's report), and the class leaderboard. After
the last round: the final standings and the team's scorecard.

Nothing here computes a result: everything shown comes from the host's package.
"""

from __future__ import annotations

import html
import time
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

import pygame

from engine.decisions import describe
from game.scenes.base import GAP, MARGIN, Scene, oid
from game.scenes.workshop.common import TOP_H, leaderboard_rows, top_bar
from game.scenes.workshop.connection import (
    clock_words,
    connection_words,
    leave_workshop,
    resolved_since,
    status_of,
)
from game.translation import t
from game.widgets.text import fit, font, plain, text_height
from game.workshop.words import shown

if TYPE_CHECKING:
    from game.app import App
    from game.workshop import wire
    from game.workshop.remote_desk import Membership, RemoteDesk

RETRY_S = 3.0
"""Seconds between tries to fetch the results while the host cannot be reached."""
COLUMN_W = 760
BUTTON_H = 44
REMOTE_KPIS = ("revenue", "profit", "share")
"""The leaderboard's KPI columns beside the team's own results (the final one shows all)."""


class RemoteWaitingScene(Scene):
    """'Round N handed in': the class's progress until the facilitator plays the round."""

    name = "workshop_remote_waiting"

    def __init__(
        self,
        app: App,
        membership: Membership,
        round_: int,
        warnings: list[str] | None,
        *,
        summary: list[str] | None = None,
        played: bool = False,
    ) -> None:
        super().__init__(app)
        self.membership = membership
        self.round = round_
        self.warnings = warnings
        self.summary = summary  # what was handed in, in words (None: not known here)
        self.played = played  # the round was played before the team handed in (from the hub)
        self.fetch: Future[wire.Package] | None = None
        self.fetch_for = ""  # "results" or "change"
        self.failed_at = 0.0
        self.note = ""
        self._shown: dict[str, tuple[str, str]] = {}
        if membership.link.state == "lost":  # the host just answered: reconnect the stream now
            membership.link.retry_now()

    # ------------------------------------------------------------------ screen
    def build(self) -> None:
        m = self.membership
        title = (
            t("ws_waiting.played_title", round=self.round)
            if self.played
            else t("ws_waiting.handed_in_title", round=self.round)
        )
        scenario = m.hello.get("scenario", t("ws_waiting.crossroads_workshop"))
        top_bar(self, title, t("ws_waiting.team_line", team=m.team, scenario=scenario))
        top = TOP_H + MARGIN
        body_h = self.height - top - MARGIN
        left_w = (self.width - 2 * MARGIN - 2 * MARGIN) // 2
        handed = self._handed_html()
        box_h = min(body_h, text_height(handed, left_w) + 8)
        self.text(pygame.Rect(MARGIN, top, left_w, box_h), handed)
        x = MARGIN + left_w + 2 * MARGIN
        w = self.width - MARGIN - x
        y = top
        self.labels: dict[str, Any] = {}
        keys = (("progress", 40), ("seats", 76), ("deadline", 30), ("link", 30))
        for key, h in keys if m.seat is not None else (keys[0], *keys[2:]):
            text, kind = self._line(key)
            if key == "seats":  # a company's seats: wraps on two lines
                self.labels[key] = self.text(pygame.Rect(x, y, w, h), html.escape(text))
            else:
                self.labels[key] = self.label(pygame.Rect(x, y, w, h), text, object_id=kind)
            self._shown[key] = (text, kind)
            y += h + 6
        y += GAP
        self.change_button = self.button(
            pygame.Rect(x, y, 280, BUTTON_H),
            t("ws_waiting.change"),
            self.change,
            enabled=not self._resolved() and self.fetch is None,
            tip=t("ws_waiting.change_tip"),
        )
        self.button(
            pygame.Rect(x + 280 + GAP, y, 180, BUTTON_H),
            t("workshop.leave"),
            self.on_back,
            tip=t("ws_waiting.leave_tip"),
        )
        y += BUTTON_H + 2 * GAP
        self.text(pygame.Rect(x, y, w, -1), t("ws_waiting.what_next"), object_id="#muted")
        if self.note:
            self.text(
                pygame.Rect(x, self.height - MARGIN - 110, w, 110),
                f"<font color='#f0894a'>{html.escape(plain(self.note))}</font>",
            )

    def _handed_html(self) -> str:
        if self.played:
            return t("ws_waiting.played_before")
        parts = []
        if self.summary:
            parts.append(
                f"<b>{t('ws_waiting.what_you_handed_in')}</b><br>"
                + "<br>".join(f"• {html.escape(plain(line))}" for line in self.summary)
            )
        else:
            parts.append(t("ws_waiting.with_the_host"))
        if self.warnings:
            parts.append(
                f"<font color='#f0894a'>{t('ws_waiting.played_as_given')}</font><br>"
                + "<br>".join(f"• {html.escape(plain(shown(w)))}" for w in self.warnings)
            )
        return "<br><br>".join(parts)

    def _say(self, note: str) -> None:
        """Show (or clear) a note about fetching from the host."""
        if note != self.note:
            self.note = note
            if self.root is not None:
                self.refresh()

    def _line(self, key: str) -> tuple[str, str]:
        """(text, theme id) of one status line: progress, deadline or connection."""
        link = self.membership.link
        status = status_of(link, self.round)
        if key == "link":
            return connection_words(link)
        if key == "seats":
            return self._seats_line(), "#muted"
        if key == "progress":
            if self._resolved():
                return t("ws_waiting.round_played"), "#heading"
            if status is None or status.round != self.round:
                return t("ws_waiting.waiting_news"), "#heading"
            progress = (
                t("ws_waiting.progress", done=status.handed_in, teams=status.teams)
                if self.membership.seat is None
                else t("company_net.progress", done=status.handed_in, companies=status.teams)
            )
            return progress, "#heading"
        if self._resolved():
            return t("ws_waiting.fetching"), "#muted"
        left = self.membership.clock.remaining(status.deadline if status is not None else None)
        if left is None:
            return t("ws_waiting.no_deadline"), "#muted"
        if left <= 0:
            return t("ws_waiting.closed"), "#bad"
        return t("ws_waiting.closes_in", clock=clock_words(left)), "#muted"

    def _seats_line(self) -> str:
        """Which seats of a company handed in this round, from the host's status."""
        from game.scenes.workshop.seat_hub import live_seats, seats_words

        m = self.membership
        handed = live_seats(m, self.round)
        if m.seat is None or not handed or self._resolved():
            return ""
        return t("company_net.company_line", seats=seats_words(m.seat, m.lines, handed))

    def _resolved(self) -> bool:
        return resolved_since(self.membership.link, self.round)

    # ------------------------------------------------------------------ every frame
    def update(self, dt: float) -> None:
        """Follow the host: progress, deadline, connection; the results once played."""
        link = self.membership.link
        self.membership.clock.follow(link)
        if self.root is None:
            return
        for key, label in self.labels.items():
            line = self._line(key)
            if label.alive() and line != self._shown.get(key):
                self._shown[key] = line
                label.set_text(html.escape(line[0]) if key == "seats" else line[0])
                if key not in ("progress", "seats"):
                    label.change_object_id(oid(line[1]))
        if self._resolved() and self.change_button.alive() and self.change_button.is_enabled:
            self.change_button.disable()
        fetch = self.fetch
        if fetch is not None and fetch.done():
            self.fetch = None
            self._fetched(fetch)
        elif (
            fetch is None
            and self._resolved()
            and time.monotonic() - self.failed_at >= RETRY_S
            and self.app.top is self
        ):
            self._start("results")

    def _start(self, purpose: str) -> None:
        self.fetch_for = purpose
        self.fetch = self.membership.package()

    def _fetched(self, future: Future[wire.Package]) -> None:
        from game.workshop.remote_desk import remote_words
        from game.workshop.remote_seat import seat_desk

        try:
            package = future.result()
        except Exception as exc:  # said in words; the results are fetched again
            self.failed_at = time.monotonic()
            self._say(t("ws_waiting.unreachable", why=remote_words(exc, self.membership.url)))
            if self.fetch_for == "change" and self.change_button.alive():
                self.change_button.enable()
            return
        self._say("")
        if package.round > self.round or package.finished:
            self.app.replace(RemoteResultsScene(self.app, self.membership, package))
            return
        if self.fetch_for == "change":
            from game.scenes.workshop.seat_hub import hub_for

            desk = seat_desk(package, self.membership.link)
            desk.prime()
            self.app.replace(hub_for(self.app, self.membership, desk))

    def change(self) -> None:
        """Back to the hub, from the team's hand-in (fetched again from the host)."""
        if self.fetch is not None or self._resolved():
            return
        self.change_button.disable()
        self._start("change")

    def on_back(self) -> None:
        leave_workshop(self.app, self.membership, None)

    def on_reload(self) -> None:
        """F5 reloads nothing in a network workshop."""


class RemoteResultsScene(Scene):
    """The team's results of the round just played, and the class leaderboard."""

    name = "workshop_remote_results"

    def __init__(self, app: App, membership: Membership, package: wire.Package) -> None:
        from game.workshop.remote_desk import clean_leaderboard
        from game.workshop.remote_seat import seat_desk

        super().__init__(app)
        self.membership = membership
        self.package = package
        self.board = clean_leaderboard(package.leaderboard)
        self.next_desk: RemoteDesk | None = None
        if not package.finished:  # ask the host about the next round's draft already
            self.next_desk = seat_desk(package, membership.link)
            self.next_desk.prime()

    @property
    def played(self) -> int:
        """The round whose results these are."""
        return min(self.package.round - 1, self.package.rounds)

    def build(self) -> None:
        from game.scenes.dashboard import CARD_H, kpi_row

        p = self.package
        s = p.scenario
        history = p.firm.history
        me = p.map.firm
        top_bar(
            self,
            t("ws_waiting.results_title", round=self.played, rounds=p.rounds),
            t(
                "ws_waiting.results_subtitle",
                team=p.team,
                scenario=self.membership.hello.get("scenario", s.title),
            ),
        )
        row = pygame.Rect(MARGIN, TOP_H + GAP, self.width - 2 * MARGIN, CARD_H)
        before = history[-2].firms[me] if len(history) > 1 else None
        since = t("ws_waiting.last_round")
        kpi_row(self, self.root, row, history[-1].firms[me], before, s.currency, since)
        top = row.bottom + GAP
        body_h = self.height - top - MARGIN - BUTTON_H - GAP
        left_w = (self.width - 2 * MARGIN - GAP) // 2
        why, rest = self._report_html()
        self.text(pygame.Rect(MARGIN, top, left_w, body_h), why)
        right = pygame.Rect(MARGIN + left_w + GAP, top, self.width - 2 * MARGIN - left_w - GAP, 0)
        self.label(
            pygame.Rect(right.x, top, right.w, 30),
            t("ws_waiting.class_leaderboard"),
            object_id="#heading",
        )
        rows = len(self.board) + 1  # rows of 34 units, down to 24 when many teams share half
        table_h = max(rows * 24, min(rows * 34, (body_h - 36) // 2))
        below = leaderboard_rows(
            self,
            self.board,
            s.currency,
            pygame.Rect(right.x, top + 36, right.w, table_h),
            kpis=REMOTE_KPIS,
            own=p.team,
        )
        self.text(pygame.Rect(right.x, below, right.w, top + body_h - below), rest)
        by = self.height - MARGIN - BUTTON_H
        if p.finished:
            self.button(
                pygame.Rect(self.width - MARGIN - 380, by, 380, BUTTON_H),
                t("ws_waiting.final_and_scorecard"),
                self.go_on,
                object_id="#primary",
            )
        else:
            self.button(
                pygame.Rect(self.width - MARGIN - 320, by, 320, BUTTON_H),
                t("ws_waiting.next_round", round=p.round),
                self.go_on,
                object_id="#primary",
                tip=t("ws_waiting.next_round_tip"),
            )
        self.button(
            pygame.Rect(MARGIN, by, 200, BUTTON_H),
            t("workshop.leave"),
            self.on_back,
            tip=t("ws_waiting.leave_short_tip"),
        )
        self.app.focus_index = 0

    def _report_html(self) -> tuple[str, str]:
        """(why the numbers moved and inside the company; what the team decided and the
        news), in the solo results' own words."""
        from game.scenes.results import drivers_html, names_of, news_html, work_html

        p = self.package
        s = p.scenario
        history = p.firm.history
        report, me = history[-1], p.map.firm
        why = f"<b>{t('ws_waiting.why_moved')}</b><br>" + drivers_html(report, me)
        work = work_html(report, me, names_of(s))
        if work:
            why += f"<br><br><b>{t('ws_waiting.inside')}</b><br>{work}"
        rest = []
        if p.previous is not None and len(history) > 1:
            lines = describe(
                s,
                p.map.to_market(p.previous),
                history[-2],
                None,
                ai_lines=list(p.map.products.values()) if p.session.get("role") == "cpo" else (),
            )
            decided = "<br>".join(f"• {html.escape(plain(line))}" for line in lines)
            decided = decided or f"• {t('ws_waiting.kept_course')}"
            rest.append(f"<b>{t('ws_waiting.what_you_decided')}</b><br>" + decided)
        rest.append(f"<b>{t('ws_waiting.news')}</b><br>" + news_html(report, s.currency))
        return why, "<br><br>".join(rest)

    def go_on(self) -> None:
        """The next round's hub, or the final standings."""
        from game.scenes.workshop.seat_hub import hub_for

        if self.package.finished or self.next_desk is None:
            self.app.replace(RemoteFinalScene(self.app, self.membership, self.package))
        else:
            self.app.replace(hub_for(self.app, self.membership, self.next_desk))

    def on_enter(self) -> None:
        self.go_on()

    def on_back(self) -> None:
        leave_workshop(self.app, self.membership, None)

    def on_reload(self) -> None:
        """F5 reloads nothing in a network workshop."""


class RemoteFinalScene(Scene):
    """After the last round: the class's final standings and the team's scorecard."""

    name = "workshop_remote_final"

    def __init__(self, app: App, membership: Membership, package: wire.Package) -> None:
        from game.workshop.remote_desk import clean_leaderboard

        super().__init__(app)
        self.membership = membership
        self.package = package
        self.board = clean_leaderboard(package.leaderboard)

    def build(self) -> None:
        p = self.package
        top_bar(
            self,
            t(
                "ws_waiting.final_title",
                scenario=self.membership.hello.get("scenario", p.scenario.title),
            ),
            t("ws_waiting.final_subtitle", team=p.team, rounds=p.rounds),
        )
        top = TOP_H + MARGIN
        body_h = self.height - top - MARGIN - BUTTON_H - GAP
        left_w = (self.width - 2 * MARGIN - GAP) * 11 // 20
        self.label(
            pygame.Rect(MARGIN, top, left_w, 30),
            t("ws_waiting.class_leaderboard"),
            object_id="#heading",
        )
        leaderboard_rows(
            self,
            self.board,
            p.scenario.currency,
            pygame.Rect(MARGIN, top + 36, left_w, body_h - 36),
            own=p.team,
        )
        self.text(
            pygame.Rect(MARGIN + left_w + GAP, top, self.width - 2 * MARGIN - left_w - GAP, body_h),
            self._scorecard_html(),
        )
        by = self.height - MARGIN - BUTTON_H
        self.button(
            pygame.Rect(self.width - MARGIN - 300, by, 300, BUTTON_H),
            t("ws_waiting.leave_workshop"),
            self.leave,
            object_id="#primary",
            tip=t("ws_waiting.leave_workshop_tip"),
        )
        self.button(
            pygame.Rect(MARGIN, by, 320, BUTTON_H),
            fit(t("ws_waiting.last_results"), font(16, bold=True), 300),
            self.on_back,
        )
        self.app.focus_index = 0

    def _scorecard_html(self) -> str:
        """The team's score, grade, objectives and competencies (the debrief's wording)."""
        from game.scenes.dashboard import objectives_html
        from game.scenes.debrief import competencies_html

        card = self.package.scorecard
        try:
            head = t(
                "ws_waiting.score_line",
                team=html.escape(self.package.team),
                score=f"{float(card['score']):.0f}",
                grade=html.escape(str(card["grade"])),
            )
            return (
                f"<b>{head}</b><br><br><b>{t('ws_waiting.objectives')}</b><br>"
                + objectives_html(list(card["objectives"]), self.package.scenario)
                + f"<br><br><b>{t('ws_waiting.competencies')}</b><br>"
                + competencies_html(dict(card["competencies"]))
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return t("ws_waiting.scorecard_unreadable")

    def leave(self) -> None:
        """Close the connection; back to the title screen."""
        from game.scenes.title import TitleScene

        self.membership.close()
        self.app.reset_to(TitleScene(self.app))

    def on_back(self) -> None:
        self.app.replace(RemoteResultsScene(self.app, self.membership, self.package))

    def on_reload(self) -> None:
        """F5 reloads nothing in a network workshop."""
