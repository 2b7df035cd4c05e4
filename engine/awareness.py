"""Awareness: adstock goodwill per head from marketing, combined with word of mouth.

G_sj ← carryover·G_sj + spend_sj / (cost_per_point·media_cost_s·M_s/1000)
ad_sj = 1 − exp(−reach·G_sj),  wom_sj = min(1, word_of_mouth·installed_sj / M_s)
A_sj = 1 − (1 − ad_sj)·(1 − wom_sj)   (heard of it from an ad, or from a user, or both)

Each quarter aware non-customers forget with probability ``forgetting``; then the aware
fraction is brought to A_sj: unaware people learn of j while it is below, aware non-customers
forget while it is above (so awareness decays as the goodwill does once spending stops).
Customers always know the product they use.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine import market
from engine.population import Population, side_by_side
from engine.scenario import Advertising

PEOPLE_PER_COST_UNIT = 1000.0
"""``cost_per_point`` is quoted per this many people of a segment."""
MAX_PAID_AWARENESS = 0.99
"""Starting awareness advertising is asked to explain at most (goodwill stays finite)."""


def point_cost(adv: Advertising, size: float, media_cost: float) -> float:
    """Spend that buys one goodwill point in a segment of ``size`` people."""
    return adv.cost_per_point * media_cost * size / PEOPLE_PER_COST_UNIT


def next_goodwill(
    goodwill: np.ndarray, spend: np.ndarray, adv: Advertising, cost: float | np.ndarray
) -> np.ndarray:
    """Adstock: G ← λ·G + spend / cost of a point (``cost`` from :func:`point_cost`, one per
    segment for a product × segment table)."""
    return adv.carryover * goodwill + spend / cost


def word_of_mouth(installed_share: np.ndarray, adv: Advertising) -> np.ndarray:
    """Awareness from users: min(1, word_of_mouth·installed/M)."""
    return np.minimum(adv.word_of_mouth * installed_share, 1.0)


def awareness_target(
    goodwill: np.ndarray, installed_share: np.ndarray, adv: Advertising
) -> np.ndarray:
    """A = 1 − (1 − ad)·(1 − wom) with ad = 1 − exp(−κ·G)."""
    return 1.0 - np.exp(-adv.reach * goodwill) * (1.0 - word_of_mouth(installed_share, adv))


def starting_goodwill(
    awareness: np.ndarray, installed_share: np.ndarray, adv: Advertising
) -> np.ndarray:
    """Goodwill that, with today's installed base, explains the starting awareness."""
    unheard = np.maximum(1.0 - word_of_mouth(installed_share, adv), 1e-12)
    paid = np.clip(1.0 - (1.0 - awareness) / unheard, 0.0, MAX_PAID_AWARENESS)
    return -np.log1p(-paid) / adv.reach


def news_goodwill(change: float, adv: Advertising) -> float:
    """Goodwill good news adds this quarter: that fraction (0..1) of the people advertising
    has not reached hear of the product, 1 − ad′ = (1 − ad)·(1 − change), so
    ΔG = −ln(1 − change)/κ; it then fades with ``carryover`` like advertising."""
    return -float(np.log1p(-min(change, MAX_PAID_AWARENESS))) / adv.reach


def damaged_goodwill(goodwill: float, change: float, adv: Advertising) -> float:
    """Goodwill after bad news (``change`` −1..0): advertising awareness shrinks by that
    fraction, ad′ = ad·(1 + change)."""
    paid = (1.0 - float(np.exp(-adv.reach * goodwill))) * (1.0 + change)
    return -float(np.log1p(-min(paid, MAX_PAID_AWARENESS))) / adv.reach


def steady_spend(goodwill: np.ndarray, adv: Advertising, cost: float) -> np.ndarray:
    """Spend per quarter that keeps goodwill where it is: (1 − λ)·G·cost of a point."""
    return (1.0 - adv.carryover) * goodwill * cost


def nice_amount(amounts: np.ndarray) -> np.ndarray:
    """Round each amount to two significant digits (a budget a person would write)."""
    out = np.zeros_like(amounts, dtype=float)
    for i, amount in np.ndenumerate(amounts):
        out[i] = float(f"{amount:.2g}") if amount > 0 else 0.0
    return out


def own_customers(pop: Population) -> np.ndarray:
    """Boolean (J, N): customer i currently uses product j."""
    return market.owners(pop.current, pop.aware.shape[0])


def update_awareness(
    pops: Sequence[Population],
    targets: np.ndarray,
    forgetting: float,
    rng: np.random.Generator,
) -> None:
    """Forget, then bring each product's aware fraction in segment ``s`` to ``targets[:, s]``
    (product × segment), in place.

    Fractions are of the people still in the segment (``gone`` rows are never aware). Every
    segment's people are handled side by side in one pass, each with its own segment's
    numbers; the draws are taken segment by segment (who forgets, then who learns or drops),
    as a pass per segment would take them.
    """
    n_prod, n_seg = targets.shape
    sizes = [pop.n for pop in pops]
    starts, nonempty, total = [], [], 0  # where each non-empty segment's people begin
    for s, size in enumerate(sizes):
        if size:
            starts.append(total)
            nonempty.append(s)
        total += size

    def per_segment(mask: np.ndarray) -> np.ndarray:
        """How many people ``mask`` (J, N) holds per product and segment (J, S)."""
        if len(nonempty) == n_seg:
            return np.add.reduceat(mask, starts, axis=1, dtype=np.intp)
        counts = np.zeros((n_prod, n_seg), dtype=np.intp)  # reduceat cannot count nobody
        if nonempty:
            counts[:, nonempty] = np.add.reduceat(mask, starts, axis=1, dtype=np.intp)
        return counts

    aware = side_by_side([pop.aware for pop in pops])  # one segment: its own array, in place
    gone = side_by_side([pop.gone for pop in pops])
    owners = market.owners(side_by_side([pop.current for pop in pops]), n_prod)
    aware |= owners  # from here on every owner is aware
    forgets, draws = [], []  # drawn segment by segment, then compared side by side at once
    for pop in pops:
        forgets.append(rng.random(pop.aware.shape, dtype=np.float32))
        draws.append(rng.random(pop.aware.shape, dtype=np.float32))
    alive = np.array([max(pop.alive, 1) for pop in pops])
    aware &= owners | (side_by_side(forgets) >= forgetting)  # aware non-customers forget
    fraction = per_segment(aware) / alive
    listeners = ~(aware | gone[None, :])
    # chances in 0..1, only compared with draws: minimum/maximum clip without np.clip's cost
    learn = (targets - fraction) / np.maximum(1.0 - fraction, 1e-9)
    learn = np.minimum(np.maximum(learn, 0.0), 1.0).astype(np.float32)
    forgettable = aware ^ owners  # aware non-customers (owners are aware)
    shown = np.maximum(per_segment(forgettable) / alive, 1e-9)
    drop = np.minimum(np.maximum((fraction - targets) / shown, 0.0), 1.0).astype(np.float32)
    draw = side_by_side(draws)  # each person's chances are their segment's: columns repeated
    aware |= listeners & (draw < learn.repeat(sizes, axis=1))
    aware &= ~(forgettable & (draw < drop.repeat(sizes, axis=1)))
    if len(pops) > 1:  # a joined copy: hand each segment its part back
        start = 0
        for pop, size in zip(pops, sizes, strict=True):
            pop.aware[:] = aware[:, start : start + size]
            start += size
