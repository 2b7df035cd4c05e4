"""What every metric and decision means, in words: the tooltips of every screen.

The tables here are read when a screen is built, in the language chosen then: each is a
:class:`Words` mapping that looks its text up at use time (``DECISIONS["price"]``), never at
import, so a language change applies to the next screen built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from engine import phrases
from engine.kpis import GLOSSARY, KPIS
from game.translation import t

V = TypeVar("V")


class Words(Mapping[str, V]):
    """A read-only table whose values are looked up when read: ``keys`` in order, each value
    ``lookup(key)`` in the language in use then (a dict of translated text, made lazy)."""

    def __init__(self, keys: tuple[str, ...], lookup: Callable[[str], V]) -> None:
        self._keys = keys
        self._lookup = lookup

    def __getitem__(self, key: str) -> V:
        if key not in self._keys:
            raise KeyError(key)
        return self._lookup(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __repr__(self) -> str:
        return f"Words({dict(self.items())!r})"


def words(namespace: str, keys: tuple[str, ...]) -> Words[str]:
    """A :class:`Words` table of ``namespace.<key>`` translations."""
    return Words(keys, lambda key: t(f"{namespace}.{key}"))


METRICS: Words[str] = Words(tuple(GLOSSARY), lambda k: KPIS[k].description)
"""Tooltip text of the metrics the screens show, from the KPI registry."""

DECISIONS: Words[str] = words(
    "glossary.decision",
    (
        "price",
        "marketing",
        "roadmap",
        "split",
        "research",
        "hires",
        "layoffs",
        "forecast",
        "initiatives",
        "themes",
        "mentoring",
        "bets",
        "sunset",
        "freeze",
    ),
)
"""What each decision does, in words (tooltips)."""

ROLE_NAMES: Words[str] = words("glossary.role", ("pm", "cpo"))
"""Each role's name: Product Manager, Chief Product Officer."""


def lower_in_sentence() -> bool:
    """Whether the language in use writes a name in lower case inside a sentence ("run
    customer interviews"); German nouns keep their capital."""
    return phrases.say("grammar.lower_in_sentence") == "yes"
