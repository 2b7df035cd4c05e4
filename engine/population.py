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
    return _lognormal_of(rng.standard_normal(shape), cv)


def _lognormal_of(normals: np.ndarray, cv: float | tuple[float, ...]) -> np.ndarray:
    """Standard normal draws turned into mean-one log-normal factors (float32); ``cv`` is
    one for every draw, or a tuple: one per row of ``normals``."""
    sigma, shift = _lognormal_rows(cv) if isinstance(cv, tuple) else _lognormal(cv)
    return np.exp(normals * sigma - shift).astype(np.float32)


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


@functools.lru_cache(maxsize=64)
def _lognormal_rows(cvs: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_lognormal` of each row's ``cv``, as columns (σ and σ²/2 row by row; not to
    be written to: cached)."""
    pairs = [_lognormal(cv) for cv in cvs]
    return (
        np.array([sigma for sigma, _ in pairs], dtype=float)[:, None],
        np.array([shift for _, shift in pairs], dtype=float)[:, None],
    )


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
        tastes = draw_tastes(segment, k, rng)
        for name, new in zip(_TASTES, tastes, strict=True):
            old = getattr(self, name)
            setattr(self, name, np.concatenate((old, new), axis=old.ndim - 1))
        for name, (dtype, fill) in _STATES.items():
            old = getattr(self, name)
            grown = _filled((*old.shape[:-1], old.shape[-1] + k), dtype, fill)
            grown[..., : old.shape[-1]] = old
            setattr(self, name, grown)

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
        if not self.gone.any():
            return False
        keep = ~self.gone
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
    tastes = dict(zip(_TASTES, draw_tastes(segment, n, rng), strict=True))
    states = {
        name: _filled((n_products, n) if name == "aware" else (n,), dtype, fill)
        for name, (dtype, fill) in _STATES.items()
    }
    return Population(**tastes, **states)


def draw_tastes(
    segment: Segment, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The tastes of ``n`` new customers, in :data:`_TASTES` order.

    The normal tables (ideal offsets, then weight and price-sensitivity multipliers, each
    only if its spread is positive) come from ONE ``standard_normal`` call, rows in that
    order: numpy's normals carry nothing over between calls, so these are the numbers
    separate calls drew, at a third of the calls' overhead. The multipliers' rows are
    turned into log-normals in one pass too, each row with its own spread.
    """
    k = len(segment.ideal)
    w_cv, a_cv = segment.weight_cv, segment.price_sensitivity_cv
    w_rows = k if w_cv > 0 else 0
    cvs = (w_cv,) * w_rows + ((a_cv,) if a_cv > 0 else ())  # the multipliers' rows
    normals = rng.standard_normal((k + len(cvs), n))
    offset = (normals[:k] * segment.ideal_spread).astype(np.float32)
    mults = _lognormal_of(normals[k:], cvs)
    weight_mult = mults[:w_rows] if w_rows else np.ones((k, n), dtype=np.float32)
    alpha_mult = mults[w_rows] if a_cv > 0 else np.ones(n, dtype=np.float32)
    theta = rng.beta(segment.churn.a, segment.churn.b, n).astype(np.float32)
    return offset, weight_mult, alpha_mult, theta


def _filled(shape: tuple[int, ...], dtype: type, fill: int) -> np.ndarray:
    """A new state array (``np.zeros`` when it can: much cheaper than ``np.full``)."""
    return np.full(shape, fill, dtype=dtype) if fill else np.zeros(shape, dtype=dtype)


_TASTES = ("offset", "weight_mult", "alpha_mult", "theta")
"""The per-customer tastes, drawn once (see :func:`draw_tastes`)."""

_STATES: dict[str, tuple[type, int]] = {
    "aware": (np.bool_, False),
    "current": (np.int16, NO_PRODUCT),
    "tenure": (np.int16, 0),
    "in_market": (np.bool_, False),
    "fresh": (np.bool_, False),
    "gone": (np.bool_, False),
}
"""The per-customer states and their dtype and value for a newcomer: unaware of every
product (``aware`` is (J,N)), owning nothing, outside the category."""

_ARRAYS = (*_TASTES, *_STATES)
"""The per-customer arrays (customers along the last axis), for compact."""
