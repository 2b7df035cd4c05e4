"""Awareness: adstock goodwill from marketing plus word of mouth from the installed base.

G_sj ← carryover·G_sj + spend_sj / cost_per_point
A_sj = clip(1 − exp(−reach·G_sj) + word_of_mouth·installed_sj / M_s, 0, 1)
Aware non-customers forget with probability ``forgetting``; then unaware customers learn of
j with the probability that brings the aware fraction up to A_sj. Customers always know the
product they use.
"""

from __future__ import annotations

import numpy as np

from engine import market
from engine.population import Population
from engine.scenario import Advertising


def next_goodwill(goodwill: np.ndarray, spend: np.ndarray, adv: Advertising) -> np.ndarray:
    """Adstock: G ← λ·G + spend / cost_per_point."""
    return adv.carryover * goodwill + spend / adv.cost_per_point


def awareness_target(
    goodwill: np.ndarray, installed_share: np.ndarray, adv: Advertising
) -> np.ndarray:
    """A = clip(1 − exp(−κ·G) + wom·installed/M, 0, 1)."""
    raw = 1.0 - np.exp(-adv.reach * goodwill) + adv.word_of_mouth * installed_share
    return np.clip(raw, 0.0, 1.0)


def starting_goodwill(
    awareness: np.ndarray, installed_share: np.ndarray, adv: Advertising
) -> np.ndarray:
    """Goodwill that, with today's installed base, explains the starting awareness."""
    paid = np.clip(awareness - adv.word_of_mouth * installed_share, 0.0, 0.99)
    return -np.log1p(-paid) / adv.reach


def steady_spend(goodwill: np.ndarray, adv: Advertising) -> np.ndarray:
    """Spend per quarter that keeps goodwill where it is: (1 − λ)·G·cost_per_point."""
    return (1.0 - adv.carryover) * goodwill * adv.cost_per_point


def own_customers(pop: Population) -> np.ndarray:
    """Boolean (J, N): customer i currently uses product j."""
    return market.owners(pop.current, pop.aware.shape[0])


def update_awareness(
    pop: Population, target: np.ndarray, forgetting: float, rng: np.random.Generator
) -> None:
    """Forget, then top up each product's aware fraction to ``target`` (in place)."""
    owners = own_customers(pop)
    aware = pop.aware
    aware |= owners
    shape = aware.shape
    forget = aware & ~owners & (rng.random(shape, dtype=np.float32) < forgetting)
    aware &= ~forget
    fraction = aware.mean(axis=1)
    need = np.clip((target - fraction) / np.maximum(1.0 - fraction, 1e-9), 0.0, 1.0)
    aware |= rng.random(shape, dtype=np.float32) < need.astype(np.float32)[:, None]
