"""Results of a quarter: KPI changes, why they happened (drivers in words), events, news,
and with colleagues, how they took the quarter (who is pleased or let down, and why).

Under them, one short reflection question (the engine's :func:`engine.debrief.
reflection_prompt`): the trainee types an answer or skips it, and the answer is kept with the
game and shown again in the debrief beside what really happened that quarter.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame
import pygame_gui

from engine.decisions import describe
from engine.formatting import money, number
from engine.phrases import say
from game.saves import MAX_ANSWER
from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.dashboard import CARD_H, kpi_row
from game.scenes.people import who
from game.translation import t
from game.widgets.text import LINE_H, plain, text_height

if TYPE_CHECKING:
    from engine.report import TurnReport
    from engine.scenario import Scenario
    from game.app import App

MAX_REFLECT_H = 3 * LINE_H + 18
"""The reflection question's box grows to hold it, up to three lines (then it scrolls)."""


def drivers_html(report: TurnReport, firm: str) -> str:
    """Each explained KPI change of the firm as a sentence, biggest first."""
    lines = []
    for exp in sorted(report.drivers, key=lambda e: -abs(e.change)):
        if exp.firm == firm:
            lines.append(f"• {html.escape(plain(exp.summary))}")
    return "<br>".join(lines) or html.escape(t("results.no_drivers"))


def news_html(report: TurnReport, currency: str) -> str:
    """Events and rivals' moves as a news feed."""
    items = []
    for event in report.events:
        title = html.escape(str(event.get("title", event.get("id", t("results.event")))))
        text = html.escape(str(event.get("text", "")))
        items.append(f"<b>{title}</b>" + (f"<br>{text}" if text else ""))
    for move in report.competitor_moves:
        line = html.escape(plain(move.text))
        if move.marketing:
            line += t(
                "results.rival_marketing", amount=html.escape(money(move.marketing, currency))
            )
        items.append(line)
    return "<br><br>".join(items) or html.escape(t("results.quiet"))


def people_html(report: TurnReport, firm: str) -> str:
    """The colleagues after the quarter ("" for a firm without any): who is pleased or let
    down and why, what became of the answers (a silence or a decline already given as a
    let-down colleague's reason is not said twice) and what their reactions did."""
    people = report.people.get(firm)
    if people is None:
        return ""
    lines = []
    moved = set()
    for person in people.colleagues:
        if person.mood in ("pleased", "let_down"):
            why = " ".join(plain(w) for w in person.why)
            lines.append(t(f"people_tab.results.{person.mood}", who=who(person), why=why))
            moved.add(person.id)
    for response in people.responses:
        if response.outcome in ("ignored", "declined") and response.stakeholder in moved:
            continue
        lines.append(plain(response.text))
    lines += [t("people_tab.results.reaction", title=plain(c)) for c in people.consequences]
    body = "<br>".join(f"• {html.escape(line)}" for line in lines) or html.escape(
        t("people_tab.results.steady")
    )
    return f"<b>{html.escape(t('people_tab.results.heading'))}</b><br>{body}"


def names_of(scenario: Scenario) -> dict[str, str]:
    """Display names by id: backlog items, studies, segments, initiatives and products."""
    s = scenario
    names = {b.id: b.name for b in s.backlog} | {m.id: m.name for m in s.research}
    names |= {g.id: g.name for g in s.segments} | {i.id: i.name for i in s.initiatives}
    return names | {p.id: p.name for _, p in s.products()}


