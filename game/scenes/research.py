"""Research tab (PM): buy research methods per segment; see what each one reveals."""

from __future__ import annotations

from typing import Any

import pygame

from engine.decisions import ResearchOrder
from engine.formatting import exact, money, number
from game.company_seat import shares_studies
from game.scenes.base import GAP, ROW
from game.scenes.company_sharing import share_button
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab
from game.translation import t

REVEALS = ("ideals", "weights", "price_sensitivity", "competitors")
"""What a study may reveal; each has a short name (``research.reveal.<id>``) and a longer
one for tooltips (``research.reveal_long.<id>``)."""


def reveal_words(reveals: list[str], long: bool = False) -> str:
    """What a study reveals, as a list of its short (or long) names."""
    kind = "reveal_long" if long else "reveal"
    return t("research.list_separator").join(t(f"research.{kind}.{r}") for r in reveals)


class ResearchTab(Tab):
    """Toggles ``ResearchOrder``s on the PM's product line."""

    namespace = "research"
    roles = ("pm",)

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        s = desk.scenario
        product = desk.products()[0]
        draft = desk.product_draft(product.id)
        ordered = {(o.method, o.segment) for o in draft.research}
        cost = sum(m.cost for m in s.research for seg in s.segments if (m.id, seg.id) in ordered)
        share_w = 300 if shares_studies(desk) else 0
        share_button(
            self, pygame.Rect(area.right - GAP - share_w, area.y + GAP, share_w, 30), container
        )
        self.hub.label(
            pygame.Rect(area.x + GAP, area.y + GAP, area.w - 2 * GAP - share_w - GAP, 28),
            t("research.ordered", studies=len(ordered), cost=money(cost, s.currency)),
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
                t("research.needs_known", sd=number(max(sds), 2)),
                container=scroller,
                object_id="#muted",
                tip=t("research.needs_known_tip"),
            )
        y += 56
        guide = next((m.id for m in s.research if "ideals" in m.reveals), None)
        for method in s.research:
            tip = t(
                "research.method_tip_effort" if method.effort else "research.method_tip",
                about=method.description,
                reveals=reveal_words(method.reveals, long=True),
                cost=money(method.cost, s.currency),
                effort=exact(method.effort),
            )
            self.hub.label(pygame.Rect(0, y, name_w, 24), method.name, container=scroller, tip=tip)
            self.hub.label(
                pygame.Rect(0, y + 24, name_w, 26),
                t("research.reveals", reveals=reveal_words(method.reveals)),
                container=scroller,
                object_id="#muted",
                tip=tip,
            )
            for i, seg in enumerate(s.segments):
                on = (method.id, seg.id) in ordered
                buy = self.hub.button(
                    pygame.Rect(name_w + GAP + i * (cell_w + GAP), y + 4, cell_w, ROW),
                    t(
                        "research.bought" if on else "research.buy",
                        cost=money(method.cost, s.currency),
                    ),
                    lambda m=method.id, g=seg.id: self._toggle(product.id, m, g),
                    container=scroller,
                    object_id="#tab_active" if on else None,
                    tip=t("research.buy_tip", method=method.name, segment=seg.name, tip=tip),
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
