"""Role choice: Product Manager (one line) or Chief Product Officer (a portfolio), and seed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.parse import parse_count
from game.scenes.base import GAP, MARGIN, ROW, Scene, grid

if TYPE_CHECKING:
    from game.app import App
    from game.session import ScenarioEntry

ROLES = {
    "pm": (
        "Product Manager",
        "Run one product line. Each quarter you buy customer research, choose what the team "
        "builds, split engineering capacity between features, debt and discovery, set the "
        "price and the marketing per segment, and forecast next quarter.",
    ),
    "cpo": (
        "Chief Product Officer",
        "Run a portfolio of product lines, each led by an AI product manager with their own "
        "skill and style. You set each line's theme, move engineers between lines, mentor "
        "your PMs, fund innovation bets, shape the culture and decide what to sunset.",
    ),
}


class RoleChoiceScene(Scene):
    """Two role cards; roles the scenario does not offer are disabled with a reason."""

    name = "role_choice"

    def __init__(self, app: App, entry: ScenarioEntry) -> None:
        super().__init__(app)
        self.entry = entry
        assert entry.scenario is not None
        self.seed = entry.scenario.seed

    def build(self) -> None:
        s = self.entry.scenario
        assert s is not None
        self.label(
            pygame.Rect(MARGIN, MARGIN, self.width - 2 * MARGIN, 40),
            f"{s.title}: choose your role",
            object_id="#heading",
        )
        area = pygame.Rect(MARGIN, MARGIN + 56, self.width - 2 * MARGIN, 300)
        for rect, (role, (title, text)) in zip(grid(area, 2, 1), ROLES.items(), strict=True):
            card = self.panel(rect, object_id="#card")
            offered = role in s.roles
            self.label(
                pygame.Rect(16, 12, rect.w - 32, 32), title, container=card, object_id="#heading"
            )
            self.text(
                pygame.Rect(12, 50, rect.w - 24, rect.h - 50 - ROW - 28), text, container=card
            )
            self.button(
                pygame.Rect(16, rect.h - ROW - 16, rect.w - 32, ROW),
                f"Play as {title}" if offered else "Not offered in this scenario",
                lambda role=role: self.choose(role),
                container=card,
                object_id="#primary" if offered else None,
                enabled=offered,
                tip=f"Read the briefing, then play {s.quarters} quarters as {title}.",
            )
        y = area.bottom + 2 * GAP
        self.label(
            pygame.Rect(MARGIN, y, 150, ROW),
            "Random seed:",
            tip="The same scenario, seed and decisions always give the same game. "
            "Change it to replay with different luck.",
        )
        self.entry_box = self.entry_line(
            pygame.Rect(MARGIN + 150, y, 200, ROW),
            str(self.seed),
            self._seed_changed,
            allowed="numbers",
            tip="Same seed + same decisions = same results.",
        )
        self.button(
            pygame.Rect(MARGIN, self.height - MARGIN - ROW, 160, ROW),
            "Back",
            self.app.pop,
            tip="Esc",
        )
        self.app.focus_index = 0

    def _seed_changed(self, text: str) -> None:
        seed = parse_count(text)
        self.seed = seed if seed is not None and seed >= 0 else self.seed

    def choose(self, role: str) -> None:
        """Go on to the briefing for this role."""
        from game.scenes.briefing import BriefingScene

        self.app.push(BriefingScene(self.app, self.entry, role, self.seed))
