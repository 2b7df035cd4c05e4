"""Number formatting for screens: money, percentages, share points, signed changes."""

from __future__ import annotations


def money(value: float, currency: str = "$") -> str:
    """Money, compact: $950, $12k, $1.25M."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1_000_000:
        return f"{sign}{currency}{v / 1_000_000:.2f}M"
    if v >= 10_000:
        return f"{sign}{currency}{v / 1000:.0f}k"
    return f"{sign}{currency}{v:,.0f}"


def signed_money(value: float, currency: str = "$") -> str:
    """A money change with its sign: +$12k, -$3.1M."""
    return ("+" if value >= 0 else "") + money(value, currency)


def pct(value: float, digits: int = 1) -> str:
    """A fraction as a percentage: 0.123 -> 12.3%."""
    return f"{value * 100:.{digits}f}%"


def points(change: float) -> str:
    """A change of a fraction in percentage points: +1.2 pts."""
    return f"{change * 100:+.1f} pts"


def count(value: float) -> str:
    """A head count or customer count: 12,345."""
    return f"{value:,.0f}"


def signed(value: float, digits: int = 2) -> str:
    """A plain signed number: +0.03."""
    return f"{value:+.{digits}f}"


# Characters the bundled font has no glyph for, and what to show instead.
_MISSING_GLYPHS = str.maketrans({"→": "to", "←": "from", "✓": "yes", "≥": ">=", "≤": "<="})


def plain(text: str) -> str:
    """Engine or scenario text with symbols the bundled font cannot draw spelled out."""
    return text.translate(_MISSING_GLYPHS)
