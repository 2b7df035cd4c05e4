"""Mixed-logit choice: utilities, churn triggers, inverse-CDF draws and satisfaction.

Every function works on whole arrays so one quarter of a segment is a handful of numpy
operations. Layout: customer×product arrays are stored product-major, shape (J, N), and
per-customer attribute arrays attribute-major, (K, N): reductions over the few products then
run along long contiguous rows, which is several times faster than reducing short rows.
The same kernels serve the real market step, the expected-share model behind the
explanations and the AI rivals' profit model, so all three agree on what a customer wants.

Utility of product j for customer i (see docs/model.md):
V_ij = constant_j − Σ_k w_ik (z_jk − x_ik)² − α_i·ln(p_j / p_ref)
constant_j = brand_j + quality_weight·quality_j + network_weight·ln(1 + installed_j / M_s)
The weighted distance is expanded as Σ w z² − 2 Σ (w x) z + Σ w x², so with per-customer
terms T = [w; w·x; Σ w x²; α] (2K+2 rows) and per-product terms [−z², 2z, −1, −ln p/p_ref]
the whole utility matrix is ONE matrix product plus the constant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.population import NO_PRODUCT
from engine.scenario import Choice, Segment

UNREACHABLE = np.float32(-1e30)
"""Added to the utility of a product that is not an option; exp() of it is exactly 0."""


@dataclass(frozen=True)
class Offer:
    """What a segment's customers evaluate: per-product arrays in product order (or, built
    for every segment at once, ``constant`` and ``log_price`` of shape (S, J): one row per
    segment, see :func:`utilities`)."""

    attributes: np.ndarray  # (J, K) float32, z_jk
    constant: np.ndarray  # (J,) float32, brand + β_Q·quality + β_N·ln(1 + installed/M)
    log_price: np.ndarray  # (J,) float32, ln(p_j / p_ref_s)

    def terms(self) -> np.ndarray:
        """Per-product coefficients [−z², 2z, −1, −ln(p/p_ref)], float32 (J, 2K+2), or
        (S, J, 2K+2) for an offer built for every segment (only the price column differs)."""
        z = self.attributes
        k = z.shape[1]
        out = np.empty((*self.log_price.shape, 2 * k + 2), dtype=np.float32)
        np.multiply(-z, z, out=out[..., :k])
        np.multiply(2.0, z, out=out[..., k : 2 * k])
        out[..., 2 * k] = -1.0
        np.negative(self.log_price, out=out[..., 2 * k + 1])
        return out


def make_offer(
    attributes: np.ndarray,
    quality: np.ndarray,
    brand: np.ndarray,
    price: np.ndarray,
    installed_share: np.ndarray,
    reference_price: float | np.ndarray,
    choice: Choice,
) -> Offer:
    """Build an :class:`Offer`; ``installed_share`` is installed_j / M_s for the segment.

    With ``installed_share`` (S, J) and ``reference_price`` (S, 1) it builds every segment's
    offer at once (element by element the same numbers), to be split by :meth:`Offer.segment`.
    """
    constant = (
        brand + choice.quality_weight * quality + choice.network_weight * np.log1p(installed_share)
    )
    return Offer(
        attributes=np.asarray(attributes, dtype=np.float32).reshape(constant.shape[-1], -1),
        constant=np.asarray(constant, dtype=np.float32),
        log_price=np.log(np.asarray(price, dtype=np.float64) / reference_price).astype(np.float32),
    )


def people_terms(
    offset: np.ndarray,
    weight_mult: np.ndarray,
    alpha_mult: np.ndarray,
    ideal: np.ndarray,
    weights: np.ndarray,
    sensitivity: np.ndarray | np.float32,
) -> np.ndarray:
    """Customer terms of people from their segment's numbers and their own multipliers:
    ideals x_i = clip(x̄ + offset_i, 0, 1), weights w_ik = w_k·multiplier_ik and price
    sensitivity α_i = α·multiplier_i (float32; ``ideal``/``weights`` (K, 1) for one segment's
    people or (K, N) per person, ``sensitivity`` a scalar or (N,))."""
    ideals = offset + ideal
    np.clip(ideals, 0.0, 1.0, out=ideals)
    k, n = ideals.shape
    out = np.empty((2 * k + 2, n), dtype=np.float32)  # w and α written straight into place
    np.multiply(weight_mult, weights, out=out[:k])
    np.multiply(alpha_mult, sensitivity, out=out[2 * k + 1])
    return _ideal_terms(out, ideals)


def customer_terms(ideals: np.ndarray, weights: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Per-customer terms [w; w·x; Σ w x²; α], float32 (2K+2, N), from (K,N), (K,N), (N,)."""
    k, n = ideals.shape
    out = np.empty((2 * k + 2, n), dtype=np.float32)
    out[:k] = weights
    out[2 * k + 1] = alpha
    return _ideal_terms(out, ideals)


