"""Forecast tab: the player's forecast of next quarter's revenue and share (graded later)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pygame

from engine.decisions import Forecast
from engine.formatting import count, money, number, pct
from game.parse import not_understood, parse_money, parse_percent
from game.scenes.base import GAP, ROW
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab
from game.translation import t


class ForecastTab(Tab):
    """Sets ``Decisions.forecast``; an empty entry means no forecast this quarter.

    Each box says at once when its text is not understood, and shows the decision check's
    problem with its number (a share of 120%) as soon as it is typed.
    """

    namespace = "forecast"

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        s = desk.scenario
        now = desk.history()[-1].firms[desk.firm_id]
        forecast = desk.draft.forecast
        x, w = area.x + GAP, min(area.w - 2 * GAP, 1100)
        y = area.y + GAP
        self.hub.text(
            pygame.Rect(x, y, w, 110),
            t(
                "forecast.intro",
                revenue=html.escape(money(now.revenue, s.currency)),
                share=pct(now.share),
                decision=DECISIONS["forecast"],
            ),
            container=container,
        )
        y += 122
        fields: tuple[tuple[str, str, str, str], ...] = (
            (
                t("forecast.revenue", currency=s.currency),
                count(forecast.revenue) if forecast else "",
                t("forecast.revenue_tip"),
                "revenue",
            ),
            (
                t("forecast.share"),
                number(forecast.share * 100, 1) if forecast else "",
                t("forecast.share_tip"),
                "share",
            ),
        )
        self.entries: dict[str, Any] = {}
        self.notes: dict[str, Any] = {}
        for name, value, tip, key in fields:
            self.hub.label(
                pygame.Rect(x, y, 360, ROW), name, container=container, tip=DECISIONS["forecast"]
            )
            self.entries[key] = self.hub.entry_line(
                pygame.Rect(x + 370, y, 220, ROW),
                value,
                lambda text: self._update(),
                tip=tip,
                container=container,
            )
            self.notes[key] = self.hub.label(
                pygame.Rect(x + 600, y, max(100, w - 600), ROW),
                "",
                container=container,
                object_id="#error",
            )
            y += ROW + GAP
        self.status = self.hub.label(
            pygame.Rect(x, y, w, 26), self._status(), container=container, object_id="#muted"
        )
        self._show_problems()

    def _status(self) -> str:
        f = self.desk.draft.forecast
        if f is None:
            return t("forecast.none")
        if self.desk.problems_for("forecast"):
            return t("forecast.not_yet")
        return t(
            "forecast.set",
            revenue=money(f.revenue, self.desk.scenario.currency),
            share=pct(f.share),
        )

    def _read(self, key: str, parse: Callable[[str], float | None], example: str) -> float | None:
        """The number in one box, or None (saying so next to it when the text is not one)."""
        text = self.entries[key].get_text()
        value = parse(text)
        self.notes[key].set_text(
            not_understood(text, example) if text.strip() and value is None else ""
        )
        return value

    def _update(self) -> None:
        currency = self.desk.scenario.currency
        revenue = self._read(
            "revenue", lambda text: parse_money(text, currency), t("forecast.revenue_example")
        )
        share = self._read("share", parse_percent, t("forecast.share_example"))
        # Built unchecked: the engine's decision check, not the UI, judges the bounds.
        self.desk.draft.forecast = (
            Forecast.model_construct(revenue=revenue, share=share)
            if revenue is not None and share is not None
            else None
        )
        empty = not (
            self.entries["revenue"].get_text().strip() or self.entries["share"].get_text().strip()
        )
        self.status.set_text(
            self._status() if self.desk.draft.forecast or empty else t("forecast.both")
        )
        self._show_problems()

    def _show_problems(self) -> None:
        """Show the decision check's problems with each number next to its box."""
        for key, note in self.notes.items():
            if note.text:
                continue  # the text itself was not understood
            found = self.desk.problems_for(f"forecast.{key}")
            note.set_text(t("forecast.problem_separator").join(found))
