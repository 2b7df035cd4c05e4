"""The company debrief (issue 20): after the last seat has seen the final results.

Three views (keys 1-3): **Scorecards** (the company's score, grade and objectives; each
seat's part: who sat there, its objectives, how closely the PMs followed the CPO's themes,
what they shared), **Conversation** (the quarters as a conversation between the seats, the
flags in the warning colour) and **Charts** (the company's KPIs and the dashboard's charts
over the game). Every number is the engine's (:func:`game.company_report.company_report`,
built once); *Export report* writes it as a web page with two CSV files, *Back to the title*
(or Esc) closes the game. The game's autosave stays: Continue opens this debrief again.
"""

from __future__ import annotations

import html
from itertools import groupby
from typing import TYPE_CHECKING, Any

import pygame

from engine.formatting import number
from game.company_report import company_report, met_count, write_company_report
from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.company import FLAG_COLOUR
from game.scenes.dashboard import CARD_H, history_charts, kpi_row, objectives_html
from game.scenes.tab import fit_label
from game.translation import t, words
from game.widgets.text import plain

if TYPE_CHECKING:
    from pathlib import Path

    from game.app import App
    from game.company_session import CompanySession

VIEWS = words("company_ui.debrief.view", ("scorecards", "conversation", "charts"))
VIEW_TIPS = words("company_ui.debrief.view_tip", tuple(VIEWS))
MUTED = "#a8b3c1"


def _e(text: str) -> str:
    """Text for a text box: symbols the font lacks spelled out, then escaped."""
    return html.escape(plain(text), quote=False)


def company_card_html(report: dict[str, Any], session: CompanySession) -> str:
    """The company's scorecard: score and grade, objectives met, each objective's status."""
    card = report["company"]
    objectives = card["objectives"]
    score = t("debrief.score", score=number(card["score"], 0), grade=str(card["grade"]))
    return (
        f"<b>{_e(score)}</b><br>"
        + _e(t("company_ui.debrief.met", met=met_count(objectives), total=len(objectives)))
        + f"<br><br><b>{_e(t('debrief.objectives'))}</b><br>"
        + objectives_html(objectives, session.scenario)
    )


def seats_html(report: dict[str, Any], session: CompanySession) -> str:
    """Each seat in table order: who sat there, its objectives and the alignment evidence."""
    blocks = []
    for seat in report["seats"]:
        heading = t("company_ui.debrief.speaker", seat=seat["title"], who=seat["who"])
        card = seat["card"]
        if card is None:
            body = f"<font color='{MUTED}'>{_e(t('company_ui.debrief.ai_all_game'))}</font>"
        else:
            objectives = (
                objectives_html(card["objectives"], session.scenario)
                if card["objectives"]
                else f"<font color='{MUTED}'>{_e(t('company_ui.debrief.no_objectives'))}</font>"
            )
            body = objectives + "".join(f"<br>• {_e(e)}" for e in card["evidence"])
        blocks.append(f"<b>{_e(heading)}</b><br>{body}")
    return "<br><br>".join(blocks)


def conversation_html(report: dict[str, Any]) -> str:
    """The conversation by quarter, each line after its seat and who sat there; flags in
    the warning colour."""
    lines = report["conversation"]
    if not lines:
        return _e(t("company_ui.debrief.nothing_said"))
    blocks = []
    for quarter, said in groupby(lines, key=lambda line: line["quarter"]):
        rows = [f"<b>{_e(t('company_ui.debrief.quarter', quarter=quarter))}</b>"]
        for line in said:
            speaker = _e(t("company_ui.debrief.speaker", seat=line["seat_title"], who=line["who"]))
            if line["flag"]:
                flag = _e(t("company_ui.debrief.flag"))
                rows.append(
                    f"<font color='{FLAG_COLOUR}'>• <b>{flag} · {speaker}:</b> "
                    f"{_e(line['text'])}</font>"
                )
            else:
                rows.append(f"• <b>{speaker}:</b> {_e(line['text'])}")
        blocks.append("<br>".join(rows))
    return "<br><br>".join(blocks)


