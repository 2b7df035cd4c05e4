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


class CalibrationError(ValueError):
    """The scenario cannot be calibrated as asked (e.g. the starting decisions are refused)."""


@dataclass(frozen=True)
class Elasticity:
    """The elasticity of one product's share with respect to one product's price."""

    price_of: str  # the product whose price moved
    measured: float | None  # None: the product has no share to move (s₀ = 0)
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
    seed: int
    role: str
    resolution: int | None
    events: dict[tuple[str, int], str]  # (product id, ±1) -> event id

    def simulation(self) -> Simulation:
        """A fresh simulation at the scenario's start (the same one every time)."""
        return Simulation(
            self.scenario, seed=self.seed, role=self.role, resolution=self.resolution, explain=False
        )


def _with_price_events(scenario: Scenario, rivals: list[str]) -> tuple[Scenario, dict]:
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
            event_id = f"calibrate_{n}"
            while event_id in taken:
                n += 1000
                event_id = f"calibrate_{n}"
            taken.add(event_id)
            ids[(pid, sign)] = event_id
            effect = {"type": "product_price", "product": pid, "change": sign * PRICE_STEP}
            title = f"Calibration: {pid} price {sign * PRICE_STEP:+.0%}"
            event = {"id": event_id, "title": title, "effects": [effect]}
            added.append(Event.model_validate(event))
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
                    seg.id: float(st.products[j].marketing[s])
                    for s, seg in enumerate(st.segments)
                },
            )
            for j in firm.products
        }
        out[firm.id] = Decisions(products=lines)
    return out


def _play(setup: _Setup, product: str | None = None, sign: int = 0) -> TurnReport:
    """One quarter from the start; ``product``'s price × (1 + sign·h) if given."""
    sim = setup.simulation()
    decisions = _holding(sim)
    inject: list[str] = []
    if product is not None:
        firm = sim.state.products[sim.state.product_index(product)].firm
        if firm in decisions:
            line = decisions[firm].products[product]
            moved = line.model_copy(update={"price": line.price * (1.0 + sign * PRICE_STEP)})
            products = {**decisions[firm].products, product: moved}
            decisions[firm] = decisions[firm].model_copy(update={"products": products})
        else:
            inject.append(setup.events[(product, sign)])
    for firm, dec in decisions.items():
        errors = [p for p in sim.problems(firm, dec) if p.severity == "error"]
        if errors:
            raise CalibrationError(
                f"the starting decisions of '{firm}' are refused: " + "; ".join(map(str, errors))
            )
    return sim.step(decisions, inject=inject)


def _arc(up: float, down: float, base: float) -> float | None:
    """(up − down) / (2h·base): the central-difference elasticity, None without a base."""
    return None if base <= 0 else float((up - down) / (2.0 * PRICE_STEP * base))


# --------------------------------------------------------------------------- the calibration


def calibrate(
    scenario: Scenario, seed: int | None = None, role: str = "pm", resolution: int | None = None
) -> Calibration:
    """Measure elasticities, awareness and shares after one quarter from the start.

    Plays 1 + 2·(products) quarters, each from a fresh simulation with the same seed.
    ``resolution`` overrides every segment's synthetic customers (None: their own).
    """
    seed = scenario.seed if seed is None else int(seed)
    start = Simulation(scenario, seed=seed, role=role, resolution=resolution, explain=False)
    st = start.state
    rivals = [p.id for p in st.products if st.firms[p.firm].controller != "player"]
    changed, events = _with_price_events(scenario, rivals)
    setup = _Setup(changed, seed, role, resolution, events)
    base = _play(setup)
    moved = {
        (p.id, sign): _play(setup, p.id, sign) for p in st.products for sign in (1, -1)
    }
    segments = [
        _segment(start, seg, base, moved) for seg in st.segments
    ]
    return Calibration(
        scenario=scenario.id,
        seed=seed,
        role=role,
        resolution=resolution,
        price_step=PRICE_STEP,
        quantity=QUANTITY,
        segments=segments,
    )


def _segment(
    start: Simulation,
    seg: SegmentState,
    base: TurnReport,
    moved: dict[tuple[str, int], TurnReport],
) -> SegmentCalibration:
    """One segment's figures from the three kinds of run."""
    products = start.state.products
    shares = logit_shares(start, seg)
    alpha = float(seg.price_sensitivity)

    def share(report: TurnReport, pid: str) -> float:
        return report.products[pid].share_by_segment[seg.id]

    def elasticity(j: int, k: int) -> Elasticity:
        of, price_of = products[j].id, products[k].id
        measured = _arc(
            share(moved[(price_of, 1)], of), share(moved[(price_of, -1)], of), share(base, of)
        )
        return Elasticity(price_of, measured, predicted_elasticity(alpha, shares, j, k))

    rows = []
    for j, p in enumerate(products):
        result = base.products[p.id]
        rows.append(
            ProductCalibration(
                id=p.id,
                name=p.name,
                firm=p.firm,
                price=float(p.price),
                marketing=float(result.marketing_by_segment[seg.id]),
                awareness_start=float(seg.population.aware[j].mean()),
                awareness=float(result.awareness_by_segment[seg.id]),
                share_predicted=float(shares[j]),
                share_simulated=float(result.share_by_segment[seg.id]),
                own=elasticity(j, j),
                cross=[elasticity(j, k) for k in range(len(products)) if k != j],
            )
        )
    return SegmentCalibration(
        id=seg.id,
        name=seg.name,
        price_sensitivity=alpha,
        outside_utility=float(seg.spec.outside_utility),
        switching_cost=float(seg.spec.switching_cost),
        products=rows,
    )
