"""The facilitator screens, driven through the event queue like a facilitator and four teams.

A scripted 4-team × 3-round session entered on the screens (privacy screen, each team's own
form, hand-in, resolve, reveal, end, export) must record exactly the decisions typed and give
the same results as the engine driven directly with them (``workshop_script.Reference``).
"""

from __future__ import annotations

import os
import random
import sys
import warnings
from collections.abc import Iterator

import pygame
import pygame_gui
import pytest
from helpers import click, elements, find_button, frames, press, texts

from engine.decisions import Decisions
from engine.formatting import money
from game.workshop.session import WorkshopSession

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "workshop"))
from workshop_script import RESOLUTION, ROUNDS, SEED, TEAMS, Reference, tutorial

Entry = pygame_gui.elements.UITextEntryLine


# ---------------------------------------------------------------------- input helpers
def key(app, k: int, mod: int = 0) -> None:
    """One key press (down and up) through the event queue, then one frame."""
    for kind in (pygame.KEYDOWN, pygame.KEYUP):
        pygame.event.post(pygame.event.Event(kind, key=k, mod=mod, unicode="", scancode=0))
    frames(app, 1)


def focus_on(app, element) -> None:
    """Move the keyboard focus onto ``element`` with a real Tab press."""
    items = app.top.focusables()
    app.focus_index = items.index(element) - 1
    key(app, pygame.K_TAB)
    assert app.focused_element() is element


def activate(app, element) -> None:
    """Tab to a control and press Enter (works for controls scrolled out of view)."""
    focus_on(app, element)
    key(app, pygame.K_RETURN)


def type_into(app, element, text: str) -> None:
    """Replace the text of an entry field: focus it, Ctrl-A, type (skipped if already so)."""
    if element.get_text() == text:
        return
    focus_on(app, element)
    key(app, pygame.K_a, pygame.KMOD_CTRL)
    if not text:
        key(app, pygame.K_BACKSPACE)
    for char in text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=char))
    frames(app, 1)
    assert element.get_text() == text


def entries(app) -> list:
    """Text fields of the top scene in keyboard (creation) order."""
    return [e for e in app.top.focusables() if isinstance(e, Entry)]


def row_button(app, label_start: str, button_start: str):
    """The button on the same row as the label that starts with ``label_start``."""
    labels = [
        e
        for e in elements(app)
        if isinstance(e, pygame_gui.elements.UILabel)
        and (e.text.split(" ", 1)[1] if e.text.startswith("#") else e.text).startswith(label_start)
    ]
    assert labels, f"no row '{label_start}'"
    label = labels[0]
    for e in app.top.focusables():
        if (
            isinstance(e, pygame_gui.elements.UIButton)
            and e.ui_container is label.ui_container
            and abs(e.relative_rect.y - label.relative_rect.y) <= 4
            and e.text.startswith(button_start)
        ):
            return e
    raise AssertionError(f"no button '{button_start}' on row '{label_start}'")


# ---------------------------------------------------------------------- screens
def hand_in(app) -> None:
    """Hand in the entry form, confirming warnings (over capacity...) if asked."""
    click(app, "Hand in")
    if app.top.name == "dialog":
        click(app, "Hand in")


def new_session(app, mode: str, role: str = "pm"):
    """Title → Workshop → New session: type the scripted set-up, create; the round view."""
    click(app, "Workshop")
    assert app.top.name == "workshop_menu"
    click(app, "New session")
    scene = app.top
    assert scene.name == "workshop_new"
    scene.resolution = RESOLUTION  # small market for a fast test
    if mode == "parallel":
        click(app, "Shared market")
    if role == "cpo":
        click(app, "Product Manager")  # the role button cycles PM -> CPO
    for _ in range(scene.rounds - ROUNDS):
        click(app, "−")
    fields = entries(app)
    type_into(app, fields[0], str(SEED))
    for field, name in zip(entries(app)[2:], TEAMS, strict=True):
        type_into(app, field, name)
    click(app, "Create session")
    assert app.top.name == "workshop_round", texts(app)
    session = app.top.session
    assert (session.mode, session.info.seed, session.info.rounds) == (mode, SEED, ROUNDS)
    assert session.teams == TEAMS
    assert session.info.role == role
    return session


