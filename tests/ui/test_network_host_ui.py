"""The facilitator hosting a workshop on the network from the round view (headless).

The host listens on 127.0.0.1 on a free port (see conftest); teams are played by
:class:`~game.workshop.client.HostClient` calls over real HTTP. Whatever arrives from the
network must show in the round view within a bounded number of frames: each wait polls
frames until a deadline and never asserts how fast anything was.
"""

from __future__ import annotations

import asyncio
import re
import socket
import time
from collections.abc import Callable

import pygame
import pytest
from helpers import click, find_button, frames, press, texts

from engine.decisions import Decisions
from game.paths import find_scenario
from game.workshop.client import HostClient, Link, RemoteError, new_receipt
from game.workshop.session import WorkshopSession
from game.workshop.wire import shown_code

TEAMS = ["Red", "Blue", "Green"]
WAIT_S = 20.0  # a generous bound for a slow machine; the checks never depend on it


def wait_for(app, ready: Callable[[], bool], what: str) -> None:
    """Run frames until ``ready()`` (at most :data:`WAIT_S` seconds of frames)."""
    deadline = time.monotonic() + WAIT_S
    while not ready():
        assert time.monotonic() < deadline, f"never showed {what}:\n{texts(app)}"
        frames(app, 1)
        time.sleep(0.005)


def shows(app, words: str) -> Callable[[], bool]:
    """A check that ``words`` are on screen."""
    return lambda: words in texts(app)


def row(app, team: str) -> list[str]:
    """A team's row in the round view: name and hand-in, join code, connection."""
    lines = texts(app).split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{team}: "))
    return lines[start : start + 3]


@pytest.fixture
def round_view(app):
    """The round view of a new 3-team session, opened from the workshop menu."""
    from game.scenes.workshop.menu import WorkshopMenuScene
    from game.scenes.workshop.round import WorkshopRoundScene

    session = WorkshopSession.create(
        find_scenario("tutorial").read_text(), teams=TEAMS, mode="shared", resolution=20
    )
    app.push(WorkshopMenuScene(app))
    app.push(WorkshopRoundScene(app, session))
    frames(app, 1)
    return session


def host(app) -> str:
    """Press Host on the network; the address teams type, once the view shows it."""
    click(app, "Host on the network")
    wait_for(app, shows(app, "Join at 127.0.0.1:"), "the address")
    found = re.search(r"Join at (127\.0\.0\.1:\d+)", texts(app))
    assert found
    return found.group(1)


def as_team(address: str, code: str, call: Callable[[HostClient], object]) -> object:
    """One team's request over HTTP, as its copy of Crossroads makes it."""

    async def run() -> object:
        async with HostClient(address, code, timeout=10) as client:
            return await call(client)

    return asyncio.run(run())


def hand_in(address: str, code: str) -> object:
    """A team hands in (its decisions as they stand) over the network."""
    return as_team(address, code, lambda c: c.submit(Decisions(), new_receipt()))


def test_hosting_shows_the_address_and_every_teams_code(app, round_view):
    address = host(app)
    shown = texts(app)
    codes = round_view.join_codes()
    for team in TEAMS:
        assert shown_code(codes[team]) in shown
        assert f"{team}: waiting" in shown
    assert shown.count("not connected") == len(TEAMS)
    assert shown_code(codes[""]) not in shown  # the facilitator's own code stays private
    assert find_button(app, "Stop hosting") and find_button(app, "Show join codes")
    hello = as_team(address, codes["Red"], lambda c: c.hello())
    assert hello["session"] == round_view.id
    built = app.top.root
    frames(app, 75)  # more than two looks at the file: nothing changed, nothing rebuilt
    assert app.top.root is built


def test_a_team_with_a_live_connection_shows_connected(app, round_view):
    address = host(app)
    code = round_view.join_codes()["Green"]
    link = Link(address, code)  # a team's window keeps a live status stream open
    try:
        link.watch()
        wait_for(app, lambda: row(app, "Green")[2] == "connected", "Green connected")
        assert row(app, "Green") == ["Green: waiting", shown_code(code), "connected"]
        assert row(app, "Red")[2] == "not connected"
    finally:
        link.close()


