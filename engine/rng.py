"""Seed streams: one ``SeedSequence(seed)``, one child per subsystem, one stream per quarter.

Children are spawned from the root in the fixed order of :data:`SUBSYSTEMS`. The order is
append-only: a new subsystem goes at the END, so every existing stream stays bit-identical
(a child's state depends only on the root entropy and its own index, never on how many
siblings exist). Within a subsystem, quarter ``q`` gets its own generator derived with
``SeedSequence(entropy, spawn_key=(child_index, q))``, so a quarter's draws never depend on
how many numbers earlier quarters used. Quarter 0 is the set-up (initial population).

Order (index: subsystem):
0 market (population, drift, awareness, entry, choice) · 1 competitors (AI moves) ·
2 organisation · 3 events · 4 research · 5 bots (headless players) · 6 roadmap
"""

from __future__ import annotations

import numpy as np

SUBSYSTEMS: tuple[str, ...] = (
    "market",
    "competitors",
    "organisation",
    "events",
    "research",
    "bots",
    "roadmap",
    "people",
)


class SeedStreams:
    """Deterministic random generators per (subsystem, quarter) for one seed."""

    def __init__(self, seed: int, subsystems: tuple[str, ...] = SUBSYSTEMS) -> None:
        if len(set(subsystems)) != len(subsystems):
            raise ValueError("subsystem names must be unique")
        self.seed = int(seed)
        self.subsystems = subsystems
        root = np.random.SeedSequence(self.seed)
        self._children = dict(zip(subsystems, root.spawn(len(subsystems)), strict=True))
        self._words = {name: _entropy_words(child) for name, child in self._children.items()}

    def generator(self, subsystem: str, quarter: int, *key: int) -> np.random.Generator:
        """A fresh generator for ``subsystem`` in ``quarter`` (same inputs → same stream).

        Extra integers in ``key`` give independent streams within one quarter (e.g. one per
        firm).
        """
        try:
            words = self._words[subsystem]
        except KeyError:
            known = ", ".join(self.subsystems)
            raise ValueError(f"unknown subsystem '{subsystem}' (known: {known})") from None
        tail = (int(quarter), *map(int, key))
        # Checked here, not left to numpy: numpy 1.x wraps an out-of-range int into a word
        # (a different stream, silently) where numpy 2 raises.
        if all(0 <= k < WORD for k in tail):
            seq = np.random.SeedSequence(np.array([*words, *tail], dtype=np.uint32))
        else:  # the general path; equal to the fast one wherever both apply
            child = self._children[subsystem]
            seq = np.random.SeedSequence(child.entropy, spawn_key=(*child.spawn_key, *tail))
        return np.random.Generator(np.random.PCG64(seq))


WORD = 2**32


def _entropy_words(child: np.random.SeedSequence) -> tuple[int, ...]:
    """The words ``SeedSequence(child.entropy, spawn_key=child.spawn_key + tail)`` mixes
    before ``tail``: the entropy as 32-bit words (least significant first) padded with zeros
    to the pool size, then the spawn key. numpy assembles exactly this (and keeps it stable,
    as it promises stable streams), so ``SeedSequence(words + tail)`` is the same sequence
    without converting the entropy again on every call; ``tests/test_rng.py`` checks it."""
    entropy = int(child.entropy)
    words = []
    while True:
        words.append(entropy % WORD)
        entropy //= WORD
        if not entropy:
            break
    words += [0] * max(0, child.pool_size - len(words))
    return (*words, *map(int, child.spawn_key))
