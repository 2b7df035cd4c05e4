"""Play-test findings, each driven through the real event queue."""

from __future__ import annotations

import os
import sys

import pygame
import pygame_gui
import pytest
from helpers import _walk, buttons, click, click_at, elements, find_button, frames, press, texts
from test_playthrough import go_to_tab, open_tutorial

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "workshop"))


def test_text_size_mid_game_rebuilds_every_scene(make_app) -> None:
    """Pause → Settings → larger text, projector mode (each applies at once) → Back: the hub
    works and Esc pauses visibly."""
    app = make_app(1600, 900)
    open_tutorial(app, "Play as Product Manager")
    hub = app.top
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "pause"
    click(app, "Settings")
    assert app.top.name == "settings"
    click(app, "Text size")
    assert app.ui_scale > 1.0
    click(app, "Projector mode: off")
    assert "Projector mode fills the 1600×900 window: everything at 125%" in texts(app)
    assert app.settings.projector and app.ui_scale == 1.25
    assert find_button(app, "Projector mode: on")
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
    _assert_pause_menu_visible(app, hub)


def _assert_pause_menu_visible(app, hub) -> None:
    """Esc on the hub: the pause menu is on top and drawn above the hub (a higher layer)."""
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "pause"
    pause = app.top
    assert pause.root.visible
    assert pause.root.get_top_layer() > hub.root.get_top_layer()
    assert pause.root._layer > max(e._layer for e in _hub_elements(hub))
    frames(app, 2)
    assert "Paused" in texts(app)


def _hub_elements(hub):
    return list(_walk(hub.root))


def _assert_rebuilt(app, scene, old_root) -> None:
    """``scene`` is on top with new widgets at the app's scale, nothing stale, all in view."""
    assert app.top is scene
    assert not old_root.alive() and scene.root is not old_root and scene.root.alive()
    window = app.screen.get_rect()
    assert scene.root.rect == window
    # Only the scenes' own roots hang from the manager: no widget of an old build is drawn.
    roots = {id(s.root) for s in app.scenes}
    loose = [
        e
        for e in app.manager.get_root_container().elements
        if roots.isdisjoint((id(e), id(getattr(e, "parent_element", None))))
        and not isinstance(e, pygame_gui.elements.UITooltip)
    ]
    assert not loose, loose
    outside = [e for e in elements(app) if e.visible and e.rect.w and not window.contains(e.rect)]
    assert not outside, [(type(e).__name__, e.rect) for e in outside]
    assert scene.scale == app.ui_scale


def _switch_sizes(app) -> None:
    """Ctrl+Plus, then Ctrl+P, through the event queue: each rebuilds the screen at once."""
    scene = app.top
    old = scene.root
    press(app, pygame.K_EQUALS, pygame.KMOD_CTRL)
    assert app.settings.text_scale == 1.15 and app.ui_scale == 1.15
    _assert_rebuilt(app, scene, old)
    old = scene.root
    press(app, pygame.K_p, pygame.KMOD_CTRL)
    assert app.settings.projector and app.ui_scale == 1.5  # 1920×1080 is 1.5 × 1280×720
    _assert_rebuilt(app, scene, old)
    assert max(b.rect.h for b in buttons(app)) >= 50  # a 36-unit row, drawn 1.5 × larger


def _workshop(app, rounds_played: int):
    """A four-team workshop session with ``rounds_played`` rounds resolved (bots decide)."""
    from workshop_script import Reference, create_session, tutorial

    session = create_session("shared")
    ref = Reference(tutorial(), "shared")
    for _ in range(rounds_played):
        decided = ref.decide()
        for team, decisions in decided.items():
            session.submit(team, decisions)
        ref.step(session.decisions(session.current_round))
        session.resolve()
    return session


def _solo(app, screen: str) -> str:
    """Open the solo ``screen``; returns the button whose click is checked afterwards."""
    from test_playthrough import end_quarter

    from game.scenes.debrief import DebriefScene

    open_tutorial(app, "Play as Product Manager")
    if screen == "hub":
        return "2 "
    end_quarter(app)
    if screen == "results":
        return "Plan quarter 2"
    app.push(DebriefScene(app))
    return "2 What if"


