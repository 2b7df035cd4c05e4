"""The reveal for the projector: what happened in the round and the leaderboard.

Shown after a round is resolved (or again from the round view). Only public results and
scores are on it, so every team may see it.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame

from game.scenes.base import MARGIN, Scene
from game.scenes.workshop.common import TOP_H, leaderboard_table, top_bar
from game.widgets.text import plain

if TYPE_CHECKING:
    from game.app import App
    from game.workshop.session import Resolution, WorkshopSession

SIDE_W = 380


class WorkshopRevealScene(Scene):
    """Round results and leaderboard; Enter goes on to the next round."""

    name = "workshop_reveal"

    def __init__(self, app: App, session: WorkshopSession, resolution: Resolution | None) -> None:
        super().__init__(app)
        self.session = session
        self.resolution = resolution

    def build(self) -> None:
        s = self.session
        round_ = self.resolution.round if self.resolution else s.resolved
        top_bar(
            self,
            f"Results of round {round_} of {s.info.rounds}",
            f"{s.scenario.title} · {'shared market' if s.mode == 'shared' else 'parallel worlds'}"
            " · best score first (objectives met so far)",
        )
        table_w = self.width - 3 * MARGIN - SIDE_W
        leaderboard_table(
            self,
            s,
            pygame.Rect(MARGIN, TOP_H + MARGIN, table_w, self.height - TOP_H - 2 * MARGIN - 60),
        )
        x = self.width - MARGIN - SIDE_W
        self.text(
            pygame.Rect(x, TOP_H + MARGIN, SIDE_W, self.height - TOP_H - 2 * MARGIN - 60),
            self._news(round_),
        )
        by = self.height - MARGIN - 44
        if s.finished:
            self.button(
                pygame.Rect(self.width - MARGIN - 340, by, 340, 44),
                "Class leaderboard and export",
                self.finish,
                object_id="#primary",
            )
        else:
            self.button(
                pygame.Rect(self.width - MARGIN - 340, by, 340, 44),
                f"On to round {s.current_round} (Enter)",
                self.app.pop,
                object_id="#primary",
            )
        if not s.finished:
            self.button(pygame.Rect(MARGIN, by, 240, 44), "Round view (Esc)", self.app.pop)
        self.app.focus_index = 0

    def _news(self, round_: int) -> str:
        """The round's events and who kept course, in words."""
        if round_ < 1:
            return "No round has been played yet."
        s = self.session
        report = s.reports(s.teams[0])[round_] if s.resolved >= round_ else None
        parts = ["<b>What happened</b>"]
        events = (
            [plain(str(e.get("title", e.get("id", "")))) for e in report.events] if report else []
        )
        parts += [f"• {html.escape(e)}" for e in events] or ["• No market events this round."]
        if self.resolution and self.resolution.kept_course:
            parts.append(
                "<br><b>Kept their course</b> (did not hand in): "
                + html.escape(", ".join(self.resolution.kept_course))
            )
        if report is not None and report.competitor_moves:
            parts.append("<br><b>Rivals</b>")
            parts += [
                f"• {html.escape(plain(getattr(m, 'text', '') or str(m)))}"
                for m in report.competitor_moves[:6]
            ]
        return "<br>".join(parts)

    def finish(self) -> None:
        """Back to the round view, which gives way to the end-of-session screen."""
        self.app.pop()

    def on_enter(self) -> None:
        self.app.pop()
