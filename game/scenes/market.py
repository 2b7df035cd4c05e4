"""Market tab: segments in numbers, and a perceptual map of two chosen attributes."""

from __future__ import annotations

import html
from typing import Any

import pygame

from engine.formatting import count, pct
from engine.report import SegmentResult
from game import palette
from game.scenes.base import GAP, ROW
from game.scenes.tab import Tab
from game.translation import t
from game.widgets.perceptual_map import MapIdeal, MapPoint, PerceptualMap


class MarketTab(Tab):
    """Who the customers are, who serves them, and where products sit."""

    namespace = "market"

    def __init__(self, hub: Any) -> None:
        super().__init__(hub)
        self.axes = (0, 1)

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        s = desk.scenario
        last = desk.history()[-1]
        left_w = max(360, area.w * 5 // 12)
        rows = []
        for seg in s.segments:
            r = last.segments[seg.id]
            shares = sorted(
                ((f.share_by_segment.get(seg.id, 0.0), f.name) for f in last.firms.values()),
                reverse=True,
            )
            share_text = ", ".join(
                t("market.share_of", name=html.escape(n), share=pct(v, 0)) for v, n in shares
            )
            people = t(
                "market.people",
                size=count(r.size),
                in_market=count(r.in_market),
                buyers=count(r.buyers),
            )
            rows.append(
                f"<b>{html.escape(seg.name)}</b><br>{people}<br>"
                + (_flows(r) if last.quarter else "")
                + t("market.shares", shares=share_text)
                + f"<br><font color='#a8b3c1'>{html.escape(seg.description)}</font>"
            )
        self.hub.text(
            pygame.Rect(area.x + GAP, area.y + GAP, left_w, area.h - 2 * GAP),
            "<br><br>".join(rows),
            container=container,
            tip=t("market.segments_tip"),
        )
        self._build_map(area, area.x + 2 * GAP + left_w, container)

    def _build_map(self, area: pygame.Rect, mx: int, container: Any) -> None:
        """The axis buttons and the perceptual map, from x = ``mx`` to the area's right."""
        desk = self.desk
        attrs = desk.scenario.attributes
        last = desk.history()[-1]
        ax, ay = self.axes
        mw = area.right - mx - GAP
        bw = (mw - GAP) // 2
        self.hub.button(
            pygame.Rect(mx, area.y + GAP, bw, ROW),
            t("market.across", name=attrs[ax].name),
            lambda: self._cycle(0),
            container=container,
            tip=t("market.across_tip", about=attrs[ax].description),
        )
        self.hub.button(
            pygame.Rect(mx + bw + GAP, area.y + GAP, bw, ROW),
            t("market.up", name=attrs[ay].name),
            lambda: self._cycle(1),
            container=container,
            tip=t("market.up_tip", about=attrs[ay].description),
        )
        firms = list(last.firms)
        colour = palette.firm_colours(firms, desk.firm_id)
        points = [
            MapPoint(
                p.name,
                p.attributes[attrs[ax].id],
                p.attributes[attrs[ay].id],
                colour[p.firm],
                own=p.firm == desk.firm_id,
            )
            for p in last.products.values()
        ]
        ideals = [
            MapIdeal(
                seg_name,
                est[attrs[ax].id][0],
                est[attrs[ay].id][0],
                est[attrs[ax].id][1],
                est[attrs[ay].id][1],
                palette.series(len(firms) + i),
            )
            for i, (seg_name, est) in enumerate(desk.believed_ideals())
        ]
        perceptual = PerceptualMap(
            self.hub.px(pygame.Rect(mx, area.y + 2 * GAP + ROW, mw, area.h - 3 * GAP - ROW)),
            self.hub.manager,
            container,
            attrs[ax].name,
            attrs[ay].name,
            points,
            ideals,
            t("market.map_tip"),
            self.hub.scale,
        )
        self.hub.anchor("market:map", perceptual)

    def _cycle(self, axis: int) -> None:
        n = len(self.desk.scenario.attributes)
        axes = list(self.axes)
        axes[axis] = (axes[axis] + 1) % n
        if n > 1 and axes[0] == axes[1]:
            axes[axis] = (axes[axis] + 1) % n
        self.axes = (axes[0], axes[1])
        self.hub.refresh()


def _flows(r: SegmentResult) -> str:
    """Last quarter's flows in and out of a segment, as one line of the market text."""
    parts = [
        t("market.flow.entered", people=count(r.entered)),
        t("market.flow.churned", people=count(r.churned)),
    ]
    if r.joined:
        parts.append(t("market.flow.grew", people=count(r.joined)))
    if r.left:
        parts.append(
            t("market.flow.shrank", people=count(r.left), customers=count(r.left_customers))
        )
    return t("market.flows", flows=t("market.list_separator").join(parts)) + "<br>"