def _ideal_terms(out: np.ndarray, ideals: np.ndarray) -> np.ndarray:
    """Fill the rows w·x and Σ w x² of terms ``out`` whose w (and α) rows are written."""
    k = ideals.shape[0]
    np.multiply(out[:k], ideals, out=out[k : 2 * k])
    np.einsum("kn,kn->n", out[k : 2 * k], ideals, out=out[2 * k])
    return out


def utilities(terms: np.ndarray, offer: Offer, sizes: Sequence[int] | None = None) -> np.ndarray:
    """V (without the switching cost), float32 (J, N): one matrix product.

    With an offer built for every segment at once, ``terms`` holds every segment's customers
    side by side (``sizes[s]`` of segment ``s``, in order): each segment's block of columns
    is its own product, written in place into the one (J, N) array.

    ``einsum`` rather than ``@``: numpy's own loop is bit-identical on every machine and
    does not fight other processes for cores the way a threaded BLAS does.
    """
    products, constant = offer.terms(), offer.constant
    if sizes is None:  # one segment: a stack of one
        products, constant, sizes = products[None], constant[None], [terms.shape[1]]
    out = np.empty((len(offer.attributes), terms.shape[1]), dtype=np.float32)
    start = 0
    for s, n in enumerate(sizes):
        block = out[:, start : start + n]
        np.einsum("jk,kn->jn", products[s], terms[:, start : start + n], out=block)
        block += constant[s][:, None]
        start += n
    return out


def utility_matrix(
    ideals: np.ndarray, weights: np.ndarray, alpha: np.ndarray, offer: Offer
) -> np.ndarray:
    """V (without the switching cost), float32 (J, N), from ideals and weights (K, N)."""
    return utilities(customer_terms(ideals, weights, alpha), offer)


def owners(current: np.ndarray, n_products: int) -> np.ndarray:
    """Boolean (J, N): customer i currently uses product j."""
    return current[None, :] == np.arange(n_products, dtype=current.dtype)[:, None]


def _excluded(aware: np.ndarray, own: np.ndarray) -> np.ndarray:
    """UNREACHABLE where a product is not an option (unaware of it, or already using it)."""
    return UNREACHABLE * (own | ~aware)


def best_alternative(
    utility: np.ndarray,
    current: np.ndarray,
    aware: np.ndarray,
    switching_cost: float | np.ndarray,
    outside_utility: float | np.ndarray,
    own: np.ndarray | None = None,
) -> np.ndarray:
    """max(V_0, max over aware k ≠ current of V_ik − switching cost), per customer.

    The switching cost only applies to customers who own a product. Masks are applied by
    arithmetic (adding ``UNREACHABLE``), which is far faster than ``where=`` loops. ``own``
    is ``owners(current, J)`` when the caller has it already.
    """
    own = owners(current, utility.shape[0]) if own is None else own
    best = _excluded(aware, own)
    best += utility
    best = best.max(axis=0)
    best -= np.float32(switching_cost) * (current >= 0)
    return np.maximum(best, np.float32(outside_utility))


def current_utility(
    utility: np.ndarray,
    current: np.ndarray,
    outside_utility: float | np.ndarray,
    own: np.ndarray | None = None,
) -> np.ndarray:
    """V of each customer's current product, or V_0 for customers without one."""
    own = owners(current, utility.shape[0]) if own is None else own
    picked = (utility * own).sum(axis=0)
    return np.where(current >= 0, picked, np.float32(outside_utility))


def satisfaction_gap(
    utility: np.ndarray,
    current: np.ndarray,
    aware: np.ndarray,
    switching_cost: float | np.ndarray,
    outside_utility: float | np.ndarray,
    own: np.ndarray | None = None,
) -> np.ndarray:
    """V_current − best alternative, per customer (V_current = V_0 without a product)."""
    own = owners(current, utility.shape[0]) if own is None else own
    alt = best_alternative(utility, current, aware, switching_cost, outside_utility, own)
    return current_utility(utility, current, outside_utility, own) - alt


def rechoice_probability(
    utility: np.ndarray,
    current: np.ndarray,
    fresh: np.ndarray,
    aware: np.ndarray,
    theta: np.ndarray,
    switching_cost: float | np.ndarray,
    outside_utility: float | np.ndarray,
    churn_gap: float,
    reconsider: float | np.ndarray,
    own: np.ndarray | None = None,
    gap: np.ndarray | None = None,
) -> np.ndarray:
    """Chance each in-market customer re-chooses this quarter.

    New entrants (``fresh``) always choose. A user re-chooses with
    t_i = min(1, θ_i·(1 + churn_gap·max(0, V_best_alt − V_current))). A customer without a
    product (V_current = V_0) looks again with 1 − (1 − reconsider)·(1 − t_i): either their
    own restlessness or a fresh look at the offers, the segment's ``reconsider`` chance.
    ``gap`` is ``satisfaction_gap`` of these arguments when the caller has it already.
    """
    if gap is None:
        gap = satisfaction_gap(utility, current, aware, switching_cost, outside_utility, own)
    prob = np.minimum(theta * (1.0 + churn_gap * np.maximum(-gap, 0.0)), 1.0)
    looking = 1.0 - np.float32(1.0 - reconsider) * (1.0 - prob)
    prob = np.where(current >= 0, prob, looking)
    return np.where(fresh, 1.0, prob)


