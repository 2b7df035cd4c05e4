"""Scalar maths equal to numpy's bit for bit (engine/scalars.py)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from engine.scalars import clip, mean, pairwise_sum


@pytest.mark.parametrize("n", [*range(1, 40), 63, 64, 127, 128, 129, 200, 257, 1000])
def test_mean_equals_numpy_bit_for_bit(n: int) -> None:
    rng = random.Random(n)
    for _ in range(40):
        values = [rng.uniform(-1, 1) * 10 ** rng.randint(-6, 6) for _ in range(n)]
        assert repr(mean(values)) == repr(float(np.mean(values)))
        assert repr(pairwise_sum(values)) == repr(float(np.add.reduce(np.array(values))))


def test_mean_of_integers_and_booleans_as_numpy() -> None:
    zeros = ([-0.0] * n for n in (1, 2, 3, 8, 9, 130))
    for values in ([1, 2, 4], [True, False, True], [3] * 11, [0.1] * 9, *zeros):
        assert repr(mean(values)) == repr(float(np.mean(values)))


def test_clip_equals_numpy_including_signed_zero_and_nan() -> None:
    cases = [(-0.0, 0.0, 1.0), (0.0, -0.0, 1.0), (2.0, 0, 1), (-3.0, 0, 1), (0.5, 0.0, 1.0)]
    for value, low, high in cases:
        assert repr(clip(value, low, high)) == repr(float(np.clip(value, low, high)))
    assert np.isnan(clip(float("nan"), 0.0, 1.0))
    assert isinstance(clip(2, 0, 1), float)
