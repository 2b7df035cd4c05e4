"""Closed forms the market must reproduce: Bass diffusion, logit shares, price elasticity."""

from __future__ import annotations

import math

import numpy as np
import pytest
from market_scenarios import homogeneous_segment, player, product, scenario, segment

from engine import market
from engine.adoption import bass_step
from engine.decisions import Decisions, ProductDecision
from engine.population import NO_PRODUCT
from engine.simulation import Simulation


def test_installed_base_follows_the_continuous_bass_curve() -> None:
    """Everyone who enters buys the one product and nobody leaves: the installed base is the
    category, and it follows the continuous-time Bass solution stepped a quarter at a time."""
    p, q, size, start = 0.04, 1.2, 10_000.0, 100.0
    seg = segment(
        in_market=start / size,
        bass_p=p,
        bass_q=q,
        outside_utility=-20.0,
        churn={"a": 0.001, "b": 1000.0},
        resolution=20_000,
    )
    one = product("p", awareness={"s1": 1.0}, customers={"s1": start})
    sim = Simulation(scenario([player([one])], [seg], advertising={"forgetting": 0.0}), seed=3)
    fraction = start / size
    for _ in range(12):
        report = sim.step({})
        fraction = bass_step(fraction, p, q)
        assert report.products["p"].customers == pytest.approx(fraction * size, rel=0.02)


def _homogeneous(price_a: float = 100.0) -> Simulation:
    seg = homogeneous_segment(50_000)
    full = {"s1": 1.0}
    products = [
        product("pa", attributes={"a": 0.5, "b": 0.5}, price=price_a, awareness=full),
        product("pb", attributes={"a": 0.7, "b": 0.3}, price=130.0, awareness=full, brand=0.2),
        product("pc", attributes={"a": 0.4, "b": 0.6}, price=80.0, awareness=full, quality=0.5),
    ]
    sc = scenario([player(products)], [seg], advertising={"forgetting": 0.0, "reach": 5.0})
    return Simulation(sc, seed=11)


def _closed_form_logit(sim: Simulation) -> np.ndarray:
    seg = sim.state.segments[0]
    choice = sim.scenario.choice
    v = []
    for prod in sim.state.products:
        dist = float(np.sum(seg.weights * (prod.attributes - seg.ideal) ** 2))
        v.append(
            prod.brand
            + choice.quality_weight * prod.quality
            - dist
            - seg.price_sensitivity * math.log(prod.price / seg.spec.reference_price)
        )
    ev = np.exp(np.array(v))
    return ev / (math.exp(seg.spec.outside_utility) + ev.sum())


def test_homogeneous_segment_matches_closed_form_logit_shares() -> None:
    sim = _homogeneous()
    expected = _closed_form_logit(sim)
    report = sim.step({})
    got = np.array([report.products[p].share_by_segment["s1"] for p in ("pa", "pb", "pc")])
    assert np.abs(got - expected).max() < 0.01


def test_own_price_elasticity_is_minus_alpha_times_one_minus_share() -> None:
    base = _homogeneous()
    share = base.step({}).products["pa"].share_by_segment["s1"]
    raised = _homogeneous()
    cut = Decisions(products={"pa": ProductDecision(price=101.0)})
    share_up = raised.step({"player": cut}).products["pa"].share_by_segment["s1"]
    elasticity = math.log(share_up / share) / math.log(1.01)
    assert elasticity == pytest.approx(-3.3 * (1.0 - share), rel=0.15)


def test_inverse_cdf_draw_matches_probabilities() -> None:
    rng = np.random.default_rng(0)
    n = 200_000
    util = np.tile(np.array([[0.5], [-0.2], [1.0]], dtype=np.float32), (1, n))
    aware = np.ones((3, n), dtype=bool)
    aware[1] = False
    current = np.full(n, NO_PRODUCT, dtype=np.int16)
    weights, outside = market.choice_weights(util, current, aware, 0.3, 0.0)
    picked = market.draw_choice(weights, outside, rng.random(n))
    probs = market.choice_probabilities(util[:, :1], current[:1], aware[:, :1], 0.3, 0.0)[:, 0]
    assert not (picked == 1).any()
    for j in (0, 2):
        assert (picked == j).mean() == pytest.approx(probs[j], abs=0.005)
    assert (picked == NO_PRODUCT).mean() == pytest.approx(1 - probs.sum(), abs=0.005)


