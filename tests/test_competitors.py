"""Each AI archetype behaves as its name says, on what it can observe."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from market_scenarios import player, product, rival, scenario, segment

from engine.decisions import Decisions, ProductDecision
from engine.simulation import Simulation


def _duel(
    ai: dict[str, Any], segments: list[dict[str, Any]] | None = None, **rival_product: Any
) -> Simulation:
    """The player's product 'mine' (big, in s1) against one AI product 'theirs'."""
    segs = segments or [segment(resolution=500)]
    mine = product(
        "mine", customers={segs[0]["id"]: 1000.0}, awareness={s["id"]: 0.5 for s in segs}
    )
    theirs = product("theirs", **{"customers": {segs[0]["id"]: 500.0}, **rival_product})
    return Simulation(scenario([player([mine]), rival("ai", ai, [theirs])], segs), seed=4)


def _price(sim: Simulation, pid: str) -> float:
    return sim.history[-1].products[pid].price


def test_price_follower_follows_a_price_cut_after_its_lag() -> None:
    sim = _duel({"archetype": "price_follower", "rho": 0.8, "lag": 1, "improvement": 0.0})
    cut = {"player": Decisions(products={"mine": ProductDecision(price=80.0)})}
    sim.step(cut)
    assert _price(sim, "theirs") == pytest.approx(100.0)
    sim.step({})
    assert _price(sim, "theirs") == pytest.approx(100.0 * (1 - 0.8 * 0.2))
    move = sim.history[-1].competitor_moves[0]
    assert "cut the price" in move.text and "16%" in move.text
    sim.step({})
    assert _price(sim, "theirs") == pytest.approx(84.0)


def test_incumbent_holds_its_price_while_its_share_holds() -> None:
    sim = _duel({"archetype": "incumbent", "max_price_step": 0.02}, price=150.0)
    for _ in range(4):
        sim.step({})
    prices = [r.products["theirs"].price for r in sim.history]
    steps = np.abs(np.diff(prices)) / np.array(prices[:-1])
    assert (steps <= 0.02 + 1e-12).all()


def test_incumbent_cuts_price_slowly_when_it_loses_share() -> None:
    sim = _duel({"archetype": "incumbent", "max_price_step": 0.03}, price=150.0)
    cheap = {"player": Decisions(products={"mine": ProductDecision(price=40.0)})}
    for _ in range(3):
        sim.step(cheap)
    assert 150.0 * 0.97**3 - 1e-9 <= _price(sim, "theirs") < 150.0


def test_fast_follower_copies_the_leaders_gain_after_its_lag() -> None:
    sim = _duel({"archetype": "fast_follower", "lag": 2, "copy_fraction": 0.5, "improvement": 0.0})
    sim.state.products[0].attributes[1] += 0.2  # the player ships a feature (b +0.2)
    sim.step({})
    sim.step({})
    assert sim.history[-1].products["theirs"].attributes["b"] == pytest.approx(0.5)
    sim.step({})
    assert sim.history[-1].products["theirs"].attributes["b"] == pytest.approx(0.6)


def _distance(sim: Simulation, pid: str, seg: int) -> float:
    j = sim.state.product_index(pid)
    return float(np.linalg.norm(sim.state.products[j].attributes - sim.state.segments[seg].ideal))


def test_niche_player_moves_toward_its_segment_and_markets_only_there() -> None:
    segs = [
        segment("s1", resolution=300),
        segment("s2", ideal={"a": 0.1, "b": 0.9}, resolution=300),
    ]
    sim = _duel({"archetype": "niche", "target_segment": "s2", "step": 0.05}, segs)
    start = _distance(sim, "theirs", 1)
    for _ in range(4):
        sim.step({})
    assert _distance(sim, "theirs", 1) < start - 0.1
    spend = sim.history[-1].products["theirs"].marketing_by_segment
    assert spend["s1"] == 0.0 and spend["s2"] > 0.0


def test_innovator_moves_toward_the_underserved_segment() -> None:
    served = segment("s1", in_market=0.3, resolution=300)
    empty = segment(
        "s2",
        in_market=0.8,
        size=50_000.0,
        ideal={"a": 0.9, "b": 0.9},
        outside_utility=3.0,
        resolution=300,
    )
    sim = _duel({"archetype": "innovator", "step": 0.05, "jump_probability": 0.0}, [served, empty])
    start = _distance(sim, "theirs", 1)
    for _ in range(3):
        sim.step({})
    assert _distance(sim, "theirs", 1) < start - 0.1
    assert "moving toward S2" in sim.history[-1].competitor_moves[0].text


def test_best_response_stops_selling_below_cost() -> None:
    sim = _duel(
        {"archetype": "best_response", "inertia": 0.0, "temperature": 0.05, "candidates": 30},
        price=60.0,
        unit_cost=90.0,
    )
    for _ in range(4):
        sim.step({})
    assert _price(sim, "theirs") > 60.0 * 1.2


def test_best_response_inertia_one_never_moves() -> None:
    sim = _duel({"archetype": "best_response", "inertia": 1.0, "improvement": 0.05})
    for _ in range(3):
        sim.step({})
    assert _price(sim, "theirs") == 100.0
    assert sim.history[-1].products["theirs"].attributes == {"a": 0.5, "b": 0.5}


def test_rivals_ignore_hidden_customer_state() -> None:
    """Reshuffling which synthetic customer holds which taste leaves every AI move unchanged."""
    ai = {"archetype": "best_response", "inertia": 0.0, "candidates": 30}
    a, b = _duel(ai), _duel(ai)
    pop = b.state.segments[0].population
    order = np.random.default_rng(0).permutation(pop.n)
    owned = pop.current >= 0
    shuffled = np.flatnonzero(owned)[np.argsort(order[owned])]
    for name in ("offset", "weight_mult"):
        values = getattr(pop, name)
        values[:, owned] = values[:, shuffled]
    for name in ("alpha_mult", "theta"):
        values = getattr(pop, name)
        values[owned] = values[shuffled]
    from engine.competitors import decide_competitors

    moves_a = decide_competitors(a.quarter_context(), 1, a.streams.generator("competitors", 1))
    moves_b = decide_competitors(b.quarter_context(), 1, b.streams.generator("competitors", 1))
    assert [m.text for m in moves_a] == [m.text for m in moves_b]
