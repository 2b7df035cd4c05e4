"""Research tab (PM): buy research methods per segment; see what each one reveals."""

from __future__ import annotations

from typing import Any

import pygame

from engine.decisions import ResearchOrder
from engine.formatting import money
from game.scenes.base import GAP, ROW
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab

REVEALS = {
    "ideals": ("ideal product", "what they want (their ideal product)"),
    "weights": ("priorities", "which attributes matter most to them"),
    "price_sensitivity": ("price sensitivity", "how much price matters to them"),
    "competitors": ("rival positions", "where rival products really sit"),
}


class ResearchTab(Tab):
    """Toggles ``ResearchOrder``s on the PM's product line."""

    title = "Research"
    roles = ("pm",)
    hint = "Buy studies to learn what each segment wants before you build."

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        s = desk.scenario
        product = desk.products()[0]
        draft = desk.product_draft(product.id)
        ordered = {(o.method, o.segment) for o in draft.research}
        cost = sum(m.cost for m in s.research for seg in s.segments if (m.id, seg.id) in ordered)
        self.hub.label(
            pygame.Rect(area.x + GAP, area.y + GAP, area.w - 2 * GAP, 28),
            f"Studies ordered: {len(ordered)} · cost {money(cost, s.currency)} · "
            "results arrive with the quarter report and sharpen the rings on the Market map.",
            container=container,
            tip=DECISIONS["research"],
        )
        top = area.y + GAP + 36
        scroller = self.hub.scroller(
            pygame.Rect(area.x + GAP, top, area.w - 2 * GAP, area.bottom - top - GAP),
            container=container,
        )
        inner_w = area.w - 2 * GAP - 24
        name_w = min(420, inner_w // 3)
        cell_w = max(120, (inner_w - name_w - GAP * len(s.segments)) // max(1, len(s.segments)))
        y = 0
        belief = desk.belief()
        for i, seg in enumerate(s.segments):
            sds = [e.sd for e in belief.ideals[seg.id].values()]
            self.hub.label(
                pygame.Rect(name_w + GAP + i * (cell_w + GAP), y, cell_w, 26),
                seg.name,
                container=scroller,
                tip=seg.description,
            )
            self.hub.label(
                pygame.Rect(name_w + GAP + i * (cell_w + GAP), y + 26, cell_w, 24),
                f"needs known ±{max(sds):.2f}",
                container=scroller,
                object_id="#muted",
                tip="How unsure you are about what this segment wants (one standard deviation "
                "on the 0-1 attribute scale). Research narrows it; it widens again slowly as "
                "the market moves.",
            )
        y += 56
        guide = next((m.id for m in s.research if "ideals" in m.reveals), None)
        for method in s.research:
            reveals = ", ".join(REVEALS[r][1] for r in method.reveals)
            short = ", ".join(REVEALS[r][0] for r in method.reveals)
            tip = (
                f"{method.description} Reveals {reveals}. Costs "
                f"{money(method.cost, s.currency)} per segment"
                + (f" and {method.effort:g} discovery effort points." if method.effort else ".")
            )
            self.hub.label(pygame.Rect(0, y, name_w, 24), method.name, container=scroller, tip=tip)
            self.hub.label(
                pygame.Rect(0, y + 24, name_w, 26),
                f"reveals {short}",
                container=scroller,
                object_id="#muted",
                tip=tip,
            )
            for i, seg in enumerate(s.segments):
                on = (method.id, seg.id) in ordered
                buy = self.hub.button(
                    pygame.Rect(name_w + GAP + i * (cell_w + GAP), y + 4, cell_w, ROW),
                    f"[x] {money(method.cost, s.currency)}"
                    if on
                    else f"Buy {money(method.cost, s.currency)}",
                    lambda m=method.id, g=seg.id: self._toggle(product.id, m, g),
                    container=scroller,
                    object_id="#tab_active" if on else None,
                    tip=f"{method.name} in {seg.name}. {tip}",
                )
                if method.id == guide:  # what the coach points at: learn what they want
                    self.hub.anchor(f"research:{seg.id}", buy)
            y += 56
        self.hub.scroll_area(scroller, inner_w, y)

    def _toggle(self, product_id: str, method: str, segment: str) -> None:
        draft = self.desk.product_draft(product_id)
        kept = [o for o in draft.research if (o.method, o.segment) != (method, segment)]
        if len(kept) == len(draft.research):
            kept.append(ResearchOrder(method=method, segment=segment))
        draft.research = kept
        self.hub.refresh()
