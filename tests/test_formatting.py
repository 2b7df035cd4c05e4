"""engine.formatting: closed-form checks of every formatter, and no "nan" or "inf" ever."""

from __future__ import annotations

import math

import pytest

from engine import formatting as f
from engine.kpis import REGISTRY


def test_money_is_compact_with_k_and_m() -> None:
    assert f.money(0) == "$0"
    assert f.money(950) == "$950"
    assert f.money(8_000) == "$8k"  # thousands always read as k: never "$8,000" by "$15k"
    assert f.money(8_500) == "$8.5k"
    assert f.money(1_234) == "$1.23k"
    assert f.money(9_999) == "$10k"
    assert f.money(10_000) == "$10k"
    assert f.money(12_345) == "$12k"
    assert f.money(999_499) == "$999k"
    assert f.money(999_800) == "$1.00M"  # never "$1000k"
    assert f.money(999_500) == "$1.00M"
    assert f.money(1_000_000) == "$1.00M"
    assert f.money(1_250_000, "€") == "€1.25M"
    assert f.money(-12_345) == "-$12k"
    assert f.money(-1_250_000) == "-$1.25M"
    assert f.money(-950, "£") == "-£950"


def test_money_in_full_puts_the_sign_before_the_currency() -> None:
    assert f.money_full(1_234_567, "$") == "$1,234,567"
    assert f.money_full(-1_234.4, "$") == "-$1,234"
    assert f.money_full(1_234.5) == "1,234"  # round half to even, as format() does
    assert f.money_full(-1_234) == "-1,234"
    assert f.money_cents(49, "$") == "$49.00"
    assert f.money_cents(-1_234.5, "$") == "-$1,234.50"


def test_signed_money() -> None:
    assert f.signed_money(12_000) == "+$12k"
    assert f.signed_money(-3_100_000) == "-$3.10M"
    assert f.signed_money(0) == "+$0"
    assert f.signed_money_full(1_234, "$") == "+$1,234"
    assert f.signed_money_full(-1_234, "$") == "-$1,234"


def test_percentages_and_points() -> None:
    assert f.pct(0.123) == "12.3%"
    assert f.pct(0.5, 0) == "50%"
    assert f.pct(-0.0125, 2) == "-1.25%"
    assert f.pct(1) == "100.0%"
    assert f.signed_pct(0.05) == "+5%"
    assert f.signed_pct(-0.25) == "-25%"
    assert f.points(0.012) == "+1.2 pts"
    assert f.points(-0.0349) == "-3.5 pts"


def test_counts_and_plain_numbers() -> None:
    assert f.count(12_345.4) == "12,345"
    assert f.count(-7) == "-7"
    assert f.signed_count(1_234) == "+1,234"
    assert f.signed_count(-12) == "-12"
    assert f.number(0.8512) == "0.85"
    assert f.number(72.46, 1) == "72.5"
    assert f.signed(0.03) == "+0.03"
    assert f.signed(-1.5, 0) == "-2"
    assert f.exact(1000) == "1,000"
    assert f.exact(0.25) == "0.25"
    assert f.exact(1e12) == "1e+12"


FORMATTERS = [
    f.money,
    f.money_full,
    f.money_cents,
    f.signed_money,
    f.signed_money_full,
    f.pct,
    f.signed_pct,
    f.points,
    f.count,
    f.signed_count,
    f.number,
    f.signed,
    f.exact,
]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("formatter", FORMATTERS, ids=lambda fn: fn.__name__)
def test_non_finite_values_print_a_dash(formatter: object, value: float) -> None:
    assert formatter(value) == f.MISSING  # type: ignore[operator]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_no_kpi_prints_nan_or_inf(value: float) -> None:
    for kpi in REGISTRY:
        for text in (kpi.format(value, "$"), kpi.compact(value, "$")):
            assert text == f.MISSING, kpi.id
            assert "nan" not in text.lower() and "inf" not in text.lower()


def test_numpy_values_format_like_floats() -> None:
    np = pytest.importorskip("numpy")
    assert f.money(np.float64(12_345)) == "$12k"
    assert f.pct(np.float64(np.nan)) == f.MISSING
    assert f.count(np.int64(5)) == "5"


def test_engine_formatting_agrees_with_plain_format_specs() -> None:
    """The rewrite must not move a digit: same text as the f-strings it replaced."""
    for x in (0.0, 0.123456, 0.285, 0.5, 12.5, 1_234.5, 98_765.4321, -0.3, -4_321.5):
        assert f.pct(x) == f"{x:.1%}"
        assert f.pct(x, 0) == f"{x * 100:.0f}%"
        assert f.count(x) == f"{x:,.0f}"
        assert f.number(x) == f"{x:.2f}"
        assert f.signed(x) == f"{x:+.2f}"
        assert f.signed_pct(x) == f"{x:+.0%}"
        assert f.money_full(x) == (f"-{-x:,.0f}" if x < 0 else f"{x:,.0f}")


def test_huge_values_are_shown_with_an_exponent_not_three_hundred_digits() -> None:
    from engine.formatting import count, money, money_cents, money_full, signed_money_full

    assert money(1e308, "$") == "$1.00e+308"
    assert money_full(1e308, "$") == "$1.00e+308"
    assert money_full(-1e20, "$") == "-$1.00e+20"
    assert money_cents(2e15, "$") == "$2.00e+15"
    assert signed_money_full(-1234, "$") == "-$1,234"
    assert signed_money_full(1e16, "$") == "+$1.00e+16"
    assert count(1e20) == "1.00e+20"
    assert money_full(999_999_999_999_999 - 1, "$") == "$999,999,999,999,998"


def test_possessive_never_reads_s_apostrophe_s() -> None:
    assert f.possessive("Team B") == "Team B's"
    assert f.possessive("Falcons") == "Falcons'"
    assert f.possessive("BOSS") == "BOSS'"
    assert f.possessive("Teamboard Inc. (Owls)") == "Teamboard Inc. (Owls)'s"
