"""The settings screen: every change applies at once and is remembered."""

from __future__ import annotations

import pygame
from helpers import click, frames, press, texts

from game import palette
from game.app import App
from game.scenes.settings_screen import SettingsScene
from game.scenes.title import TitleScene
from game.settings import load_settings


def settings_app() -> App:
    app = App(persist_settings=True)  # the per-test user folder (conftest) holds the file
    app.push(TitleScene(app))
    app.push(SettingsScene(app))
    frames(app, 2)
    return app


def test_high_contrast_applies_at_once_and_is_remembered():
    app = settings_app()
    try:
        click(app, "High contrast: off")
        assert app.settings.high_contrast and palette.BACKGROUND == (0, 0, 0)
        assert app.top.name == "settings" and "High contrast: on" in texts(app)
        assert load_settings().high_contrast
        click(app, "High contrast: on")
        assert palette.STANDARD["BACKGROUND"] == palette.BACKGROUND
        assert not load_settings().high_contrast
    finally:
        palette.use(high_contrast=False)


def test_language_applies_at_once_to_every_screen_and_is_remembered():
    app = settings_app()
    try:
        click(app, "Language: English")
        assert "Einstellungen" in texts(app) and "Sprache: Deutsch" in texts(app)
        assert load_settings().language == "de"
        press(app, pygame.K_ESCAPE)
        assert app.top.name == "title" and "Spielen" in texts(app)
        again = App(persist_settings=False)
        again.push(TitleScene(again))
        frames(again, 1)
        assert "Spielen" in texts(again)
    finally:
        from game.translation import set_language

        set_language("en")


def test_text_size_steps_through_80_to_160_percent_at_once():
    app = settings_app()
    seen = []
    for _ in range(7):
        button = next(b for b in app.top.focusables() if "Text size" in b.text)
        app.top.activate(button)
        frames(app, 1)
        seen.append(app.ui_scale)
    assert sorted(seen) == [0.8, 0.9, 1.0, 1.15, 1.3, 1.45, 1.6]
    assert load_settings().text_scale == app.settings.text_scale
