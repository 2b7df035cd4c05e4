"""Number formatting for every screen, CLI table, report and engine sentence.

One home for money, percentages, counts, points and signed changes, so a number reads the
same wherever it is shown. Every formatter returns :data:`MISSING` for a non-finite value
(NaN or ±infinity) instead of printing "nan" or "inf". ``None`` is not a number and is the
caller's business (reports print their own dash for "not measured").

Money comes in two styles, one per view: :func:`money` is compact for screens ($950, $8.5k,
$12k, $1.25M: never "$8,000" beside "$15k") and :func:`money_full` spells every digit with
thousands separators (-$1,234) for reports, CLI tables and sentences.
"""

from __future__ import annotations

import math

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


# --------------------------------------------------------------------------- money


def money(value: float, currency: str = "$") -> str:
    """Money, compact: $950, $8.5k, $12k, $1.25M (negative: -$12k).

    Thousands always read as "k" (about three significant digits), so a view never shows
    "$8,000" beside "$15k".
    """
    if not finite(value):
        return MISSING
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= HUGE:
        return f"{sign}{currency}{v:.2e}"
    if v >= 999_500:  # what would round to "1000k" reads as $1.00M
        return f"{sign}{currency}{v / 1_000_000:.2f}M"
    if v >= 9_995:
        return f"{sign}{currency}{v / 1000:.0f}k"
    if v >= 999.5:
        return f"{sign}{currency}{v / 1000:.2f}".rstrip("0").rstrip(".") + "k"
    return f"{sign}{currency}{v:,.0f}"


def money_full(value: float, currency: str = "") -> str:
    """Money in full with its sign before the symbol: $1,234, -$1,234 (no symbol: -1,234)."""
    if not finite(value):
        return MISSING
    digits = f"{abs(value):.2e}" if abs(value) >= HUGE else f"{abs(value):,.0f}"
    return f"-{currency}{digits}" if value < 0 else f"{currency}{digits}"


def money_cents(value: float, currency: str = "") -> str:
    """Money to the cent, e.g. a price or a unit cost: $49.00, $1,234.50."""
    if not finite(value):
        return MISSING
    if abs(value) >= HUGE:
        return money_full(value, currency)
    return f"-{currency}{-value:,.2f}" if value < 0 else f"{currency}{value:,.2f}"


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
    """A fraction as a percentage: 0.123 -> 12.3% (digits after the point)."""
    if not finite(value):
        return MISSING
    return f"{value:.{digits}%}"


def signed_pct(value: float, digits: int = 0) -> str:
    """A relative change as a signed percentage: 0.05 -> +5%."""
    if not finite(value):
        return MISSING
    return f"{value:+.{digits}%}"


def points(change: float, digits: int = 1) -> str:
    """A change of a fraction in percentage points: 0.012 -> +1.2 pts."""
    if not finite(change):
        return MISSING
    return f"{change * 100:+.{digits}f} pts"


# --------------------------------------------------------------------------- plain numbers


def count(value: float) -> str:
    """A head count, customer count or effort points: 12,345."""
    if not finite(value):
        return MISSING
    return f"{value:.2e}" if abs(value) >= HUGE else f"{value:,.0f}"


def signed_count(value: float) -> str:
    """A change of a count with its sign: +1,234, -12."""
    if not finite(value):
        return MISSING
    return f"{value:+.2e}" if abs(value) >= HUGE else f"{value:+,.0f}"


def number(value: float, digits: int = 2) -> str:
    """A plain number to ``digits`` places: 0.85."""
    if not finite(value):
        return MISSING
    return f"{value:.{digits}f}"


def signed(value: float, digits: int = 2) -> str:
    """A plain signed number: +0.03."""
    if not finite(value):
        return MISSING
    return f"{value:+.{digits}f}"


def exact(value: float) -> str:
    """A bound or setting as written: whole numbers with separators (1,000), others as %g."""
    if not finite(value):
        return MISSING
    if float(value).is_integer() and abs(value) < 1e7:
        return f"{int(value):,}"
    return f"{value:g}"


# --------------------------------------------------------------------------- words


def possessive(name: str) -> str:
    """A name with its possessive ending: "Team B's", "Falcons'" (never "Falcons's")."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"
