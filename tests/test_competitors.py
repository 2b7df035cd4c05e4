"""Each AI archetype behaves as its name says, on what it can observe."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
import pytest
from market_scenarios import player, product, rival, scenario, segment

from engine import competitors
from engine.competitors import capped_routine, margin_price
from engine.decisions import Decisions, ProductDecision
from engine.simulation import Simulation


def _duel(
    ai: dict[str, Any],
    segments: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    **rival_product: Any,
) -> Simulation:
    """The player's product 'mine' (big, in s1) against one AI product 'theirs'."""
    segs = segments or [segment(resolution=500)]
    mine = product(
        "mine", customers={segs[0]["id"]: 1000.0}, awareness={s["id"]: 0.5 for s in segs}
    )
    theirs = product("theirs", **{"customers": {segs[0]["id"]: 500.0}, **rival_product})
    firms = [player([mine]), rival("ai", ai, [theirs])]
    return Simulation(scenario(firms, segs, format=2, events=events or []), seed=4)


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


def _prices(sim: Simulation, pid: str) -> list[float]:
    return [r.products[pid].price for r in sim.history]


def _cost_event(change: float) -> list[dict[str, Any]]:
    """A supplier event in quarter 1 that scales the AI product's unit cost."""
    effect = {"type": "unit_cost", "product": "theirs", "change": change}
    return [{"id": "supplier", "title": "Supplier", "quarter": 1, "effects": [effect]}]


def test_incumbent_holds_its_price_when_its_margin_holds_even_if_it_loses_share() -> None:
    """No share reaction: at its starting margin the incumbent keeps its price."""
    sim = _duel({"archetype": "incumbent", "max_price_step": 0.03}, price=150.0, unit_cost=60.0)
    cheap = {"player": Decisions(products={"mine": ProductDecision(price=40.0)})}
    for _ in range(4):
        sim.step(cheap)
    assert _prices(sim, "theirs") == [150.0] * 5


def test_incumbent_without_unit_cost_holds_its_price() -> None:
    ai = {"archetype": "incumbent", "max_price_step": 0.1, "margin_target": 0.5}
    sim = _duel(ai, price=150.0)
    for _ in range(3):
        sim.step({})
    assert _prices(sim, "theirs") == [150.0] * 4


def test_incumbent_passes_on_a_cost_rise_step_by_step_until_its_margin_is_back() -> None:
    """Cost 40 → 60 at price 100 (margin 60%): p* = 60/0.4 = 150, at most +10% a quarter."""
    ai = {"archetype": "incumbent", "max_price_step": 0.1, "improvement": 0.0}
    sim = _duel(ai, events=_cost_event(0.5), price=100.0, unit_cost=40.0)
    for _ in range(6):
        sim.step({})
    assert _prices(sim, "theirs") == pytest.approx(
        [100.0, 110.0, 121.0, 133.1, 146.41, 150.0, 150.0]
    )
    texts = [r.competitor_moves[0].text for r in sim.history[1:]]
    assert "raised the price of Theirs 10% to $110" in texts[0]
    assert "passing on higher costs" in texts[0]
    assert "60% margin" in texts[0]
    assert texts[-1] == "Ai held Theirs steady."


def test_incumbent_passes_on_a_cost_cut_slowly() -> None:
    ai = {"archetype": "incumbent", "max_price_step": 0.05, "improvement": 0.0}
    sim = _duel(ai, events=_cost_event(-0.5), price=100.0, unit_cost=40.0)
    for _ in range(3):
        sim.step({})
    assert _prices(sim, "theirs") == pytest.approx([100.0, 95.0, 90.25, 85.7375])
    assert "passing on lower costs" in sim.history[-1].competitor_moves[0].text


def test_incumbent_raises_its_price_toward_a_margin_target_above_its_start() -> None:
    """Start margin 60%, target 70%: p* = 40/0.3 ≈ 133.33, reached in +5% steps, then held."""
    ai = {"archetype": "incumbent", "max_price_step": 0.05, "margin_target": 0.7}
    sim = _duel(ai, price=100.0, unit_cost=40.0)
    for _ in range(8):
        sim.step({})
    prices = np.array(_prices(sim, "theirs"))
    steps = prices[1:] / prices[:-1] - 1.0
    assert (steps >= 0).all() and (steps <= 0.05 + 1e-12).all()
    assert prices[1] == pytest.approx(105.0)
    assert prices[-1] == pytest.approx(40.0 / 0.3) and prices[-2] == prices[-1]
    assert "moving toward its 70% margin target" in sim.history[1].competitor_moves[0].text


