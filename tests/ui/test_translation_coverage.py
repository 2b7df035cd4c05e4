"""No player-facing string bypasses translation: in a pseudo-language every translated text
is wrapped in markers; on every screen of a game (PM and CPO, results, debrief) and
of a workshop, every word shown must come from a translation, the scenario's own text, a
team's name or a number.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence

import i18n
import pytest
from helpers import elements, frames
from pseudo import PSEUDO, activate, author_text, leftovers

from engine import phrases
from game import translation


@pytest.fixture
def pseudo(monkeypatch):
    """The pseudo-language (:mod:`pseudo`); a game made with ``language=PSEUDO`` keeps it (the
    window, pygame_gui and the engine's sentences)."""
    import game.app
    import game.settings

    def use(language: str) -> str:
        activate(monkeypatch)
        return PSEUDO

    monkeypatch.setattr(game.settings, "LANGUAGES", (*game.settings.LANGUAGES, PSEUDO))
    monkeypatch.setitem(translation.LANGUAGES, PSEUDO, "Pseudo")
    monkeypatch.setattr(game.app, "set_language", use)
    use(PSEUDO)
    yield
    i18n.set("locale", "en")
    phrases.use("en")


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
    assert_translated(app, screens(app), allowed)


def assert_translated(
    app, screens: Iterator[str], allowed: set[str], cut: Sequence[str] = ()
) -> None:
    """Every word shown on the screens ``screens`` visits (yielding each name) comes from a
    translation, ``allowed`` (the author's text, names) or a number; a word that starts one
    of ``cut`` is a name cut short."""
    problems: dict[str, set[str]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pseudo-text may not fit; the layout tests check fit
        for name in screens:
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


def test_every_workshop_screen_is_translated(make_app, pseudo):
    from test_workshop_screens import workshop_screens
    from workshop_script import TEAMS

    from game.session import list_scenarios

    app = make_app(1920, 1080, language=PSEUDO)
    allowed = set().union(*(author_text(e.scenario) for e in list_scenarios() if e.scenario))
    allowed |= set(TEAMS) | {f"Team {c}" for c in "ABCDEFGH"}
    allowed |= {f"{chr(65 + i)} team with a rather long name for a projector" for i in range(12)}
    cut = ["team", "with", "rather", "long", "name", "for", "projector"]  # a name cut short
    assert_translated(app, workshop_screens(app), allowed, cut)
