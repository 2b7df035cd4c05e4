"""Number formatting for every screen, CLI table, report and engine sentence.

One home for money, percentages, counts, points and signed changes, so a number reads the
same wherever it is shown. Every formatter returns :data:`MISSING` for a non-finite value
(NaN or ±infinity) instead of printing "nan" or "inf". ``None`` is not a number and is the
caller's business (reports print their own dash for "not measured").

Money comes in two styles, one per view: :func:`money` is compact for screens ($950, $8.5k,
$12k, $1.25M: never "$8,000" beside "$15k") and :func:`money_full` spells every digit with
thousands separators (-$1,234) for reports, CLI tables and sentences.

Every formatter follows the language :func:`engine.phrases.use` chose, through the
``number.*`` templates (``engine/locale/number.<lang>.json``): separators, where the currency
symbol goes, the words for thousand and million, the percent sign and points. The style is
built once per language change, never per call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine import phrases

MISSING = "—"
"""What every formatter prints for a value that is not a finite number."""
HUGE = 1e15
"""From here on numbers are shown with an exponent (1.00e+20): no screen holds 300 digits."""


def finite(value: float) -> bool:
    """True for a real, finite number (False for NaN and ±infinity)."""
    try:
        return math.isfinite(value)
    except TypeError:
        return False


# --------------------------------------------------------------------------- number style


@dataclass(frozen=True)
class Style:
    """The number style of a language (the ``number.*`` templates, ready to use).

    Every formatter first writes a number the English way (``1,234.5``) and then swaps the
    separators through ``table`` (None when they are the English ones).
    """

    table: dict[int, str] | None
    money: str  # a str.format pattern with {sign}, {symbol} and {amount}
    thousand: str
    million: str
    percent: tuple[str, str]  # what goes before and after the number
    points: tuple[str, str]

    @classmethod
    def current(cls) -> Style:
        """The style of the language :func:`engine.phrases.use` chose."""
        decimal, group = phrases.say("number.decimal"), phrases.say("number.group")
        english = (decimal, group) == (".", ",")
        table = None if english else str.maketrans({".": decimal, ",": group})
        money = phrases.say("number.money", sign="{sign}", symbol="{symbol}", amount="{amount}")
        pre, _, post = phrases.say("number.percent", value="\0").partition("\0")
        p_pre, _, p_post = phrases.say("number.points", value="\0").partition("\0")
        return cls(
            table,
            money,
            phrases.say("number.thousand"),
            phrases.say("number.million"),
            (pre, post),
            (p_pre, p_post),
        )


_style = Style.current()


def _restyle() -> None:
    global _style
    _style = Style.current()


phrases.on_use(_restyle)


def style() -> Style:
    """The number style in use (it follows :func:`engine.phrases.use`)."""
    return _style


def _n(text: str) -> str:
    """An English-style number (``1,234.5``) in the language's separators."""
    table = _style.table
    return text if table is None else text.translate(table)


_SYMBOL_FIRST = "{sign}{symbol}{amount}"


def _money(sign: str, currency: str, amount: str) -> str:
    """Sign, currency symbol and amount (already styled) in the language's order."""
    pattern = _style.money
    if not currency:
        return sign + amount
    if pattern == _SYMBOL_FIRST:
        return sign + currency + amount
    return pattern.format(sign=sign, symbol=currency, amount=amount)


def _pct(number: str) -> str:
    pre, post = _style.percent
    return pre + _n(number) + post


# --------------------------------------------------------------------------- money


def money(value: float, currency: str = "$") -> str:
    """Money, compact: $950, $8.5k, $12k, $1.25M (negative: -$12k).

    Thousands always read as "k" (about three significant digits), so a view never shows
    "$8,000" beside "$15k". German: 950 $, 8,5 Tsd. $, 1,25 Mio. $.
    """
    if not finite(value):
        return MISSING
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= HUGE:
        amount = _n(f"{v:.2e}")
    elif v >= 999_500:  # what would round to "1000k" reads as $1.00M
        amount = _n(f"{v / 1_000_000:.2f}") + _style.million
    elif v >= 9_995:
        amount = _n(f"{v / 1000:.0f}") + _style.thousand
    elif v >= 999.5:
        amount = _n(f"{v / 1000:.2f}".rstrip("0").rstrip(".")) + _style.thousand
    else:
        amount = _n(f"{v:,.0f}")
    return _money(sign, currency, amount)


