"""The facilitator's round view: who has handed in, and every action on the round.

Team entry opens the privacy screen for a team (hot-seat); Resolve plays the round (asking
first when a team is missing: it keeps its course); Inject queues an event from the
scenario's deck for this round; the deadline closes hand-in a few minutes from now; Pause
blanks the projector and stops the clock; Rewind reopens the last round; End session shows
the class leaderboard and the export.

"Host on the network" serves the session to the teams' own computers
(:mod:`game.workshop.hosting`): the view then shows the address to type, each team's join
code and whether it is connected. Hand-ins arrive in the session file from the network, so
the view looks at the file twice a second (:meth:`~game.workshop.store.WorkshopStore.change_mark`)
and rebuilds only when something changed, keeping the keyboard focus on the same control.

In a company workshop (issue 20) the list shows each company and under it every seat (the
CPO, one PM per line) with its hand-in, join code and connection; seats hand in from their
own computers (no hot-seat entry), and resolving with seats missing says who plays them.
"""

from __future__ import annotations

import html
import time
from typing import TYPE_CHECKING, Any

import pygame

from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.dialog import DialogScene
from game.scenes.workshop.common import TOP_H, RoundClock, deck_lines, show_error, top_bar
from game.scenes.workshop.network import (
    choose_deadline,
    connection_words,
    deadline_text,
    host_banner,
)
from game.scenes.workshop.seats import (
    SeatState,
    company_seats,
    handed_in_words,
    missing_count,
    missing_words,
)
from game.translation import t
from game.widgets.text import fit, font, plain
from game.workshop.wire import shown_code

if TYPE_CHECKING:
    from engine.scenario import Event
    from game.app import App
    from game.workshop.hosting import Hosting
    from game.workshop.session import WorkshopSession

ACTION_W = 300
DECK_BUTTON_W = 300
EFFECT_H = 24
LOOK_S = 0.5  # how often the view looks at the session file for hand-ins from the network
CODE_W = 130  # a team's join code in its row
LINK_W = 130  # "connected" / "not connected"
NAME_W = 420  # a team's name and hand-in while codes follow (a 40-letter name fits)
SEAT_INDENT = 24  # a company's seats under its name
SEAT_W = 300  # "PM of Quill Exam Prep"
STATUS_W = 130  # "handed in" / "waiting"


def open_session_scene(app: App, session: WorkshopSession) -> Scene:
    """The scene a session opens at: its round view, or the end screen once finished."""
    if session.finished:
        from game.scenes.workshop.end import WorkshopEndScene

        return WorkshopEndScene(app, session)
    return WorkshopRoundScene(app, session)


