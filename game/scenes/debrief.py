"""The final debrief: where you ended against where you started, charts and discussion.

Four views (keys 1-4): the summary (KPIs, charts, score, objectives, competencies, prompts),
What if? (a built-in strategy takes over after a quarter you choose, same seed), Figures
(the report's own figures, with the trainee's latest what-if) and Reflections (each quarter's
question, the trainee's answer and what really happened: the engine's drivers); a fifth,
Colleagues (key 5: trust over the game and the promises, :mod:`game.scenes.debrief_people`),
when the player had colleagues. Export
writes the self-contained HTML report and its data files.
The full report, the figures and the what-ifs are built in background jobs
(:mod:`game.debrief_work`) while the window keeps drawing; progress is shown in words.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame
from pygame_gui.elements import UIDropDownMenu

from engine.formatting import number, pct
from engine.relationships import relationships
from game import palette
from game.debrief_work import DebriefWork, problem_text, report_path
from game.jobs import Job
from game.report_export import COMPETENCY_NAMES, bot_label
from game.scenes.base import GAP, MARGIN, ROW, Scene, grid
from game.scenes.dashboard import CARD_H, history_charts, kpi_row, objectives_html, quarter_labels
from game.scenes.debrief_people import build_relationships
from game.scenes.glossary import METRICS
from game.scenes.results import drivers_html
from game.translation import t, words
from game.widgets.chart import LineChart, Series
from game.widgets.figure_view import FigureView, decode_png
from game.widgets.text import plain

if TYPE_CHECKING:
    from pathlib import Path

    from engine.whatif import WhatIf
    from game.app import App
    from game.report_figures import Figure
    from game.session import Session

# Words are looked up in the current language when shown (``debrief.*`` translations).
BOT_NAMES = words(
    "debrief.bot",
    ("balanced", "customer_centric", "profit", "greedy_share", "feature_factory", "hold", "random"),
)
COMPETENCIES = COMPETENCY_NAMES
VIEWS = words("debrief.view", ("summary", "what_if", "figures", "reflections"))
VIEW_TIPS = words("debrief.view_tip", tuple(VIEWS))
FIGURE_BUTTONS = words(
    "debrief.figure", ("share_revenue", "culture_debt", "belief_map", "score_vs_bots")
)
PEOPLE_VIEW = "colleagues"
"""The fifth view, only when the player had colleagues."""
WHAT_IF_COLOUR = palette.TEXT
COMPARE_READY = "compare"  # a pending message that is the bot comparison itself


def competencies_html(competencies: dict[str, dict[str, Any]]) -> str:
    """Each competency's score out of 100 and its evidence sentences."""
    rows = []
    for key, c in competencies.items():
        evidence = "; ".join(html.escape(plain(str(e))) for e in c["evidence"])
        rows.append(
            t(
                "debrief.competency_line",
                name=COMPETENCIES.get(key, key),
                score=f"<b>{number(c['score'], 0)}</b>",
                evidence=f"<font color='#a8b3c1'>{evidence}</font>",
            )
        )
    return "<br>".join(rows)


def reflections_html(session: Session) -> str:
    """Each quarter's question and answer, beside what really happened (the drivers)."""
    history = session.sim.history
    blocks = []
    for q in range(1, len(history)):
        kept = session.reflections.get(q)
        if kept is None:
            continue
        answer = (
            f"<font color='{palette.hex_colour(palette.SKY_BLUE)}'>"
            f"{html.escape(plain(kept.answer))}</font>"
            if kept.answer
            else f"<font color='#a8b3c1'>{t('debrief.reflection.skipped')}</font>"
        )
        question = html.escape(plain(kept.question))
        blocks.append(
            f"<b>{t('debrief.reflection.question', quarter=q, question=question)}</b><br>"
            f"{t('debrief.reflection.answer', answer=answer)}<br>"
            f"<font color='#a8b3c1'>{t('debrief.reflection.happened')}</font><br>"
            f"{drivers_html(history[q], session.firm_id)}"
        )
    if not blocks:
        return t("debrief.reflection.none")
    return "<br><br>".join(blocks)