def test_margin_price_rule() -> None:
    assert margin_price(100.0, 60.0, 0.6, 0.1) == pytest.approx(110.0)
    assert margin_price(100.0, 60.0, 0.6, 1.0) == pytest.approx(150.0)
    assert margin_price(100.0, 20.0, 0.6, 0.1) == pytest.approx(90.0)
    assert margin_price(100.0, 0.0, 0.6, 0.1) == 100.0  # any price has margin 1
    assert margin_price(100.0, 40.0, 1.0, 0.1) == 100.0  # no price has margin 1


def _two_product_firm(ai: dict[str, Any]) -> Simulation:
    """An AI firm with a product that has customers and one that has none, against us."""
    segs = [segment("s1", resolution=300), segment("s2", ideal={"a": 0.1, "b": 0.9})]
    segs[1]["resolution"] = 300
    mine = product("mine", customers={"s1": 1000.0}, awareness={"s1": 0.5, "s2": 0.5})
    big = product("big", customers={"s1": 600.0, "s2": 200.0}, unit_cost=30.0)
    new = product("new", attributes={"a": 0.3, "b": 0.7}, unit_cost=30.0)
    firms = [player([mine]), rival("ai", {"marketing": 30_000.0, **ai}, [big, new])]
    return Simulation(scenario(firms, segs, format=2), seed=7)


@pytest.mark.parametrize(
    "ai",
    [
        {"archetype": "incumbent"},
        {"archetype": "price_follower"},
        {"archetype": "fast_follower"},
        {"archetype": "innovator", "jump_probability": 0.5},
        {"archetype": "niche", "target_segment": "s2"},
        {"archetype": "best_response", "inertia": 0.2},
    ],
    ids=lambda ai: ai["archetype"],
)
def test_a_two_product_firm_spends_its_marketing_budget_once(ai: dict[str, Any]) -> None:
    sim = _two_product_firm(ai)
    for _ in range(3):
        report = sim.step({})
        spend = {m.product: m.marketing for m in report.competitor_moves}
        assert sum(spend.values()) == pytest.approx(30_000.0, rel=1e-12)
        assert spend["big"] > spend["new"] > 0.0
        for pid, total in spend.items():
            by_segment = report.products[pid].marketing_by_segment
            assert sum(by_segment.values()) == pytest.approx(total, rel=1e-12)


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


def test_capped_routine_never_passes_the_ideal() -> None:
    z = np.array([0.5, 0.5])
    np.testing.assert_allclose(capped_routine(z, np.array([0.9, 0.9]), 0, 0.05), [0.55, 0.5])
    np.testing.assert_allclose(capped_routine(z, np.array([0.52, 0.9]), 0, 0.05), [0.52, 0.5])
    # at (or past) the ideal on the chosen attribute: the largest shortfall gets the gain
    np.testing.assert_allclose(capped_routine(z, np.array([0.5, 0.9]), 0, 0.05), [0.5, 0.55])
    np.testing.assert_allclose(capped_routine(z, np.array([0.3, 0.53]), 0, 0.05), [0.5, 0.53])
    # at the ideal everywhere, or no improvement: nothing moves (and nothing goes down)
    np.testing.assert_allclose(capped_routine(z, np.array([0.4, 0.5]), 0, 0.05), z)
    np.testing.assert_allclose(capped_routine(z, np.array([0.9, 0.9]), 0, 0.0), z)


def _niche_run(improvement: float, quarters: int) -> list[dict[str, float]]:
    """A niche rival after s2 (ideal a 0.5, b 0.9) while our product leads on a (0.9)."""
    segs = [
        segment("s1", resolution=300),
        segment("s2", ideal={"a": 0.5, "b": 0.9}, resolution=300),
    ]
    ai = {"archetype": "niche", "target_segment": "s2", "step": 0.05, "improvement": improvement}
    sim = _duel(ai, segs)
    sim.state.products[sim.state.product_index("mine")].attributes[0] = 0.9
    for _ in range(quarters):
        sim.step({})
    return [r.products["theirs"].attributes for r in sim.history]