class WorkshopRoundScene(Scene):
    """The open round: team list with status, and the facilitator's actions."""

    name = "workshop_round"

    def __init__(self, app: App, session: WorkshopSession) -> None:
        super().__init__(app)
        self.session = session
        self.clock = RoundClock(session.info.timer_s)
        self.clock.start(session.current_round)
        self.clock_label = None
        self.deadline_label = None
        self.closes_at: float | None = None
        self.team_list: Any = None
        self.keys: dict[Any, str] = {}  # control -> a name that survives a rebuild
        self.since_look = 0.0
        self.seen: tuple[Any, ...] = ()

    @property
    def hosting(self) -> Hosting | None:
        """The network host of this session, if it is being served from this window."""
        hosting = self.app.hosting
        return hosting if hosting is not None and hosting.serves(self.session.id) else None

    def build(self) -> None:
        s = self.session
        sc = s.scenario
        self.clock.start(s.current_round)
        self.keys = {}
        self.closes_at = s.deadline()
        self.seen = self._look_key()  # first: what is drawn below is at least this new
        done = s.submitted()
        links = self.hosting.links() if self.hosting is not None else []
        seat_rows = company_seats(s, links) if s.company else {}
        top_bar(
            self,
            t("ws_round.title", round=s.current_round, rounds=s.info.rounds, scenario=sc.title),
            t(
                "ws_round.subtitle",
                id=s.id,
                mode=t("ws_round.shared") if s.mode == "shared" else t("ws_round.parallel"),
                role=s.info.role.upper(),
                seed=s.info.seed,
            ),
        )
        x, y = MARGIN, TOP_H + MARGIN
        list_w = self.width - 3 * MARGIN - ACTION_W
        hosting = self.hosting
        if hosting is not None:
            y += host_banner(self, pygame.Rect(x, y, list_w, 0), hosting, s.company) + GAP // 2
        heading = (
            t(
                "ws_companies.handed_in",
                done=sum(done.values()),
                teams=len(done),
                seats_done=sum(x.handed_in for r in seat_rows.values() for x in r),
                seats=sum(len(r) for r in seat_rows.values()),
            )
            if s.company
            else t("ws_round.handed_in", done=sum(done.values()), teams=len(done))
        )
        heading_w = font(21, bold=True).size(heading)[0] + 40  # the countdown follows it
        self.label(pygame.Rect(x, y, heading_w, 34), heading, object_id="#heading")
        self.deadline_label = self.label(
            pygame.Rect(x + heading_w, y, list_w - heading_w, 34),
            deadline_text(self.closes_at),
            object_id="#bad" if self._deadline_passed() else "#heading",
        )
        y += 40
        queued = self._queued_html()
        queued_h = 16 + 26 * (queued.count("<br>") + 1) if queued else 0
        bottom = self.height - 110 - (queued_h + GAP if queued else 0)
        self.team_list = self.scroller(pygame.Rect(x, y, list_w, bottom - GAP - y))
        inner = list_w - 24
        row_y = 0
        network = self._network()
        if s.company:
            for team, seats in seat_rows.items():
                row_y = self._company_rows(pygame.Rect(0, row_y, inner, 0), team, seats)
            how = t("ws_companies.how")
        else:
            for team, ok in done.items():
                self._team_row(pygame.Rect(0, row_y, inner, ROW), team, ok, network.get(team))
                row_y += ROW + 6
            how = t("ws_round.how_network") if network else t("ws_round.how_hot_seat")
        self.scroll_area(self.team_list, inner, row_y)
        if queued:
            self.text(pygame.Rect(x, bottom, list_w, queued_h), queued)
        self.text(
            pygame.Rect(x, self.height - 110, list_w, 86),
            t("ws_round.how", resolved=s.resolved, rounds=s.info.rounds, how=how),
            object_id="#muted",
        )
        self._build_actions(pygame.Rect(self.width - MARGIN - ACTION_W, TOP_H + MARGIN, 0, 0))

    def _network(self) -> dict[str, tuple[str, bool]]:
        """Per team, its join code (the session file's, as the host read it) and whether it
        is connected (empty unless the session is served)."""
        hosting = self.hosting
        if hosting is None:
            return {}
        return {link.team: (link.code, link.connected) for link in hosting.links()}

    def _team_row(
        self, rect: pygame.Rect, team: str, handed_in: bool, network: tuple[str, bool] | None
    ) -> None:
        """A team's row: Enter (hot-seat), its name and hand-in, and while the session is
        served on the network, its join code and whether it is connected."""
        self.keys[
            self.button(
                pygame.Rect(rect.x, rect.y, 200, rect.h),
                t("ws_round.enter_again") if handed_in else t("ws_round.enter_decisions"),
                lambda: self.team_entry(team),
                container=self.team_list,
                tip=t("ws_round.enter_tip", team=team),
            )
        ] = f"team:{team}"
        name_w = rect.w - 210
        if network is not None:  # the code and connection beside the name, not far off
            name_w = min(name_w - CODE_W - LINK_W, NAME_W)
        status = t("ws_round.status_handed_in") if handed_in else t("ws_round.status_waiting")
        rest = t("ws_round.team_status", team="", status=status)
        name = fit(team, font(15), name_w - 8 - font(15).size(rest)[0])
        self.label(
            pygame.Rect(rect.x + 210, rect.y, name_w, rect.h),
            t("ws_round.team_status", team=name, status=status),
            container=self.team_list,
            object_id="#good" if handed_in else "#bad",
            tip=t("ws_round.team_status", team=team, status=status) if name != team else None,
        )
        if network is None:
            return
        code, connected = network
        code_x = rect.x + 210 + name_w
        self.label(
            pygame.Rect(code_x, rect.y, CODE_W, rect.h),
            shown_code(code),
            container=self.team_list,
            tip=t("ws_round.code_tip", team=team),
        )
        words, object_id = connection_words(connected)
        self.label(
            pygame.Rect(code_x + CODE_W, rect.y, LINK_W, rect.h),
            words,
            container=self.team_list,
            object_id=object_id,
        )

    def _company_rows(self, at: pygame.Rect, team: str, seats: list[SeatState]) -> int:
        """A company's rows: its name and how many seats handed in, then each seat with its
        hand-in and, while served, its join code and connection. Returns the y below."""
        w, y = at.w, at.y
        done = all(x.handed_in for x in seats)
        tally = handed_in_words(seats)
        tally_w = font(15).size(tally)[0] + 16
        name = fit(team, font(21, bold=True), w - tally_w - 24)
        name_w = font(21, bold=True).size(name)[0] + 20
        self.label(
            pygame.Rect(at.x, y, name_w, ROW),
            name,
            container=self.team_list,
            object_id="#heading",
            tip=team if name != team else None,
        )
        self.label(
            pygame.Rect(at.x + name_w, y, tally_w, ROW),
            tally,
            container=self.team_list,
            object_id="#good" if done else "#bad",
        )
        y += ROW
        x = at.x + SEAT_INDENT
        for seat in seats:
            status = (
                t("ws_round.status_handed_in") if seat.handed_in else t("ws_round.status_waiting")
            )
            self.label(
                pygame.Rect(x, y, SEAT_W, ROW),
                fit(seat.words, font(15), SEAT_W - 8),
                container=self.team_list,
                tip=seat.words,
            )
            self.label(
                pygame.Rect(x + SEAT_W, y, STATUS_W, ROW),
                status,
                container=self.team_list,
                object_id="#good" if seat.handed_in else "#bad",
            )
            if seat.code is not None:
                words, object_id = connection_words(seat.connected)
                self.label(
                    pygame.Rect(x + SEAT_W + STATUS_W, y, CODE_W, ROW),
                    shown_code(seat.code),
                    container=self.team_list,
                    tip=t("ws_companies.code_tip", seat=seat.words, team=team),
                )
                self.label(
                    pygame.Rect(x + SEAT_W + STATUS_W + CODE_W, y, LINK_W, ROW),
                    words,
                    container=self.team_list,
                    object_id=object_id,
                )
            y += ROW
        return y + GAP

    def _queued_html(self) -> str:
        """The events queued for the open round, each with what it does ("" when none)."""
        s = self.session
        events = {e.id: e for e in s.scenario.events}
        queued = [events[i] for i in s.store.injects(s.current_round) if i in events]
        lines = [
            f"• <b>{html.escape(plain(ev.title))}</b>: "
            + html.escape("; ".join(deck_lines(s, ev)) or t("ws_round.no_effect"))
            for ev in queued
        ]
        return "<br>".join([t("ws_round.queued_heading"), *lines]) if lines else ""

    def _build_actions(self, at: pygame.Rect) -> None:
        s = self.session
        x, y = at.x, at.y
        self.clock_label = self.label(
            pygame.Rect(x, y, ACTION_W, 34),
            self.clock.text(),
            object_id="#heading" if self.clock.seconds else "#muted",
        )
        y += 40
        waiting = s.waiting_for()
        hosting = self.hosting
        serving = hosting is not None and hosting.state == "serving"
        if hosting is not None and hosting.state == "failed":
            hosting = None  # not hosting: offer to try again
        next_action = (
            (
                "next",
                t("ws_companies.seats_hand_in") if waiting else t("ws_round.all_handed_in"),
                None,
                False,
                t("ws_companies.seats_hand_in_tip"),
                None,
            )
            if s.company  # seats hand in from their own computers or by sheet
            else (
                "next",
                fit(t("workshop.next_team", team=waiting[0]), font(16, bold=True), ACTION_W - 20)
                if waiting
                else t("ws_round.all_handed_in"),
                (lambda: self.team_entry(waiting[0])) if waiting else None,
                bool(waiting),
                t("ws_round.next_tip"),
                "#primary" if waiting else None,
            )
        )
        actions: list[tuple[str, str, Any, bool, str, str | None]] = [
            next_action,
            (
                "resolve",
                t("ws_round.resolve", round=s.current_round),
                self.resolve,
                True,
                t("ws_round.resolve_tip"),
                None if waiting else "#primary",
            ),
            (
                "inject",
                t("ws_round.inject"),
                self.inject,
                bool(s.scenario.inject_deck),
                t("ws_round.inject_tip") if s.scenario.inject_deck else t("ws_round.no_deck"),
                None,
            ),
            (
                "deadline",
                t("ws_round.deadline"),
                self.deadline,
                True,
                t("ws_round.deadline_tip"),
                None,
            ),
            (
                "results",
                t("ws_round.show_results"),
                self.show_results,
                s.resolved > 0,
                t("ws_round.show_results_tip"),
                None,
            ),
            (
                "pause",
                t("ws_round.pause"),
                self.pause,
                True,
                t("ws_round.pause_tip"),
                None,
            ),
            (
                "rewind",
                t("ws_round.rewind"),
                self.rewind,
                s.resolved > 0,
                t("ws_round.rewind_tip"),
                None,
            ),
            (
                "host",
                t("ws_round.stop_hosting") if hosting is not None else t("ws_round.host"),
                self.stop_hosting if hosting is not None else self.host_on_network,
                True,
                t("ws_round.stop_hosting_tip") if hosting is not None else t("ws_round.host_tip"),
                None,
            ),
        ]
        if serving:
            actions.append(
                (
                    "codes",
                    t("ws_round.show_codes"),
                    self.show_codes,
                    True,
                    t("ws_round.show_codes_tip"),
                    None,
                )
            )
        actions += [
            (
                "end",
                t("ws_round.end"),
                self.end_session,
                True,
                t("ws_round.end_tip"),
                None,
            ),
            (
                "back",
                t("ws_round.back"),
                self.on_back,
                True,
                t("ws_round.back_tip"),
                None,
            ),
        ]
        for key, text, action, enabled, tip, object_id in actions:
            button = self.button(
                pygame.Rect(x, y, ACTION_W, 42),
                text,
                action,
                enabled=enabled,
                tip=tip,
                object_id=object_id,
            )
            self.keys[button] = key
            y += 42 + GAP // 2 + 2

    def update(self, dt: float) -> None:
        """Keep the clock and the deadline current and the view in step with the session file
        (hand-ins from the network) and the host."""
        for label, text in (
            (self.clock_label, self.clock.text()),
            (self.deadline_label, deadline_text(self.closes_at)),
        ):
            if label is not None and label.alive() and text != label.text:
                label.set_text(text)
        self.since_look += dt
        if self.since_look >= LOOK_S:
            self.since_look = 0.0
            self.look()

    def _look_key(self) -> tuple[Any, ...]:
        """Everything the view shows that may change elsewhere: the session file's change
        mark, the host's state and each team's connection, and whether the deadline passed."""
        from game.workshop.store import StoreError

        try:
            mark: tuple[int, ...] | None = self.session.store.change_mark()
        except StoreError:
            mark = None  # busy or unreadable for a moment: look again next time
        hosting = self.hosting
        links = tuple((link.team, link.connected) for link in hosting.links()) if hosting else ()
        return (mark, hosting.state if hosting else "", links, self._deadline_passed())

    def _deadline_passed(self) -> bool:
        """True once the round's deadline (as read when the view was built) has passed."""
        return self.closes_at is not None and time.time() > self.closes_at

    def look(self) -> None:
        """Rebuild when something changed since the view was built (and only then)."""
        key = self._look_key()
        if key[0] is None or key == self.seen:
            return
        if self.session.finished:  # the last round was played elsewhere (a terminal)
            self.resume()
            return
        self.live_refresh()

    def live_refresh(self) -> None:
        """Rebuild, keeping the keyboard focus on the same control and the team list
        scrolled where it was."""
        key = self.keys.get(self.app.focused_element())
        bar = getattr(self.team_list, "vert_scroll_bar", None)
        scrolled = bar.start_percentage if bar is not None else 0.0
        self.rebuild()
        bar = self.team_list.vert_scroll_bar
        if bar is not None and scrolled:
            bar.set_scroll_from_start_percentage(scrolled)
        if key is None:
            return
        items = self.focusables()
        found = [i for i, e in enumerate(items) if self.keys.get(e) == key]
        self.app.focus_index = found[0] if found else -1  # a control now gone: no focus

    def on_enter(self) -> None:
        """Enter with nothing focused: the next team, or resolve once everyone handed in."""
        waiting = self.session.waiting_for()
        if waiting and not self.session.company:
            self.team_entry(waiting[0])
        else:
            self.resolve()

    def resume(self) -> None:
        """Back on top (after an entry, a reveal, a dialog): show the current state, or
        the class leaderboard once the last round has been played."""
        if self.session.finished:
            from game.scenes.workshop.end import WorkshopEndScene

            self.app.replace(WorkshopEndScene(self.app, self.session))
        else:
            self.rebuild()

    def on_back(self) -> None:
        """Esc: back to the workshop menu (the session stays saved; hosting stops)."""
        if self.hosting is not None:
            self.app.stop_hosting()
        self.session.close()
        self.app.pop()

    # ------------------------------------------------------------------ actions
    def team_entry(self, team: str) -> None:
        """Hand the keyboard to ``team``: privacy screen first."""
        from game.scenes.workshop.handover import WorkshopPrivacyScene

        self.app.push(WorkshopPrivacyScene(self.app, self.session, team, self.clock))

    def resolve(self) -> None:
        """Play the round; ask first when teams (or a company's seats) are missing, saying
        who plays for them (and, once the deadline has passed, that this is why)."""
        if not self.session.waiting_for():
            self._resolve(False)
            return
        title, body = self._missing_seats() if self.session.company else self._missing_teams()
        self.app.push(
            DialogScene(
                self.app,
                title,
                body,
                [
                    (t("ws_round.resolve_anyway"), lambda: self._resolve(True)),
                    (t("ws_round.wait"), None),
                ],
            )
        )

    def _missing_teams(self) -> tuple[str, str]:
        """The question before resolving with teams missing: they keep their course."""
        waiting = self.session.waiting_for()
        why = (
            t("ws_round.deadline_passed_keep")
            if self.session.deadline_passed()
            else t("ws_round.resolve_anyway_keep")
        )
        return (
            t("ws_round.missing_title", count=len(waiting)),
            t("ws_round.missing_body", teams=html.escape(", ".join(waiting)), why=why),
        )

    def _missing_seats(self) -> tuple[str, str]:
        """The question before resolving a company round with seats missing: who plays
        each one (the CPO keeps course, a line's AI PM plans it)."""
        lines = missing_words(self.session)
        why = (
            t("ws_companies.deadline_passed")
            if self.session.deadline_passed()
            else t("ws_companies.resolve_anyway")
        )
        return (
            t("ws_companies.missing_title", count=missing_count(self.session)),
            "<br>".join(html.escape(line) for line in lines) + "<br><br>" + why,
        )

    def _resolve(self, keep_course: bool) -> None:
        from game.scenes.workshop.reveal import WorkshopRevealScene
        from game.workshop.session import WorkshopError

        try:
            resolution = self.session.resolve(keep_course=keep_course)
        except WorkshopError as exc:
            show_error(self.app, exc, t("ws_round.not_played"))
            return
        self.app.push(WorkshopRevealScene(self.app, self.session, resolution))

    def show_results(self) -> None:
        """The reveal of the last resolved round."""
        from game.scenes.workshop.reveal import WorkshopRevealScene

        self.app.push(WorkshopRevealScene(self.app, self.session, None))

    def inject(self) -> None:
        """Choose an event from the deck."""
        self.app.push(WorkshopInjectScene(self.app, self.session))

    def deadline(self) -> None:
        """Choose when hand-in closes (the countdown shows above the team list)."""
        choose_deadline(self.app, self.session, self.live_refresh)

    def host_on_network(self) -> None:
        """Serve the session on the network (the view shows the address once it listens)."""
        from game.workshop.hosting import Hosting

        self.app.stop_hosting()
        hosting = Hosting(self.session.id, self.session.store.path.parent)
        hosting.start()
        self.app.hosting = hosting
        self.live_refresh()

    def stop_hosting(self) -> None:
        """Stop serving: teams are disconnected; everything handed in stays saved."""
        self.app.stop_hosting()
        self.live_refresh()

    def show_codes(self) -> None:
        """Every team's join code on the projector (a deliberate action: see its tip)."""
        from game.scenes.workshop.network import WorkshopCodesScene

        self.app.push(WorkshopCodesScene(self.app, self.session))

    def pause(self) -> None:
        """Blank the screen and stop the clock."""
        self.app.push(WorkshopPauseScene(self.app, self.clock))

    def rewind(self) -> None:
        """Ask, then reopen the last resolved round."""
        last = self.session.resolved
        self.app.push(
            DialogScene(
                self.app,
                t("ws_round.rewind_title", round=last),
                t("ws_round.rewind_body", round=last),
                [(t("ws_round.rewind_button"), self._rewind), (t("ws_round.cancel"), None)],
            )
        )

    def _rewind(self) -> None:
        from game.workshop.session import WorkshopError

        try:
            self.session.rewind()
        except WorkshopError as exc:
            show_error(self.app, exc, t("ws_round.not_rewound"))
            return
        self.clock.start(self.session.current_round)
        self.rebuild()

    def end_session(self) -> None:
        """Class leaderboard and export (asks first while rounds remain)."""
        from game.scenes.workshop.end import WorkshopEndScene

        s = self.session
        if s.finished:
            self.app.replace(WorkshopEndScene(self.app, s))
            return
        self.app.push(
            DialogScene(
                self.app,
                t("ws_round.end_title"),
                t("ws_round.end_body", resolved=s.resolved, rounds=s.info.rounds),
                [
                    (
                        t("ws_round.show_leaderboard"),
                        lambda: self.app.push(WorkshopEndScene(self.app, s)),
                    ),
                    (t("ws_round.cancel"), None),
                ],
            )
        )


