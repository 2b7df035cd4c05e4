"""Handing the keyboard over in a hot-seat round: the privacy screen and the acknowledgement.

The privacy screen ("Pass the keyboard to Team B") shows nothing of any team; the
acknowledgement ("Recorded for Team B") appears only once the team's decisions are on disk,
and offers the next waiting team.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame

from game.scenes.base import Scene
from game.scenes.workshop.common import RoundClock
from game.translation import t
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
            fit(t("workshop.pass_keyboard", team=self.team), font(40, bold=True), 980),
            object_id="#title",
        )
        again = self.session.submitted().get(self.team, False)
        self.text(
            pygame.Rect(cx - 400, cy - 50, 800, 80),
            t("workshop.look_away", team=html.escape(self.team))
            + ("<br>" + t("workshop.handed_in_already") if again else ""),
            object_id="#subtitle",
        )
        self.button(
            pygame.Rect(cx - 220, cy + 50, 440, 48),
            fit(t("workshop.we_are", team=self.team), font(16, bold=True), 420),
            self.show_team,
            object_id="#primary",
        )
        self.button(
            pygame.Rect(cx - 220, cy + 110, 440, 40),
            t("workshop.back_to_round"),
            self.app.pop,
        )
        self.app.focus_index = 0

    def show_team(self) -> None:
        """Open the team's own hub (the solo hub bound to the team's desk)."""
        from game.scenes.workshop.team_hub import WorkshopTeamHubScene

        self.app.replace(WorkshopTeamHubScene(self.app, self.session, self.team, self.clock))


def whose(team: str) -> str:
    """A team's name as an owner: "Team B's", "Falcons'" (German: "von Team B")."""
    return t("workshop.whose_s" if team.endswith(("s", "S")) else "workshop.whose", team=team)


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
            fit(t("workshop.recorded_for", team=self.team), font(40, bold=True), 980),
            object_id="#title",
        )
        self.text(
            pygame.Rect(cx - 400, cy - 60, 800, 100),
            t(
                "workshop.decisions_saved",
                whose=html.escape(whose(self.team)),
                round=s.current_round,
            )
            + (
                "<br>"
                + t(
                    "workshop.played_as_given",
                    warnings="; ".join(html.escape(plain(w)) for w in self.warnings),
                )
                if self.warnings
                else ""
            ),
            object_id="#subtitle",
        )
        waiting = s.waiting_for()
        if waiting:
            self.button(
                pygame.Rect(cx - 220, cy + 50, 440, 48),
                fit(t("workshop.next_team", team=waiting[0]), font(16, bold=True), 420),
                lambda: self.app.replace(WorkshopPrivacyScene(self.app, s, waiting[0], self.clock)),
                object_id="#primary",
            )
        self.button(
            pygame.Rect(cx - 220, cy + 110, 440, 40),
            t("workshop.back_to_round"),
            self.app.pop,
            object_id=None if waiting else "#primary",
        )
        self.app.focus_index = 0
