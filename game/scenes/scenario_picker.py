"""Scenario picker: bundled and the player's own scenarios, invalid ones with their errors."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame

from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.glossary import ROLE_NAMES
from game.translation import t
from game.widgets.text import plain

if TYPE_CHECKING:
    from game.app import App
    from game.session import ScenarioEntry

__all__ = ["ROLE_NAMES", "ScenarioPickerScene", "describe"]


def describe(entry: ScenarioEntry) -> str:
    """The details panel for one scenario (HTML subset)."""
    s = entry.scenario
    where = t("picker.bundled") if entry.bundled else t("picker.own_folder", path=entry.path)
    if s is None:
        name = f"<b>{html.escape(entry.path.name)}</b>"
        problems = t("picker.problems", count=len(entry.problems))
        return (
            f"{t('picker.cannot_play', name=name, where=where)}<br><br>"
            f"<font color='#f0894a'>{problems}</font><br>"
            + "<br>".join(html.escape(p) for p in entry.problems[:40])
        )
    roles = ", ".join(ROLE_NAMES[r] for r in s.roles)
    teaches = (
        f"<br><br><b>{t('picker.teaches')}</b> {html.escape(plain(s.teaches))}" if s.teaches else ""
    )
    note = f"<br><br><font color='#a8b3c1'>{html.escape(entry.note)}</font>" if entry.note else ""
    difficulty = t(f"picker.difficulty.{s.difficulty}")
    facts = t("picker.facts", difficulty=difficulty, quarters=s.quarters, roles=roles)
    file = t("picker.file", file=html.escape(entry.path.name), where=where)
    return (
        f"<b>{html.escape(s.title)}</b><br>"
        f"{facts}<br><br>"
        f"{html.escape(plain(s.summary))}{teaches}<br><br>"
        f"<font color='#a8b3c1'>{file}</font>{note}"
    )


class ScenarioPickerScene(Scene):
    """Lists every scenario file; choosing a valid one leads to the role choice."""

    name = "scenario_picker"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.entries: list[ScenarioEntry] = []
        self.selected = 0
        self.scan()

    def scan(self) -> None:
        """Read and validate every scenario file (again: F5 after editing one)."""
        from game.session import list_scenarios

        self.entries = list_scenarios()

    def build(self) -> None:
        from game import paths

        self.selected = min(self.selected, max(0, len(self.entries) - 1))
        self.label(pygame.Rect(MARGIN, MARGIN, 600, 40), t("picker.heading"), object_id="#heading")
        self.label(
            pygame.Rect(MARGIN, MARGIN + 38, self.width - 2 * MARGIN, 26),
            t("picker.add_own", folder=paths.user_scenarios_dir()),
            object_id="#muted",
        )
        top = MARGIN + 76
        list_w = min(440, self.width // 3)
        area_h = self.height - top - MARGIN - ROW - GAP
        scroller = self.scroller(pygame.Rect(MARGIN, top, list_w, area_h), container=self.root)
        item_h = 48
        inner_w = list_w - 24
        for i, entry in enumerate(self.entries):
            mark = "" if entry.scenario else t("picker.mark_invalid")
            own = "" if entry.bundled else t("picker.mark_own")
            self.button(
                pygame.Rect(0, i * (item_h + 6), inner_w, item_h),
                f"{entry.title}{mark}{own}",
                lambda i=i: self.select(i),
                container=scroller,
                object_id="#tab_active" if i == self.selected else "#tab",
                tip=entry.scenario.summary if entry.scenario else t("picker.invalid_tip"),
            )
        self.scroll_area(scroller, inner_w, len(self.entries) * (item_h + 6))
        detail_x = MARGIN + list_w + GAP
        self.details = self.text(
            pygame.Rect(detail_x, top, self.width - detail_x - MARGIN, area_h),
            describe(self.entries[self.selected]) if self.entries else t("picker.none"),
        )
        by = self.height - MARGIN - ROW
        self.button(pygame.Rect(MARGIN, by, 160, ROW), t("common.back"), self.app.pop, tip="Esc")
        entry = self.entries[self.selected] if self.entries else None
        self.next_button = self.button(
            pygame.Rect(self.width - MARGIN - 260, by, 260, ROW),
            t("picker.choose_role"),
            self.choose,
            object_id="#primary",
            enabled=bool(entry and entry.scenario),
            tip=t("picker.choose_role_tip")
            if entry and entry.scenario
            else t("picker.has_errors_tip"),
        )
        self.preview_button = self.button(
            pygame.Rect(self.width - MARGIN - 260 - GAP - 160, by, 160, ROW),
            t("picker.preview"),
            self.preview,
            enabled=bool(entry and entry.scenario),
            tip=t("picker.preview_tip"),
        )

    def select(self, index: int) -> None:
        """Show the details of another scenario."""
        self.selected = index
        self.refresh()

    def choose(self) -> None:
        """Go on to the role choice for the selected scenario."""
        from game.scenes.role_choice import RoleChoiceScene

        entry = self.entries[self.selected]
        if entry.scenario is not None:
            self.app.push(RoleChoiceScene(self.app, entry))

    def preview(self) -> None:
        """Show the selected scenario's starting market."""
        from game.scenes.scenario_preview import ScenarioPreviewScene

        entry = self.entries[self.selected]
        if entry.scenario is not None:
            self.app.push(ScenarioPreviewScene(self.app, entry))

    def on_enter(self) -> None:
        self.choose()

    def on_key(self, event: pygame.event.Event) -> None:
        if event.key in (pygame.K_DOWN, pygame.K_UP) and self.entries:
            step = 1 if event.key == pygame.K_DOWN else -1
            self.select((self.selected + step) % len(self.entries))

    def on_reload(self) -> None:
        self.scan()
        self.refresh()
