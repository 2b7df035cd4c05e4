"""Saves: the autosave round trip resumes an identical game; bad files give a message."""

from __future__ import annotations

import json

import pygame
import pytest
from helpers import click, frames, press, texts

from game.saves import SaveError, autosave_path, read_save
from game.session import Session, list_scenarios


def play(app, quarters: int) -> None:
    """Start the tutorial as PM and play ``quarters`` quarters with a price change."""
    from game.scenes.flow import start_game

    start_game(app, list_scenarios()[0], "pm", 11)
    for _ in range(quarters):
        session = app.session
        session.product_draft("teamboard").price = 280.0 + session.quarter
        session.product_draft("teamboard").roadmap = ["onboarding"]
        app.top.end_quarter()
        app.top.choose(0)
        app.top.go_on()
        frames(app, 1)


def test_continue_resumes_an_identical_game(app):
    play(app, 2)
    before = app.session
    assert autosave_path().exists()
    press(app, pygame.K_ESCAPE)
    click(app, "Quit to title")
    assert app.top.name == "title" and app.session is None
    click(app, "Continue")
    assert app.top.name == "hub"
    after = app.session
    assert after.quarter == before.quarter == 3
    assert [r.to_dict() for r in after.sim.history] == [r.to_dict() for r in before.sim.history]
    assert after.log == before.log
    assert after.draft == before.draft
    assert "Quarter 3 of 12" in texts(app)


def test_save_file_is_versioned_and_complete(app):
    play(app, 1)
    raw = json.loads(autosave_path().read_text())
    assert raw["format"] == "crossroads-save" and raw["version"] == 2
    assert raw["scenario"]["id"] == "tutorial" and len(raw["scenario"]["hash"]) == 64
    assert (
        raw["scenario"]["text"].startswith(("id:", "#")) and "tutorial" in raw["scenario"]["text"]
    )
    assert raw["seed"] == 11 and raw["role"] == "pm"
    assert raw["decisions"][0]["player"]["products"]["teamboard"]["price"] == 281.0


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda text: text[: len(text) // 2], "damaged"),
        (lambda text: text.replace('"version": 2', '"version": 99'), "another version"),
        (lambda text: "[]", "not a Crossroads save"),
        (lambda text: text.replace('"seed"', '"sead"'), "incomplete"),
    ],
)
def test_bad_save_gives_a_message_not_a_crash(app, damage, words):
    play(app, 1)
    path = autosave_path()
    path.write_text(damage(path.read_text()))
    with pytest.raises(SaveError, match=words):
        read_save(path)
    app.session = None
    from game.scenes.title import TitleScene

    app.reset_to(TitleScene(app))
    frames(app, 1)
    click(app, "Continue")
    assert app.top.name == "dialog"
    assert "Cannot continue" in texts(app) and words in texts(app)
    press(app, pygame.K_RETURN)
    assert app.top.name == "title"


def test_format_1_save_of_an_edited_scenario_is_refused(app, tmp_path):
    """A format 1 save has no copy of the scenario: an edited file cannot resume exactly."""
    own = tmp_path / "mine.yaml"
    own.write_text(list_scenarios()[0].path.read_text())
    from game.session import read_scenario

    session = Session(read_scenario(own, bundled=False), "pm", 3)
    session.end_quarter()
    raw = json.loads(autosave_path().read_text())
    raw["version"] = 1
    del raw["scenario"]["text"]
    autosave_path().write_text(json.dumps(raw))
    own.write_text(own.read_text().replace("cash: 3000000", "cash: 3100000"))
    with pytest.raises(SaveError, match="has changed since"):
        Session.from_save()


def test_save_resumes_from_its_copy_of_an_edited_scenario(app, tmp_path):
    """A format 2 save carries the scenario it was played on, so editing the file is harmless."""
    own = tmp_path / "mine.yaml"
    own.write_text(list_scenarios()[0].path.read_text())
    from game.session import read_scenario

    session = Session(read_scenario(own, bundled=False), "pm", 3)
    session.end_quarter()
    own.write_text(own.read_text().replace("cash: 3000000", "cash: 3100000"))
    resumed = Session.from_save()
    assert resumed.log == session.log
    assert resumed.sim.history[-1].to_dict() == session.sim.history[-1].to_dict()


def test_autosave_is_atomic(app, monkeypatch):
    """A crash while writing leaves the previous save intact and no temporary file."""
    play(app, 1)
    good = autosave_path().read_text()
    import os

    def boom(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    assert "No space left" in app.session.autosave_quietly()
    assert autosave_path().read_text() == good
    assert [p.name for p in autosave_path().parent.iterdir()] == [autosave_path().name]


def test_settings_round_trip():
    from game.settings import Settings, load_settings, save_settings

    save_settings(Settings(width=1600, height=900, fullscreen=False, text_scale=1.15))
    assert load_settings() == Settings(1600, 900, False, 1.15)
