"""The starting market: what quarter 0 of a scenario looks like to its author.

:func:`starting_market` answers, with no decision taken, the questions an author cannot
answer from model units (``price_sensitivity``, ``switching_cost``, ``outside_utility``,
``brand``):

* per segment and product: the **appeal** (utility of the segment's mean customer, split
  into its terms: brand, quality, network, fit, price — the engine's own utility, §2.4 of
  docs/model.md), the starting share, the share the **expected-share model** gives after
  one quarter with every price and spend held (``engine.calibrate``: the explanations'
  model on the engine's kernels, averaged over a few seeds), the share of the quarter's
  choosers (where the installed base is heading), awareness, and the measured own-price
  elasticity;
* per segment: the favourite product of the mean customer and why (the terms by which it
  beats the runner-up, or the outside option);
* per firm: the quarter-0 unit economics (the quarter-0 report is one quarter at the
  starting run-rate of every cost: revenue, serving, payroll, marketing, other), margin,
  runway at that rate, satisfaction and NPS, and its expected customers and revenue after
  quarter 1;
* **flags**: what looks wrong, in words.

Pure and deterministic for a seed; every number is finite (runway is None when the firm
does not burn cash).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from engine.calibrate import Calibration, calibrate
from engine.formatting import money_full, number, pct, signed
from engine.phrases import say, table
from engine.scenario import Scenario
from engine.simulation import Simulation

PREVIEW_RUNS = 4
"""Seeds averaged for the quarter-1 figures (seed, seed + 1, …)."""
GAP_POINTS = 0.02
"""A share gap (expected after quarter 1 − start) is flagged from 2 points of the segment…"""
GAP_RELATIVE = 0.2
"""… and 20% of the starting share."""
HIGH_MARGIN = 0.6
"""A player firm's quarter-0 margin above this is flagged (revenue far above costs; AI
rivals have no payroll, so their margins are high by design)."""
LOW_SATISFACTION = 0.45
"""Starting satisfaction below this is flagged (users see better alternatives)."""
LOW_NPS = -20.0
"""Starting NPS below this is flagged."""
TERMS = ("brand", "quality", "network", "fit", "price")
"""The terms of a product's appeal, in the order of docs/model.md §2.4."""
TERM_WORDS = table("market_start.term", TERMS)
"""What a product is better at, by term, in words ("a stronger brand")."""


@dataclass(frozen=True)
class ProductStart:
    """One product in one segment at the start."""

    id: str
    name: str
    firm: str
    price: float
    appeal: float  # utility of the segment's mean customer (sum of ``terms``)
    terms: dict[str, float]  # brand, quality, network, fit, price
    awareness: float  # aware fraction of the segment at the start
    customers: float  # starting customers (real)
    share: float  # of the category at the start
    share_expected: float  # expected after quarter 1, prices and spend held
    share_of_choosers: float  # expected share of quarter 1's choosers: where it heads
    gap: float  # share_expected − share
    elasticity: float | None  # measured own-price elasticity of the share (one quarter)
    elasticity_logit: float  # closed-form homogeneous logit −α(1 − s)


@dataclass(frozen=True)
class SegmentStart:
    """One segment at the start: its products and the mean customer's favourite."""

    id: str
    name: str
    size: float
    in_market: float
    outside_utility: float
    switching_cost: float
    price_sensitivity: float
    reference_price: float
    favourite: str | None  # product id; None when buying nothing appeals more
    why: str  # the favourite and why, in words
    products: list[ProductStart]


@dataclass(frozen=True)
class FirmStart:
    """One firm's quarter-0 unit economics and its expected quarter 1."""

    id: str
    name: str
    controller: str
    customers: float
    revenue: float
    serving: float
    payroll: float
    marketing: float
    other_costs: float
    profit: float
    margin: float  # profit ÷ revenue (0 without revenue)
    cash: float
    runway: float | None  # quarters of cash at the quarter-0 loss; None: not burning cash
    satisfaction: float
    nps: float
    customers_expected: float  # after quarter 1, prices and spend held
    revenue_expected: float


