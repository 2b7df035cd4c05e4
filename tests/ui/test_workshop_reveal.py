"""The projector reveal: standings with each team's movement, why the biggest moves happened,
objectives progress in words mid-game and the grade only after the last round."""

from __future__ import annotations

import html
import os
import sys

import pygame
import pytest
from helpers import click, frames, press, texts

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "workshop"))
from workshop_script import ROUNDS, TEAMS, Reference, create_session, tutorial

from engine.formatting import money
from game.objectives import progress, tally
from game.workshop.standings import biggest_moves, round_standings, standings


def _played(rounds: int, mode: str = "shared"):
    """A scripted session with ``rounds`` rounds resolved by the teams' bots."""
    session = create_session(mode)
    ref = Reference(tutorial(), mode)
    for _ in range(rounds):
        for team, decisions in ref.decide().items():
            session.submit(team, decisions)
        ref.step(session.decisions(session.current_round))
        session.resolve()
    return session


def _reveal(app, session):
    from game.scenes.workshop.reveal import WorkshopRevealScene

    app.push(WorkshopRevealScene(app, session, None))
    frames(app, 1)
    return app.top


def test_standings_give_places_moved_and_changes() -> None:
    before = [
        {"team": "A", "rank": 1, "share": 0.10, "revenue": 100.0, "score": 20.0, "grade": "F"},
        {"team": "B", "rank": 2, "share": 0.05, "revenue": 80.0, "score": 10.0, "grade": "F"},
    ]
    now = [
        {"team": "B", "rank": 1, "share": 0.08, "revenue": 90.0, "score": 25.0, "grade": "F"},
        {"team": "A", "rank": 2, "share": 0.09, "revenue": 120.0, "score": 22.0, "grade": "F"},
    ]
    b, a = standings(now, before)
    assert (b.team, b.moved, a.moved) == ("B", 1, -1)
    assert b.share_change == pytest.approx(0.03) and a.revenue_change == 20.0
    assert a.score_change == 2.0
    first = standings(now, before, ranked=False)
    assert first[0].moved is None and first[0].score_change is None
    assert first[0].share_change == pytest.approx(0.03)
    assert standings(now, None)[0].share_change is None


def test_objectives_progress_in_words() -> None:
    s = tutorial()
    mid = next(o for o in s.objectives if o.id == "mid_share")
    p = progress({"id": mid.id, "status": "behind", "value": 0.14}, s)
    assert (p.name, p.value, p.status, p.good) == ("Share in Mid-market", "14.0%", "behind", False)
    assert p.sentence == "Share in Mid-market 14.0% (at least 28.0% by Q12): behind"
    morale = progress({"id": "morale", "status": "on_track", "value": 0.62}, s)
    assert morale.target == "never below 0.50" and morale.good
    assert progress({"id": "gone", "status": "met", "value": 1.0}, s) is None
    statuses = ["met", "on_track", "behind", "behind", "missed", "pending"]
    counted = tally([{"status": x} for x in statuses])
    assert counted == ("2 of 6 on track", "1 met already, 2 behind, 1 missed")


def test_mid_game_reveal_shows_progress_not_a_grade(make_app) -> None:
    """After round 1 of 3: objectives counted and, on the second view, each one per team in
    words; no grade letter; why each of the biggest moves happened, in the engine's words."""
    app = make_app(1920, 1080, projector=True)
    session = _played(1)
    scene = _reveal(app, session)
    shown = texts(app)
    assert "Results of round 1 of 3" in shown and "changes since the start" in shown
    assert "Objectives" in shown and "Grade" not in shown
    assert "of 6 on track" in shown
    labels = [e.text for e in _labels(app)]
    assert not {"A", "B", "C", "D", "F"} & set(labels)  # no grade letter anywhere
    for team, exp in biggest_moves(session, 1):
        assert f"<b>{html.escape(team)}</b>: {html.escape(exp.summary)}" in shown
    board = session.leaderboard()
    for row in board:
        assert row["team"] in labels and money(row["revenue"]) in labels
    press(app, pygame.K_o)
    assert scene.view == "objectives"
    shown = texts(app)
    assert "Share in Mid-market" in shown and "28.0% by Q12" in shown
    card = session.scorecard(TEAMS[0])
    for o in card["objectives"]:
        p = progress(o, session.scenario)
        assert p.value in shown and p.status in shown
    click(app, "Show standings")
    assert scene.view == "standings"


def test_later_rounds_show_movement_and_the_last_round_the_grade(make_app) -> None:
    app = make_app(1280, 720)
    session = _played(ROUNDS)
    rows = round_standings(session, ROUNDS)
    assert all(r.moved is not None and r.score_change is not None for r in rows)
    _reveal(app, session)
    shown = texts(app)
    assert "Grade" in shown and "final standings" in shown
    labels = [e.text for e in _labels(app)]
    for row in session.leaderboard():
        assert row["grade"] in labels
    moved = [r for r in rows if r.moved]
    assert all(f"{'Up' if r.moved > 0 else 'Down'}" for r in moved)
    assert "Class leaderboard and export" in shown


def _labels(app):
    import pygame_gui
    from helpers import elements

    return [e for e in elements(app) if isinstance(e, pygame_gui.elements.UILabel)]
