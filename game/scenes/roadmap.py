"""Roadmap tab (PM): choose backlog items in priority order and split the team's capacity."""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING, Any

import pygame

from engine.decisions import CapacitySplit
from engine.formatting import exact, number, pct, signed
from engine.roadmap import load_of, load_words
from game.scenes.base import GAP, ROW
from game.scenes.glossary import DECISIONS
from game.scenes.people import commitments
from game.scenes.tab import Tab, fit_label
from game.translation import t
from game.widgets.capacity_bar import CapacityBar

if TYPE_CHECKING:
    from engine.portfolio import ItemView, LineView
    from engine.scenario import Scenario

SPLIT_STEP = 0.05
MARK_H = 24
"""The line under a backlog item a colleague was promised (or asks for)."""


def effort_range(effort: float, uncertainty: float) -> tuple[float, float]:
    """A one-sigma range around the author's estimate (the true effort is log-normal)."""
    return (effort * math.exp(-uncertainty), effort * math.exp(uncertainty))


def item_text(scenario: Scenario, view: ItemView, line: LineView) -> tuple[str, str]:
    """(row text, tooltip) of one open backlog item: effort, estimated effects, dependencies."""
    items = {b.id: b for b in scenario.backlog}
    attr_names = {a.id: a.name for a in scenario.attributes}
    item = items[view.id]
    if view.in_progress and view.remaining < 0.5:
        effort = t("roadmap_tab.effort.overdue")
    elif view.in_progress:
        effort = t("roadmap_tab.effort.left", points=number(view.remaining, 0))
    else:
        lo, hi = effort_range(item.effort, item.effort_uncertainty)
        effort = t(
            "roadmap_tab.effort.estimate",
            effort=exact(item.effort),
            low=number(lo, 0),
            high=number(hi, 0),
        )
    comma = t("roadmap_tab.list_separator")
    effects = comma.join(
        t("roadmap_tab.effect", attribute=attr_names[a], change=signed(v, 2))
        for a, v in view.effects.items()
    )
    extras = [
        e
        for e in (
            effects,
            t("roadmap_tab.pays_down_debt") if item.debt < 0 else "",
            t("roadmap_tab.adds_debt") if item.debt > 0 else "",
            t("roadmap_tab.better_quality") if item.quality > 0 else "",
        )
        if e
    ]
    needs = [items[d].name for d in view.depends_on if d not in line.shipped]
    estimated = t("roadmap_tab.effects_separator").join(extras) or t("roadmap_tab.no_effect")
    text = (
        t(
            "roadmap_tab.item_needs",
            name=item.name,
            effort=effort,
            effects=estimated,
            needs=comma.join(needs),
        )
        if needs
        else t("roadmap_tab.item", name=item.name, effort=effort, effects=estimated)
    )
    tip = t(
        "roadmap_tab.item_tip", about=item.description or item.name, decision=DECISIONS["roadmap"]
    )
    return text, tip


