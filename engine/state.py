"""Mutable simulation state: segments, products and firms as plain dataclasses of numbers.

Attribute arrays are indexed in scenario attribute order (``Scenario.attribute_ids()``),
per-segment arrays in scenario segment order, and products by their index in
``SimState.products`` (the column order of every customer×product array).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from engine import market
from engine.decisions import Decisions
from engine.population import Population, side_by_side
from engine.scenario import Archetype, Segment


@dataclass
class SegmentState:
    """One segment: its moving parameters and its synthetic customers."""

    id: str
    name: str
    spec: Segment
    size: float
    growth: float
    ideal: np.ndarray
    weights: np.ndarray
    price_sensitivity: float
    population: Population
    scale: float
    """Real people one synthetic customer stands for (M_s / N_s at quarter 0, then fixed:
    a growing segment gets more synthetic people, never bigger ones)."""

    def customer_terms(self, rows: np.ndarray) -> np.ndarray:
        """Utility terms of the customers in ``rows`` (see :func:`customer_terms`)."""
        return customer_terms([self], [rows])


def customer_terms(segments: Sequence[SegmentState], rows: Sequence[np.ndarray]) -> np.ndarray:
    """Utility terms of the customers ``rows[s]`` of every segment ``s``, side by side
    (segment 0's first; see :func:`market.customer_terms`), float32 (2K+2, Σ rows).

    Each customer's terms are computed on its own (:func:`market.people_terms`), so one
    pass over every segment gives the numbers a pass per segment would, in fewer calls.
    """
    pairs = [(seg.population, r) for seg, r in zip(segments, rows, strict=True)]
    if len(segments) == 1:  # the segment's parameters broadcast
        seg = segments[0]
        ideal = seg.ideal.astype(np.float32)[:, None]
        weights = seg.weights.astype(np.float32)[:, None]
        sensitivity = np.float32(seg.price_sensitivity)
    else:  # each customer gets its segment's parameters
        sizes = [r.size for r in rows]
        ideal = np.repeat(np.array([s.ideal for s in segments], dtype=np.float32).T, sizes, 1)
        weights = np.repeat(np.array([s.weights for s in segments], dtype=np.float32).T, sizes, 1)
        sensitivity = np.repeat(
            np.array([s.price_sensitivity for s in segments], dtype=np.float32), sizes
        )
    # take: numpy's fancy indexing of columns is several times slower
    return market.people_terms(
        side_by_side([p.offset.take(r, axis=1) for p, r in pairs]),
        side_by_side([p.weight_mult.take(r, axis=1) for p, r in pairs]),
        side_by_side([p.alpha_mult[r] for p, r in pairs]),
        ideal,
        weights,
        sensitivity,
    )


@dataclass
class ProductState:
    """One product line as the market sees it (attributes on 0..1, price per quarter)."""

    id: str
    name: str
    firm: str
    attributes: np.ndarray
    quality: float
    brand: float
    price: float
    unit_cost: float
    goodwill: np.ndarray
    marketing: np.ndarray
    news: np.ndarray
    """Goodwill from good news this quarter (awareness events), added with this quarter's
    advertising in the awareness phase and then carried over like it."""
    active: bool = True
    reach: float = 1.0
    """How far this quarter's marketing spend reaches (× its goodwill): 1 unless a marketing
    colleague's trust moves it (:func:`engine.stakeholders.modifiers`)."""


@dataclass
class FirmState:
    """One firm: who controls it, its cash and the costs other subsystems add.

    ``other_costs`` is the hook for costs outside the market model (salaries, hiring,
    research, culture initiatives, bets): subsystems add named amounts during a quarter and
    the economics phase charges them and clears the dict.
    """

    id: str
    name: str
    controller: str
    archetype: Archetype | None
    cash: float
    products: list[int]
    other_costs: dict[str, float] = field(default_factory=dict)


@dataclass
class SimState:
    """Everything that changes from quarter to quarter."""

    quarter: int
    segments: list[SegmentState]
    products: list[ProductState]
    firms: dict[str, FirmState]
    decisions: dict[str, Decisions] = field(default_factory=dict)

    def product_index(self, product_id: str) -> int:
        """Column of ``product_id`` in customer×product arrays."""
        for j, product in enumerate(self.products):
            if product.id == product_id:
                return j
        raise KeyError(product_id)

    def installed(self) -> np.ndarray:
        """Real customers per (segment, product), shape S×J."""
        return np.array(
            [seg.population.counts(len(self.products)) * seg.scale for seg in self.segments]
        ).reshape(len(self.segments), len(self.products))
