"""Pricing & marketing tab (PM): price per product and marketing spend per segment."""

from __future__ import annotations

from typing import Any

import pygame

from engine.formatting import money, pct
from game.scenes.base import GAP, ROW
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab
from game.widgets.text import fit, font

MARKETING_STEP = 5_000.0


class PricingTab(Tab):
    """Sets ``ProductDecision.price`` and ``ProductDecision.marketing``."""

    title = "Pricing & marketing"
    roles = ("pm",)
    hint = "Set your price and where you spend on marketing. Rivals may react."

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        s = desk.scenario
        cur = s.currency
        view = desk.view()
        last = desk.history()[-1]
        y = area.y + GAP
        x, w = area.x + GAP, min(area.w - 2 * GAP, 900)
        for product in desk.products():
            pv = view.products[product.id]
            draft = desk.product_draft(product.id)
            price = pv.price if draft.price is None else draft.price
            self.hub.label(
                pygame.Rect(x, y, w, 30), product.name, container=container, object_id="#heading"
            )
            y += 36
            rivals = ", ".join(
                f"{p.name} {money(p.price, cur)}"
                for p in last.products.values()
                if p.firm != desk.firm_id
            )
            now = (
                f"Now {money(pv.price, cur)} per customer per quarter; unit cost "
                f"{money(pv.unit_cost, cur)}. Rivals: {rivals}."
            )
            self.hub.label(
                pygame.Rect(x, y, area.w - 2 * GAP, 24),
                fit(now, font(15), area.w - 2 * GAP - 12),
                tip=now,
                container=container,
                object_id="#muted",
            )
            y += 30
            step = max(1.0, round(pv.price * 0.05))

            def set_price(v: float, pid: str = product.id) -> None:
                desk.product_draft(pid).price = float(round(v))

            self.hub.stepper(
                pygame.Rect(x, y, w, ROW),
                "Price next quarter",
                price,
                (max(1.0, product.price * 0.2), product.price * 4),
                step,
                lambda v: money(v, cur),
                set_price,
                tip=DECISIONS["price"],
                container=container,
            )
            y += ROW + GAP
            self.hub.label(
                pygame.Rect(x, y, w, 26),
                "Marketing spend per segment this quarter",
                container=container,
                tip=DECISIONS["marketing"],
            )
            y += 30
            marketing = dict(pv.marketing) | dict(draft.marketing)
            for seg in s.segments:
                share = last.products[product.id].share_by_segment.get(seg.id, 0.0)
                aware = last.products[product.id].awareness_by_segment.get(seg.id, 0.0)

                def set_spend(v: float, pid: str = product.id, sid: str = seg.id) -> None:
                    d = desk.product_draft(pid)
                    d.marketing = {**view.products[pid].marketing, **d.marketing, sid: float(v)}

                self.hub.stepper(
                    pygame.Rect(x, y, w, ROW),
                    f"{seg.name} (share {pct(share, 0)}, aware {pct(aware, 0)})",
                    marketing.get(seg.id, 0.0),
                    (0.0, 500_000.0),
                    MARKETING_STEP,
                    lambda v: money(v, cur),
                    set_spend,
                    tip=DECISIONS["marketing"],
                    container=container,
                )
                y += ROW + 6
            total = sum(marketing.get(seg.id, 0.0) for seg in s.segments)
            self.hub.label(
                pygame.Rect(x, y, w, 24),
                f"Total marketing this quarter: {money(total, cur)}",
                container=container,
                object_id="#muted",
            )
            y += 36