def saved_words(written: list[Path]) -> tuple[str, str]:
    """An export's written files in words: one line for beside the buttons, and the
    dialog's HTML with the page's whole path and the data files beside it."""
    page, data = written[0], written[1:]
    short = len(page.name) <= 44
    status = t("debrief.saved_status", name=page.name) if short else t("debrief.saved_folder")
    body = (
        f"{t('debrief.saved_where')}<br><b>{html.escape(str(page))}</b><br><br>"
        f"{t('debrief.saved_files')}<br>" + "<br>".join(f"• {html.escape(p.name)}" for p in data)
    )
    return status, body


def view_label(view: str) -> str:
    """A view's tab text (without its key number)."""
    return t("debrief_people.view") if view == PEOPLE_VIEW else VIEWS[view]


def view_tip(view: str) -> str:
    """A view's tab tooltip."""
    return t("debrief_people.view_tip") if view == PEOPLE_VIEW else VIEW_TIPS[view]


def figure_button(fig: Figure) -> str:
    """A figure's short tab text in the Figures view."""
    if fig.name == "relationships":
        return t("debrief_people.figure.button")
    return FIGURE_BUTTONS.get(fig.name, fig.title)


def bot_choices() -> list[tuple[str, str]]:
    """(friendly name, bot id) for every built-in bot, the sensible one first."""
    from engine.bots import BOTS

    known = [b for b in BOT_NAMES if b in BOTS]
    return [(BOT_NAMES[b], b) for b in known] + [(b, b) for b in BOTS if b not in BOT_NAMES]


def quarter_choices(played: int) -> list[tuple[str, str]]:
    """(label, quarter) for every takeover point: from the start (Q0) to after Q(played-1)."""
    return [(t("debrief.from_start"), "0")] + [
        (t("debrief.after_quarter", quarter=q), str(q)) for q in range(1, played)
    ]


