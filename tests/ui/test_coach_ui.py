"""The coach, the price preview and the reflections, driven through the real event queue."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pygame
import pygame_gui
import pytest
import yaml
from helpers import click, click_at, elements, find_button, frames, press, texts

from game.saves import autosave_path
from game.session import Session, read_scenario

BUNDLED = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"


@pytest.fixture
def entry(tmp_path):
    """The tutorial with 300 synthetic customers per segment (quick quarters)."""
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    for seg in data["segments"]:
        seg["resolution"] = 300
    path = tmp_path / "tutorial.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return read_scenario(path, bundled=False)


def start(app, entry, level: str, role: str = "pm") -> None:
    from game.scenes.flow import start_game

    start_game(app, entry, role, 5, level)
    frames(app, 3)
    assert app.top.name == "hub"


def overlay(app):
    return app.top.coach_overlay


def check_panel_beside_target(app) -> pygame.Rect:
    """The ring's target exists, is on screen and the panel does not cover it."""
    ov = overlay(app)
    target = ov._target_rect()
    assert target is not None and ov.panel is not None
    assert not ov.panel.rect.colliderect(target)
    assert app.screen.get_rect().contains(ov.panel.rect)
    return target


def play_quarter(app) -> None:
    click(app, "End quarter")
    click(app, "Play the quarter")
    assert app.top.name == "results"


def test_guided_first_quarter_follows_the_trainee(app, entry):
    start(app, entry, "guided")
    session = app.session
    assert "Coach · step 1 of 4" in texts(app)
    assert overlay(app).target == "tab:Research"
    tab = check_panel_beside_target(app)
    assert tab == app.top.tab_buttons[2].rect  # the real Research tab button
    press(app, pygame.K_3)
    assert overlay(app).target == "research:mid"
    click_at(app, check_panel_beside_target(app).center)  # buy the highlighted study
    assert [(o.method, o.segment) for o in session.draft.products["teamboard"].research] == [
        ("interviews", "mid")
    ]
    assert "Coach · step 2 of 4" in texts(app) and overlay(app).target == "tab:Roadmap"
    press(app, pygame.K_4)
    assert overlay(app).target == "roadmap:add"
    click_at(app, check_panel_beside_target(app).center)
    assert session.draft.products["teamboard"].roadmap == ["onboarding"]
    press(app, pygame.K_5)
    assert "Coach · step 3 of 4" in texts(app) and overlay(app).target == "pricing:price"
    check_panel_beside_target(app)
    lower = app.top.anchors["pricing:price"][1]  # the row's − button
    assert lower.text == "−"
    click_at(app, lower.rect.center)
    assert session.draft.products["teamboard"].price == 285
    assert "Coach · step 4 of 4" in texts(app) and overlay(app).target == "hub:submit"
    assert check_panel_beside_target(app) == find_button(app, "End quarter").rect
    play_quarter(app)
    press(app, pygame.K_RETURN)
    assert app.top.name == "hub" and session.quarter == 2
    shown = texts(app)
    assert "Coach · step" not in shown  # the walkthrough is over; the notes go on
    assert "What changed:" in shown and "Worth trying:" in shown


def test_next_and_skip_coach(app, entry):
    start(app, entry, "guided")
    click(app, "Next")
    assert "Coach · step 2 of 4" in texts(app)
    click(app, "Skip coach")
    frames(app, 2)
    assert "Coach ·" not in texts(app) and overlay(app).panel is None
    press(app, pygame.K_ESCAPE)  # the level stays "guided": the pause menu says so
    assert "Coach: Guided first quarter + hints" in texts(app)


def test_hints_level_has_no_walkthrough_and_a_note_later(app, entry):
    start(app, entry, "hints")
    assert "Coach ·" not in texts(app)
    play_quarter(app)
    press(app, pygame.K_RETURN)
    shown = texts(app)
    assert "Coach · quarter 2" in shown and "What changed:" in shown
    click(app, "Got it")
    frames(app, 2)
    assert "Coach ·" not in texts(app)


def test_coach_off_says_nothing(app, entry):
    start(app, entry, "none")
    assert "Coach ·" not in texts(app)
    play_quarter(app)
    press(app, pygame.K_RETURN)
    assert "Coach ·" not in texts(app)
    press(app, pygame.K_ESCAPE)
    click(app, "Coach: Off")  # the pause menu cycles the level: guided next
    assert app.session.coach.level == "guided"
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "hub"


def wait_for_preview(app, words: str) -> str:
    """Run frames (in real time: the preview is debounced) until ``words`` show."""
    for _ in range(200):
        frames(app, 1)
        shown = texts(app)
        if words in shown:
            return shown
        time.sleep(0.02)
    raise AssertionError(f"'{words}' never showed: {shown[-400:]}")