@dataclass(frozen=True)
class StartingMarket:
    """The whole preview of a scenario's start for one role."""

    scenario: str
    title: str
    role: str
    player: str
    currency: str
    quarters: int
    seed: int
    runs: int
    segments: list[SegmentStart]
    firms: list[FirmStart]
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data (finite numbers; None where nothing applies)."""
        return asdict(self)


def large_gap(p: ProductStart) -> bool:
    """The expected quarter-1 share is far from the starting share (a flag)."""
    return abs(p.gap) >= max(GAP_POINTS, GAP_RELATIVE * p.share)


def appeal_terms(sim: Simulation, s: int) -> np.ndarray:
    """(J, 5) terms of each product's utility for segment s's mean customer, in ``TERMS``
    order: brand, quality_weight·quality, network_weight·ln(1 + installed/M),
    −Σ w (z − x)², −α·ln(p / p_ref). Their sum is ``market.utility_matrix`` for that customer."""
    st = sim.state
    seg = st.segments[s]
    choice = sim.scenario.choice
    z = np.array([p.attributes for p in st.products], dtype=np.float64)
    fit = -((z - seg.ideal[None, :]) ** 2 * seg.weights[None, :]).sum(axis=1)
    price = np.array([p.price for p in st.products], dtype=np.float64)
    return np.column_stack(
        [
            np.array([p.brand for p in st.products], dtype=np.float64),
            choice.quality_weight * np.array([p.quality for p in st.products]),
            choice.network_weight * np.log1p(st.installed()[s] / seg.size),
            fit,
            -seg.price_sensitivity * np.log(price / seg.spec.reference_price),
        ]
    )


def _why(names: list[str], terms: np.ndarray, outside: float) -> tuple[int | None, str]:
    """The mean customer's favourite (index, None for buying nothing) and why, in words."""
    appeal = terms.sum(axis=1)
    order = np.argsort(-appeal, kind="stable")
    best = int(order[0])
    if appeal[best] < outside:
        return None, say(
            "market_start.stay_out",
            outside=signed(outside),
            best=names[best],
            appeal=signed(appeal[best]),
        )
    if len(order) == 1:
        return best, say("market_start.only", best=names[best], appeal=signed(appeal[best]))
    second = int(order[1])
    diff = terms[best] - terms[second]
    reasons = [
        f"{TERM_WORDS[TERMS[k]]} ({signed(diff[k])})"
        for k in np.argsort(-diff, kind="stable")[:2]
        if diff[k] > 0.005
    ]
    if not reasons:
        on = say("market_start.nothing_particular")
    elif len(reasons) == 1:
        on = reasons[0]
    else:
        on = say("market_start.two", first=reasons[0], second=reasons[1])
    return best, say(
        "market_start.beats",
        best=names[best],
        appeal=signed(appeal[best]),
        second=names[second],
        second_appeal=signed(appeal[second]),
        on=on,
    )


def _segment(sim: Simulation, s: int, cal: Calibration) -> SegmentStart:
    """One segment's start, with calibration's quarter-1 figures for each product."""
    st = sim.state
    seg = st.segments[s]
    report = sim.history[0]
    seg_report = report.segments[seg.id]
    terms = appeal_terms(sim, s)
    names = [p.name for p in st.products]
    fav, why = _why(names, terms, float(seg.spec.outside_utility))
    rows = []
    for j, (p, c) in enumerate(zip(st.products, cal.segments[s].products, strict=True)):
        start_share = float(report.products[p.id].share_by_segment[seg.id])
        rows.append(
            ProductStart(
                id=p.id,
                name=p.name,
                firm=p.firm,
                price=float(p.price),
                appeal=float(terms[j].sum()),
                terms={t: float(v) for t, v in zip(TERMS, terms[j], strict=True)},
                awareness=c.awareness_start,
                customers=float(report.products[p.id].customers_by_segment[seg.id]),
                share=start_share,
                share_expected=c.share_expected,
                share_of_choosers=c.share_of_choosers,
                gap=c.share_expected - start_share,
                elasticity=c.own.measured,
                elasticity_logit=c.own.predicted,
            )
        )
    return SegmentStart(
        id=seg.id,
        name=seg.name,
        size=float(seg.size),
        in_market=float(seg_report.in_market),
        outside_utility=float(seg.spec.outside_utility),
        switching_cost=float(seg.spec.switching_cost),
        price_sensitivity=float(seg.price_sensitivity),
        reference_price=float(seg.spec.reference_price),
        favourite=None if fav is None else st.products[fav].id,
        why=why,
        products=rows,
    )


