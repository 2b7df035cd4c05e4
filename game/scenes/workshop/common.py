"""Shared pieces of the facilitator screens: errors in words, the round clock, the leaderboard.

Every workshop screen reports a :class:`~game.workshop.session.WorkshopError` with
:func:`show_error` (a dialog listing each problem) instead of letting it escape; the round
clock counts the suggested time per round in wall-clock time and stops while paused.
"""

from __future__ import annotations

import html
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pygame

from engine.formatting import number
from engine.kpis import KPIS, LEADERBOARD_SHOWN
from game.scenes.base import GAP, Scene
from game.translation import t
from game.widgets.text import fit, font, plain

if TYPE_CHECKING:
    from engine.scenario import Event
    from game.app import App
    from game.workshop.session import WorkshopError, WorkshopSession

TOP_H = 64
KPI_WIDTHS = {"revenue": 120, "profit": 120, "customers": 110, "share": 90}
LEADERBOARD_COLUMNS = (
    ("#", 40),
    ("Team", 200),
    ("Score", 80),
    ("Grade", 70),
    *((KPIS[k].heading, KPI_WIDTHS.get(k, 110)) for k in LEADERBOARD_SHOWN),
)
"""The leaderboard's columns (the first four headings in English: :func:`leaderboard_head`
translates them when the table is drawn)."""


def leaderboard_head() -> list[tuple[str, int]]:
    """The leaderboard's first four columns (place, team, score, grade) in the player's
    language."""
    names = ("#", t("workshop.col_team"), t("workshop.col_score"), t("workshop.col_grade"))
    return [(name, w) for name, (_, w) in zip(names, LEADERBOARD_COLUMNS[:4], strict=True)]


def deck_lines(session: WorkshopSession, event: Event) -> list[str]:
    """What an inject-deck event would do, one line per effect ("Each team" for the firm every
    team runs)."""
    from engine.events import describe

    player = session.scenario.player_firms()[0].id
    each = t("workshop.each_team")
    return [plain(line) for line in describe(event, session.scenario, {player: each})]


def show_error(app: App, exc: WorkshopError, title: str | None = None) -> None:
    """Show a workshop refusal in words: its message and every problem as a bullet
    (``title``: "Not done" unless given)."""
    from game.scenes.dialog import DialogScene
    from game.workshop.words import shown

    message = shown(exc.message)
    body = html.escape(plain(message[:1].upper() + message[1:])) + "."
    if exc.problems:
        body += "<br><br>" + "<br>".join(f"• {html.escape(plain(shown(p)))}" for p in exc.problems)
    app.push(DialogScene(app, title or t("workshop.not_done"), body))


def problems_html(exc: WorkshopError) -> str:
    """A refusal as a short HTML list (for a text box on the screen itself)."""
    from game.workshop.words import shown

    items = exc.problems or [exc.message]
    return "<br>".join(f"• {html.escape(plain(shown(p)))}" for p in items)


class RoundClock:
    """The suggested time per round: counts down in wall-clock time, stopped while paused."""

    def __init__(self, seconds: int | None) -> None:
        self.seconds = seconds
        self.round = 0
        self._started = time.monotonic()
        self._paused_at: float | None = None
        self._paused_total = 0.0

    def start(self, round_: int) -> None:
        """Restart the clock for ``round_`` (no-op if it already runs for that round)."""
        if round_ != self.round:
            self.round = round_
            self._started = time.monotonic()
            self._paused_total = 0.0
            self._paused_at = None

    @property
    def paused(self) -> bool:
        """True while the session is paused."""
        return self._paused_at is not None

    def pause(self) -> None:
        """Stop the clock."""
        if self._paused_at is None:
            self._paused_at = time.monotonic()

    def resume(self) -> None:
        """Start the clock again where it stopped."""
        if self._paused_at is not None:
            self._paused_total += time.monotonic() - self._paused_at
            self._paused_at = None

    def remaining(self) -> float | None:
        """Seconds left in the round (negative when over time), None without a timer."""
        if not self.seconds:
            return None
        now = self._paused_at if self._paused_at is not None else time.monotonic()
        return self.seconds - (now - self._started - self._paused_total)

    def text(self) -> str:
        """The clock in words for the round view."""
        left = self.remaining()
        if left is None:
            return t("workshop.timer_off")
        if left <= 0:
            return t("workshop.time_up")
        minutes, seconds = divmod(int(left + 0.999), 60)
        clock = f"{minutes}:{seconds:02d}"
        if self.paused:
            return t("workshop.time_left_paused", clock=clock)
        return t("workshop.time_left", clock=clock)

    def short_text(self) -> str:
        """The clock in a few words for a team's top bar."""
        left = self.remaining()
        if left is None:
            return t("workshop.no_timer")
        if left <= 0:
            return t("workshop.time_up_short")
        return self.text()


def top_bar(scene: Scene, title: str, subtitle: str = "") -> Any:
    """The dark bar across the top of a workshop screen: a heading and a muted line."""
    bar = scene.panel(pygame.Rect(0, 0, scene.width, TOP_H), object_id="#top_bar")
    scene.label(
        pygame.Rect(16, 2, scene.width - 32, 34), title, container=bar, object_id="#heading"
    )
    if subtitle:
        scene.label(
            pygame.Rect(16, 36, scene.width - 32, 24), subtitle, container=bar, object_id="#muted"
        )
    return bar


def leaderboard_table(
    scene: Scene, session: WorkshopSession, area: pygame.Rect, *, container: Any = None
) -> int:
    """The session's leaderboard as aligned labels inside ``area``; returns the y below it."""
    return leaderboard_rows(
        scene,
        session.leaderboard(),
        session.scenario.currency,
        area,
        leader=bool(session.resolved),
        container=container,
    )


def leaderboard_rows(
    scene: Scene,
    board: Sequence[Mapping[str, Any]],
    currency: str,
    area: pygame.Rect,
    *,
    kpis: Sequence[str] = LEADERBOARD_SHOWN,
    leader: bool = True,
    own: str = "",
    container: Any = None,
) -> int:
    """Leaderboard rows (:meth:`WorkshopSession.leaderboard`'s) as aligned labels inside
    ``area``; returns the y below the table. ``kpis``: the KPI columns; ``leader``: the first
    row in the good colour; ``own``: the team reading it, marked "(you)".

    Columns shrink to fit narrow areas; rows shrink when many teams would not fit.
    """
    columns = [*leaderboard_head(), *((KPIS[k].heading, KPI_WIDTHS.get(k, 110)) for k in kpis)]
    total = sum(w for _, w in columns)
    factor = min(1.0, area.w / total)
    widths = [max(36, int(w * factor)) for _, w in columns]
    row_h = max(24, min(34, area.h // (len(board) + 1)))
    y = area.y

    def row(cells: list[str], object_id: str | None) -> None:
        x = area.x
        for cell, w in zip(cells, widths, strict=True):
            scene.label(
                pygame.Rect(x, y, w - 4, row_h - 2), cell, container=container, object_id=object_id
            )
            x += w

    row([name for name, _ in columns], "#muted")
    y += row_h
    for r in board:
        team = str(r["team"])
        if own and r["team"] == own:
            team = t("workshop.team_you", team=team)
        row(
            [
                str(r["rank"]),
                fit(team, font(15), widths[1] - 12),
                number(float(r["score"]), 1),
                str(r["grade"]),
                *(KPIS[k].compact(float(r[k]), currency) for k in kpis),
            ],
            "#good" if r["rank"] == 1 and leader else None,
        )
        y += row_h
    return y + GAP
