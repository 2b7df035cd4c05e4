"""Play-test findings, each driven through the real event queue."""

from __future__ import annotations

import pygame
from helpers import click, find_button, frames, press, texts
from test_playthrough import go_to_tab, open_tutorial


def test_text_size_mid_game_rebuilds_every_scene(make_app) -> None:
    """Pause → Settings → larger text → Apply → Back: the hub works and Esc pauses visibly."""
    app = make_app(1600, 900)
    open_tutorial(app, "Play as Product Manager")
    hub = app.top
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "pause"
    click(app, "Settings")
    assert app.top.name == "settings"
    click(app, "Text size")
    click(app, "Apply")
    assert app.ui_scale > 1.0
    click(app, "Back")
    assert app.top.name == "pause"
    click(app, "Resume")
    assert app.top is hub
    assert hub.root is not None and hub.root.visible
    assert hub.root.rect.w == app.screen.get_width()
    button = find_button(app, "2 ")
    assert button.rect.h > 32  # drawn with the larger text size
    click(app, "2 ")
    assert hub.current == 1
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "pause"
    pause = app.top
    assert pause.root.visible
    # The pause menu is drawn above the hub (a higher layer), so it is visible.
    assert pause.root.get_top_layer() > hub.root.get_top_layer()
    assert pause.root._layer > max(e._layer for e in _hub_elements(hub))
    frames(app, 2)
    assert "Paused" in texts(app)


def _hub_elements(hub):
    from helpers import _walk

    return list(_walk(hub.root))
