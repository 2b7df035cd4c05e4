"""End of session: the class leaderboard and the export of every team's results.

Export writes the same files as ``crossroads workshop export`` (:func:`export_session`)
into ``workshop-exports/<session id>`` in the user data folder and says where they are.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game.scenes.base import MARGIN, Scene
from game.scenes.workshop.common import TOP_H, leaderboard_table, top_bar
from game.translation import t
from game.widgets.text import font, path_lines

if TYPE_CHECKING:
    from game.app import App
    from game.jobs import Job
    from game.workshop.export import Exported
    from game.workshop.session import WorkshopSession

SIDE_W = 380
PATH_W = SIDE_W - 40  # a line of the export folder inside the status box


def export_dir(session_id: str) -> Path:
    """Where the end screen writes a session's files."""
    from game.paths import user_data_dir

    return user_data_dir() / "workshop-exports" / session_id


class WorkshopEndScene(Scene):
    """Class leaderboard, Export results, back to the title screen."""

    name = "workshop_end"

    def __init__(self, app: App, session: WorkshopSession) -> None:
        super().__init__(app)
        self.session = session
        self.job: Job[Exported] | None = None
        self.reported: Job[Exported] | None = None
        self.status = t("workshop.export_intro")

    def build(self) -> None:
        s = self.session
        top_bar(
            self,
            t("workshop.end_title", scenario=s.scenario.title),
            t(
                "workshop.end_subtitle",
                id=s.id,
                resolved=s.resolved,
                rounds=s.info.rounds,
                teams=len(s.teams),
            ),
        )
        table_w = self.width - 3 * MARGIN - SIDE_W
        leaderboard_table(
            self,
            s,
            pygame.Rect(MARGIN, TOP_H + MARGIN, table_w, self.height - TOP_H - 2 * MARGIN - 60),
        )
        x = self.width - MARGIN - SIDE_W
        self.status_box = self.text(
            pygame.Rect(x, TOP_H + MARGIN, SIDE_W, self.height - TOP_H - 3 * MARGIN - 160),
            self.status,
        )
        by = self.height - MARGIN - 44
        self.button(
            pygame.Rect(x, by - 2 * 52, SIDE_W, 44),
            t("workshop.export"),
            self.export,
            object_id="#primary",
            tip=t("workshop.export_tip", folder=str(export_dir(s.id))),
        )
        self.button(
            pygame.Rect(x, by - 52, SIDE_W, 44),
            t("workshop.back"),
            self.app.pop,
            tip=t("workshop.end_back_tip"),
        )
        self.button(pygame.Rect(x, by, SIDE_W, 44), t("workshop.title_screen"), self.to_title)
        self.app.focus_index = 0

    def export(self) -> None:
        """Write the end-of-session files in the background; the status says when done."""
        from game.jobs import Job

        if self.job is not None and not self.job.done:
            return
        folder = export_dir(self.session.id)
        self.job = Job(lambda: _export(self.session.id, folder))
        self.status = t("workshop.exporting")
        self.status_box.set_text(self.status)

    def update(self, dt: float) -> None:
        """Report the export once its background job has finished."""
        from game.workshop.words import shown

        job = self.job
        if job is None or not job.done or self.reported is job:
            return
        self.reported = job
        folder = export_dir(self.session.id)
        if job.error is not None:
            exc = job.error
            self.status = t(
                "workshop.export_failed",
                reason=html.escape(shown(getattr(exc, "message", str(exc)))),
            )
        else:
            done = job.result
            where = "<br>".join(html.escape(x) for x in path_lines(str(folder), font(15), PATH_W))
            self.status = (
                t("workshop.exported", files=len(done.paths), where=where, debriefs=done.debriefs)
                + ("<br><br>" + t("ws_companies.exported") if self.session.company else "")
            ) + (
                "<br><br>" + t("workshop.export_note", note=html.escape(shown(done.note)))
                if done.note
                else ""
            )
        self.status_box.set_text(self.status)

    def to_title(self) -> None:
        """Close every workshop screen."""
        from game.scenes.title import TitleScene

        self.app.reset_to(TitleScene(self.app))


def _export(session_id: str, folder: Path) -> Exported:
    """Export in a background thread, through its own connection to the session file."""
    from game.workshop.export import export_session
    from game.workshop.session import WorkshopSession

    session = WorkshopSession.open(session_id)
    try:
        return export_session(session, folder)
    finally:
        session.close()
