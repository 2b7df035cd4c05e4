"""Workshop menu (from the title screen): start a new session or resume one on this computer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.workshop.common import TOP_H, show_error, top_bar
from game.translation import t

if TYPE_CHECKING:
    from game.app import App


class WorkshopMenuScene(Scene):
    """New session, or one row per saved session with a Resume button (newest first)."""

    name = "workshop_menu"

    def __init__(self, app: App) -> None:
        super().__init__(app)

    def build(self) -> None:
        from game.files import os_reason
        from game.workshop.session import scan_sessions

        top_bar(
            self,
            t("workshop.menu_title"),
            t("workshop.menu_subtitle"),
        )
        w = self.width - 2 * MARGIN
        y = TOP_H + MARGIN
        self.button(
            pygame.Rect(MARGIN, y, 260, 44),
            t("workshop.new_session"),
            self.new_session,
            object_id="#primary",
            tip=t("workshop.new_session_tip"),
        )
        self.button(
            pygame.Rect(MARGIN + 272, y, 160, 44),
            t("workshop.back"),
            self.app.pop,
            tip=t("workshop.title_screen_tip"),
        )
        y += 44 + MARGIN
        try:
            sessions, damaged = scan_sessions()
            heading = t("workshop.resume_heading") if sessions else t("workshop.no_sessions")
        except OSError as exc:  # the folder itself cannot be read: say why, not "none yet"
            sessions, damaged = [], []
            heading = t("workshop.cannot_list", reason=os_reason(exc))
        self.label(pygame.Rect(MARGIN, y, w, 34), heading, object_id="#heading")
        y += 40
        if damaged:
            names = ", ".join(name for name, _ in damaged[:4])
            skipped = (
                t("workshop.skipped_more", count=len(damaged), names=names, more=len(damaged) - 4)
                if len(damaged) > 4
                else t("workshop.skipped", count=len(damaged), names=names)
            )
            self.label(
                pygame.Rect(MARGIN, y, w, 30),
                skipped,
                object_id="#muted",
                tip=" · ".join(why for _, why in damaged[:4]),
            )
            y += 34
        scroller = self.scroller(pygame.Rect(MARGIN, y, w, self.height - y - MARGIN))
        inner = w - 24
        row_y = 0
        for s in sessions:
            state = (
                t("workshop.finished")
                if s.resolved >= s.rounds
                else t("workshop.rounds_played", resolved=s.resolved, rounds=s.rounds)
            )
            self.button(
                pygame.Rect(0, row_y, 130, ROW),
                t("workshop.resume"),
                lambda sid=s.id: self.resume_session(sid),
                container=scroller,
                tip=t("workshop.resume_tip", id=s.id),
            )
            self.label(
                pygame.Rect(140, row_y, inner - 140, ROW),
                t(
                    "workshop.session_row",
                    id=s.id,
                    scenario=s.scenario_id,
                    mode=t("workshop.mode_market_" + s.mode)
                    if s.mode in ("shared", "parallel")
                    else t("workshop.mode_market", mode=s.mode),
                    role=t("ws_companies.role_companies") if s.company else s.role.upper(),
                    teams=len(s.teams),
                    state=state,
                ),
                container=scroller,
                tip=t("workshop.teams_tip", teams=", ".join(s.teams)),
            )
            row_y += ROW + GAP // 2
        self.scroll_area(scroller, inner, row_y)
        self.app.focus_index = 0

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
            show_error(self.app, exc, t("workshop.cannot_open"))
            return
        self.app.push(open_session_scene(self.app, session))

    def resume(self) -> None:
        """Back from a session: list the sessions again (one may be new)."""
        self.refresh()
