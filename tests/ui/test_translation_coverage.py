"""No player-facing string bypasses translation: in a pseudo-language every translated text
is wrapped in markers; on every screen of a game (PM and CPO, results, debrief) and
of a workshop, every word shown must come from a translation, the scenario's own text, a
team's name or a number.
"""

from __future__ import annotations

import html
import json
import re
import warnings

import i18n
import pytest
from helpers import elements, frames

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


def _wrap(value):
    if isinstance(value, dict):
        return {k: _wrap(v) for k, v in value.items()}
    return f"{OPEN}{value}{CLOSE}" if value.strip() else value


@pytest.fixture
def pseudo(monkeypatch):
    """The pseudo-language: English text, each piece wrapped in markers; a game made with
    ``language=PSEUDO`` uses it (the window, pygame_gui and the engine's sentences)."""
    import game.app
    import game.settings

    english = translation.catalogue("en")
    wrapped = {k: (v if k in KEEP else _wrap(v)) for k, v in english.items()}
    for key, value in wrapped.items():
        i18n.add_translation(key, value, locale=PSEUDO)

    def use(language: str) -> str:
        i18n.set("locale", PSEUDO)
        monkeypatch.setattr(phrases, "_active", wrapped)
        monkeypatch.setattr(phrases, "_language", PSEUDO)
        for listener in phrases._listeners:  # the number style follows the language
            listener()
        return PSEUDO

    monkeypatch.setattr(game.settings, "LANGUAGES", (*game.settings.LANGUAGES, PSEUDO))
    monkeypatch.setitem(translation.LANGUAGES, PSEUDO, "Pseudo")
    monkeypatch.setattr(game.app, "set_language", use)
    use(PSEUDO)
    yield
    i18n.set("locale", "en")
    phrases.use("en")


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


def shown_texts(app) -> list[str]:
    import pygame_gui

    out = []
    for e in elements(app):
        if not e.visible:
            continue
        if isinstance(e, pygame_gui.elements.UILabel | pygame_gui.elements.UIButton):
            out.append(e.text)
        elif isinstance(e, pygame_gui.elements.UITextBox):
            out.append(e.html_text)
    return out


def test_every_game_screen_is_translated(make_app, pseudo):
    from test_layout import screens

    from game.session import list_scenarios

    app = make_app(1920, 1080, language=PSEUDO)
    allowed = set().union(*(author_text(e.scenario) for e in list_scenarios() if e.scenario))
    problems: dict[str, set[str]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pseudo-text may not fit; the layout tests check fit
        for name in screens(app):
            frames(app, 1)
            for text in shown_texts(app):
                words = leftovers(text, allowed)
                if words:
                    problems.setdefault(name, set()).add(f"{' '.join(words)}  ⟵  {text[:90]!r}")
    assert not problems, "\n".join(
        f"{name}: {line}" for name, lines in problems.items() for line in sorted(lines)[:8]
    )


def test_every_workshop_screen_is_translated(make_app, pseudo):
    from test_workshop_screens import workshop_screens
    from workshop_script import TEAMS

    from game.session import list_scenarios

    app = make_app(1920, 1080, language=PSEUDO)
    allowed = set().union(*(author_text(e.scenario) for e in list_scenarios() if e.scenario))
    allowed |= set(TEAMS) | {f"Team {c}" for c in "ABCDEFGH"}
    allowed |= {f"{chr(65 + i)} team with a rather long name for a projector" for i in range(12)}
    cut = ["team", "with", "rather", "long", "name", "for", "projector"]  # a name cut short
    problems: dict[str, set[str]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in workshop_screens(app):
            frames(app, 1)
            for text in shown_texts(app):
                words = [
                    w for w in leftovers(text, allowed) if not any(c.startswith(w) for c in cut)
                ]
                if words:
                    problems.setdefault(name, set()).add(f"{' '.join(words)}  ⟵  {text[:90]!r}")
    assert not problems, "\n".join(
        f"{name}: {line}" for name, lines in problems.items() for line in sorted(lines)[:8]
    )
