"""Scenario preview: the starting market of a scenario, as ``crossroads preview`` prints it.

Opened from the scenario picker ("Preview"); Esc or Back returns. The rows are the
command's own (:func:`game.commands.preview.segment_rows` and ``firm_rows``), laid out as
label grids in one scrolling area so wide tables fit 1280×720.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

import pygame

from game.jobs import Job
from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.translation import t

if TYPE_CHECKING:
    from engine.starting_market import StartingMarket
    from game.app import App
    from game.session import ScenarioEntry

FONT_SIZE = 15
"""The theme's default font size, in layout units (labels use it)."""
SLACK = 1.1
"""Room for the font's rounding at other text scales (14 px at 0.9 is more than 0.9 × 15)."""
LINE_H = 24
"""Height of one table row."""


def text_width(text: str) -> int:
    """Layout width a label needs for ``text`` (its padding included)."""
    from game.widgets.text import font

    return int(font(FONT_SIZE).size(text)[0] * SLACK) + 12


def column_widths(rows: list[list[str]], width: int) -> list[int]:
    """Each column's width from its widest cell, shrunk in proportion only if over ``width``."""
    wanted = [max(text_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    scale = min(1.0, width / sum(wanted))
    return [int(w * scale) for w in wanted]


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines that each fit a label ``width`` wide, broken between words."""
    lines = [""]
    for word in text.split(" "):
        trial = f"{lines[-1]} {word}".strip()
        if lines[-1] and text_width(trial) > width:
            lines.append(word)
        else:
            lines[-1] = trial
    return lines


def column_name(heading: str) -> str:
    """A table heading of ``crossroads preview`` ("share Q0") in the player's language."""
    key = re.sub(r"[^a-z0-9]+", "_", heading.lower()).strip("_")
    return t(f"preview.column.{key}")


class ScenarioPreviewScene(Scene):
    """The quarter-0 market of one scenario: segment tables, firms, flags."""

    name = "scenario_preview"

    def __init__(self, app: App, entry: ScenarioEntry) -> None:
        from engine.starting_market import starting_market

        super().__init__(app)
        scenario = entry.scenario
        assert scenario is not None
        self.entry = entry
        role = "pm" if "pm" in scenario.roles else scenario.roles[0]
        # A few seconds of simulation: measured off the UI thread, the window keeps drawing.
        self.job: Job[StartingMarket] = Job(
            lambda: starting_market(scenario, role), name="starting-market"
        )
        self.market: StartingMarket | None = None
        self.waiting_label: Any = None

    def update(self, dt: float) -> None:
        """Show the preview once it is measured (or say why it could not be)."""
        if self.market is None and self.job.done:
            if self.job.error is None:
                self.market = self.job.result
            self.rebuild()
        elif self.market is None and self.waiting_label is not None:
            text = self._waiting_text()
            if text != self.waiting_label.text:
                self.waiting_label.set_text(text)

    def _waiting_text(self) -> str:
        return t("preview.measuring", seconds=self.job.seconds)

    def _build_waiting(self) -> None:
        """While the job runs (or after it failed): a line of text and Back."""
        error = self.job.error if self.job.done else None
        self.waiting_label = self.label(
            pygame.Rect(MARGIN, MARGIN + 60, self.width - 2 * MARGIN, 30),
            (t("preview.failed", error=error)[:200] if error is not None else self._waiting_text()),
            object_id="#bad" if error is not None else "#muted",
        )

    def _table(self, rows: list[list[str]], y: int, width: int, container: object) -> int:
        """Label grid of ``rows`` at ``y`` (header muted, in the player's language); returns
        the y below it. The rows are the CLI's own, with English headings
        (:mod:`game.commands.preview`)."""
        rows = [[column_name(cell) for cell in rows[0]], *rows[1:]]
        widths = column_widths(rows, width)
        for r, row in enumerate(rows):
            x = 0
            for cell, w in zip(row, widths, strict=True):
                self.label(
                    pygame.Rect(x, y, w, LINE_H),
                    cell,
                    container=container,
                    object_id="#muted" if r == 0 else None,
                )
                x += w
            y += LINE_H
        return y

    def _lines(self, text: str, y: int, width: int, container: object) -> int:
        """``text`` as wrapped one-line labels from ``y``; returns the y below them."""
        for line in wrap(text, width):
            self.label(pygame.Rect(0, y, width, LINE_H), line, container=container)
            y += LINE_H
        return y

    def build(self) -> None:
        from game.commands.preview import firm_rows, segment_heading, segment_rows

        m = self.market
        if m is None:
            title = self.entry.scenario.title if self.entry.scenario else ""
            self.label(
                pygame.Rect(MARGIN, MARGIN, self.width - 2 * MARGIN, 40),
                t("preview.heading", title=title),
                object_id="#heading",
            )
            self._build_waiting()
            self._back()
            return
        self.label(
            pygame.Rect(MARGIN, MARGIN, self.width - 2 * MARGIN, 40),
            t("preview.heading", title=m.title),
            object_id="#heading",
        )
        self.label(
            pygame.Rect(MARGIN, MARGIN + 36, self.width - 2 * MARGIN, 26),
            t("preview.about", role=m.role.upper(), runs=m.runs),
            object_id="#muted",
        )
        top = MARGIN + 70
        area_h = self.height - top - MARGIN - ROW - GAP
        area = pygame.Rect(MARGIN, top, self.width - 2 * MARGIN, area_h)
        scroller = self.scroller(area, container=self.root)
        inner = area.w - 24
        y = 0
        heading = t("preview.segment_heading")  # a template: segment_heading fills it
        for seg in m.segments:
            y = self._lines(segment_heading(seg, m.currency, heading), y, inner, scroller) + 4
            y = self._table(segment_rows(seg, m.currency), y, inner, scroller)
            y = self._lines(t("preview.favourite", why=seg.why), y, inner, scroller) + GAP
        self.label(
            pygame.Rect(0, y, inner, LINE_H + 4),
            t("preview.firms"),
            container=scroller,
        )
        y = self._table(firm_rows(m, t("preview.you")), y + LINE_H + 4, inner, scroller) + GAP
        flags = m.flags or [t("preview.no_flags")]
        body = f"<b>{t('preview.flags')}</b><br>" + "<br>".join(
            f"• {html.escape(f)}" for f in flags
        )
        box = self.text(pygame.Rect(0, y, inner, -1), body, container=scroller)
        y += round(box.rect.h / self.scale) + GAP
        self.scroll_area(scroller, inner, y)
        self._back()

    def _back(self) -> None:
        by = self.height - MARGIN - ROW
        self.button(pygame.Rect(MARGIN, by, 160, ROW), t("common.back"), self.app.pop, tip="Esc")