def _workshop_screen(app, screen: str) -> str:
    """Open the workshop ``screen``; returns the button whose click is checked afterwards."""
    from game.scenes.workshop.end import WorkshopEndScene
    from game.scenes.workshop.menu import WorkshopMenuScene
    from game.scenes.workshop.reveal import WorkshopRevealScene
    from game.scenes.workshop.round import WorkshopRoundScene

    session = _workshop(app, 1)
    app.push(WorkshopMenuScene(app))  # it focuses its first button whenever it is built
    app.push(WorkshopRoundScene(app, session))
    frames(app, 1)
    if screen == "workshop round":
        return "Pause"
    if screen == "workshop team hub":
        click(app, "Next team")
        click(app, "We are")
        return "2 "
    if screen == "workshop reveal":
        app.push(WorkshopRevealScene(app, session, None))
        return "Round view"
    app.push(WorkshopEndScene(app, session))
    return "Title screen"


CLICKED = {
    "hub": lambda app: app.top.current == 1,
    "results": lambda app: app.top.name == "hub",
    "debrief": lambda app: app.top.view == 1,
    "workshop round": lambda app: app.top.name == "workshop_pause",
    "workshop team hub": lambda app: app.top.current == 1,
    "workshop reveal": lambda app: app.top.name == "workshop_round",
    "workshop end": lambda app: app.top.name == "title",
}


@pytest.mark.parametrize("screen", list(CLICKED))
def test_text_size_and_projector_mode_apply_live_on_every_main_screen(make_app, screen) -> None:
    """Ctrl+Plus and Ctrl+P mid-game: the screen is rebuilt in place, bigger, with nothing
    stale or outside the window, and its buttons still act."""
    app = make_app(1920, 1080)
    opened = _solo if screen in ("hub", "results", "debrief") else _workshop_screen
    button = opened(app, screen)
    scene = app.top
    focus = app.focus_index
    _switch_sizes(app)
    assert app.focus_index == focus  # the focus ring stays where it was (none: none)
    click(app, button)
    assert CLICKED[screen](app), (screen, app.top.name)
    if screen == "hub":
        _assert_pause_menu_visible(app, scene)
    press(app, pygame.K_p, pygame.KMOD_CTRL)  # and back: the layout returns to 115%
    assert not app.settings.projector and app.ui_scale == 1.15
    assert app.top.root.rect == app.screen.get_rect()


def _row_labels(app) -> list[tuple[int, str]]:
    """(y, item name) of each backlog row on the Roadmap tab, top to bottom."""
    rows = [
        (e.rect.y, e.text.split("  ", 1)[-1].split(":")[0])
        for e in elements(app)
        if isinstance(e, pygame_gui.elements.UILabel) and ": effort" in e.text
    ]
    return sorted(rows)


def test_roadmap_rows_stay_put_when_items_are_added(app) -> None:
    """Add twice at one spot: the row did not move, so the second click removes the same item."""
    open_tutorial(app, "Play as Product Manager")
    go_to_tab(app, "Roadmap")
    session = app.session
    product = session.products()[0].id
    before = _row_labels(app)
    adds = [b for b in buttons(app) if b.text == "Add"]
    second = adds[1]
    pos = second.rect.center
    click_at(app, adds[0].rect.center)
    first_item = list(session.product_draft(product).roadmap)
    assert len(first_item) == 1
    click_at(app, pos)
    roadmap = list(session.product_draft(product).roadmap)
    assert len(roadmap) == 2 and roadmap[0] == first_item[0]
    # Nothing moved: the same names at the same heights, the planned order shown as "#n".
    assert _row_labels(app) == before
    shown = texts(app)
    assert "#1  " in shown and "#2  " in shown
    # The spot clicked is now that item's Remove: a quick second click there undoes only it.
    click_at(app, pos)
    assert list(session.product_draft(product).roadmap) == first_item
    assert _row_labels(app) == before


def _start(app, scenario_id: str, role: str) -> None:
    """Start a game of ``scenario_id`` as ``role`` and go to the hub."""
    from game.scenes.flow import start_game
    from game.session import list_scenarios

    entry = next(e for e in list_scenarios() if e.scenario and e.scenario.id == scenario_id)
    start_game(app, entry, role, 3)
    frames(app, 2)
    while app.top.name != "hub":
        press(app, pygame.K_RETURN)


