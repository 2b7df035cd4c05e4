"""The final debrief: where you ended against where you started, charts and discussion."""

from __future__ import annotations

import html

import pygame

from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.dashboard import CARD_H, history_charts, kpi_row


class DebriefScene(Scene):
    """After the last quarter. Esc or the button returns to the title screen."""

    name = "debrief"

    def build(self) -> None:
        session = self.app.session
        assert session is not None
        s = session.scenario
        history = session.sim.history
        me = session.firm_id
        self.label(
            pygame.Rect(MARGIN, MARGIN, self.width - 2 * MARGIN, 40),
            f"Debrief: {s.title}",
            object_id="#heading",
        )
        row = pygame.Rect(MARGIN, MARGIN + 48, self.width - 2 * MARGIN, CARD_H)
        kpi_row(
            self.manager,
            self.root,
            row,
            history[-1].firms[me],
            history[0].firms[me],
            s.currency,
            since="the start",
        )
        top = row.bottom + GAP
        body_h = self.height - top - MARGIN - ROW - GAP
        left_w = (self.width - 2 * MARGIN - GAP) * 3 // 5
        history_charts(
            self.manager,
            self.root,
            pygame.Rect(MARGIN, top, left_w, body_h),
            history,
            me,
            s.currency,
        )
        objectives = "<br>".join(f"• {html.escape(line)}" for line in session.objective_lines())
        prompts = "<br>".join(f"• {html.escape(p.question)}" for p in s.debrief)
        self.text(
            pygame.Rect(MARGIN + left_w + GAP, top, self.width - 2 * MARGIN - left_w - GAP, body_h),
            f"<b>Objectives</b><br>{objectives}<br><br><b>Talk it through</b><br>{prompts}",
        )
        self.button(
            pygame.Rect(self.width - MARGIN - 260, self.height - MARGIN - ROW, 260, ROW),
            "Back to the title",
            self.to_title,
            object_id="#primary",
        )

    def to_title(self) -> None:
        """Close the finished game and return to the title."""
        from game.scenes.title import TitleScene

        self.app.session = None
        self.app.reset_to(TitleScene(self.app))

    def on_back(self) -> None:
        self.to_title()
