"""Scripted playthroughs of the tutorial through the real event queue, as PM and as CPO."""

from __future__ import annotations

import html

import pygame
import pygame_gui
import pytest
from helpers import buttons, click, click_at, elements, find_button, frames, press, texts

from engine.decisions import describe
from engine.formatting import money, pct
from game.widgets.text import plain


def type_into(app, entry, text: str) -> None:
    """Click a text entry and type into it."""
    click_at(app, entry.rect.center)
    for ch in text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    frames(app, 2)


def open_tutorial(app, role_button: str) -> None:
    """Title → scenario picker → role → briefing → hub, asserting each screen."""
    assert app.top.name == "title"
    assert "Crossroads" in texts(app)
    click(app, "Play")
    assert app.top.name == "scenario_picker"
    assert "Tutorial: Teamboard" in texts(app)
    click(app, "Choose your role")
    assert app.top.name == "role_choice"
    click(app, role_button)
    assert app.top.name == "briefing"
    shown = texts(app)
    objectives = app.top.entry.scenario.objectives
    role = app.top.role
    assert "Your objectives" in shown
    for o in objectives:
        assert (html.escape(plain(o.description)) in shown) == (role in o.roles), o.id
    press(app, pygame.K_RETURN)
    assert app.top.name == "hub"


def go_to_tab(app, title: str) -> None:
    """Switch tabs with the number key shown on the tab button."""
    number = [t.title for t in app.top.tabs].index(title) + 1
    assert find_button(app, f"{number} {title}")
    press(app, pygame.K_0 + number)
    assert app.top.tab.title == title


def end_quarter(app) -> None:
    """End quarter, confirm, check the results screen against the engine's report."""
    session = app.session
    quarter = session.quarter
    click(app, "End quarter")
    assert app.top.name == "dialog"
    assert f"End quarter {quarter}?" in texts(app)
    click(app, "Play the quarter")
    assert app.top.name == "results"
    report = session.sim.history[-1]
    assert report.quarter == quarter
    firm = report.firms[session.firm_id]
    shown = texts(app)
    assert money(firm.revenue, "$") in shown
    assert pct(firm.share) in shown
    assert "What you decided" in shown  # engine.decisions.describe, as in the debrief
    for line in describe(
        session.scenario,
        session.log[-1][session.firm_id],
        session.sim.history[-2],
        session.log[-2][session.firm_id] if len(session.log) > 1 else None,
    ):
        assert plain(line) in shown
    for exp in report.drivers:
        if exp.firm == session.firm_id:
            assert exp.summary.split(":")[0] in shown
    for move in report.competitor_moves:
        assert move.text.split(" (")[0] in shown


def pm_decisions(app) -> None:
    """One real decision on every PM tab."""
    session = app.session
    product = session.products()[0].id
    go_to_tab(app, "Research")
    click(app, "Buy")
    go_to_tab(app, "Roadmap")
    click(app, "Add")
    go_to_tab(app, "Pricing & marketing")
    click(app, "−")  # price down one step
    go_to_tab(app, "Team & culture")
    click(app, "Start")
    go_to_tab(app, "Forecast")
    revenue, share = [
        e for e in elements(app) if isinstance(e, pygame_gui.elements.UITextEntryLine)
    ]
    type_into(app, revenue, "1200000")
    type_into(app, share, "16")
    draft = session.draft
    assert draft.products[product].research
    assert draft.products[product].roadmap
    assert draft.products[product].price is not None
    assert draft.initiatives
    assert draft.forecast is not None and draft.forecast.share == pytest.approx(0.16)


