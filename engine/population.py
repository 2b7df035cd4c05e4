"""Persistent synthetic customers of one segment, stored as numpy arrays (one row each).

Each of the N synthetic customers stands for M_s/N real ones. Individual tastes are drawn
once and kept: the ideal point is stored as an offset from the (drifting) segment mean, the
attribute weights and price sensitivity as log-normal multipliers of the segment values, so
events that move a segment's mean move every customer with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.scenario import Segment

NO_PRODUCT = -1


def lognormal_multipliers(
    rng: np.random.Generator, cv: float, shape: tuple[int, ...]
) -> np.ndarray:
    """Mean-one log-normal factors with coefficient of variation ``cv`` (float32)."""
    if cv <= 0:
        return np.ones(shape, dtype=np.float32)
    sigma2 = np.log1p(cv * cv)
    draws = rng.standard_normal(shape) * np.sqrt(sigma2) - sigma2 / 2.0
    return np.exp(draws).astype(np.float32)


@dataclass
class Population:
    """The synthetic customers of one segment.

    Arrays are column-per-customer (see :mod:`engine.market` for why): ``offset`` (K,N):
    ideal minus segment mean at draw time; ``weight_mult`` (K,N) and ``alpha_mult`` (N,):
    log-normal taste multipliers; ``theta`` (N,): churn propensity; ``aware`` (J,N): knows
    product j; ``current`` (N,): product index or -1; ``tenure`` (N,):
    quarters with the current product; ``in_market`` (N,): has entered the category;
    ``fresh`` (N,): entered this quarter and has not chosen yet.
    """

    offset: np.ndarray
    weight_mult: np.ndarray
    alpha_mult: np.ndarray
    theta: np.ndarray
    aware: np.ndarray
    current: np.ndarray
    tenure: np.ndarray
    in_market: np.ndarray
    fresh: np.ndarray
    entry_carry: float = 0.0

    @property
    def n(self) -> int:
        """Number of synthetic customers."""
        return int(self.theta.shape[0])

    def ideals(self, mean: np.ndarray) -> np.ndarray:
        """Individual ideal points x_i = clip(x̄_s + offset_i, 0, 1), float32 (K,N)."""
        return np.clip(self.offset + mean.astype(np.float32)[:, None], 0.0, 1.0)

    def counts(self, n_products: int) -> np.ndarray:
        """Synthetic customers per product (length J)."""
        return np.bincount(self.current + 1, minlength=n_products + 1)[1 : n_products + 1]


def draw_population(
    segment: Segment, n: int, n_products: int, rng: np.random.Generator
) -> Population:
    """Draw ``n`` persistent customers for ``segment`` (tastes only; nobody owns anything)."""
    k = len(segment.ideal)
    offset = (rng.standard_normal((k, n)) * segment.ideal_spread).astype(np.float32)
    return Population(
        offset=offset,
        weight_mult=lognormal_multipliers(rng, segment.weight_cv, (k, n)),
        alpha_mult=lognormal_multipliers(rng, segment.price_sensitivity_cv, (n,)),
        theta=rng.beta(segment.churn.a, segment.churn.b, n).astype(np.float32),
        aware=np.zeros((n_products, n), dtype=bool),
        current=np.full(n, NO_PRODUCT, dtype=np.int16),
        tenure=np.zeros(n, dtype=np.int16),
        in_market=np.zeros(n, dtype=bool),
        fresh=np.zeros(n, dtype=bool),
    )