def test_switching_cost_and_churn_gap_shape_rechoice() -> None:
    util = np.array([[1.0, 1.0], [2.0, 0.5]], dtype=np.float32)  # (products, customers)
    current = np.array([0, 0], dtype=np.int16)
    aware = np.ones((2, 2), dtype=bool)
    theta = np.array([0.1, 0.1], dtype=np.float32)
    fresh = np.zeros(2, dtype=bool)
    prob = market.rechoice_probability(util, current, fresh, aware, theta, 0.5, -5.0, 1.0, 0.3)
    assert prob[0] == pytest.approx(0.1 * (1 + 0.5))  # rival ahead by 1.0 − 0.5 switching cost
    assert prob[1] == pytest.approx(0.1)  # nothing better: base propensity only
    # a customer without a product also takes a fresh look with the segment's chance (0.3)
    none = np.full(2, NO_PRODUCT, dtype=np.int16)
    looking = market.rechoice_probability(util, none, fresh, aware, theta, 0.5, -5.0, 1.0, 0.3)
    lead = np.maximum(util.max(axis=0) - (-5.0), 0.0)
    restless = np.minimum(0.1 * (1 + lead), 1.0)
    assert looking == pytest.approx(1 - 0.7 * (1 - restless))
    again = market.rechoice_probability(util, current, ~fresh, aware, theta, 0.5, -5.0, 1.0, 0.3)
    assert again.tolist() == [1.0, 1.0]


def test_utility_matrix_matches_the_direct_formula() -> None:
    rng = np.random.default_rng(1)
    ideals, weights = rng.random((3, 50)), rng.random((3, 50)) * 5
    alpha = rng.random(50) * 3
    offer = market.Offer(
        attributes=rng.random((4, 3)).astype(np.float32),
        constant=rng.random(4).astype(np.float32),
        log_price=rng.normal(size=4).astype(np.float32),
    )
    direct = (
        offer.constant[:, None]
        - (weights[None] * (offer.attributes[:, :, None] - ideals[None]) ** 2).sum(axis=1)
        - alpha[None, :] * offer.log_price[:, None]
    )
    fast = market.utility_matrix(
        ideals.astype(np.float32), weights.astype(np.float32), alpha.astype(np.float32), offer
    )
    assert np.allclose(fast, direct, atol=1e-4)


def test_awareness_follows_adstock_goodwill() -> None:
    seg = segment(in_market=0.0, bass_p=0.0, bass_q=0.0, resolution=20_000)
    # 1,000 per point per 1,000 people: a point costs 10,000 in this segment of 10,000
    adv = {"carryover": 0.6, "cost_per_point": 1_000.0, "reach": 0.3, "word_of_mouth": 0.0}
    sc = scenario([player([product("p")], cash=1e9)], [seg], advertising=adv)
    sim = Simulation(sc, seed=2)
    spend = Decisions(products={"p": ProductDecision(marketing={"s1": 20_000.0})})
    goodwill = 0.0
    for _ in range(8):
        report = sim.step({"player": spend})
        goodwill = 0.6 * goodwill + 2.0
        expected = 1.0 - math.exp(-0.3 * goodwill)
        assert report.products["p"].awareness_by_segment["s1"] == pytest.approx(expected, abs=0.02)


def test_word_of_mouth_keeps_a_big_installed_base_known() -> None:
    seg = segment(in_market=0.5, bass_p=0.0, bass_q=0.0, resolution=5_000)
    adv = {"word_of_mouth": 1.0, "forgetting": 0.5}
    users = product("p", customers={"s1": 4_000.0}, awareness={"s1": 0.4})
    sim = Simulation(scenario([player([users])], [seg], advertising=adv), seed=2)
    zero = Decisions(products={"p": ProductDecision(marketing={"s1": 0.0})})
    for _ in range(4):
        report = sim.step({"player": zero})
    installed = report.products["p"].customers / 10_000.0
    assert report.products["p"].awareness_by_segment["s1"] >= installed - 0.01