def go_to_tab(app, title: str) -> None:
    """Switch the team hub's tab with the number key shown on the tab button."""
    number = [t.title for t in app.top.tabs].index(title) + 1
    press(app, pygame.K_0 + number)
    assert app.top.tab.title == title


def open_team_hub(app, team: str) -> None:
    """From the round view: the team's row, the privacy screen, then the team's own hub."""
    activate(app, row_button(app, f"{team}:", "Enter"))
    assert app.top.name == "workshop_privacy"
    shown = texts(app)
    assert f"Pass the keyboard to {team}" in shown
    assert all(other not in shown for other in TEAMS if other != team)
    click(app, "We are")
    assert app.top.name == "workshop_team_hub"
    assert app.top.desk.team == team


def pm_script(app, k: int) -> None:
    """Team number ``k``'s decisions on the hub's PM tabs (each team decides differently:
    every team builds and prices; one also researches, one hires, one forecasts)."""
    if k == 0:
        go_to_tab(app, "Research")
        click(app, "Buy")
    go_to_tab(app, "Roadmap")
    click(app, "Add")
    go_to_tab(app, "Pricing & marketing")
    for _ in range(k):
        click(app, "−")  # price down one step per team number
    if k == 2:
        go_to_tab(app, "Team & culture")
        click(app, "+")  # one team also hires
    if k == 3:
        go_to_tab(app, "Forecast")
        revenue, share = [e for e in elements(app) if isinstance(e, Entry)]
        type_into(app, revenue, "1050000")
        type_into(app, share, "15")
        frames(app, 2)  # the tab reads the typed forecast on its next event


def hand_in_and_leave(app, team: str) -> Decisions:
    """Hand in from the team hub; returns what the desk handed in (the scenario's ids)."""
    meant = app.top.desk.authored()
    hand_in(app)
    assert app.top.name == "workshop_submitted", texts(app)
    assert f"Recorded for {team}" in texts(app)
    click(app, "Back to the round view")
    assert app.top.name == "workshop_round"
    return meant


def resolve_and_compare(app, session: WorkshopSession, ref: Reference, round_: int) -> None:
    """Resolve on screen; every team's results equal the engine driven directly."""
    recorded = session.decisions(round_)
    ref.step(recorded)
    activate(app, find_button(app, f"Resolve round {round_}"))
    assert app.top.name == "workshop_reveal"
    assert f"Results of round {round_}" in texts(app)
    for team in TEAMS:
        firm = ref.maps[team].firm
        got = session.reports(team)[-1].firms[firm]
        want = ref.last(team).firms[firm]
        assert (got.revenue, got.profit, got.cash, got.customers) == (
            want.revenue,
            want.profit,
            want.cash,
            want.customers,
        ), (round_, team)


@pytest.mark.parametrize("mode", ["shared", "parallel"])
def test_scripted_session_through_the_screens_matches_the_engine(app, mode, tmp_path):
    session = new_session(app, mode)
    ref = Reference(tutorial(), mode)
    for round_ in range(1, ROUNDS + 1):
        meant = {}
        for k, team in enumerate(TEAMS):
            open_team_hub(app, team)
            pm_script(app, k)
            meant[team] = hand_in_and_leave(app, team)
        recorded = session.decisions(round_)
        for team in TEAMS:
            assert recorded[team].model_dump() == meant[team].model_dump(), team
            assert recorded[team].products["teamboard"].roadmap
        assert recorded["Alpha"].products["teamboard"].research
        assert recorded["Charlie"].products["teamboard"].hires == 1
        assert recorded["Delta"].forecast is not None
        resolve_and_compare(app, session, ref, round_)
        if round_ < ROUNDS:
            press(app, pygame.K_RETURN)  # on to the next round
            assert app.top.name == "workshop_round"
    assert session.finished
    click(app, "Class leaderboard")
    assert app.top.name == "workshop_end"
    board = texts(app)
    for row in session.leaderboard():
        assert row["team"] in board and money(row["revenue"]) in board
    if mode == "shared":
        click(app, "Export results")
        assert "Exporting" in texts(app)
        assert app.top.job.wait(60)
        frames(app, 2)
        assert "Wrote" in texts(app)
        from game.scenes.workshop.end import export_dir

        folder = export_dir(session.id)
        assert (folder / "leaderboard.csv").exists()
        # The folder is shown broken after separators, never inside a name.
        shown = app.top.status.split("<br><br>")[0].split("<br>")[1:]
        assert "".join(shown) == str(folder) and all(line for line in shown)


