"""A team's copy of Crossroads joining a workshop hosted on the network.

A real host runs in-process on 127.0.0.1 (a free port); the team's window is driven through
the event queue. Every wait polls a future or the screen with a deadline of a few seconds;
nothing asserts how fast anything is.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http.server
import socket
import sqlite3
import threading
import warnings
from pathlib import Path

import pygame
import pygame_gui
import pytest
from helpers import click, elements, frames, press, texts, until

from engine.decisions import Decisions
from game.paths import find_scenario
from game.translation import t
from game.workshop import client as client_module
from game.workshop import remote_desk
from game.workshop.client import HostClient
from game.workshop.host import Host, HostThread
from game.workshop.session import WorkshopSession, session_path

Entry = pygame_gui.elements.UITextEntryLine


class Hosted:
    """A 2-team session served by an in-process host (the tutorial in a shared market unless
    told otherwise; ``create``: more of :meth:`WorkshopSession.create`'s arguments)."""

    def __init__(
        self,
        folder: Path,
        scenario: str = "tutorial",
        teams: tuple[str, str] = ("A", "B"),
        mode: str = "shared",
        **create: object,
    ) -> None:
        self.folder = folder
        session = WorkshopSession.create(
            find_scenario(scenario).read_text(),
            teams=list(teams),
            mode=mode,
            folder=folder,
            rounds=2,
            resolution=200,
            **create,
        )
        self.id = session.id
        self.codes = session.join_codes()
        session.close()
        self.port = 0
        self.thread: HostThread | None = None
        self.start()

    def start(self) -> None:
        """Serve the session (on the same port as before when restarted)."""
        host = Host(self.id, self.folder)
        self.thread = HostThread(host, "127.0.0.1", self.port)
        assert self.thread.wait_ready(), self.thread.error
        self.url = host.addresses[0]
        self.port = int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        """Stop serving (connections drop, as when the facilitator's laptop sleeps)."""
        if self.thread is not None:
            self.thread.stop()
            self.thread = None

    def session(self) -> WorkshopSession:
        """The session file opened afresh (what is on disk)."""
        return WorkshopSession.open(self.id, self.folder)

    def facilitator(self, coro_of) -> object:
        """Run a facilitator request over HTTP (e.g. ``lambda c: c.resolve()``)."""

        async def run() -> object:
            async with HostClient(self.url, self.codes[""]) as c:
                return await coro_of(c)

        return asyncio.run(run())

    def count(self, sql: str) -> int:
        """One number from the session file."""
        db = sqlite3.connect(session_path(self.id, self.folder))
        try:
            return int(db.execute(sql).fetchone()[0])
        finally:
            db.close()


@pytest.fixture
def hosted(tmp_path, monkeypatch):
    """A hosted session; network back-off and debounces shortened for the tests."""
    monkeypatch.setattr(client_module, "BACKOFF_S", (0.05, 0.1, 0.2))
    monkeypatch.setattr(remote_desk, "PUSH_AFTER_S", 0.3)
    monkeypatch.setattr(remote_desk, "RETRY_S", 0.3)
    h = Hosted(tmp_path / "workshops")
    yield h
    h.stop()


def type_text(app, entry, text: str) -> None:
    """Replace an entry's text by typing (focus, Ctrl-A, the characters)."""
    app.manager.set_focus_set(entry)
    for kind in (pygame.KEYDOWN, pygame.KEYUP):
        pygame.event.post(
            pygame.event.Event(kind, key=pygame.K_a, mod=pygame.KMOD_CTRL, unicode="", scancode=0)
        )
    frames(app, 1)
    for kind in (pygame.KEYDOWN, pygame.KEYUP):
        pygame.event.post(
            pygame.event.Event(kind, key=pygame.K_BACKSPACE, mod=0, unicode="", scancode=0)
        )
    frames(app, 1)
    for char in text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=char))
    frames(app, 1)
    assert entry.get_text() == text


