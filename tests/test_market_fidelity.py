"""The market mechanics a marketing scientist would check: who growth adds, per-head reach,
how awareness combines and fades, Bass from published figures, who reconsiders, seating."""

from __future__ import annotations

import math

import numpy as np
import pytest
from market_scenarios import player, product, scenario, segment

from engine import awareness as aw
from engine import market
from engine.adoption import bass_fraction, bass_step
from engine.decisions import Decisions, ProductDecision
from engine.scenario import Advertising
from engine.simulation import Simulation

STILL = {"a": 0.001, "b": 1000.0}
"""A churn prior under which nobody leaves on their own."""


def _still_market(**seg: object) -> Simulation:
    """One product owning a fifth of a segment; no entry, no churn unless ``seg`` says so."""
    fields = {"in_market": 0.5, "bass_p": 0.0, "bass_q": 0.0, "churn": STILL, "reconsider": 0.0}
    spec = segment(**{**fields, **seg})
    one = product("p", awareness={"s1": 1.0}, customers={"s1": 2_000.0})
    return Simulation(scenario([player([one])], [spec], advertising={"forgetting": 0.0}), seed=4)


def test_growth_adds_people_outside_the_category_only() -> None:
    sim = _still_market(growth=0.05, outside_utility=-20.0)
    start = sim.history[0]
    size = 10_000.0
    for _ in range(4):
        report = sim.step({})
        size *= 1.05
        seg = report.segments["s1"]
        assert seg.size == pytest.approx(size)
        assert report.products["p"].customers == start.products["p"].customers
        assert seg.in_market == start.segments["s1"].in_market  # nobody entered
        assert seg.entered == 0 and seg.churned == 0 and seg.left == 0
        assert seg.joined == pytest.approx(size - size / 1.05, abs=2 * 5.0)  # 5 people each
    population = sim.state.segments[0].population
    assert population.alive * sim.state.segments[0].scale == pytest.approx(size, abs=5.0)


def test_a_growing_market_grows_the_category_only_through_bass_entry() -> None:
    grown = _still_market(growth=0.05, bass_p=0.2, bass_q=0.0, outside_utility=-20.0)
    entered = 0.0
    for _ in range(4):
        report = grown.step({})
        entered += report.segments["s1"].entered
    assert entered > 0
    assert report.segments["s1"].in_market == pytest.approx(5_000.0 + entered)
    assert report.products["p"].customers <= 2_000.0 + entered


def test_a_shrinking_market_removes_people_in_proportion_and_reports_them() -> None:
    sim = _still_market(growth=-0.1)
    before = sim.history[0]
    report = sim.step({})
    seg = report.segments["s1"]
    assert seg.size == pytest.approx(9_000.0)
    assert seg.left == pytest.approx(1_000.0, abs=5.0)
    assert seg.left_customers == pytest.approx(200.0, abs=10.0)  # a fifth were customers
    assert seg.in_market == pytest.approx(4_500.0, abs=10.0)
    share_before = before.products["p"].share_by_segment["s1"]
    assert report.products["p"].share_by_segment["s1"] == pytest.approx(share_before, abs=0.005)
    lost = before.products["p"].customers - report.products["p"].customers
    assert lost == pytest.approx(seg.left_customers + seg.churned)


def test_a_market_size_event_adds_non_adopters() -> None:
    spec = segment(in_market=0.5, bass_p=0.0, bass_q=0.0, churn=STILL, reconsider=0.0)
    one = product("p", awareness={"s1": 1.0}, customers={"s1": 2_000.0})
    boom = {
        "id": "boom",
        "title": "More people need it",
        "quarter": 1,
        "effects": [{"type": "segment_size", "segment": "s1", "change": 0.5}],
    }
    sc = scenario([player([one])], [spec], events=[boom], advertising={"forgetting": 0.0})
    report = Simulation(sc, seed=2).step({})
    seg = report.segments["s1"]
    assert seg.size == pytest.approx(15_000.0)
    assert seg.joined == pytest.approx(5_000.0, abs=5.0)
    assert seg.in_market == 5_000.0 and report.products["p"].customers == 2_000.0


