"""Persistent synthetic customers of one segment, stored as numpy arrays (one row each).

Each of the N synthetic customers stands for M_s/N real ones. Individual tastes are drawn
once and kept: the ideal point is stored as an offset from the (drifting) segment mean, the
attribute weights and price sensitivity as log-normal multipliers of the segment values, so
events that move a segment's mean move every customer with it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
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
    sigma, shift = _lognormal(cv)
    draws = rng.standard_normal(shape) * sigma - shift
    return np.exp(draws).astype(np.float32)


def side_by_side(parts: Sequence[np.ndarray]) -> np.ndarray:
    """Segments' people arrays joined along the person (last) axis: the one array itself
    when there is one segment (no copy), else a new array."""
    return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=-1)


@functools.lru_cache(maxsize=64)
def _lognormal(cv: float) -> tuple[np.float64, np.float64]:
    """σ and σ²/2 of the mean-one log-normal with coefficient of variation ``cv`` (a few
    distinct ``cv`` in a run: computed once each)."""
    sigma2 = np.log1p(cv * cv)
    return np.sqrt(sigma2), sigma2 / 2.0


@dataclass
class Population:
    """The synthetic customers of one segment.

    Arrays are column-per-customer (see :mod:`engine.market` for why): ``offset`` (K,N):
    ideal minus segment mean at draw time; ``weight_mult`` (K,N) and ``alpha_mult`` (N,):
    log-normal taste multipliers; ``theta`` (N,): churn propensity; ``aware`` (J,N): knows
    product j; ``current`` (N,): product index or -1; ``tenure`` (N,):
    quarters with the current product; ``in_market`` (N,): has entered the category;
    ``fresh`` (N,): entered this quarter and has not chosen yet; ``gone`` (N,): left the
    segment as it shrank this quarter (out of every count; dropped at the next quarter's
    start by :meth:`compact`, so row numbers never change within a quarter).
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
    gone: np.ndarray
    entry_carry: float = 0.0
    size_carry: float = 0.0

    @property
    def n(self) -> int:
        """Number of synthetic customer rows (including any ``gone`` this quarter)."""
        return int(self.theta.shape[0])

    @property
    def alive(self) -> int:
        """Synthetic customers still in the segment (rows not ``gone``)."""
        return self.n - int(np.count_nonzero(self.gone))

    def add(self, segment: Segment, k: int, rng: np.random.Generator) -> None:
        """Append ``k`` newcomers to the segment: fresh tastes, outside the category."""
        if k <= 0:
            return
        new = draw_population(segment, k, self.aware.shape[0], rng)
        for name in _ARRAYS:
            axis = getattr(self, name).ndim - 1
            setattr(self, name, np.concatenate([getattr(self, name), getattr(new, name)], axis))

    def remove(self, k: int, rng: np.random.Generator) -> np.ndarray:
        """Mark ``k`` people ``gone``, in proportion across states; returns their states.

        The states are: outside the category (-2), in it without a product (-1), and each
        product's users (its index). Each state loses its share of ``k`` (largest remainder),
        the people picked at random within it, so shares of the category do not move.
        Returns the removed people's states (to report who left).
        """
        alive = np.flatnonzero(~self.gone)
        k = min(max(k, 0), alive.size)
        state = np.where(self.in_market[alive], self.current[alive], -2).astype(np.int64)
        groups, sizes = np.unique(state, return_counts=True)
        exact = k * sizes / max(alive.size, 1)
        quota = np.floor(exact).astype(np.int64)
        short = k - int(quota.sum())
        if short > 0:
            quota[np.argsort(-(exact - quota), kind="stable")[:short]] += 1
        picked = []
        for group, q in zip(groups, quota, strict=True):
            if q:
                members = alive[state == group]
                picked.append(rng.choice(members, size=int(q), replace=False))
        rows = np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)
        removed = state[np.searchsorted(alive, rows)]
        self.gone[rows] = True
        self.in_market[rows] = False
        self.fresh[rows] = False
        self.current[rows] = NO_PRODUCT
        self.aware[:, rows] = False
        return removed

    def compact(self) -> bool:
        """Drop the ``gone`` rows; True if any were dropped (row numbers then change)."""
        keep = ~self.gone
        if keep.all():
            return False
        for name in _ARRAYS:
            setattr(self, name, getattr(self, name)[..., keep])
        return True

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
        gone=np.zeros(n, dtype=bool),
    )


_ARRAYS = (
    "offset",
    "weight_mult",
    "alpha_mult",
    "theta",
    "aware",
    "current",
    "tenure",
    "in_market",
    "fresh",
    "gone",
)
"""The per-customer arrays (customers along the last axis), in one place for add/compact."""
