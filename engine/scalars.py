"""Scalar maths equal bit for bit to numpy's, without numpy's per-call overhead.

A headless playthrough makes hundreds of thousands of calls on a handful of numbers (a mean
of three estimates, a clip of one share), where ``np.mean`` and ``np.clip`` cost
microseconds of dispatch for nanoseconds of arithmetic. These helpers give the *same* floats
(the balance and simulate goldens pin that), so they can replace the numpy calls anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

PAIRWISE_FROM = 8
"""numpy sums fewer than this many float64 values one after another, from left to right,
exactly as Python's ``sum`` does; from 8 on it sums in unrolled blocks, so the order (and
the last bit) differs and :func:`mean` hands longer sequences to numpy."""


def mean(values: Sequence[float]) -> float:
    """``float(np.mean(values))`` for a non-empty sequence of numbers, bit for bit."""
    n = len(values)
    if n < PAIRWISE_FROM:
        return sum(map(float, values)) / n
    return float(np.mean(values))


def clip(value: float, low: float, high: float) -> float:
    """``float(np.clip(value, low, high))`` for numbers, bit for bit (NaN stays NaN)."""
    return float(min(max(value, low), high))
