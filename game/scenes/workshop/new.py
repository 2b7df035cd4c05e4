"""New workshop session: scenario, role, mode, teams, seed, rounds and an optional timer.

A scenario with the CPO role may make every team a company (issue 20): a CPO seat and one PM
seat per product line, each seat with its own join code (:func:`offers_company`).

Choices with a few values are buttons that cycle through them (Enter or a click), numbers
and names are text fields; nothing is checked here that the session does not check again:
:meth:`WorkshopSession.create` refuses a bad set-up with every problem listed.
"""

from __future__ import annotations

import html
import string
from typing import TYPE_CHECKING

import pygame

from game.coach import LEVEL_NAMES, LEVEL_TIPS, next_level
from game.parse import parse_count
from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.glossary import ROLE_NAMES
from game.scenes.workshop.common import TOP_H, show_error, top_bar
from game.translation import t
from game.widgets.text import text_height

if TYPE_CHECKING:
    from engine.scenario import Scenario
    from game.app import App
    from game.session import ScenarioEntry

MODES = ("shared", "parallel")


def mode_words(mode: str) -> str:
    """What a mode means, in a sentence or two."""
    return t(f"workshop.mode_{mode}")


DEFAULT_TEAMS = 4
MAX_TEAMS = 12  # game.workshop.session.MAX_TEAMS (not imported: the session module is heavy)
MAX_FIELD = 19  # digits in a number field (a seed below 2**63)
MODE_H = 70  # two lines of the mode's description
SUMMARY_H = 140  # the scenario's summary (three lines) and its facts


def offers_company(sc: Scenario) -> bool:
    """True when teams may be companies: the scenario has the CPO role and product lines."""
    return "cpo" in sc.roles and any(f.products for f in sc.player_firms())


def default_team_name(i: int) -> str:
    """Team A, Team B, ..."""
    return t("workshop.default_team", letter=string.ascii_uppercase[i])