def join(app, address: str, code: str) -> None:
    """Title → Join workshop, type the address and code, Enter."""
    if app.top.name == "title":
        click(app, "Join workshop")
    assert app.top.name == "workshop_join"
    address_entry, code_entry = [e for e in app.top.focusables() if isinstance(e, Entry)]
    type_text(app, address_entry, address)
    type_text(app, code_entry, code)
    press(app, pygame.K_RETURN)  # in the code field: Enter joins


def join_hub(app, hosted: Hosted, team: str = "A"):
    """Join as ``team`` (its code typed in small letters with a space) and reach its hub."""
    code = hosted.codes[team]
    join(app, hosted.url, f"{code[:4].lower()} {code[4:].lower()}")
    until(app, lambda: app.top.name == "workshop_remote_hub", "the team's hub")
    return app.top


def go_to_tab(app, title: str) -> None:
    number = [t.title for t in app.top.tabs].index(title) + 1
    press(app, pygame.K_0 + number)
    assert app.top.tab.title == title


def lower_price(app) -> float:
    """One step down on the first product's price; returns the draft's new price."""
    go_to_tab(app, "Pricing & marketing")
    click(app, "−")
    desk = app.top.remote
    return desk.draft.products[desk.products()[0].id].price


def hand_in(app) -> None:
    """Hand in from the hub and confirm."""
    click(app, "Hand in")
    until(app, lambda: app.top.name == "dialog", "the confirmation")
    click(app, "Hand in")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------------- joining
def test_joining_with_a_wrong_code_or_address_is_said_in_words(app, hosted):
    join(app, "", "ABCD-2345")
    assert "Type the address" in app.top.message and app.top.future is None
    join(app, hosted.url, "hello")
    assert "not a join code" in app.top.message
    join(app, hosted.url, "abcd-2345")  # the right shape, not one of this workshop's codes
    until(app, lambda: "Could not join" in app.top.message, "the refusal")
    assert "not one of this workshop's" in app.top.message
    assert app.top.name == "workshop_join"
    fields = [e.get_text() for e in app.top.focusables() if isinstance(e, Entry)]
    assert fields == [hosted.url, "abcd-2345"]  # kept as typed
    join(app, f"127.0.0.1:{free_port()}", hosted.codes["A"])
    until(app, lambda: "Nothing answers" in app.top.message, "nothing answers")
    join(app, hosted.url, hosted.codes[""])  # the facilitator's code does not play
    until(app, lambda: "does not play for a team" in app.top.message, "the facilitator refusal")
    with other_web_server() as address:  # something else answers at that address
        join(app, address, hosted.codes["A"])
        until(app, lambda: "not Crossroads" in app.top.message, "not a Crossroads host")
    for _ in range(8):  # wrong codes from one computer are slowed down, said in words
        join(app, hosted.url, "abcd-2345")
        until(app, lambda: "Could not join" in app.top.message, "a refusal")
        if "too many wrong codes" in app.top.message.lower():
            break
    assert "too many wrong codes" in app.top.message.lower()
    assert "Traceback" not in texts(app)


