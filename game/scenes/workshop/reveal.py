"""The reveal for the projector: how the teams stand and moved, why, and their objectives.

Shown after a round is resolved (or again from the round view), in large type. Two views,
switched with O or the button: the standings (rank and places moved, share, revenue and
score with their changes since the round before, then the objectives counted in words, or
the grade after the last round) beside why the biggest moves happened (the engine's own
explanations) and the round's events; and the objectives, one column each, with every
team's value and whether it is on track. Only public results and scores are on it, so every
team may see it.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pygame
from pygame_gui.elements import UIImage

from engine.formatting import MISSING, money, number, pct, points, signed, signed_money
from game.objectives import objective_of, progress, tally, target_words
from game.scenes.base import GAP, MARGIN, Scene
from game.scenes.workshop.common import TOP_H, top_bar
from game.translation import t
from game.widgets.text import fit, font, plain
from game.workshop.session import private_event
from game.workshop.standings import Standing, biggest_moves, round_standings

if TYPE_CHECKING:
    from game.app import App
    from game.workshop.session import Resolution, WorkshopSession

SIDE_W = 400
SIDE_W_SMALL = 330  # beside one-line rows (many teams), so the table keeps its columns
BUTTON_H = 44
HEAD_H = 34
TWO_LINES = 56  # rows at least this tall show a value over its change, in large type
COLUMNS = (("#", 70), ("team", 190), ("share", 120), ("revenue", 140), ("score", 100))
"""The standings' columns: a heading key (``ws_reveal.col_<key>``; "#" as it is) and a width."""
LAST_W = 200  # the objectives (mid-game) or grade (final) column
GOOD_TEXT, BAD_TEXT = "#3fc29a", "#f0894a"  # the theme's #good and #bad text colours