@pytest.mark.parametrize("mode", ["shared", "parallel"])
def test_a_cpo_team_plays_the_cpo_decisions_on_screen(app, mode):
    """Initiative, mentoring, a bet and a hiring freeze, all on the team's hub."""
    session = new_session(app, mode, role="cpo")
    ref = Reference(tutorial(), mode, role="cpo")
    sc = session.scenario
    open_team_hub(app, "Alpha")
    assert "make your decisions, then press Hand in." in texts(app)
    assert [t.title for t in app.top.tabs] == [
        "Dashboard",
        "Market",
        "Portfolio",
        "Team & culture",
        "Forecast",
    ]
    go_to_tab(app, "Portfolio")
    click(app, "+")  # mentoring time for the first line's PM
    click(app, "Fund")  # the first innovation bet
    go_to_tab(app, "Team & culture")
    click(app, "Start")  # the first culture initiative
    click(app, "Hiring freeze: off")
    assert "Hiring freeze: on" in texts(app)
    hand_in_and_leave(app, "Alpha")
    recorded = session.decisions(1)["Alpha"]
    assert recorded.initiatives == [sc.initiatives[0].id]
    assert recorded.bets == [sc.bets[0].id]
    assert recorded.hiring_freeze is True
    assert sum(recorded.mentoring.values()) > 0
    for team in TEAMS[1:]:  # the other teams hand in through the session directly
        session.submit(team, Decisions())
    resolve_and_compare(app, session, ref, 1)
    org = session.reports("Alpha")[-1].organisation[ref.maps["Alpha"].firm]
    assert org is not None
    # Next round the team's hub starts from the standing choices (the solo rule).
    press(app, pygame.K_RETURN)
    open_team_hub(app, "Alpha")
    draft = app.top.desk.authored()
    assert draft.hiring_freeze and draft.bets == recorded.bets
    assert draft.mentoring == recorded.mentoring and not draft.initiatives


def test_a_team_sees_only_its_own_numbers(app):
    session = new_session(app, "shared")
    ref = Reference(tutorial(), "shared")
    bots = ref.decide()
    for team in TEAMS:  # different bots: the teams' numbers differ after round 1
        session.submit(team, bots[team])
    session.resolve()
    app.top.rebuild()
    click(app, "Enter decisions")  # the first team: Alpha
    assert app.top.name == "workshop_privacy"
    assert "Alpha" in texts(app) and "Bravo" not in texts(app)
    click(app, "We are")
    assert app.top.name == "workshop_team_hub"
    shown = texts(app)
    own = session.team_view("Alpha").firm
    own_last = own.history[-1].firms[own.firm]
    assert money(own_last.revenue) in shown and money(own.cash) in shown  # its own numbers
    others = [r for r in session.leaderboard() if r["team"] != "Alpha"]
    assert all(r["team"] not in shown for r in others)
    for r in others:
        for key in ("revenue", "profit", "cash"):
            figure = money(r[key])
            if figure not in (money(own_last.revenue), money(own_last.profit), money(own.cash)):
                assert figure not in shown, (r["team"], key, figure)


def test_refusals_are_shown_in_words_and_nothing_is_recorded(app):
    session = new_session(app, "shared")
    press(app, pygame.K_RETURN)  # Enter on the round view: the next waiting team
    assert app.top.name == "workshop_privacy" and app.top.team == "Alpha"
    press(app, pygame.K_RETURN)  # the team at the keyboard: Enter shows its hub
    assert app.top.name == "workshop_team_hub"
    go_to_tab(app, "Team & culture")
    click(app, "+")  # hire one engineer...
    click(app, "Hiring freeze: off")  # ...and freeze hiring
    click(app, "Hand in")
    assert app.top.name == "dialog"
    shown = texts(app)
    assert "Not ready yet" in shown and "cannot hire 1 during a hiring freeze" in shown
    assert session.submitted()["Alpha"] is False
    press(app, pygame.K_RETURN)
    assert app.top.name == "workshop_team_hub"
    press(app, pygame.K_ESCAPE)
    click(app, "Leave")
    assert app.top.name == "workshop_round"
    assert session.submitted()["Alpha"] is False


