"""The People tab, the roadmap's promise marks and the results' People section, driven
through the real event queue on the fixture scenarios with colleagues
(``tests/fixtures/people``: ``deal.yaml``, and ``wary.yaml`` with a wary sales lead and a
smaller version of the request)."""

from __future__ import annotations

import html
import re

import pygame
import pytest
from helpers import buttons, click, find_button, frames, press, texts
from test_layout import PEOPLE

from engine.decisions import RequestResponse
from game.scenes.flow import start_game
from game.session import list_scenarios, read_scenario

KEY = "sales.northwind"
"""The fixture's request: Sales (Dana Okafor) asks for single sign-on by the end of Q6
(negotiable by two quarters)."""


def open_game(app, name: str = "deal.yaml"):
    """Start a PM game of a fixture scenario (no coach) on the hub."""
    start_game(app, read_scenario(PEOPLE / name), "pm", 3, "none")
    frames(app, 2)
    assert app.top.name == "hub"
    return app.session


def go_to(app, title: str) -> None:
    """Switch tabs with the number key on the tab button."""
    number = [t.title for t in app.top.tabs].index(title) + 1
    assert find_button(app, f"{number} {title}")
    press(app, pygame.K_0 + number)
    assert app.top.tab.title == title


def shown_words(app) -> str:
    """The screen's text without the text boxes' markup."""
    return html.unescape(re.sub(r"<[^>]+>", "", texts(app)))


def answer(session) -> RequestResponse | None:
    return session.draft.responses.get(KEY)


def play(app) -> None:
    """End quarter and confirm (the hub's own flow) onto the results screen."""
    click(app, "End quarter")
    assert app.top.name == "dialog", texts(app)
    click(app, "Play the quarter")
    assert app.top.name == "results", texts(app)


def test_the_tab_appears_only_with_colleagues(make_app):
    app = make_app()
    tutorial = list_scenarios()[0]
    for role in ("pm", "cpo"):
        start_game(app, tutorial, role, 3, "none")
        assert "People" not in [t.title for t in app.top.tabs], role
    session = open_game(app)
    titles = [t.title for t in app.top.tabs]
    assert titles[-1] == "People"  # last: the other tabs keep their number keys
    assert titles[:-1] == [
        "Dashboard",
        "Market",
        "Research",
        "Roadmap",
        "Pricing & marketing",
        "Team & culture",
        "Forecast",
    ]
    go_to(app, "People")
    shown = shown_words(app)
    for words in (
        "Colleagues",
        "Sales · Dana Okafor",
        "Close the big mid-market deals.",
        "Trust 0.60",
        "Engineering · Sam Lee",
        "Trust 0.50",
        "Requests this quarter",
        "Sales (Dana Okafor) asks:",
        "Northwind will sign for 1,200 seats",
        "Due by the end of Q6; they may agree to wait until Q8.",
        "1,200 customers in Mid-market sign up for Teamboard",
        "Your answer: none yet",
        "No promises yet",
    ):
        assert words in shown, words
    assert session.draft.responses == {}


def test_accept_negotiate_and_decline_write_the_answer(make_app):
    app = make_app()
    session = open_game(app)
    go_to(app, "People")

    click(app, "Accept")
    assert answer(session) == RequestResponse(answer="accept")
    assert answer(session).model_dump(exclude_unset=True) == {"answer": "accept"}
    assert "Your answer: a promise, by the end of Q6." in shown_words(app)
    click(app, "Accept")  # the same button again takes the answer back
    assert answer(session) is None
    assert "Your answer: none yet" in shown_words(app)

    click(app, "Negotiate")
    assert answer(session) == RequestResponse(answer="negotiate", due=7)
    shown = shown_words(app)
    assert "Your answer: you offer Q7." in shown
    assert "Dana Okafor's trust is 0.60; this offer needs 0.45: they will agree." in shown
    assert "Q6" not in [b.text for b in buttons(app)]  # no smaller version: only later
    click(app, "Q8")
    assert answer(session) == RequestResponse(answer="negotiate", due=8)
    assert "this offer needs 0.55: they will agree." in shown_words(app)

    click(app, "Decline")
    assert answer(session) == RequestResponse(answer="decline")
    assert "Say why you decline" in shown_words(app)  # the engine's problem, by the controls
    assert session.problems()[0], "a decline without a reason blocks the quarter"
    click(app, "Capacity")
    assert answer(session) == RequestResponse(answer="decline", reason="capacity")
    shown = shown_words(app)
    assert "Your answer: no, because no capacity." in shown
    assert "Say why you decline" not in shown
    assert session.problems() == ([], [])


