"""Slow debrief work off the UI thread: the full report, its figures, exports and what-ifs.

Building the report replays the player's game and about a dozen bot games (seconds to tens of
seconds), so the Debrief screen never runs it in the frame loop: it runs each piece in a
:class:`game.jobs.Job` and polls ``done`` every frame. :class:`DebriefWork` builds the
report and its figures at most once and shares them between the Figures view and every
export. Nothing here touches pygame: images are decoded by the screen on the main thread.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game import paths

if TYPE_CHECKING:
    from engine.whatif import WhatIf
    from game.report_figures import Figure
    from game.session import Session

Report = tuple[dict[str, Any], list["Figure"]]


def report_path(session: Session, when: datetime | None = None) -> Path:
    """Where an export goes: ``<user data>/reports/<scenario>-<seed>-<time>.html``."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return paths.user_data_dir() / "reports" / f"{session.scenario.id}-{session.seed}-{stamp}.html"


def problem_text(exc: BaseException, doing: str) -> str:
    """An exception from a job as one sentence for the player."""
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"Could not {doing}: {exc.strerror or exc}{where}."
    return f"Could not {doing}: {exc}."


class DebriefWork:
    """The finished game's report and figures, built once, shared by every view and export."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._lock = threading.Lock()
        self._report: Report | None = None

    def report(self) -> Report:
        """The report as plain data and its rendered figures (built on first call; thread-safe)."""
        with self._lock:
            if self._report is None:
                from game.report_export import session_report
                from game.report_figures import render_all

                data = session_report(self.session).to_dict()
                self._report = (data, render_all(data))
            return self._report

    @property
    def ready(self) -> bool:
        """True once the report and figures exist."""
        return self._report is not None

    def export(self, html_path: Path) -> list[Path]:
        """Write the HTML report, both CSVs and the JSON; returns the paths written."""
        from game.report_export import write_report

        data, figures = self.report()
        return write_report(data, html_path, data=True, figures=figures)

    def what_if(self, from_quarter: int, bot: str) -> WhatIf:
        """``bot`` takes over after ``from_quarter`` (the engine's what-if, same seed)."""
        from game.report_export import session_what_if

        return session_what_if(self.session, from_quarter, bot)
