"""Hot-seat decision entry: one team's own form for the open round.

The hub's tabs are bound to the one-player :class:`game.session.Session`, so a team enters
its decisions on a compact form built from its :class:`~game.workshop.session.TeamView`
only (its own firm; no other team's numbers): price, marketing per segment, capacity split,
engineers to hire or lay off, roadmap with a capacity bar, research and a forecast (a CPO sets
a theme per line instead of the line fields, which the AI product managers fill). Check lists
every problem in words; "recorded" is shown (:mod:`game.scenes.workshop_handover`) only after
:meth:`WorkshopSession.submit` returned, i.e. once the decisions are on disk.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

import pygame

from engine.decisions import CapacitySplit, Decisions, Forecast, ProductDecision, ResearchOrder
from engine.formatting import count, money, pct
from game.scenes.base import GAP, MARGIN, ROW, Scene, oid
from game.scenes.dialog import DialogScene
from game.scenes.glossary import ROLE_NAMES
from game.scenes.workshop_common import (
    TOP_H,
    FocusScroller,
    RoundClock,
    problems_html,
    top_bar,
)
from game.widgets.capacity_bar import CapacityBar
from game.widgets.text import fit, font, plain, to_size

if TYPE_CHECKING:
    from game.app import App
    from game.workshop.session import TeamView, WorkshopSession

THEMES = ("", "growth", "retention", "profit", "quality")
KEPT_NAMES = {
    "hiring_freeze": "hiring freeze",
    "mentoring": "mentoring",
    "incubation": "incubation",
    "initiatives": "culture initiatives",
    "bets": "innovation bets",
    "sunset": "sunsets",
    "products": "line overrides",
}
LEFT_W = 520
BOTTOM_H = 140


def number(text: str) -> float | None:
    """A typed number ('1,200' and '1200.5' both read), or None when it is not one."""
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def short(value: float) -> str:
    """A number as typed in a field: no trailing '.0'."""
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.0f}"


class LineDraft:
    """What a team is typing for one product line (texts as typed, parsed on check)."""

    def __init__(self, view: TeamView, clone: str, base: ProductDecision | None, fresh: bool):
        product = view.firm.products[clone]
        base = base or ProductDecision()
        price = base.price if base.price is not None else product.price
        self.price = short(price)
        marketing = dict(product.marketing) | dict(base.marketing)
        self.marketing = {s: short(v) for s, v in marketing.items()}
        self.features = short(round(base.split.features * 100, 4))
        self.debt = short(round(base.split.debt * 100, 4))
        self.roadmap = list(base.roadmap)
        self.hires = str(base.hires) if fresh else "0"
        self.layoffs = str(base.layoffs) if fresh else "0"
        self.research = [(r.method, r.segment) for r in base.research] if fresh else []
        self.theme = ""


class TeamEntryScene(Scene):
    """One team's decisions for the open round, seeing only its own firm."""

    name = "workshop_entry"

    def __init__(self, app: App, session: WorkshopSession, team: str, clock: RoundClock) -> None:
        super().__init__(app)
        self.session = session
        self.team = team
        self.clock = clock
        self.view = session.team_view(team)
        self.local = {clone: pid for pid, clone in self.view.products.items()}
        self.items = {b.id: b for b in session.scenario.backlog}
        self.role = session.info.role
        fresh = self.view.decisions is not None
        base = self.view.decisions or session.last_decisions(team) or Decisions()
        # Fields this form does not edit (a decision sheet may have set them) are handed in
        # unchanged: the standing ones from last round, and this round's own when resubmitting.
        kept = ["hiring_freeze", "mentoring", "incubation"]
        kept += ["initiatives", "bets", "sunset"] + (["products"] if self.role == "cpo" else [])
        self.kept = {
            f: getattr(base, f)
            for f in kept
            if f in base.model_fields_set and (fresh or f in kept[:3]) and getattr(base, f)
        }
        org = self.view.firm.organisation
        self.lines = list(org.lines) if org else []
        self.drafts = {
            clone: LineDraft(self.view, clone, base.products.get(self.local[clone]), fresh)
            for clone in self.lines
        }
        for clone, theme in base.themes.items():
            if clone in self.view.products:
                self.drafts[self.view.products[clone]].theme = theme
        self.forecast = (
            (short(base.forecast.revenue), short(round(base.forecast.share * 100, 4)))
            if fresh and base.forecast
            else ("", "")
        )
        self.current = 0
        self.message = ""
        self.bar: CapacityBar | None = None
        self.discovery_label = None
        self.clock_label = None
        self.follow_focus = FocusScroller()

    # ------------------------------------------------------------------ helpers
    def authored(self, market_item: str) -> str:
        """The scenario's own id of an item of this team's line."""
        from game.workshop.sheet import local_item

        return local_item(self.session, self.team, market_item)

    @property
    def line(self) -> str:
        """The product line on show (its id in the team's market)."""
        return self.lines[self.current]

    # ------------------------------------------------------------------ build
    def build(self) -> None:
        v = self.view
        firm = v.firm
        cur = self.session.scenario.currency
        last = firm.history[-1].firms[firm.firm]
        when = "at the start" if v.round == 1 else "last quarter"
        top_bar(
            self,
            f"{self.team} · round {v.round} of {v.rounds} · {ROLE_NAMES[self.role]}",
            f"Cash {money(firm.cash, cur)} · {when}: revenue {money(last.revenue, cur)}, "
            f"profit {money(last.profit, cur)}, {count(last.customers)} customers, share "
            f"{pct(last.share)}, satisfaction {pct(last.satisfaction, 0)}",
        )
        self.clock_label = self.label(
            pygame.Rect(self.width - 330, 4, 314, 28), self.clock.text(), object_id="#muted"
        )
        y = TOP_H + GAP
        if len(self.lines) > 1 and self.role != "cpo":  # a CPO sees every line at once
            for i, clone in enumerate(self.lines):
                self.button(
                    pygame.Rect(MARGIN + i * 200, y, 190, 32),
                    fit(firm.products[clone].name, font(15), 174),
                    lambda i=i: self._show_line(i),
                    object_id="#tab_active" if i == self.current else "#tab",
                    tip="Decisions for this product line.",
                )
            y += 40
        area = pygame.Rect(MARGIN, y, self.width - 2 * MARGIN, self.height - y - BOTTOM_H)
        if self.role == "cpo":
            self._build_cpo(area)
        else:
            self._build_line(area)
        self._build_bottom()

    def _build_line(self, area: pygame.Rect) -> None:
        self._build_numbers(pygame.Rect(area.x, area.y, LEFT_W, area.h))
        right = pygame.Rect(area.x + LEFT_W + MARGIN, area.y, area.w - LEFT_W - MARGIN, area.h)
        research_h = 28 + min(len(self._line_view().research), 4) * (ROW - 2)
        self.roadmap_rect = pygame.Rect(right.x, right.y, right.w, right.h - research_h - GAP)
        self._build_roadmap()
        self._build_research(pygame.Rect(right.x, right.bottom - research_h, right.w, research_h))

    def _field(
        self, container: Any, y: int, name: str, value: str, setter: Any, note: str, tip: str
    ) -> None:
        self.label(pygame.Rect(0, y, 190, ROW), name, container=container, tip=tip)
        self.entry_line(
            pygame.Rect(196, y, 110, ROW),
            value,
            setter,
            allowed="decimal",
            tip=tip,
            container=container,
        )
        if note:
            self.label(
                pygame.Rect(312, y, LEFT_W - 24 - 312, ROW),
                note,
                container=container,
                object_id="#muted",
            )

    def _build_numbers(self, area: pygame.Rect) -> None:
        d = self.drafts[self.line]
        sc = self.session.scenario
        cur = sc.currency
        pv = self.view.firm.products[self.line]
        box = self.scroller(area)
        y = 0
        self.label(pygame.Rect(0, y, LEFT_W - 24, 34), pv.name, container=box, object_id="#heading")
        y += 38
        self._field(
            box,
            y,
            "Price per customer",
            d.price,
            lambda t: setattr(d, "price", t),
            f"now {money(pv.price, cur)}, cost {money(pv.unit_cost, cur)}",
            "Price per customer per quarter from this round on.",
        )
        y += ROW + 10
        y = self._section(box, y, "Marketing spend this quarter")
        for seg in sc.segments:
            self._field(
                box,
                y,
                seg.name,
                d.marketing.get(seg.id, "0"),
                lambda t, s=seg.id: d.marketing.__setitem__(s, t),
                f"customers {count(pv.customers_by_segment.get(seg.id, 0.0))}",
                f"Marketing money spent on {seg.name} this quarter.",
            )
            y += ROW + 6
        y += 4
        y = self._section(box, y, "Engineering capacity split (%)")
        self._field(
            box,
            y,
            "Features",
            d.features,
            lambda t: self._set_split("features", t),
            "",
            "Share of capacity for roadmap items.",
        )
        y += ROW + 6
        self._field(
            box,
            y,
            "Debt paydown",
            d.debt,
            lambda t: self._set_split("debt", t),
            "",
            "Share of capacity paying down technical debt.",
        )
        y += ROW + 6
        self.discovery_label = self.label(
            pygame.Rect(0, y, LEFT_W - 24, 26),
            self._discovery_text(),
            container=box,
            object_id="#muted",
        )
        y += 32
        capacity = self._line_view().capacity
        self._field(
            box,
            y,
            "Engineers to hire",
            d.hires,
            lambda t: setattr(d, "hires", t),
            "one-off, this quarter",
            f"New engineers join this line (it has about {capacity:.0f} effort points now); "
            "they cost salary and take time to get up to speed.",
        )
        y += ROW + 6
        self._field(
            box,
            y,
            "Engineers to lay off",
            d.layoffs,
            lambda t: setattr(d, "layoffs", t),
            "one-off, severance",
            "Engineers let go from this line (severance; morale falls).",
        )
        y += ROW + 10
        y = self._build_forecast(box, y)
        self.scroll_area(box, LEFT_W - 24, y)

    def _section(self, box: Any, y: int, title: str) -> int:
        """A muted section heading in the form's column; returns the y below it."""
        self.label(pygame.Rect(0, y, LEFT_W - 24, 24), title, container=box, object_id="#muted")
        return y + 28

    def _build_forecast(self, box: Any, y: int) -> int:
        y = self._section(box, y, "Forecast for this quarter (optional, graded)")
        self._field(
            box,
            y,
            "Revenue",
            self.forecast[0],
            lambda t: self._set_forecast(0, t),
            "firm revenue",
            "Your forecast of the firm's revenue this quarter; empty: none.",
        )
        y += ROW + 6
        self._field(
            box,
            y,
            "Market share (%)",
            self.forecast[1],
            lambda t: self._set_forecast(1, t),
            "overall share",
            "Your forecast of the overall market share; empty: none.",
        )
        return y + ROW + 6

    def _line_view(self) -> Any:
        """The engine's view of the line on show (capacity, open items, research methods)."""
        return self.view.firm.organisation.lines[self.line]

    def _build_roadmap(self) -> None:
        """Capacity bar and roadmap list, in their own panel (rebuilt alone on a change)."""
        d = self.drafts[self.line]
        lv = self._line_view()
        self.roadmap_start = len(self._focus)
        self.roadmap_panel = self.panel(self.roadmap_rect, object_id="#screen")
        area = pygame.Rect(0, 0, self.roadmap_rect.w, self.roadmap_rect.h)
        panel = self.roadmap_panel
        open_items = {self.authored(i.id): i for i in lv.items}
        d.roadmap = [i for i in d.roadmap if i in open_items]
        self.bar = CapacityBar(
            self.px(pygame.Rect(area.x, area.y, area.w, 44)),
            self.manager,
            panel,
            self._feature_capacity(),
            [(self.items[i].name, open_items[i].remaining) for i in d.roadmap],
            tip=f"About {lv.capacity:.0f} effort points this quarter; the features share goes "
            "to the roadmap. Estimates are uncertain.",
            scale=self.scale,
        )
        y = area.y + 52
        self.label(
            pygame.Rect(area.x, y, area.w, 24),
            "Roadmap: Add items in priority order (estimates, not the truth)",
            object_id="#muted",
            container=panel,
        )
        y += 28
        box = self.scroller(pygame.Rect(area.x, y, area.w, area.bottom - y), container=panel)
        inner = area.w - 24
        attr = {a.id: a.name for a in self.session.scenario.attributes}
        row_y = 0
        order = d.roadmap + [i for i in open_items if i not in d.roadmap]
        for item_id in order:
            item, iv = self.items[item_id], open_items[item_id]
            on = item_id in d.roadmap
            self.button(
                pygame.Rect(0, row_y, 90, ROW),
                "Remove" if on else "Add",
                lambda i=item_id: self._toggle(i),
                container=box,
                object_id="#tab_active" if on else None,
                tip=plain(item.description or item.name),
            )
            self.button(
                pygame.Rect(94, row_y, 76, ROW),
                "Earlier",
                lambda i=item_id: self._earlier(i),
                container=box,
                enabled=on and d.roadmap.index(item_id) > 0,
                tip="Move this item up the priority order.",
            )
            effects = ", ".join(f"{attr.get(a, a)} {x:+.2f}" for a, x in iv.effects.items())
            needs = [
                self.items[self.authored(n)].name for n in iv.depends_on if n not in lv.shipped
            ]
            text = (
                (f"#{d.roadmap.index(item_id) + 1} " if on else "")
                + f"{item.name} · ~{iv.remaining:.0f} pts"
                + (f" · {effects}" if effects else "")
                + (f" · needs {', '.join(needs)}" if needs else "")
            )
            self.label(
                pygame.Rect(176, row_y, inner - 176, ROW),
                fit(plain(text), font(15), inner - 176 - 12),
                container=box,
                tip=plain(text),
            )
            row_y += ROW + 4
        self.scroll_area(box, inner, row_y)

    def _rebuild_roadmap(self) -> None:
        """Rebuild the roadmap panel only, keeping its place in the Tab order and the focus."""
        focus, start = self.app.focus_index, self.roadmap_start
        self.roadmap_panel.kill()
        self._forget_dead()
        end = len(self._focus)
        self._build_roadmap()
        new = self._focus[end:]
        del self._focus[end:]
        self._focus[start:start] = new
        self.roadmap_start = start
        self.app.focus_index = focus

    def _build_research(self, area: pygame.Rect) -> None:
        d = self.drafts[self.line]
        lv = self.view.firm.organisation.lines[self.line]
        sc = self.session.scenario
        cur = sc.currency
        self.research_label = self.label(
            pygame.Rect(area.x, area.y, area.w, 24), self._research_text(), object_id="#muted"
        )
        box = self.scroller(pygame.Rect(area.x, area.y + 28, area.w, area.h - 28))
        inner = area.w - 24
        name_w = 240
        cell = max(60, (inner - name_w) // max(1, len(sc.segments)))
        for r, method in enumerate(lv.research):
            y = r * (ROW - 2)
            self.label(
                pygame.Rect(0, y, name_w - 6, ROW - 6),
                fit(f"{method.name} {money(method.cost, cur)}", font(15), name_w - 16),
                container=box,
                tip=plain(getattr(method, "description", "") or method.name),
            )
            for c, seg in enumerate(sc.segments):
                on = (method.id, seg.id) in d.research
                button = self.button(
                    pygame.Rect(name_w + c * cell, y, cell - 4, ROW - 6),
                    fit(("Ordered · " if on else "") + seg.name, font(15), cell - 16),
                    None,
                    container=box,
                    object_id="#tab_active" if on else "#tab",
                    tip="Order this study (click again to cancel).",
                )
                self._actions[button] = lambda b=button, k=(method.id, seg.id): (
                    self._toggle_research(k, b)
                )
        self.scroll_area(box, inner, len(lv.research) * (ROW - 2))

    def _build_cpo(self, area: pygame.Rect) -> None:
        firm = self.view.firm
        self.text(
            pygame.Rect(area.x, area.y, area.w, 60),
            "As CPO you set a theme for each product line; its AI product manager decides "
            "price, marketing and roadmap following it. Press a line's button to change "
            "its theme.",
            object_id="#muted",
        )
        y = area.y + 68
        for clone in self.lines:
            d = self.drafts[clone]
            self.label(pygame.Rect(area.x, y, 300, ROW), firm.products[clone].name)
            self.button(
                pygame.Rect(area.x + 310, y, 220, ROW),
                f"Theme: {d.theme or 'none (PM decides)'}",
                lambda c=clone: self._cycle_theme(c),
                tip="growth, retention, profit or quality; or none.",
            )
            y += ROW + 8
        box = self.scroller(pygame.Rect(area.x, y + GAP, LEFT_W, area.bottom - y - GAP))
        self._build_forecast(box, 0)
        self.scroll_area(box, LEFT_W - 24, 2 * (ROW + 6) + 30)

    def _build_bottom(self) -> None:
        y = self.height - BOTTOM_H + GAP
        w = self.width - 2 * MARGIN
        self.problems_box = self.text(
            pygame.Rect(MARGIN, y, w, BOTTOM_H - 2 * GAP - 44 - 4),
            self.message
            or "Check lists any problem in words before you hand in. Nothing of "
            "another team is shown here."
            + (
                " Handed in as before (set on a decision sheet): "
                + ", ".join(KEPT_NAMES[f] for f in self.kept)
                + "."
                if self.kept
                else ""
            ),
            object_id=None if self.message else "#muted",
        )
        by = self.height - 44 - GAP
        self.button(
            pygame.Rect(MARGIN, by, 200, 44),
            "Cancel (Esc)",
            self.on_back,
            tip="Back to the round view without handing in.",
        )
        self.button(
            pygame.Rect(self.width - MARGIN - 280 - GAP - 160, by, 160, 44),
            "Check",
            self.check,
            tip="List any problem without handing in.",
        )
        self.button(
            pygame.Rect(self.width - MARGIN - 280, by, 280, 44),
            "Hand in decisions",
            self.hand_in,
            object_id="#primary",
            tip="Record the decisions (saved to disk before it says so).",
        )

    # ------------------------------------------------------------------ changes
    def _show_line(self, index: int) -> None:
        self.current = index
        self.rebuild()

    def _feature_capacity(self) -> float:
        lv = self.view.firm.organisation.lines[self.line]
        features = number(self.drafts[self.line].features)
        return lv.feature_rate * max(0.0, min(100.0, features or 0.0)) / 100

    def _discovery_text(self) -> str:
        d = self.drafts[self.line]
        f, b = number(d.features), number(d.debt)
        if f is None or b is None:
            return "Discovery gets the rest (type whole percentages)."
        rest = 100 - f - b
        if rest < 0:
            return f"Features and debt add up to {f + b:g}%: over 100%."
        return f"Discovery gets the rest: {rest:g}% (research, small improvements)."

    def _set_split(self, part: str, text: str) -> None:
        setattr(self.drafts[self.line], part, text)
        if self.discovery_label is not None:
            self.discovery_label.set_text(self._discovery_text())
        if self.bar is not None:
            self.bar.capacity = self._feature_capacity()
            self.bar.image.set_image(to_size(self.bar.render(), self.bar.rect.size))

    def _set_forecast(self, index: int, text: str) -> None:
        values = list(self.forecast)
        values[index] = text
        self.forecast = (values[0], values[1])

    def _toggle(self, item_id: str) -> None:
        d = self.drafts[self.line]
        if item_id in d.roadmap:
            d.roadmap.remove(item_id)
        else:
            d.roadmap.append(item_id)
        self._rebuild_roadmap()

    def _earlier(self, item_id: str) -> None:
        order = self.drafts[self.line].roadmap
        i = order.index(item_id)
        if i > 0:
            order[i - 1], order[i] = order[i], order[i - 1]
        self._rebuild_roadmap()

    def _toggle_research(self, key: tuple[str, str], button: Any) -> None:
        research = self.drafts[self.line].research
        if key in research:
            research.remove(key)
        else:
            research.append(key)
        on = key in research
        name = next(s.name for s in self.session.scenario.segments if s.id == key[1])
        button.change_object_id(oid("#tab_active" if on else "#tab"))
        button.set_text(fit(("Ordered · " if on else "") + name, font(15), button.rect.w - 12))
        self.research_label.set_text(self._research_text())

    def _research_text(self) -> str:
        """The research heading: how to order, and what is ordered so far."""
        research = self.drafts[self.line].research
        if not research:
            return "Research this quarter: click a segment to order a study"
        costs = {m.id: m.cost for m in self._line_view().research}
        total = sum(costs.get(m, 0.0) for m, _ in research)
        cur = self.session.scenario.currency
        studies = f"{len(research)} stud" + ("y" if len(research) == 1 else "ies")
        return f"Research this quarter: {studies} ordered, {money(total, cur)}"

    def _cycle_theme(self, clone: str) -> None:
        d = self.drafts[clone]
        d.theme = THEMES[(THEMES.index(d.theme) + 1) % len(THEMES)]
        self.refresh()

    # ------------------------------------------------------------------ decisions
    def decisions(self) -> tuple[Decisions | None, list[str]]:
        """The typed decisions, or the typing problems in words."""
        problems: list[str] = []
        products: dict[str, ProductDecision] = {}
        themes: dict[str, str] = {}
        names = {s.id: s.name for s in self.session.scenario.segments}
        for clone in self.lines:
            d = self.drafts[clone]
            pid = self.local[clone]
            pname = self.view.firm.products[clone].name
            if d.theme:
                themes[pid] = d.theme
            if self.role == "cpo":
                continue
            price = number(d.price)
            if price is None or price <= 0:
                problems.append(f"{pname}: the price must be a number above zero")
            marketing = {}
            for seg, text in d.marketing.items():
                value = number(text or "0")
                if value is None or value < 0:
                    problems.append(
                        f"{pname}: marketing for {names.get(seg, seg)} must be a "
                        "number, zero or more"
                    )
                else:
                    marketing[seg] = value
            f, b = number(d.features), number(d.debt)
            split = None
            if f is None or b is None or f < 0 or b < 0:
                problems.append(f"{pname}: features and debt paydown must be percentages")
            elif f + b > 100 + 1e-9:
                problems.append(
                    f"{pname}: features and debt paydown add up to {f + b:g}%, more than 100%"
                )
            else:
                split = CapacitySplit(features=f / 100, debt=b / 100, discovery=(100 - f - b) / 100)
            people = {k: number(getattr(d, k) or "0") for k in ("hires", "layoffs")}
            for k, v in people.items():
                if v is None or v < 0 or v != int(v):
                    problems.append(
                        f"{pname}: engineers to {'hire' if k == 'hires' else 'lay off'}"
                        " must be a whole number, zero or more"
                    )
            if (
                price is not None
                and price > 0
                and split is not None
                and all(v is not None and v >= 0 and v == int(v) for v in people.values())
            ):
                products[pid] = ProductDecision(
                    hires=int(people["hires"]),
                    layoffs=int(people["layoffs"]),
                    price=price,
                    marketing=marketing,
                    roadmap=list(d.roadmap),
                    split=split,
                    research=[ResearchOrder(method=m, segment=s) for m, s in d.research],
                )
        forecast = None
        rev, share = (number(t) if t.strip() else None for t in self.forecast)
        if any(t.strip() for t in self.forecast):
            if rev is None or share is None or rev < 0 or not 0 <= share <= 100:
                problems.append(
                    "forecast: give both the revenue and a share between 0 and "
                    "100%, or leave both empty"
                )
            else:
                forecast = Forecast(revenue=rev, share=share / 100)
        if problems:
            return None, problems
        data: dict[str, Any] = {**self.kept, "forecast": forecast}
        if self.role == "cpo":
            data["themes"] = themes
        else:
            data["products"] = products
        return Decisions(**data), []

    def _checked(self) -> tuple[Decisions | None, list[str]]:
        """Decisions and warnings, or None after showing the problems on screen."""
        from game.workshop.session import WorkshopError

        decisions, problems = self.decisions()
        if decisions is None:
            self._say(
                "Not handed in. Fix these first:<br>"
                + "<br>".join(f"• {html.escape(p)}" for p in problems)
            )
            return None, []
        try:
            warnings = self.session.check(self.team, decisions)
        except WorkshopError as exc:
            self._say("Not handed in. Fix these first:<br>" + problems_html(exc))
            return None, []
        return decisions, warnings

    def _say(self, body: str) -> None:
        self.message = body
        self.problems_box.set_text(body)

    def check(self) -> None:
        """Show every problem and warning without handing in."""
        decisions, warnings = self._checked()
        if decisions is not None:
            self._say(
                "No problems: ready to hand in."
                + "".join(f"<br>Be aware: {html.escape(plain(w))}" for w in warnings)
            )

    def hand_in(self) -> None:
        """Check, confirm warnings, then record the decisions durably."""
        decisions, warnings = self._checked()
        if decisions is None:
            return
        if warnings:
            body = "These choices are allowed but have a consequence:<br>" + "<br>".join(
                f"• {html.escape(plain(w))}" for w in warnings
            )
            self.app.push(
                DialogScene(
                    self.app,
                    "Hand in anyway?",
                    body,
                    [("Hand in", lambda: self._submit(decisions)), ("Keep editing", None)],
                )
            )
            return
        self._submit(decisions)

    def _submit(self, decisions: Decisions) -> None:
        from game.workshop.session import WorkshopError

        try:
            warnings = self.session.submit(self.team, decisions)
        except WorkshopError as exc:
            self._say("Not handed in:<br>" + problems_html(exc))
            return
        from game.scenes.workshop_handover import SubmittedScene

        self.app.replace(SubmittedScene(self.app, self.session, self.team, self.clock, warnings))

    def update(self, dt: float) -> None:
        """Keep the round clock current and the focused control in view."""
        self.follow_focus.update(self)
        if self.clock_label is not None and self.clock_label.alive():
            text = self.clock.text()
            if text != self.clock_label.text:
                self.clock_label.set_text(text)

    def on_back(self) -> None:
        """Leave without handing in (asks first)."""
        self.app.push(
            DialogScene(
                self.app,
                "Leave without handing in?",
                "What you typed here is not recorded. Your earlier hand-in, if any, stays.",
                [("Leave", self.app.pop), ("Keep editing", None)],
            )
        )
