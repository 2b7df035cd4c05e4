"""Layout: at every window size, text size (80% to 160%) and theme nothing lies outside the
window or its container, and no label is too small for its text. A screen larger than its
window scrolls: its controls must lie inside the scrolled area."""

from __future__ import annotations

import warnings
from pathlib import Path

import pygame
import pygame_gui
import pytest
from company_script import company_screens
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
    yield from people_screens(app)
    yield from company_screens(app)


PEOPLE = Path(__file__).resolve().parent.parent / "fixtures" / "people"
"""Scenarios with colleagues: ``deal.yaml`` and ``wary.yaml`` (a wary sales lead, a request
with a smaller version)."""


def tab_index(hub, name: str) -> int:
    """Where the tab of class ``name`` (e.g. "PeopleTab") is on ``hub``."""
    return next(i for i, tab in enumerate(hub.tabs) if type(tab).__name__ == name)


def people_screens(app):
    """A game with colleagues: the People tab as it opens, negotiating (a later quarter and
    the smaller version, beyond the colleague's trust), declining, the roadmap marking the
    requested item, the results of the quarter, and the tab a quarter later (a promise)."""
    from game.scenes.people import this_quarter
    from game.session import read_scenario

    start_game(app, read_scenario(PEOPLE / "wary.yaml"), "pm", 3)
    hub = app.top
    hub.show_tab(tab_index(hub, "PeopleTab"))
    yield "people"
    tab = hub.tab
    request = this_quarter(hub.desk.org().people, hub.desk.quarter)[0]
    tab._choose(request, "negotiate")
    tab._offer(request, smaller=True)
    yield "people: negotiate"
    tab._choose(request, "decline")
    yield "people: decline"
    tab._decline(request, "capacity")
    yield "people: declined"
    tab._choose(request, "accept")
    hub.show_tab(tab_index(hub, "RoadmapTab"))
    yield "people: roadmap"
    hub.end_quarter()
    app.top.choose(0)
    yield "people: results"
    app.top.go_on()
    hub = app.top
    hub.show_tab(tab_index(hub, "PeopleTab"))
    yield "people: next quarter"


def outside(rect: pygame.Rect, bounds: pygame.Rect) -> bool:
    return not bounds.contains(rect)


@pytest.mark.parametrize(
    "size, text_scale, projector, scale, high_contrast, language",
    [
        ((1280, 720), 1.0, False, 1.0, False, "en"),
        ((1920, 1080), 1.0, False, 1.0, False, "en"),
        ((1920, 1080), 1.3, False, 1.3, False, "en"),
        ((1280, 720), 0.8, False, 0.8, False, "en"),
        ((1280, 720), 1.6, False, 1.6, False, "en"),
        ((1280, 720), 1.0, False, 1.0, True, "en"),
        ((1920, 1080), 1.0, True, 1.5, False, "en"),
        ((1600, 900), 1.0, True, 1.25, False, "en"),
        ((1366, 768), 1.3, True, 1.0, False, "en"),
        ((1280, 720), 1.0, False, 1.0, False, "de"),
        ((1280, 720), 1.6, False, 1.6, True, "de"),
    ],
)
def test_nothing_outside_window_or_container(
    make_app, size, text_scale, projector, scale, high_contrast, language
):
    app = make_app(
        *size,
        text_scale=text_scale,
        projector=projector,
        high_contrast=high_contrast,
        language=language,
    )
    assert app.ui_scale == pytest.approx(scale)
    window = pygame.Rect((0, 0), size)
    problems = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in screens(app):
            frames(app, 1)
            problems += placement_problems(app, name, window)
    too_small = [str(w.message) for w in caught if "too small for text" in str(w.message)]
    assert not problems, "\n".join(problems[:20])
    assert not too_small, "\n".join(sorted(set(too_small))[:20])


def placement_problems(app, name: str, window: pygame.Rect) -> list[str]:
    """Every visible widget of the top screen outside the window, outside its panel, or
    outside the scrolled list it is in."""
    problems = []
    for e in elements(app):
        if not e.visible or e.rect.w == 0:
            continue
        area = _scroll_area(e)  # in a list or a scrolled screen it may scroll out of view
        if area is not None:
            if not area.contains(e.rect):
                problems.append(f"{name}: {type(e).__name__} {e.rect} outside {area}")
            continue
        if outside(e.rect, window):
            problems.append(f"{name}: {type(e).__name__} {e.rect} outside the window")
        container = e.ui_container
        if container is None:
            continue
        parent = container.get_rect()
        if outside(e.rect, parent):
            problems.append(f"{name}: {type(e).__name__} {e.rect} outside {parent}")
    return problems


def _scroll_area(element) -> pygame.Rect | None:
    """Where ``element`` may lie inside the innermost scrolling container holding it (None
    outside any): anywhere in its scrolled content, but within its view along an axis that
    does not scroll (a list scrolls up and down, never sideways)."""
    scrollers = {
        id(s.scrollable_container): s
        for s in element.ui_manager.get_sprite_group().sprites()
        if isinstance(s, pygame_gui.elements.UIScrollingContainer)
    }
    parent = element.ui_container
    while parent is not None:
        scroller = scrollers.get(id(parent))
        if scroller is not None:
            content, view = scroller.scrollable_container.rect, scroller.rect
            x = content if scroller.allow_scroll_x else view
            y = content if scroller.allow_scroll_y else view
            return pygame.Rect(x.left, y.top, x.width, y.height)
        above = getattr(parent, "ui_container", None)
        parent = None if above is parent else above
    return None


def test_text_larger_than_the_window_scrolls_the_screen(make_app):
    """160% text in a 1280×720 window: fonts and controls at 160%, the screen scrolls, and the
    settings screen says so."""
    from helpers import texts

    from game.scenes.settings_screen import SettingsScene

    app = make_app(1280, 720, text_scale=1.6)
    assert app.ui_scale == 1.6
    app.push(SettingsScene(app))
    frames(app, 1)
    scene = app.top
    assert scene.viewport is not None
    assert scene.root.rect.size == (2048, 1152)
    assert scene.viewport.rect.size == (1280, 720)
    assert "At 160% a 1280×720 window shows part of each screen" in texts(app)
    assert "2048×1152 shows it whole" in texts(app)


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


def _in_scrolling(element) -> bool:
    """True for widgets inside a scrolling container (they may scroll out of view)."""
    return _scroll_area(element) is not None


_scroll_list = _scroll_area
