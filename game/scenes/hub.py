"""The quarter hub: top bar, tabs (number keys 1-9, then 0), the next-step hint, the hand-in button.

The hub and its tabs bind to a :class:`~game.desk.Desk`, never to a particular kind of game:
the solo game's :class:`~game.session.Session` (End quarter, then the results) and a workshop
team's desk (:class:`game.scenes.workshop.team_hub.WorkshopTeamHubScene`: Hand in, then the
acknowledgement) show the same tabs and offer the same decisions.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UIPanel

from engine.formatting import money
from game.scenes.base import ROW, Scene, hide_panel, oid
from game.translation import t
from game.widgets.coach_overlay import CoachOverlay
from game.widgets.text import fit, font, plain

if TYPE_CHECKING:
    from game.app import App
    from game.desk import Desk
    from game.scenes.tab import Tab

TOP_H = 52
TAB_H = 38
HINT_H = 34
TAB_W = 190
"""The widest a tab button gets (layout units, with its gap)."""
TAB_PAD = 24
"""Room around a tab's title inside its button, and the gap to the next."""


def tab_classes() -> list[type[Tab]]:
    """Every tab in display order (each desk sees those whose :meth:`Tab.shown` holds: its
    role's, and the People tab only with colleagues, last so the others keep their keys)."""
    from game.scenes.company_sharing import SharedTab
    from game.scenes.dashboard import DashboardTab
    from game.scenes.forecast import ForecastTab
    from game.scenes.market import MarketTab
    from game.scenes.people import PeopleTab
    from game.scenes.portfolio import PortfolioTab
    from game.scenes.pricing import PricingTab
    from game.scenes.research import ResearchTab
    from game.scenes.roadmap import RoadmapTab
    from game.scenes.team import TeamTab

    return [
        DashboardTab,
        MarketTab,
        ResearchTab,
        RoadmapTab,
        PricingTab,
        PortfolioTab,
        TeamTab,
        ForecastTab,
        PeopleTab,
        SharedTab,
    ]


