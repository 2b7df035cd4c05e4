"""The KPI registry is the one list: objectives, scoring, balance, glossary, leaderboard, export."""

from __future__ import annotations

from typing import get_args

import pytest

from engine import balance, kpis, scoring
from engine.kpis import KPIS, OBJECTIVE_KPIS, REGISTRY
from engine.scenario import Kpi


def test_every_entry_has_label_unit_direction_description_and_formatter() -> None:
    assert len({k.id for k in REGISTRY}) == len(REGISTRY), "duplicate KPI id"
    for k in REGISTRY:
        assert k.label and k.label[0].isupper(), k.id
        assert k.unit in get_args(kpis.Unit), k.id
        assert k.direction in ("higher", "lower"), k.id
        assert k.description.endswith("."), k.id
        assert "\n" not in k.description, k.id
        assert isinstance(k.format(1234.5, "$"), str) and k.format(1234.5, "$")
        assert k.heading


def test_the_objective_kpi_schema_is_the_registry() -> None:
    assert list(get_args(Kpi)) == list(OBJECTIVE_KPIS)


def test_every_bundled_scenario_objective_names_a_registry_kpi() -> None:
    from engine.loader import load_scenario
    from game.paths import bundled_scenarios

    for path in bundled_scenarios():
        for obj in load_scenario(path).objectives:
            assert obj.kpi in KPIS and KPIS[obj.kpi].objective, (path.name, obj.kpi)


def test_every_objective_kpi_is_measured_every_quarter() -> None:
    """The engine's per-quarter KPI mapping holds every KPI an objective may name."""
    from engine.bots import play
    from engine.loader import load_scenario
    from engine.simulation import Simulation
    from game.paths import find_scenario

    for name in ("tutorial", "alignment"):  # trust is measured where there are colleagues
        scenario = load_scenario(find_scenario(name))
        sim = Simulation(scenario, seed=1, resolution=200)
        play(sim, "balanced", 2)
        firm = scenario.player_firms()[0].id
        measured = sim.company.books[firm].kpis[-1]
        expected = set(OBJECTIVE_KPIS) - ({"trust"} if name == "tutorial" else set())
        assert expected <= set(measured), name
        assert {kpis.kpi(key).id for key in measured} <= set(KPIS)  # keyed ones too


def test_units_and_directions_are_the_expected_ones() -> None:
    money = {k.id for k in REGISTRY if k.unit == "money"}
    assert money == {"revenue", "profit", "cumulative_profit", "cash", "marketing"}
    lower = {k.id for k in REGISTRY if k.direction == "lower"}
    assert lower == {"tech_debt", "attrition", "forecast_error", "belief_error"}
    assert KPIS["tech_debt"].better(-3.0) and not KPIS["tech_debt"].better(3.0)
    assert KPIS["share"].better(0.01) and not KPIS["share"].better(-0.01)


def test_keyed_kpis_resolve_to_their_base() -> None:
    assert kpis.kpi("share@teamboard:mid") is KPIS["share"]
    assert kpis.kpi("customers:smb") is KPIS["customers"]
    assert kpis.label("revenue@x") == "Revenue"
    assert kpis.fmt("share:mid", 0.25) == "25.0%"
    with pytest.raises(KeyError):
        kpis.kpi("velocity")


def test_scoring_reads_units_and_formats_from_the_registry() -> None:
    assert {"revenue", "profit", "cumulative_profit", "cash"} == scoring.MONEY_KPIS
    assert {"customers", "headcount", "tech_debt"} == scoring.COUNT_KPIS
    for kpi in OBJECTIVE_KPIS:
        assert scoring._fmt(kpi)(0.5) == KPIS[kpi].format(0.5)
    # the evidence texts of the bundled scenarios (pinned by the goldens) are unchanged:
    assert scoring._fmt("cumulative_profit")(-1234.4) == "-1,234"
    assert scoring._fmt("share")(0.2345) == "23.4%"
    assert scoring._fmt("tech_debt")(1234.0) == "1,234"
    assert scoring._fmt("morale")(0.5) == "0.50"


def test_balance_reads_its_kpis_from_the_registry() -> None:
    assert balance.KPIS is kpis.BALANCE
    assert set(balance.KPIS) <= set(KPIS)


def test_glossary_metrics_come_from_the_registry() -> None:
    from game.scenes.glossary import METRICS

    assert list(METRICS) == list(kpis.GLOSSARY)
    assert {k: KPIS[k].description for k in kpis.GLOSSARY} == METRICS


def test_dashboard_cards_and_report_columns_are_registry_kpis() -> None:
    from game.report_export import KPI_COLUMNS
    from game.scenes.dashboard import CARDS

    assert set(CARDS) <= set(KPIS)
    assert KPI_COLUMNS == kpis.REPORT_HISTORY and set(KPI_COLUMNS) <= set(KPIS)


def test_leaderboard_list_comes_from_the_registry() -> None:
    from game.commands.simulate import TABLE_KPIS
    from game.scenes.workshop.common import LEADERBOARD_COLUMNS
    from game.workshop.session import LEADERBOARD_KPIS

    assert LEADERBOARD_KPIS is kpis.LEADERBOARD
    assert set(kpis.LEADERBOARD_SHOWN) <= set(kpis.LEADERBOARD) <= set(KPIS)
    headings = [name for name, _ in LEADERBOARD_COLUMNS[4:]]
    assert headings == [KPIS[k].heading for k in kpis.LEADERBOARD_SHOWN]
    assert set(TABLE_KPIS) <= set(KPIS)


def test_the_leaderboard_rows_carry_every_leaderboard_kpi() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "workshop"))
    from workshop_script import create_session

    board = create_session("parallel", "pm", "tutorial").leaderboard()
    for row in board:
        assert set(kpis.LEADERBOARD) <= set(row)
        assert row["cumulative_profit"] == 0.0  # no round played yet