def money_full(value: float, currency: str = "") -> str:
    """Money in full with its sign before the symbol: $1,234, -$1,234 (no symbol: -1,234)."""
    if not finite(value):
        return MISSING
    digits = f"{abs(value):.2e}" if abs(value) >= HUGE else f"{abs(value):,.0f}"
    return _money("-" if value < 0 else "", currency, _n(digits))


def money_cents(value: float, currency: str = "") -> str:
    """Money to the cent, e.g. a price or a unit cost: $49.00, $1,234.50."""
    if not finite(value):
        return MISSING
    if abs(value) >= HUGE:
        return money_full(value, currency)
    return _money("-" if value < 0 else "", currency, _n(f"{abs(value):,.2f}"))


def signed_money(value: float, currency: str = "$") -> str:
    """A money change, compact, with its sign: +$12k, -$3.10M."""
    if not finite(value):
        return MISSING
    return ("+" if value >= 0 else "") + money(value, currency)


def signed_money_full(value: float, currency: str = "") -> str:
    """A money change in full with its sign before the symbol: +$1,234, -$1,234."""
    if not finite(value):
        return MISSING
    return ("+" if value >= 0 else "") + money_full(value, currency)


# --------------------------------------------------------------------------- fractions


def pct(value: float, digits: int = 1) -> str:
    """A fraction as a percentage: 0.123 -> 12.3% (digits after the point; German 12,3 %)."""
    if not finite(value):
        return MISSING
    return _pct(f"{value:.{digits}%}"[:-1])


def signed_pct(value: float, digits: int = 0) -> str:
    """A relative change as a signed percentage: 0.05 -> +5%."""
    if not finite(value):
        return MISSING
    return _pct(f"{value:+.{digits}%}"[:-1])


def points(change: float, digits: int = 1) -> str:
    """A change of a fraction in percentage points: 0.012 -> +1.2 pts (German +1,2 Pkt.)."""
    if not finite(change):
        return MISSING
    pre, post = _style.points
    return pre + _n(f"{change * 100:+.{digits}f}") + post


def points_size(change: float, digits: int = 1) -> str:
    """The size of a change in percentage points, without a sign: -0.012 -> 1.2 pts."""
    if not finite(change):
        return MISSING
    pre, post = _style.points
    return pre + _n(f"{abs(change) * 100:.{digits}f}") + post


# --------------------------------------------------------------------------- plain numbers


def count(value: float) -> str:
    """A head count, customer count or effort points: 12,345."""
    if not finite(value):
        return MISSING
    return _n(f"{value:.2e}" if abs(value) >= HUGE else f"{value:,.0f}")


def signed_count(value: float) -> str:
    """A change of a count with its sign: +1,234, -12."""
    if not finite(value):
        return MISSING
    return _n(f"{value:+.2e}" if abs(value) >= HUGE else f"{value:+,.0f}")


def number(value: float, digits: int = 2) -> str:
    """A plain number to ``digits`` places: 0.85."""
    if not finite(value):
        return MISSING
    return _n(f"{value:.{digits}f}")


def signed(value: float, digits: int = 2) -> str:
    """A plain signed number: +0.03."""
    if not finite(value):
        return MISSING
    return _n(f"{value:+.{digits}f}")


def exact(value: float) -> str:
    """A bound or setting as written: whole numbers with separators (1,000), others as %g."""
    if not finite(value):
        return MISSING
    if float(value).is_integer() and abs(value) < 1e7:
        return _n(f"{int(value):,}")
    return _n(f"{value:g}")


# --------------------------------------------------------------------------- words


def possessive(name: str) -> str:
    """A name with its possessive ending: "Team B's", "Falcons'" (never "Falcons's")."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"