def tab_widths(titles: list[str], room: int, scale: float) -> list[int]:
    """Each tab button's width with its gap (layout units) in a bar ``room`` wide: all alike
    (at most ``TAB_W``) when every title fits, else each as wide as its title needs (in
    bold, as the tab on show is drawn) and what is left shared out, so eight or nine tabs
    keep their titles whole where they can."""
    equal = min(TAB_W, room // len(titles))
    face = font(max(8, round(15 * scale)), bold=True)
    needs = [face.size(title)[0] / scale + TAB_PAD for title in titles]
    if max(needs) <= equal or sum(needs) > room:
        return [equal] * len(titles)
    spare = (room - sum(needs)) / len(titles)
    return [min(TAB_W, int(n + spare)) for n in needs]


class HubScene(Scene):
    """Where each quarter's decisions are made (the solo game: End quarter, then results)."""

    name = "hub"

    @property
    def submit_verb(self) -> str:
        """The primary button's verb, as the first quarter's hint names it."""
        return t("hub.submit_verb")

    @property
    def submit_tip(self) -> str:
        """The primary button's tooltip."""
        return t("hub.submit_tip")

    banner_h = 0
    """Height of a banner between the tab bar and the tab (0: none; see :meth:`build_banner`)."""

    def __init__(self, app: App, desk: Desk | None = None) -> None:
        super().__init__(app)
        desk = desk or app.session
        assert desk is not None
        self.desk: Desk = desk
        self.tabs = [cls(self) for cls in tab_classes() if cls.shown(desk)]
        self.current = 0
        self.panels: dict[int, UIPanel] = {}

    @property
    def tab(self) -> Tab:
        """The tab on show."""
        return self.tabs[self.current]

    def build(self) -> None:
        desk = self.desk
        w = self.width
        bar = self.panel(pygame.Rect(0, 0, w, TOP_H), object_id="#top_bar")
        self.label(
            pygame.Rect(16, 10, 420, 32),
            fit(desk.heading, font(21, bold=True), 400),
            container=bar,
            object_id="#heading",
            tip=desk.heading,
        )
        self.build_status(bar, pygame.Rect(w // 2 - 200, 0, 400, TOP_H))
        back_text, back_tip = self.back_button()
        self.button(
            pygame.Rect(w - 360, 8, 130, ROW), back_text, self.on_back, container=bar, tip=back_tip
        )
        submit = self.button(
            pygame.Rect(w - 220, 8, 204, ROW),
            self.submit_text(),
            self.end_quarter,
            container=bar,
            object_id="#primary",
            tip=self.submit_tip,
        )
        self.anchor("hub:submit", submit)
        titles = [
            t("hub.tab_button", number=i + 1, title=tab.title) for i, tab in enumerate(self.tabs)
        ]
        self.tab_buttons = []
        x = 16
        for i, (tab, title, tab_w) in enumerate(
            zip(self.tabs, titles, tab_widths(titles, w - 32, self.scale), strict=True)
        ):
            button = self.button(
                pygame.Rect(x, TOP_H + 4, tab_w - 4, TAB_H - 6),
                title,
                lambda i=i: self.show_tab(i),
                object_id="#tab_active" if i == self.current else "#tab",
                tip=tab.hint,
            )
            self.tab_buttons.append(button)
            x += tab_w
        self.hint = self.label(
            pygame.Rect(16, self.height - HINT_H, w - 32, HINT_H - 6),
            self._hint_text(),
            object_id="#muted",
        )
        self.panels = {}
        if self.banner_h:
            self.build_banner(pygame.Rect(12, TOP_H + TAB_H, w - 24, self.banner_h))
        self._build_content()
        coach = self.desk.coach
        self.coach_overlay = CoachOverlay(self, coach) if coach is not None else None
        self.update_coach()

    # ------------------------------------------------------------------ what differs per game
    def build_status(self, bar: UIPanel, area: pygame.Rect) -> None:
        """The top bar's middle (``area`` inside ``bar``): which turn, and the cash."""
        self.status_label = self.label(
            pygame.Rect(area.x, area.y + 12, area.w, 28),
            self.status_text(),
            container=bar,
            tip=t(f"hub.status_tip.{self.period_kind()}"),
        )

    def build_banner(self, area: pygame.Rect) -> None:
        """The banner under the tab bar, seen from every tab (only when :attr:`banner_h`)."""

    def status_text(self) -> str:
        """The top bar's middle line: which turn, and the cash."""
        desk = self.desk
        cash = desk.history()[-1].firms[desk.firm_id].cash
        return t(
            "hub.status",
            period=self.period_name(),
            quarter=desk.quarter,
            quarters=desk.quarters,
            cash=money(cash, desk.scenario.currency),
        )

    def period_name(self) -> str:
        """What a turn is called on this desk."""
        return t("hub.period.quarter")

    def period_kind(self) -> str:
        """Which kind of turn this desk decides, "quarter" or "round": it picks the wording of
        the sentences that name it (a subclass may override it, or :meth:`period_name`)."""
        return "round" if self.period_name() in ("Round", t("hub.period.round")) else "quarter"

    def submit_text(self) -> str:
        """The primary button's text."""
        return t("hub.submit", quarter=self.desk.quarter)

    def back_button(self) -> tuple[str, str]:
        """(text, tip) of the top bar's second button (Esc does the same)."""
        return t("hub.back"), t("hub.back_tip")

    def _hint_text(self) -> str:
        if self.desk.quarter == 1 and self.current == 0:
            return t("hub.start_hint", last=len(self.tabs), verb=self.submit_verb)
        return t("hub.tab_hint", title=self.tab.title, hint=self.tab.hint)

    def _build_content(self) -> None:
        """(Re)build the current tab's panel; other tabs keep theirs, hidden."""
        old = self.panels.pop(self.current, None)
        if old is not None:
            old.kill()
            self._forget_dead()
        top = TOP_H + TAB_H + 4 + self.banner_h
        rect = pygame.Rect(12, top, self.width - 24, self.height - top - HINT_H - 4)
        panel = self.panel(rect)
        self.panels[self.current] = panel
        self.tab.build(pygame.Rect(0, 0, rect.w - 4, rect.h - 4), panel)

    def show_tab(self, index: int) -> None:
        """Switch to another tab (only the tab bar highlight and the content change)."""
        if 0 <= index < len(self.tabs) and self.root is not None:
            old, self.current = self.current, index
            self.tab_buttons[old].change_object_id(oid("#tab"))
            self.tab_buttons[index].change_object_id(oid("#tab_active"))
            self.hint.set_text(self._hint_text())
            hide_panel(self.panels[old])
            if index in self.panels:
                self.panels[index].show()
            else:
                self._build_content()

    def show(self) -> None:
        """Show again after the pause menu, with only the current tab's panel visible."""
        super().show()
        for index, panel in self.panels.items():
            if index != self.current:
                hide_panel(panel)

    def refresh(self) -> None:
        """Rebuild the tab's content after a decision changed, keeping the keyboard focus."""
        focus = self.app.focus_index
        self._build_content()
        self.app.focus_index = focus

    def update(self, dt: float) -> None:
        """Let the tab poll its background work and the coach follow what the trainee does."""
        if self.root is not None:
            self.tab.update(dt)
            self.update_coach()

    def update_coach(self) -> None:
        """Let the coach (if any) react to the draft, the tab and its own state."""
        overlay = getattr(self, "coach_overlay", None)
        if overlay is not None and self.root is not None:
            overlay.update()

    def draw_over(self, surface: pygame.Surface) -> None:
        """The coach's ring around the control it points at."""
        overlay = getattr(self, "coach_overlay", None)
        if overlay is not None and self.root is not None:
            overlay.draw(surface)

    def on_key(self, event: pygame.event.Event) -> None:
        if pygame.K_1 <= event.key <= pygame.K_9:
            self.show_tab(event.key - pygame.K_1)
        elif event.key == pygame.K_0:  # a tenth tab
            self.show_tab(9)
        elif event.key == pygame.K_RIGHT and getattr(event, "mod", 0) & pygame.KMOD_CTRL:
            self.show_tab((self.current + 1) % len(self.tabs))

    def on_back(self) -> None:
        self.pause()

    def pause(self) -> None:
        """Open the pause menu."""
        from game.scenes.pause import PauseScene

        self.app.push(PauseScene(self.app))

    def end_quarter(self) -> None:
        """Ask for confirmation (or show the problems in words) before handing the draft in."""
        from game.scenes.dialog import DialogScene
        from game.scenes.people import waiting

        desk = self.desk
        problems, warnings = desk.problems()
        warnings = [*warnings, *waiting(desk)]  # a colleague's request left unanswered
        if problems:
            body = (
                html.escape(t("hub.fix_first"))
                + "<br><br>"
                + "<br>".join(f"• {html.escape(plain(p))}" for p in problems)
            )
            self.app.push(
                DialogScene(
                    self.app, t("hub.not_ready"), body, [(t("hub.back_to_decisions"), None)]
                )
            )
            return
        summary = "<br>".join(f"• {html.escape(plain(line))}" for line in desk.summary())
        if warnings:
            aware = html.escape(t("hub.be_aware"))
            summary += f"<br><br><font color='#f0894a'>{aware}</font><br>" + "<br>".join(
                f"• {html.escape(plain(w))}" for w in warnings
            )
        title, go = self.confirm_words()
        self.app.push(
            DialogScene(
                self.app,
                title,
                html.escape(t(f"hub.decisions.{self.period_kind()}")) + f"<br>{summary}",
                [(go, self._play), (t("hub.keep_deciding"), None)],
            )
        )

    def confirm_words(self) -> tuple[str, str]:
        """(title, go button) of the confirmation dialog."""
        return t("hub.confirm", quarter=self.desk.quarter), t("hub.play")

    def _play(self) -> None:
        """Hand the draft in: the solo game plays the quarter and shows its results."""
        from game.scenes.results import ResultsScene

        session = self.app.session
        assert session is not None and session is self.desk
        report = session.end_quarter()
        self.app.push(ResultsScene(self.app, report))
