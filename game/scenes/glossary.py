"""What every metric and decision means, in words: the tooltips of every screen.

The tables here are read when a screen is built, in the language chosen then: each is a
:class:`Words` mapping that looks its text up at use time (``DECISIONS["price"]``), never at
import, so a language change applies to the next screen built.
"""

from __future__ import annotations

from engine import phrases
from engine.kpis import GLOSSARY, KPIS
from engine.phrases import Words
from game.translation import words

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