def test_equal_spend_per_head_buys_equal_awareness_in_segments_of_any_size() -> None:
    small = segment("s1", size=1_200.0, in_market=0.0, bass_p=0.0, bass_q=0.0, resolution=6_000)
    large = segment("s2", size=200_000.0, in_market=0.0, bass_p=0.0, bass_q=0.0, resolution=6_000)
    adv = {"carryover": 0.6, "cost_per_point": 50.0, "reach": 0.3, "word_of_mouth": 0.0}
    sc = scenario([player([product("p")], cash=1e9)], [small, large], advertising=adv)
    sim = Simulation(sc, seed=6)
    per_head = 0.2  # money per person per quarter
    spend = {"s1": per_head * 1_200.0, "s2": per_head * 200_000.0}
    for _ in range(3):
        report = sim.step({"player": Decisions(products={"p": ProductDecision(marketing=spend)})})
    aware = report.products["p"].awareness_by_segment
    goodwill = 0.0
    for _ in range(3):
        goodwill = 0.6 * goodwill + per_head * 1000.0 / 50.0
    expected = 1.0 - math.exp(-0.3 * goodwill)
    assert aware["s1"] == pytest.approx(expected, abs=0.02)
    assert aware["s2"] == pytest.approx(expected, abs=0.02)


def test_media_cost_makes_a_segment_dearer_to_reach() -> None:
    adv = Advertising(cost_per_point=50.0)
    assert aw.point_cost(adv, 10_000.0, 3.0) == pytest.approx(3 * aw.point_cost(adv, 10_000.0, 1))
    assert aw.point_cost(adv, 20_000.0, 1.0) == pytest.approx(1_000.0)


def test_advertising_and_word_of_mouth_combine_as_probabilities() -> None:
    adv = Advertising(reach=0.5, word_of_mouth=2.0)
    goodwill = np.array([1.0, 0.0, 4.0])
    share = np.array([0.1, 0.3, 0.8])
    ad = 1.0 - np.exp(-0.5 * goodwill)
    wom = np.minimum(2.0 * share, 1.0)
    target = aw.awareness_target(goodwill, share, adv)
    assert target == pytest.approx(1.0 - (1.0 - ad) * (1.0 - wom))
    assert (target <= 1.0).all()
    back = aw.starting_goodwill(target[:2], share[:2], adv)
    assert back == pytest.approx(goodwill[:2])


def test_awareness_fades_with_the_adstock_once_spending_stops() -> None:
    seg = segment(in_market=0.0, bass_p=0.0, bass_q=0.0, resolution=20_000)
    adv = {"carryover": 0.5, "cost_per_point": 1_000.0, "reach": 0.4, "word_of_mouth": 0.0}
    adv["forgetting"] = 0.0  # fading must not depend on forgetting
    sc = scenario([player([product("p")], cash=1e9)], [seg], advertising=adv)
    sim = Simulation(sc, seed=8)
    on = Decisions(products={"p": ProductDecision(marketing={"s1": 40_000.0})})
    off = Decisions(products={"p": ProductDecision(marketing={"s1": 0.0})})
    goodwill = 0.0
    for quarter in range(8):
        report = sim.step({"player": on if quarter < 3 else off})
        goodwill = 0.5 * goodwill + (4.0 if quarter < 3 else 0.0)
        expected = 1.0 - math.exp(-0.4 * goodwill)
        assert report.products["p"].awareness_by_segment["s1"] == pytest.approx(expected, abs=0.02)
    assert report.products["p"].awareness_by_segment["s1"] < 0.1


def test_an_awareness_event_fades_as_goodwill_does() -> None:
    seg = segment(in_market=0.0, bass_p=0.0, bass_q=0.0, resolution=20_000)
    press = {
        "id": "press",
        "title": "A rave review",
        "quarter": 1,
        "effects": [{"type": "awareness", "product": "p", "segment": "s1", "change": 0.6}],
    }
    adv = {"carryover": 0.5, "reach": 0.4, "word_of_mouth": 0.0, "forgetting": 0.0}
    sc = scenario([player([product("p")])], [seg], events=[press], advertising=adv)
    sim = Simulation(sc, seed=3)
    aware = [sim.step({}).products["p"].awareness_by_segment["s1"] for _ in range(4)]
    assert aware[0] == pytest.approx(0.6, abs=0.02)
    goodwill = -math.log(0.4) / 0.4  # reaches 60% of the unaware in quarter 1
    for quarter in range(1, 4):
        expected = 1.0 - math.exp(-0.4 * goodwill * 0.5**quarter)
        assert aware[quarter] == pytest.approx(expected, abs=0.02)


