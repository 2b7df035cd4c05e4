"""Handing the keyboard over in a hot-seat round: the privacy screen and the acknowledgement.

The privacy screen ("Pass the keyboard to Team B") shows nothing of any team; the
acknowledgement ("Recorded for Team B") appears only once the team's decisions are on disk,
and offers the next waiting team.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame

from engine.formatting import possessive
from game.scenes.base import Scene
from game.scenes.workshop.common import RoundClock
from game.widgets.text import fit, font, plain

if TYPE_CHECKING:
    from game.app import App
    from game.workshop.session import WorkshopSession


class WorkshopPrivacyScene(Scene):
    """'Pass the keyboard to Team B': nothing of any team is on screen."""

    name = "workshop_privacy"

    def __init__(self, app: App, session: WorkshopSession, team: str, clock: RoundClock) -> None:
        super().__init__(app)
        self.session = session
        self.team = team
        self.clock = clock

    def build(self) -> None:
        cx, cy = self.width // 2, self.height // 2
        self.label(
            pygame.Rect(cx - 500, cy - 130, 1000, 64),
            fit(f"Pass the keyboard to {self.team}", font(40, bold=True), 980),
            object_id="#title",
        )
        again = self.session.submitted().get(self.team, False)
        self.text(
            pygame.Rect(cx - 400, cy - 50, 800, 80),
            "Everyone else, please look away from the screen. "
            f"{html.escape(self.team)}: press Enter when you are at the keyboard."
            + (
                "<br>You have handed in this round already: handing in again replaces it."
                if again
                else ""
            ),
            object_id="#subtitle",
        )
        self.button(
            pygame.Rect(cx - 220, cy + 50, 440, 48),
            fit(f"We are {self.team}: show our screen", font(16, bold=True), 420),
            self.show_team,
            object_id="#primary",
        )
        self.button(
            pygame.Rect(cx - 220, cy + 110, 440, 40),
            "Back to the round view (Esc)",
            self.app.pop,
        )
        self.app.focus_index = 0

    def show_team(self) -> None:
        """Open the team's own hub (the solo hub bound to the team's desk)."""
        from game.scenes.workshop.team_hub import WorkshopTeamHubScene

        self.app.replace(WorkshopTeamHubScene(self.app, self.session, self.team, self.clock))


class WorkshopSubmittedScene(Scene):
    """The acknowledgement, shown only once the decisions are on disk."""

    name = "workshop_submitted"

    def __init__(
        self,
        app: App,
        session: WorkshopSession,
        team: str,
        clock: RoundClock,
        warnings: list[str],
    ) -> None:
        super().__init__(app)
        self.session = session
        self.team = team
        self.clock = clock
        self.warnings = warnings

    def build(self) -> None:
        cx, cy = self.width // 2, self.height // 2
        s = self.session
        self.label(
            pygame.Rect(cx - 500, cy - 140, 1000, 64),
            fit(f"Recorded for {self.team}", font(40, bold=True), 980),
            object_id="#title",
        )
        self.text(
            pygame.Rect(cx - 400, cy - 60, 800, 100),
            f"{html.escape(possessive(self.team))} decisions for round {s.current_round} are "
            "saved on this computer. Pass the keyboard to the next team or back to the "
            "facilitator."
            + (
                "<br>Played as given: " + "; ".join(html.escape(plain(w)) for w in self.warnings)
                if self.warnings
                else ""
            ),
            object_id="#subtitle",
        )
        waiting = s.waiting_for()
        if waiting:
            self.button(
                pygame.Rect(cx - 220, cy + 50, 440, 48),
                fit(f"Next team: {waiting[0]}", font(16, bold=True), 420),
                lambda: self.app.replace(WorkshopPrivacyScene(self.app, s, waiting[0], self.clock)),
                object_id="#primary",
            )
        self.button(
            pygame.Rect(cx - 220, cy + 110, 440, 40),
            "Back to the round view (Esc)",
            self.app.pop,
            object_id=None if waiting else "#primary",
        )
        self.app.focus_index = 0
