"""The facilitator's screens for a company workshop (issue 20), driven through the event queue.

The new-workshop form makes every team a company; the round view and the join codes list
every seat of every company with its code, hand-in and connection; resolving with seats
missing says who plays them. Waits poll frames until a bound and never assert how fast.
"""

from __future__ import annotations

import time

import pygame
import pygame_gui
import pytest
from helpers import click, elements, frames, texts
from pseudo import PSEUDO, author_text
from test_translation_coverage import (
    assert_translated,
    pseudo,  # noqa: F401  (the fixture)
)
from test_workshop_screens import assert_screens_fit

from engine.loader import load_scenario
from game.paths import find_scenario
from game.workshop.company_seats import seat_key
from game.workshop.session import WorkshopSession
from game.workshop.wire import shown_code

WAIT_S = 20.0  # a generous bound for a slow machine; the checks never depend on it
COMPANIES = ["Alpha", "Bravo", "Charlie", "Delta"]


def company_round(app, scenario: str = "portfolio", teams: list[str] = COMPANIES):
    """The round view of a new company workshop, opened over the workshop menu."""
    from game.scenes.workshop.menu import WorkshopMenuScene
    from game.scenes.workshop.round import WorkshopRoundScene

    path = find_scenario(scenario)
    assert path is not None
    session = WorkshopSession.create(
        path.read_text(), teams=list(teams), mode="shared", resolution=20, company=True
    )
    app.push(WorkshopMenuScene(app))
    app.push(WorkshopRoundScene(app, session))
    frames(app, 1)
    return session


def host(app, session: WorkshopSession) -> None:
    """Host the round view's session; frames until the view shows the address and every
    seat's code (the host reads the codes as it starts: they may follow the address)."""
    app.top.host_on_network()
    codes = session.join_codes()

    def shown() -> bool:
        on_screen = texts(app)
        return bool(app.hosting.addresses) and all(
            part in on_screen
            for part in [app.hosting.addresses[0]]
            + [shown_code(codes[k]) for k in session.seat_keys()]
        )

    deadline = time.monotonic() + WAIT_S
    while not shown():
        assert time.monotonic() < deadline, f"never shown: {app.hosting.error}\n{texts(app)}"
        frames(app, 1)
        time.sleep(0.005)


def any_button(app, start: str) -> pygame_gui.elements.UIButton:
    """The button whose words start with ``start``, enabled or not."""
    found = [
        e
        for e in elements(app)
        if isinstance(e, pygame_gui.elements.UIButton) and e.text.startswith(start)
    ]
    assert found, f"no button '{start}'"
    return found[0]


def seat_lines(app, words: str) -> list[list[str]]:
    """Each row of the round view that starts with a seat in words: seat, hand-in, code,
    connection."""
    lines = texts(app).split("\n")
    return [lines[i : i + 4] for i, line in enumerate(lines) if line == words]


@pytest.mark.parametrize("mode", ["shared", "parallel"])
def test_the_new_workshop_toggle_makes_every_team_a_company(app, mode):
    click(app, "Workshop")
    click(app, "New session")
    scene = app.top
    scene.resolution = 20
    assert "Teams are companies (a CPO and one PM per line): off" in texts(app)
    click(app, "Teams are companies")
    assert "Teams are companies (a CPO and one PM per line): on" in texts(app)
    assert "Each seat has its own join code" in texts(app)
    assert not any_button(app, "Chief Product Officer").is_enabled  # companies play the CPO
    if mode == "parallel":
        click(app, "Shared market")
    click(app, "Create session")
    assert app.top.name == "workshop_round", texts(app)
    session = app.top.session
    assert session.company and session.mode == mode and session.info.role == "cpo"
    assert session.seat_ids() == ["cpo", "pm:teamboard", "pm:insights"]  # the tutorial's lines
    assert len(session.seat_keys()) == 4 * 3


def test_a_scenario_without_the_cpo_role_offers_no_companies(app):
    click(app, "Workshop")
    click(app, "New session")
    for _ in range(len(app.top.entries)):
        if app.top.scenario.id == "discovery":
            break
        click(app, app.top.scenario.title)
    assert app.top.scenario.id == "discovery"
    assert not any_button(app, "Teams are companies").is_enabled
    assert "Companies need a scenario with the CPO role" in texts(app)