class RoadmapTab(Tab):
    """Sets ``ProductDecision.roadmap`` (ordered item ids) and ``ProductDecision.split``."""

    namespace = "roadmap_tab"
    roles = ("pm",)

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        product = desk.products()[0]
        draft = desk.product_draft(product.id)
        items = {b.id: b for b in desk.scenario.backlog}
        x, w = area.x + GAP, area.w - 2 * GAP
        split = draft.split
        self.hub.label(
            pygame.Rect(x, area.y + GAP, w, 26),
            t("roadmap_tab.split"),
            container=container,
            tip=DECISIONS["split"],
        )
        y = area.y + GAP + 30
        half = (w - GAP) // 2
        for i, (part, name, value) in enumerate(
            (
                ("features", t("roadmap_tab.features"), split.features),
                ("debt", t("roadmap_tab.debt"), split.debt),
            )
        ):
            self.hub.stepper(
                pygame.Rect(x + i * (half + GAP), y, half, ROW),
                name,
                value,
                (0.0, 1.0),
                SPLIT_STEP,
                partial(pct, digits=0),
                partial(self._split, product.id, part),
                tip=DECISIONS["split"],
                container=container,
            )
        y += ROW + 4
        self.hub.label(
            pygame.Rect(x, y, w, 24),
            t("roadmap_tab.discovery", share=pct(split.discovery, 0)),
            container=container,
            object_id="#muted",
        )
        y += 32
        line = desk.org().lines[product.id]
        open_items = {v.id: v for v in line.items}
        chosen = [i for i in draft.roadmap if i in open_items]
        remaining = {i: open_items[i].remaining for i in chosen}
        load = load_of(chosen, remaining, line.feature_rate * split.features)
        CapacityBar(
            self.hub.px(pygame.Rect(x, y, w, 44)),
            self.hub.manager,
            container,
            load,
            [(items[i].name, remaining[i]) for i in chosen],
            load_words(load, {i: item.name for i, item in items.items()}),
            tip=t(
                "roadmap_tab.capacity_tip",
                capacity=number(line.capacity, 0),
                share=pct(split.features, 0),
                debt=number(line.tech_debt, 0),
                available=number(load.available, 0),
            ),
            scale=self.hub.scale,
        )
        y += 52
        shipped = [items[i].name for i in sorted(line.shipped) if i in items]
        self.hub.label(
            pygame.Rect(x, y, w, 24),
            t(
                "roadmap_tab.shipped",
                shipped=t("roadmap_tab.list_separator").join(shipped)
                if shipped
                else t("roadmap_tab.nothing_yet"),
                skill=number(line.skill, 2),
            ),
            container=container,
            object_id="#muted",
        )
        y += 28
        scroller = self.hub.scroller(
            pygame.Rect(x, y, w, area.bottom - y - GAP), container=container
        )
        self._backlog(scroller, w - 24, product.id, chosen)

    def _backlog(self, scroller: Any, inner: int, product_id: str, chosen: list[str]) -> None:
        """One row per open backlog item: Add/Remove, Earlier, and what it is and costs.

        Rows keep the backlog's order whatever is planned: adding or removing an item never
        moves a row under the pointer. The planned order is the "#n" on each row; an item an
        open promise (or a request waiting for an answer) asks to ship says for whom and by
        when on a line of its own under the row.
        """
        line = self.desk.org().lines[product_id]
        marks = commitments(self.desk)  # promised to a colleague, or asked for
        row_y = 0
        first_add = None  # what the coach points at: the first item not planned yet
        for view in line.items:
            item_id = view.id
            on = item_id in chosen
            text, tip = item_text(self.desk.scenario, view, line)
            mark = marks.get(item_id, "")
            if mark:
                tip = t("people_tab.roadmap.tip", text=mark) + " " + tip
            position = t("roadmap_tab.position", n=chosen.index(item_id) + 1) if on else ""
            toggle = self.hub.button(
                pygame.Rect(0, row_y, 100, ROW),
                t("roadmap_tab.remove") if on else t("roadmap_tab.add"),
                lambda i=item_id: self._toggle(product_id, i),
                container=scroller,
                object_id="#tab_active" if on else None,
                tip=tip,
            )
            if not on and first_add is None:
                first_add = toggle
            self.hub.button(
                pygame.Rect(106, row_y, 80, ROW),
                t("roadmap_tab.earlier"),
                lambda i=item_id: self._earlier(product_id, i),
                container=scroller,
                enabled=on and chosen.index(item_id) > 0,
                tip=t("roadmap_tab.earlier_tip"),
            )
            self.hub.label(
                pygame.Rect(196, row_y, inner - 196, ROW),
                position + text,
                container=scroller,
                tip=tip,
            )
            if mark:
                self.hub.label(
                    pygame.Rect(196, row_y + ROW - 4, inner - 196, MARK_H),
                    fit_label(mark, 15, inner - 196, self.hub.scale),
                    container=scroller,
                    object_id="#good",
                    tip=tip,
                )
                row_y += MARK_H - 4
            row_y += ROW + 6
        self.hub.scroll_area(scroller, inner, row_y)
        self.hub.anchor("roadmap:add", *([first_add] if first_add is not None else []))

    def _split(self, product_id: str, part: str, value: float) -> None:
        draft = self.desk.product_draft(product_id)
        values = {"features": draft.split.features, "debt": draft.split.debt}
        values[part] = round(value, 2)
        other = "debt" if part == "features" else "features"
        values[other] = round(min(values[other], 1.0 - values[part]), 2)
        discovery = round(1.0 - values["features"] - values["debt"], 2)
        draft.split = CapacitySplit(
            features=values["features"], debt=values["debt"], discovery=discovery
        )

    def _toggle(self, product_id: str, item_id: str) -> None:
        draft = self.desk.product_draft(product_id)
        if item_id in draft.roadmap:
            draft.roadmap = [i for i in draft.roadmap if i != item_id]
        else:
            draft.roadmap = [*draft.roadmap, item_id]
        self.hub.refresh()

    def _earlier(self, product_id: str, item_id: str) -> None:
        draft = self.desk.product_draft(product_id)
        order = list(draft.roadmap)
        i = order.index(item_id)
        if i > 0:
            order[i - 1], order[i] = order[i], order[i - 1]
        draft.roadmap = order
        self.hub.refresh()
