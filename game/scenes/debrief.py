"""The final debrief: where you ended against where you started, charts and discussion."""

from __future__ import annotations

import html
from typing import Any

import pygame

from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.dashboard import CARD_H, history_charts, kpi_row, objectives_html
from game.scenes.fmt import plain

BOT_NAMES = {
    "hold": "Do nothing (keeps every setting)",
    "random": "Random decisions",
    "balanced": "A balanced, sensible PM",
}
COMPETENCIES = {
    "market_understanding": "Market understanding",
    "strategic_thinking": "Strategic thinking",
    "customer_empathy": "Customer empathy",
    "leadership": "Leadership",
}


def competencies_html(competencies: dict[str, dict[str, Any]]) -> str:
    """Each competency's score out of 100 and its evidence sentences."""
    rows = []
    for key, c in competencies.items():
        evidence = "; ".join(html.escape(plain(str(e))) for e in c["evidence"])
        rows.append(
            f"• {COMPETENCIES.get(key, key)}: <b>{c['score']:.0f}</b> "
            f"<font color='#a8b3c1'>{evidence}</font>"
        )
    return "<br>".join(rows)


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
            self,
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
            self,
            self.root,
            pygame.Rect(MARGIN, top, left_w, body_h),
            history,
            me,
            s.currency,
        )
        card = session.scorecard()
        prompts = "<br>".join(f"• {html.escape(plain(p.question))}" for p in s.debrief)
        self.text(
            pygame.Rect(MARGIN + left_w + GAP, top, self.width - 2 * MARGIN - left_w - GAP, body_h),
            f"<b>Score {card['score']:.0f} / 100 — grade {html.escape(str(card['grade']))}</b>"
            f"<br><br><b>Objectives</b><br>{objectives_html(card['objectives'])}"
            f"<br><br><b>Competencies</b><br>{competencies_html(card['competencies'])}"
            f"<br><br><b>Talk it through</b><br>{prompts}",
            tip="The score is the weighted share of the objectives you met. Competencies "
            "show how you played, with the evidence behind each.",
        )
        self.compare_button = self.button(
            pygame.Rect(MARGIN, self.height - MARGIN - ROW, 300, ROW),
            "Compare with the bots",
            self.compare,
            tip="Play built-in strategies on the same scenario and seed (takes a few seconds): "
            "was it skill or luck?",
        )
        self.button(
            pygame.Rect(self.width - MARGIN - 260, self.height - MARGIN - ROW, 260, ROW),
            "Back to the title",
            self.to_title,
            object_id="#primary",
        )

    def compare(self) -> None:
        """Play the built-in bots on the same seed and show their scores beside the player's."""
        from game.scenes.dialog import show_message

        session = self.app.session
        assert session is not None
        self.compare_button.set_text("Playing the bots...")
        self.app.draw()
        rows = [f"<b>You: {session.scorecard()['score']:.0f} / 100</b>"]
        for entry in session.bot_comparison():
            rows.append(
                f"{BOT_NAMES.get(entry['bot'], entry['bot'])}: {entry['score']:.0f} / 100 "
                f"(grade {html.escape(str(entry['grade']))})"
            )
        self.compare_button.set_text("Compare with the bots")
        show_message(
            self.app,
            "Same market, same luck",
            "Built-in strategies played the same scenario with the same seed. If they score "
            "close to you, luck drove the result; a clear gap is your decisions.<br><br>"
            + "<br>".join(rows),
        )

    def to_title(self) -> None:
        """Close the finished game and return to the title."""
        from game.scenes.title import TitleScene

        self.app.session = None
        self.app.reset_to(TitleScene(self.app))

    def on_back(self) -> None:
        self.to_title()
