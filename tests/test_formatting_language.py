"""engine.formatting follows the engine's language: German separators, units and order."""

from __future__ import annotations

import math

import pytest

from engine import formatting as f
from engine import phrases


def test_german_money(german: None) -> None:
    assert f.money(950) == "950 $"
    assert f.money(8_500) == "8,5 Tsd. $"
    assert f.money(12_345) == "12 Tsd. $"
    assert f.money(1_250_000) == "1,25 Mio. $"
    assert f.money(-12_345, "€") == "-12 Tsd. €"
    assert f.money_full(-1_234, "$") == "-1.234 $"
    assert f.money_full(1_234_567) == "1.234.567"  # no symbol: no trailing space
    assert f.money_cents(-1_234.5, "$") == "-1.234,50 $"
    assert f.signed_money(12_000) == "+12 Tsd. $"
    assert f.signed_money_full(1_234, "$") == "+1.234 $"
    assert f.money_full(-1e20, "$") == "-1,00e+20 $"


def test_german_percentages_points_and_numbers(german: None) -> None:
    assert f.pct(0.125) == "12,5 %"
    assert f.pct(0.5, 0) == "50 %"
    assert f.signed_pct(0.05) == "+5 %"
    assert f.points(0.012) == "+1,2 Pkt."
    assert f.points_size(-0.012) == "1,2 Pkt."
    assert f.count(1_234.5) == "1.234"
    assert f.signed_count(-12_345) == "-12.345"
    assert f.number(1_234.5, 1) == "1234,5"
    assert f.signed(0.03) == "+0,03"
    assert f.exact(1_000) == "1.000"
    assert f.exact(0.25) == "0,25"


def test_english_is_unchanged() -> None:
    assert phrases.language() == "en"
    assert f.money(1_250_000) == "$1.25M"
    assert f.money_full(-1_234, "$") == "-$1,234"
    assert f.pct(0.125) == "12.5%"
    assert f.points(0.012) == "+1.2 pts"
    assert f.points_size(-0.012) == "1.2 pts"
    assert f.count(1_234.5) == "1,234"


def test_switching_languages_round_trips() -> None:
    values = (f.money(12_345), f.money_full(-1_234, "$"), f.pct(0.125), f.points(0.012))
    try:
        phrases.use("de")
        assert f.money(12_345) == "12 Tsd. $"
        phrases.use("en")
        assert (f.money(12_345), f.money_full(-1_234, "$"), f.pct(0.125), f.points(0.012)) == values
        phrases.use("de")
        phrases.use("de")
        assert f.pct(0.125) == "12,5 %"
    finally:
        phrases.use("en")
    assert f.style().table is None
    assert (f.money(12_345), f.money_full(-1_234, "$"), f.pct(0.125), f.points(0.012)) == values


FORMATTERS = [
    f.money,
    f.money_full,
    f.money_cents,
    f.signed_money,
    f.signed_money_full,
    f.pct,
    f.signed_pct,
    f.points,
    f.points_size,
    f.count,
    f.signed_count,
    f.number,
    f.signed,
    f.exact,
]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("formatter", FORMATTERS, ids=lambda fn: fn.__name__)
def test_non_finite_values_print_a_dash_in_german(
    german: None, formatter: object, value: float
) -> None:
    assert formatter(value) == f.MISSING  # type: ignore[operator]
