"""Calibration: what a scenario's model units mean, measured by playing one quarter.

Authors write ``price_sensitivity``, ``switching_cost``, ``outside_utility`` and ``brand`` in
utility units; :func:`calibrate` turns them into numbers an author can judge, per segment:

* **price elasticities** by finite differences on common customers: one quarter is played
  from the scenario's start with every player price and marketing spend held; just before
  choice (``Simulation.step``'s ``probe``) the expected-share model of the explanations
  (``engine.explain.expected_shares``: each customer's chance to re-choose times their logit
  probabilities, the engine's own kernels) is evaluated on the same customers with each
  product's price × (1 + h) and × (1 − h). The elasticity of a product's expected share
  of the category after the quarter is (s₊ − s₋) / (2h·s₀) — the same as of its customers
  in the segment, since entry happens before choice. No random draw differs between the
  three, so the only noise is which market the seed dealt (averaged over ``runs`` seeds).
* the **elasticity of choice**: the same for the product's expected share of the quarter's
  *choosers* (newcomers, non-buyers taking a fresh look, users whose churn triggers;
  Σ r_i·P_ij / Σ r_i). This is what the closed form −α(1 − s) describes; the installed-base
  elasticity above is it diluted by the users who did not look around this quarter.
* the **closed-form logit** prediction for a homogeneous segment (docs/model.md §2.4): one
  customer at the segment's mean ideal, weights and price sensitivity α, aware of every
  product, choosing by the engine's own utility and logit kernels (:mod:`engine.market`).
  Its shares s, own-price elasticity −α(1 − s_j) and cross-price elasticity +α·s_k.
* **awareness**, the **simulated share** after the unchanged quarter and the fraction of the
  category that chose in it (from the quarter's report).
* the **expected share** after the unchanged quarter (the expected-share model before the
  choice draw), with the customers and revenue it means (``engine.starting_market`` compares
  them with the starting position).

Pure computation: no I/O, deterministic for a seed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from engine import market
from engine.decisions import Decisions, ProductDecision
from engine.explain import ExplainSample, MarketInputs, expected_shares
from engine.population import NO_PRODUCT
from engine.quarter import QuarterContext
from engine.report import TurnReport
from engine.scenario import Scenario
from engine.simulation import Simulation
from engine.state import SegmentState

PRICE_STEP = 0.01
"""Relative price change h of the finite difference (±1%)."""
QUANTITY = "segment share (equivalently: the product's customers in the segment)"
"""What the measured elasticities are elasticities of."""
MAX_RUNS = 1000
"""Most seeds one calibration averages."""


class CalibrationError(ValueError):
    """The scenario cannot be calibrated as asked (e.g. the starting decisions are refused)."""


@dataclass(frozen=True)
class Elasticity:
    """The elasticity of one product's share with respect to one product's price."""

    price_of: str  # the product whose price moved
    measured: float | None  # None: the product has no share to move (s₀ = 0)
    standard_error: float | None  # of ``measured`` over the seeds; None for one seed
    predicted: float  # closed-form homogeneous logit


@dataclass(frozen=True)
class ProductCalibration:
    """One product in one segment."""

    id: str
    name: str
    firm: str
    price: float
    marketing: float  # spend in this segment during the unchanged quarter
    awareness_start: float
    awareness: float  # aware fraction after the unchanged quarter
    share_predicted: float  # closed-form homogeneous logit, full awareness
    share_simulated: float  # after the unchanged quarter
    share_of_choosers: float  # expected share of the quarter's choosers (what ε's s means)
    share_expected: float  # expected-share model's share of the category after the quarter
    customers_expected: float  # that share × the category's real customers after entry
    revenue_expected: float  # those customers × the product's price in the quarter
    own: Elasticity
    own_choice: Elasticity  # of its share of the quarter's choosers
    cross: list[Elasticity] = field(default_factory=list)


@dataclass(frozen=True)
class SegmentCalibration:
    """One segment: its model units and every product's figures."""

    id: str
    name: str
    price_sensitivity: float
    outside_utility: float
    switching_cost: float
    choosing: float  # fraction of the category who chose in the unchanged quarter
    products: list[ProductCalibration]


