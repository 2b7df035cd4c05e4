"""The title screen: Play, Continue, Workshop, Join workshop, Settings, Quit."""

from __future__ import annotations

import pygame

from game.scenes.base import GAP, Scene
from game.translation import t


class TitleScene(Scene):
    """First screen; Esc here quits."""

    name = "title"

    def build(self) -> None:
        from game.scenes import flow
        from game.scenes.scenario_picker import ScenarioPickerScene
        from game.scenes.settings_screen import SettingsScene
        from game.scenes.workshop.join import WorkshopJoinScene
        from game.scenes.workshop.menu import WorkshopMenuScene

        cx = self.width // 2
        top = self.height // 5
        self.label(pygame.Rect(cx - 300, top, 600, 64), t("title.name"), object_id="#title")
        self.label(
            pygame.Rect(cx - 360, top + 68, 720, 30),
            t("title.subtitle"),
            object_id="#subtitle",
        )
        bw, bh = 320, 44
        y = top + 140
        can_continue = flow.has_autosave()
        entries = [
            (
                t("title.play"),
                lambda: self.app.push(ScenarioPickerScene(self.app)),
                True,
                t("title.play_tip"),
            ),
            (
                t("title.continue"),
                lambda: flow.continue_game(self.app),
                can_continue,
                t("title.continue_tip") if can_continue else t("title.continue_none"),
            ),
            (
                t("title.workshop"),
                lambda: self.app.push(WorkshopMenuScene(self.app)),
                True,
                t("title.workshop_tip"),
            ),
            (
                t("title.join"),
                lambda: self.app.push(WorkshopJoinScene(self.app)),
                True,
                t("title.join_tip"),
            ),
            (
                t("common.settings"),
                lambda: self.app.push(SettingsScene(self.app)),
                True,
                t("common.settings_tip"),
            ),
            (t("title.quit"), self.app.quit, True, t("title.quit_tip")),
        ]
        for i, (text, action, enabled, tip) in enumerate(entries):
            self.button(
                pygame.Rect(cx - bw // 2, y + i * (bh + GAP), bw, bh),
                text,
                action,
                tip=tip,
                enabled=enabled,
                object_id="#primary" if i == 0 else None,
            )
        self.label(
            pygame.Rect(cx - 420, self.height - 48, 840, 26), t("title.hint"), object_id="#subtitle"
        )
        self.app.focus_index = 0

    def on_back(self) -> None:
        self.app.quit()
