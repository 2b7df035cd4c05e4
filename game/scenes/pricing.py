"""Pricing & marketing tab (PM): price per product and marketing spend per segment.

Beside the controls, the preview: what the engine expects the draft's prices and marketing to
do next quarter against keeping today's (:mod:`engine.preview`, through the desk). It is
worked out in a background job a moment after the last change (a slider drag asks once, when
it stops), so the window never waits for it; the desk remembers every draft it has
previewed this quarter.
"""

from __future__ import annotations

import html
import time
from typing import TYPE_CHECKING, Any

import pygame

from engine.formatting import count, money, pct, signed_count
from game.jobs import Job
from game.scenes.base import GAP, ROW
from game.scenes.glossary import DECISIONS
from game.scenes.tab import Tab, fit_label
from game.translation import t
from game.widgets.text import plain

if TYPE_CHECKING:
    from engine.preview import Preview
    from engine.scenario import Scenario
    from game.scenes.hub import HubScene

MARKETING_STEP = 5_000.0
PREVIEW_W = 340
"""Width of the preview column beside the controls (layout units)."""
DEBOUNCE_S = 0.35
"""Seconds without a change before the preview is worked out again."""
MUTED = "#a8b3c1"


def about(customers: float) -> str:
    """A customer count rounded to tens, for an estimate: 3,410."""
    return count(round(customers, -1))


def preview_html(preview: Preview, scenario: Scenario) -> str:
    """The preview in words: each own product against now and against keeping today's price
    and marketing, per segment, and the rivals' expected customers."""
    cur = scenario.currency
    names = {g.id: g.name for g in scenario.segments}
    same = all(p.draft == p.kept for p in preview.products.values())
    blocks = []
    for p in preview.of_firm():
        d, k = p.draft, p.kept
        lines = [
            t(
                "pricing.preview.product",
                name=html.escape(p.name),
                price=html.escape(money(d.price, cur)),
                customers=about(d.customers),
                now=count(p.now.customers),
            ),
            t("pricing.preview.unchanged")
            if same
            else t(
                "pricing.preview.keeping",
                price=html.escape(money(k.price, cur)),
                customers=about(k.customers),
                diff=_diff(d.customers, k.customers),
            ),
            t("pricing.preview.revenue", revenue=html.escape(money(d.revenue, cur)))
            if same
            else t(
                "pricing.preview.revenue_keeping",
                revenue=html.escape(money(d.revenue, cur)),
                kept=html.escape(money(k.revenue, cur)),
            ),
        ]
        rows = [
            t(
                "pricing.preview.segment",
                segment=html.escape(names[s]),
                customers=about(d.customers_by_segment[s]),
            )
            if same
            else t(
                "pricing.preview.segment_diff",
                segment=html.escape(names[s]),
                customers=about(d.customers_by_segment[s]),
                diff=_diff(d.customers_by_segment[s], k.customers_by_segment[s]),
            )
            for s in names
        ]
        lines.append("<br>".join(rows))
        blocks.append("<br>".join(lines))
    rivals = [
        t("pricing.preview.rival", name=html.escape(p.name), customers=about(p.draft.customers))
        if same
        else t(
            "pricing.preview.rival_diff",
            name=html.escape(p.name),
            customers=about(p.draft.customers),
            diff=_diff(p.draft.customers, p.kept.customers),
        )
        for p in preview.products.values()
        if p.firm != preview.firm
    ]
    if rivals:
        blocks.append(t("pricing.preview.rivals", rivals=t("pricing.list_separator").join(rivals)))
    return "<br><br>".join(blocks)


def _diff(a: float, b: float) -> str:
    """A difference of two estimates, rounded to tens, with its sign: +350."""
    return signed_count(round(a - b, -1) + 0.0)  # + 0.0: never "-0"


