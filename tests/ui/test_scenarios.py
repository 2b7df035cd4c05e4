"""Scenario picker and the authors' loop (F5): invalid files are listed with their errors."""

from __future__ import annotations

import pygame
from helpers import click, elements, frames, press, texts, until

from game import paths
from game.session import list_scenarios, read_scenario


def test_invalid_scenario_is_listed_with_its_errors(app):
    broken = paths.user_scenarios_dir() / "broken.yaml"
    broken.write_text("id: Broken\ntitle: x\nquarters: many\n")
    click(app, "Play")
    click(app, "broken.yaml")
    shown = texts(app)
    assert "broken.yaml  (invalid)" in shown
    assert "cannot be played" in shown and "quarters" in shown
    assert not app.top.next_button.is_enabled
    press(app, pygame.K_RETURN)  # Enter does nothing on an invalid scenario
    assert app.top.name == "scenario_picker"


def test_f5_rescans_the_scenario_folder(app):
    click(app, "Play")
    assert "mine.yaml" not in texts(app)
    (paths.user_scenarios_dir() / "mine.yaml").write_text("nonsense: [")
    press(app, pygame.K_F5)
    assert "mine.yaml  (invalid)" in texts(app)


def test_f5_in_a_game_restarts_the_edited_scenario_or_shows_errors(app):
    from game.scenes.flow import start_game

    own = paths.user_scenarios_dir() / "mine.yaml"
    own.write_text(list_scenarios()[0].path.read_text())
    start_game(app, read_scenario(own, bundled=False), "pm", 5)
    app.top.end_quarter()
    app.top.choose(0)
    app.top.go_on()
    frames(app, 1)
    assert app.session.quarter == 2
    own.write_text(own.read_text().replace("name: Teamboard Inc.", "name: Boardwalk Inc."))
    press(app, pygame.K_F5)
    assert app.top.name == "hub"
    assert app.session.quarter == 1
    assert "Boardwalk Inc." in texts(app) and "Quarter 1 of 12" in texts(app)
    own.write_text(own.read_text().replace("quarters: 12", "quarters: lots"))
    press(app, pygame.K_F5)
    assert app.top.name == "dialog"
    assert "mine.yaml has errors" in texts(app) and "quarters" in texts(app)


def test_preview_shows_the_starting_market_and_esc_returns(app):
    import warnings

    from test_layout import _scroll_list

    click(app, "Play")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        click(app, "Preview")
        assert app.top.name == "scenario_preview"
        assert "Measuring the starting market" in texts(app)  # off the UI thread
        until(app, lambda: app.top.market is not None, "the starting market")
    shown = texts(app)
    assert "Starting market:" in shown and "Favourite:" in shown
    assert "expected Q1" in shown and "runway" in shown and "Flags" in shown
    window = pygame.Rect(0, 0, 1280, 720)
    for e in elements(app):  # wide tables fit: nothing past the window or its scroll view
        if e.visible and e.rect.w:
            view = _scroll_list(e) or window
            assert view.left <= e.rect.left and e.rect.right <= view.right, e
    assert not [w for w in caught if "too small for text" in str(w.message)]
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "scenario_picker"