def test_a_hand_in_over_the_network_shows_and_the_focus_stays(app, round_view):
    address = host(app)
    stop = find_button(app, "Stop hosting")
    app.focus_index = app.top.focusables().index(stop)
    round_, warnings = hand_in(address, round_view.join_codes()["Blue"])
    assert round_ == 1 and isinstance(warnings, list)
    wait_for(app, shows(app, "Blue: handed in"), "Blue's hand-in")
    assert "Handed in: 1 of 3 teams" in texts(app)
    assert "Red: waiting" in texts(app) and "Green: waiting" in texts(app)
    codes = round_view.join_codes()
    assert row(app, "Blue") == ["Blue: handed in", shown_code(codes["Blue"]), "connected"]
    assert row(app, "Red") == ["Red: waiting", shown_code(codes["Red"]), "not connected"]
    assert app.focused_element().text == "Stop hosting"  # the live rebuild kept the focus
    assert round_view.submitted() == {"Red": False, "Blue": True, "Green": False}


def test_stop_hosting_frees_the_port(app, round_view):
    address = host(app)
    port = int(address.rsplit(":", 1)[1])
    click(app, "Stop hosting")
    assert app.hosting is None
    assert "Join at" not in texts(app) and find_button(app, "Host on the network")
    with pytest.raises(RemoteError) as refused:
        as_team(address, round_view.join_codes()["Red"], lambda c: c.hello())
    assert refused.value.unreachable
    with socket.socket() as again:  # another host may listen on the port now
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
        again.listen()


def test_hosting_survives_the_reveal_and_stops_when_leaving(app, round_view):
    address = host(app)
    hosting = app.hosting
    red = round_view.join_codes()["Red"]
    click(app, "Resolve round 1")
    click(app, "Resolve anyway")
    assert app.top.name == "workshop_reveal"
    frames(app, 2)
    assert app.hosting is hosting and hosting.state == "serving"
    status = as_team(address, red, lambda c: c.status())
    assert status["resolved"] == 1
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "workshop_round" and "Round 2 of" in texts(app)
    assert f"Join at {address}" in texts(app)
    press(app, pygame.K_ESCAPE)  # back to the menu: the host stops
    assert app.top.name == "workshop_menu"
    assert app.hosting is None and hosting.state == "stopped"
    with pytest.raises(RemoteError):
        as_team(address, red, lambda c: c.hello())


def test_a_port_in_use_is_said_in_words(app, round_view, monkeypatch):
    from game.workshop import hosting

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setattr(hosting, "PORTS", (port,))
        click(app, "Host on the network")
        wait_for(app, shows(app, "Not hosting"), "the refusal")
    shown = texts(app)
    assert f"Port {port} is already in use on this computer" in shown
    assert "Traceback" not in shown and "Error" not in shown
    assert app.top.name == "workshop_round"
    monkeypatch.setattr(hosting, "PORTS", (0,))
    click(app, "Host on the network")  # once the port is free, hosting again works
    wait_for(app, shows(app, "Join at 127.0.0.1:"), "the address")


def test_a_taken_port_falls_back_to_the_next_one(app, round_view, monkeypatch):
    from game.workshop import hosting

    with socket.socket() as free:  # a port nobody listens on (the OS's choice)
        free.bind(("127.0.0.1", 0))
        spare = free.getsockname()[1]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setattr(hosting, "PORTS", (taken.getsockname()[1], spare))
        assert host(app) == f"127.0.0.1:{spare}"


def test_the_join_codes_on_the_projector(app, round_view):
    address = host(app)
    click(app, "Show join codes")
    assert app.top.name == "workshop_codes"
    shown = texts(app)
    assert f"Join at {address}" in shown
    codes = round_view.join_codes()
    for team in TEAMS:
        assert team in shown and shown_code(codes[team]) in shown
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "workshop_round" and app.hosting is not None


def test_a_deadline_counts_down_and_a_late_hand_in_is_refused(app, round_view):
    address = host(app)
    click(app, "Hand-in deadline")
    assert app.top.name == "dialog"
    click(app, "5 minutes")
    assert app.top.name == "workshop_round"
    assert re.search(r"Hand-in closes in [45]:\d\d", texts(app))
    assert round_view.deadline() is not None
    click(app, "Hand-in deadline")
    click(app, "No deadline")  # offered once a deadline is set: it clears it
    assert round_view.deadline() is None and "Hand-in closes" not in texts(app)
    # A deadline that has passed (the file says so): hand-in has closed.
    round_view.store.set_deadline(1, time.time() - 1)
    with pytest.raises(RemoteError) as late:
        hand_in(address, round_view.join_codes()["Red"])
    assert "closed" in late.value.message and "nothing was recorded" in late.value.message
    wait_for(app, shows(app, "Hand-in closed: the deadline has passed"), "the deadline passed")
    assert round_view.submitted()["Red"] is False
    click(app, "Resolve round 1")
    assert "The hand-in deadline has passed, so they keep their course" in texts(app)
    click(app, "Resolve anyway")
    assert app.top.name == "workshop_reveal"
