"""Seed streams: the fast derivation of a quarter's generator equals numpy's spawn keys."""

from __future__ import annotations

import numpy as np
import pytest

from engine.rng import SUBSYSTEMS, WORD, SeedStreams


def _reference(streams: SeedStreams, subsystem: str, quarter: int, *key: int) -> np.ndarray:
    """The documented derivation: SeedSequence(child entropy, spawn_key=(child, q, *key))."""
    child = streams._children[subsystem]
    seq = np.random.SeedSequence(child.entropy, spawn_key=(*child.spawn_key, quarter, *key))
    return np.random.Generator(np.random.PCG64(seq)).random(8)


@pytest.mark.parametrize("seed", [0, 1, 7, 2**31 - 1, 2**32, 2**40 + 3, 2**64 + 5, 10**30])
def test_every_stream_equals_the_spawn_key_derivation(seed: int) -> None:
    streams = SeedStreams(seed)
    for subsystem in SUBSYSTEMS:
        for quarter, key in [(0, ()), (1, ()), (12, (0,)), (3, (2, 1)), (16, (WORD - 1,))]:
            got = streams.generator(subsystem, quarter, *key).random(8)
            assert np.array_equal(got, _reference(streams, subsystem, quarter, *key))


def test_keys_beyond_one_word_take_the_general_path() -> None:
    streams = SeedStreams(5)
    got = streams.generator("market", 2, WORD + 1).random(8)
    assert np.array_equal(got, _reference(streams, "market", 2, WORD + 1))


def test_same_inputs_same_stream_and_different_keys_differ() -> None:
    a, b = SeedStreams(11), SeedStreams(11)
    assert np.array_equal(a.generator("bots", 4, 1).random(4), b.generator("bots", 4, 1).random(4))
    assert not np.array_equal(
        a.generator("bots", 4, 1).random(4), a.generator("bots", 4, 2).random(4)
    )


def test_unknown_subsystem_is_named() -> None:
    with pytest.raises(ValueError, match="unknown subsystem 'nope'"):
        SeedStreams(1).generator("nope", 1)
