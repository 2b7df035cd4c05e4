"""Team & culture tab: hiring, layoffs, a hiring freeze and culture initiatives."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pygame

from engine.formatting import exact, money, number, signed
from game.scenes.base import GAP, ROW
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab, fit_label
from game.translation import t

DIMENSIONS = ("morale", "safety", "customer_focus", "innovation", "collaboration", "capability")
"""The culture dimensions in display order; each named ``team.dimension.<id>`` inside a
sentence and ``team.dimension_title.<id>`` at the start of a line."""


def culture_html(culture: Mapping[str, float], headcount: int, running: list[str]) -> str:
    """The culture panel: each dimension with a 0..1 value, people, running initiatives."""
    rows = [
        t("team.culture_row", dimension=t(f"team.dimension_title.{d}"), value=number(culture[d], 2))
        for d in DIMENSIONS
    ]
    comma = t("team.list_separator")
    busy = comma.join(html.escape(r) for r in running) if running else t("team.none")
    return (
        t("team.culture_now")
        + "<br>"
        + "<br>".join(rows)
        + "<br><br>"
        + t("team.people", people=headcount)
        + "<br>"
        + t("team.running", initiatives=busy)
    )


class TeamTab(Tab):
    """Sets hires/layoffs per line, ``hiring_freeze`` and ``initiatives``."""

    namespace = "team"

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        s = desk.scenario
        draft = desk.draft
        org_view = desk.org()
        names = {i.id: i.name for i in s.initiatives}
        running = [names.get(i, i) for i in org_view.initiatives_running]
        culture_w = min(340, area.w // 3)
        self.hub.text(
            pygame.Rect(area.right - GAP - culture_w, area.y + GAP, culture_w, area.h - 2 * GAP),
            culture_html(org_view.culture, org_view.headcount, running),
            container=container,
            tip=t("team.culture_tip"),
        )
        x, w = area.x + GAP, area.w - 3 * GAP - culture_w
        y = area.y + GAP
        org = s.organisation
        self.hub.text(
            pygame.Rect(x, y, w, 62),
            html.escape(
                t(
                    "team.costs",
                    salary=money(org.salary, s.currency),
                    hiring=money(org.hiring_cost, s.currency),
                    severance=money(org.severance, s.currency),
                    quarters=org.assimilation,
                )
            ),
            container=container,
        )
        y += 70
        half = (w - GAP) // 2
        for product in desk.products():
            pd = desk.product_draft(product.id)
            line = org_view.lines[product.id]
            self.hub.label(
                pygame.Rect(x, y, w, 26),
                t(
                    "team.line",
                    name=product.name,
                    effort=number(line.capacity, 0),
                    features=number(line.feature_rate * pd.split.features, 0),
                    debt=number(line.tech_debt, 0),
                ),
                container=container,
                tip=t("team.line_tip"),
            )
            y += 28

            def set_hires(v: float, pid: str = product.id) -> None:
                desk.product_draft(pid).hires = int(v)

            def set_layoffs(v: float, pid: str = product.id) -> None:
                desk.product_draft(pid).layoffs = int(v)

            self.hub.stepper(
                pygame.Rect(x, y, half, ROW),
                t("team.hire"),
                pd.hires,
                (0, 30),
                1,
                lambda v: f"{v:.0f}",
                set_hires,
                tip=DECISIONS["hires"],
                container=container,
            )
            self.hub.stepper(
                pygame.Rect(x + half + GAP, y, half, ROW),
                t("team.lay_off"),
                pd.layoffs,
                (0, 30),
                1,
                lambda v: f"{v:.0f}",
                set_layoffs,
                tip=DECISIONS["layoffs"],
                container=container,
            )
            y += ROW + GAP
        self.hub.button(
            pygame.Rect(x, y, 300, ROW),
            t("team.freeze_on") if draft.hiring_freeze else t("team.freeze_off"),
            self._freeze,
            container=container,
            tip=DECISIONS["freeze"],
            object_id="#tab_active" if draft.hiring_freeze else None,
        )
        y += ROW + GAP
        self.hub.label(
            pygame.Rect(x, y, w, 26),
            t("team.initiatives"),
            container=container,
            tip=DECISIONS["initiatives"],
        )
        y += 30
        scroller = self.hub.scroller(
            pygame.Rect(x, y, w, area.bottom - y - GAP), container=container
        )
        row_y = 0
        for init in s.initiatives:
            on = init.id in draft.initiatives
            effects = t("team.list_separator").join(
                t("team.effect", dimension=t(f"team.dimension.{d}"), change=signed(v))
                for d, v in init.effects.items()
            )
            cost = (
                t("team.cost_effort", cost=money(init.cost, s.currency), effort=exact(init.effort))
                if init.effort
                else money(init.cost, s.currency)
            )
            tip = t(
                "team.initiative_tip",
                about=html.escape(init.description or init.name),
                delay=init.delay,
                effects=effects,
                decision=DECISIONS["initiatives"],
            )
            self.hub.button(
                pygame.Rect(0, row_y, 110, ROW),
                t("team.cancel") if on else t("team.start"),
                lambda i=init.id: self._toggle(i),
                container=scroller,
                object_id="#tab_active" if on else None,
                tip=tip,
            )
            self.hub.label(
                pygame.Rect(120, row_y, w - 24 - 120, ROW),
                fit_label(
                    t(
                        "team.initiative",
                        name=init.name,
                        cost=cost,
                        delay=init.delay,
                        effects=effects,
                    ),
                    15,
                    w - 24 - 120,
                    self.hub.scale,
                ),
                container=scroller,
                tip=tip,
            )
            row_y += ROW + 6
        self.hub.scroll_area(scroller, w - 24, row_y)

    def _freeze(self) -> None:
        self.desk.draft.hiring_freeze = not self.desk.draft.hiring_freeze
        self.hub.refresh()

    def _toggle(self, initiative: str) -> None:
        draft = self.desk.draft
        if initiative in draft.initiatives:
            draft.initiatives = [i for i in draft.initiatives if i != initiative]
        else:
            draft.initiatives = [*draft.initiatives, initiative]
        self.hub.refresh()