class PricingTab(Tab):
    """Sets ``ProductDecision.price`` and ``ProductDecision.marketing``; previews them."""

    namespace = "pricing"
    roles = ("pm",)

    def __init__(self, hub: HubScene) -> None:
        super().__init__(hub)
        self.box: Any = None
        self._job: Job[Preview | None] | None = None
        self._job_key = ""
        self._wanted = ""  # the draft the preview should be of
        self._changed_at = 0.0
        self._result: tuple[str, Preview | None, str] | None = None  # key, preview, problem
        self._shown = ""

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        s = desk.scenario
        cur = s.currency
        view = desk.view()
        last = desk.history()[-1]
        y = area.y + GAP
        x = area.x + GAP
        w = min(area.w - 3 * GAP - PREVIEW_W, 900)
        for i, product in enumerate(desk.products()):
            pv = view.products[product.id]
            draft = desk.product_draft(product.id)
            price = pv.price if draft.price is None else draft.price
            self.hub.label(
                pygame.Rect(x, y, w, 30), product.name, container=container, object_id="#heading"
            )
            y += 36
            rivals = t("pricing.list_separator").join(
                t("pricing.rival_price", name=p.name, price=money(p.price, cur))
                for p in last.products.values()
                if p.firm != desk.firm_id
            )
            now = t(
                "pricing.now",
                price=money(pv.price, cur),
                unit_cost=money(pv.unit_cost, cur),
                rivals=rivals,
            )
            self.hub.label(
                pygame.Rect(x, y, w, 24),
                fit_label(now, 15, w - 12, self.hub.scale),
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
                t("pricing.price"),
                price,
                (max(1.0, product.price * 0.2), product.price * 4),
                step,
                lambda v: money(v, cur),
                set_price,
                tip=DECISIONS["price"],
                container=container,
                anchor="pricing:price" if i == 0 else None,
            )
            y += ROW + GAP
            y = self._marketing(product.id, pygame.Rect(x, y, w, 0), container)
        column = pygame.Rect(x + w + GAP, area.y + GAP, area.right - GAP - (x + w + GAP), 0)
        self._build_preview(column, area, container)

    def _marketing(self, product_id: str, at: pygame.Rect, container: Any) -> int:
        """The marketing steppers of one product from ``at``'s top; returns the next free y."""
        desk = self.desk
        s = desk.scenario
        cur = s.currency
        view = desk.view()
        last = desk.history()[-1]
        x, y, w = at.x, at.y, at.w
        self.hub.label(
            pygame.Rect(x, y, w, 26),
            t("pricing.marketing"),
            container=container,
            tip=DECISIONS["marketing"],
        )
        y += 30
        marketing = dict(view.products[product_id].marketing) | dict(
            desk.product_draft(product_id).marketing
        )
        for seg in s.segments:
            share = last.products[product_id].share_by_segment.get(seg.id, 0.0)
            aware = last.products[product_id].awareness_by_segment.get(seg.id, 0.0)

            def set_spend(v: float, pid: str = product_id, sid: str = seg.id) -> None:
                d = desk.product_draft(pid)
                d.marketing = {**view.products[pid].marketing, **d.marketing, sid: float(v)}

            self.hub.stepper(
                pygame.Rect(x, y, w, ROW),
                t("pricing.segment", segment=seg.name, share=pct(share, 0), aware=pct(aware, 0)),
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
            t("pricing.total", total=money(total, cur)),
            container=container,
            object_id="#muted",
        )
        return y + 36

    # ------------------------------------------------------------------ preview
    def _build_preview(self, column: pygame.Rect, area: pygame.Rect, container: Any) -> None:
        """The preview column: a heading and the text box the background job fills."""
        tip = t("pricing.preview_tip")
        self.hub.label(
            pygame.Rect(column.x, column.y, column.w, 30),
            t("pricing.expected"),
            container=container,
            object_id="#heading",
            tip=tip,
        )
        self.hub.label(
            pygame.Rect(column.x, column.y + 30, column.w, 24),
            fit_label(t("pricing.caveat"), 15, column.w - 12, self.hub.scale),
            container=container,
            object_id="#muted",
            tip=tip,
        )
        top = column.y + 58
        self.box = self.hub.text(
            pygame.Rect(column.x, top, column.w, area.bottom - GAP - top),
            self._preview_text(),
            container=container,
        )
        self._shown = self._preview_text()
        self.hub.anchor("pricing:preview", self.box)

    def _key(self) -> str:
        return self.desk.draft.model_dump_json(exclude_unset=True)

    def update(self, dt: float) -> None:
        """Collect a finished preview; start the next one a moment after the last change."""
        key = self._key()
        now = time.monotonic()
        if key != self._wanted:
            self._wanted = key
            self._changed_at = now if self._result is not None else 0.0
        job = self._job
        if job is not None and job.done:
            self._job = None
            problem = "" if job.error is None else _problem(job.error)
            self._result = (self._job_key, job.result, problem)
        if (
            self._job is None
            and (self._result is None or self._result[0] != self._wanted)
            and now - self._changed_at >= DEBOUNCE_S
        ):
            desk, draft = self.desk, self.desk.draft.model_copy(deep=True)
            self._job_key = self._wanted
            self._job = Job(lambda: desk.preview(draft), name="price-preview")
        self._show()

    def _show(self) -> None:
        """Put the latest preview text in the box (only when it changed)."""
        text = self._preview_text()
        if self.box is not None and self.box.alive() and text != self._shown:
            self._shown = text
            self.box.set_text(text)

    def _preview_text(self) -> str:
        """The box's HTML: the preview, its problem, or that it is being worked out."""
        result = self._result
        waiting = result is None or result[0] != self._wanted
        if result is None:
            return f"<font color='{MUTED}'>{html.escape(t('pricing.working'))}</font>"
        _, preview, problem = result
        if problem:
            words = t("pricing.no_preview", problem=html.escape(plain(problem)))
            return f"<font color='#f0894a'>{words}</font>"
        if preview is None:
            return f"<font color='{MUTED}'>{html.escape(self.desk.no_preview)}</font>"
        head = (
            f"<font color='{MUTED}'>{html.escape(t('pricing.updating'))}</font><br>"
            if waiting
            else ""
        )
        return head + preview_html(preview, self.desk.scenario)


def _problem(error: BaseException) -> str:
    """A preview's failure in one sentence (refused prices are already in words)."""
    if isinstance(error, ValueError):
        return str(error)
    return t("pricing.failed", error=error.__class__.__name__)