def test_inject_pause_rewind_and_resume(app):
    session = new_session(app, "shared")
    click(app, "Inject an event")
    assert app.top.name == "workshop_inject"
    first = next(b for b in app.top.focusables() if b.text != "Cancel (Esc)")
    activate(app, first)
    assert session.store.injects(1) == [session.scenario.inject_deck[0]]
    shown = texts(app)
    assert "Events queued for this round" in shown
    first_event = next(e for e in session.scenario.events if e.id == session.store.injects(1)[0])
    assert f"<b>{first_event.title}</b>: Teamboard: quality -0.08" in shown
    click(app, "Pause")
    assert app.top.name == "workshop_pause" and app.top.clock.paused
    press(app, pygame.K_RETURN)
    assert app.top.name == "workshop_round" and not app.top.clock.paused
    click(app, "Resolve round 1")
    click(app, "Resolve anyway")  # nobody handed in: everyone keeps course
    assert app.top.name == "workshop_reveal"
    assert "Kept their course" in texts(app)
    press(app, pygame.K_ESCAPE)
    click(app, "Rewind last round")
    click(app, "Rewind")
    assert session.resolved == 0
    assert "Round 1 of 3" in texts(app)
    press(app, pygame.K_ESCAPE)  # back to the menu: the session is listed, and resumes
    assert app.top.name == "workshop_menu"
    assert session.id in texts(app)
    click(app, "Resume")
    assert app.top.name == "workshop_round" and app.top.session.id == session.id


def workshop_screens(app):
    """Visit every workshop screen of a small session; yields each screen's name."""
    from game.scenes.workshop.menu import WorkshopMenuScene

    app.push(WorkshopMenuScene(app))
    yield "menu"
    click(app, "New session")
    yield "new"
    click(app, "Shared market")
    yield "new (parallel worlds)"
    click(app, "Parallel worlds")
    app.top.resolution = 20
    click(app, "Create session")
    yield "round"
    click(app, "Hand-in deadline")
    yield "deadline dialog"
    click(app, "10 minutes")
    host_and_wait(app)
    yield "round (hosting, deadline)"
    click(app, "Show join codes")
    yield "join codes"
    press(app, pygame.K_ESCAPE)
    click(app, "Next team")
    yield "privacy"
    click(app, "We are")
    for number in range(1, len(app.top.tabs) + 1):
        press(app, pygame.K_0 + number)
        yield f"team hub: {app.top.tab.title}"
    hand_in(app)
    yield "submitted"
    click(app, "Back to the round view")
    click(app, "Inject an event")
    yield "inject"
    press(app, pygame.K_ESCAPE)
    click(app, "Pause")
    yield "pause"
    press(app, pygame.K_RETURN)
    click(app, "Resolve round")
    click(app, "Resolve anyway")
    yield "reveal"
    press(app, pygame.K_ESCAPE)
    click(app, "End session")
    yield "end-session dialog"
    click(app, "Show the class")
    yield "end"
    # the most crowded case: twelve teams with long names, CPO role, a round timer
    from game.paths import find_scenario
    from game.scenes.workshop.round import WorkshopRoundScene

    names = [f"{chr(65 + i)} team with a rather long name for a projector" for i in range(12)]
    crowded = WorkshopSession.create(
        find_scenario("tutorial").read_text(),
        teams=[n[:40] for n in names],
        mode="parallel",
        role="cpo",
        resolution=20,
        timer_s=900,
    )
    app.push(WorkshopRoundScene(app, crowded))
    yield "round (12 teams)"
    host_and_wait(app)
    yield "round (12 teams, hosting)"
    click(app, "Show join codes")
    yield "join codes (12 teams)"
    press(app, pygame.K_ESCAPE)
    click(app, "Next team")
    yield "privacy (long name)"
    click(app, "We are")
    for number in range(1, len(app.top.tabs) + 1):
        press(app, pygame.K_0 + number)
        yield f"team hub (CPO, long name): {app.top.tab.title}"
    hand_in(app)
    yield "submitted (long name)"
    click(app, "Back to the round view")
    click(app, "Resolve round")
    click(app, "Resolve anyway")
    yield "reveal (12 teams)"


