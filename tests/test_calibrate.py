"""``crossroads calibrate``: measured elasticities against the closed-form logit, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from market_scenarios import (
    TUTORIAL,
    homogeneous_segment,
    player,
    product,
    rival,
    scenario,
    segment,
)

from engine.calibrate import calibrate
from engine.scenario import Scenario
from game.cli import main


def _homogeneous() -> Scenario:
    """One homogeneous segment where every customer enters and chooses in quarter 1.

    A player product and a rival's, both fully known: the closed form is exact here.
    """
    seg = homogeneous_segment(20_000)
    full = {"s1": 1.0}
    ours = product("pa", attributes={"a": 0.5, "b": 0.5}, awareness=full)
    theirs = product("pb", attributes={"a": 0.7, "b": 0.3}, price=130.0, awareness=full, brand=0.2)
    firms = [player([ours]), rival("rival", {"archetype": "incumbent"}, [theirs])]
    return scenario(firms, [seg], advertising={"forgetting": 0.0, "reach": 5.0})


def test_homogeneous_segment_matches_the_closed_form() -> None:
    result = calibrate(_homogeneous(), seed=5)
    rows = {p.id: p for p in result.segments[0].products}
    for p in rows.values():
        assert p.share_simulated == pytest.approx(p.share_predicted, abs=0.01)
        assert p.own.measured is not None and p.own.measured < 0
        assert p.own.measured == pytest.approx(p.own.predicted, rel=0.15)
        assert p.own.predicted == pytest.approx(-3.3 * (1 - p.share_predicted))
        # everyone chooses in quarter 1, so the choice and installed-base elasticities agree
        assert p.own_choice.measured == pytest.approx(p.own.measured, rel=0.01)
        (cross,) = p.cross
        assert cross.measured is not None and cross.measured > 0
        assert cross.measured == pytest.approx(cross.predicted, rel=0.2)
        assert cross.predicted == pytest.approx(3.3 * rows[cross.price_of].share_predicted)


def test_choice_elasticity_is_about_minus_alpha_one_minus_share_in_a_realistic_segment() -> None:
    """Tastes and price sensitivity vary (cv 0.3), most of the category owns nothing and
    looks again with the default chance. A product whose choosers are such people (pb: no
    users yet) has a choice elasticity of about −α(1 − s), s its share of the choosers: the
    guide's advice. A product with
    users among its choosers (pa) is less elastic, since a user looking around mostly stays
    (no switching cost for staying): −α_i·P_ij(1 − P_ij) summed over choosers is smaller
    where P_ij is near 1. Its installed base moves less still in one quarter."""
    seg = segment(in_market=0.6, price_sensitivity=3.0, outside_utility=-0.5, size=20_000.0)
    full = {"s1": 1.0}
    ours = product("pa", awareness=full, customers={"s1": 3_000.0})
    theirs = product("pb", attributes={"a": 0.7, "b": 0.3}, awareness=full, price=120.0)
    sc = scenario([player([ours]), rival("rival", {"archetype": "incumbent"}, [theirs])], [seg])
    result = calibrate(sc, seed=2, runs=3)
    rows = {p.id: p for p in result.segments[0].products}
    for p in rows.values():
        assert p.own_choice.measured is not None and p.own.measured is not None
        assert p.own_choice.standard_error is not None and p.own_choice.standard_error < 0.1
        assert p.own_choice.measured <= p.own.measured + 0.05 and p.own.measured < 0
    pb = rows["pb"]
    assert pb.own_choice.measured == pytest.approx(-3.0 * (1 - pb.share_of_choosers), rel=0.15)
    pa = rows["pa"]
    assert -3.0 * (1 - pa.share_of_choosers) < pa.own_choice.measured < 0.5 * pb.own_choice.measured
    assert pa.own.measured > 0.8 * pa.own_choice.measured
    assert 0.15 < result.segments[0].choosing < 0.4


def test_awareness_and_json_data_are_deterministic_for_a_seed() -> None:
    sc = _homogeneous()
    first = calibrate(sc, seed=3, resolution=300, runs=2).to_dict()
    assert calibrate(sc, seed=3, resolution=300, runs=2).to_dict() == first
    assert first != calibrate(sc, seed=4, resolution=300, runs=2).to_dict()
    row = first["segments"][0]["products"][0]
    # awareness 1.0 is held by advertising up to its 0.99 cap (MAX_PAID_AWARENESS)
    assert row["awareness"] == pytest.approx(0.99, abs=0.01)
    assert row["own"]["standard_error"] is not None
    json.dumps(first, allow_nan=False)


@pytest.fixture
def small_tutorial(tmp_path: Path) -> Path:
    data = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    for seg in data["segments"]:
        seg["resolution"] = 300
    path = tmp_path / "tutorial.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_cli_prints_tables_and_writes_strict_json(
    small_tutorial: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cal.json"
    args = ["calibrate", str(small_tutorial), "--runs", "2", "--seed", "9", "--json", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "Small businesses: price sensitivity α 3.40" in printed
    assert "own-price ε (logit)" in printed
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == 1 and document["seed"] == 9 and document["runs"] == 2
    assert [s["id"] for s in document["segments"]] == ["smb", "mid", "agency"]
    again = tmp_path / "again.json"
    assert main([*args[:-1], str(again)]) == 0
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["--runs", "0"],
        ["--runs", "1001"],
        ["--resolution", "5"],
        ["--resolution", "-1"],
        ["--resolution", str(10**12)],
        ["--seed", "-1"],
        ["--seed", str(10**30)],
    ],
)
def test_cli_refuses_bad_numbers_with_exit_2(
    small_tutorial: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calibrate", str(small_tutorial), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crossroads calibrate: ") and err.count("\n") == 1


def test_cli_refuses_an_unknown_role(small_tutorial: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["calibrate", str(small_tutorial), "--role", "ceo"])
    assert caught.value.code == 2


def test_cli_exit_codes_for_missing_and_invalid_scenarios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calibrate", "no_such_scenario"]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: 3\n", encoding="utf-8")
    assert main(["calibrate", str(bad)]) == 1
    unwritable = tmp_path / "missing_dir" / "out.json"
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))))
    args = ["calibrate", str(path), "--runs", "1", "--resolution", "50", "--json", str(unwritable)]
    assert main(args) == 1
    assert "Traceback" not in capsys.readouterr().err