def work_html(report: TurnReport, firm: str, names: dict[str, str]) -> str:
    """What the organisation did: shipped items, research, people, culture, warnings."""
    org = report.organisation.get(firm)
    if org is None:
        return ""

    def named(ids: list[str]) -> str:
        return t("results.list_separator").join(html.escape(names.get(i, i)) for i in ids)

    lines = [
        t("results.work.shipped", items=named(org.shipped))
        if org.shipped
        else html.escape(t("results.work.shipped_nothing"))
    ]
    blocked_words = say("lines.blocked", item="\0", deps="\0").split("\0")[0]  # "blocked: "
    for line in org.lines.values():  # why, in the engine's words (names, not ids): what
        # shipped nothing, what is taking longer than estimated, what sat idle
        for reason in line.reasons:
            if not reason.startswith(blocked_words):  # blocked items are listed below
                lines.append(
                    t(
                        "results.work.reason",
                        line=named([line.product]),
                        reason=html.escape(plain(reason)),
                    )
                )
    for line in org.lines.values():
        blocked = [
            t("results.work.waits", item=html.escape(names.get(i, i)), needs=named(d))
            for i, d in line.blocked.items()
        ]
        if blocked:
            lines.append(
                t("results.work.blocked", items=t("results.blocked_separator").join(blocked))
            )
    for study in org.research:
        lines.append(
            t(
                "results.work.research",
                method=html.escape(names.get(str(study["method"]), str(study["method"]))),
                segment=html.escape(names.get(str(study["segment"]), str(study["segment"]))),
            )
        )
    if org.breakthroughs:
        lines.append(t("results.work.breakthrough", items=named(org.breakthroughs)))
    if org.unlocked:
        lines.append(t("results.work.unlocked", items=named(org.unlocked)))
    if org.initiatives_landed:
        lines.append(t("results.work.initiatives", items=named(org.initiatives_landed)))
    people = dict(
        people=org.headcount,
        morale=number(org.morale, 2),
        debt=number(org.tech_debt, 0),
        hired=org.hired,
        laid_off=org.laid_off,
        left=org.leavers,
    )
    changed = org.hired or org.laid_off or org.leavers
    lines.append(t("results.work.people_moves" if changed else "results.work.people", **people))
    lines += [f"<font color='#f0894a'>{html.escape(plain(w))}</font>" for w in org.warnings]
    return "<br>".join(f"• {line}" for line in lines)


