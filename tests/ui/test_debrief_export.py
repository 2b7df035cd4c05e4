"""Debrief screen: Export, What-if and Figures through real events, work done in the background.

A short game of the tutorial with few synthetic customers per segment keeps every replay fast;
the screen is driven with posted clicks and keys and frames are pumped while the background
jobs run (the window keeps drawing meanwhile).
"""

from __future__ import annotations

import dataclasses
import html
import re
import time
import warnings
from pathlib import Path

import pygame
import pygame_gui
import pytest
import yaml
from helpers import click, click_at, elements, find_button, frames, press, texts
from test_layout import _in_scrolling, outside

from engine.bots import BOTS
from game import paths
from game.report_export import session_what_if
from game.scenes.debrief import BOT_NAMES, DebriefScene
from game.session import Session, read_scenario

QUARTERS = 3
SEED = 5


@pytest.fixture(scope="module")
def small_tutorial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled tutorial with 100 synthetic customers per segment (quick replays)."""
    source = next(p for p in paths.bundled_scenarios() if p.stem == "tutorial")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for segment in data["segments"]:
        segment["resolution"] = 100
    path = tmp_path_factory.mktemp("scenarios") / "tutorial.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def debrief(make_app, scenario: Path, size: tuple[int, int] = (1280, 720)):
    """A window showing the debrief of a short game (QUARTERS played, default decisions)."""
    app = make_app(*size)
    session = Session(read_scenario(scenario), "pm", SEED)
    for _ in range(QUARTERS):
        session.end_quarter(autosave=False)
    app.session = session
    app.push(DebriefScene(app))
    frames(app, 2)
    return app


def pump_until(app, done, limit: float = 60.0) -> int:
    """Run frames (yielding to the worker between them) until ``done()``; returns the frames."""
    start, count = time.monotonic(), 0
    while not done():
        assert time.monotonic() - start < limit, "background job never finished"
        frames(app, 1)
        time.sleep(0.05)
        count += 1
    frames(app, 2)
    return count


def focus_on(app, element) -> None:
    """Press Tab until the keyboard focus is on ``element`` (fails if it is not in the ring)."""
    for _ in range(len(app.top.focusables())):
        press(app, pygame.K_TAB)
        if app.focused_element() is element:
            return
    pytest.fail(f"{element} is not in the Tab order")


def layout_problems(app, name: str) -> list[str]:
    """Visible widgets outside the window or their container."""
    window = pygame.Rect((0, 0), app.screen.get_size())
    problems = []
    for e in elements(app):
        if not e.visible or e.rect.w == 0:
            continue
        if outside(e.rect, window):
            problems.append(f"{name}: {type(e).__name__} {e.rect} outside the window")
        container = e.ui_container
        if container is not None and not _in_scrolling(e) and outside(e.rect, container.get_rect()):
            problems.append(f"{name}: {type(e).__name__} {e.rect} outside its container")
    return problems


def test_export_writes_a_self_contained_report_with_the_score_on_screen(make_app, small_tutorial):
    app = debrief(make_app, small_tutorial)
    shown = re.search(r"Score (\d+) / 100 — grade (\w+)", texts(app))
    assert shown is not None
    reports = paths.user_data_dir() / "reports"
    reports.parent.mkdir(parents=True, exist_ok=True)
    reports.write_text("a file where the folder should be", encoding="utf-8")

    # A folder that cannot be made: a message in words, no crash, the button back.
    click(app, "Export report")
    assert not app.top.export_button.is_enabled
    assert "Building your report… replaying the bots" in texts(app)
    before = app.frame_count
    pump_until(app, lambda: app.top.name == "dialog")
    assert app.frame_count > before + 1  # the window kept drawing while the report was built
    assert "Report not saved" in texts(app)
    assert "Could not save the report" in texts(app)
    press(app, pygame.K_RETURN)
    assert app.top.name == "debrief" and app.top.export_button.is_enabled

    # Now it can (and with the keyboard): the report, already built, is written; the path shown.
    reports.unlink()
    focus_on(app, app.top.export_button)
    press(app, pygame.K_RETURN)
    pump_until(app, lambda: app.top.name == "dialog")
    pages = sorted(reports.glob("*.html"))
    assert len(pages) == 1
    page = pages[0]
    assert re.fullmatch(rf"tutorial-{SEED}-\d{{8}}-\d{{6}}\.html", page.name)
    assert str(page) in html.unescape(texts(app))
    assert "opens in any browser" in texts(app)
    for data in ("-kpis.csv", "-decisions.csv"):
        assert page.with_name(page.stem + data).is_file()
    assert page.with_suffix(".json").is_file()
    text = page.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    assert re.search(rf'<div class="points">{shown[1]}</div>', text)
    assert f'<div class="grade">grade {shown[2]}</div>' in text
    press(app, pygame.K_RETURN)
    assert f"Saved: {page.name}" in texts(app)


def test_what_if_from_the_start_matches_the_engine_and_joins_the_share_chart(
    make_app, small_tutorial
):
    app = debrief(make_app, small_tutorial)
    session = app.session
    press(app, pygame.K_2)
    scene = app.top
    assert scene.view == 1 and "Run the what-if" in texts(app)

    # The quarter with the keyboard: Tab to its drop-down, Enter picks the next choice.
    focus_on(app, menus(app)[0])
    while scene.from_quarter != 0:
        press(app, pygame.K_RETURN)
    assert menus(app)[0].selected_option[0] == "From the start (Q0)"

    # The strategy with the mouse: open the drop-down and click an option.
    bot_menu = menus(app)[1]
    click_at(app, bot_menu.rect.center)
    option = next(b for b in _buttons(app) if b.text == "Random decisions")
    click_at(app, option.rect.center, 6)
    assert scene.bot == "random"
    bot_menu = menus(app)[1]
    click_at(app, bot_menu.rect.center)
    option = next(b for b in _buttons(app) if b.text == "A balanced, sensible PM")
    click_at(app, option.rect.center, 6)
    assert (scene.from_quarter, scene.bot) == (0, "balanced")

    click(app, "Run the what-if")
    # The replay runs in the background and says so; a fast machine may finish it within the
    # click's own frames, so the note is checked only while the job still runs.
    assert scene.what_if_job is None or "Replaying" in texts(app)
    pump_until(app, lambda: scene.what_if_job is None)
    expected = session_what_if(session, 0, "balanced")
    shown = html.unescape(texts(app))
    for sentence in expected.sentences:
        assert sentence in shown
    line = scene.share_chart.series[-1]
    assert line.name == "What-if: balanced after Q0"
    assert list(line.values) == expected.share  # from Q0: the whole line
    assert len(line.values) == QUARTERS + 1
    assert find_button(app, "Run the what-if").is_enabled


def menus(app) -> list[pygame_gui.elements.UIDropDownMenu]:
    """The drop-downs on screen (quarter, then strategy)."""
    return [e for e in elements(app) if isinstance(e, pygame_gui.elements.UIDropDownMenu)]


def _buttons(app) -> list[pygame_gui.elements.UIButton]:
    """Every visible button in the UI, drop-down options included (they live outside scenes)."""
    return [
        e
        for e in app.manager.get_sprite_group().sprites()
        if isinstance(e, pygame_gui.elements.UIButton) and e.visible
    ]


def check_views(app, size: tuple[int, int]) -> list[str]:
    """Visit the three views (and every figure) at the window's size; the layout problems."""
    scene = app.top
    name = f"{size[0]}x{size[1]}"
    press(app, pygame.K_1)
    problems = layout_problems(app, f"{name} summary")
    press(app, pygame.K_2)
    problems += layout_problems(app, f"{name} what-if")
    press(app, pygame.K_3)
    if not scene.images:
        assert "Building your report" in texts(app)
        pump_until(app, lambda: bool(scene.images))
    figures = scene.work.report()[1]
    assert [b.text for b in _buttons(app)].count("Share and revenue") == 1
    for i, fig in enumerate(figures):
        assert scene.figure == i and fig.title in texts(app)
        problems += layout_problems(app, f"{name} figure {fig.name}")
        view = scene.figure_view
        image_w, image_h = scene.images[i].get_size()
        shown = view.image_rect
        assert view.rect.contains(shown)
        assert shown.w == view.rect.w or shown.h == view.rect.h  # as large as it fits
        assert shown.w / shown.h == pytest.approx(image_w / image_h, rel=0.01)
        press(app, pygame.K_RIGHT)
    return problems