class WorkshopNewScene(Scene):
    """The set-up form; Create opens the first round's view."""

    name = "workshop_new"

    def __init__(self, app: App, resolution: int | None = None) -> None:
        super().__init__(app)
        from game.session import list_scenarios

        self.entries: list[ScenarioEntry] = [
            e
            for e in list_scenarios()
            if e.scenario is not None and len(e.scenario.player_firms()) == 1
        ]
        self.resolution = resolution
        self.index = 0
        self.role = ""
        self.mode = "shared"
        self.names = [default_team_name(i) for i in range(MAX_TEAMS)]
        self.count = DEFAULT_TEAMS
        self.seed = ""
        self.rounds = 0
        self.timer = ""
        self.coach = "none"  # off in workshops unless the facilitator turns it on
        self.company = False  # every team a company of seats (the scenario must offer it)
        self._pick(0)

    def _pick(self, index: int) -> None:
        """Select scenario ``index`` and reset what depends on it (role, seed, rounds)."""
        self.index = index % max(1, len(self.entries))
        sc = self.scenario
        if sc is not None:
            self.company = self.company and offers_company(sc)
            self.role = "cpo" if self.company else ("pm" if "pm" in sc.roles else sc.roles[0])
            self.seed = str(sc.seed)
            self.rounds = min(sc.quarters, 6)

    @property
    def scenario(self) -> Scenario | None:
        """The chosen scenario."""
        return self.entries[self.index].scenario if self.entries else None

    def build(self) -> None:
        top_bar(
            self,
            t("workshop.new_title"),
            t("workshop.new_subtitle"),
        )
        sc = self.scenario
        if sc is None:
            self.label(
                pygame.Rect(MARGIN, TOP_H + MARGIN, 800, 30),
                t("workshop.no_scenario"),
            )
            self.button(pygame.Rect(MARGIN, TOP_H + 80, 160, ROW), t("workshop.back"), self.app.pop)
            return
        col = (self.width - 3 * MARGIN) // 2
        self._build_setup(pygame.Rect(MARGIN, TOP_H + MARGIN, col, 0), sc)
        self._build_teams(pygame.Rect(2 * MARGIN + col, TOP_H + MARGIN, col, 0))
        by = self.height - MARGIN - 44
        self.button(
            pygame.Rect(self.width - MARGIN - 260, by, 260, 44),
            t("workshop.create"),
            self.create,
            object_id="#primary",
            tip=t("workshop.create_tip"),
        )
        self.button(
            pygame.Rect(self.width - MARGIN - 260 - GAP - 160, by, 160, 44),
            t("workshop.back"),
            self.app.pop,
        )

    def _build_setup(self, area: pygame.Rect, sc: Scenario) -> None:
        """The left column: scenario, role, mode, rounds, seed, timer, coach, summary."""
        col = area.w
        x, y = area.x, area.y
        name_w = 150
        field = pygame.Rect(x + name_w, 0, col - name_w, ROW)

        def row(title: str, tip: str) -> pygame.Rect:
            nonlocal y
            self.label(pygame.Rect(x, y, name_w - 8, ROW), title, tip=tip)
            rect = field.move(0, y)
            y += ROW + GAP
            return rect

        self.button(
            row(t("workshop.scenario"), t("workshop.scenario_tip")),
            t(
                "workshop.scenario_choice",
                title=sc.title,
                index=self.index + 1,
                count=len(self.entries),
            ),
            lambda: self._cycle_scenario(),
            tip=t("workshop.scenario_next"),
        )
        self.button(
            row(t("workshop.role"), t("workshop.role_tip")),
            ROLE_NAMES.get(self.role, self.role),
            self._cycle_role,
            enabled=len(sc.roles) > 1 and not self.company,
            tip=t("ws_companies.role_fixed") if self.company else t("workshop.role_next"),
        )
        self.button(
            row(t("workshop.mode"), " ".join(mode_words(m) for m in MODES)),
            t("workshop.shared_market") if self.mode == "shared" else t("workshop.parallel_worlds"),
            self._cycle_mode,
            tip=t("workshop.mode_next"),
        )
        self.text(pygame.Rect(x, y, col, MODE_H), mode_words(self.mode), object_id="#muted")
        y += MODE_H + GAP
        self.stepper(
            pygame.Rect(x, y, col, ROW),
            t("workshop.rounds_field"),
            self.rounds,
            (1, sc.quarters),
            1,
            lambda v: t("workshop.rounds_value", rounds=f"{v:.0f}", quarters=sc.quarters),
            self._set_rounds,
            tip=t("workshop.rounds_tip"),
        )
        y += ROW + GAP
        self.entry_line(
            row(t("workshop.seed"), t("workshop.seed_tip")),
            self.seed,
            self._set_seed,
            allowed="numbers",
            tip=t("workshop.seed_tip"),
        )
        self.entry_line(
            row(t("workshop.timer"), t("workshop.timer_tip")),
            self.timer,
            self._set_timer,
            allowed="numbers",
            tip=t("workshop.timer_tip_long"),
        )
        self.button(
            row(t("workshop.coach"), t("workshop.coach_tip")),
            f"{LEVEL_NAMES[self.coach]}",
            self._cycle_coach,
            tip=t("workshop.coach_next", level_tip=LEVEL_TIPS[self.coach]),
        )
        self.text(
            pygame.Rect(x, y, col, min(SUMMARY_H, self.height - MARGIN - 44 - GAP - y)),
            html.escape(sc.summary)
            + "<br>"
            + t(
                "workshop.scenario_facts",
                segments=len(sc.segments),
                firms=len(sc.firms),
                quarters=sc.quarters,
                difficulty=sc.difficulty,
            ),
            object_id="#muted",
        )

    def _build_teams(self, area: pygame.Rect) -> None:
        x, y, w = area.x, area.y, area.w
        self.label(pygame.Rect(x, y, 120, ROW), t("workshop.teams"), tip=t("workshop.teams_range"))
        self.button(
            pygame.Rect(x + 130, y, 40, ROW),
            "−",
            lambda: self._set_count(self.count - 1),
            enabled=self.count > 2,
            tip=t("workshop.team_fewer"),
        )
        self.label(pygame.Rect(x + 174, y, 50, ROW), str(self.count))
        self.button(
            pygame.Rect(x + 228, y, 40, ROW),
            "+",
            lambda: self._set_count(self.count + 1),
            enabled=self.count < MAX_TEAMS,
            tip=t("workshop.team_more"),
        )
        y += ROW + GAP
        y += self._build_company(pygame.Rect(x, y, w, 0))
        half = (w - GAP) // 2
        for i in range(self.count):
            cx = x + (i % 2) * (half + GAP)
            cy = y + (i // 2) * (ROW + 8)

            def set_name(text: str, i: int = i) -> None:
                self.names[i] = text

            self.entry_line(
                pygame.Rect(cx, cy, half, ROW),
                self.names[i],
                set_name,
                tip=t("workshop.team_name_tip", number=i + 1),
            )

    def _build_company(self, area: pygame.Rect) -> int:
        """The "teams are companies" toggle and what it means; returns the height used."""
        sc = self.scenario
        offered = sc is not None and offers_company(sc)
        state = t("settings.on") if self.company else t("settings.off")
        self.button(
            pygame.Rect(area.x, area.y, area.w, ROW),
            t("ws_companies.toggle", state=state),
            self._toggle_company,
            enabled=offered,
            tip=t("ws_companies.toggle_tip") if offered else t("ws_companies.not_offered"),
        )
        words = t("ws_companies.meaning") if offered else t("ws_companies.not_offered")
        h = text_height(words, area.w)
        self.text(pygame.Rect(area.x, area.y + ROW + 4, area.w, h), words, object_id="#muted")
        return ROW + 4 + h + GAP

    # ------------------------------------------------------------------ changes
    def _cycle_scenario(self) -> None:
        self._pick(self.index + 1)
        self.refresh()

    def _cycle_role(self) -> None:
        roles = self.scenario.roles
        self.role = roles[(roles.index(self.role) + 1) % len(roles)]
        self.refresh()

    def _cycle_mode(self) -> None:
        self.mode = "parallel" if self.mode == "shared" else "shared"
        self.refresh()

    def _toggle_company(self) -> None:
        """Teams are companies, or not; a company plays the scenario's CPO role."""
        sc = self.scenario
        self.company = not self.company and sc is not None and offers_company(sc)
        if self.company:
            self.role = "cpo"
        self.refresh()

    def _cycle_coach(self) -> None:
        self.coach = next_level(self.coach)
        self.refresh()

    def _set_rounds(self, value: float) -> None:
        self.rounds = round(value)

    def _set_seed(self, text: str) -> None:
        self.seed = text

    def _set_timer(self, text: str) -> None:
        self.timer = text

    def _set_count(self, count: int) -> None:
        self.count = max(2, min(MAX_TEAMS, count))
        self.refresh()

    # ------------------------------------------------------------------ create
    def create(self) -> None:
        """Create the session (every problem shown in words) and open its round view."""
        from engine.loader import MAX_BYTES
        from game.files import os_reason, read_text
        from game.scenes.workshop.round import WorkshopRoundScene
        from game.workshop.session import WorkshopError, WorkshopSession
        from game.workshop.words import phrase

        entry = self.entries[self.index]
        try:
            text = read_text(entry.path, MAX_BYTES)
        except OSError as exc:
            show_error(
                self.app,
                WorkshopError(
                    phrase("ws_errors.cannot_read", name=entry.path.name, reason=os_reason(exc))
                ),
            )
            return
        numbers = {"seed": self.seed, "timer": self.timer}
        bad = [k for k, v in numbers.items() if v.strip() and not _whole(v)]
        if bad:
            show_error(
                self.app,
                WorkshopError(
                    phrase("ws_errors.cannot_create"),
                    [phrase(f"ws_errors.field_{k}_whole", digits=MAX_FIELD) for k in bad],
                ),
                t("workshop.cannot_create"),
            )
            return
        try:
            session = WorkshopSession.create(
                text,
                teams=[n.strip() for n in self.names[: self.count]],
                mode=self.mode,  # type: ignore[arg-type]
                role=self.role,
                seed=parse_count(self.seed),
                rounds=self.rounds,
                timer_s=minutes * 60 if (minutes := parse_count(self.timer)) else None,
                resolution=self.resolution,
                coach=self.coach,
                source_name=entry.path.name,
                company=self.company,
            )
        except WorkshopError as exc:
            show_error(self.app, exc, t("workshop.cannot_create"))
            return
        self.app.replace(WorkshopRoundScene(self.app, session))


def _whole(text: str) -> bool:
    """True for a non-negative whole number short enough to parse (no 10**30 surprises)."""
    text = text.strip()
    return text.isascii() and text.isdigit() and len(text) <= MAX_FIELD
