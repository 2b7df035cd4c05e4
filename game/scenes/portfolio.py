"""Portfolio tab (CPO): each line's theme and PM mentoring, innovation bets, sunsetting."""

from __future__ import annotations

from typing import Any, get_args

import pygame

from engine.decisions import Theme
from engine.formatting import count, money, pct
from game.scenes.base import GAP, ROW
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab

THEMES: tuple[str, ...] = get_args(Theme)
STYLES = {
    "builder": "ships features",
    "analyst": "researches first",
    "customer": "chases satisfaction",
    "cautious": "protects margin",
    "visionary": "takes big bets",
}


def mentoring_room(mentoring: dict[str, float], line: str) -> float:
    """The most mentoring time ``line`` may have: 100% minus the other lines' time."""
    others = sum(v for k, v in mentoring.items() if k != line)
    return max(0.0, round(1.0 - others, 2))


class PortfolioTab(Tab):
    """Sets ``themes``, ``mentoring``, ``bets``, ``incubation`` and ``sunset``."""

    title = "Portfolio"
    roles = ("cpo",)
    hint = "Steer each line's AI PM with a theme and mentoring; fund bets; sunset lines."

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        s = desk.scenario
        draft = desk.draft
        x, w = area.x + GAP, area.w - 2 * GAP
        y = area.y + GAP
        last = desk.history()[-1]
        lines = desk.org().lines
        left = mentoring_room(draft.mentoring, "")
        self.hub.label(
            pygame.Rect(x, y, w, 24),
            f"Your mentoring time left to give: {pct(left, 0)} of 100% "
            "(each line's mentoring can use at most what is left).",
            container=container,
            object_id="#muted",
            tip=DECISIONS["mentoring"],
        )
        y += 28
        for product in desk.products():
            pm = product.team.pm if product.team else None
            result = last.products.get(product.id)
            who = (
                f"PM {pm.name}: skill {lines[product.id].skill:.2f} (started at {pm.skill:.2f}), "
                f"{STYLES[pm.style]}"
                if pm
                else "no PM"
            )
            numbers = (
                f" · {money(result.revenue, s.currency)} revenue, "
                f"{count(result.customers)} customers"
                if result
                else ""
            )
            sunset = product.id in draft.sunset
            self.hub.label(
                pygame.Rect(x, y, w, 32),
                f"{product.name}{' (to be sunset)' if sunset else ''}{numbers}",
                container=container,
                object_id="#heading",
            )
            y += 34
            self.hub.label(pygame.Rect(x, y, w, 24), who, container=container, object_id="#muted")
            y += 28
            theme = draft.themes.get(product.id, "growth")
            self.hub.button(
                pygame.Rect(x, y, 220, ROW),
                f"Theme: {theme}",
                lambda pid=product.id: self._theme(pid),
                container=container,
                tip=DECISIONS["themes"],
            )
            self.hub.button(
                pygame.Rect(x + 230, y, 160, ROW),
                "Keep line" if sunset else "Sunset line",
                lambda pid=product.id: self._sunset(pid),
                container=container,
                tip=DECISIONS["sunset"],
            )

            def set_mentoring(v: float, pid: str = product.id) -> None:
                desk.draft.mentoring = {**desk.draft.mentoring, pid: round(v, 2)}

            self.hub.stepper(
                pygame.Rect(x + 400, y, w - 400, ROW),
                "Your mentoring time",
                draft.mentoring.get(product.id, 0.0),
                (0.0, mentoring_room(draft.mentoring, product.id)),
                0.1,
                lambda v: pct(v, 0),
                set_mentoring,
                tip=DECISIONS["mentoring"],
                container=container,
            )
            y += ROW + 2 * GAP
        self.hub.label(
            pygame.Rect(x, y, w, 32),
            "Innovation bets",
            container=container,
            object_id="#heading",
            tip=DECISIONS["bets"],
        )
        y += 32
        decided = desk.org().bets_resolved
        names = {b.id: b.name for b in s.backlog}
        for bet in s.bets:
            on = bet.id in draft.bets
            if bet.id in decided:  # a bet is decided once: its outcome, never "Fund" again
                self.hub.button(
                    pygame.Rect(x, y, 110, ROW),
                    "Paid off" if decided[bet.id] else "Failed",
                    None,
                    container=container,
                    enabled=False,
                    tip="This bet has been decided; it cannot be funded again.",
                )
            else:
                self.hub.button(
                    pygame.Rect(x, y, 110, ROW),
                    "Stop" if on else "Fund",
                    lambda b=bet.id: self._bet(b),
                    container=container,
                    object_id="#tab_active" if on else None,
                    tip=f"{bet.description} {DECISIONS['bets']}",
                )
            outcome = (
                (" — paid off: " + ", ".join(names.get(i, i) for i in bet.unlocks) + " unlocked")
                if decided.get(bet.id)
                else " — did not pay off"
                if bet.id in decided
                else ""
            )
            self.hub.label(
                pygame.Rect(x + 120, y, w - 120, ROW),
                f"{bet.name}: {money(bet.cost, s.currency)} a quarter for "
                f"{bet.quarters} quarter(s), about {pct(bet.success, 0)} chance{outcome}",
                container=container,
                tip=bet.description or bet.name,
            )
            y += ROW + 6

        def set_incubation(v: float) -> None:
            desk.draft.incubation = int(v)

        if s.bets:
            self.hub.stepper(
                pygame.Rect(x, y, min(w, 700), ROW),
                "Engineers in incubation",
                draft.incubation,
                (0, 20),
                1,
                lambda v: f"{v:.0f}",
                set_incubation,
                tip="Engineers moved from the lines into the incubation team; "
                "they raise the bets' chances.",
                container=container,
            )

    def _theme(self, product_id: str) -> None:
        draft = self.desk.draft
        now = draft.themes.get(product_id, "growth")
        nxt = THEMES[(THEMES.index(now) + 1) % len(THEMES)]
        draft.themes = {**draft.themes, product_id: nxt}  # type: ignore[dict-item]
        self.hub.refresh()

    def _sunset(self, product_id: str) -> None:
        draft = self.desk.draft
        draft.sunset = (
            [p for p in draft.sunset if p != product_id]
            if product_id in draft.sunset
            else [*draft.sunset, product_id]
        )
        self.hub.refresh()

    def _bet(self, bet_id: str) -> None:
        draft = self.desk.draft
        draft.bets = (
            [b for b in draft.bets if b != bet_id]
            if bet_id in draft.bets
            else [*draft.bets, bet_id]
        )
        self.hub.refresh()
