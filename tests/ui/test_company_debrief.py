"""The company debrief, autosave and Continue (issue 20), through the real event queue.

A hot-seat company (a CPO and two PMs, the AI in the third line's seat) played to the end
reaches the company debrief, whose scorecards and conversation are the engine's own
(replayed here straight through the engine); the export escapes what people typed; the game
is autosaved after every quarter and Continue resumes the same game; a damaged save gives a
message and is kept as it was.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import os

import pygame
import pytest
from company_script import (
    PEOPLE,
    SEED,
    classroom_q1,
    cpo_q1,
    hand_in,
    hot_seat,
    portfolio,
    tutor_q1,
)
from helpers import click, frames, press, texts

from engine.company_mode import SeatTurns, StudyRef, combine, conversation, scorecards
from game.saves import autosave_path, company_autosave_path
from game.widgets.text import plain

FIRST = {"cpo": cpo_q1, "pm:classroom": classroom_q1, "pm:tutor": tutor_q1}


def play_quarter(app, session, first: bool = False) -> None:
    """Every person in turn: take the laptop, read last quarter's results, hand in (the
    first quarter with the script's decisions, the second sharing Kwame's survey)."""
    for seat, person in list(session.people.items()):
        click(app, f"I am {person}")
        if app.top.name == "company_results":
            click(app, "Plan quarter")
        assert app.top.name == "company_hub", texts(app)
        if first:
            FIRST[seat](app.top.desk)
        elif seat == "pm:tutor" and session.quarter == 2:
            app.top.desk.toggle_share(StudyRef(quarter=1, method="survey", segment="families"))
            app.top.desk.set_note('Families <want> a "cheaper" plan & more')
        hand_in(app)


def finish(app, session) -> None:
    """After the last quarter: each person sees the final results, then the debrief."""
    for person in session.people.values():
        assert app.top.name == "company_handover", texts(app)
        click(app, f"I am {person}")
        assert app.top.name == "company_results"
        click(app, "Finish the game")


def engine_cards(session):
    """The scorecards and the conversation, the engine driven directly with the same turns."""
    from engine.simulation import Simulation

    s, firm = session.scenario, session.firm_id
    sim = Simulation(s, SEED, role="cpo")
    sim.reset()
    turns = []
    for q in session.played:
        decisions, flags = combine(s, q.cpo, q.pms)
        turns.append(SeatTurns(q.cpo, q.pms, flags, sim.step({firm: decisions})))
    return (
        scorecards(s, sim.scorecard(firm), sim.history, turns),
        conversation(s, sim.history, turns),
    )


def shown(text: str) -> str:
    """A text as a text box holds it."""
    return html.escape(plain(text), quote=False)


def test_a_hot_seat_game_ends_in_the_company_debrief_with_the_engines_numbers(app):
    session = hot_seat(app)
    play_quarter(app, session, first=True)
    while not session.finished:
        play_quarter(app, session)
    finish(app, session)
    assert app.top.name == "company_debrief"
    debrief = app.top
    cards, lines = engine_cards(session)

    company = cards["company"]
    box = debrief.company_box.html_text
    assert f"Score {company['score']:.0f} / 100 — grade {company['grade']}" in box
    met = sum(o["status"] == "met" for o in company["objectives"])
    assert f"Objectives met: {met} of {len(company['objectives'])}" in box
    for o in company["objectives"]:
        assert html.escape(plain(o["description"])) in box  # as objectives_html shows it

    seats = debrief.seats_box.html_text
    assert set(cards["seats"]) == {"cpo", "pm:classroom", "pm:tutor"}
    for seat_id, who in (*PEOPLE.items(), ("pm:exam_prep", "the AI PM")):
        assert shown(f"{session.seat_title(seat_id)} · {who}") in seats
    at = [seats.index(shown(f"{session.seat_title(s)} · {w}")) for s, w in PEOPLE.items()]
    assert at == sorted(at)  # in table order
    for seat_id, card in cards["seats"].items():
        start = seats.index(shown(f"{session.seat_title(seat_id)} · {PEOPLE[seat_id]}"))
        for sentence in card["evidence"]:  # aligned x of y, studies shared, notes
            assert shown(sentence) in seats[start:], sentence
    tutor = cards["seats"]["pm:tutor"]
    assert tutor["shared_studies"] == 1 and tutor["themed"] >= 1
    assert f"Followed the CPO's theme in {tutor['aligned']} of {tutor['themed']}" in seats
    assert cards["seats"]["cpo"]["notes"] == 1 and "The PMs sent you 1 note" in seats

    press(app, pygame.K_2)
    talk = debrief.conversation_box.html_text
    assert "<b>Quarter 1</b>" in talk and f"<b>Quarter {session.scenario.quarters}</b>" in talk
    assert lines, "the seats said something"
    place = 0
    for line in lines:  # every line, in the engine's order, after its seat in words
        who = session.people.get(line.seat, "the AI PM")
        speaker = shown(f"{session.seat_title(line.seat)} · {who}")
        found = talk.index(f"{speaker}:</b> {shown(line.text)}", place)
        place = found
    flag = next(line for line in lines if "over the CPO's budget" in line.text)
    assert f"Flag · {shown('PM of Quill Tutor · Kwame')}:</b> {shown(flag.text)}" in talk
    assert shown('Families <want> a "cheaper" plan & more') in talk

    press(app, pygame.K_3)
    assert "Revenue" in texts(app)
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "title" and app.company is None


def test_export_writes_escaped_html_and_csv(app):
    from game.company_session import CompanySession
    from game.scenes.company import start_company

    hostile = '<b>&"x'
    session = CompanySession(portfolio(), SEED, {"cpo": hostile, "pm:tutor": "=HYPERLINK(1)"})
    while not session.finished:
        for seat in list(session.people):
            session.hand_in(seat)
    start_company(app, session)  # a finished game opens its debrief
    frames(app, 2)
    assert app.top.name == "company_debrief"
    assert html.escape(hostile, quote=False) in texts(app) and hostile not in texts(app)
    click(app, "Export report")
    assert app.top.name == "dialog" and "Report saved" in texts(app)
    reports = sorted((autosave_path().parent.parent / "reports").iterdir())
    names = [p.name for p in reports]
    assert len(reports) == 3 and names[0].startswith(f"portfolio-company-{SEED}-")
    page = next(p for p in reports if p.suffix == ".html")
    text = page.read_text(encoding="utf-8")
    assert hostile not in text and html.escape(hostile) in text
    card = session.scorecards()["company"]
    assert f'data-value="{float(card["score"])!r}"' in text
    seats = next(p for p in reports if p.name.endswith("-seats.csv"))
    rows = list(csv.DictReader(io.StringIO(seats.read_text(encoding="utf-8"))))
    table = ["company", "cpo", "pm:classroom", "pm:tutor", "pm:exam_prep"]
    assert [r["seat"] for r in rows] == table
    assert rows[1]["who"] == hostile  # CSV quotes it; no HTML in a CSV
    assert rows[3]["who"] == "'=HYPERLINK(1)"  # no formula for a spreadsheet to run
    assert float(rows[0]["score"]) == card["score"] and rows[0]["grade"] == card["grade"]
    cpo = session.scorecards()["seats"]["cpo"]
    assert int(rows[1]["aligned"]) == cpo["aligned"] and int(rows[1]["notes"]) == cpo["notes"]
    said = next(p for p in reports if p.name.endswith("-conversation.csv"))
    talk = list(csv.DictReader(io.StringIO(said.read_text(encoding="utf-8"))))
    assert [(int(r["quarter"]), r["seat"], r["text"]) for r in talk] == [
        (line.quarter, line.seat, line.text) for line in session.conversation()
    ]


def test_autosave_after_a_quarter_and_continue_restores_the_same_game(app):
    session = hot_seat(app)
    play_quarter(app, session, first=True)
    path = company_autosave_path()
    assert path.exists() and json.loads(path.read_text())["quarters"][0]["cpo"]
    press(app, pygame.K_ESCAPE)  # on the handover: the pause menu
    click(app, "Quit to title")
    assert app.top.name == "title" and app.company is None
    click(app, "Continue")
    again = app.company
    assert again is not None and again is not session
    assert app.top.name == "company_handover" and "Pass the laptop to Mara, CPO" in texts(app)
    assert again.quarter == session.quarter == 2
    assert again.people == session.people and again.bots == session.bots
    assert [r.to_dict() for r in again.reports] == [r.to_dict() for r in session.reports]
    assert again.played == session.played
    click(app, "I am Mara")  # the results come first, then the hub of quarter 2
    assert app.top.name == "company_results" and "over the CPO's budget" in texts(app)
    click(app, "Plan quarter 2")
    assert app.top.name == "company_hub" and app.top.seat_id == "cpo"


def test_continue_resumes_the_game_saved_last(app):
    from game.scenes.flow import start_game
    from game.scenes.title import TitleScene
    from game.session import list_scenarios

    start_game(app, list_scenarios()[0], "pm", 3)  # a solo game, autosaved
    session = hot_seat(app)  # then a company game, autosaved as it starts
    solo = autosave_path()
    os.utime(solo, ns=(1, company_autosave_path().stat().st_mtime_ns - 10**9))
    app.company = None
    app.reset_to(TitleScene(app))
    frames(app, 1)
    click(app, "Continue")
    assert app.company is not None and app.company.people == session.people
    os.utime(solo, ns=(1, company_autosave_path().stat().st_mtime_ns + 10**9))
    app.company = None
    app.reset_to(TitleScene(app))
    frames(app, 1)
    click(app, "Continue")
    assert app.top.name == "hub" and app.session is not None and app.company is None


def test_the_pause_menu_saves_a_company_game(app):
    hot_seat(app)
    path = company_autosave_path()
    path.unlink()
    press(app, pygame.K_ESCAPE)
    click(app, "Save")
    assert path.exists() and "Saved" in texts(app)


def _damaged(raw: dict, case: str) -> str:
    if case == "truncated":
        return json.dumps(raw)[:200]
    if case == "seed":
        raw["seed"] = -4
    elif case == "bool seed":
        raw["seed"] = True
    elif case == "unknown bot":
        raw["bots"]["pm:exam_prep"] = "oracle"
    elif case == "ai cpo":
        raw["people"] = {"pm:tutor": "Kwame"}
        raw["bots"]["cpo"] = "ai"
    elif case == "stray bot":
        raw["bots"]["pm:chess"] = "balanced"
    elif case == "twice":
        raw["bots"]["pm:tutor"] = "balanced"
    elif case == "seat":
        raw["people"]["pm:chess"] = "Bobby"
    elif case == "long name":
        raw["people"]["cpo"] = "M" * 500
    elif case == "scenario":
        raw["scenario_hash"] = "0" * 64
    elif case == "line":
        raw["quarters"][0]["pms"]["chess"] = {}
    elif case == "nobody":
        raw["people"] = {}
    elif case == "not a save":
        raw = [1, 2]
    return json.dumps(raw)


@pytest.mark.parametrize(
    "case, words",
    [
        ("truncated", "damaged"),
        ("seed", "damaged or incomplete: seed"),
        ("bool seed", "damaged or incomplete: seed"),
        ("unknown bot", "no such bot"),
        ("ai cpo", "no such bot"),
        ("stray bot", "seat 'pm:chess' is held twice or is not at"),
        ("twice", "seat 'pm:tutor' is held twice"),
        ("seat", "no line 'chess'"),
        ("long name", "damaged or incomplete: people.cpo"),
        ("scenario", "has changed since"),
        ("line", "a line 'chess' in quarter 1"),
        ("nobody", "damaged or incomplete: people"),
        ("not a save", "not a Crossroads company save"),
    ],
)
def test_a_damaged_company_save_gives_a_message_and_is_kept(app, case, words):
    from game.company_session import CompanySession
    from game.scenes.title import TitleScene

    session = CompanySession(portfolio(), SEED, PEOPLE)
    for seat in list(session.people):
        session.hand_in(seat)  # quarter 1 played: autosaved
    path = company_autosave_path()
    damaged = _damaged(json.loads(path.read_text()), case)
    path.write_text(damaged)
    app.reset_to(TitleScene(app))
    frames(app, 1)
    click(app, "Continue")
    assert app.top.name == "dialog", texts(app)
    assert "Cannot continue" in texts(app) and html.escape(words) in texts(app)
    press(app, pygame.K_RETURN)
    assert app.top.name == "title" and app.company is None
    assert path.read_text() == damaged  # nothing lost: the file is as it was


def test_a_finished_company_game_continues_to_its_debrief(app):
    from game.company_session import CompanySession
    from game.scenes.title import TitleScene

    session = CompanySession(portfolio(), SEED, {"pm:tutor": None})
    while not session.finished:
        session.hand_in("pm:tutor")
    app.reset_to(TitleScene(app))
    frames(app, 1)
    click(app, "Continue")
    assert app.top.name == "company_debrief"
    assert app.company is not None and app.company.finished
    click(app, "Back to the title")
    assert app.top.name == "title" and app.company is None
    assert company_autosave_path().exists()  # kept: Continue opens the debrief again


def _paths(node, at=()):
    """Every place in a JSON document (the document itself first)."""
    yield at
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in items:
        yield from _paths(child, (*at, key))


def test_any_damage_to_a_company_save_is_refused_in_words_or_replays(tmp_path):
    """A value anywhere in the save replaced by anything JSON holds: the load either replays
    a game or raises SaveError, never another exception."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from game.company_session import CompanySession
    from game.saves import SaveError

    session = CompanySession(portfolio(), SEED, PEOPLE)
    FIRST["cpo"](session.desk("cpo"))
    FIRST["pm:tutor"](session.desk("pm:tutor"))
    for seat in list(session.people):
        session.hand_in(seat)
    good = json.loads(company_autosave_path().read_text())
    places = list(_paths(good))
    anything = st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats()
        | st.text(max_size=80),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )
    target = tmp_path / "damaged.json"

    @settings(
        max_examples=80,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.sampled_from(places), anything)
    def damage(place, value):
        doc = json.loads(json.dumps(good))
        if not place:
            doc = value
        else:
            node = doc
            for key in place[:-1]:
                node = node[key]
            node[place[-1]] = value
        target.write_text(json.dumps(doc))
        with contextlib.suppress(SaveError):
            CompanySession.load(target)

    damage()


def test_quitting_the_window_saves_a_company_game(app):
    hot_seat(app)
    path = company_autosave_path()
    path.unlink()
    app.quit()
    assert path.exists() and not app.running
