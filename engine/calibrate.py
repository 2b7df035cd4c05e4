"""Calibration: what a scenario's model units mean, measured by playing one quarter.

Authors write ``price_sensitivity``, ``switching_cost``, ``outside_utility`` and ``brand`` in
utility units; :func:`calibrate` turns them into numbers an author can judge, per segment:

* **price elasticities**, measured by finite differences: one quarter is played from the
  scenario's start three times with the same seed (common random numbers) — prices
  unchanged, one product's price × (1 + h) and × (1 − h) — and the elasticity of each
  product's segment share is (s₊ − s₋) / (2h·s₀). The in-category count is the same in all
  three runs (entry happens before choice), so this is also the elasticity of the product's
  customers in the segment. A player product's price moves through its ``Decisions``; a
  rival's (which no decision can set) through an injected ``product_price`` event, the
  engine's own way of moving a rival's price at the start of a quarter.
* the **closed-form logit** prediction for a homogeneous segment (docs/model.md §2.4): one
  customer at the segment's mean ideal, weights and price sensitivity α, aware of every
  product, choosing by the engine's own utility and logit kernels (:mod:`engine.market`).
  Its shares s, own-price elasticity −α(1 − s_j) and cross-price elasticity +α·s_k.
* **awareness** and the **simulated share** after the unchanged quarter (starting prices and
  marketing spend held).

Averaged over ``runs`` seeds with a standard error: the engine draws one uniform per
re-chooser, so where customers already own products a price that changes who re-chooses
shifts later draws and the common random numbers cancel only partly.

Pure computation: no I/O, deterministic for a seed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from engine import market
from engine.decisions import Decisions, ProductDecision
from engine.population import NO_PRODUCT
from engine.report import TurnReport
from engine.scenario import Event, Scenario
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
    own: Elasticity
    cross: list[Elasticity] = field(default_factory=list)


@dataclass(frozen=True)
class SegmentCalibration:
    """One segment: its model units and every product's figures."""

    id: str
    name: str
    price_sensitivity: float
    outside_utility: float
    switching_cost: float
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


@dataclass(frozen=True)
class _Setup:
    """The scenario with one injectable price event per rival product and direction."""

    scenario: Scenario
    role: str
    resolution: int | None
    events: dict[tuple[str, int], str]  # (product id, ±1) -> event id

    def simulation(self, seed: int) -> Simulation:
        """A fresh simulation at the scenario's start (the same one for the same seed)."""
        return Simulation(
            self.scenario, seed=seed, role=self.role, resolution=self.resolution, explain=False
        )


def _with_price_events(
    scenario: Scenario, rivals: list[str]
) -> tuple[Scenario, dict[tuple[str, int], str]]:
    """``scenario`` plus an unscheduled ±h ``product_price`` event per rival product.

    Unscheduled, unpooled events draw no random numbers, so adding them changes nothing
    until one is injected.
    """
    taken = {e.id for e in scenario.events}
    added: list[Event] = []
    ids: dict[tuple[str, int], str] = {}
    for pid in rivals:
        for sign in (1, -1):
            n = len(added)
            while f"calibrate_{n}" in taken:
                n += 1000
            event_id = f"calibrate_{n}"
            taken.add(event_id)
            ids[(pid, sign)] = event_id
            effect = {"type": "product_price", "product": pid, "change": sign * PRICE_STEP}
            title = f"Calibration: price {sign * PRICE_STEP:+.0%}"
            added.append(
                Event.model_validate({"id": event_id, "title": title, "effects": [effect]})
            )
    return scenario.model_copy(update={"events": [*scenario.events, *added]}), ids


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


Key = tuple[str, int] | None
"""Which run: None for prices unchanged, (product id, ±1) for its price × (1 ± h)."""


def _play(setup: _Setup, seed: int, key: Key) -> TurnReport:
    """One quarter from the start with starting prices and marketing, one price moved."""
    sim = setup.simulation(seed)
    decisions = _holding(sim)
    inject: list[str] = []
    if key is not None:
        product, sign = key
        firm = sim.state.products[sim.state.product_index(product)].firm
        if firm in decisions:
            line = decisions[firm].products[product]
            price = float(line.price or 0.0) * (1.0 + sign * PRICE_STEP)
            lines = {**decisions[firm].products, product: line.model_copy(update={"price": price})}
            decisions[firm] = decisions[firm].model_copy(update={"products": lines})
        else:
            inject.append(setup.events[key])
    for firm, dec in decisions.items():
        errors = [p for p in sim.problems(firm, dec) if p.severity == "error"]
        if errors:
            raise CalibrationError(
                f"the starting decisions of '{firm}' are refused: " + "; ".join(map(str, errors))
            )
    return sim.step(decisions, inject=inject)


@dataclass(frozen=True)
class _Runs:
    """Per run key, (seeds, segments, products) arrays of share, awareness and marketing."""

    share: dict[Key, np.ndarray]
    awareness: np.ndarray  # of the unchanged runs
    marketing: np.ndarray  # of the unchanged runs

    def elasticity(
        self, s: int, j: int, k: int, price_of: str
    ) -> tuple[float | None, float | None]:
        """Share of j in s against the price of k: (s₊ − s₋)/(2h·s₀), means over seeds, and
        its standard error (None for a single seed; both None when s₀ = 0)."""
        base = float(self.share[None][:, s, j].mean())
        if base <= 0:
            return None, None
        diff = self.share[(price_of, 1)][:, s, j] - self.share[(price_of, -1)][:, s, j]
        scale = 2.0 * PRICE_STEP * base
        se = float(diff.std(ddof=1) / np.sqrt(diff.size) / scale) if diff.size > 1 else None
        return float(diff.mean() / scale), se


def _play_all(setup: _Setup, seeds: list[int], keys: list[Key], sim: Simulation) -> _Runs:
    """Play every key on every seed; collect the figures as arrays."""
    seg_ids, prod_ids = sim.segment_ids, [p.id for p in sim.state.products]

    def table(report: TurnReport, field_name: str) -> np.ndarray:
        return np.array(
            [[getattr(report.products[p], field_name)[s] for p in prod_ids] for s in seg_ids]
        )

    reports = {key: [_play(setup, seed, key) for seed in seeds] for key in keys}
    return _Runs(
        share={
            k: np.array([table(r, "share_by_segment") for r in rs]) for k, rs in reports.items()
        },
        awareness=np.array([table(r, "awareness_by_segment") for r in reports[None]]),
        marketing=np.array([table(r, "marketing_by_segment") for r in reports[None]]),
    )


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
    rivals = [p.id for p in st.products if st.firms[p.firm].controller != "player"]
    changed, events = _with_price_events(scenario, rivals)
    setup = _Setup(changed, role, resolution, events)
    keys: list[Key] = [None, *((p.id, sign) for p in st.products for sign in (1, -1))]
    measured = _play_all(setup, [seed + r for r in range(runs)], keys, start)
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

    def elasticity(j: int, k: int) -> Elasticity:
        measured, se = runs.elasticity(s, j, k, products[k].id)
        return Elasticity(products[k].id, measured, se, predicted_elasticity(alpha, shares, j, k))

    rows = [
        ProductCalibration(
            id=p.id,
            name=p.name,
            firm=p.firm,
            price=float(p.price),
            marketing=float(runs.marketing[:, s, j].mean()),
            awareness_start=float(seg.population.aware[j].mean()),
            awareness=float(runs.awareness[:, s, j].mean()),
            share_predicted=float(shares[j]),
            share_simulated=float(runs.share[None][:, s, j].mean()),
            own=elasticity(j, j),
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
        products=rows,
    )
