"""The before/after preview (engine.preview): direction of its answers, and no side effects."""

from __future__ import annotations

import json

import numpy as np
import pytest
from market_scenarios import tutorial

from engine.bots import make_bot
from engine.company import DecisionError
from engine.decisions import Decisions, ProductDecision
from engine.preview import CAVEAT, keeping, preview, pricing_part
from engine.simulation import Simulation


def _priced(price: float, **marketing: float) -> Decisions:
    line = ProductDecision(price=price, marketing=marketing) if marketing else None
    return Decisions(products={"teamboard": line or ProductDecision(price=price)})


@pytest.fixture(scope="module")
def sim() -> Simulation:
    return Simulation(tutorial(), seed=5)


def test_a_price_cut_wins_customers_from_the_close_rival(sim: Simulation) -> None:
    cut = preview(sim, "player", _priced(240))
    ours, rival = cut.products["teamboard"], cut.products["planly"]
    assert ours.draft.price == 240 and ours.kept.price == 300
    assert ours.draft.customers > ours.kept.customers
    assert rival.draft.customers < rival.kept.customers
    assert ours.draft.share > ours.kept.share
    for seg in ("smb", "mid", "agency"):  # per segment too
        assert ours.draft.customers_by_segment[seg] > ours.kept.customers_by_segment[seg]


def test_a_price_rise_loses_customers_and_earns_more_per_customer(sim: Simulation) -> None:
    rise = preview(sim, "player", _priced(360)).products["teamboard"]
    assert rise.draft.customers < rise.kept.customers
    assert rise.draft.revenue == pytest.approx(rise.draft.customers * 360)


def test_the_same_draft_gives_the_same_preview(sim: Simulation) -> None:
    a = preview(sim, "player", _priced(270))
    b = preview(sim, "player", _priced(270))
    assert a == b


def test_keeping_the_course_previews_the_same_as_the_draft(sim: Simulation) -> None:
    same = preview(sim, "player", Decisions()).products["teamboard"]
    assert same.draft == same.kept
    assert same.now.customers == sim.history[-1].products["teamboard"].customers


def test_more_marketing_raises_expected_customers(sim: Simulation) -> None:
    spend = keeping(sim, "player").products["teamboard"].marketing
    louder = {seg: amount + 60_000 for seg, amount in spend.items()}
    more = preview(sim, "player", _priced(300, **louder)).products["teamboard"]
    assert more.draft.customers > more.kept.customers


def test_expected_customers_are_share_times_the_category(sim: Simulation) -> None:
    pv = preview(sim, "player", _priced(280))
    for seg, total in pv.in_category.items():
        shares = sum(p.draft.share_by_segment[seg] for p in pv.products.values())
        assert 0.0 < shares <= 1.0
        for p in pv.products.values():
            expected = p.draft.share_by_segment[seg] * total
            assert p.draft.customers_by_segment[seg] == pytest.approx(expected)
    assert [p.id for p in pv.of_firm()] == ["teamboard"]
    assert "before rivals react" in CAVEAT


def test_only_prices_and_marketing_are_previewed(sim: Simulation) -> None:
    draft = Decisions(
        products={"teamboard": ProductDecision(price=250, roadmap=["api"], hires=3)},
        initiatives=["hack_week"],
    )
    part = pricing_part(sim, "player", draft)
    assert part.model_dump(exclude_unset=True) == {"products": {"teamboard": {"price": 250}}}


def test_refused_prices_raise_in_words(sim: Simulation) -> None:
    with pytest.raises(DecisionError):
        preview(sim, "player", _priced(0.0))
    with pytest.raises(ValueError, match="not a player firm"):
        preview(sim, "planly", Decisions())


def _reports(sim: Simulation) -> str:
    return json.dumps([r.to_dict() for r in sim.history], sort_keys=True)


def test_previewing_never_changes_the_real_game() -> None:
    """Same seed and decisions, with and without previews between quarters: same reports."""
    runs = []
    for with_previews in (False, True):
        sim = Simulation(tutorial(), seed=11)
        bot = make_bot("random", np.random.default_rng(3))
        for _ in range(4):
            decisions = bot.decide(sim.view("player"))
            if with_previews:
                before = json.dumps(sim.snapshot(), sort_keys=True)
                preview(sim, "player", _priced(200))
                preview(sim, "player", decisions)
                assert json.dumps(sim.snapshot(), sort_keys=True) == before
            sim.step({"player": decisions})
        runs.append(_reports(sim))
    assert runs[0] == runs[1]


def test_no_preview_after_the_last_quarter() -> None:
    sim = Simulation(tutorial(resolution=50), seed=2)
    for _ in range(sim.scenario.quarters):
        sim.step({})
    with pytest.raises(ValueError, match="game is over"):
        preview(sim, "player", Decisions())