def choice_weights(
    utility: np.ndarray,
    current: np.ndarray,
    aware: np.ndarray,
    switching_cost: float | np.ndarray,
    outside_utility: float | np.ndarray,
    own: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Unnormalised logit weights (J, N; zero for unaware products) and the outside weight."""
    own = owners(current, utility.shape[0]) if own is None else own
    v = utility - np.float32(switching_cost) * ((current >= 0) & ~own)
    v += UNREACHABLE * ~aware  # exp() of an unaware product is exactly 0, never inf·0
    top = np.maximum(v.max(axis=0), np.float32(outside_utility))
    v -= top[None, :]
    np.exp(v, out=v)
    return v, np.exp(np.float32(outside_utility) - top)


def choice_probabilities(
    utility: np.ndarray,
    current: np.ndarray,
    aware: np.ndarray,
    switching_cost: float | np.ndarray,
    outside_utility: float | np.ndarray,
) -> np.ndarray:
    """P_ij = exp(V_ij)/(exp(V_0) + Σ_aware exp(V_ik)) with the switching cost, (J, N)."""
    weights, outside = choice_weights(utility, current, aware, switching_cost, outside_utility)
    return weights / (outside + weights.sum(axis=0))[None, :]


def draw_choice(weights: np.ndarray, outside: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """One draw per customer by inverse CDF: product index, or -1 for the outside option."""
    n_prod = weights.shape[0]
    target = uniform * (outside + weights.sum(axis=0)) - outside
    acc = np.zeros(target.shape, dtype=target.dtype)
    picked = np.zeros(target.shape, dtype=np.int16)
    for j in range(n_prod):
        acc += weights[j]
        picked += acc < target
    np.minimum(picked, n_prod - 1, out=picked)
    return np.where(target <= 0.0, np.int16(NO_PRODUCT), picked)


def choose_segments(
    utility: np.ndarray,
    current: np.ndarray,
    fresh: np.ndarray,
    aware: np.ndarray,
    theta: np.ndarray,
    sizes: Sequence[int],
    segments: Sequence[Segment],
    churn_gap: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """One quarter of choice in every segment: churn triggers, then one inverse-CDF draw
    per re-chooser.

    The arrays hold every segment's in-market customers side by side (``sizes[s]`` of
    segment ``s``, in order). Every kernel works customer by customer, so one pass over all
    segments gives each customer the numbers a pass over its own segment would, with a
    third of the numpy calls. The draws are taken segment by segment: ``sizes[s]``
    uniforms for the triggers, then one per re-chooser. Returns every customer's product
    after the quarter (-1: none) and the sorted indices of the customers who chose (the
    quarter's choosers, whatever they picked).
    """
    sc = per_customer([s.switching_cost for s in segments], sizes)
    v0 = per_customer([s.outside_utility for s in segments], sizes)
    reconsider = per_customer([s.reconsider for s in segments], sizes)
    own = owners(current, utility.shape[0])
    prob = rechoice_probability(
        utility, current, fresh, aware, theta, sc, v0, churn_gap, reconsider, own
    )
    chosen, uniforms = [], []
    start = 0
    for n in sizes:
        picked = (rng.random(n, dtype=np.float32) < prob[start : start + n]).nonzero()[0]
        chosen.append(picked + start if start else picked)
        uniforms.append(rng.random(picked.size, dtype=np.float32))
        start += n
    movers = chosen[0] if len(chosen) == 1 else np.concatenate(chosen)
    weights, outside = choice_weights(  # take: fancy indexing of columns is far slower
        utility.take(movers, axis=1),
        current[movers],
        aware.take(movers, axis=1),
        sc[movers] if isinstance(sc, np.ndarray) else sc,
        v0[movers] if isinstance(v0, np.ndarray) else v0,
        own.take(movers, axis=1),
    )
    out = current.copy()
    draws = uniforms[0] if len(uniforms) == 1 else np.concatenate(uniforms)
    out[movers] = draw_choice(weights, outside, draws)
    return out, movers


def per_customer(values: Sequence[float], sizes: Sequence[int]) -> float | np.ndarray:
    """A segment parameter for every customer: the number itself when every segment has the
    same (the kernels then work with a scalar, as for one segment), else one per customer."""
    if values and values.count(values[0]) == len(values):
        return values[0]
    return np.repeat(np.asarray(values, dtype=float), np.asarray(sizes, dtype=np.int64))
