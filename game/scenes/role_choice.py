"""Role choice: Product Manager (one line) or Chief Product Officer (a portfolio), and seed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.parse import parse_count
from game.scenes.base import GAP, MARGIN, ROW, Scene, grid
from game.scenes.glossary import ROLE_NAMES, Words
from game.translation import t

if TYPE_CHECKING:
    from game.app import App
    from game.session import ScenarioEntry

ROLES: Words[tuple[str, str]] = Words(
    ("pm", "cpo"), lambda role: (ROLE_NAMES[role], t(f"roles.{role}_text"))
)
"""Each role as (name, what the player does in it), in the language in use."""


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
            t("roles.heading", title=s.title),
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
                t("roles.play_as", role=title) if offered else t("roles.not_offered"),
                lambda role=role: self.choose(role),
                container=card,
                object_id="#primary" if offered else None,
                enabled=offered,
                tip=t("roles.play_tip", quarters=s.quarters, role=title),
            )
        y = area.bottom + 2 * GAP
        if "cpo" in s.roles:  # company mode: the CPO and the line PMs at one table
            self.button(
                pygame.Rect(MARGIN, y, min(560, self.width - 2 * MARGIN), ROW),
                t("company_ui.company_button"),
                self.company,
                tip=t("company_ui.company_tip"),
            )
            y += ROW + GAP
        self.label(
            pygame.Rect(MARGIN, y, 150, ROW),
            t("roles.seed"),
            tip=t("roles.seed_tip"),
        )
        self.entry_box = self.entry_line(
            pygame.Rect(MARGIN + 150, y, 200, ROW),
            str(self.seed),
            self._seed_changed,
            allowed="numbers",
            tip=t("roles.seed_box_tip"),
        )
        self.button(
            pygame.Rect(MARGIN, self.height - MARGIN - ROW, 160, ROW),
            t("common.back"),
            self.app.pop,
            tip="Esc",
        )
        self.app.focus_index = 0

    def _seed_changed(self, text: str) -> None:
        seed = parse_count(text)
        self.seed = seed if seed is not None and seed >= 0 else self.seed

    def company(self) -> None:
        """Go on to company mode's seats."""
        from game.scenes.company_setup import CompanySetupScene

        self.app.push(CompanySetupScene(self.app, self.entry, self.seed))

    def choose(self, role: str) -> None:
        """Go on to the briefing for this role."""
        from game.scenes.briefing import BriefingScene

        self.app.push(BriefingScene(self.app, self.entry, role, self.seed))
