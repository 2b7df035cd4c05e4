"""Scalar maths equal bit for bit to numpy's, without numpy's per-call overhead.

A headless playthrough makes hundreds of thousands of calls on a handful of numbers (a mean
of three estimates, a clip of one share), where ``np.mean`` and ``np.clip`` cost
microseconds of dispatch for nanoseconds of arithmetic. These helpers give the *same* floats
(the balance and simulate goldens pin that), so they can replace the numpy calls anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

BLOCK = 8
"""numpy adds fewer than BLOCK float64 values one after another, from left to right, as
Python's ``sum`` does; from BLOCK on it keeps BLOCK running sums (unrolled), and above
PAIRWISE_BLOCK values it splits the array in two halves first (pairwise summation).
:func:`pairwise_sum` follows the same steps, so it gives the same bits."""
PAIRWISE_BLOCK = 128


def pairwise_sum(values: Sequence[float]) -> float:
    """``np.add.reduce`` of float64 ``values``, bit for bit (it starts from +0.0, the
    identity, so an all-negative-zero sum is +0.0 as in numpy)."""
    n = len(values)
    if n < BLOCK:  # the common case, inline: one after another from +0.0 (never -0.0)
        total = 0.0
        for v in values:
            total += v
        return total
    return 0.0 + _pairwise(values, 0, n)


def _pairwise(values: Sequence[float], start: int, n: int) -> float:
    """numpy's pairwise summation of ``values[start:start + n]``."""
    if n < BLOCK:
        total = 0.0
        for i in range(start, start + n):
            total += values[i]
        return total
    if n <= PAIRWISE_BLOCK:
        r = list(values[start : start + BLOCK])
        end = start + n - n % BLOCK
        for i in range(start + BLOCK, end, BLOCK):
            for j in range(BLOCK):
                r[j] += values[i + j]
        total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for i in range(end, start + n):
            total += values[i]
        return total
    half = n // 2
    half -= half % BLOCK
    return _pairwise(values, start, half) + _pairwise(values, start + half, n - half)


def mean(values: Sequence[float]) -> float:
    """``float(np.mean(values))`` for a non-empty sequence of numbers, bit for bit."""
    return pairwise_sum(list(map(float, values))) / len(values)


def clip(value: float, low: float, high: float) -> float:
    """``float(np.clip(value, low, high))`` for numbers, bit for bit (NaN stays NaN)."""
    return float(min(max(value, low), high))