@dataclass(frozen=True)
class Calibration:
    """The whole calibration of a scenario for one seed, role and resolution."""

    scenario: str
    seed: int
    runs: int  # seeds averaged: seed, seed + 1, …
    role: str
    resolution: int | None  # None: each segment's own
    price_step: float
    quantity: str
    segments: list[SegmentCalibration]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data (``None`` where nothing could be measured)."""
        return asdict(self)


# --------------------------------------------------------------------------- closed form


def logit_shares(sim: Simulation, seg: SegmentState) -> np.ndarray:
    """Closed-form shares (J,) of a homogeneous segment now: the mean customer, fully aware.

    Uses the engine's utility (brand, quality, network, distance and log-price terms) and
    logit (outside option ``outside_utility``); nobody owns a product, so no switching cost.
    """
    st = sim.state
    s = st.segments.index(seg)
    offer = market.make_offer(
        np.array([p.attributes for p in st.products]),
        np.array([p.quality for p in st.products]),
        np.array([p.brand for p in st.products]),
        np.array([p.price for p in st.products]),
        st.installed()[s] / seg.size,
        seg.spec.reference_price,
        sim.scenario.choice,
    )
    utility = market.utility_matrix(
        seg.ideal.astype(np.float32)[:, None],
        seg.weights.astype(np.float32)[:, None],
        np.array([seg.price_sensitivity], dtype=np.float32),
        offer,
    )
    aware = np.ones_like(utility, dtype=bool)
    none = np.array([NO_PRODUCT], dtype=np.int16)
    prob = market.choice_probabilities(utility, none, aware, 0.0, seg.spec.outside_utility)
    return prob[:, 0].astype(np.float64)


def predicted_elasticity(alpha: float, shares: np.ndarray, of: int, price_of: int) -> float:
    """Homogeneous logit with V = … − α·ln p: own −α(1 − s_j), cross +α·s_k."""
    if of == price_of:
        return float(-alpha * (1.0 - shares[of]))
    return float(alpha * shares[price_of])


# --------------------------------------------------------------------------- playing


def _holding(sim: Simulation) -> dict[str, Decisions]:
    """Every player firm keeps its starting prices and marketing (explicitly, so a CPO's AI
    PMs change neither)."""
    st = sim.state
    out = {}
    for firm in st.firms.values():
        if firm.controller != "player":
            continue
        lines = {
            st.products[j].id: ProductDecision(
                price=float(st.products[j].price),
                marketing={
                    seg.id: float(st.products[j].marketing[s]) for s, seg in enumerate(st.segments)
                },
            )
            for j in firm.products
        }
        out[firm.id] = Decisions(products=lines)
    return out


@dataclass(frozen=True)
class _Seed:
    """One seed's quarter: the report, and the expected shares with each price moved.

    ``installed[k]`` / ``choice[k]``: (S, J) expected share of the category / of the
    quarter's choosers with product k's price × (1 + h) (k, +1) or × (1 − h) (k, −1);
    key None: prices as they are.
    """

    report: TurnReport
    installed: dict[Key, np.ndarray]
    choice: dict[Key, np.ndarray]


Key = tuple[int, int] | None
"""Which variant: None for prices unchanged, (product index, ±1) for its price × (1 ± h)."""


def _play(scenario: Scenario, role: str, resolution: int | None, seed: int) -> _Seed:
    """One quarter from the start with starting prices and marketing held; just before
    choice, the expected-share model answers for every price moved ±h on the same customers."""
    sim = Simulation(scenario, seed=seed, role=role, resolution=resolution, explain=False)
    decisions = _holding(sim)
    for firm, dec in decisions.items():
        errors = [p for p in sim.problems(firm, dec) if p.severity == "error"]
        if errors:
            raise CalibrationError(
                f"the starting decisions of '{firm}' are refused: " + "; ".join(map(str, errors))
            )
    seen: list[tuple[QuarterContext, ExplainSample, MarketInputs]] = []
    report = sim.step(decisions, probe=lambda *market: seen.append(market))
    ctx, sample, inputs = seen[0]
    keys: list[Key] = [None]
    variants = [inputs]
    for k in range(len(inputs.price)):
        for sign in (1, -1):
            price = inputs.price.copy()
            price[k] *= 1.0 + sign * PRICE_STEP
            keys.append((k, sign))
            variants.append(replace(inputs, price=price))
    found = expected_shares(ctx, sample, variants)
    return _Seed(
        report=report,
        installed={key: e.shares for key, e in zip(keys, found, strict=True)},
        choice={
            key: e.chosen / np.maximum(e.choosing, 1e-12)[:, None]
            for key, e in zip(keys, found, strict=True)
        },
    )


@dataclass(frozen=True)
class _Runs:
    """Every seed's quarter."""

    seeds: list[_Seed]

    def elasticity(
        self, s: int, j: int, k: int, of_choosers: bool = False
    ) -> tuple[float | None, float | None]:
        """Share of j in s (of the category, or of the choosers) against the price of k:
        (s₊ − s₋)/(2h·s₀) per seed, its mean over the seeds and that mean's standard error
        (None for a single seed; both None when s₀ = 0 on every seed)."""
        values = []
        for run in self.seeds:
            table = run.choice if of_choosers else run.installed
            base = float(table[None][s, j])
            if base > 0:
                values.append(
                    (table[(k, 1)][s, j] - table[(k, -1)][s, j]) / (2 * PRICE_STEP * base)
                )
        if not values:
            return None, None
        arr = np.array(values)
        se = float(arr.std(ddof=1) / np.sqrt(arr.size)) if arr.size > 1 else None
        return float(arr.mean()), se

    def mean(self, field_name: str, s: int, j: int) -> float:
        """Mean over seeds of a per-segment product figure of the reports (share, awareness…)."""
        seg_id = list(self.seeds[0].report.segments)[s]
        values = []
        for run in self.seeds:
            product = list(run.report.products.values())[j]
            values.append(getattr(product, field_name)[seg_id])
        return float(np.mean(values))

    def expected(self, s: int, j: int) -> tuple[float, float, float]:
        """Mean over seeds of product j's expected share of segment s's category after the
        quarter (before the choice draw), its expected customers and their revenue."""
        seg_id = list(self.seeds[0].report.segments)[s]
        found = []
        for run in self.seeds:
            share = float(run.installed[None][s, j])
            customers = share * run.report.segments[seg_id].in_market
            price = list(run.report.products.values())[j].price
            found.append((share, customers, customers * price))
        share, customers, revenue = np.mean(np.array(found), axis=0)
        return float(share), float(customers), float(revenue)

    def choosing(self, s: int) -> float:
        """Mean fraction of segment s's category who chose in the quarter."""
        values = []
        for run in self.seeds:
            seg = list(run.report.segments.values())[s]
            values.append(seg.choosers / max(seg.in_market, 1e-12))
        return float(np.mean(values))