def test_the_round_view_and_the_codes_list_every_seat_with_its_code(app):
    session = company_round(app)
    host(app, session)
    codes = session.join_codes()
    shown = texts(app)
    assert "Handed in: 0 of 4 companies (0 of 16 seats)" in shown
    for team in COMPANIES:
        assert team in shown
        for seat in session.seat_ids():
            assert shown_code(codes[seat_key(team, seat)]) in shown
    rows = seat_lines(app, "PM of Quill Tutor")
    assert len(rows) == 4
    assert rows[0] == [
        "PM of Quill Tutor",
        "waiting",
        shown_code(codes[seat_key("Alpha", "pm:tutor")]),
        "not connected",
    ]
    assert shown_code(codes[""]) not in shown  # the facilitator's own code stays private
    session.submit_seat("Bravo", "pm:tutor", {"products": {"tutor": {"price": 42.0}}})
    deadline = time.monotonic() + WAIT_S
    while seat_lines(app, "PM of Quill Tutor")[1][1] != "handed in":
        assert time.monotonic() < deadline, texts(app)
        frames(app, 1)
        time.sleep(0.005)
    assert "Bravo" in texts(app) and "1 of 4 seats handed in" in texts(app)
    assert "(1 of 16 seats)" in texts(app)
    click(app, "Show join codes")
    assert app.top.name == "workshop_codes"
    shown = texts(app)
    assert "your seat's code" in shown
    for team in COMPANIES:
        for seat in session.seat_ids():
            assert shown_code(codes[seat_key(team, seat)]) in shown
    assert shown.count("PM of Quill Exam Prep") == 4


def test_resolving_with_seats_missing_says_who_plays_them(app):
    session = company_round(app, teams=COMPANIES[:2])
    session.submit_seat("Alpha", "cpo", {"themes": {"tutor": "growth"}})
    for seat in session.seat_ids()[1:]:
        session.submit_seat("Bravo", seat, {})
    frames(app, 40)  # the view looks at the file twice a second
    assert not any_button(app, "Seats hand in").is_enabled  # no hot-seat entry for seats
    click(app, "Resolve round 1")
    assert app.top.name == "dialog"
    shown = texts(app)
    assert "4 seats have not handed in" in shown
    assert "Alpha: the AI PMs plan Quill Classroom, Quill Tutor, Quill Exam Prep" in shown
    assert "Bravo: the CPO keeps course" in shown
    click(app, "Resolve anyway")
    assert session.resolved == 1
    log = session.company_log("Bravo")
    assert log.rounds[0].missing == ["cpo"]
    assert session.company_log("Alpha").rounds[0].missing == [
        "pm:classroom",
        "pm:tutor",
        "pm:exam_prep",
    ]


def company_screens(app):
    """Visit the company screens of two workshops (portfolio: four companies of four seats;
    the tutorial: two of three): the round view, hosted, the join codes, the question before
    resolving with seats missing, the reveal. Yields each screen's name."""
    for scenario, teams in (("portfolio", COMPANIES), ("tutorial", COMPANIES[:2])):
        session = company_round(app, scenario, teams)
        session.submit_seat(teams[0], "cpo", {"themes": {}})
        yield f"{scenario}: round"
        host(app, session)
        yield f"{scenario}: round (hosting)"
        app.top.show_codes()
        yield f"{scenario}: join codes"
        app.pop()
        app.top.resolve()
        yield f"{scenario}: seats missing"
        app.top.choose(0)  # Resolve anyway
        yield f"{scenario}: reveal"
        app.pop()
        app.stop_hosting()
        app.pop()


@pytest.mark.parametrize(
    "text_scale, projector, language",
    [(1.0, False, "en"), (1.0, False, "de"), (1.6, False, "de"), (1.0, True, "en")],
)
def test_company_screens_fit_1280_by_720(make_app, text_scale, projector, language):
    app = make_app(1280, 720, text_scale=text_scale, projector=projector, language=language)
    assert_screens_fit(app, company_screens(app), pygame.Rect(0, 0, 1280, 720))


@pytest.mark.usefixtures("pseudo")
def test_every_company_screen_is_translated(make_app):
    """In the pseudo-language every word on the company screens comes from a translation,
    the scenario's own text, a company's name or a number."""
    app = make_app(1920, 1080, language=PSEUDO)
    scenarios = [find_scenario(s) for s in ("portfolio", "tutorial")]
    allowed = set(COMPANIES)
    for path in scenarios:
        assert path is not None
        allowed |= author_text(load_scenario(path))
    assert_translated(app, company_screens(app), allowed)


def test_monkey_on_a_company_round(app):
    """Seeded random clicks and keys over a company workshop's screens: never an exception."""
    import random

    from test_monkey import post_random_input

    from game.scenes.workshop.round import WorkshopRoundScene

    session = company_round(app, teams=COMPANIES[:2])
    rng = random.Random(11)
    w, h = app.screen.get_size()
    seen = set()
    for _ in range(300):
        top = app.top
        if not app.running or top is None or not top.name.startswith(("workshop", "dialog")):
            app.running = True
            session = WorkshopSession.open(session.id)  # leaving the round view closes it
            if session.finished:
                break
            app.reset_to(WorkshopRoundScene(app, session))
        post_random_input(rng, w, h)
        frames(app, 1)
        if app.top is not None:
            seen.add(app.top.name)
    assert "workshop_round" in seen
