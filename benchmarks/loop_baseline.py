"""The market step written as a plain per-customer Python loop: the speed baseline.

Same model as ``engine.market.utility_matrix`` + ``engine.market.choose_segments`` (utility with
ideal-point distance, log price and switching cost; churn trigger; inverse-CDF draw), one
customer and one product at a time, with no numpy in the loop. ``market_step.py`` times it
side by side with the vectorised engine.
"""

from __future__ import annotations

import math
import random


def loop_step(
    ideals: list[list[float]],
    weights: list[list[float]],
    alpha: list[float],
    theta: list[float],
    current: list[int],
    aware: list[list[bool]],
    attributes: list[list[float]],
    constant: list[float],
    log_price: list[float],
    switching_cost: float,
    outside_utility: float,
    churn_gap: float,
    rng: random.Random,
) -> list[int]:
    """Each customer's product after one quarter (-1: none)."""
    n_prod = len(constant)
    out = []
    for i in range(len(alpha)):
        x, w, cur = ideals[i], weights[i], current[i]
        util = []
        for j in range(n_prod):
            dist = 0.0
            for k in range(len(x)):
                d = attributes[j][k] - x[k]
                dist += w[k] * d * d
            util.append(constant[j] - dist - alpha[i] * log_price[j])
        penalty = switching_cost if cur >= 0 else 0.0
        best = outside_utility
        for j in range(n_prod):
            if aware[i][j] and j != cur:
                best = max(best, util[j] - penalty)
        own = util[cur] if cur >= 0 else outside_utility
        prob = min(1.0, theta[i] * (1.0 + churn_gap * max(0.0, best - own)))
        if rng.random() >= prob:
            out.append(cur)
            continue
        exps = []
        for j in range(n_prod):
            v = util[j] - (penalty if j != cur else 0.0)
            exps.append(math.exp(v) if aware[i][j] else 0.0)
        total = math.exp(outside_utility) + sum(exps)
        target = rng.random() * total - math.exp(outside_utility)
        choice = -1
        if target > 0:
            acc = 0.0
            for j in range(n_prod):
                acc += exps[j]
                if acc >= target:
                    choice = j
                    break
            else:
                choice = n_prod - 1
        out.append(choice)
    return out
