"""Portfolio tab (CPO): each line's AI PM at work, and the levers to steer them.

Per line: what its PM plans this quarter (items in order, estimated effort against the line's
feature capacity), what happened last quarter (numbers, what shipped and what it changed) and
the reasons in words — all from the engine's :meth:`~game.desk.Desk.outlook` of the draft, so
a new theme shows its plan at once. The levers: a theme, mentoring time and sunsetting per
line; innovation bets and the incubation team for the firm.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, get_args

import pygame

from engine.decisions import THEME_AIMS, THEME_NAMES, Theme
from engine.formatting import (
    count,
    money,
    money_full,
    number,
    pct,
    points,
    signed_count,
    signed_money,
    signed_pct,
)
from game.scenes.base import GAP, ROW
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab, fit_label
from game.translation import t
from game.widgets.text import plain

if TYPE_CHECKING:
    from engine.lines import BetStatus, LineKpis, LinePlan, Outlook

THEMES: tuple[str, ...] = get_args(Theme)
THEME_CYCLE: tuple[str, ...] = ("", *THEMES)  # "": no theme, the PM follows their own style
STYLES = ("builder", "analyst", "customer", "cautious", "visionary")
"""The AI PMs' styles, each named by ``portfolio.style_name.<id>`` and described by
``portfolio.style.<id>`` (another style: its id, and ``portfolio.style_other``)."""
RIGHT_W = 340  # the bets and incubation column (when the scenario has bets)
SCROLLBAR = 24
BET_BUTTON = 80
OVERVIEW_H = ROW + 30  # one line's row in the overview: levers, then its plan in a sentence
MIN_CARDS_H = 200  # the least height left for the line cards below a fixed overview


BUDGET_STEPS = 20
"""Steps of a line's budget; the top of its range means no limit."""


def budget_step(spend: float) -> float:
    """A line's budget step: a round amount near a tenth of ``spend`` (its marketing now
    and the dearest study), so the stepper's range covers about twice that before "no
    limit"."""
    import math

    raw = max(1000.0, spend) / 10
    unit = 10 ** math.floor(math.log10(raw))
    return float(max(1, round(raw / unit)) * unit)


def mentoring_room(mentoring: dict[str, float], line: str) -> float:
    """The most mentoring time ``line`` may have: 100% minus the other lines' time."""
    others = sum(v for k, v in mentoring.items() if k != line)
    return max(0.0, round(1.0 - others, 2))


def theme_words(theme: str) -> str:
    """A line's theme for a person: its name and what the AI PM does under it."""
    if not theme:
        return t("portfolio.no_theme")
    return t("portfolio.theme_words", name=THEME_NAMES[theme], aim=THEME_AIMS[theme])


def _bullets(texts: list[str]) -> list[str]:
    """Engine sentences as escaped bullet lines, each starting with a capital."""
    return [f"• {html.escape(plain(s[:1].upper() + s[1:]))}" for s in texts]


def plan_html(plan: LinePlan, quarter: int, currency: str, period: str = "quarter") -> str:
    """The line's plan for the quarter being decided (``period``: "quarter", or "round" in a
    workshop), and why."""
    period = "round" if period == "round" else "quarter"
    comma = t("portfolio.list_separator")
    out = [
        f"<b>{html.escape(t(f'portfolio.plan_for.{period}', n=quarter))}</b>",
        html.escape(theme_words(plan.theme)),
    ]
    if not plan.sunset:
        for n, item in enumerate(plan.items, start=1):
            if item.waits_for:
                state = t("portfolio.state.waits", items=comma.join(item.waits_for))
            elif item.ships:
                state = t("portfolio.state.ships")
            else:
                state = t(f"portfolio.state.continues.{period}")
            text = t(
                "portfolio.plan_item",
                n=n,
                name=item.name,
                points=number(item.remaining, 0),
                state=state,
            )
            out.append(html.escape(plain(text)))
        if not plan.items:
            out.append(html.escape(t("portfolio.nothing_planned")))
        s = plan.split
        out.append(
            t(
                "portfolio.planned",
                planned=number(plan.planned, 0),
                capacity=number(plan.capacity, 0),
                features=pct(s.features, 0),
                debt=pct(s.debt, 0),
                discovery=pct(s.discovery, 0),
            )
        )
        if plan.research:
            out.append(
                html.escape(plain(t("portfolio.research", studies=comma.join(plan.research))))
            )
        if abs(plan.price - plan.price_before) > 0.005 * plan.price_before:
            move = signed_pct(plan.price / plan.price_before - 1.0)
            out.append(
                html.escape(
                    t(
                        "portfolio.price",
                        before=money_full(plan.price_before, currency),
                        after=money_full(plan.price, currency),
                        change=move,
                    )
                )
            )
    why = [*plan.reasons, *plan.context]
    if why:
        out += [f"<b>{html.escape(t('portfolio.why'))}</b>", *_bullets(why)]
    return "<br>".join(out)