def host_and_wait(app) -> None:
    """Host the round view's session on the network; frames until the view shows it."""
    click(app, "Host on the network")
    for _ in range(2000):
        addresses = app.hosting.addresses if app.hosting is not None else []
        if addresses and addresses[0] in texts(app):
            return
        frames(app, 1)
    raise AssertionError(f"the host never started: {app.hosting and app.hosting.error}")


WIDGETS = (
    pygame_gui.elements.UIButton,
    pygame_gui.elements.UILabel,
    pygame_gui.elements.UITextEntryLine,
    pygame_gui.elements.UITextBox,
)


@pytest.mark.parametrize(
    "size, text_scale, projector, high_contrast, language",
    [
        ((1280, 720), 1.0, False, False, "en"),
        ((1920, 1080), 1.0, False, False, "en"),
        ((1920, 1080), 1.3, False, False, "en"),
        ((1920, 1080), 1.0, True, False, "en"),
        ((1280, 720), 1.6, False, True, "en"),
        ((1280, 720), 1.0, False, False, "de"),
        ((1280, 720), 1.6, False, False, "de"),
    ],
)
def test_layout_nothing_outside_nothing_overlaps_text_fits(
    make_app, size, text_scale, projector, high_contrast, language
):
    app = make_app(
        *size,
        text_scale=text_scale,
        projector=projector,
        high_contrast=high_contrast,
        language=language,
    )
    assert_screens_fit(app, workshop_screens(app), pygame.Rect((0, 0), size))


def assert_screens_fit(app, screens: Iterator[str], window: pygame.Rect) -> None:
    """On every screen ``screens`` visits (yielding its name), nothing lies outside, nothing
    overlaps, and no text is too large for its widget."""
    problems = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in screens:
            problems += screen_problems(app, name, window)
    too_small = [str(w.message) for w in caught if "too small for text" in str(w.message)]
    assert not problems, "\n".join(problems[:20])
    assert not too_small, "\n".join(sorted(set(too_small))[:20])


def screen_problems(app, name: str, window: pygame.Rect) -> list[str]:
    """What is wrong with the top screen after a frame: a widget outside the window, its
    panel or its scrolled list, words cut off, widgets overlapping."""
    from test_layout import placement_problems

    frames(app, 1)
    problems = placement_problems(app, name, window)
    shown = [e for e in elements(app) if e.visible and e.rect.w > 0]
    problems += [f"{name}: {clip}" for clip in clipped(shown)]
    widgets = [e for e in shown if isinstance(e, WIDGETS)]
    for i, a in enumerate(widgets):
        for b in widgets[i + 1 :]:
            if a.ui_container is b.ui_container and a.rect.colliderect(b.rect):
                problems.append(f"{name}: {a.rect} overlaps {b.rect}")
    return problems


def clipped(shown) -> list[str]:
    """Buttons whose words are wider than the button, and muted notes (descriptions, help)
    that need a scroll bar: a person would see them cut off."""
    out = []
    for e in shown:
        if isinstance(e, pygame_gui.elements.UIButton) and e.font is not None:
            if e.font.size(e.text)[0] > e.rect.w - 4:
                out.append(f"button '{e.text}' is wider than {e.rect.w} px")
        elif (
            isinstance(e, pygame_gui.elements.UITextBox)
            and "#muted" in e.object_ids
            and e.scroll_bar is not None
        ):
            out.append(f"note '{e.html_text[:40]}' needs a scroll bar")
    return out


def test_monkey_on_the_workshop_screens(app, monkeypatch):
    """Seeded random clicks and keys over the workshop screens: never an exception."""
    from test_monkey import post_random_input

    from game.scenes.workshop.menu import WorkshopMenuScene

    create = WorkshopSession.create.__func__

    def small(cls, *args, **kwargs):
        kwargs["resolution"] = 20
        return create(cls, *args, **kwargs)

    monkeypatch.setattr(WorkshopSession, "create", classmethod(small))
    rng = random.Random(7)
    w, h = app.screen.get_size()
    seen = set()
    app.push(WorkshopMenuScene(app))
    for step in range(400):
        top = app.top
        if not app.running or top is None or not top.name.startswith(("workshop", "dialog")):
            app.running = True
            app.reset_to(WorkshopMenuScene(app))
        if step % 100 == 0:  # keep a session open so the round screens get clicks too
            if app.top.name == "workshop_menu":
                app.top.new_session()
            if app.top.name == "workshop_new":
                app.top.create()
        post_random_input(rng, w, h)
        frames(app, 1)
        if app.top is not None:
            seen.add(app.top.name)
    assert {"workshop_menu", "workshop_round"} <= seen