def test_niche_routine_rd_speeds_it_up_but_never_passes_its_ideal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The largest gap to a rival is on a, where the niche is already at its ideal (0.5), so
    routine R&D goes to b: 0.05 (step) + 0.05 (improvement) a quarter, stopping at 0.9."""
    monkeypatch.setattr(competitors, "RESEARCH_NOISE", 0.0)
    plain, improving = _niche_run(0.0, 8), _niche_run(0.05, 8)
    assert [z["b"] for z in plain[:3]] == pytest.approx([0.5, 0.55, 0.6])
    assert [z["b"] for z in improving[:3]] == pytest.approx([0.5, 0.6, 0.7])
    assert improving[5]["b"] == pytest.approx(0.9) and plain[5]["b"] < 0.9
    for z in plain + improving:
        assert z["a"] == pytest.approx(0.5) and z["b"] <= 0.9 + 1e-12


def _innovator_run(improvement: float, quarters: int) -> Simulation:
    served = segment("s1", in_market=0.3, resolution=300)
    empty = segment(
        "s2",
        in_market=0.8,
        size=50_000.0,
        ideal={"a": 0.9, "b": 0.8},
        outside_utility=3.0,
        resolution=300,
    )
    ai = {"archetype": "innovator", "step": 0.05, "jump_probability": 0.0}
    sim = _duel({**ai, "improvement": improvement}, [served, empty])
    for _ in range(quarters):
        sim.step({})
    return sim


def test_innovator_routine_rd_speeds_it_up_but_never_passes_its_ideal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(competitors, "RESEARCH_NOISE", 0.0)
    ideal = {"a": 0.9, "b": 0.8}

    def gaps(sim: Simulation) -> list[float]:
        """Distance to the s2 ideal each quarter; checks no attribute ever passes it."""
        out = []
        for report in sim.history:
            z = report.products["theirs"].attributes
            assert all(z[k] <= ideal[k] + 1e-12 for k in ideal)
            out.append(float(np.hypot(ideal["a"] - z["a"], ideal["b"] - z["b"])))
        return out

    plain, improving = gaps(_innovator_run(0.0, 10)), gaps(_innovator_run(0.05, 10))
    assert plain[:4] == pytest.approx([0.5, 0.45, 0.4, 0.35])
    assert all(i < p for i, p in zip(improving[1:6], plain[1:6], strict=True))
    assert improving[-1] == pytest.approx(0.0) and plain[-1] == pytest.approx(0.0)


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


def _crowd(seed: int) -> Simulation:
    """Us against four AI firms (one with two products), two segments."""
    segs = [segment("s1", resolution=300), segment("s2", ideal={"a": 0.2, "b": 0.8})]
    segs[1]["resolution"] = 300
    mine = product("mine", customers={"s1": 800.0}, awareness={"s1": 0.5, "s2": 0.3})
    firms = [
        player([mine]),
        rival(
            "inc",
            {"archetype": "incumbent", "margin_target": 0.7},
            [product("i1", customers={"s1": 500.0}, unit_cost=40.0), product("i2", price=80.0)],
        ),
        rival("inn", {"archetype": "innovator", "jump_probability": 0.3}, [product("n1")]),
        rival("nic", {"archetype": "niche", "target_segment": "s2"}, [product("c1")]),
        rival("br", {"archetype": "best_response", "candidates": 12}, [product("b1")]),
    ]
    return Simulation(scenario(firms, segs, format=2), seed=seed)


def test_rival_moves_are_deterministic_for_a_seed() -> None:
    a, b = _crowd(11), _crowd(11)
    for _ in range(4):
        a.step({})
        b.step({})
    moves_a = [[asdict(m) for m in r.competitor_moves] for r in a.history[1:]]
    moves_b = [[asdict(m) for m in r.competitor_moves] for r in b.history[1:]]
    assert moves_a == moves_b
    assert len(moves_a[0]) == 5