def test_every_view_fits_both_window_sizes_and_figures_keep_their_shape(make_app, small_tutorial):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = debrief(make_app, small_tutorial)
        scene = app.top
        press(app, pygame.K_2)
        scene.run_what_if()
        pump_until(app, lambda: scene.what_if_job is None)
        assert scene.share_chart.series[-1].name.startswith("What-if")
        problems = check_views(app, (1280, 720))
        # A bigger window rebuilds the screen from its state: result and figures are kept.
        app.apply_settings(dataclasses.replace(app.settings, width=1920, height=1080))
        frames(app, 2)
        assert app.top is scene and scene.what_if_result is not None
        problems += check_views(app, (1920, 1080))
        press(app, pygame.K_2)
        assert scene.share_chart.series[-1].name.startswith("What-if")
    too_small = [str(w.message) for w in caught if "too small for text" in str(w.message)]
    assert not problems, "\n".join(problems[:20])
    assert not too_small, "\n".join(sorted(set(too_small))[:20])


def test_report_path_and_job_errors_in_words(small_tutorial, tmp_path):
    from datetime import datetime

    from game.debrief_work import problem_text, report_path
    from game.jobs import Job

    session = Session(read_scenario(small_tutorial), "pm", SEED)
    when = datetime(2026, 1, 2, 3, 4, 5)
    expected = paths.user_data_dir() / "reports" / f"tutorial-{SEED}-20260102-030405.html"
    assert report_path(session, when) == expected
    missing = tmp_path / "nowhere" / "x.html"
    job = Job(lambda: missing.read_text(encoding="utf-8"))
    assert job.wait(10) and job.done and job.result is None
    assert problem_text(job.error, "save the report") == (
        f"Could not save the report: No such file or directory ({missing})."
    )
    assert problem_text(ValueError("no quarter played yet"), "build the report") == (
        "Could not build the report: no quarter played yet."
    )


