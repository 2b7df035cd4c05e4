"""Keyboard only: a whole PM quarter and a workshop hand-in with Tab, arrows and Enter.

Every Tab stop must be on screen (the focus ring is drawn around it): a control in a
scrolled list or on a screen larger than the window is scrolled into view. The quarter is
played at 100% and at 160% text in a 1280×720 window, where every screen scrolls.
"""

from __future__ import annotations

import itertools

import pygame
import pygame_gui
import pytest
from helpers import frames, press, texts

Slider = pygame_gui.elements.UIHorizontalSlider


def tab_to(app, want, what: str, limit: int = 400):
    """Press Tab until the focus is on a control for which ``want(control)`` holds; each stop
    must lie (at least partly) inside the window and be the control the ring is drawn on."""
    window = pygame.Rect((0, 0), app.screen.get_size())
    for _ in range(limit):
        press(app, pygame.K_TAB)
        element = app.focused_element()
        assert element is not None, f"Tab reached nothing on {app.top.name}"
        visible = element.rect.clip(window)
        assert visible.w * visible.h >= 0.5 * element.rect.w * element.rect.h, (
            f"{app.top.name}: the focused {type(element).__name__} {element.rect} is out of view"
        )
        if want(element):
            return element
    raise AssertionError(f"Tab never reached {what} on {app.top.name}:\n{texts(app)}")


def button(text: str):
    """A predicate: a button whose label starts with ``text``."""
    return lambda e: isinstance(e, pygame_gui.elements.UIButton) and e.text.startswith(text)


def tab_key(app, title: str) -> None:
    """Switch the hub's tab with its number key."""
    press(app, pygame.K_0 + [t.title for t in app.top.tabs].index(title) + 1)
    assert app.top.tab.title == title


@pytest.mark.parametrize("text_scale", [1.0, 1.6])
def test_a_whole_pm_quarter_with_keys_only(make_app, text_scale):
    app = make_app(1280, 720, text_scale=text_scale)
    press(app, pygame.K_RETURN)  # Play has the focus on the title
    press(app, pygame.K_RETURN)  # the first scenario (the tutorial): choose your role
    assert app.top.name == "role_choice"
    press(app, pygame.K_RETURN)  # the first role card: Product Manager
    assert app.top.name == "briefing"
    press(app, pygame.K_RETURN)
    assert app.top.name == "hub" and app.session.role == "pm"
    session = app.session
    product = session.products()[0].id

    tab_key(app, "Pricing & marketing")
    lower = tab_to(app, button("−"), "the price's − button")
    press(app, pygame.K_RETURN)
    price = session.draft.products[product].price
    assert price is not None and price < session.products()[0].price
    slider = tab_to(app, lambda e: isinstance(e, Slider), "a slider")
    drafted = session.draft.model_dump()
    value = slider.get_current_value()
    press(app, pygame.K_RIGHT)
    assert app.focused_element().get_current_value() > value
    assert session.draft.model_dump() != drafted, "the slider's arrow key changed nothing"
    assert lower is not None

    tab_key(app, "Roadmap")
    tab_to(app, button("Add"), "an Add button")
    press(app, pygame.K_RETURN)
    assert session.draft.products[product].roadmap

    decided = session.draft.model_dump()
    tab_to(app, button("End quarter"), "End quarter")
    press(app, pygame.K_RETURN)
    assert app.top.name == "dialog"
    tab_to(app, button("Play the quarter"), "the confirmation")
    press(app, pygame.K_RETURN)
    assert app.top.name == "results"
    assert session.log[-1]["player"].model_dump() == decided
    press(app, pygame.K_RETURN)
    assert app.top.name == "hub" and session.quarter == 2


@pytest.mark.parametrize("text_scale", [1.0, 1.6])
def test_answering_a_colleague_with_keys_only(make_app, text_scale):
    """The People tab by its number key; Negotiate, a later quarter, Decline with a reason
    and Accept with Enter or Space, each Tab stop in view; the answer played."""
    from test_layout import PEOPLE

    from engine.decisions import RequestResponse
    from game.scenes.flow import start_game
    from game.session import read_scenario

    app = make_app(1280, 720, text_scale=text_scale)
    start_game(app, read_scenario(PEOPLE / "deal.yaml"), "pm", 3, "none")
    frames(app, 2)
    session = app.session
    tab_key(app, "People")
    tab_to(app, button("Negotiate"), "Negotiate")
    press(app, pygame.K_RETURN)
    assert session.draft.responses["sales.northwind"] == RequestResponse(answer="negotiate", due=7)
    tab_to(app, button("Q8"), "the offer of Q8")
    press(app, pygame.K_SPACE)
    assert session.draft.responses["sales.northwind"].due == 8
    tab_to(app, button("Decline"), "Decline")
    press(app, pygame.K_RETURN)
    tab_to(app, button("Strategy"), "a reason")
    press(app, pygame.K_RETURN)
    assert session.draft.responses["sales.northwind"] == RequestResponse(
        answer="decline", reason="strategy"
    )
    tab_to(app, button("Accept"), "Accept")
    press(app, pygame.K_SPACE)
    assert session.draft.responses["sales.northwind"] == RequestResponse(answer="accept")
    tab_to(app, button("End quarter"), "End quarter")
    press(app, pygame.K_RETURN)
    tab_to(app, button("Play the quarter"), "the confirmation")
    press(app, pygame.K_RETURN)
    assert app.top.name == "results"
    (response,) = session.reports[-1].people[session.firm_id].responses
    assert response.outcome == "accepted"


def test_a_workshop_hand_in_with_keys_only(app):
    """The facilitator sets up (mouse); a team enters, decides and hands in by keyboard."""
    from test_workshop_screens import new_session

    session = new_session(app, "shared")
    team = session.teams[0]
    tab_to(app, button("Enter"), f"{team}'s Enter button")
    press(app, pygame.K_RETURN)
    assert app.top.name == "workshop_privacy"
    tab_to(app, button("We are"), "the privacy screen's button")
    press(app, pygame.K_RETURN)
    assert app.top.name == "workshop_team_hub" and app.top.desk.team == team
    tab_key(app, "Roadmap")
    tab_to(app, button("Add"), "an Add button")
    press(app, pygame.K_RETURN)
    meant = app.top.desk.authored()
    assert next(iter(meant.products.values())).roadmap
    tab_to(app, button("Hand in"), "Hand in")
    press(app, pygame.K_RETURN)
    if app.top.name == "dialog":  # a warning to confirm (over capacity...)
        tab_to(app, button("Hand in"), "the confirmation")
        press(app, pygame.K_RETURN)
    frames(app, 2)
    assert app.top.name == "workshop_submitted", texts(app)
    assert session.decisions(1)[team].model_dump() == meant.model_dump()


def test_tab_order_reads_top_to_bottom_column_by_column_on_every_screen(app):
    """Tab never jumps back up within a column: the next control is below the last one or
    starts a column further right (the reading order of the screen)."""
    from test_layout import screens

    backwards = []
    for name in screens(app):
        frames(app, 1)
        items = app.top.focusables()
        assert items, f"{name}: nothing to Tab to"
        for a, b in itertools.pairwise(items):
            if b.rect.bottom < a.rect.top - 4 and b.rect.left <= a.rect.right:
                backwards.append(
                    f"{name}: {getattr(b, 'text', b)!r} after {getattr(a, 'text', a)!r}"
                )
    assert not backwards, "\n".join(backwards[:10])