@contextlib.contextmanager
def other_web_server():
    """A plain web server on a free port (it answers every request with an HTML page)."""

    class Quiet(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_joining_reaches_the_hub_with_the_team_heading_and_the_hot_seat_tabs(app, hosted):
    from game.scenes.hub import tab_classes
    from game.scenes.workshop.team_hub import TeamHubScene

    hub = join_hub(app, hosted)
    assert isinstance(hub, TeamHubScene)
    assert "A · Product Manager" in texts(app)
    pm_tabs = [c for c in tab_classes() if "pm" in c.roles and c.__name__ != "PeopleTab"]
    assert [t.title for t in hub.tabs] == [c.title for c in pm_tabs]  # no colleagues here
    until(app, lambda: "Connected to the host" in texts(app), "connected")
    assert "Round 1 of 2" in texts(app)
    for number in range(1, len(hub.tabs) + 1):  # every tab draws from the package
        press(app, pygame.K_0 + number)
    # the address and code that worked are filled in next time
    assert remote_desk.last_join()[0] == hosted.url


# ---------------------------------------------------------------------- handing in
def test_a_hand_in_is_recorded_and_the_waiting_room_shows_the_results(app, hosted):
    join_hub(app, hosted)
    price = lower_price(app)
    hand_in(app)
    until(app, lambda: app.top.name == "workshop_remote_waiting", "the waiting room")
    recorded = hosted.session().decisions(1)["A"]
    assert recorded.products["teamboard"].price == price
    until(app, lambda: "1 of 2 teams have handed in" in texts(app), "the progress")
    other = hosted.session()
    other.submit("B", Decisions())  # the other team hands in (any copy of the file)
    other.close()
    until(app, lambda: "2 of 2 teams have handed in" in texts(app), "the progress")
    hosted.facilitator(lambda c: c.resolve())
    until(app, lambda: app.top.name == "workshop_remote_results", "the results")
    shown = texts(app)
    assert "Round 1 of 2: results" in shown and "Class leaderboard" in shown
    assert "Why the numbers moved" in shown and "A (you)" in shown and "\nB\n" in shown
    click(app, "Next round")
    until(app, lambda: app.top.name == "workshop_remote_hub", "the next round's hub")
    assert "Round 2 of 2" in texts(app)
    hand_in(app)  # the last round: the final standings and the team's scorecard
    until(app, lambda: app.top.name == "workshop_remote_waiting", "the waiting room")
    hosted.facilitator(lambda c: c.resolve(keep_course=True))
    until(app, lambda: app.top.name == "workshop_remote_results", "the last results")
    click(app, "Final standings")
    assert app.top.name == "workshop_remote_final"
    shown = texts(app)
    assert "Final standings" in shown and "Objectives" in shown and "grade" in shown
    assert "A (you)" in shown and "Class leaderboard" in shown


def test_joining_a_finished_session_shows_its_results(app, hosted):
    other = hosted.session()
    for _ in range(2):
        other.resolve(keep_course=True)
    other.close()
    join(app, hosted.url, hosted.codes["B"])
    until(app, lambda: app.top.name == "workshop_remote_results", "the last round's results")
    assert "Round 2 of 2: results" in texts(app) and "B (you)" in texts(app)


def test_changing_the_decisions_after_handing_in(app, hosted):
    join_hub(app, hosted)
    hand_in(app)
    until(app, lambda: app.top.name == "workshop_remote_waiting", "the waiting room")
    click(app, "Change our decisions")
    until(app, lambda: app.top.name == "workshop_remote_hub", "the hub again")
    assert "Hand in again" in texts(app)
    price = lower_price(app)
    hand_in(app)
    until(app, lambda: app.top.name == "workshop_remote_waiting", "the waiting room")
    assert hosted.session().decisions(1)["A"].products["teamboard"].price == price


def test_a_refusal_is_said_in_words_and_the_draft_is_kept(app, hosted):
    join_hub(app, hosted)
    go_to_tab(app, "Team & culture")
    click(app, "+")  # hire one engineer...
    click(app, "Hiring freeze: off")  # ...and freeze hiring
    until(app, lambda: app.top.remote.answered(), "the host's check")
    click(app, "Hand in")
    assert app.top.name == "dialog"
    assert "cannot hire 1 during a hiring freeze" in texts(app)
    press(app, pygame.K_RETURN)
    assert app.top.name == "workshop_remote_hub"
    assert app.top.remote.draft.hiring_freeze is True
    assert hosted.session().submitted()["A"] is False


def test_a_lost_host_is_shown_the_window_keeps_drawing_and_a_retry_is_recorded_once(app, hosted):
    hub = join_hub(app, hosted)
    until(app, lambda: "Connected to the host" in texts(app), "connected")
    hosted.stop()
    until(app, lambda: "Connection lost" in texts(app), "connection lost")
    before = app.frame_count
    for _ in range(20):  # the window keeps drawing while the host is away
        frames(app, 1)
    assert app.frame_count == before + 20
    desk = hub.remote
    hand_in(app)  # nothing answers: said in words, the draft kept, the hand-in id kept
    until(app, lambda: app.top.name == "dialog", "the failure")
    assert "Could not reach the host" in texts(app) and "Your draft is kept" in texts(app)
    receipt = desk.receipt
    assert receipt is not None
    press(app, pygame.K_RETURN)
    hosted.start()
    # The first try did reach the host after all and only its acknowledgement was lost:
    authored = desk.authored()
    asyncio.run(_submit(hosted, authored, receipt))
    hand_in(app)  # the retry sends the same id: acknowledged, recorded once
    until(app, lambda: app.top.name == "workshop_remote_waiting", "the waiting room")
    sql = "SELECT COUNT(*) FROM submission WHERE team='A' AND round=1"
    assert hosted.count(sql) == 1
    until(app, lambda: "Connected to the host" in texts(app), "connected again")


async def _submit(hosted: Hosted, decisions: Decisions, receipt: str) -> None:
    async with HostClient(hosted.url, hosted.codes["A"]) as c:
        await c.submit(decisions, receipt)


# ---------------------------------------------------------------------- the desk alone
class FakeLink:
    """A link whose calls wait until the test answers them (nothing goes on the network)."""

    url = "http://test.invalid:8765"
    state = "connected"

    def __init__(self) -> None:
        self.calls: list[tuple[object, concurrent.futures.Future]] = []

    def call(self, fn):
        future: concurrent.futures.Future = concurrent.futures.Future()
        self.calls.append((fn, future))
        return future

    def retry_now(self) -> None:
        pass


class FakeClient:
    """Answers a check with the given problems (the decisions it was asked about kept)."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        self.asked: Decisions | None = None

    async def check(self, decisions: Decisions):
        self.asked = decisions
        return self.problems, remote_desk.EMPTY_OUTLOOK


def answer(call, problems: list) -> Decisions:
    """Answer one of the fake link's calls; returns the decisions it asked about."""
    fn, future = call
    client = FakeClient(problems)
    future.set_result(asyncio.run(fn(client)))
    assert client.asked is not None
    return client.asked


def test_the_desk_asks_the_host_once_and_counts_the_answers_that_change_the_screen(hosted):
    from engine.decision_check import Problem

    async def fetch():
        async with HostClient(hosted.url, hosted.codes["A"]) as c:
            return await c.package()

    link = FakeLink()
    desk = remote_desk.RemoteDesk(asyncio.run(fetch()), link, local=False)
    assert desk.problems() == ([], [])  # nothing known yet: shown as no problems
    assert len(link.calls) == 1 and not desk.answered()
    pid = desk.products()[0].id
    desk.product_draft(pid).price = 1.0
    assert desk.problems() == ([], [])  # a newer draft while one check is out: no second
    assert len(link.calls) == 1
    first = answer(link.calls[0], [])
    assert first.products == {}  # the draft as it started, in the scenario's own ids
    assert desk.revision == 0  # what it said is what is shown
    assert len(link.calls) == 2  # the newest draft is asked about once the first returned
    refused = Problem(f"products.{pid}.price", "price too low", "error")
    newest = answer(link.calls[1], [refused])
    assert newest.products["teamboard"].price == 1.0  # sent in the scenario's ids
    assert desk.revision == 1 and desk.answered()
    assert desk.problems() == (["Teamboard (A) price: price too low"], [])
    assert len(link.calls) == 2  # answered drafts are remembered: nothing asked again
    desk.draft = Decisions()  # back to the draft it started from
    desk.problems()
    assert len(link.calls) == 2 and desk.revision == 1  # back to a draft already answered


# ---------------------------------------------------------------------- the kept draft
def test_a_second_join_finds_the_draft_kept_on_the_host(app, make_app, hosted):
    hub = join_hub(app, hosted)
    price = lower_price(app)
    desk = hub.remote
    until(app, lambda: hosted.session().kept_draft("A") is not None, "the draft kept on the host")
    assert hosted.session().kept_draft("A").products["teamboard"].price == price
    desk.link.close()  # the window crashed: nothing left properly
    remote_desk.draft_path(desk.session_id, "A").unlink(missing_ok=True)  # and its file
    again = make_app()
    hub = join_hub(again, hosted)
    assert hub.remote.draft.products[hub.remote.products()[0].id].price == price


def test_a_draft_the_host_never_got_is_found_on_this_computer(app, make_app, hosted):
    hub = join_hub(app, hosted)
    hosted.stop()
    price = lower_price(app)
    desk = hub.remote
    path = remote_desk.draft_path(desk.session_id, "A")
    until(app, lambda: path.exists(), "the local draft")
    kept = remote_desk.read_local_draft(desk.session_id, "A")
    assert kept is not None and not kept.synced and kept.round == 1
    desk.link.close()
    hosted.start()
    again = make_app()
    hub = join_hub(again, hosted)
    assert hub.remote.restored
    assert hub.remote.draft.products[hub.remote.products()[0].id].price == price


# ---------------------------------------------------------------------- leaving, layout
def test_leaving_asks_and_keeps_the_fields(app, hosted):
    join_hub(app, hosted)
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "dialog" and "Leave the workshop?" in texts(app)
    click(app, "Leave")
    assert app.top.name == "workshop_join"
    assert "You left the workshop" in texts(app)
    assert hosted.url in [e.get_text() for e in app.top.focusables() if isinstance(e, Entry)]


WIDGETS = (
    pygame_gui.elements.UIButton,
    pygame_gui.elements.UILabel,
    pygame_gui.elements.UITextEntryLine,
    pygame_gui.elements.UITextBox,
)


@pytest.mark.parametrize(
    "size, text_scale, high_contrast, language",
    [
        ((1280, 720), 1.0, False, "en"),
        ((1920, 1080), 1.3, False, "en"),
        ((1280, 720), 1.6, True, "en"),
        ((1280, 720), 1.0, False, "de"),
    ],
)
def test_layout_of_the_network_screens(make_app, hosted, size, text_scale, high_contrast, language):
    from test_layout import _scroll_area, outside
    from test_workshop_screens import clipped

    app = make_app(*size, text_scale=text_scale, high_contrast=high_contrast, language=language)
    window = pygame.Rect((0, 0), size)
    problems = []

    def look(name: str) -> None:
        frames(app, 1)
        shown = [e for e in elements(app) if e.visible and e.rect.w > 0]
        for e in shown:
            area = _scroll_area(e) or window  # a screen larger than the window scrolls
            if outside(e.rect, area):
                problems.append(f"{name}: {type(e).__name__} {e.rect} outside {area}")
        problems.extend(f"{name}: {clip}" for clip in clipped(shown))
        widgets = [e for e in shown if isinstance(e, WIDGETS)]
        for i, a in enumerate(widgets):
            for b in widgets[i + 1 :]:
                if a.ui_container is b.ui_container and a.rect.colliderect(b.rect):
                    problems.append(f"{name}: {a.rect} overlaps {b.rect}")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        look("title")
        join(app, hosted.url, "abcd-2345")
        refused = t("ws_join.could_not_join", why="").strip(" :")
        until(app, lambda: refused in app.top.message, "the refusal")
        look("join (refused)")
        join_hub(app, hosted)
        look("hub")
        hand_in(app)
        until(app, lambda: app.top.name == "workshop_remote_waiting", "the waiting room")
        progress = t("ws_waiting.progress", done="", teams="").split("  ")[-1].strip()
        until(app, lambda: progress in texts(app), "the progress")
        look("waiting")
        hosted.facilitator(lambda c: c.resolve(keep_course=True))
        until(app, lambda: app.top.name == "workshop_remote_results", "the results")
        look("results")
    too_small = [str(w.message) for w in caught if "too small for text" in str(w.message)]
    assert not problems, "\n".join(problems[:20])
    assert not too_small, "\n".join(sorted(set(too_small))[:20])
