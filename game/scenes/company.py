"""Company mode on screen: a seat's hub, the hot-seat handover and each seat's results.

A seat's hub is the solo hub bound to the seat's desk (:mod:`game.company_desks`) with a
banner under the tab bar: a PM sees the CPO's direction for the line (theme, budget,
strategy), the CPO what the PMs shared; both see the company's flags. Handing in passes the
laptop on: the handover screen names the next person and shows nothing of any seat; once
the last person has handed in the quarter plays (and the game is autosaved), and each person
sees the results (their own seat's) before deciding again. After the last quarter's results
the company debrief follows (:mod:`game.scenes.company_debrief`).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame

from engine.decisions import THEME_NAMES
from engine.formatting import money_full
from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.dashboard import CARD_H, kpi_row
from game.scenes.hub import HubScene
from game.scenes.results import names_of, news_html, work_html
from game.translation import t
from game.widgets.text import fit, font, plain

if TYPE_CHECKING:
    from engine.report import TurnReport
    from game.app import App
    from game.company_desks import SeatDesk
    from game.company_session import CompanySession

FLAG_COLOUR = "#f0894a"


def direction_words(session: CompanySession, line: str) -> str:
    """The CPO's direction for ``line`` in one sentence: theme, budget, strategy."""
    theme, direction = session.direction_for(line)
    cur = session.scenario.currency
    return t(
        "company_ui.direction",
        theme=THEME_NAMES.get(theme or "", t("company_ui.no_theme")),
        budget=t("company_ui.no_limit")
        if direction.budget is None
        else money_full(direction.budget, cur),
        strategy=direction.strategy or t("company_ui.no_strategy"),
    )


def flags_html(texts: list[str]) -> str:
    """Flags as warning lines (escaped, in the warning colour)."""
    return "<br>".join(
        f"<font color='{FLAG_COLOUR}'>• {html.escape(plain(text), quote=False)}</font>"
        for text in texts
    )


class CompanyHubScene(HubScene):
    """One seat's hub: the seat's tabs, a banner with the direction or what was shared and
    the flags, and Hand in."""

    name = "company_hub"
    banner_h = 68

    def __init__(self, app: App, session: CompanySession, seat_id: str) -> None:
        self.session = session
        self.seat_id = seat_id
        self.seat_desk: SeatDesk = session.desk(seat_id)
        super().__init__(app, self.seat_desk)

    @property
    def submit_verb(self) -> str:  # type: ignore[override]
        """The hub's submit action in words."""
        return t("company_ui.hand_in")

    @property
    def submit_tip(self) -> str:  # type: ignore[override]
        """What handing in does."""
        return t("company_ui.hand_in_tip")

    def submit_text(self) -> str:
        return t("company_ui.hand_in_quarter", quarter=self.desk.quarter)

    def confirm_words(self) -> tuple[str, str]:
        return t("company_ui.hand_in_confirm", quarter=self.desk.quarter), t("company_ui.hand_in")

    def on_reload(self) -> None:
        """F5 reloads nothing: the company plays the scenario it started with."""

    def banner_html(self) -> str:
        """The banner's text: the direction (a PM) or what was shared (the CPO), and flags."""
        s = self.session
        seat = s.seat(self.seat_id)
        if seat.role == "pm":
            first = "<b>{}</b> {}".format(
                html.escape(t("company_ui.from_cpo"), quote=False),
                html.escape(direction_words(s, seat.line or ""), quote=False),
            )
        else:
            first = "<b>{}</b> {}".format(
                html.escape(t("company_ui.from_pms"), quote=False),
                html.escape(
                    t("company_ui.shared_count", studies=len(s.shared), notes=len(s.notes)),
                    quote=False,
                ),
            )
        texts = [f.text for f in s.flags if seat.role == "cpo" or f.line == seat.line]
        texts += [w for w in (f.text for f in self.seat_desk.flags()) if w not in texts]
        flags = flags_html(texts) if texts else html.escape(t("company_ui.no_flags"), quote=False)
        return f"{first}<br>{flags}"

    def build_banner(self, area: pygame.Rect) -> None:
        """The direction or what was shared, and the flags, seen from every tab."""
        self.banner = self.text(area, self.banner_html(), tip=t("company_ui.banner_tip"))

    def refresh(self) -> None:
        """Rebuild the tab and the banner (a change may raise or clear a flag)."""
        super().refresh()
        banner = getattr(self, "banner", None)
        if banner is not None and banner.alive():
            text = self.banner_html()
            if text != banner.html_text:
                banner.set_text(text)

    def _play(self) -> None:
        """Hand in; pass the laptop on, or (the last person) play the quarter."""
        from game.scenes.dialog import show_message

        s = self.session
        try:
            report = s.hand_in(self.seat_id)
        except ValueError as exc:
            show_message(
                self.app, t("company_ui.not_handed_in"), html.escape(str(exc), quote=False)
            )
            return
        nxt = s.waiting()
        if report is None:
            self.app.replace(CompanyHandoverScene(self.app, s, nxt[0]))
        elif len(s.people) == 1:
            self.app.replace(CompanyResultsScene(self.app, s, self.seat_id, report))
        elif nxt:
            self.app.replace(CompanyHandoverScene(self.app, s, nxt[0]))
        else:  # the game is over: everyone sees the last quarter's results in turn
            self.app.replace(CompanyHandoverScene(self.app, s, next(iter(s.people))))


