"""Before/after preview: what a firm's draft price and marketing should do next quarter.

A trainee changing a price wants to know "what would that do?" before committing. The
preview answers with the engine's own expected-share model (:func:`engine.explain.
expected_shares`, the model the explanations and :mod:`engine.calibrate` use), never a
formula of the front end:

1. a **deep copy** of the simulation plays the next quarter with the draft's prices and
   marketing (``Simulation.step``'s ``probe`` stops it just before customers choose, so the
   copy's awareness reflects the draft's marketing, and entry has brought this quarter's
   newcomers into the category); the real simulation is never touched;
2. the same is done keeping the current prices and marketing (one copy serves both when the
   marketing is the same: only prices then differ);
3. on each copy's market just before choice, the expected share of every product is
   evaluated with **the market as it stands now**: every product's position, quality, brand
   and (except for the draft's own prices) price, and every segment's needs, as they were
   before the quarter. So the numbers are *expected, before rivals react and chance*: rivals'
   moves this quarter, drifting needs, events and the draw of who actually switches are left
   out, and the product is the one on sale today (whatever the roadmap ships is not in it).

Expected customers of a product in a segment = expected share × the segment's in-category
customers (the sample's ``weight`` × its in-market sample customers).

Only a draft's prices and marketing are previewed; its other choices (roadmap, research,
people) do not enter, so a half-finished roadmap never blocks a price preview. Pure and
deterministic: the same simulation and draft always give the same preview.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

import numpy as np

from engine.decisions import Decisions, ProductDecision
from engine.explain import ExplainSample, MarketInputs, expected_shares
from engine.phrases import say
from engine.quarter import QuarterContext
from engine.report import TurnReport
from engine.simulation import Simulation

CAVEAT = "expected, before rivals react and chance"
"""What the preview's numbers are, in English (:func:`caveat` in the player's language)."""


def caveat() -> str:
    """What the preview's numbers are, in words in the engine's language (shown beside them)."""
    return say("outlook.caveat")


@dataclass(frozen=True)
class Outlook:
    """One product's figures: as they are now, or expected next quarter under some decisions."""

    price: float
    customers: float
    share: float  # of every in-category customer (all segments)
    revenue: float  # customers × price, per quarter
    customers_by_segment: dict[str, float]
    share_by_segment: dict[str, float]


@dataclass(frozen=True)
class ProductPreview:
    """One product now, with the draft, and keeping the current price and marketing."""

    id: str
    name: str
    firm: str
    now: Outlook  # the latest quarter report
    draft: Outlook  # expected next quarter with the draft's prices and marketing
    kept: Outlook  # expected next quarter keeping the current prices and marketing


@dataclass(frozen=True)
class Preview:
    """The expected effect of a firm's draft prices and marketing on next quarter."""

    quarter: int  # the quarter previewed (the next one to be played)
    firm: str
    products: dict[str, ProductPreview]  # every product in the market, rivals' included
    in_category: dict[str, float]  # expected in-category customers per segment next quarter

    def of_firm(self, firm_id: str | None = None) -> list[ProductPreview]:
        """The products of ``firm_id`` (default: the previewing firm), in market order."""
        wanted = firm_id or self.firm
        return [p for p in self.products.values() if p.firm == wanted]


@dataclass(frozen=True)
class _Look:
    """A copy's market just before choice, as the probe saw it."""

    ctx: QuarterContext
    sample: ExplainSample
    inputs: MarketInputs


class _Seen(Exception):
    """Raised by the probe to stop the copy's quarter once the market before choice is seen."""

    def __init__(self, look: _Look) -> None:
        super().__init__("seen")
        self.look = look


def pricing_part(sim: Simulation, firm_id: str, draft: Decisions) -> Decisions:
    """The draft's prices and marketing only, for the firm's products (what is previewed)."""
    mine = {sim.state.products[j].id for j in sim.state.firms[firm_id].products}
    lines = {}
    for pid, pd in draft.products.items():
        if pid not in mine:
            continue
        fields = pd.model_fields_set & {"price", "marketing"}
        if fields:
            lines[pid] = ProductDecision(**{f: getattr(pd, f) for f in fields})
    return Decisions(products=lines)


def keeping(sim: Simulation, firm_id: str) -> Decisions:
    """The firm's current prices and marketing, stated explicitly (last quarter's course)."""
    st = sim.state
    lines = {}
    for j in st.firms[firm_id].products:
        p = st.products[j]
        lines[p.id] = ProductDecision(
            price=float(p.price),
            marketing={seg.id: float(p.marketing[s]) for s, seg in enumerate(st.segments)},
        )
    return Decisions(products=lines)