class WorkshopInjectScene(Scene):
    """The scenario's inject deck: each event with what it does, queued for the open round."""

    name = "workshop_inject"
    overlay = True

    def __init__(self, app: App, session: WorkshopSession) -> None:
        super().__init__(app)
        self.session = session

    def build(self) -> None:
        s = self.session
        events = {e.id: e for e in s.scenario.events}
        deck = [events[i] for i in s.scenario.inject_deck if i in events]
        queued = s.store.injects(s.current_round)
        rows = [
            (ev, ([t("ws_round.queued")] if ev.id in queued else []) + deck_lines(s, ev))
            for ev in deck
        ]
        heights = [max(ROW, len(lines) * EFFECT_H + 4) for _, lines in rows]
        w = min(1000, self.width - 80)
        list_h = sum(heights) + GAP * len(rows)
        h = min(self.height - 80, 56 + list_h + ROW + 36)
        card = self.panel(
            pygame.Rect((self.width - w) // 2, (self.height - h) // 2, w, h), object_id="#card"
        )
        self.label(
            pygame.Rect(20, 14, w - 40, 32),
            t("ws_round.inject_title", round=s.current_round),
            container=card,
            object_id="#heading",
        )
        scroller = self.scroller(pygame.Rect(12, 56, w - 24, h - 56 - ROW - 36), container=card)
        inner = w - 24 - 24
        y = 0
        for (ev, lines), row_h in zip(rows, heights, strict=True):
            self._deck_row(scroller, pygame.Rect(8, y, inner - 8, row_h), ev, lines, queued)
            y += row_h + GAP
        self.scroll_area(scroller, inner, y)
        self.button(
            pygame.Rect(w - 180, h - ROW - 16, 160, ROW),
            t("ws_round.cancel_esc"),
            self.app.pop,
            container=card,
        )
        self.app.focus_index = 0

    def _deck_row(
        self, scroller: Any, rect: pygame.Rect, ev: Event, lines: list[str], queued: list[str]
    ) -> None:
        """One event: its title as the button, and what it does, one line per effect."""
        title = plain(ev.title)
        self.button(
            pygame.Rect(rect.x, rect.y, DECK_BUTTON_W, ROW),
            fit(title, font(15), DECK_BUTTON_W - 16),
            lambda e=ev.id: self.choose(e),
            container=scroller,
            enabled=ev.id not in queued,
            tip=plain(ev.text) or title,
        )
        text_x = rect.x + DECK_BUTTON_W + GAP
        text_w = rect.right - text_x
        queued_words = t("ws_round.queued")
        for i, line in enumerate(lines):
            self.label(
                pygame.Rect(text_x, rect.y + 2 + i * EFFECT_H, text_w, EFFECT_H),
                fit(line, font(15), text_w - 8),
                container=scroller,
                object_id="#good" if line == queued_words else "#muted",
                tip=line,
            )

    def choose(self, event_id: str) -> None:
        """Queue the event and close."""
        from game.workshop.session import WorkshopError

        try:
            self.session.inject(event_id)
        except WorkshopError as exc:
            self.app.pop()
            show_error(self.app, exc, t("ws_round.not_injected"))
            return
        self.app.pop()  # the round view rebuilds, showing the queued event


class WorkshopPauseScene(Scene):
    """A blank screen for the projector while the workshop talks; the clock stops."""

    name = "workshop_pause"

    def __init__(self, app: App, clock: RoundClock) -> None:
        super().__init__(app)
        self.clock = clock
        clock.pause()

    def build(self) -> None:
        cx, cy = self.width // 2, self.height // 2
        self.label(
            pygame.Rect(cx - 300, cy - 90, 600, 64), t("ws_round.paused"), object_id="#title"
        )
        self.label(
            pygame.Rect(cx - 360, cy - 20, 720, 30),
            t("ws_round.paused_note"),
            object_id="#subtitle",
        )
        self.button(
            pygame.Rect(cx - 130, cy + 30, 260, 44),
            t("ws_round.resume"),
            self.on_back,
            object_id="#primary",
        )
        self.app.focus_index = 0

    def on_back(self) -> None:
        self.clock.resume()
        self.app.pop()

    def on_enter(self) -> None:
        self.on_back()
