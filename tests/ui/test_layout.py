"""Layout: at 1280×720 and 1920×1080 nothing lies outside the window or its container,
and no label is too small for its text."""

from __future__ import annotations

import warnings

import pygame
import pygame_gui
import pytest
from helpers import elements, frames, until

from game.scenes.flow import start_game
from game.session import list_scenarios


def screens(app):
    """Visit every screen; yields its name once it is on top."""
    from game.scenes.briefing import BriefingScene
    from game.scenes.debrief import DebriefScene
    from game.scenes.pause import PauseScene
    from game.scenes.results import ResultsScene
    from game.scenes.role_choice import RoleChoiceScene
    from game.scenes.scenario_picker import ScenarioPickerScene
    from game.scenes.scenario_preview import ScenarioPreviewScene
    from game.scenes.settings_screen import SettingsScene

    yield "title"
    entry = list_scenarios()[0]
    for scene in (
        ScenarioPickerScene(app),
        ScenarioPreviewScene(app, entry),
        RoleChoiceScene(app, entry),
        BriefingScene(app, entry, "pm", 1),
        SettingsScene(app),
    ):
        app.push(scene)
        if isinstance(scene, ScenarioPreviewScene):
            until(app, lambda s=scene: s.market is not None, "the starting market")
        yield scene.name
    for role in ("pm", "cpo"):
        start_game(app, entry, role, 3)
        hub = app.top
        for i, tab in enumerate(hub.tabs):
            hub.show_tab(i)
            yield f"{role}:{tab.title}"
        app.push(PauseScene(app))
        yield "pause"
        app.pop()
        hub.end_quarter()
        yield "confirm"
        app.top.choose(0)
        yield "results"
    app.push(ResultsScene(app, app.session.sim.history[-1]))
    yield "results"
    app.push(DebriefScene(app))
    yield "debrief"


def outside(rect: pygame.Rect, bounds: pygame.Rect) -> bool:
    return not bounds.contains(rect)


@pytest.mark.parametrize(
    "size, text_scale, projector, scale",
    [
        ((1280, 720), 1.0, False, 1.0),
        ((1920, 1080), 1.0, False, 1.0),
        ((1920, 1080), 1.3, False, 1.3),
        ((1280, 720), 0.9, False, 0.9),
        ((1920, 1080), 1.0, True, 1.5),
        ((1600, 900), 1.0, True, 1.25),
        ((1366, 768), 1.3, True, 1.0),
    ],
)
def test_nothing_outside_window_or_container(make_app, size, text_scale, projector, scale):
    app = make_app(*size, text_scale=text_scale, projector=projector)
    assert app.ui_scale == pytest.approx(scale)
    window = pygame.Rect((0, 0), size)
    problems = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in screens(app):
            frames(app, 1)
            for e in elements(app):
                if not e.visible or e.rect.w == 0:
                    continue
                view = _scroll_list(e)  # in a list it may scroll out of view, never sideways
                if view is not None:
                    if e.rect.left < view.left or e.rect.right > view.right:
                        problems.append(f"{name}: {type(e).__name__} {e.rect} wider than {view}")
                    continue
                if outside(e.rect, window):
                    problems.append(f"{name}: {type(e).__name__} {e.rect} outside the window")
                container = e.ui_container
                if container is None:
                    continue
                parent = container.get_rect()
                if outside(e.rect, parent):
                    problems.append(f"{name}: {type(e).__name__} {e.rect} outside {parent}")
    too_small = [str(w.message) for w in caught if "too small for text" in str(w.message)]
    assert not problems, "\n".join(problems[:20])
    assert not too_small, "\n".join(sorted(set(too_small))[:20])


def _scroll_list(element) -> pygame.Rect | None:
    """The view of the scrolling list holding ``element`` (None outside any list)."""
    lists = {
        id(s.scrollable_container): s.rect
        for s in element.ui_manager.get_sprite_group().sprites()
        if isinstance(s, pygame_gui.elements.UIScrollingContainer)
    }
    parent = element.ui_container
    while parent is not None:
        if id(parent) in lists:
            return lists[id(parent)]
        above = getattr(parent, "ui_container", None)
        parent = None if above is parent else above
    return None


def _in_scrolling(element) -> bool:
    """True for widgets inside a scrolling container (they may scroll out of view)."""
    return _scroll_list(element) is not None


def test_text_larger_than_the_window_has_room_for_is_capped(make_app):
    """130% text in a 1280×720 window would not fit: it is shown at 100% and explained."""
    from helpers import texts

    from game.scenes.settings_screen import SettingsScene

    app = make_app(1280, 720, text_scale=1.3)
    assert app.ui_scale == 1.0
    app.push(SettingsScene(app))
    frames(app, 1)
    assert "130% needs 1664×936 or more" in texts(app)


def test_projector_mode_in_a_window_without_room_says_so(make_app):
    """1280×720 (or 1366×768) has no room to grow: the note says what to do, unclipped."""
    from helpers import texts

    from game.scenes.settings_screen import SettingsScene

    for size in ((1280, 720), (1366, 768)):
        app = make_app(*size, projector=True)
        assert app.ui_scale == 1.0
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Label Rect is too small for text" fails
            app.push(SettingsScene(app))
            frames(app, 1)
        assert f"no room to grow in {size[0]}×{size[1]}: use a larger window" in texts(app)