def test_compare_with_the_bots_shows_the_exported_reports_numbers(make_app, small_tutorial):
    app = debrief(make_app, small_tutorial)
    click(app, "Compare with the bots")
    pump_until(app, lambda: app.top.name == "dialog")
    shown = texts(app)
    assert "Same market, same luck" in shown
    data, _ = app.scenes[-2].work.report()
    comparison = data["comparison"]
    assert f"You: {comparison['player_score']:.0f} / 100" in shown
    assert {run["bot"] for run in comparison["bots"]} == set(BOTS)
    for run in comparison["bots"]:
        assert f"{BOT_NAMES[run['bot']]}: {run['score']:.0f} / 100" in shown
    # The exported report is the same object the screen read: its HTML shows the same scores.
    press(app, pygame.K_RETURN)
    out = paths.user_data_dir() / "reports" / "compare.html"
    written = app.top.work.export(out)
    page = written[0].read_text(encoding="utf-8")
    for run in comparison["bots"]:
        assert f"{run['score']:.0f}" in page
    # The engine's comparison, called directly, gives the same numbers.
    from engine.debrief import build_report

    session = app.session
    direct = build_report(session.scenario, session.seed, session.role, session.log)
    assert direct.comparison is not None
    assert [(b.bot, b.score) for b in direct.comparison.bots] == [
        (r["bot"], r["score"]) for r in comparison["bots"]
    ]