@pytest.mark.parametrize(
    ("p", "q"),
    [
        (0.005, 0.84),  # colour TV
        (0.03, 0.38),  # Sultan, Farley and Lehmann (1990): mean of published studies
        (0.0104, 0.4186),  # room air conditioners
    ],
)
def test_entry_reproduces_published_bass_curves(p: float, q: float) -> None:
    """Cumulative adoption within 5% of the closed-form F(t) from year 2 on."""
    spec = segment(in_market=0.0, bass_p=p, bass_q=q, size=1_000_000.0, resolution=100_000)
    sc = scenario([player([product("p")])], [spec], quarters=24)
    sim = Simulation(sc, seed=1)
    for quarter in range(1, 25):
        in_market = sim.step({}).segments["s1"].in_market
        if quarter >= 8:
            closed = bass_fraction(p, q, quarter / 4.0) * 1_000_000.0
            assert in_market == pytest.approx(closed, rel=0.05), quarter


def test_bass_step_follows_the_closed_form_for_any_q() -> None:
    for p, q in [(0.005, 0.84), (0.03, 0.38), (0.01, 3.0), (0.2, 0.0)]:
        fraction = 0.0
        for quarter in range(1, 41):
            fraction = bass_step(fraction, p, q)
            assert fraction == pytest.approx(bass_fraction(p, q, quarter / 4.0), rel=1e-9)
    assert bass_step(0.1, 0.0, 1.0) == pytest.approx(
        0.1 * math.exp(0.25) / (0.9 + 0.1 * math.exp(0.25))
    )
    assert bass_step(0.0, 0.0, 1.0) == 0.0 and bass_step(1.0, 0.3, 0.4) == 1.0


def test_non_buyers_in_the_category_take_a_fresh_look_each_quarter() -> None:
    """With reconsider 1 every non-buyer chooses again in quarter 1; with 0 only the
    restless ones (their churn propensity) do, so a price cut reaches far fewer of them."""
    bought = {}
    for reconsider in (0.0, 1.0):
        spec = segment(in_market=1.0, bass_p=0.0, bass_q=0.0, churn=STILL, reconsider=reconsider)
        one = product("p", awareness={"s1": 1.0}, price=50.0)
        sim = Simulation(scenario([player([one])], [spec]), seed=5)
        bought[reconsider] = sim.step({}).products["p"].customers
    assert bought[0.0] < 0.05 * bought[1.0]
    assert bought[1.0] > 2_000.0


def test_starting_customers_are_seated_whatever_the_file_order() -> None:
    seg = segment(in_market=0.6, ideal_spread=0.2)
    first = product("pa", attributes={"a": 0.6, "b": 0.5}, customers={"s1": 2_500.0})
    second = product("pb", attributes={"a": 0.62, "b": 0.48}, customers={"s1": 2_500.0})
    fits = {}
    for order in ((first, second), (second, first)):
        sim = Simulation(scenario([player(list(order))], [seg]), seed=9)
        pop = sim.state.segments[0].population
        ids = [p.id for p in sim.state.products]
        fits[ids[0]] = {
            pid: np.sort(pop.offset[0, pop.current == ids.index(pid)]).tolist() for pid in ids
        }
    assert fits["pa"] == fits["pb"]  # the same people sit on each product either way


def test_satisfaction_is_measured_on_end_of_quarter_utilities() -> None:
    """With network effects the utilities move during choice (installed bases change);
    satisfaction and NPS use the utilities after it, as docs/model.md §2.6 says."""
    seg = segment(in_market=0.6, reconsider=1.0)
    products = [
        product("pa", awareness={"s1": 1.0}, customers={"s1": 500.0}),
        product("pb", attributes={"a": 0.7, "b": 0.3}, awareness={"s1": 1.0}),
    ]
    sc = scenario([player(products)], [seg], choice={"network_weight": 4.0})
    sim = Simulation(sc, seed=3)
    report = sim.step({})
    state = sim.state
    pop = state.segments[0].population
    inside = np.flatnonzero(pop.in_market)
    utility = sim._utilities()  # the end of the quarter: installed bases after choice
    current = pop.current[inside]
    gap = market.satisfaction_gap(utility, current, pop.aware[:, inside], 0.5, 0.0)
    for j, pid in enumerate(("pa", "pb")):
        users = current == j
        expected = float((1.0 / (1.0 + np.exp(-gap[users]))).mean())
        assert report.products[pid].satisfaction == pytest.approx(expected, abs=1e-4)
