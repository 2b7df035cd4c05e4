"""The one reader of numbers people type: "1.1M", "1,100,000", "$1,100,000", "250k", "15%".

In a language that writes a decimal comma (German) it also reads that language's way:
"1.100.000", "1,1 Mio.", "250 Tsd.", "22,5 %" (and "1.1M", "250k" still work). Each parser
returns the number, or ``None`` when the text is not understood (the field then says so at
once). Bounds are not judged here: the engine's decision check reports them.
"""

from __future__ import annotations

import math
import re

from engine.phrases import say
from game.translation import t

SUFFIXES = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9}
WORD_SUFFIXES = {"tsd.": "k", "tsd": "k", "mio.": "m", "mio": "m", "mrd.": "b", "mrd": "b"}
"""German words for thousand, million and billion, read as the short suffixes."""
CURRENCY = "$€£¥"
_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)(k|m|bn|b)?$")


def _plain(text: str, *, currency: str = "") -> str:
    """``text`` without spaces, thousands separators and currency signs, in lower case."""
    cleaned = text.strip().lower().replace(" ", "").replace("_", "")
    for sign in CURRENCY + currency.lower():
        cleaned = cleaned.replace(sign, "")
    if say("number.decimal") == ",":
        return _decimal_comma(cleaned)
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?[a-z]*", cleaned):
        cleaned = cleaned.replace(",", "")
    return cleaned


def _decimal_comma(cleaned: str) -> str:
    """A number written with a decimal comma ("1.100.000,5", "1,1mio.") in the English form
    the parsers read ("1100000.5", "1.1m"); English-style text ("1.1m") passes unchanged."""
    for word, suffix in WORD_SUFFIXES.items():
        if cleaned.endswith(word):
            cleaned = cleaned[: -len(word)] + suffix
            break
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d*)?[a-z]*", cleaned):
        return cleaned.replace(".", "").replace(",", ".")
    if "," in cleaned and "." not in cleaned:
        return cleaned.replace(",", ".")
    return cleaned


def _number(cleaned: str, *, suffixes: bool) -> float | None:
    """A cleaned number with an optional k/M/bn suffix, or None."""
    match = _NUMBER.match(cleaned)
    if match is None or (match.group(3) and not suffixes):
        return None
    sign, digits, suffix = match.groups()
    value = float(digits) * SUFFIXES.get(suffix or "", 1.0) * (-1 if sign == "-" else 1)
    return value if math.isfinite(value) else None


def parse_money(text: str, currency: str = "") -> float | None:
    """An amount of money: "1.1M", "1,100,000", "$1,100,000", "1.1m", "250k" (None if not)."""
    return _number(_plain(text, currency=currency), suffixes=True)


def parse_percent(text: str) -> float | None:
    """A percentage as a fraction: "15%" and "15" are both 0.15 (None if not understood)."""
    cleaned = _plain(text).removesuffix("%")
    if "," in cleaned and "." not in cleaned:  # a decimal comma: "22,5"
        cleaned = cleaned.replace(",", ".")
    value = _number(cleaned, suffixes=False)
    return None if value is None else value / 100


def parse_count(text: str) -> int | None:
    """A whole number: "42", "1,000", "2k" (None if not understood or not whole)."""
    value = _number(_plain(text), suffixes=True)
    if value is None or value != int(value):
        return None
    return int(value)


def not_understood(text: str, example: str) -> str:
    """The message shown next to a field whose text was not understood."""
    shown = text.strip()
    shown = shown if len(shown) <= 24 else shown[:23] + "…"
    return t("parse.not_understood", text=shown, example=example)