def _change(now: float, before: float | None, fmt: Callable[[float], str]) -> str:
    """The change to show after a number, " (+12)", when there is a quarter to compare."""
    return "" if before is None else f" ({fmt(now - before)})"


def kpi_lines(now: LineKpis, before: LineKpis | None, morale: float, currency: str) -> list[str]:
    """A line's numbers after the last quarter, with the change over it."""

    def was(field: str) -> float | None:
        return None if before is None else getattr(before, field)

    customers = _change(now.customers, was("customers"), signed_count)
    share = _change(now.share, was("share"), points)
    revenue = _change(now.revenue, was("revenue"), lambda v: signed_money(v, currency))
    return [
        html.escape(
            t(
                "portfolio.kpi.customers",
                customers=count(now.customers),
                customers_change=customers,
                share=pct(now.share),
                share_change=share,
            )
        ),
        html.escape(
            t(
                "portfolio.kpi.revenue",
                revenue=money(now.revenue, currency),
                revenue_change=revenue,
                contribution=money(now.contribution, currency),
            )
        ),
        t(
            "portfolio.kpi.satisfaction",
            satisfaction=number(now.satisfaction, 2),
            morale=number(morale, 2),
        ),
    ]


def last_html(
    plan: LinePlan, quarter: int, morale: float, currency: str, period: str = "quarter"
) -> str:
    """The line's last quarter (or round, ``period`` "round"): its numbers, what shipped and
    what it changed, and why."""
    period = "round" if period == "round" else "quarter"
    last = plan.last
    played = t(f"portfolio.happened.{period}", n=quarter - 1)
    out = [f"<b>{html.escape(played if last else t('portfolio.starts'))}</b>"]
    if plan.now is not None:
        out += kpi_lines(plan.now, plan.before, morale, currency)
    if last is None:
        out.append(html.escape(t(f"portfolio.nothing_played.{period}")))
        return "<br>".join(out)
    if last.shipped_text:
        out += [f"<b>{html.escape(t('portfolio.shipped'))}</b>", *_bullets(list(last.shipped_text))]
    if last.reasons:
        head = t("portfolio.why") if not last.shipped else t("portfolio.also")
        out += [f"<b>{html.escape(head)}</b>", *_bullets(list(last.reasons))]
    return "<br>".join(out)


def bet_html(bet: BetStatus, currency: str) -> str:
    """One innovation bet as it stands: cost, quarters funded, chance or outcome."""
    unlocks = html.escape(
        t("portfolio.list_separator").join(bet.unlocks) or t("portfolio.nothing_new")
    )
    out = [
        f"<b>{html.escape(bet.name)}</b>",
        html.escape(t("portfolio.bet.cost", cost=money(bet.cost, currency), quarters=bet.quarters)),
    ]
    if bet.outcome is True:
        out.append(t("portfolio.bet.paid_off", unlocks=unlocks))
    elif bet.outcome is False:
        out.append(html.escape(t("portfolio.bet.failed")))
    else:
        out += [
            t(
                "portfolio.bet.funded",
                funded=bet.funded,
                quarters=bet.quarters,
                chance=pct(bet.chance, 0),
            ),
            t("portfolio.bet.unlocks", unlocks=unlocks),
        ]
    return "<br>".join(out)


