"""Dashboard tab: KPI cards with last quarter's change, and charts over time."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import pygame

from engine.formatting import (
    count,
    money,
    number,
    pct,
    points,
    signed,
    signed_count,
    signed_money,
)
from engine.kpis import KPIS
from engine.report import FirmResult, TurnReport
from engine.scenario import Scenario
from game import palette
from game.objectives import STATUS, objective_note
from game.scenes.base import GAP, Scene, grid
from game.scenes.glossary import METRICS
from game.scenes.tab import Tab
from game.translation import t
from game.widgets.chart import LineChart, Series
from game.widgets.kpi_card import KpiCard
from game.widgets.text import plain

CARD_H = 86
CARDS = ("revenue", "profit", "cash", "customers", "share", "satisfaction", "nps")
"""The KPI cards of a firm, left to right (registry ids)."""
SINCE = {"last quarter": "last_quarter", "last round": "last_round", "the start": "start"}
"""The ``since`` words :func:`kpi_row` knows, by the key of its cards' tooltip sentence."""


def objectives_html(objectives: list[dict[str, Any]], scenario: Scenario) -> str:
    """Each objective with its status in colour, its value and target as the KPI shows them."""
    rows = []
    for o in objectives:
        word, colour = STATUS.get(str(o["status"]), (str(o["status"]), "#a8b3c1"))
        evidence = objective_note(o, scenario)
        note = f" <font color='#a8b3c1'>({html.escape(evidence)})</font>" if evidence else ""
        rows.append(
            f"• {html.escape(plain(str(o['description'])))}: <font color='{colour}'><b>{word}</b>"
            f"</font>{note}"
        )
    return "<br>".join(rows)


def quarter_labels(n: int) -> list[str]:
    """X-axis labels: Start, Q1, Q2, ..."""
    return [t("dashboard.start_label"), *(t("dashboard.quarter_label", n=i) for i in range(1, n))]


def kpi_row(
    scene: Scene,
    container: Any,
    row: pygame.Rect,
    now: FirmResult,
    before: FirmResult | None,
    cur: str,
    since: str = "last quarter",
) -> None:
    """A row of KPI cards for one firm with changes against ``before``.

    ``since`` names what ``before`` is: "last quarter", "last round" or "the start" (each with
    its own sentence in the cards' tooltips); other words are put into a general sentence."""

    def delta(key: str, change: float) -> tuple[str, bool | None]:
        unit = KPIS[key].unit
        if unit == "money":
            text = signed_money(change, cur)
        elif unit == "fraction":
            text = points(change)
        elif unit in ("count", "index"):
            text = signed_count(change)
        else:
            text = signed(change)
        if not any(c in "123456789" for c in text):  # rounds to zero at the precision shown
            return (t("dashboard.no_change"), None)
        return (text, KPIS[key].better(change))

    for rect, key in zip(grid(row, len(CARDS), 1), CARDS, strict=True):
        k = KPIS[key]
        value = float(getattr(now, key))
        if before is None:
            text, good = t("dashboard.start"), None
        else:
            text, good = delta(key, value - float(getattr(before, key)))
        tip = (
            t(f"dashboard.card_tip.{SINCE[since]}", metric=METRICS[key])
            if since in SINCE
            else t("dashboard.card_tip.other", metric=METRICS[key], since=since)
        )
        shown = k.compact(value, cur)
        KpiCard(
            scene.px(rect), scene.manager, container, k.label, shown, text, good, tip, scene.scale
        )


def history_charts(
    scene: Scene,
    container: Any,
    charts: pygame.Rect,
    history: Sequence[TurnReport],
    me: str,
    cur: str,
) -> None:
    """Four charts over the quarters played: money, share, customers, satisfaction."""
    labels = quarter_labels(len(history))
    firms = list(history[-1].firms.values())
    colour = palette.firm_colours([f.id for f in firms], me)
    cells = grid(charts, 2, 2)
    LineChart(
        scene.px(cells[0]),
        scene.manager,
        container,
        t("dashboard.chart.money"),
        [
            Series(t("dashboard.revenue"), [r.firms[me].revenue for r in history], palette.ORANGE),
            Series(t("dashboard.profit"), [r.firms[me].profit for r in history], palette.SKY_BLUE),
        ],
        labels,
        lambda v: money(v, cur),
        METRICS["revenue"],
        scene.scale,
    )
    LineChart(
        scene.px(cells[1]),
        scene.manager,
        container,
        t("dashboard.chart.share"),
        [Series(f.name, [r.firms[f.id].share for r in history], colour[f.id]) for f in firms],
        labels,
        lambda v: pct(v, 0),
        METRICS["share"],
        scene.scale,
    )
    LineChart(
        scene.px(cells[2]),
        scene.manager,
        container,
        t("dashboard.chart.customers"),
        [Series(f.name, [r.firms[f.id].customers for r in history], colour[f.id]) for f in firms],
        labels,
        count,
        METRICS["customers"],
        scene.scale,
    )
    LineChart(
        scene.px(cells[3]),
        scene.manager,
        container,
        t("dashboard.chart.satisfaction"),
        [
            Series(f.name, [r.firms[f.id].satisfaction for r in history], colour[f.id])
            for f in firms
        ],
        labels,
        lambda v: number(v, 2),
        METRICS["satisfaction"],
        scene.scale,
    )


class DashboardTab(Tab):
    """How the company is doing: the numbers the board looks at."""

    namespace = "dashboard"

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        history = desk.history()
        cur = desk.scenario.currency
        me = desk.firm_id
        row = pygame.Rect(area.x + GAP, area.y + GAP, area.w - 2 * GAP, CARD_H)
        kpi_row(
            self.hub,
            container,
            row,
            history[-1].firms[me],
            history[-2].firms[me] if len(history) > 1 else None,
            cur,
        )
        body = pygame.Rect(row.x, row.bottom + GAP, row.w, area.bottom - row.bottom - 2 * GAP)
        side = min(380, body.w // 3)
        charts = pygame.Rect(body.x, body.y, body.w - side - GAP, body.h)
        history_charts(self.hub, container, charts, history, me, cur)
        self.hub.text(
            pygame.Rect(charts.right + GAP, body.y, side, body.h),
            f"<b>{html.escape(t('dashboard.objectives'))}</b><br>"
            + objectives_html(desk.scorecard()["objectives"], desk.scenario).replace(
                "<br>", "<br><br>"
            ),
            container=container,
            tip=t("dashboard.objectives_tip"),
        )
