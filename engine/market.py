"""Mixed-logit choice: utilities, churn triggers, inverse-CDF draws and satisfaction.

Every function works on whole arrays (customers × products) so one quarter of a segment is
a handful of numpy operations. The same kernels serve the real market step, the
expected-share model behind the explanations and the AI rivals' profit model, so all three
agree on what a customer wants.

Utility of product j for customer i (see docs/model.md):
V_ij = constant_j − Σ_k w_ik (z_jk − x_ik)² − α_i·ln(p_j / p_ref)
constant_j = brand_j + quality_weight·quality_j + network_weight·ln(1 + installed_j / M_s)
The weighted distance is expanded as Σ w z² − 2 Σ (w x) z + Σ w x² so it is three matrix
products instead of an N×J×K tensor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.population import NO_PRODUCT
from engine.scenario import Choice


@dataclass(frozen=True)
class Offer:
    """What a segment's customers evaluate: per-product arrays in product order."""

    attributes: np.ndarray  # (J, K) float32, z_jk
    constant: np.ndarray  # (J,) float32, brand + β_Q·quality + β_N·ln(1 + installed/M)
    log_price: np.ndarray  # (J,) float32, ln(p_j / p_ref_s)


def make_offer(
    attributes: np.ndarray,
    quality: np.ndarray,
    brand: np.ndarray,
    price: np.ndarray,
    installed_share: np.ndarray,
    reference_price: float,
    choice: Choice,
) -> Offer:
    """Build an :class:`Offer`; ``installed_share`` is installed_j / M_s for the segment."""
    constant = (
        brand + choice.quality_weight * quality + choice.network_weight * np.log1p(installed_share)
    )
    return Offer(
        attributes=np.asarray(attributes, dtype=np.float32),
        constant=np.asarray(constant, dtype=np.float32),
        log_price=np.log(np.asarray(price, dtype=np.float64) / reference_price).astype(np.float32),
    )


def utility_matrix(
    ideals: np.ndarray, weights: np.ndarray, alpha: np.ndarray, offer: Offer
) -> np.ndarray:
    """V_ij without the switching cost, float32 (N×J)."""
    z = offer.attributes
    wx = weights * ideals
    dist = weights @ (z * z).T
    dist -= 2.0 * (wx @ z.T)
    dist += np.einsum("ik,ik->i", wx, ideals)[:, None]
    out = offer.constant[None, :] - dist
    out -= alpha[:, None] * offer.log_price[None, :]
    return out


def _switch_penalty(n_products: int, current: np.ndarray, switching_cost: float) -> np.ndarray:
    """switching_cost where j ≠ current_i for customers who own a product, else 0 (N×J)."""
    cols = np.arange(n_products, dtype=current.dtype)
    owns = (current >= 0)[:, None]
    return np.where(owns & (cols[None, :] != current[:, None]), np.float32(switching_cost), 0.0)


def best_alternative(
    utility: np.ndarray,
    current: np.ndarray,
    aware: np.ndarray,
    switching_cost: float,
    outside_utility: float,
) -> np.ndarray:
    """max(V_0, max over aware k ≠ current of V_ik − switching cost), per customer.

    The switching cost only applies to customers who own a product.
    """
    cols = np.arange(utility.shape[1])
    others = aware & (cols[None, :] != current[:, None])
    penalty = np.where(current >= 0, np.float32(switching_cost), np.float32(0.0))
    best = np.where(others, utility, -np.inf).max(axis=1, initial=-np.inf) - penalty
    return np.maximum(best, np.float32(outside_utility))


def current_utility(utility: np.ndarray, current: np.ndarray, outside_utility: float) -> np.ndarray:
    """V of each customer's current product, or V_0 for customers without one."""
    rows = np.arange(utility.shape[0])
    picked = utility[rows, np.maximum(current, 0)]
    return np.where(current >= 0, picked, np.float32(outside_utility))


def rechoice_probability(
    utility: np.ndarray,
    current: np.ndarray,
    fresh: np.ndarray,
    aware: np.ndarray,
    theta: np.ndarray,
    switching_cost: float,
    outside_utility: float,
    churn_gap: float,
) -> np.ndarray:
    """Chance each in-market customer re-chooses this quarter.

    New entrants (``fresh``) always choose; everyone else, owner or not, re-chooses with
    min(1, θ_i·(1 + churn_gap·max(0, V_best_alt − V_current))), where a customer without a
    product has V_current = V_0.
    """
    gap = satisfaction_gap(utility, current, aware, switching_cost, outside_utility)
    prob = theta * (1.0 + churn_gap * np.maximum(-gap, 0.0))
    return np.where(fresh, 1.0, np.minimum(prob, 1.0))


def choice_weights(
    utility: np.ndarray,
    current: np.ndarray,
    aware: np.ndarray,
    switching_cost: float,
    outside_utility: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Unnormalised logit weights (N×J, zero for unaware products) and the outside weight (N)."""
    v = utility - _switch_penalty(utility.shape[1], current, switching_cost)
    top = np.where(aware, v, -np.inf).max(axis=1, initial=-np.inf)
    top = np.maximum(top, np.float32(outside_utility))
    weights = np.exp(v - top[:, None]) * aware
    return weights.astype(np.float32, copy=False), np.exp(np.float32(outside_utility) - top)


def choice_probabilities(
    utility: np.ndarray,
    current: np.ndarray,
    aware: np.ndarray,
    switching_cost: float,
    outside_utility: float,
) -> np.ndarray:
    """P_ij = exp(V_ij)/(exp(V_0) + Σ_aware exp(V_ik)) with the switching cost applied."""
    weights, outside = choice_weights(utility, current, aware, switching_cost, outside_utility)
    return weights / (outside + weights.sum(axis=1))[:, None]


def draw_choice(weights: np.ndarray, outside: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """One draw per customer by inverse CDF: product index, or -1 for the outside option."""
    cum = np.cumsum(weights, axis=1)
    target = uniform * (outside + cum[:, -1]) - outside
    picked = (cum < target[:, None]).sum(axis=1)
    picked = np.minimum(picked, weights.shape[1] - 1)
    return np.where(target <= 0.0, NO_PRODUCT, picked).astype(np.int16)


def satisfaction_gap(
    utility: np.ndarray,
    current: np.ndarray,
    aware: np.ndarray,
    switching_cost: float,
    outside_utility: float,
) -> np.ndarray:
    """V_current − best alternative, per customer (V_current = V_0 without a product)."""
    alt = best_alternative(utility, current, aware, switching_cost, outside_utility)
    return current_utility(utility, current, outside_utility) - alt
