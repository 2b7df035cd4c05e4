"""Forecast tab: the player's forecast of next quarter's revenue and share (graded later)."""

from __future__ import annotations

import html
from typing import Any

import pygame

from engine.decisions import Forecast
from engine.formatting import money, pct
from game.scenes.base import GAP, ROW
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab


class ForecastTab(Tab):
    """Sets ``Decisions.forecast``; an empty entry means no forecast this quarter."""

    title = "Forecast"
    hint = "Say what you expect this quarter's decisions to produce."

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        s = desk.scenario
        now = desk.history()[-1].firms[desk.firm_id]
        forecast = desk.draft.forecast
        x, w = area.x + GAP, min(area.w - 2 * GAP, 900)
        y = area.y + GAP
        self.hub.text(
            pygame.Rect(x, y, w, 110),
            f"Last quarter: revenue <b>{html.escape(money(now.revenue, s.currency))}</b>, "
            f"market share <b>{pct(now.share)}</b>.<br>{DECISIONS['forecast']} Leave a box "
            "empty to skip the forecast this quarter (it then counts as a miss for calibration).",
            container=container,
        )
        y += 122
        fields = (
            (
                f"Revenue next quarter ({s.currency}):",
                f"{forecast.revenue:.0f}" if forecast else "",
                "Whole currency units, e.g. 1600000.",
            ),
            (
                "Overall market share next quarter (%):",
                f"{forecast.share * 100:.1f}" if forecast else "",
                "A percentage between 0 and 100, e.g. 22.5.",
            ),
        )
        entries = []
        for name, value, tip in fields:
            self.hub.label(
                pygame.Rect(x, y, 360, ROW), name, container=container, tip=DECISIONS["forecast"]
            )
            entries.append(
                self.hub.entry_line(
                    pygame.Rect(x + 370, y, 220, ROW),
                    value,
                    lambda text: self._update(),
                    allowed="decimal",
                    tip=tip,
                    container=container,
                )
            )
            y += ROW + GAP
        self.revenue, self.share = entries
        self.status = self.hub.label(
            pygame.Rect(x, y, w, 26), self._status(), container=container, object_id="#muted"
        )

    def _status(self) -> str:
        f = self.desk.draft.forecast
        if f is None:
            return "No forecast set for this quarter."
        return (
            f"Forecast set: {money(f.revenue, self.desk.scenario.currency)} revenue, "
            f"{pct(f.share)} share."
        )

    def _update(self) -> None:
        try:
            revenue = float(self.revenue.get_text().replace(",", ""))
            share = float(self.share.get_text().replace(",", ".")) / 100
            self.desk.draft.forecast = Forecast(revenue=revenue, share=share)
        except ValueError:
            self.desk.draft.forecast = None
        self.status.set_text(
            self._status()
            if self.desk.draft.forecast or not (self.revenue.get_text() or self.share.get_text())
            else "Enter both numbers (share between 0 and 100) to set a forecast."
        )
