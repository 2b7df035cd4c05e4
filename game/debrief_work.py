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
from game.translation import t

if TYPE_CHECKING:
    from engine.whatif import WhatIf
    from game.company_session import CompanySession
    from game.report_figures import Figure
    from game.session import Session

Report = tuple[dict[str, Any], list["Figure"]]


def report_path(
    session: Session | CompanySession, when: datetime | None = None, kind: str = ""
) -> Path:
    """Where an export goes: ``<user data>/reports/<scenario>-<seed>-<time>.html`` (``kind``,
    e.g. ``company``, after the scenario)."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    name = "-".join([session.scenario.id, *([kind] if kind else []), str(session.seed), stamp])
    return paths.user_data_dir() / "reports" / f"{name}.html"


PROBLEMS = {
    "save the report": "debrief.problem.save_report",
    "build the report": "debrief.problem.build_report",
    "draw the figures": "debrief.problem.draw_figures",
    "replay the what-if": "debrief.problem.replay_what_if",
    "play the bots": "debrief.problem.play_bots",
}
"""The jobs that can fail, by what they were doing, and the sentence that says so."""


def problem_text(exc: BaseException, doing: str) -> str:
    """An exception from a job as one sentence for the player in the current language;
    ``doing`` is one of :data:`PROBLEMS` ("save the report"). The reason (the system's or
    the engine's message) is shown as it is."""
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        reason = f"{exc.strerror or exc}{where}"
    else:
        reason = str(exc)
    key = PROBLEMS.get(doing)
    if key is None:
        return t("debrief.problem.other", doing=doing, reason=reason)
    return t(key, reason=reason)


class DebriefWork:
    """The finished game's report and figures, built once, shared by every view and export.

    The trainee's latest what-if (:meth:`what_if`) replaces the report's automatic one: the
    report data, its share figure and every later export show it (only that figure is redrawn).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._lock = threading.Lock()
        self._report: Report | None = None
        self._what_if: dict[str, Any] | None = None  # the trainee's latest what-if
        self._shown: dict[str, Any] | None = None  # the trainee's what-if in ``_report``

    def report(self) -> Report:
        """The report as plain data and its figures in the game's look (built on first call,
        redrawn where the trainee's what-if changed it; thread-safe)."""
        with self._lock:
            wanted = self._what_if
            if self._report is None:
                from game.report_export import reflection_rows, session_report
                from game.report_figures import render_all

                data = session_report(self.session).to_dict()
                data["reflections"] = reflection_rows(self.session)
                wanted = self._what_if
                if wanted is not None:
                    data["what_if"] = wanted
                self._report = (data, render_all(data, theme="game"))
                self._shown = wanted
            elif wanted is not self._shown:
                self._report = _with_what_if(self._report, wanted)
                self._shown = wanted
            return self._report

    @property
    def ready(self) -> bool:
        """True once the report and figures exist and show the trainee's latest what-if."""
        return self._report is not None and self._shown is self._what_if

    def export(self, html_path: Path) -> list[Path]:
        """Write the HTML report (light print figures), both CSVs and the JSON; returns the
        paths written."""
        from game.report_export import write_report

        data, _ = self.report()
        return write_report(data, html_path, data=True)

    def what_if(self, from_quarter: int, bot: str) -> WhatIf:
        """``bot`` takes over after ``from_quarter`` (the engine's what-if, same seed); it
        becomes the report's what-if (redrawn here, in the caller's thread, if already built)."""
        from engine.debrief import whatif_dict
        from game.report_export import session_what_if

        result = session_what_if(self.session, from_quarter, bot)
        self._what_if = whatif_dict(result)
        if self._report is not None:
            self.report()
        return result


def _with_what_if(report: Report, what_if: dict[str, Any] | None) -> Report:
    """``report`` with ``what_if`` as its what-if and only the share figure redrawn."""
    from game.report_figures import render

    data, figures = report
    data = {**data, "what_if": what_if}
    redrawn = [
        render(data, f.name, f.format, theme="game") if f.name == "share_revenue" else f
        for f in figures
    ]
    return data, redrawn