class DebriefScene(Scene):
    """After the last quarter. Esc or the button returns to the title screen."""

    name = "debrief"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        session = app.session
        assert session is not None
        self.work = DebriefWork(session)
        self.view = 0
        self.relationships = relationships(session.sim.history, session.firm_id)
        self.views = [*VIEWS, *([PEOPLE_VIEW] if self.relationships else [])]
        self.figure = 0
        self.from_quarter = max(0, len(session.log) - 1) // 2
        self.bot = bot_choices()[0][1]
        self.figures_job: Job[Any] | None = None
        self.compare_job: Job[Any] | None = None
        self.export_job: Job[list[Path]] | None = None
        self.what_if_job: Job[WhatIf] | None = None
        self.what_if_result: WhatIf | None = None
        self.what_if_problem = ""
        self.export_status = ""
        self.images: list[pygame.Surface] = []
        self.figures: list[Figure] = []  # the figures ``images`` were decoded from
        self.figures_problem = ""
        self._pending: tuple[str, str] | None = None
        self._shown_seconds = -1

    # ------------------------------------------------------------------ layout
    def build(self) -> None:
        session = self.app.session
        assert session is not None
        tab_w = 150
        tabs_x = self.width - MARGIN - len(self.views) * (tab_w + 4) + 4
        self.label(
            pygame.Rect(MARGIN, MARGIN, tabs_x - MARGIN - GAP, 40),
            t("debrief.heading", title=session.scenario.title),
            object_id="#heading",
        )
        for i, view in enumerate(self.views):
            self.button(
                pygame.Rect(tabs_x + i * (tab_w + 4), MARGIN + 2, tab_w, ROW),
                f"{i + 1} {view_label(view)}",
                lambda i=i: self.show_view(i),
                object_id="#tab_active" if i == self.view else "#tab",
                tip=view_tip(view),
            )
        body = pygame.Rect(
            MARGIN, MARGIN + 48, self.width - 2 * MARGIN, self.height - 2 * MARGIN - 48 - ROW - GAP
        )
        views = (self._build_summary, self._build_what_if, self._build_figures)
        (*views, self._build_reflections, self._build_people)[self.view](body)
        self._build_bottom_bar()

    def _build_bottom_bar(self) -> None:
        y = self.height - MARGIN - ROW
        self.compare_button = self.button(
            pygame.Rect(MARGIN, y, 260, ROW),
            t("debrief.comparing") if self.compare_job is not None else t("debrief.compare"),
            self.compare,
            tip=t("debrief.compare_tip"),
        )
        if self.compare_job is not None:
            self.compare_button.disable()
        exporting = self.export_job is not None
        self.export_button = self.button(
            pygame.Rect(MARGIN + 260 + GAP, y, 200, ROW),
            t("debrief.exporting") if exporting else t("debrief.export"),
            self.export,
            enabled=not exporting,
            tip=t("debrief.export_tip"),
        )
        status_x = MARGIN + 260 + 200 + 2 * GAP
        self.status = self.label(
            pygame.Rect(status_x, y, self.width - MARGIN - 260 - GAP - status_x, ROW),
            self._status_text(),
            tip=t("debrief.status_tip"),
        )
        self._show_status()
        self.button(
            pygame.Rect(self.width - MARGIN - 260, y, 260, ROW),
            t("debrief.back"),
            self.to_title,
            object_id="#primary",
        )

    def _show_status(self) -> None:
        """The status box is shown only when it has something to say."""
        if self.export_job is not None or self.export_status:
            self.status.show()
        else:
            self.status.hide()

    def _status_text(self) -> str:
        if self.export_job is not None:
            doing = "debrief.writing" if self.work.ready else "debrief.building"
            return t(doing, seconds=self.export_job.seconds)
        return self.export_status

    def _build_summary(self, body: pygame.Rect) -> None:
        session = self.app.session
        assert session is not None
        s = session.scenario
        history = session.sim.history
        me = session.firm_id
        row = pygame.Rect(body.x, body.y, body.w, CARD_H)
        kpi_row(
            self,
            self.root,
            row,
            history[-1].firms[me],
            history[0].firms[me],
            s.currency,
            since=t("debrief.since_start"),
        )
        top = row.bottom + GAP
        body_h = body.bottom - top
        left_w = (body.w - GAP) * 3 // 5
        history_charts(
            self, self.root, pygame.Rect(body.x, top, left_w, body_h), history, me, s.currency
        )
        card = session.scorecard()
        prompts = "<br>".join(f"• {html.escape(plain(p.question))}" for p in s.debrief)
        score = t(
            "debrief.score",
            score=number(card["score"], 0),
            grade=html.escape(str(card["grade"])),
        )
        self.text(
            pygame.Rect(body.x + left_w + GAP, top, body.w - left_w - GAP, body_h),
            f"<b>{score}</b>"
            f"<br><br><b>{t('debrief.objectives')}</b><br>"
            f"{objectives_html(card['objectives'], session.scenario)}"
            f"<br><br><b>{t('debrief.competencies')}</b><br>"
            f"{competencies_html(card['competencies'])}"
            f"<br><br><b>{t('debrief.prompts')}</b><br>{prompts}",
            tip=t("debrief.summary_tip"),
        )

    def _build_what_if(self, body: pygame.Rect) -> None:
        session = self.app.session
        assert session is not None
        history = session.sim.history
        left_w = (body.w - GAP) * 3 // 5
        firms = list(history[-1].firms.values())
        result = self.what_if_result
        colour = palette.firm_colours([f.id for f in firms], session.firm_id)
        series = [
            Series(
                t("debrief.you", name=f.name) if f.id == session.firm_id else f.name,
                [r.firms[f.id].share for r in history],
                colour[f.id],
            )
            for f in firms
        ]
        if result is not None:
            # Identical to yours up to the takeover: draw only from there on.
            share = [
                v if q >= result.from_quarter else float("nan") for q, v in enumerate(result.share)
            ]
            name = t("debrief.what_if_line", bot=bot_label(result.bot), quarter=result.from_quarter)
            series.append(Series(name, share, WHAT_IF_COLOUR))  # drawn last: on top
        self.share_chart = LineChart(
            self.px(pygame.Rect(body.x, body.y, left_w, body.h)),
            self.manager,
            self.root,
            t("debrief.share_chart_what_if" if result is not None else "debrief.share_chart"),
            series,
            quarter_labels(len(history)),
            lambda v: pct(v, 0),
            METRICS["share"],
            self.scale,
        )
        x, w = body.x + left_w + GAP, body.w - left_w - GAP
        intro_h = 104
        self.text(
            pygame.Rect(x, body.y, w, intro_h),
            t("debrief.what_if_intro"),
        )
        y = body.y + intro_h + GAP
        label_w = 130
        played = len(session.log)
        self.label(
            pygame.Rect(x, y, label_w, ROW), t("debrief.take_over"), tip=t("debrief.enter_tip")
        )
        self._drop_down(
            pygame.Rect(x + label_w, y, w - label_w, ROW),
            quarter_choices(played),
            str(self.from_quarter),
            self._set_quarter,
        )
        y += ROW + GAP
        self.label(
            pygame.Rect(x, y, label_w, ROW), t("debrief.strategy"), tip=t("debrief.enter_tip")
        )
        self._drop_down(
            pygame.Rect(x + label_w, y, w - label_w, ROW), bot_choices(), self.bot, self._set_bot
        )
        y += ROW + GAP
        running = self.what_if_job is not None
        self.what_if_button = self.button(
            pygame.Rect(x, y, w, ROW),
            t("debrief.replaying") if running else t("debrief.run_what_if"),
            self.run_what_if,
            enabled=not running and played > 0,
            object_id="#primary",
            tip=t("debrief.run_what_if_tip"),
        )
        y += ROW + GAP
        self.what_if_box = self.text(pygame.Rect(x, y, w, body.bottom - y), self._what_if_html())

    def _what_if_html(self) -> str:
        if self.what_if_job is not None:
            return t("debrief.what_if_running", seconds=self.what_if_job.seconds)
        if self.what_if_problem:
            return f"<font color='#f0894a'>{html.escape(self.what_if_problem)}</font>"
        if self.what_if_result is None:
            return f"<font color='#a8b3c1'>{t('debrief.what_if_hint')}</font>"
        return "<br><br>".join(html.escape(s) for s in self.what_if_result.sentences)

    def _drop_down(
        self,
        rect: pygame.Rect,
        choices: list[tuple[str, str]],
        current: str,
        on_set: Callable[[str], None],
    ) -> UIDropDownMenu:
        """A drop-down for the mouse; Tab reaches it and Enter picks the next choice."""
        start = next(c for c in choices if c[1] == current)
        element = UIDropDownMenu(
            choices,
            start,
            self.px(rect),
            manager=self.manager,
            container=self.root,
            expand_on_option_click=True,
        )
        ids = [c[1] for c in choices]

        def step() -> None:
            on_set(ids[(ids.index(current) + 1) % len(ids)])
            self.refresh()

        self._actions[element] = step
        self._changes[element] = lambda event: on_set(event.selected_option_id)
        self._focus.append(element)
        return element

    def _set_quarter(self, quarter: str) -> None:
        self.from_quarter = int(quarter)

    def _set_bot(self, bot: str) -> None:
        self.bot = bot

    def _build_figures(self, body: pygame.Rect) -> None:
        if not self.images:
            self._start_figures()
            self.figures_text = self.text(
                pygame.Rect(body.x, body.y, body.w, 2 * ROW + GAP), self._figures_html()
            )
            if self.figures_problem:
                self.button(
                    pygame.Rect(body.x, body.y + 2 * ROW + 2 * GAP, 200, ROW),
                    t("debrief.try_again"),
                    self.retry_figures,
                )
            return
        figures = self.figures
        count = len(figures)
        for i, (cell, fig) in enumerate(
            zip(grid(pygame.Rect(body.x, body.y, body.w, ROW), count, 1), figures, strict=True)
        ):
            self.button(
                cell,
                figure_button(fig),
                lambda i=i: self.show_figure(i),
                object_id="#tab_active" if i == self.figure else "#tab",
                tip=fig.title,
            )
        fig = figures[self.figure]
        top = body.y + ROW + GAP
        self.label(pygame.Rect(body.x, top, body.w, 30), fig.title, object_id="#heading")
        area = pygame.Rect(body.x, top + 34, body.w, body.bottom - top - 34)
        self.figure_view = FigureView(
            self.px(area), self.manager, self.root, self.images[self.figure], fig.alt
        )

    def _build_people(self, body: pygame.Rect) -> None:
        assert self.relationships is not None
        self.trust_chart = build_relationships(self, body, self.relationships)

    def _build_reflections(self, body: pygame.Rect) -> None:
        session = self.app.session
        assert session is not None
        self.text(body, reflections_html(session), tip=t("debrief.reflection.tip"))

    def _figures_html(self) -> str:
        if self.figures_problem:
            return f"<font color='#f0894a'>{html.escape(self.figures_problem)}</font>"
        job = self.figures_job
        seconds = job.seconds if job is not None else 0
        return (
            f"{t('debrief.figures_building', seconds=seconds)}<br>"
            f"<font color='#a8b3c1'>{t('debrief.figures_same')}</font>"
        )

    # ------------------------------------------------------------------ actions
    def show_view(self, index: int) -> None:
        """Switch between the summary, the what-if, the figures, the reflections and (with
        colleagues) the colleagues."""
        if 0 <= index < len(self.views) and index != self.view:
            self.view = index
            self.refresh()

    def show_figure(self, index: int) -> None:
        """Show another of the report's figures."""
        if self.images:
            self.figure = index % len(self.images)
            self.refresh()

    def _start_figures(self) -> None:
        if self.figures_job is None and not self.figures_problem:
            self.figures_job = Job(self.work.report)

    def retry_figures(self) -> None:
        """Try drawing the figures again after a failure."""
        self.figures_problem = ""
        self.refresh()

    def export(self) -> None:
        """Write the report into the user's reports folder, in the background."""
        if self.export_job is not None:
            return
        session = self.app.session
        assert session is not None
        target = report_path(session)
        self.export_job = Job(lambda: self.work.export(target))
        self.export_status = ""
        self.export_button.set_text(t("debrief.exporting"))
        self.export_button.disable()
        self.status.set_text(self._status_text())
        self._show_status()

    def run_what_if(self) -> None:
        """Replay the game with the chosen strategy after the chosen quarter, in the background."""
        if self.what_if_job is not None:
            return
        quarter, bot = self.from_quarter, self.bot
        self.what_if_job = Job(lambda: self.work.what_if(quarter, bot))
        self.what_if_problem = ""
        self.refresh()

    def compare(self) -> None:
        """Show the built-in bots' scores on the same seed beside the player's.

        The numbers are the report's own comparison (:func:`engine.debrief.compare_bots`,
        built once in the background), so the screen and the exported report always agree.
        """
        if self.work.ready:
            self._show_comparison()
        elif self.compare_job is None:
            self.compare_job = Job(self.work.report)
            self.compare_button.set_text(t("debrief.comparing"))
            self.compare_button.disable()

    def _show_comparison(self) -> None:
        from game.scenes.dialog import show_message

        data, _ = self.work.report()
        comparison = data.get("comparison")
        if not comparison:
            show_message(self.app, t("debrief.compare_title"), t("debrief.compare_none"))
            return
        rows = [f"<b>{t('debrief.compare_you', score=number(comparison['player_score'], 0))}</b>"]
        for run in sorted(comparison["bots"], key=lambda r: -r["score"]):
            rows.append(
                t(
                    "debrief.compare_bot",
                    bot=BOT_NAMES.get(run["bot"], html.escape(run["bot"])),
                    score=number(run["score"], 0),
                    grade=html.escape(str(run["grade"])),
                )
            )
        sentences = "<br>".join(html.escape(plain(s)) for s in comparison["sentences"])
        show_message(
            self.app,
            t("debrief.compare_title"),
            t("debrief.compare_intro") + "<br><br>" + "<br>".join(rows) + f"<br><br>{sentences}",
        )

    def to_title(self) -> None:
        """Close the finished game and return to the title."""
        from game.scenes.title import TitleScene

        self.app.session = None
        self.app.reset_to(TitleScene(self.app))

    # ------------------------------------------------------------------ frame loop
    def update(self, dt: float) -> None:
        """Collect finished background jobs (rebuilding once); keep progress text ticking."""
        if self.root is None:
            return
        finished = False
        if self.export_job is not None and self.export_job.done:
            self._export_finished(self.export_job)
            finished = True
        if self.what_if_job is not None and self.what_if_job.done:
            job, self.what_if_job = self.what_if_job, None
            if job.error is not None:
                self.what_if_problem = problem_text(job.error, "replay the what-if")
            else:
                self.what_if_result = job.result
                if self.images and not self.work.ready and self.figures_job is None:
                    self.figures_job = Job(self.work.report)  # redraw with this what-if
            finished = True
        if self.figures_job is not None and self.figures_job.done:
            job, self.figures_job = self.figures_job, None
            if job.error is not None:
                self.figures_problem = problem_text(job.error, "draw the figures")
            finished = True
        if self.compare_job is not None and self.compare_job.done:
            job, self.compare_job = self.compare_job, None
            if job.error is not None:
                self._pending = (
                    t("debrief.compare_failed"),
                    html.escape(problem_text(job.error, "play the bots")),
                )
            else:
                self._pending = (COMPARE_READY, "")
            finished = True
        if self.work.ready and self.work.report()[1] is not self.figures:
            self.figures = self.work.report()[1]  # new, or redrawn with the trainee's what-if
            self.images = [decode_png(f.data) for f in self.figures]
            finished = True
        if finished:
            self.refresh()
            self._show_pending()
        else:
            self._tick()

    def _tick(self) -> None:
        """Refresh the elapsed seconds of running jobs once a second."""
        jobs = [
            j
            for j in (self.export_job, self.what_if_job, self.figures_job, self.compare_job)
            if j is not None
        ]
        seconds = max((j.seconds for j in jobs if not j.done), default=-1)
        if seconds == self._shown_seconds:
            return
        self._shown_seconds = seconds
        if self.export_job is not None:
            self.status.set_text(self._status_text())
        if self.view == 1 and self.what_if_job is not None:
            self.what_if_box.set_text(self._what_if_html())
        if self.view == 2 and not self.images and self.figures_job is not None:
            self.figures_text.set_text(self._figures_html())

    def _export_finished(self, job: Job[list[Path]]) -> None:
        self.export_job = None
        if job.error is not None:
            message = problem_text(job.error, "save the report")
            self.export_status = t("debrief.export_failed_status")
            self._pending = (t("debrief.export_failed"), html.escape(message))
            return
        self.export_status, body = saved_words(job.result or [])
        self._pending = (t("debrief.saved"), body)

    def _show_pending(self) -> None:
        """Show a finished export's message once this screen is on top."""
        if self._pending is not None and self.app.top is self:
            from game.scenes.dialog import show_message

            title, body = self._pending
            self._pending = None
            if title == COMPARE_READY:
                self._show_comparison()
            else:
                show_message(self.app, title, body)

    def resume(self) -> None:
        self._show_pending()

    def on_key(self, event: pygame.event.Event) -> None:
        if pygame.K_1 <= event.key < pygame.K_1 + len(self.views):
            self.show_view(event.key - pygame.K_1)
        elif self.view == 2 and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.show_figure(self.figure + (1 if event.key == pygame.K_RIGHT else -1))

    def on_back(self) -> None:
        self.to_title()
