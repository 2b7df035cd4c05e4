"""The number parser every text field uses (game/parse.py)."""

from __future__ import annotations

import pytest

from game.parse import parse_count, parse_money, parse_percent


@pytest.mark.parametrize(
    "text",
    ["1.1M", "1,100,000", "$1,100,000", "1.1m", " 1100000 ", "$1.1M", "1 100 000", "1100k"],
)
def test_money_forms(text: str) -> None:
    assert parse_money(text) == pytest.approx(1_100_000)


@pytest.mark.parametrize(
    "text,value", [("250k", 250_000), ("2bn", 2e9), ("0", 0), ("-5", -5), ("€12", 12)]
)
def test_more_money(text: str, value: float) -> None:
    assert parse_money(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1.1.1", "1,1", "M", "1e400", "$", "1x", "12%"])
def test_money_not_understood(text: str) -> None:
    assert parse_money(text) is None


@pytest.mark.parametrize(
    "text,value", [("15%", 0.15), ("15", 0.15), ("22.5", 0.225), ("22,5", 0.225), ("120%", 1.2)]
)
def test_percent(text: str, value: float) -> None:
    assert parse_percent(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "x", "15k", "1.5.%", "%"])
def test_percent_not_understood(text: str) -> None:
    assert parse_percent(text) is None


def test_count() -> None:
    assert parse_count("42") == 42
    assert parse_count("1,000") == 1000
    assert parse_count("1.5") is None
    assert parse_count("abc") is None


def test_german_numbers_are_read_the_german_way(german_game) -> None:
    """A decimal comma and dots between thousands, German words for thousand and million;
    the short English suffixes still work."""
    from game.parse import not_understood, parse_count, parse_money, parse_percent

    assert parse_money("1.100.000") == 1_100_000
    assert parse_money("1,1 Mio.") == 1_100_000
    assert parse_money("250 Tsd.") == 250_000
    assert parse_money("1.1M") == 1_100_000 and parse_money("250k") == 250_000
    assert parse_money("1,5") == 1.5
    assert parse_percent("22,5 %") == 0.225
    assert parse_count("1.000") == 1000
    assert not_understood("abc", "1,1 Mio.").startswith("Nicht verstanden")


@pytest.fixture
def german_game():
    from game.translation import set_language

    set_language("de")
    yield
    set_language("en")