def preview(sim: Simulation, firm_id: str, draft: Decisions) -> Preview:
    """The expected customers, share and revenue next quarter with ``draft``'s prices and
    marketing against keeping the current ones (see the module docstring).

    Raises ``ValueError`` when the game is over or ``firm_id`` is not a player firm, and
    :class:`engine.company.DecisionError` when the draft's prices or marketing are refused.
    """
    if sim.finished:
        raise ValueError("the game is over: there is no next quarter to preview")
    if firm_id not in sim.company.books:
        raise ValueError(f"'{firm_id}' is not a player firm")
    planned, kept = pricing_part(sim, firm_id, draft), keeping(sim, firm_id)
    now = MarketInputs.capture(sim.state, [np.zeros(0, dtype=np.int64)] * len(sim.segment_ids))
    prices = (_prices(sim, now, planned), _prices(sim, now, kept))
    look = _look(sim, firm_id, planned)
    if _marketing(sim, planned) == _marketing(sim, kept):
        x_draft, x_kept = _expected(look, [_held(look.inputs, now, p) for p in prices])
    else:
        (x_draft,) = _expected(look, [_held(look.inputs, now, prices[0])])
        other = _look(sim, firm_id, kept)
        (x_kept,) = _expected(other, [_held(other.inputs, now, prices[1])])
    in_category = _in_category(look.sample)
    last = sim.history[-1]
    return Preview(
        quarter=sim.state.quarter + 1,
        firm=firm_id,
        products={
            p.id: ProductPreview(
                id=p.id,
                name=p.name,
                firm=p.firm,
                now=_now(last, p.id),
                draft=_outlook(sim, j, prices[0][j], x_draft, in_category),
                kept=_outlook(sim, j, prices[1][j], x_kept, in_category),
            )
            for j, p in enumerate(sim.state.products)
        },
        in_category=dict(zip(sim.segment_ids, in_category.tolist(), strict=True)),
    )


def _look(sim: Simulation, firm_id: str, decisions: Decisions) -> _Look:
    """Play a deep copy of ``sim`` up to the moment customers choose; return what it shows.

    The scenario (immutable) and the report history are shared with the copy rather than
    copied: the copy's quarter is stopped before anything is appended to the history.
    """
    twin = copy.deepcopy(sim, {id(sim.scenario): sim.scenario, id(sim.history): sim.history})
    twin.explain = False

    def probe(ctx: QuarterContext, sample: ExplainSample, inputs: MarketInputs) -> None:
        raise _Seen(_Look(ctx, sample, inputs))

    try:
        twin.step({firm_id: decisions}, probe=probe)
    except _Seen as seen:
        return seen.look
    raise RuntimeError("the simulation never reached the choice phase")  # pragma: no cover


def _prices(sim: Simulation, now: MarketInputs, decisions: Decisions) -> np.ndarray:
    """Every product's price now, with the prices ``decisions`` set."""
    out = now.price.copy()
    for pid, pd in decisions.products.items():
        if pd.price is not None:
            out[sim.state.product_index(pid)] = float(pd.price)
    return out


def _marketing(sim: Simulation, decisions: Decisions) -> dict[tuple[str, str], float]:
    """The spend per (product, segment) ``decisions`` would leave in place."""
    st = sim.state
    spend = {}
    for p in st.products:
        for s, seg in enumerate(st.segments):
            spend[(p.id, seg.id)] = float(p.marketing[s])
    for pid, pd in decisions.products.items():
        for seg_id, amount in pd.marketing.items():
            spend[(pid, seg_id)] = float(amount)
    return spend


def _held(inputs: MarketInputs, now: MarketInputs, prices: np.ndarray) -> MarketInputs:
    """A copy's inputs before choice with the market held as it stands now (positions, needs,
    rivals' prices) and ``prices``; only awareness and who is in the category are the copy's."""
    return replace(
        inputs,
        ideal=now.ideal,
        weights=now.weights,
        price_sensitivity=now.price_sensitivity,
        attributes=now.attributes,
        quality=now.quality,
        brand=now.brand,
        price=prices,
    )


def _expected(look: _Look, variants: list[MarketInputs]) -> list[np.ndarray]:
    """Expected shares (S×J) of each variant on the copy's sample."""
    return [e.shares for e in expected_shares(look.ctx, look.sample, variants)]


def _in_category(sample: ExplainSample) -> np.ndarray:
    """In-category customers per segment: the sample's in-market customers × their weight."""
    return np.array([seg.weight * seg.current.size for seg in sample.segments], dtype=float)


def _outlook(
    sim: Simulation, j: int, price: float, shares: np.ndarray, in_category: np.ndarray
) -> Outlook:
    """Product j's expected figures from the S×J expected shares."""
    customers = shares[:, j] * in_category
    total = float(customers.sum())
    return Outlook(
        price=float(price),
        customers=total,
        share=total / max(float(in_category.sum()), 1e-12),
        revenue=total * float(price),
        customers_by_segment=_named(sim.segment_ids, customers),
        share_by_segment=_named(sim.segment_ids, shares[:, j]),
    )


def _now(report: TurnReport, product_id: str) -> Outlook:
    """A product's figures in the latest report."""
    p = report.products[product_id]
    in_market = sum(s.in_market for s in report.segments.values())
    return Outlook(
        price=p.price,
        customers=p.customers,
        share=p.customers / max(in_market, 1e-12),
        revenue=p.revenue,
        customers_by_segment=dict(p.customers_by_segment),
        share_by_segment=dict(p.share_by_segment),
    )


def _named(ids: list[str], values: np.ndarray) -> dict[str, float]:
    return {k: float(v) for k, v in zip(ids, values.tolist(), strict=True)}
