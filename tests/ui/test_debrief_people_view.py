"""Debrief screen: the Colleagues view (issue 19) — trust per colleague over the quarters and
the promises made and kept — shown only when the game had colleagues, fitting the window in
every text size and language, every word translated."""

from __future__ import annotations

import warnings

import pygame
import pytest
from helpers import elements, frames, press, texts
from pseudo import PSEUDO, author_text, leftovers
from test_debrief_export import debrief, small_tutorial  # noqa: F401
from test_debrief_people import FIXTURE, SEED, people_log
from test_layout import _scroll_area, outside
from test_translation_coverage import pseudo, shown_texts  # noqa: F401

from game.scenes.debrief import DebriefScene
from game.session import Session, read_scenario


def people_debrief(make_app, size=(1280, 720), **settings):
    """A window showing the debrief of the scripted colleagues game (one promise kept, one
    broken)."""
    app = make_app(*size, **settings)
    session = Session(read_scenario(FIXTURE, bundled=False), "pm", SEED)
    for decisions in people_log():
        session.draft = decisions["player"]
        session.end_quarter(autosave=False)
    app.session = session
    app.push(DebriefScene(app))
    frames(app, 2)
    return app


def layout_problems(app) -> list[str]:
    """Visible widgets outside the window, their container or the scrolled screen."""
    window = pygame.Rect((0, 0), app.screen.get_size())
    problems = []
    for e in elements(app):
        if not e.visible or e.rect.w == 0:
            continue
        area = _scroll_area(e)  # a screen larger than the window scrolls
        bounds = [area] if area is not None else [window]
        if area is None and e.ui_container is not None:
            bounds.append(e.ui_container.get_rect())
        problems += [
            f"{type(e).__name__} {e.rect} outside {b}" for b in bounds if outside(e.rect, b)
        ]
    return problems


def test_the_colleagues_view_shows_trust_and_promises(make_app):
    app = people_debrief(make_app)
    scene = app.top
    assert "5 Colleagues" in texts(app)
    press(app, pygame.K_5)
    assert scene.view == 4
    history = app.session.sim.history
    chart = scene.trust_chart
    assert [s.name for s in chart.series] == ["Sales (Dana Okafor)", "Engineering (Sam Lee)"]
    for s, colleague in zip(chart.series, history[-1].people["player"].colleagues, strict=True):
        assert list(s.values) == [
            next(c.trust for c in r.people["player"].colleagues if c.id == colleague.id)
            for r in history
        ]
    assert chart.x_labels == ["Start", "Q1", "Q2", "Q3", "Q4", "Q5"]
    assert len({s.pattern for s in chart.series}) == 2  # told apart by more than colour
    shown = texts(app)
    assert "kept in Q5" in shown and "broken in Q2" in shown
    assert "You made 2 promises: 1 kept, 1 broken, 0 still open." in shown
    assert "Q2: You broke your promise to Engineering (Sam Lee)" in shown
    assert "(trust -25 pts)" in shown


def test_the_colleagues_figure_joins_the_figures_view(make_app):
    app = people_debrief(make_app)
    scene = app.top
    data, figures = scene.work.report()
    assert "relationships" in data
    assert [f.name for f in figures][-1] == "relationships"


def test_no_colleagues_no_colleagues_view(make_app, small_tutorial):  # noqa: F811
    app = debrief(make_app, small_tutorial)
    scene = app.top
    assert scene.relationships is None and len(scene.views) == 4
    assert "Colleagues" not in texts(app)
    press(app, pygame.K_5)
    assert scene.view == 0


@pytest.mark.parametrize(
    "size, settings",
    [
        ((1280, 720), {}),
        ((1280, 720), {"text_scale": 1.6, "language": "de"}),
        ((1280, 720), {"text_scale": 1.6, "high_contrast": True}),
        ((1920, 1080), {"projector": True}),
    ],
)
def test_the_colleagues_view_fits(make_app, size, settings):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = people_debrief(make_app, size, **settings)
        press(app, pygame.K_5)
        frames(app, 2)
        assert app.top.view == 4
        problems = layout_problems(app)
    too_small = [str(w.message) for w in caught if "too small for text" in str(w.message)]
    assert not problems, "\n".join(problems)
    assert not too_small, "\n".join(sorted(set(too_small)))
    assert any(e.visible for e in elements(app))


def test_the_colleagues_view_is_translated(make_app, pseudo):  # noqa: F811
    app = people_debrief(make_app, (1920, 1080), language=PSEUDO)
    press(app, pygame.K_5)
    frames(app, 1)
    allowed = author_text(app.session.scenario)
    problems = [
        f"{' '.join(words)} ⟵ {text[:90]!r}"
        for text in shown_texts(app)
        if (words := leftovers(text, allowed))
    ]
    assert not problems, "\n".join(problems)