# --------------------------------------------------------------------------- the calibration


def calibrate(
    scenario: Scenario,
    seed: int | None = None,
    role: str = "pm",
    resolution: int | None = None,
    runs: int = 1,
) -> Calibration:
    """Measure elasticities, awareness and shares after one quarter from the start.

    Plays (1 + 2·products)·``runs`` quarters, each from a fresh simulation: seeds ``seed``,
    ``seed`` + 1, … (the unchanged and moved runs of one seed share its random numbers).
    ``resolution`` overrides every segment's synthetic customers (None: their own).
    """
    if not 1 <= runs <= MAX_RUNS:
        raise CalibrationError(f"runs must be between 1 and {MAX_RUNS}, not {runs}")
    seed = scenario.seed if seed is None else int(seed)
    start = Simulation(scenario, seed=seed, role=role, resolution=resolution, explain=False)
    st = start.state
    measured = _Runs([_play(scenario, role, resolution, seed + r) for r in range(runs)])
    return Calibration(
        scenario=scenario.id,
        seed=seed,
        runs=runs,
        role=role,
        resolution=resolution,
        price_step=PRICE_STEP,
        quantity=QUANTITY,
        segments=[_segment(start, s, measured) for s in range(len(st.segments))],
    )


def _segment(start: Simulation, s: int, runs: _Runs) -> SegmentCalibration:
    """One segment's figures: the start, the closed form and the measured runs."""
    seg = start.state.segments[s]
    products = start.state.products
    shares = logit_shares(start, seg)
    alpha = float(seg.price_sensitivity)

    def elasticity(j: int, k: int, of_choosers: bool = False) -> Elasticity:
        measured, se = runs.elasticity(s, j, k, of_choosers)
        return Elasticity(products[k].id, measured, se, predicted_elasticity(alpha, shares, j, k))

    expected = [runs.expected(s, j) for j in range(len(products))]
    rows = [
        ProductCalibration(
            id=p.id,
            name=p.name,
            firm=p.firm,
            price=float(p.price),
            marketing=runs.mean("marketing_by_segment", s, j),
            awareness_start=float(seg.population.aware[j].mean()),
            awareness=runs.mean("awareness_by_segment", s, j),
            share_predicted=float(shares[j]),
            share_simulated=runs.mean("share_by_segment", s, j),
            share_of_choosers=float(np.mean([run.choice[None][s, j] for run in runs.seeds])),
            share_expected=expected[j][0],
            customers_expected=expected[j][1],
            revenue_expected=expected[j][2],
            own=elasticity(j, j),
            own_choice=elasticity(j, j, of_choosers=True),
            cross=[elasticity(j, k) for k in range(len(products)) if k != j],
        )
        for j, p in enumerate(products)
    ]
    return SegmentCalibration(
        id=seg.id,
        name=seg.name,
        price_sensitivity=alpha,
        outside_utility=float(seg.spec.outside_utility),
        switching_cost=float(seg.spec.switching_cost),
        choosing=runs.choosing(s),
        products=rows,
    )
