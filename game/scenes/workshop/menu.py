"""Workshop menu (from the title screen): start a new session or resume one on this computer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.workshop.common import TOP_H, show_error, top_bar
from game.widgets.focus import FocusScroller

if TYPE_CHECKING:
    from game.app import App


class WorkshopMenuScene(Scene):
    """New session, or one row per saved session with a Resume button (newest first)."""

    name = "workshop_menu"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.follow_focus = FocusScroller()

    def build(self) -> None:
        from game.files import os_reason
        from game.workshop.session import scan_sessions

        top_bar(
            self,
            "Workshop",
            "Run 2-12 teams through one scenario on this computer (hot-seat, one projector).",
        )
        w = self.width - 2 * MARGIN
        y = TOP_H + MARGIN
        self.button(
            pygame.Rect(MARGIN, y, 260, 44),
            "New session",
            self.new_session,
            object_id="#primary",
            tip="Choose the scenario, the teams, the mode and the number of rounds.",
        )
        self.button(
            pygame.Rect(MARGIN + 272, y, 160, 44), "Back (Esc)", self.app.pop, tip="Title screen."
        )
        y += 44 + MARGIN
        try:
            sessions, damaged = scan_sessions()
            heading = (
                "Resume a session (everything handed in is saved on this computer)"
                if sessions
                else "No saved sessions yet: start a new one."
            )
        except OSError as exc:  # the folder itself cannot be read: say why, not "none yet"
            sessions, damaged = [], []
            heading = f"Cannot list the saved sessions: {os_reason(exc)}."
        self.label(pygame.Rect(MARGIN, y, w, 34), heading, object_id="#heading")
        y += 40
        if damaged:
            names = ", ".join(name for name, _ in damaged[:4])
            more = f" and {len(damaged) - 4} more" if len(damaged) > 4 else ""
            self.label(
                pygame.Rect(MARGIN, y, w, 30),
                f"Skipped {len(damaged)} damaged file(s): {names}{more}",
                object_id="#muted",
                tip=" · ".join(why for _, why in damaged[:4]),
            )
            y += 34
        scroller = self.scroller(pygame.Rect(MARGIN, y, w, self.height - y - MARGIN))
        inner = w - 24
        row_y = 0
        for s in sessions:
            state = (
                "finished"
                if s.resolved >= s.rounds
                else f"{s.resolved} of {s.rounds} rounds played"
            )
            self.button(
                pygame.Rect(0, row_y, 130, ROW),
                "Resume",
                lambda sid=s.id: self.resume_session(sid),
                container=scroller,
                tip=f"Open session {s.id} where it was left.",
            )
            self.label(
                pygame.Rect(140, row_y, inner - 140, ROW),
                f"{s.id} · {s.scenario_id} · {s.mode} market · {s.role.upper()} · "
                f"{len(s.teams)} teams · {state}",
                container=scroller,
                tip="Teams: " + ", ".join(s.teams),
            )
            row_y += ROW + GAP // 2
        self.scroll_area(scroller, inner, row_y)
        self.app.focus_index = 0

    def update(self, dt: float) -> None:
        """Keep the focused Resume button in view."""
        self.follow_focus.update(self)

    def new_session(self) -> None:
        """Open the new-session form."""
        from game.scenes.workshop.new import WorkshopNewScene

        self.app.push(WorkshopNewScene(self.app))

    def resume_session(self, session_id: str) -> None:
        """Open a saved session at its round view (or its end screen when finished)."""
        from game.scenes.workshop.round import open_session_scene
        from game.workshop.session import WorkshopError, WorkshopSession

        try:
            session = WorkshopSession.open(session_id)
        except WorkshopError as exc:
            show_error(self.app, exc, "Cannot open the session")
            return
        self.app.push(open_session_scene(self.app, session))

    def resume(self) -> None:
        """Back from a session: list the sessions again (one may be new)."""
        self.refresh()