def test_pricing_preview_shows_the_engines_numbers(app, entry):
    from game.scenes.pricing import about

    start(app, entry, "none")
    session = app.session
    press(app, pygame.K_5)
    shown = wait_for_preview(app, "customers next quarter")
    assert "Expected, before rivals react and chance." in shown
    expected = session.preview(session.draft).products["teamboard"]
    assert f"about <b>{about(expected.draft.customers)}</b> customers next quarter" in shown
    lower = app.top.anchors["pricing:price"][1]
    click_at(app, lower.rect.center)
    shown = wait_for_preview(app, "Teamboard at $285")
    cut = session.preview(session.draft).products["teamboard"]
    assert cut.draft.customers > cut.kept.customers
    assert f"Keeping today's $300 and marketing: about {about(cut.kept.customers)}" in shown


def answer_box(app) -> pygame_gui.elements.UITextEntryLine:
    return next(e for e in elements(app) if isinstance(e, pygame_gui.elements.UITextEntryLine))


def test_reflections_are_kept_and_come_back_in_the_debrief(app, entry):
    from game.report_export import _reflections, reflection_rows
    from game.scenes.debrief import DebriefScene

    start(app, entry, "none")
    session = app.session
    play_quarter(app)
    question = app.top.question
    assert question and "Think back:" in texts(app)
    assert app.focused_element() is answer_box(app)  # typing goes straight into the box
    for ch in "Price moved them":  # spaces too: they never press the focused button
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    frames(app, 2)
    press(app, pygame.K_RETURN)  # Enter in the box keeps the answer
    assert app.top.name == "results"
    assert session.reflections[1].answer == "Price moved them"
    assert "Answer kept" in texts(app)
    saved = json.loads(autosave_path().read_text())
    assert saved["reflections"] == [
        {"quarter": 1, "question": question, "answer": "Price moved them"}
    ]
    press(app, pygame.K_RETURN)  # Enter again goes on
    assert app.top.name == "hub"
    play_quarter(app)
    click(app, "Skip the question")
    assert app.top.name == "hub" and session.reflections[2].answer is None
    resumed = Session.from_save(autosave_path())
    assert resumed.reflections == session.reflections
    rows = reflection_rows(session)  # what the exported report shows
    assert [r["answer"] for r in rows] == ["Price moved them", None]
    assert rows[0]["happened"] and rows[0]["happened"][0].endswith(".")
    section = _reflections({"reflections": rows})
    assert "Price moved them" in section and "skipped" in section
    while not session.finished:
        session.end_quarter(autosave=False)
    app.reset_to(DebriefScene(app))
    press(app, pygame.K_4)
    shown = texts(app)
    assert f"Quarter 1: {question}" in shown and "Price moved them" in shown
    assert "skipped" in shown and "What really happened" in shown
    assert "Share in" in shown  # the engine's drivers of that quarter


def test_old_saves_without_coach_or_reflections_still_load(app, entry, tmp_path):
    session = Session(entry, "pm", 3, "guided")
    session.end_quarter(autosave=False)
    session.reflect(1, "Why?", "Because")
    path = session.save(tmp_path / "game.json")
    raw = json.loads(path.read_text())
    assert raw["coach"] == "guided" and raw["reflections"][0]["answer"] == "Because"
    old = {k: v for k, v in raw.items() if k not in ("coach", "reflections")}
    path.write_text(json.dumps(old))
    loaded = Session.from_save(path)
    assert loaded.reflections == {} and loaded.coach.level == "none"
    assert loaded.log == session.log
    raw["reflections"] = [{"quarter": 99, "question": "x", "answer": None}, 5, {"quarter": 1}]
    raw["coach"] = ["loud"]
    path.write_text(json.dumps(raw))
    damaged = Session.from_save(path)  # a damaged note never stops a game from loading
    assert damaged.reflections == {} and damaged.coach.level == "none"


def test_workshop_coach_is_off_unless_the_facilitator_turns_it_on(app):
    from game.scenes.workshop.new import WorkshopNewScene
    from game.workshop.session import WorkshopSession
    from game.workshop.team_desk import TeamDesk

    app.push(WorkshopNewScene(app, resolution=200))
    assert app.top.coach == "none"
    click(app, "Off")
    assert app.top.coach == "guided"
    text = BUNDLED.read_text(encoding="utf-8")
    plain = WorkshopSession.create(text, teams=["A", "B"], mode="parallel", resolution=200)
    assert plain.info.coach == "none" and TeamDesk(plain, "A").coach is None
    coached = WorkshopSession.create(
        text, teams=["A", "B"], mode="shared", resolution=200, coach="hints"
    )
    reopened = WorkshopSession.open(coached.id)
    desk = TeamDesk(reopened, "B")
    assert reopened.info.coach == "hints" and desk.coach is not None
    assert desk.coach.level == "hints"
    preview = desk.preview(desk.draft)  # a team gets the price preview too
    assert preview is not None and preview.firm == desk.firm_id