class CompanyHandoverScene(Scene):
    """'Pass the laptop to Kwame, PM of Quill Tutor': nothing of any seat is on screen."""

    name = "company_handover"

    def __init__(self, app: App, session: CompanySession, seat_id: str) -> None:
        super().__init__(app)
        self.session = session
        self.seat_id = seat_id

    def build(self) -> None:
        s = self.session
        cx, cy = self.width // 2, self.height // 2
        person = s.people[self.seat_id]
        seat = s.seat_title(self.seat_id)
        self.label(
            pygame.Rect(MARGIN, cy - 150, self.width - 2 * MARGIN, 64),
            fit(
                t("company_ui.pass_laptop_cpo")
                if s.unnamed(self.seat_id)
                else t("company_ui.pass_laptop", person=person, seat=seat),
                font(36, bold=True),
                self.width - 2 * MARGIN - 20,
            ),
            object_id="#title",
        )
        played = len(s.played)
        self.text(
            pygame.Rect(cx - 420, cy - 70, 840, 100),
            html.escape(t("company_ui.look_away", person=person), quote=False)
            + (
                "<br>" + html.escape(t("company_ui.quarter_played", quarter=played), quote=False)
                if self._results_due()
                else ""
            ),
            object_id="#subtitle",
        )
        self.button(
            pygame.Rect(cx - 220, cy + 50, 440, 48),
            fit(t("company_ui.i_am", person=person), font(16, bold=True), 420),
            self.go_on,
            object_id="#primary",
        )
        self.app.focus_index = 0

    def _results_due(self) -> bool:
        """Has a quarter been played since this seat last saw results?"""
        return self.session.seen.get(self.seat_id, 0) < len(self.session.played)

    def go_on(self) -> None:
        """The person is at the laptop: their results first (if a quarter was played)."""
        s = self.session
        if self._results_due():
            self.app.replace(CompanyResultsScene(self.app, s, self.seat_id, s.reports[-1]))
        else:
            self.app.replace(CompanyHubScene(self.app, s, self.seat_id))

    def on_enter(self) -> None:
        self.go_on()

    def on_back(self) -> None:
        from game.scenes.pause import PauseScene

        self.app.push(PauseScene(self.app))


class CompanyResultsScene(Scene):
    """The quarter's results as one seat may see them; then that seat's next quarter."""

    name = "company_results"

    def __init__(self, app: App, session: CompanySession, seat_id: str, report: TurnReport) -> None:
        super().__init__(app)
        self.session = session
        self.seat_id = seat_id
        self.report = session.seat_report(seat_id, report)
        session.seen[seat_id] = len(session.played)

    def build(self) -> None:
        s = self.session
        r = self.report
        me = s.firm_id
        cur = s.scenario.currency
        self.label(
            pygame.Rect(MARGIN, MARGIN, self.width - 2 * MARGIN, 40),
            fit(
                t(
                    "company_ui.results_heading",
                    quarter=r.quarter,
                    quarters=s.scenario.quarters,
                    seat=s.seat_title(self.seat_id),
                ),
                font(24, bold=True),
                self.width - 2 * MARGIN,
            ),
            object_id="#heading",
        )
        row = pygame.Rect(MARGIN, MARGIN + 48, self.width - 2 * MARGIN, CARD_H)
        history = s.sim.history
        before = history[-2].firms[me] if len(history) > 1 else None
        kpi_row(self, self.root, row, r.firms[me], before, cur)
        top = row.bottom + GAP
        body_h = self.height - top - MARGIN - ROW - GAP
        left_w = (self.width - 2 * MARGIN - GAP) // 2
        flags = [f.text for f in s.flags]
        self.text(
            pygame.Rect(MARGIN, top, left_w, body_h),
            f"<b>{html.escape(t('company_ui.flags'), quote=False)}</b><br>"
            + (flags_html(flags) if flags else html.escape(t("company_ui.no_flags"), quote=False))
            + f"<br><br><b>{html.escape(t('company_ui.inside'), quote=False)}</b><br>"
            + work_html(r, me, names_of(s.scenario)),
        )
        self.text(
            pygame.Rect(MARGIN + left_w + GAP, top, self.width - 2 * MARGIN - left_w - GAP, body_h),
            f"<b>{html.escape(t('company_ui.news'), quote=False)}</b><br>" + news_html(r, cur),
        )
        self.button(
            pygame.Rect(self.width - MARGIN - 320, self.height - MARGIN - ROW, 320, ROW),
            t("company_ui.finished") if s.finished else t("company_ui.plan", quarter=s.quarter),
            self.go_on,
            object_id="#primary",
        )
        self.app.focus_index = 0

    def go_on(self) -> None:
        """On to this seat's next quarter (or, the game over, the next person's results and,
        once everyone has seen them, the company debrief)."""
        from game.scenes.company_debrief import CompanyDebriefScene

        s = self.session
        if not s.finished:
            self.app.replace(CompanyHubScene(self.app, s, self.seat_id))
            return
        unseen = [p for p in s.people if s.seen.get(p, 0) < len(s.played)]
        if unseen:
            self.app.replace(CompanyHandoverScene(self.app, s, unseen[0]))
        else:
            self.app.reset_to(CompanyDebriefScene(self.app, s))

    def on_enter(self) -> None:
        self.go_on()

    def on_back(self) -> None:
        self.go_on()


def start_company(app: App, session: CompanySession) -> None:
    """Open a company game (new or resumed) and autosave it, so Continue finds it: the first
    person's hub (solo), or the handover to them; a finished game's debrief."""
    from game.scenes.company_debrief import CompanyDebriefScene

    app.session = None
    app.company = session
    session.autosave_quietly()
    if session.finished:
        app.reset_to(CompanyDebriefScene(app, session))
        return
    first = next(iter(session.people))
    if len(session.people) == 1:
        app.reset_to(CompanyHubScene(app, session, first))
    else:
        app.reset_to(CompanyHandoverScene(app, session, first))
