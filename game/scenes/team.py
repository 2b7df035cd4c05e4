"""Team & culture tab: hiring, layoffs, a hiring freeze and culture initiatives."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pygame

from engine.formatting import money, signed
from game.scenes.base import GAP, ROW
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab

DIMENSIONS = {
    "morale": "morale",
    "safety": "psychological safety",
    "customer_focus": "customer focus",
    "innovation": "innovation",
    "collaboration": "collaboration",
    "capability": "capability",
}


def culture_html(culture: Mapping[str, float], headcount: int, running: list[str]) -> str:
    """The culture panel: each dimension with a 0..1 value, people, running initiatives."""
    rows = [f"{DIMENSIONS[d].capitalize()}: <b>{culture[d]:.2f}</b>" for d in DIMENSIONS]
    busy = ", ".join(html.escape(r) for r in running) if running else "none"
    return (
        "<b>Culture now</b> (0 to 1)<br>"
        + "<br>".join(rows)
        + f"<br><br><b>People:</b> {headcount}<br><b>Initiatives under way:</b> {busy}"
    )


class TeamTab(Tab):
    """Sets hires/layoffs per line, ``hiring_freeze`` and ``initiatives``."""

    title = "Team & culture"
    hint = "Grow or shrink the team and invest in how people work."

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
            tip="Culture moves slowly: initiatives land after a delay, overload and layoffs "
            "hurt morale, wins and safety help. Capacity grows with people, morale and "
            "capability.",
        )
        x, w = area.x + GAP, area.w - 3 * GAP - culture_w
        y = area.y + GAP
        org = s.organisation
        self.hub.text(
            pygame.Rect(x, y, w, 62),
            html.escape(
                f"Engineers cost {money(org.salary, s.currency)} a quarter each; hiring "
                f"{money(org.hiring_cost, s.currency)}, severance "
                f"{money(org.severance, s.currency)}; new hires need {org.assimilation} "
                "quarters to get up to speed."
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
                f"{product.name}: {line.capacity:.0f} effort points, "
                f"{line.feature_rate * pd.split.features:.0f} of them feature points for the "
                f"roadmap; technical debt {line.tech_debt:.0f}",
                container=container,
                tip="Effort points: all the team can deliver this quarter. Feature points: the "
                "part the split gives the roadmap, less the drag of technical debt (the "
                "figure the Roadmap tab plans against). Debt also lowers quality.",
            )
            y += 28

            def set_hires(v: float, pid: str = product.id) -> None:
                desk.product_draft(pid).hires = int(v)

            def set_layoffs(v: float, pid: str = product.id) -> None:
                desk.product_draft(pid).layoffs = int(v)

            self.hub.stepper(
                pygame.Rect(x, y, half, ROW),
                "Hire",
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
                "Lay off",
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
            f"Hiring freeze: {'on' if draft.hiring_freeze else 'off'}",
            self._freeze,
            container=container,
            tip=DECISIONS["freeze"],
            object_id="#tab_active" if draft.hiring_freeze else None,
        )
        y += ROW + GAP
        self.hub.label(
            pygame.Rect(x, y, w, 26),
            "Culture initiatives (start this quarter)",
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
            effects = ", ".join(f"{DIMENSIONS[d]} {signed(v)}" for d, v in init.effects.items())
            cost = money(init.cost, s.currency) + (
                f" + {init.effort:g} effort" if init.effort else ""
            )
            tip = (
                f"{html.escape(init.description or init.name)} Effect after {init.delay} "
                f"quarter(s): {effects}. {DECISIONS['initiatives']}"
            )
            self.hub.button(
                pygame.Rect(0, row_y, 110, ROW),
                "Cancel" if on else "Start",
                lambda i=init.id: self._toggle(i),
                container=scroller,
                object_id="#tab_active" if on else None,
                tip=tip,
            )
            self.hub.label(
                pygame.Rect(120, row_y, w - 24 - 120, ROW),
                f"{init.name}: {cost}; in {init.delay} quarter(s): {effects}",
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
