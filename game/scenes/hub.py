"""The quarter hub: top bar, tabs (number keys 1-8), the next-step hint and End quarter."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UIPanel

from engine.formatting import money
from game.scenes.base import ROW, Scene, hide_panel, oid
from game.scenes.glossary import ROLE_NAMES
from game.widgets.text import plain

if TYPE_CHECKING:
    from game.app import App
    from game.scenes.tab import Tab
    from game.session import Session

TOP_H = 52
TAB_H = 38
HINT_H = 34


def tab_classes() -> list[type[Tab]]:
    """Every tab in display order (each role sees a subset)."""
    from game.scenes.dashboard import DashboardTab
    from game.scenes.forecast import ForecastTab
    from game.scenes.market import MarketTab
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
    ]


def decision_summary(session: Session) -> list[str]:
    """The draft decisions in words, for the End quarter confirmation."""
    s = session.scenario
    cur = s.currency
    view = session.sim.view(session.firm_id)
    names = {b.id: b.name for b in s.backlog}
    lines = []
    for pid, pd in session.draft.products.items():
        pv = view.products[pid]
        if pd.price is not None and abs(pd.price - pv.price) > 1e-9:
            lines.append(f"{pv.name}: price {money(pv.price, cur)} to {money(pd.price, cur)}")
        spend = sum((pv.marketing | pd.marketing).values())
        lines.append(f"{pv.name}: marketing {money(spend, cur)} this quarter")
        if pd.roadmap:
            lines.append(f"{pv.name}: build " + ", ".join(names.get(i, i) for i in pd.roadmap))
        if pd.research:
            lines.append(
                f"{pv.name}: {len(pd.research)} research stud"
                + ("y" if len(pd.research) == 1 else "ies")
            )
        if pd.hires or pd.layoffs:
            lines.append(f"{pv.name}: hire {pd.hires}, lay off {pd.layoffs}")
    d = session.draft
    if d.initiatives:
        lines.append(f"Culture initiatives: {len(d.initiatives)}")
    if d.hiring_freeze:
        lines.append("Hiring freeze on")
    if d.themes:
        lines.append("Themes: " + ", ".join(f"{p} {t}" for p, t in d.themes.items()))
    if d.bets:
        lines.append(f"Innovation bets funded: {len(d.bets)}")
    if d.sunset:
        lines.append("Sunset: " + ", ".join(d.sunset))
    lines.append(
        "Forecast: "
        + (
            f"{money(d.forecast.revenue, cur)} revenue, {d.forecast.share:.1%} share"
            if d.forecast
            else "none"
        )
    )
    return lines


class HubScene(Scene):
    """Where each quarter's decisions are made."""

    name = "hub"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        session = app.session
        assert session is not None
        self.tabs = [cls(self) for cls in tab_classes() if session.role in cls.roles]
        self.current = 0
        self.panels: dict[int, UIPanel] = {}

    @property
    def tab(self) -> Tab:
        """The tab on show."""
        return self.tabs[self.current]

    def build(self) -> None:
        session = self.app.session
        assert session is not None
        s = session.scenario
        w = self.width
        bar = self.panel(pygame.Rect(0, 0, w, TOP_H), object_id="#top_bar")
        firm = s.player_firms()[0].name
        self.label(
            pygame.Rect(16, 10, 420, 32),
            f"{firm} · {ROLE_NAMES[session.role]}",
            container=bar,
            object_id="#heading",
        )
        cash = session.sim.history[-1].firms[session.firm_id].cash
        self.label(
            pygame.Rect(w // 2 - 200, 12, 400, 28),
            f"Quarter {session.quarter} of {s.quarters}   ·   Cash {money(cash, s.currency)}",
            container=bar,
            tip="The quarter you are deciding now, and the cash you have to spend.",
        )
        self.button(
            pygame.Rect(w - 360, 8, 130, ROW),
            "Menu (Esc)",
            self.pause,
            container=bar,
            tip="Pause: save, settings, quit to title.",
        )
        self.button(
            pygame.Rect(w - 220, 8, 204, ROW),
            f"End quarter {session.quarter}",
            self.end_quarter,
            container=bar,
            object_id="#primary",
            tip="When your decisions on every tab are set, play the quarter and see what "
            "happened and why.",
        )
        tab_w = min(190, (w - 32) // len(self.tabs))
        self.tab_buttons = []
        for i, tab in enumerate(self.tabs):
            button = self.button(
                pygame.Rect(16 + i * tab_w, TOP_H + 4, tab_w - 4, TAB_H - 6),
                f"{i + 1} {tab.title}",
                lambda i=i: self.show_tab(i),
                object_id="#tab_active" if i == self.current else "#tab",
                tip=tab.hint,
            )
            self.tab_buttons.append(button)
        self.hint = self.label(
            pygame.Rect(16, self.height - HINT_H, w - 32, HINT_H - 6),
            self._hint_text(),
            object_id="#muted",
        )
        self.panels = {}
        self._build_content()

    def _hint_text(self) -> str:
        session = self.app.session
        assert session is not None
        if session.quarter == 1 and self.current == 0:
            return (
                "Start here: look around each tab (keys 1-"
                f"{len(self.tabs)}), make your decisions, then press End quarter."
            )
        return f"{self.tab.title}: {self.tab.hint}"

    def _build_content(self) -> None:
        """(Re)build the current tab's panel; other tabs keep theirs, hidden."""
        old = self.panels.pop(self.current, None)
        if old is not None:
            old.kill()
            self._forget_dead()
        top = TOP_H + TAB_H + 4
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

    def on_key(self, event: pygame.event.Event) -> None:
        if pygame.K_1 <= event.key <= pygame.K_9:
            self.show_tab(event.key - pygame.K_1)
        elif event.key == pygame.K_RIGHT and event.mod & pygame.KMOD_CTRL:
            self.show_tab((self.current + 1) % len(self.tabs))

    def on_back(self) -> None:
        self.pause()

    def pause(self) -> None:
        """Open the pause menu."""
        from game.scenes.pause import PauseScene

        self.app.push(PauseScene(self.app))

    def end_quarter(self) -> None:
        """Ask for confirmation (or show the problems in words) before playing the quarter."""
        from game.scenes.dialog import DialogScene

        session = self.app.session
        assert session is not None
        problems, warnings = session.problems()
        if problems:
            body = "Fix these before ending the quarter:<br><br>" + "<br>".join(
                f"• {html.escape(plain(p))}" for p in problems
            )
            self.app.push(
                DialogScene(self.app, "Not ready yet", body, [("Back to decisions", None)])
            )
            return
        summary = "<br>".join(f"• {html.escape(line)}" for line in decision_summary(session))
        if warnings:
            summary += "<br><br><font color='#f0894a'>Be aware:</font><br>" + "<br>".join(
                f"• {html.escape(plain(w))}" for w in warnings
            )
        self.app.push(
            DialogScene(
                self.app,
                f"End quarter {session.quarter}?",
                f"Your decisions this quarter:<br>{summary}",
                [("Play the quarter", self._play), ("Keep deciding", None)],
            )
        )

    def _play(self) -> None:
        from game.scenes.results import ResultsScene

        session = self.app.session
        assert session is not None
        report = session.end_quarter()
        self.app.push(ResultsScene(self.app, report))