class CompanyDebriefScene(Scene):
    """The finished company game. Esc or the button returns to the title screen."""

    name = "company_debrief"

    def __init__(self, app: App, session: CompanySession) -> None:
        super().__init__(app)
        self.session = session
        self.report = company_report(session)
        self.view = 0
        self.export_status = ""

    # ------------------------------------------------------------------ layout
    def build(self) -> None:
        tab_w = 170
        tabs_x = self.width - MARGIN - len(VIEWS) * (tab_w + 4) + 4
        heading = t("company_ui.debrief.heading", title=self.session.scenario.title)
        self.label(
            pygame.Rect(MARGIN, MARGIN, tabs_x - MARGIN - GAP, 40),
            fit_label(heading, 21, tabs_x - MARGIN - GAP - 8, self.scale, bold=True),
            object_id="#heading",
            tip=heading,
        )
        for i, view in enumerate(VIEWS):
            self.button(
                pygame.Rect(tabs_x + i * (tab_w + 4), MARGIN + 2, tab_w, ROW),
                f"{i + 1} {VIEWS[view]}",
                lambda i=i: self.show_view(i),
                object_id="#tab_active" if i == self.view else "#tab",
                tip=VIEW_TIPS[view],
            )
        body = pygame.Rect(
            MARGIN, MARGIN + 48, self.width - 2 * MARGIN, self.height - 2 * MARGIN - 48 - ROW - GAP
        )
        (self._build_scorecards, self._build_conversation, self._build_charts)[self.view](body)
        y = self.height - MARGIN - ROW
        self.button(
            pygame.Rect(MARGIN, y, 220, ROW),
            t("debrief.export"),
            self.export,
            tip=t("company_ui.debrief.export_tip"),
        )
        status_x = MARGIN + 220 + GAP
        self.status = self.label(
            pygame.Rect(status_x, y, self.width - MARGIN - 260 - GAP - status_x, ROW),
            self.export_status,
            tip=t("debrief.status_tip"),
        )
        if not self.export_status:
            self.status.hide()
        self.button(
            pygame.Rect(self.width - MARGIN - 260, y, 260, ROW),
            t("debrief.back"),
            self.to_title,
            object_id="#primary",
        )
        self.app.focus_index = 0

    def _build_scorecards(self, body: pygame.Rect) -> None:
        left_w = (body.w - GAP) * 2 // 5
        self.company_box = self.text(
            pygame.Rect(body.x, body.y, left_w, body.h),
            company_card_html(self.report, self.session),
            tip=t("company_ui.debrief.company_tip"),
        )
        self.seats_box = self.text(
            pygame.Rect(body.x + left_w + GAP, body.y, body.w - left_w - GAP, body.h),
            seats_html(self.report, self.session),
            tip=t("company_ui.debrief.seats_tip"),
        )

    def _build_conversation(self, body: pygame.Rect) -> None:
        self.conversation_box = self.text(
            body, conversation_html(self.report), tip=t("company_ui.debrief.conversation_tip")
        )

    def _build_charts(self, body: pygame.Rect) -> None:
        s = self.session
        history = s.sim.history
        row = pygame.Rect(body.x, body.y, body.w, CARD_H)
        me, cur = s.firm_id, s.scenario.currency
        first, last = history[0].firms[me], history[-1].firms[me]
        kpi_row(self, self.root, row, last, first, cur, since=t("debrief.since_start"))
        top = row.bottom + GAP
        history_charts(
            self, self.root, pygame.Rect(body.x, top, body.w, body.bottom - top), history, me, cur
        )

    # ------------------------------------------------------------------ actions
    def show_view(self, index: int) -> None:
        """Switch between the scorecards, the conversation and the charts."""
        if 0 <= index < len(VIEWS) and index != self.view:
            self.view = index
            self.refresh()

    def export(self) -> list[Path]:
        """Write the company report into the user's reports folder and say where; returns
        the files written (none when the disk refused: the message says why)."""
        from game.debrief_work import problem_text, report_path
        from game.scenes.debrief import saved_words
        from game.scenes.dialog import show_message

        try:
            written = write_company_report(self.report, report_path(self.session, kind="company"))
        except OSError as exc:
            self.export_status = t("debrief.export_failed_status")
            self.refresh()
            show_message(
                self.app,
                t("debrief.export_failed"),
                html.escape(problem_text(exc, "save the report")),
            )
            return []
        self.export_status, body = saved_words(written)
        self.refresh()
        show_message(self.app, t("debrief.saved"), body)
        return written

    def to_title(self) -> None:
        """Close the finished company game and return to the title."""
        from game.scenes.title import TitleScene

        self.app.company = None
        self.app.reset_to(TitleScene(self.app))

    def on_key(self, event: pygame.event.Event) -> None:
        if pygame.K_1 <= event.key < pygame.K_1 + len(VIEWS):
            self.show_view(event.key - pygame.K_1)

    def on_back(self) -> None:
        self.to_title()