def test_tab_scrolls_the_roadmap_to_the_focused_row(app):
    new_session(app, "shared")
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN)
    assert app.top.name == "workshop_team_hub"
    go_to_tab(app, "Roadmap")
    adds = [b for b in app.top.focusables() if getattr(b, "text", "") == "Add"]
    last = adds[-1]
    view = next(
        e.rect
        for e in elements(app)
        if isinstance(e, pygame_gui.elements.UIScrollingContainer)
        and e.scrollable_container is last.ui_container
    )
    assert not view.contains(last.rect)  # below the visible part of the list
    focus_on(app, last)
    frames(app, 3)
    assert view.contains(last.rect)
    key(app, pygame.K_RETURN)  # and Enter adds it
    assert any(getattr(b, "text", "") == "Remove" for b in app.top.focusables())


def test_a_resubmission_starts_from_the_teams_hand_in(app):
    """A team re-entering starts from what it handed in (a sheet's choices included)."""
    session = new_session(app, "shared")
    initiative = session.scenario.initiatives[0].id
    session.submit("Alpha", Decisions(hiring_freeze=True, initiatives=[initiative]))
    app.top.rebuild()
    activate(app, row_button(app, "Alpha:", "Enter again"))
    assert "handing in again replaces it" in texts(app)
    click(app, "We are")
    assert find_button(app, "Hand in again")
    go_to_tab(app, "Team & culture")
    assert "Hiring freeze: on" in texts(app) and "Cancel" in texts(app)
    go_to_tab(app, "Roadmap")
    click(app, "Add")
    hand_in(app)
    assert app.top.name == "workshop_submitted"
    recorded = session.decisions(1)["Alpha"]
    assert recorded.hiring_freeze and recorded.initiatives == [initiative]
    assert recorded.products["teamboard"].roadmap


def test_a_hot_seat_team_answers_its_colleague_and_sees_what_came_of_it(app):
    """Colleagues (issue 19): the team's hub desk holds its own colleagues' requests; an answer
    in its draft is handed in on screen in the scenario's ids and played at resolve."""
    from pathlib import Path

    from game.scenes.workshop.round import WorkshopRoundScene

    fixture = Path(__file__).parent.parent / "fixtures" / "people" / "deal.yaml"
    session = WorkshopSession.create(
        fixture.read_text(), teams=TEAMS[:2], mode="shared", rounds=2, resolution=RESOLUTION
    )
    app.push(WorkshopRoundScene(app, session))
    activate(app, row_button(app, "Alpha:", "Enter"))
    click(app, "We are")
    assert app.top.name == "workshop_team_hub"
    desk = app.top.desk
    (request,) = desk.org().people.requests
    assert request.key == "sales_alpha.northwind"  # the team's market, as every tab reads it
    # The People tab is its own piece of work: the answer is put in the draft as it will.
    desk.draft.responses = Decisions.model_validate(
        {"responses": {request.key: {"answer": "accept"}}}
    ).responses
    hand_in(app)
    assert app.top.name == "workshop_submitted", texts(app)
    recorded = session.decisions(1)["Alpha"]
    assert recorded.model_dump(mode="json", exclude_unset=True)["responses"] == {
        "sales.northwind": {"answer": "accept"}
    }
    session.submit("Bravo", Decisions())
    session.resolve()
    firm = session.firm("Alpha")
    played = session.team_view("Alpha").firm.history[-1].people
    assert set(played) == {firm}
    assert [(r.key, r.outcome) for r in played[firm].responses] == [(request.key, "accepted")]
    bravo = session.team_view("Bravo").firm.history[-1].people
    assert set(bravo) == {session.firm("Bravo")}
