"""Roadmap tab (PM): choose backlog items in priority order and split the team's capacity."""

from __future__ import annotations

import math
from typing import Any

import pygame
from pygame_gui.elements import UIScrollingContainer

from engine.decisions import CapacitySplit
from game.scenes.base import GAP, ROW
from game.scenes.fmt import pct
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab

SPLIT_STEP = 0.05


def effort_range(effort: float, uncertainty: float) -> tuple[float, float]:
    """A one-sigma range around the author's estimate (the true effort is log-normal)."""
    return (effort * math.exp(-uncertainty), effort * math.exp(uncertainty))


class RoadmapTab(Tab):
    """Sets ``ProductDecision.roadmap`` (ordered item ids) and ``ProductDecision.split``."""

    title = "Roadmap"
    roles = ("pm",)
    hint = "Pick what the team builds, in priority order, and how capacity is split."

    def build(self, area: pygame.Rect, container: Any) -> None:
        session = self.session
        product = session.products()[0]
        draft = session.product_draft(product.id)
        items = {b.id: b for b in session.scenario.backlog}
        attr_names = {a.id: a.name for a in session.scenario.attributes}
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
        self.hub.stepper(
            pygame.Rect(x, y, half, ROW),
            "Features",
            split.features,
            (0.0, 1.0),
            SPLIT_STEP,
            pct0,
            lambda v: self._split(product.id, "features", v),
            tip=DECISIONS["split"],
            container=container,
        )
        self.hub.stepper(
            pygame.Rect(x + half + GAP, y, half, ROW),
            "Debt paydown",
            split.debt,
            (0.0, 1.0),
            SPLIT_STEP,
            pct0,
            lambda v: self._split(product.id, "debt", v),
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
        chosen = [i for i in draft.roadmap if i in items]
        self.hub.label(
            pygame.Rect(x, y, w, 26),
            "Backlog: Add items; the first gets effort first. Effort is an estimate "
            "(range = likely true effort).",
            container=container,
            tip=DECISIONS["roadmap"],
        )
        y += 30
        scroller = UIScrollingContainer(
            pygame.Rect(x, y, w, area.bottom - y - GAP),
            manager=self.hub.manager,
            container=container,
            allow_scroll_x=False,
        )
        inner = w - 24
        row_y = 0
        visible = [
            b for b in session.scenario.backlog if b.product == product.id and not b.breakthrough
        ]
        order = chosen + [b.id for b in visible if b.id not in chosen]
        for item_id in order:
            item = items[item_id]
            on = item_id in chosen
            lo, hi = effort_range(item.effort, item.effort_uncertainty)
            effects = ", ".join(
                f"{'+' if v > 0 else '-'}{attr_names[a]}" for a, v in item.effects.items()
            )
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
            needs = [items[d].name for d in item.depends_on if d in items]
            text = (
                f"{item.name}: effort {item.effort:g} ({lo:.0f}-{hi:.0f}) · "
                f"{'; '.join(extras) or 'no visible effect'}"
                + (f" · needs {', '.join(needs)}" if needs else "")
            )
            tip = (item.description or item.name) + " " + DECISIONS["roadmap"]
            position = f"#{chosen.index(item_id) + 1}  " if on else ""
            self.hub.button(
                pygame.Rect(0, row_y, 110, ROW),
                "Remove" if on else "Add",
                lambda i=item_id: self._toggle(product.id, i),
                container=scroller,
                object_id="#tab_active" if on else None,
                tip=tip,
            )
            self.hub.button(
                pygame.Rect(116, row_y, 70, ROW),
                "Earlier",
                lambda i=item_id: self._earlier(product.id, i),
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
        scroller.set_scrollable_area_dimensions((inner, row_y))

    def _split(self, product_id: str, part: str, value: float) -> None:
        draft = self.session.product_draft(product_id)
        values = {"features": draft.split.features, "debt": draft.split.debt}
        values[part] = round(value, 2)
        other = "debt" if part == "features" else "features"
        values[other] = round(min(values[other], 1.0 - values[part]), 2)
        discovery = round(1.0 - values["features"] - values["debt"], 2)
        draft.split = CapacitySplit(
            features=values["features"], debt=values["debt"], discovery=discovery
        )

    def _toggle(self, product_id: str, item_id: str) -> None:
        draft = self.session.product_draft(product_id)
        if item_id in draft.roadmap:
            draft.roadmap = [i for i in draft.roadmap if i != item_id]
        else:
            draft.roadmap = [*draft.roadmap, item_id]
        self.hub.refresh()

    def _earlier(self, product_id: str, item_id: str) -> None:
        draft = self.session.product_draft(product_id)
        order = list(draft.roadmap)
        i = order.index(item_id)
        if i > 0:
            order[i - 1], order[i] = order[i], order[i - 1]
        draft.roadmap = order
        self.hub.refresh()


def pct0(value: float) -> str:
    """Whole-number percentage."""
    return pct(value, 0)