def _firm(sim: Simulation, firm_id: str, cal: Calibration) -> FirmStart:
    """One firm's quarter-0 run rate and its expected quarter 1."""
    f = sim.history[0].firms[firm_id]
    serving = f.costs.get("serving", 0.0)
    payroll = f.costs.get("payroll", 0.0)
    marketing = f.costs.get("marketing", 0.0)
    other = sum(f.costs.values()) - serving - payroll - marketing
    mine = [p for seg in cal.segments for p in seg.products if p.firm == firm_id]
    return FirmStart(
        id=f.id,
        name=f.name,
        controller=f.controller,
        customers=float(f.customers),
        revenue=float(f.revenue),
        serving=float(serving),
        payroll=float(payroll),
        marketing=float(marketing),
        other_costs=float(other),
        profit=float(f.profit),
        margin=float(f.profit / f.revenue) if f.revenue > 0 else 0.0,
        cash=float(f.cash),
        runway=float(max(f.cash, 0.0) / -f.profit) if f.profit < 0 else None,
        satisfaction=float(f.satisfaction),
        nps=float(f.nps),
        customers_expected=float(sum(p.customers_expected for p in mine)),
        revenue_expected=float(sum(p.revenue_expected for p in mine)),
    )


def _flags(market: StartingMarket) -> list[str]:
    """What looks wrong, in words: share gaps, margins, runway, unhappy users, no buyers."""
    out = []
    for seg in market.segments:
        if seg.favourite is None:
            out.append(say("market_start.flag.no_buyers", segment=seg.name, why=seg.why))
        for p in seg.products:
            if large_gap(p):
                out.append(
                    say(
                        "market_start.flag.lose" if p.gap < 0 else "market_start.flag.gain",
                        product=p.name,
                        share=pct(p.share, 0),
                        segment=seg.name,
                        expected=pct(p.share_expected, 0),
                        choosers=pct(p.share_of_choosers, 0),
                    )
                )
    for f in market.firms:
        if f.controller == "player" and f.revenue > 0 and f.margin > HIGH_MARGIN:
            out.append(say("market_start.flag.margin", firm=f.name, margin=pct(f.margin, 0)))
        if f.runway is not None and f.runway < market.quarters:
            out.append(
                say(
                    "market_start.flag.runway",
                    firm=f.name,
                    loss=money_full(-f.profit, market.currency),
                    runway=number(f.runway, 1),
                    quarters=market.quarters,
                )
            )
        if f.customers > 0 and (f.satisfaction < LOW_SATISFACTION or f.nps < LOW_NPS):
            out.append(
                say(
                    "market_start.flag.unhappy",
                    firm=f.name,
                    satisfaction=number(f.satisfaction),
                    nps=signed(f.nps, 0),
                )
            )
    return out


def starting_market(
    scenario: Scenario, role: str = "pm", seed: int | None = None, runs: int = PREVIEW_RUNS
) -> StartingMarket:
    """The quarter-0 market of ``scenario`` for ``role`` with no decision taken.

    Quarter-1 figures (expected shares, customers and revenue, awareness, elasticities) come
    from :func:`engine.calibrate.calibrate` over ``runs`` seeds from ``seed``.
    """
    seed = scenario.seed if seed is None else int(seed)
    sim = Simulation(scenario, seed=seed, role=role, explain=False)
    cal = calibrate(scenario, seed, role, None, runs)
    market = StartingMarket(
        scenario=scenario.id,
        title=scenario.title,
        role=role,
        player=scenario.player_firms()[0].id,
        currency=scenario.currency,
        quarters=scenario.quarters,
        seed=seed,
        runs=runs,
        segments=[_segment(sim, s, cal) for s in range(len(sim.state.segments))],
        firms=[_firm(sim, f, cal) for f in sim.state.firms],
    )
    market = replace(market, flags=_flags(market))
    _check_finite(market.to_dict())
    return market


def _check_finite(data: Any) -> None:
    """Raise ValueError on any NaN or infinity (a bug: the preview promises finite output)."""
    if isinstance(data, float) and not math.isfinite(data):
        raise ValueError("the starting market has a number that is not finite")
    if isinstance(data, dict):
        for v in data.values():
            _check_finite(v)
    elif isinstance(data, list):
        for v in data:
            _check_finite(v)
