"""Company mode's setup: which seats the people at this laptop hold (the AI takes the rest)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from engine.company_mode import seats
from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.translation import t

if TYPE_CHECKING:
    from game.app import App
    from game.session import ScenarioEntry


class CompanySetupScene(Scene):
    """One toggle per seat (a person, or the AI), then Start."""

    name = "company_setup"

    def __init__(self, app: App, entry: ScenarioEntry, seed: int) -> None:
        super().__init__(app)
        assert entry.scenario is not None
        self.entry = entry
        self.seed = seed
        firm = entry.scenario.player_firms()[0]
        self.lines = {p.id: p.name for p in firm.products if "cpo" in p.roles}
        self.table = [s.id for s in seats(self.lines)]
        self.people = {"cpo"}  # the CPO seat is a person's unless given to the AI

    def seat_words(self, seat_id: str) -> str:
        """The seat in words: "CPO", "PM of Quill Tutor"."""
        line = seat_id.partition(":")[2]
        return t("company_ui.seat_pm", line=self.lines[line]) if line else t("company_ui.seat_cpo")

    def build(self) -> None:
        s = self.entry.scenario
        assert s is not None
        w = self.width - 2 * MARGIN
        self.label(
            pygame.Rect(MARGIN, MARGIN, w, 40),
            t("company_ui.setup_heading", title=s.title),
            object_id="#heading",
        )
        self.text(pygame.Rect(MARGIN, MARGIN + 48, w, 60), t("company_ui.setup_intro"))
        y = MARGIN + 120
        for seat_id in self.table:
            held = seat_id in self.people
            self.button(
                pygame.Rect(MARGIN, y, min(w, 560), ROW),
                t(
                    "company_ui.seat_person" if held else "company_ui.seat_ai",
                    seat=self.seat_words(seat_id),
                ),
                lambda seat_id=seat_id: self.toggle(seat_id),
                object_id="#tab_active" if held else None,
                tip=t("company_ui.seat_tip"),
            )
            y += ROW + GAP
        self.button(
            pygame.Rect(MARGIN, self.height - MARGIN - ROW, 160, ROW),
            t("common.back"),
            self.app.pop,
            tip="Esc",
        )
        self.button(
            pygame.Rect(self.width - MARGIN - 300, self.height - MARGIN - ROW, 300, ROW),
            t("company_ui.start"),
            self.start,
            object_id="#primary",
            enabled=bool(self.people),
            tip=t("company_ui.start_tip") if self.people else t("company_ui.needs_person"),
        )
        self.app.focus_index = 0

    def toggle(self, seat_id: str) -> None:
        """Give a seat to a person, or back to the AI."""
        self.people ^= {seat_id}
        self.refresh()

    def start(self) -> None:
        """Start the company with the people in their seats (in table order)."""
        from game.company_session import CompanySession
        from game.scenes.company import start_company

        held = {seat_id: None for seat_id in self.table if seat_id in self.people}
        start_company(self.app, CompanySession(self.entry, self.seed, held))