class WorkshopRevealScene(Scene):
    """Standings or objectives after a round; Enter goes on to the next round."""

    name = "workshop_reveal"

    def __init__(self, app: App, session: WorkshopSession, resolution: Resolution | None) -> None:
        super().__init__(app)
        self.session = session
        self.resolution = resolution
        self.view = "standings"

    @property
    def round(self) -> int:
        """The round on show."""
        return self.resolution.round if self.resolution else self.session.resolved

    @property
    def final(self) -> bool:
        """True after the session's last round: grades instead of progress."""
        return self.round >= self.session.info.rounds

    def build(self) -> None:
        s = self.session
        what = t("ws_reveal.final_order") if self.final else t("ws_reveal.order")
        top_bar(
            self,
            t("ws_reveal.title", round=self.round, rounds=s.info.rounds),
            t(
                "ws_reveal.subtitle",
                scenario=s.scenario.title,
                mode=t("ws_round.shared") if s.mode == "shared" else t("ws_round.parallel"),
                what=what,
                since=t("ws_reveal.since_start")
                if self.round == 1
                else t("ws_reveal.since_round", round=self.round - 1),
            ),
        )
        body = pygame.Rect(
            MARGIN,
            TOP_H + MARGIN,
            self.width - 2 * MARGIN,
            self.height - TOP_H - 2 * MARGIN - BUTTON_H - GAP,
        )
        if self.round < 1:
            self.label(body.inflate(0, -body.h + 40), t("ws_reveal.no_round"))
        elif self.view == "standings":
            rows = round_standings(s, self.round)
            side_w = SIDE_W if _row_height(body.h, len(rows)) >= TWO_LINES else SIDE_W_SMALL
            table = pygame.Rect(body.x, body.y, body.w - side_w - MARGIN, body.h)
            self._standings(table, rows)
            side = pygame.Rect(table.right + MARGIN, body.y, side_w, body.h)
            self.text(side, self._side_html(), object_id="#reveal_text")
        else:
            self._objectives(body)
        self._buttons()

    def _buttons(self) -> None:
        s, by = self.session, self.height - MARGIN - BUTTON_H
        if s.finished:
            self.button(
                pygame.Rect(self.width - MARGIN - 340, by, 340, BUTTON_H),
                t("ws_reveal.leaderboard_export"),
                self.finish,
                object_id="#primary",
            )
        else:
            self.button(
                pygame.Rect(self.width - MARGIN - 340, by, 340, BUTTON_H),
                t("ws_reveal.on_to_round", round=s.current_round),
                self.app.pop,
                object_id="#primary",
            )
            self.button(
                pygame.Rect(MARGIN, by, 240, BUTTON_H), t("ws_reveal.round_view"), self.app.pop
            )
        if self.round >= 1:
            self.button(
                pygame.Rect(self.width // 2 - 150, by, 300, BUTTON_H),
                t("ws_reveal.show_objectives")
                if self.view == "standings"
                else t("ws_reveal.show_standings"),
                self.toggle,
                tip=t("ws_reveal.toggle_tip"),
            )
        self.app.focus_index = 0

    # ------------------------------------------------------------------ standings
    def _standings(self, area: pygame.Rect, rows: list[Standing]) -> None:
        """The standings table in large type: a header row, then one row per team."""
        cur = self.session.scenario.currency
        row_h = _row_height(area.h, len(rows))
        short = row_h < TWO_LINES  # one line per team: shorter changes, a wider last column
        last = ("grade" if self.final else "objectives", LAST_W + (40 if short else 0))
        columns = tuple(
            (name if name == "#" else t(f"ws_reveal.col_{name}"), w) for name, w in (*COLUMNS, last)
        )
        factor = min(1.0, area.w / sum(w for _, w in columns))
        widths = [int(w * factor) for _, w in columns]
        xs = [area.x + sum(widths[:i]) for i in range(len(widths))]
        for (name, _), x, w in zip(columns, xs, widths, strict=True):
            self.label(pygame.Rect(x, area.y, w - 6, HEAD_H), name, object_id="#big_muted")
        cards = {t: self.session.scorecard(t) for t in self.session.teams}
        share_fmt = _share_points if short else points
        y = area.y + HEAD_H
        for r in rows:
            cells = [pygame.Rect(x, y, w - 6, row_h - 4) for x, w in zip(xs, widths, strict=True)]
            self._rank(cells[0], r)
            self._value(cells[1], r.team, bold=True)
            self._value(cells[2], pct(r.share), _delta(r.share_change, share_fmt, short))
            revenue = _delta(r.revenue_change, signed_money, short)
            self._value(cells[3], money(r.revenue, cur), revenue)
            self._value(cells[4], number(r.score, 1), _delta(r.score_change, _score, short))
            objectives = cards[r.team]["objectives"]
            if self.final:
                met = sum(o["status"] == "met" for o in objectives)
                met_words = t("ws_reveal.met", met=met, count=len(objectives))
                self._value(cells[5], r.grade, (met_words, None), bold=True)
            else:
                head, rest = tally(objectives)
                self._value(cells[5], head, (rest, None))
            y += row_h

    def _rank(self, rect: pygame.Rect, r: Standing) -> None:
        """The place, and the places moved since the round before (an arrow and a number)."""
        half = rect.w // 2
        self.label(pygame.Rect(rect.x, rect.y, half, rect.h), str(r.rank), object_id="#big_bold")
        if not r.moved:
            text = "" if r.moved is None else "="
            tip = t("ws_reveal.no_earlier") if r.moved is None else t("ws_reveal.same_place")
            self.label(
                pygame.Rect(rect.x + half, rect.y, rect.w - half, rect.h),
                text,
                object_id="#big_muted",
                tip=tip,
            )
            return
        up = r.moved > 0
        size = min(16, rect.h // 3)
        _arrow(self, pygame.Rect(rect.x + half, rect.centery - size // 2, size, size), up)
        self.label(
            pygame.Rect(rect.x + half + size + 2, rect.y, rect.w - half - size - 2, rect.h),
            str(abs(r.moved)),
            object_id="#big_good" if up else "#big_bad",
            tip=t("ws_reveal.up" if up else "ws_reveal.down", count=abs(r.moved)),
        )

    def _value(
        self,
        rect: pygame.Rect,
        text: str,
        below: tuple[str, bool | None] | None = None,
        *,
        bold: bool = False,
    ) -> None:
        """A cell: the value in large type over its change (side by side in short rows)."""
        two = rect.h >= TWO_LINES
        top = pygame.Rect(rect.x, rect.y, rect.w, rect.h * 3 // 5 if two else rect.h)
        if below is not None and below[0] and not two:
            top.w = rect.w * 11 // 20
        face = font(22, bold=True) if two and bold else font(22) if two else font(15)
        self.label(
            top,
            fit(text, face, top.w - 8),
            object_id=("#big_bold" if bold else "#big") if two else None,
            tip=text if fit(text, face, top.w - 8) != text else None,
        )
        if below is None or not below[0]:
            return
        words, good = below
        rest = (
            pygame.Rect(rect.x, top.bottom, rect.w, rect.bottom - top.bottom)
            if two
            else pygame.Rect(top.right, rect.y, rect.right - top.right, rect.h)
        )
        self.label(
            rest,
            fit(words, font(15), rest.w - 8),
            object_id="#muted" if good is None else "#good" if good else "#bad",
            tip=words,
        )

    def _side_html(self) -> str:
        """Why the biggest moves happened, then what happened in the round."""
        moves = biggest_moves(self.session, self.round)
        parts = [f"<b>{t('ws_reveal.why_moved')}</b>"]
        parts += [
            f"• <b>{html.escape(team)}</b>: {html.escape(plain(exp.summary))}"
            for team, exp in moves
        ] or [f"• {t('ws_reveal.no_moves')}"]
        return "<br>".join(parts) + "<br><br>" + self._news(self.round)

    def _news(self, round_: int) -> str:
        """The round's events with what each did, who kept course, and the rivals."""
        s = self.session
        report = s.reports(s.teams[0])[round_] if s.resolved >= round_ else None
        parts = [f"<b>{t('ws_reveal.what_happened')}</b>"]
        public = [e for e in report.events if not private_event(e)] if report else []
        for e in public:  # a colleague's reaction is its team's own business
            effects = "; ".join(plain(str(x)) for x in e.get("effects", []))
            title = plain(str(e.get("title", e.get("id", ""))))
            parts.append(
                f"• {html.escape(title)}" + (f": {html.escape(effects)}" if effects else "")
            )
        if len(parts) == 1:
            parts.append(f"• {t('ws_reveal.no_events')}")
        if self.resolution and self.resolution.kept_course:
            parts.append(
                "<br>"
                + t(
                    "ws_companies.missing_seats"
                    if self.session.company
                    else "ws_reveal.kept_course",
                    teams=html.escape(", ".join(self.resolution.kept_course)),
                )
            )
        if report is not None and report.competitor_moves:
            parts.append(f"<br><b>{t('ws_reveal.rivals')}</b>")
            parts += [
                f"• {html.escape(plain(getattr(m, 'text', '') or str(m)))}"
                for m in report.competitor_moves[:4]
            ]
        return "<br>".join(parts)

    # ------------------------------------------------------------------ objectives
    def _objectives(self, area: pygame.Rect) -> None:
        """Teams down, objectives across: each team's value and, in words, where it stands."""
        s = self.session
        rows = round_standings(s, self.round)
        team_w = 220
        first = s.scorecard(rows[0].team)["objectives"] if rows else []  # the role's objectives
        col_w = (area.w - team_w) // max(1, len(first))
        head_h = 2 * HEAD_H
        row_h = _row_height(area.h - head_h + HEAD_H, len(rows))
        self.label(
            pygame.Rect(area.x, area.y, team_w - 6, HEAD_H),
            t("ws_reveal.col_team"),
            object_id="#big_muted",
        )
        for i, o in enumerate(first):
            p = progress(o, s.scenario)
            if p is None:
                continue
            x = area.x + team_w + i * col_w
            self.label(
                pygame.Rect(x, area.y, col_w - 6, HEAD_H),
                fit(p.name, font(15, bold=True), col_w - 14),
                tip=plain(str(o["description"])),
            )
            obj = objective_of(o, s.scenario)
            target = target_words(obj, s.scenario, brief=True) if obj else p.target
            self.label(
                pygame.Rect(x, area.y + HEAD_H, col_w - 6, HEAD_H),
                fit(target, font(15), col_w - 14),
                object_id="#muted",
                tip=t("ws_reveal.target", target=p.target),
            )
        y = area.y + head_h
        for r in rows:
            self._value(pygame.Rect(area.x, y, team_w - 6, row_h - 4), r.team, bold=True)
            for i, o in enumerate(s.scorecard(r.team)["objectives"]):
                p = progress(o, s.scenario)
                if p is not None:
                    cell = pygame.Rect(area.x + team_w + i * col_w, y, col_w - 6, row_h - 4)
                    self._value(cell, p.value, (p.status, p.good))
            y += row_h

    # ------------------------------------------------------------------ actions
    def toggle(self) -> None:
        """Standings ↔ objectives."""
        self.view = "objectives" if self.view == "standings" else "standings"
        self.refresh()

    def on_key(self, event: pygame.event.Event) -> None:
        if event.key == pygame.K_o and self.round >= 1:
            self.toggle()

    def finish(self) -> None:
        """Back to the round view, which gives way to the end-of-session screen."""
        self.app.pop()

    def on_enter(self) -> None:
        self.app.pop()


def _score(change: float) -> str:
    return signed(change, 1)


def _share_points(change: float) -> str:
    return signed(change * 100, 1)


def _row_height(height: int, rows: int) -> int:
    """Rows share ``height`` less the header, between 40 and 84 units each."""
    return max(40, min(84, (height - HEAD_H) // max(1, rows)))


def _delta(change: float | None, fmt: Any, short: bool = False) -> tuple[str, bool | None] | None:
    """A change in words with whether it is good news (higher is better for every column)."""
    if change is None:
        return None
    text = fmt(change)
    if text == MISSING or not any(c in "123456789" for c in text):
        return ("=" if short else t("ws_reveal.no_change"), None)
    return (text, change > 0)


def _arrow(scene: Scene, rect: pygame.Rect, up: bool) -> UIImage:
    """A small filled triangle (the bundled font has no arrow glyphs): green up, orange down."""
    box = scene.px(rect)
    surface = pygame.Surface(box.size, pygame.SRCALPHA)
    w, h = box.size
    tip, base = (0, h - 1) if up else (h - 1, 0)
    colour = pygame.Color(GOOD_TEXT if up else BAD_TEXT)
    pygame.draw.polygon(surface, colour, [(w // 2, tip), (0, base), (w - 1, base)])
    return UIImage(box, surface, manager=scene.manager, container=scene.root)
