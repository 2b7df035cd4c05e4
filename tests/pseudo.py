"""A pseudo-language for tests: every translation is its English text wrapped in ‹…›, so a
word on screen or in a report outside the marks is a string that bypassed translation."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import i18n
import pytest

from engine import phrases
from game import translation

OPEN, CLOSE = "‹", "›"
"""Marks around every pseudo-translated text (tests' helpers ignore them when they look for
a button or a text)."""
PSEUDO = "xx"
KEEP = {"number.decimal", "number.group"}
"""Number-style keys used inside formatting, left as they are."""
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{2,}")
ALLOWED = {"Crossroads", "Esc", "Tab", "Enter", "Ctrl", "Shift", "px"}
"""Words that read the same in every language (the game's name, key caps)."""


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _wrap(v) for k, v in value.items()}
    return f"{OPEN}{value}{CLOSE}" if value.strip() else value


def activate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch the game (python-i18n) and the engine's sentences to the pseudo-language until
    the test ends (``monkeypatch`` undoes the engine side; the caller resets python-i18n)."""
    english = translation.catalogue("en")
    wrapped = {k: (v if k in KEEP else _wrap(v)) for k, v in english.items()}
    for key, value in wrapped.items():
        i18n.add_translation(key, value, locale=PSEUDO)
    i18n.set("locale", PSEUDO)
    monkeypatch.setattr(phrases, "_active", wrapped)
    monkeypatch.setattr(phrases, "_language", PSEUDO)
    for listener in phrases._listeners:  # the number style follows the language
        listener()


def leftovers(text: str, allowed: set[str]) -> list[str]:
    """Words in ``text`` that came from no translation and are not ``allowed``."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    if "…" in text:  # a line shortened to fit lost its closing marks: close them at the end
        text += CLOSE * max(0, text.count(OPEN) - text.count(CLOSE))
    inner = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while True:
        stripped = inner.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    text = re.sub(r"(?:[A-Za-z]:)?(?:[/\\][^\s<>/\\]+){2,}[/\\]?", " ", text)  # a path
    text = re.sub(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", " ", text)  # a team's join code
    for phrase in sorted(allowed, key=len, reverse=True):
        if phrase in text:
            text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", text)
    return [w for w in WORD.findall(text) if w not in ALLOWED]


def author_text(scenario) -> set[str]:
    """Every string of the scenario (titles, names, descriptions, ids): the author's words."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)

    walk(json.loads(scenario.model_dump_json()))
    return {" ".join(s.split()) for s in found if len(s) > 1}
