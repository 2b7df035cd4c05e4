"""engine.teams: the shared-market scenario splits the market fairly and clones the firm."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from workshop_script import tutorial

from engine import awareness as aw
from engine.decisions import Decisions
from engine.loader import load_scenario
from engine.scenario import reference_problems
from engine.simulation import Simulation
from engine.teams import TeamMap, clone_id, shared_market, team_ids
from game.paths import bundled_scenarios, find_scenario

IDS = ["a", "b", "c"]


def test_team_ids_are_slugs_or_positions() -> None:
    assert team_ids(["Team A", "Team B"]) == ["teama", "teamb"]
    assert team_ids(["Les Bleus", "les-bleus"]) == ["t1", "t2"]
    assert team_ids(["1st", "2nd"]) == ["t1", "t2"]
    assert clone_id("x" * 40, "abc") == "x" * 36 + "_abc"


def test_clones_split_customers_and_goodwill_and_keep_everything_else() -> None:
    base = tutorial()
    shared = shared_market(base, IDS)
    assert reference_problems(shared) == []
    player = base.player_firms()[0]
    clones = shared.player_firms()
    assert [f.id for f in clones] == [f"{player.id}_{t}" for t in IDS]
    assert [f.id for f in shared.firms if f.controller == "ai"] == [
        f.id for f in base.firms if f.controller == "ai"
    ]
    adv = base.advertising
    for p in player.products:
        copies = [next(q for q in f.products if q.id == f"{p.id}_{f.id[-1]}") for f in clones]
        for seg in base.segments:
            total = sum(c.customers.get(seg.id, 0.0) for c in copies)
            assert total == pytest.approx(p.customers.get(seg.id, 0.0))
            if seg.id not in p.awareness:
                continue
            share = p.customers.get(seg.id, 0.0) / seg.size
            goodwill = aw.starting_goodwill(np.array([p.awareness[seg.id]]), np.array([share]), adv)
            split = [
                aw.starting_goodwill(
                    np.array([c.awareness[seg.id]]),
                    np.array([c.customers.get(seg.id, 0.0) / seg.size]),
                    adv,
                )
                for c in copies
            ]
            assert float(np.sum(split)) == pytest.approx(float(goodwill[0]), rel=1e-9)
        for c in copies:
            assert (c.price, c.unit_cost, c.attributes, c.team) == (
                p.price, p.unit_cost, p.attributes, p.team
            )  # fmt: skip
    for f in clones:
        assert (f.cash, f.culture) == (player.cash, player.culture)


def test_backlog_bets_events_and_objectives_follow_their_clone() -> None:
    base = load_scenario(find_scenario("portfolio"))  # type: ignore[arg-type]
    shared = shared_market(base, IDS)
    assert reference_problems(shared) == []
    own = {p.id for p in base.player_firms()[0].products}
    items = {b.id: b for b in shared.backlog}
    for b in base.backlog:
        if b.product not in own:
            assert b.id in items
            continue
        for t in IDS:
            clone = items[clone_id(b.id, t)]
            assert clone.product == clone_id(b.product, t)
            assert clone.depends_on == [clone_id(d, t) for d in b.depends_on]
    for bet, orig in zip(shared.bets, base.bets, strict=True):
        assert len(bet.unlocks) == len(orig.unlocks) * len(IDS)
    for ev, orig in zip(shared.events, base.events, strict=True):
        touched = [e for e in orig.effects if getattr(e, "product", None) in own]
        assert len(ev.effects) >= len(orig.effects) + len(touched) * (len(IDS) - 1)
    per_product = [o for o in base.objectives if o.product is not None]
    assert per_product
    assert len(shared.objectives) == len(base.objectives) + len(per_product) * (len(IDS) - 1)


def test_each_team_is_scored_on_its_own_lines_only() -> None:
    base = load_scenario(find_scenario("portfolio"))  # type: ignore[arg-type]
    sim = Simulation(shared_market(base, IDS), role="cpo", resolution=100)
    sim.step()
    for t in IDS:
        card = sim.scorecard(clone_id(base.player_firms()[0].id, t))
        ids = [o["id"] for o in card["objectives"]]
        assert len(ids) == len(base.objectives)
        product_ids = [o.id for o in base.objectives if o.product is not None]
        assert {clone_id(o, t) for o in product_ids} <= set(ids)


def test_one_team_shared_market_is_the_authored_market() -> None:
    base = tutorial()
    one = Simulation(shared_market(base, ["a"]), seed=3, resolution=200)
    ref = Simulation(base, seed=3, resolution=200)
    for _ in range(2):
        one.step()
        ref.step()
    a, b = one.history[-1], ref.history[-1]
    assert a.firms["player_a"].revenue == b.firms[base.player_firms()[0].id].revenue
    assert a.firms["player_a"].cash == b.firms[base.player_firms()[0].id].cash


def test_team_map_renames_and_keeps_which_fields_were_set() -> None:
    base = tutorial()
    m = TeamMap.of(base, "b")
    dec = Decisions.model_validate(
        {"products": {"teamboard": {"price": 10.0, "roadmap": ["api", "slack"]}}}
    )
    market = m.to_market(dec)
    assert market.products["teamboard_b"].roadmap == ["api_b", "slack_b"]
    assert market.products["teamboard_b"].model_fields_set == {"price", "roadmap"}
    assert m.to_team(market) == dec
    assert m.to_market(market) == market  # decisions already in the market's ids pass as is
    priced = Decisions.model_validate({"products": {"teamboard": {"price": 10.0}}})
    assert m.to_market(priced).products["teamboard_b"].model_fields_set == {"price"}
    assert m.local_text("teamboard_b.roadmap: 'slack_b' depends on 'api_b'") == (
        "teamboard.roadmap: 'slack' depends on 'api'"
    )


def test_bad_team_lists_are_refused() -> None:
    base = tutorial()
    with pytest.raises(ValueError, match="at least one team"):
        shared_market(base, [])
    with pytest.raises(ValueError, match="unique"):
        shared_market(base, ["a", "a"])
    with pytest.raises(ValueError, match="slugs"):
        shared_market(base, ["Team A"])


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_every_bundled_scenario_makes_a_twelve_team_market(path: Path) -> None:
    base = load_scenario(path)
    teams = [f"t{i}" for i in range(1, 13)]
    shared = shared_market(base, teams)
    assert reference_problems(shared) == []
    for seg in base.segments:
        before = sum(p.customers.get(seg.id, 0.0) for _, p in base.products())
        after = sum(p.customers.get(seg.id, 0.0) for _, p in shared.products())
        assert after == pytest.approx(before)
    sim = Simulation(shared, role=base.roles[0], resolution=50)
    report = sim.step()
    assert len([f for f in report.firms.values() if f.controller == "player"]) == 12
