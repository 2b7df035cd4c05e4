"""``crossroads preview`` and :mod:`engine.starting_market`: the quarter-0 market.

Must show: the preview runs on every bundled scenario (strict JSON, finite numbers), and its
quarter-1 figures agree with quarter 1 of ``simulate --bot hold`` within sampling error.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from market_scenarios import TUTORIAL, tutorial

from engine import market as kernels
from engine.bots import play
from engine.scenario import Scenario
from engine.simulation import EXPLAIN_SAMPLE, Simulation
from engine.starting_market import appeal_terms, starting_market
from game.cli import main
from game.scenario_choice import scenario_and_role

BUNDLED = sorted(p.stem for p in (Path(__file__).parents[1] / "scenarios").glob("*.yaml"))


def _finite(data: object) -> bool:
    if isinstance(data, float):
        return math.isfinite(data)
    if isinstance(data, dict):
        return all(_finite(v) for v in data.values())
    if isinstance(data, list):
        return all(_finite(v) for v in data)
    return True


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_preview_runs_on_every_bundled_scenario(
    scenario_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "preview.json"
    assert main(["preview", scenario_id, "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Favourite:" in text and "Firms: one quarter at the starting run rate" in text
    doc = json.loads(out.read_text(), parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert doc["format"] == 1 and doc["scenario"] == scenario_id
    assert _finite(doc)
    assert all(seg["products"] for seg in doc["segments"])


def test_appeal_terms_add_up_to_the_engines_utility() -> None:
    sim = Simulation(tutorial(300), seed=1)
    for s, seg in enumerate(sim.state.segments):
        st = sim.state
        offer = kernels.make_offer(
            np.array([p.attributes for p in st.products]),
            np.array([p.quality for p in st.products]),
            np.array([p.brand for p in st.products]),
            np.array([p.price for p in st.products]),
            st.installed()[s] / seg.size,
            seg.spec.reference_price,
            sim.scenario.choice,
        )
        engine_v = kernels.utility_matrix(
            seg.ideal.astype(np.float32)[:, None],
            seg.weights.astype(np.float32)[:, None],
            np.array([seg.price_sensitivity], dtype=np.float32),
            offer,
        )[:, 0]
        assert appeal_terms(sim, s).sum(axis=1) == pytest.approx(engine_v, abs=1e-4)


def test_preview_is_deterministic_and_flags_a_planted_problem() -> None:
    sc = tutorial(300)
    assert starting_market(sc, runs=2).to_dict() == starting_market(sc, runs=2).to_dict()
    data = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    for seg in data["segments"]:
        seg["resolution"] = 300
    for firm in data["firms"]:
        if firm["id"] == "player":
            firm["cash"] = 1.0  # no cash, and a fifth of the price: a loss and no runway
            for prod in firm["products"]:
                prod["price"] *= 0.2
    cheap = starting_market(Scenario.model_validate(data), runs=1)
    flags = " ".join(cheap.flags)
    assert "cash lasts" in flags
    assert any(f.runway is not None and f.runway < 1 for f in cheap.firms)


def _q1_hold(scenario: Scenario, role: str, seeds: range) -> dict[str, tuple[float, float]]:
    """Mean quarter-1 customers and revenue of every firm under ``simulate --bot hold``."""
    found: dict[str, list[tuple[float, float]]] = {}
    for seed in seeds:
        sim = Simulation(scenario, seed=seed, role=role)
        (rep,) = play(sim, "hold", 1)
        for f in rep.firms.values():
            found.setdefault(f.id, []).append((f.customers, f.revenue))
    return {f: tuple(np.mean(v, axis=0)) for f, v in found.items()}


@pytest.mark.parametrize(
    ("scenario_id", "role"), [("tutorial", "pm"), ("crowded_launch", "pm"), ("portfolio", "cpo")]
)
def test_preview_agrees_with_quarter_one_of_hold(scenario_id: str, role: str) -> None:
    """Expected customers and revenue after quarter 1 vs the mean of ``hold``'s quarter 1.

    Same seeds, so both see the same market dealt and the same rivals' moves; what differs
    is (a) the expected-share model's sample (≤ EXPLAIN_SAMPLE people of the segment evenly
    spaced, so about EXPLAIN_SAMPLE·F of them in the category, F = in-category fraction)
    against the whole population, and (b) the choice draw. (a) dominates: the binomial
    bound gives a standard error of a product's share of √(s(1 − s)/n) per seed, n the
    in-category sample; (b) is smaller (the draw covers every customer, only choosers
    vary). We allow 4 standard errors of the mean over the seeds, summed in quadrature over
    a firm's products and segments (customers × price for revenue), plus 0.5% for rounding.
    """
    scenario, role = scenario_and_role("test", scenario_id, role)  # type: ignore[misc]
    _assert_agrees(scenario, role)


def test_preview_of_a_new_from_scenario_agrees_with_quarter_one_of_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same agreement on a scenario made with ``crossroads new --from`` and changed."""
    from engine.loader import load_scenario

    monkeypatch.chdir(tmp_path)
    assert main(["new", "harder", "--from", "tutorial"]) == 0
    path = tmp_path / "harder.yaml"
    path.write_text(path.read_text() + "\nsegments:\n  - id: smb\n    price_sensitivity: 4.08\n")
    scenario = load_scenario(path)
    assert {s.id: s.price_sensitivity for s in scenario.segments}["smb"] == 4.08
    assert main(["preview", str(path)]) == 0
    _assert_agrees(scenario, "pm")


def _assert_agrees(scenario: Scenario, role: str) -> None:
    """Expected quarter-1 customers and revenue per firm within the documented tolerance."""
    preview = starting_market(scenario, role, runs=4)
    actual = _q1_hold(scenario, role, range(preview.seed, preview.seed + preview.runs))
    sizes = {seg.id: seg for seg in scenario.segments}
    var_c: dict[str, float] = {}
    var_r: dict[str, float] = {}
    for seg in preview.segments:
        spec = sizes[seg.id]
        fraction = seg.in_market / seg.size
        n = max(1.0, min(EXPLAIN_SAMPLE, spec.resolution) * fraction)
        for p in seg.products:
            s = min(max(p.share_expected, 1.0 / n), 1.0)
            v = s * (1 - s) / n * (seg.in_market * 1.1) ** 2  # ×1.1: the category grows in Q1
            var_c[p.firm] = var_c.get(p.firm, 0.0) + v
            var_r[p.firm] = var_r.get(p.firm, 0.0) + v * p.price**2
    for f in preview.firms:
        customers, revenue = actual[f.id]
        tol_c = 4 * math.sqrt(var_c[f.id] / preview.runs) + 0.005 * customers
        tol_r = 4 * math.sqrt(var_r[f.id] / preview.runs) + 0.005 * revenue
        assert f.customers_expected == pytest.approx(customers, abs=tol_c), f.id
        assert f.revenue_expected == pytest.approx(revenue, abs=tol_r), f.id