def test_pm_plays_the_whole_tutorial(app):
    open_tutorial(app, "Play as Product Manager")
    session = app.session
    assert "Quarter 1 of 12" in texts(app)
    assert "make your decisions, then press End quarter." in texts(app)
    for _ in range(3):
        pm_decisions(app)
        price = session.draft.products["teamboard"].price
        end_quarter(app)
        assert session.log[-1]["player"].products["teamboard"].price == price
        press(app, pygame.K_RETURN)
        assert app.top.name == "hub"
        assert f"Quarter {session.quarter} of 12" in texts(app)
    while not session.finished:
        end_quarter(app)
        press(app, pygame.K_RETURN)
    assert app.top.name == "debrief"
    assert "Debrief: Tutorial: Teamboard" in texts(app)
    assert len(session.log) == 12
    card = session.sim.scorecard("player")
    assert f"Score {card['score']:.0f} / 100" in texts(app)
    assert "Compare with the bots" in texts(app)  # its numbers: test_debrief_export
    click(app, "Back to the title")
    assert app.top.name == "title"


def test_cpo_plays_three_quarters(app):
    open_tutorial(app, "Play as Chief Product Officer")
    session = app.session
    assert [t.title for t in app.top.tabs] == [
        "Dashboard",
        "Market",
        "Portfolio",
        "Team & culture",
        "Forecast",
    ]
    for _ in range(3):
        go_to_tab(app, "Portfolio")
        click(app, "Theme:")
        click(app, "+")  # mentoring for the first line
        if session.quarter == 1:
            click(app, "Fund")  # a bet stays funded until it resolves
        go_to_tab(app, "Team & culture")
        click(app, "Start")
        draft = session.draft
        assert draft.themes and draft.mentoring and draft.initiatives
        end_quarter(app)
        logged = session.log[-1]["player"]
        assert logged.themes == draft.themes
        press(app, pygame.K_RETURN)
    assert session.quarter == 4
    assert session.log[0]["player"].bets == session.log[1]["player"].bets == ["ai_lab"]
    # A decided bet shows its outcome, never "Fund" again.
    outcome = session.org().bets_resolved["ai_lab"]
    go_to_tab(app, "Portfolio")
    shown = texts(app)
    assert ("Paid off" if outcome else "Failed") in shown
    assert ("paid off:" if outcome else "did not pay off") in shown
    assert not [b for b in buttons(app) if b.text == "Fund"]
    assert "insights" in {p.id for p in session.products()}


def test_escape_opens_pause_and_resumes(app):
    open_tutorial(app, "Play as Product Manager")
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "pause"
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "hub"


def test_keyboard_only_reaches_the_hub(app):
    """Tab / Enter alone: Play → first scenario → PM → briefing → hub."""
    press(app, pygame.K_RETURN)  # Play has the focus on the title
    assert app.top.name == "scenario_picker"
    press(app, pygame.K_RETURN)  # nothing focused: Enter means 'Choose your role'
    assert app.top.name == "role_choice"
    press(app, pygame.K_RETURN)  # first role card is focused
    assert app.top.name == "briefing"
    press(app, pygame.K_RETURN)
    assert app.top.name == "hub"
    press(app, pygame.K_TAB)
    assert app.focused_element() is not None
    press(app, pygame.K_TAB, pygame.KMOD_SHIFT)
    assert app.focused_element() is not None


def test_a_sunset_line_leaves_every_tab_working(app):
    """A CPO sunsets a line on the Portfolio tab; next quarter no tab lists it or breaks."""
    from game.scenes.flow import start_game
    from game.session import list_scenarios

    entry = next(e for e in list_scenarios() if e.scenario and e.scenario.id == "portfolio")
    start_game(app, entry, "cpo", 3)
    frames(app, 2)
    while app.top.name != "hub":
        press(app, pygame.K_RETURN)
    session = app.session
    first = session.products()[0]
    go_to_tab(app, "Portfolio")
    click(app, "Sunset line")
    assert session.draft.sunset == [first.id]
    end_quarter(app)
    press(app, pygame.K_RETURN)
    assert app.top.name == "hub"
    assert first.id not in {p.id for p in session.products()}
    for number in range(1, len(app.top.tabs) + 1):
        press(app, pygame.K_0 + number)
        assert app.top.name == "hub"
    go_to_tab(app, "Portfolio")
    assert f"{first.name} ·" not in texts(app)