def test_a_negotiation_beyond_trust_shows_the_warning(make_app):
    app = make_app()
    session = open_game(app, "wary.yaml")
    go_to(app, "People")
    assert "Trust 0.40" in shown_words(app)
    assert "Smaller version: Northwind signs a pilot" in shown_words(app)

    click(app, "Negotiate")
    assert answer(session) == RequestResponse(answer="negotiate", due=7)
    shown = shown_words(app)
    assert (
        "Dana Okafor's trust is 0.40; this offer needs 0.45: they will not agree and will ask "
        "again next quarter." in shown
    )
    errors, warnings = session.problems()
    assert errors == [] and any("they will not agree" in w for w in warnings)

    click(app, "Smaller version: no")
    assert answer(session) == RequestResponse(answer="negotiate", due=7, smaller=True)
    click(app, "Q6")  # with the smaller version the asked quarter is an offer too
    assert answer(session) == RequestResponse(answer="negotiate", due=6, smaller=True)
    shown = shown_words(app)
    assert "Your answer: you offer the smaller version by Q6." in shown
    assert "this offer needs 0.50: they will not agree" in shown


def test_playing_the_quarter_reports_the_answer(make_app):
    app = make_app()
    session = open_game(app)
    go_to(app, "People")
    click(app, "Negotiate")
    click(app, "Q8")
    play(app)
    people = session.reports[-1].people[session.firm_id]
    (response,) = people.responses
    assert (response.key, response.answer, response.outcome, response.due) == (
        KEY,
        "negotiate",
        "agreed",
        8,
    )
    shown = shown_words(app)
    assert "People" in shown
    assert "Sales (Dana Okafor) agreed to Q8: Northwind will sign" in shown
    assert session.log[-1][session.firm_id].responses[KEY].due == 8

    click(app, "Plan quarter 2")  # on to quarter 2: the promise is on the tab
    assert app.top.name == "hub" and session.quarter == 2
    go_to(app, "People")
    shown = shown_words(app)
    assert "Open · Sales (Dana Okafor): Northwind will sign" in shown
    assert "due Q8 · not shipped yet" in shown
    assert "Mood after Q1:" in shown


def test_the_roadmap_marks_a_requested_then_promised_item(make_app):
    app = make_app()
    session = open_game(app)
    go_to(app, "Roadmap")
    assert "Sales asks for it by Q6" in shown_words(app)
    go_to(app, "People")
    click(app, "Accept")
    play(app)
    click(app, "Plan quarter 2")
    assert app.top.name == "hub" and session.quarter == 2
    go_to(app, "Roadmap")
    shown = shown_words(app)
    assert "Promised to Sales by Q6" in shown
    assert "asks for it" not in shown


def test_the_results_name_a_let_down_colleague_after_an_ignored_request(make_app):
    app = make_app()
    session = open_game(app)
    click(app, "End quarter")  # the request is left unanswered: the hand-in says so
    assert app.top.name == "dialog"
    assert "Sales (Dana Okafor) is waiting for an answer (People tab)" in shown_words(app)
    click(app, "Play the quarter")
    assert app.top.name == "results"
    people = session.reports[-1].people[session.firm_id]
    assert [r.outcome for r in people.responses] == ["ignored"]
    shown = shown_words(app)
    assert "Sales (Dana Okafor) is let down: No answer to: Northwind will sign" in shown
    assert "got no answer" not in shown  # said once, as the colleague's reason


def test_a_ninth_tab_has_its_number_key(make_app, monkeypatch):
    """A desk that sees nine tabs (here a PM who also sees the Portfolio tab) reaches the
    ninth with 9, and the tab bar keeps every button in the window."""
    from game.scenes.portfolio import PortfolioTab

    monkeypatch.setattr(PortfolioTab, "roles", ("pm", "cpo"))
    app = make_app()
    open_game(app)
    hub = app.top
    assert len(hub.tabs) == 9 and hub.tabs[-1].title == "People"
    press(app, pygame.K_9)
    assert hub.tab.title == "People"
    window = pygame.Rect((0, 0), app.screen.get_size())
    assert all(window.contains(b.rect) for b in hub.tab_buttons)


@pytest.mark.parametrize("language", ["en", "de"])
def test_words_follow_the_language(make_app, language):
    app = make_app(language=language)
    open_game(app)
    go_to(app, "Kollegen" if language == "de" else "People")
    shown = shown_words(app)
    assert ("Vertrauen 0,60" if language == "de" else "Trust 0.60") in shown
    assert ("Anfragen in diesem Quartal" if language == "de" else "Requests this quarter") in (
        shown
    )
