"""Fixtures for UI tests: a game window (dummy video driver) on the title screen."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))


@pytest.fixture
def make_app():
    """Factory for an App at a given size, showing the title screen."""
    from game.app import App
    from game.scenes.title import TitleScene
    from game.settings import Settings

    apps = []

    def make(
        width: int = 1280,
        height: int = 720,
        text_scale: float = 1.0,
        projector: bool = False,
        high_contrast: bool = False,
        language: str = "en",
    ):
        settings = Settings(
            width=width,
            height=height,
            text_scale=text_scale,
            projector=projector,
            high_contrast=high_contrast,
            language=language,
        )
        app = App(settings, persist_settings=False)
        app.push(TitleScene(app))
        app.frame(1 / 60)
        apps.append(app)
        return app

    yield make
    import pygame

    for app in apps:
        app.stop_hosting()  # never leave a host thread serving after its test
    pygame.event.clear()
    from game import palette
    from game.translation import set_language

    set_language("en")  # a German or high-contrast test never leaks into the next one
    palette.use(high_contrast=False)


@pytest.fixture(autouse=True)
def _local_host(monkeypatch):
    """A workshop hosted in a test listens on this computer only, on any free port."""
    from game.workshop import hosting

    monkeypatch.setattr(hosting, "BIND", "127.0.0.1")
    monkeypatch.setattr(hosting, "PORTS", (0,))


@pytest.fixture
def app(make_app):
    """A 1280×720 game on the title screen."""
    return make_app()
