"""Roadmap tab (PM): choose backlog items in priority order and split the team's capacity."""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING, Any

import pygame

from engine.decisions import CapacitySplit
from engine.formatting import pct
from engine.roadmap import load_of, load_words
from game.scenes.base import GAP, ROW
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab
from game.widgets.capacity_bar import CapacityBar

if TYPE_CHECKING:
    from engine.portfolio import ItemView, LineView
    from engine.scenario import Scenario

SPLIT_STEP = 0.05


def effort_range(effort: float, uncertainty: float) -> tuple[float, float]:
    """A one-sigma range around the author's estimate (the true effort is log-normal)."""
    return (effort * math.exp(-uncertainty), effort * math.exp(uncertainty))


def item_text(scenario: Scenario, view: ItemView, line: LineView) -> tuple[str, str]:
    """(row text, tooltip) of one open backlog item: effort, estimated effects, dependencies."""
    items = {b.id: b for b in scenario.backlog}
    attr_names = {a.id: a.name for a in scenario.attributes}
    item = items[view.id]
    if view.in_progress and view.remaining < 0.5:
        effort = "past its estimate, still in progress"
    elif view.in_progress:
        effort = f"about {view.remaining:.0f} left"
    else:
        lo, hi = effort_range(item.effort, item.effort_uncertainty)
        effort = f"effort {item.effort:g} (likely {lo:.0f}-{hi:.0f})"
    effects = ", ".join(f"{attr_names[a]} {v:+.2f}" for a, v in view.effects.items())
    extras = [
        e
        for e in (
            effects,
            "pays down debt" if item.debt < 0 else "",
            "adds debt" if item.debt > 0 else "",
            "better quality" if item.quality > 0 else "",
        )
        if e
    ]
    needs = [items[d].name for d in view.depends_on if d not in line.shipped]
    text = f"{item.name}: {effort} · est. {'; '.join(extras) or 'no visible effect'}" + (
        f" · needs {', '.join(needs)}" if needs else ""
    )
    tip = (
        f"{item.description or item.name} Estimated effects are your PM's best "
        f"guess, not the truth. {DECISIONS['roadmap']}"
    )
    return text, tip


class RoadmapTab(Tab):
    """Sets ``ProductDecision.roadmap`` (ordered item ids) and ``ProductDecision.split``."""

    title = "Roadmap"
    roles = ("pm",)
    hint = "Pick what the team builds, in priority order, and how capacity is split."

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        product = desk.products()[0]
        draft = desk.product_draft(product.id)
        items = {b.id: b for b in desk.scenario.backlog}
        x, w = area.x + GAP, area.w - 2 * GAP
        split = draft.split
        self.hub.label(
            pygame.Rect(x, area.y + GAP, w, 26),
            "Capacity split (features + debt paydown + discovery = 100%)",
            container=container,
            tip=DECISIONS["split"],
        )
        y = area.y + GAP + 30
        half = (w - GAP) // 2
        for i, (part, name, value) in enumerate(
            (("features", "Features", split.features), ("debt", "Debt paydown", split.debt))
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
            f"Discovery gets the rest: {pct(split.discovery, 0)} (research and small "
            "improvements).",
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
            tip=f"The team has {line.capacity:.0f} effort points this quarter; "
            f"{pct(split.features, 0)} of them, less the drag of {line.tech_debt:.0f} points "
            f"of technical debt, make {load.available:.0f} feature points for the roadmap. "
            "Estimates are uncertain: items may take longer than planned. Only the last item "
            "may carry over into next quarter; more than that and the team crunches.",
            scale=self.hub.scale,
        )
        y += 52
        shipped = [items[i].name for i in sorted(line.shipped) if i in items]
        self.hub.label(
            pygame.Rect(x, y, w, 24),
            "Shipped: "
            + (", ".join(shipped) if shipped else "nothing yet")
            + f" · PM estimate skill {line.skill:.2f} (higher = better effect estimates)",
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
        moves a row under the pointer. The planned order is the "#n" on each row.
        """
        line = self.desk.org().lines[product_id]
        row_y = 0
        first_add = None  # what the coach points at: the first item not planned yet
        for view in line.items:
            item_id = view.id
            on = item_id in chosen
            text, tip = item_text(self.desk.scenario, view, line)
            position = f"#{chosen.index(item_id) + 1}  " if on else ""
            toggle = self.hub.button(
                pygame.Rect(0, row_y, 100, ROW),
                "Remove" if on else "Add",
                lambda i=item_id: self._toggle(product_id, i),
                container=scroller,
                object_id="#tab_active" if on else None,
                tip=tip,
            )
            if not on and first_add is None:
                first_add = toggle
            self.hub.button(
                pygame.Rect(106, row_y, 80, ROW),
                "Earlier",
                lambda i=item_id: self._earlier(product_id, i),
                container=scroller,
                enabled=on and chosen.index(item_id) > 0,
                tip="Move this item up the priority order.",
            )
            self.hub.label(
                pygame.Rect(196, row_y, inner - 196, ROW),
                position + text,
                container=scroller,
                tip=tip,
            )
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