class PortfolioTab(Tab):
    """Sets ``themes``, ``mentoring``, ``bets``, ``incubation`` and ``sunset``."""

    namespace = "portfolio"
    roles = ("cpo",)

    def build(self, area: pygame.Rect, container: Any) -> None:
        outlook = self.desk.outlook()
        right = RIGHT_W + GAP if outlook.bets else 0
        left_w = area.w - right - 2 * GAP
        x, y = area.x + GAP, area.y + GAP
        left = mentoring_room(self.desk.draft.mentoring, "")
        self.hub.label(
            pygame.Rect(x, y, left_w, 24),
            fit_label(
                t("portfolio.mentoring_left", left=pct(left, 0), whole=pct(1.0, 0)),
                15,
                left_w,
                self.hub.scale,
            ),
            container=container,
            object_id="#muted",
            tip=DECISIONS["mentoring"],
        )
        y += 28
        plans = [outlook.lines[p.id] for p in self.desk.products() if p.id in outlook.lines]
        # The overview (every line's levers and its plan in a sentence) stays in view above
        # the cards unless there are so many lines that it would crowd them out.
        fixed = area.bottom - y - len(plans) * self._overview_h() >= MIN_CARDS_H
        if fixed:
            for plan in plans:
                y = self._overview(container, pygame.Rect(x, y, left_w, ROW), plan)
        scroller = self.hub.scroller(
            pygame.Rect(x, y + 4, left_w, area.bottom - y - 4 - GAP), container=container
        )
        inner = left_w - SCROLLBAR
        row_y = 0
        if not fixed:
            for plan in plans:
                row_y = self._overview(scroller, pygame.Rect(0, row_y, inner, ROW), plan)
            row_y += GAP
        for plan in plans:
            row_y = self._line(scroller, inner, row_y, plan, outlook.morale)
        self.hub.scroll_area(scroller, inner, row_y)
        if outlook.bets:
            self._bets(
                pygame.Rect(area.right - GAP - RIGHT_W, area.y + GAP, RIGHT_W, area.h - 2 * GAP),
                container,
                outlook,
            )

    def _overview(self, container: Any, row: pygame.Rect, plan: LinePlan) -> int:
        """One line's row at the top: name, theme, sunset, mentoring, then its plan in a
        sentence; returns the y below it."""
        name_w = min(220, row.w // 5)
        self.hub.label(
            pygame.Rect(row.x, row.y, name_w, ROW),
            fit_label(plan.name, 15, name_w, self.hub.scale),
            container=container,
            tip=plan.name,
        )
        self._levers(
            container, pygame.Rect(row.x + name_w + 6, row.y, row.w - name_w - 6, ROW), plan
        )
        below = row.bottom
        if self._directs():
            self._direction(
                container, pygame.Rect(row.x + name_w + 6, below + 2, row.w - name_w - 6, ROW), plan
            )
            below += ROW + 4
        sentence = plain(plan.headline[:1].upper() + plan.headline[1:])
        self.hub.label(
            pygame.Rect(row.x + name_w + 6, below, row.w - name_w - 6, 24),
            fit_label(sentence, 15, row.w - name_w - 6, self.hub.scale),
            container=container,
            object_id="#muted",
            tip=sentence,
        )
        return row.y + self._overview_h()

    def _directs(self) -> bool:
        """Does this desk give each line a direction (a company CPO's desk)?"""
        from game.company_seat import directs

        return directs(self.desk)

    def _overview_h(self) -> int:
        """One line's height in the overview (a company CPO's has the direction row too)."""
        return OVERVIEW_H + (ROW + 4 if self._directs() else 0)

    def _direction(self, container: Any, row: pygame.Rect, plan: LinePlan) -> None:
        """A company CPO's direction for one line: the budget and the one-line strategy."""
        from engine.company_mode import STRATEGY_MAX

        desk: Any = self.desk
        now = desk.direction.get(plan.product)
        cur = desk.scenario.currency
        line = desk.org().lines.get(plan.product)
        marketing = sum(line.marketing.values()) if line is not None else 0.0
        study = max((m.cost for m in desk.scenario.research), default=0.0)
        step = budget_step(marketing + study)
        cap = step * BUDGET_STEPS  # the top of the range: no limit
        budget = cap if now is None or now.budget is None else min(cap, now.budget)

        def set_budget(v: float, pid: str = plan.product) -> None:
            desk.set_direction(pid, budget=None if v >= cap else round(v, 2))

        half = row.w // 2
        self.hub.stepper(
            pygame.Rect(row.x, row.y, half - GAP, ROW),
            t("company_ui.budget"),
            budget,
            (0.0, cap),
            step,
            lambda v: t("company_ui.no_limit") if v >= cap else money(v, cur),
            set_budget,
            tip=t("company_ui.budget_tip"),
            container=container,
        )

        def set_strategy(text: str, pid: str = plan.product) -> None:
            desk.set_direction(pid, strategy=text[:STRATEGY_MAX])

        self.hub.label(
            pygame.Rect(row.x + half, row.y, 100, ROW),
            fit_label(t("company_ui.strategy"), 15, 100, self.hub.scale),
            container=container,
            tip=t("company_ui.strategy_tip", most=STRATEGY_MAX),
        )
        self.hub.entry_line(
            pygame.Rect(row.x + half + 104, row.y, row.w - half - 104, ROW),
            now.strategy if now is not None else "",
            set_strategy,
            tip=t("company_ui.strategy_tip", most=STRATEGY_MAX),
            container=container,
        )

    def _line(self, scroller: Any, w: int, y: int, plan: LinePlan, morale: float) -> int:
        """One line's card from ``y`` in the scroller; returns the y below it."""
        desk = self.desk
        known = plan.style in STYLES
        style = t(f"portfolio.style_name.{plan.style}") if known else plan.style
        does = t(f"portfolio.style.{plan.style}") if known else t("portfolio.style_other")
        pm = (
            t("portfolio.pm", pm=plan.pm, style=style, does=does)
            if plan.pm
            else t("portfolio.no_pm")
        )
        heading = t(
            "portfolio.heading_sunset" if plan.sunset else "portfolio.heading",
            name=plan.name,
            pm=pm,
        )
        self.hub.label(
            pygame.Rect(0, y, w, 30),
            fit_label(heading, 21, w, self.hub.scale, bold=True),
            container=scroller,
            object_id="#heading",
            tip=heading,
        )
        y += 32
        self.hub.label(
            pygame.Rect(0, y, w, 24),
            fit_label(
                t(
                    "portfolio.skill",
                    skill=number(plan.pm_skill, 2),
                    start=number(plan.start_skill, 2),
                    engineers=plan.headcount,
                    debt=number(plan.tech_debt, 0),
                ),
                15,
                w,
                self.hub.scale,
            ),
            container=scroller,
            object_id="#muted",
            tip=t("portfolio.skill_tip"),
        )
        y += 28
        half = (w - GAP) * 11 // 20
        period = self.hub.period_kind()
        boxes = [
            (
                pygame.Rect(0, y, half, -1),
                plan_html(plan, desk.quarter, desk.scenario.currency, period),
                t("portfolio.plan_tip"),
            ),
            (
                pygame.Rect(half + GAP, y, w - half - GAP, -1),
                last_html(plan, desk.quarter, morale, desk.scenario.currency, period),
                t("portfolio.last_tip"),
            ),
        ]
        return y + self._side_by_side(scroller, boxes) + 2 * GAP

    def _side_by_side(self, scroller: Any, boxes: list[tuple[pygame.Rect, str, str]]) -> int:
        """Text boxes in a row, each as tall as the tallest text; returns their height."""
        made = [self.hub.text(r, text, container=scroller, tip=tip) for r, text, tip in boxes]
        tallest = max(round(b.rect.height / self.hub.scale) for b in made)
        for box, (rect, text, tip) in zip(made, boxes, strict=True):
            if round(box.rect.height / self.hub.scale) < tallest:
                box.kill()
                rect = pygame.Rect(rect.x, rect.y, rect.w, tallest)
                self.hub.text(rect, text, container=scroller, tip=tip)
        return tallest

    def _levers(self, container: Any, row: pygame.Rect, plan: LinePlan) -> None:
        """Theme, sunset and mentoring for one line, in ``row``."""
        desk = self.desk
        theme = THEME_NAMES.get(plan.theme) or t("portfolio.theme_none")
        self.hub.button(
            pygame.Rect(row.x, row.y, 170, ROW),
            t("portfolio.theme", name=theme),
            lambda pid=plan.product: self._theme(pid),
            container=container,
            tip=t(
                "portfolio.theme_tip", words=theme_words(plan.theme), decision=DECISIONS["themes"]
            ),
        )
        self.hub.button(
            pygame.Rect(row.x + 176, row.y, 116, ROW),
            t("portfolio.keep") if plan.sunset else t("portfolio.sunset"),
            lambda pid=plan.product: self._sunset(pid),
            container=container,
            tip=DECISIONS["sunset"],
        )

        def set_mentoring(v: float, pid: str = plan.product) -> None:
            desk.draft.mentoring = {**desk.draft.mentoring, pid: round(v, 2)}

        self.hub.stepper(
            pygame.Rect(row.x + 304, row.y, row.w - 304, ROW),
            t("portfolio.mentoring"),
            desk.draft.mentoring.get(plan.product, 0.0),
            (0.0, mentoring_room(desk.draft.mentoring, plan.product)),
            0.1,
            lambda v: pct(v, 0),
            set_mentoring,
            tip=DECISIONS["mentoring"],
            container=container,
        )

    def _bets(self, rect: pygame.Rect, container: Any, outlook: Outlook) -> None:
        """The right column: innovation bets and the incubation team, as they stand."""
        s = self.desk.scenario
        scroller = self.hub.scroller(rect, container=container)
        w = rect.w - SCROLLBAR
        self.hub.label(
            pygame.Rect(0, 0, w, 30),
            t("portfolio.bets"),
            container=scroller,
            object_id="#heading",
            tip=DECISIONS["bets"],
        )
        y = 34
        for bet in outlook.bets:
            spec = next(b for b in s.bets if b.id == bet.id)
            about = spec.description or spec.name
            self._bet_row(scroller, y, bet, about)
            box = self.hub.text(
                pygame.Rect(BET_BUTTON + 6, y, w - BET_BUTTON - 6, -1),
                bet_html(bet, s.currency),
                container=scroller,
                tip=about,
            )
            y += max(ROW, round(box.rect.height / self.hub.scale)) + 8

        def set_incubation(v: float) -> None:
            self.desk.draft.incubation = int(v)

        y += 4
        self.hub.stepper(
            pygame.Rect(0, y, w, ROW),
            t("portfolio.incubation"),
            self.desk.draft.incubation,
            (0, 20),
            1,
            lambda v: f"{v:.0f}",
            set_incubation,
            tip=t("portfolio.incubation_tip"),
            container=scroller,
        )
        y += ROW + 6
        box = self.hub.text(
            pygame.Rect(0, y, w, -1), html.escape(outlook.incubation_text), container=scroller
        )
        self.hub.scroll_area(scroller, w, y + round(box.rect.height / self.hub.scale) + GAP)

    def _bet_row(self, scroller: Any, y: int, bet: BetStatus, about: str) -> None:
        """A bet's button: Fund / Stop while undecided, its outcome (disabled) once decided."""
        if bet.outcome is not None:  # a bet is decided once: its outcome, never "Fund" again
            self.hub.button(
                pygame.Rect(0, y, BET_BUTTON, ROW),
                t("portfolio.paid_off") if bet.outcome else t("portfolio.failed"),
                None,
                container=scroller,
                enabled=False,
                tip=t("portfolio.decided_tip"),
            )
            return
        self.hub.button(
            pygame.Rect(0, y, BET_BUTTON, ROW),
            t("portfolio.stop") if bet.funding else t("portfolio.fund"),
            lambda b=bet.id: self._bet(b),
            container=scroller,
            object_id="#tab_active" if bet.funding else None,
            tip=t("portfolio.bet_tip", about=about, decision=DECISIONS["bets"]),
        )

    def _theme(self, product_id: str) -> None:
        draft = self.desk.draft
        now = draft.themes.get(product_id, "")
        nxt = THEME_CYCLE[(THEME_CYCLE.index(now) + 1) % len(THEME_CYCLE)]
        themes = {k: v for k, v in draft.themes.items() if k != product_id}
        draft.themes = {**themes, product_id: nxt} if nxt else themes  # type: ignore[dict-item]
        self.hub.refresh()

    def _sunset(self, product_id: str) -> None:
        draft = self.desk.draft
        draft.sunset = (
            [p for p in draft.sunset if p != product_id]
            if product_id in draft.sunset
            else [*draft.sunset, product_id]
        )
        self.hub.refresh()

    def _bet(self, bet_id: str) -> None:
        draft = self.desk.draft
        draft.bets = (
            [b for b in draft.bets if b != bet_id]
            if bet_id in draft.bets
            else [*draft.bets, bet_id]
        )
        self.hub.refresh()
