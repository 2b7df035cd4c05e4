"""The facilitator's round view: who has handed in, and every action on the round.

Team entry opens the privacy screen for a team (hot-seat); Resolve plays the round (asking
first when a team is missing: it keeps its course); Inject queues an event from the
scenario's deck for this round; Pause blanks the projector and stops the clock; Rewind
reopens the last round; End session shows the class leaderboard and the export.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pygame

from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.dialog import DialogScene
from game.scenes.workshop.common import TOP_H, RoundClock, deck_lines, show_error, top_bar
from game.widgets.focus import FocusScroller
from game.widgets.text import fit, font, plain

if TYPE_CHECKING:
    from engine.scenario import Event
    from game.app import App
    from game.workshop.session import WorkshopSession

ACTION_W = 300
DECK_BUTTON_W = 300
EFFECT_H = 24


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
        self.follow_focus = FocusScroller()

    def build(self) -> None:
        s = self.session
        sc = s.scenario
        self.clock.start(s.current_round)
        done = s.submitted()
        top_bar(
            self,
            f"Round {s.current_round} of {s.info.rounds} · {sc.title}",
            f"Session {s.id} · {'shared market' if s.mode == 'shared' else 'parallel worlds'}"
            f" · teams play the {s.info.role.upper()} · seed {s.info.seed}",
        )
        x, y = MARGIN, TOP_H + MARGIN
        list_w = self.width - 3 * MARGIN - ACTION_W
        n_done = sum(done.values())
        self.label(
            pygame.Rect(x, y, list_w, 34),
            f"Handed in: {n_done} of {len(done)} teams",
            object_id="#heading",
        )
        y += 40
        queued = self._queued_html()
        queued_h = 16 + 26 * (queued.count("<br>") + 1) if queued else 0
        bottom = self.height - 110 - (queued_h + GAP if queued else 0)
        scroller = self.scroller(pygame.Rect(x, y, list_w, bottom - GAP - y))
        inner = list_w - 24
        row_y = 0
        for team, ok in done.items():
            self.button(
                pygame.Rect(0, row_y, 200, ROW),
                "Enter again" if ok else "Enter decisions",
                lambda t=team: self.team_entry(t),
                container=scroller,
                tip=f"Hand the keyboard to {team}: a privacy screen comes first.",
            )
            self.label(
                pygame.Rect(210, row_y, inner - 210, ROW),
                f"{team}: " + ("handed in" if ok else "waiting"),
                container=scroller,
                object_id="#good" if ok else "#bad",
            )
            row_y += ROW + 6
        self.scroll_area(scroller, inner, row_y)
        if queued:
            self.text(pygame.Rect(x, bottom, list_w, queued_h), queued)
        self.text(
            pygame.Rect(x, self.height - 110, list_w, 86),
            f"{s.resolved} of {s.info.rounds} rounds played. Enter hands the keyboard to the "
            "next waiting team; when every team has handed in, Enter resolves the round and "
            "shows the results on the projector. Ctrl+P: projector mode.",
            object_id="#muted",
        )
        self._build_actions(pygame.Rect(self.width - MARGIN - ACTION_W, TOP_H + MARGIN, 0, 0))

    def _queued_html(self) -> str:
        """The events queued for the open round, each with what it does ("" when none)."""
        s = self.session
        events = {e.id: e for e in s.scenario.events}
        queued = [events[i] for i in s.store.injects(s.current_round) if i in events]
        lines = [
            f"• <b>{html.escape(plain(ev.title))}</b>: "
            + html.escape("; ".join(deck_lines(s, ev)) or "no effect")
            for ev in queued
        ]
        return (
            "<br>".join(["Events queued for this round (they happen for every team):", *lines])
            if lines
            else ""
        )

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
        actions = [
            (
                fit(f"Next team: {waiting[0]}", font(16, bold=True), ACTION_W - 20)
                if waiting
                else "Every team has handed in",
                (lambda: self.team_entry(waiting[0])) if waiting else None,
                bool(waiting),
                "Privacy screen, then the next waiting team enters its decisions.",
                "#primary" if waiting else None,
            ),
            (
                f"Resolve round {s.current_round}",
                self.resolve,
                True,
                "Play the round for every team and show the results.",
                None if waiting else "#primary",
            ),
            (
                "Inject an event",
                self.inject,
                bool(s.scenario.inject_deck),
                "Queue an event from the scenario's deck: it happens when this round is played."
                if s.scenario.inject_deck
                else "This scenario has no inject deck.",
                None,
            ),
            ("Show last results", self.show_results, s.resolved > 0, "The last reveal.", None),
            ("Pause", self.pause, True, "Blank the projector and stop the clock.", None),
            (
                "Rewind last round",
                self.rewind,
                s.resolved > 0,
                "Reopen the last round; teams may hand in again, then resolve again.",
                None,
            ),
            ("End session", self.end_session, True, "Class leaderboard and export.", None),
            ("Back to menu (Esc)", self.on_back, True, "Leave: the session stays saved.", None),
        ]
        for text, action, enabled, tip, object_id in actions:
            self.button(
                pygame.Rect(x, y, ACTION_W, 42),
                text,
                action,
                enabled=enabled,
                tip=tip,
                object_id=object_id,
            )
            y += 42 + GAP // 2 + 2

    def update(self, dt: float) -> None:
        """Keep the clock label current and the focused control in view."""
        self.follow_focus.update(self)
        if self.clock_label is not None and self.clock_label.alive():
            text = self.clock.text()
            if text != self.clock_label.text:
                self.clock_label.set_text(text)

    def on_enter(self) -> None:
        """Enter with nothing focused: the next team, or resolve once everyone handed in."""
        waiting = self.session.waiting_for()
        if waiting:
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
        """Esc: back to the workshop menu (the session stays saved)."""
        self.session.close()
        self.app.pop()

    # ------------------------------------------------------------------ actions
    def team_entry(self, team: str) -> None:
        """Hand the keyboard to ``team``: privacy screen first."""
        from game.scenes.workshop.handover import WorkshopPrivacyScene

        self.app.push(WorkshopPrivacyScene(self.app, self.session, team, self.clock))

    def resolve(self) -> None:
        """Play the round; ask first when teams are missing (they keep their course)."""
        waiting = self.session.waiting_for()
        if waiting:
            self.app.push(
                DialogScene(
                    self.app,
                    f"{len(waiting)} team(s) have not handed in",
                    f"Waiting for {html.escape(', '.join(waiting))}.<br><br>Resolve anyway: "
                    "they keep their course (last round's prices, marketing, split and "
                    "roadmap; no one-off actions).",
                    [("Resolve anyway", lambda: self._resolve(True)), ("Wait", None)],
                )
            )
        else:
            self._resolve(False)

    def _resolve(self, keep_course: bool) -> None:
        from game.scenes.workshop.reveal import WorkshopRevealScene
        from game.workshop.session import WorkshopError

        try:
            resolution = self.session.resolve(keep_course=keep_course)
        except WorkshopError as exc:
            show_error(self.app, exc, "The round was not played")
            return
        self.app.push(WorkshopRevealScene(self.app, self.session, resolution))

    def show_results(self) -> None:
        """The reveal of the last resolved round."""
        from game.scenes.workshop.reveal import WorkshopRevealScene

        self.app.push(WorkshopRevealScene(self.app, self.session, None))

    def inject(self) -> None:
        """Choose an event from the deck."""
        self.app.push(WorkshopInjectScene(self.app, self.session))

    def pause(self) -> None:
        """Blank the screen and stop the clock."""
        self.app.push(WorkshopPauseScene(self.app, self.clock))

    def rewind(self) -> None:
        """Ask, then reopen the last resolved round."""
        last = self.session.resolved
        self.app.push(
            DialogScene(
                self.app,
                f"Rewind round {last}?",
                f"Round {last} is reopened and its results are replayed from the log. The "
                "sheets handed in for it stay (resolving again gives the same results) and "
                "teams may hand in new ones. Sheets and events already given for the next "
                "round are discarded.",
                [("Rewind", self._rewind), ("Cancel", None)],
            )
        )

    def _rewind(self) -> None:
        from game.workshop.session import WorkshopError

        try:
            self.session.rewind()
        except WorkshopError as exc:
            show_error(self.app, exc, "Not rewound")
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
                "End the session now?",
                f"{s.resolved} of {s.info.rounds} rounds have been played. The class "
                "leaderboard and the export use the rounds played so far; you can resume "
                "the session later from the Workshop menu.",
                [
                    (
                        "Show the class leaderboard",
                        lambda: self.app.push(WorkshopEndScene(self.app, s)),
                    ),
                    ("Cancel", None),
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
        self.follow_focus = FocusScroller()

    def build(self) -> None:
        s = self.session
        events = {e.id: e for e in s.scenario.events}
        deck = [events[i] for i in s.scenario.inject_deck if i in events]
        queued = s.store.injects(s.current_round)
        rows = [
            (ev, (["Queued for this round."] if ev.id in queued else []) + deck_lines(s, ev))
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
            f"Inject an event into round {s.current_round}: it happens for every team",
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
            "Cancel (Esc)",
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
        for i, line in enumerate(lines):
            self.label(
                pygame.Rect(text_x, rect.y + 2 + i * EFFECT_H, text_w, EFFECT_H),
                fit(line, font(15), text_w - 8),
                container=scroller,
                object_id="#good" if line.startswith("Queued") else "#muted",
                tip=line,
            )

    def update(self, dt: float) -> None:
        """Keep the focused event in view."""
        self.follow_focus.update(self)

    def choose(self, event_id: str) -> None:
        """Queue the event and close."""
        from game.workshop.session import WorkshopError

        try:
            self.session.inject(event_id)
        except WorkshopError as exc:
            self.app.pop()
            show_error(self.app, exc, "Not injected")
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
        self.label(pygame.Rect(cx - 300, cy - 90, 600, 64), "Paused", object_id="#title")
        self.label(
            pygame.Rect(cx - 360, cy - 20, 720, 30),
            "The round clock is stopped. Nothing is lost.",
            object_id="#subtitle",
        )
        self.button(
            pygame.Rect(cx - 130, cy + 30, 260, 44),
            "Resume (Enter)",
            self.on_back,
            object_id="#primary",
        )
        self.app.focus_index = 0

    def on_back(self) -> None:
        self.clock.resume()
        self.app.pop()

    def on_enter(self) -> None:
        self.on_back()