class ResultsScene(Scene):
    """Shown after every quarter; Enter goes on."""

    name = "results"

    def __init__(self, app: App, report: TurnReport) -> None:
        super().__init__(app)
        self.report = report
        session = app.session
        self.question = session.reflection_question() if session is not None else ""
        self.answer = ""
        self.saved = False  # the answer was kept (Enter in the box)
        self.kept = ""  # the answer kept

    def build(self) -> None:
        session = self.app.session
        assert session is not None
        s = session.scenario
        r = self.report
        history = session.sim.history
        me = session.firm_id
        self.label(
            pygame.Rect(MARGIN, MARGIN, self.width - 2 * MARGIN, 40),
            t("results.heading", quarter=r.quarter, quarters=s.quarters),
            object_id="#heading",
        )
        row = pygame.Rect(MARGIN, MARGIN + 48, self.width - 2 * MARGIN, CARD_H)
        before = history[-2].firms[me] if len(history) > 1 else None
        kpi_row(self, self.root, row, r.firms[me], before, s.currency)
        top = row.bottom + GAP
        question = self._question_html()
        ask_h = min(text_height(question, self.width - 2 * MARGIN), MAX_REFLECT_H)
        body_h = self.height - top - MARGIN - ROW - GAP - (ask_h + GAP if self.question else 0)
        left_w = (self.width - 2 * MARGIN - GAP) * 3 // 5
        work = work_html(r, me, names_of(s))
        log = session.log
        decided = describe(
            s,
            log[-1][me],
            history[-2],
            log[-2][me] if len(log) > 1 else None,
            ai_lines=[p.id for p in session.products()] if session.role == "cpo" else (),
        )
        decided_html = "<br>".join(f"• {html.escape(plain(line))}" for line in decided)
        people = people_html(r, me)
        why_h = body_h
        if people:  # under the drivers, as tall as it needs up to half the column
            people_h = min(text_height(people, left_w), body_h // 2)
            why_h = body_h - people_h - GAP
            self.text(pygame.Rect(MARGIN, top + why_h + GAP, left_w, people_h), people)
        self.text(
            pygame.Rect(MARGIN, top, left_w, why_h),
            f"<b>{html.escape(t('results.why'))}</b><br>" + drivers_html(r, me),
            tip=t("results.why_tip"),
        )
        self.text(
            pygame.Rect(MARGIN + left_w + GAP, top, self.width - 2 * MARGIN - left_w - GAP, body_h),
            f"<b>{html.escape(t('results.decided'))}</b><br>"
            + (decided_html or "• " + html.escape(t("results.nothing_new"), quote=False))
            + "<br><br>"
            + (f"<b>{html.escape(t('results.inside'))}</b><br>{work}<br><br>" if work else "")
            + f"<b>{html.escape(t('results.news'))}</b><br>"
            + news_html(r, s.currency),
        )
        finished = session.finished
        self.button(
            pygame.Rect(self.width - MARGIN - 300, self.height - MARGIN - ROW, 300, ROW),
            t("results.debrief") if finished else t("results.plan", quarter=session.quarter),
            self.go_on,
            object_id="#primary",
            tip=t("results.debrief_tip") if finished else t("results.plan_tip"),
        )
        self.app.focus_index = 0
        if self.question:
            self._build_reflection(pygame.Rect(MARGIN, top + body_h + GAP, 0, ask_h))

    def _question_html(self) -> str:
        return (
            f"<b>{html.escape(t('results.think_back'))}</b> {html.escape(plain(self.question))}<br>"
            f"<font color='#a8b3c1'>{html.escape(t('results.reflect_how'))}</font>"
        )

    def _build_reflection(self, at: pygame.Rect) -> None:
        """The question (at ``at``'s top, ``at.h`` high), a box for the answer and Skip.

        The box has the keyboard focus, so typing goes straight into it (a space can never
        press a button by surprise); Enter in an empty box goes on, as Enter does on every
        other results screen.
        """
        w = self.width - 2 * MARGIN
        self.text(pygame.Rect(MARGIN, at.y, w, at.h), self._question_html())
        by = self.height - MARGIN - ROW
        entry_w = w - 300 - 160 - 2 * GAP
        self.entry = self.entry_line(
            pygame.Rect(MARGIN, by, entry_w, ROW),
            self.answer,
            lambda text: None,
            tip=t("results.answer_tip"),
        )
        self.entry.set_text_length_limit(MAX_ANSWER)
        self._changes[self.entry] = self._typed
        self.skip_button = self.button(
            pygame.Rect(MARGIN + entry_w + GAP, by, 160, ROW),
            t("results.kept") if self.saved else t("results.skip"),
            self.skip,
            tip=t("results.skip_tip"),
            enabled=not self.saved,
        )
        self.app.focus_index = self.focusables().index(self.entry)
        self.manager.set_focus_set(self.entry)

    def _typed(self, event: pygame.event.Event) -> None:
        """Every edit is remembered. Enter keeps a new answer (the game is saved); Enter in an
        empty box, or again on an answer already kept, goes on."""
        self.answer = self.entry.get_text()
        if event.type != pygame_gui.UI_TEXT_ENTRY_FINISHED:
            return
        text = self.answer.strip()
        if not text or (self.saved and text == self.kept):
            self.go_on()
            return
        self._keep(text)
        self.saved, self.kept = True, text
        self.skip_button.set_text(t("results.kept"))
        self.skip_button.disable()

    def _keep(self, answer: str | None) -> None:
        session = self.app.session
        if session is not None and self.question:
            session.reflect(self.report.quarter, self.question, answer)

    def skip(self) -> None:
        """Go on without answering (kept as skipped)."""
        self.answer = ""
        self._keep(None)
        self._leave()

    def go_on(self) -> None:
        """Keep the answer (none typed: skipped), then back to the hub or on to the debrief."""
        self._keep(self.answer)
        self._leave()

    def _leave(self) -> None:
        """Back to the hub, or on to the debrief after the last quarter."""
        from game.scenes.debrief import DebriefScene
        from game.scenes.hub import HubScene

        session = self.app.session
        assert session is not None
        self.app.reset_to(DebriefScene(self.app) if session.finished else HubScene(self.app))

    def on_back(self) -> None:
        self.go_on()

    def on_enter(self) -> None:
        self.go_on()