def test_mentoring_cannot_add_up_beyond_the_time_left(app) -> None:
    """A line's mentoring stops at 100% minus the other lines; the time left is shown."""
    _start(app, "portfolio", "cpo")
    session = app.session
    go_to_tab(app, "Portfolio")
    assert "mentoring time left to give: 100%" in texts(app)
    first, second = session.products()[:2]
    for _ in range(7):
        click_at(app, next(b for b in buttons(app) if b.text == "+").rect.center)
    assert session.draft.mentoring[first.id] == 0.7
    assert "mentoring time left to give: 30%" in texts(app)
    for _ in range(6):
        click_at(app, [b for b in buttons(app) if b.text == "+"][1].rect.center)
    assert session.draft.mentoring[second.id] == 0.3
    assert sum(session.draft.mentoring.values()) <= 1.0 + 1e-9
    assert "mentoring time left to give: 0%" in texts(app)
    assert not [p for p in session.problems()[0] if "mentoring" in p]


def _forecast_entries(app) -> tuple:
    """The revenue and share text boxes of the Forecast tab."""
    tab = app.top.tab
    return tab.entries["revenue"], tab.entries["share"]


def _retype(app, entry, text: str) -> None:
    """Clear a text entry and type ``text`` into it through the event queue."""
    from test_playthrough import type_into

    click_at(app, entry.rect.center)
    for _ in range(len(entry.get_text()) + 2):
        press(app, pygame.K_BACKSPACE)
    type_into(app, entry, text)


def test_forecast_reads_what_people_type_or_says_why_not(app) -> None:
    """ "1.1M" is 1,100,000; "abc" is refused next to its box; a 120% share shows the check."""
    open_tutorial(app, "Play as Product Manager")
    go_to_tab(app, "Forecast")
    session = app.session
    revenue, share = _forecast_entries(app)
    for typed in ("1.1M", "$1,100,000", "1.1m", "1100k"):
        _retype(app, revenue, typed)
        _retype(app, share, "15%")
        assert session.draft.forecast is not None, typed
        assert session.draft.forecast.revenue == 1_100_000
        assert session.draft.forecast.share == 0.15
        assert "Not understood" not in texts(app)
    _retype(app, share, "15")
    assert session.draft.forecast.share == 0.15
    _retype(app, revenue, "lots")
    assert session.draft.forecast is None
    assert "Not understood: “lots”" in texts(app)
    _retype(app, revenue, "250k")
    assert session.draft.forecast.revenue == 250_000
    assert "Not understood" not in texts(app)
    _retype(app, share, "120%")
    shown = texts(app)
    problems = session.problems_for("forecast.share")
    assert problems and problems[0] in shown  # the decision check's words, at once
    assert "between 0% and 100% (got 120%)" in shown
    assert "Not a forecast yet" in shown and "Forecast set" not in shown
    assert session.problems()[0] and "forecast.share" not in session.problems()[0][0]
    _retype(app, share, "12")
    assert not session.problems_for("forecast")
    assert problems[0] not in texts(app)


def test_objectives_read_like_the_kpi_and_agree_with_their_status() -> None:
    """Money with its currency; a value just under its target shows enough digits."""
    from engine.decision_check import in_words
    from engine.loader import load_scenario
    from game.scenes.dashboard import objective_note

    s = load_scenario("scenarios/tutorial.yaml")
    by_kpi = {o.kpi: o for o in s.objectives}
    profit, satisfaction = by_kpi["cumulative_profit"], by_kpi["satisfaction"]
    note = objective_note({"id": profit.id, "status": "behind", "value": 655_499.0}, s)
    assert note.startswith("$655") and "$12.00M" in note
    close = satisfaction.target - 1e-3
    note = objective_note({"id": satisfaction.id, "status": "behind", "value": close}, s)
    value, target = note.split(", target at least ")
    assert value != target
    from engine.decision_check import Problem

    words = in_words(Problem("products.teamboard.roadmap", "over capacity"), s)
    assert words == "Teamboard roadmap: over capacity"


def test_a_held_ctrl_p_toggles_projector_mode_once(make_app) -> None:
    """Key repeat sends Ctrl+P again and again while it is held: the screen must not flicker."""
    app = make_app(1920, 1080)
    for _ in range(3):  # one press, then two repeats (no key-up in between)
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_p, mod=pygame.KMOD_CTRL, unicode="")
        )
        frames(app, 1)
    assert app.settings.projector and app.ui_scale == 1.5
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_p, mod=pygame.KMOD_CTRL))
    press(app, pygame.K_p, pygame.KMOD_CTRL)  # released, then pressed again: off
    assert not app.settings.projector and app.ui_scale == 1.0
