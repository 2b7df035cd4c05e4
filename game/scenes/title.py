"""The title screen: Play, Continue, Workshop, Join workshop, Settings, Quit."""

from __future__ import annotations

import pygame

from game.scenes.base import GAP, Scene

HINT = "Mouse or keyboard: Tab / Shift-Tab move, Enter chooses, Esc goes back, F5 reloads."


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
        self.label(pygame.Rect(cx - 300, top, 600, 64), "Crossroads", object_id="#title")
        self.label(
            pygame.Rect(cx - 360, top + 68, 720, 30),
            "Make product decisions as a PM or CPO, and see why they worked.",
            object_id="#subtitle",
        )
        bw, bh = 320, 44
        y = top + 140
        can_continue = flow.has_autosave()
        entries = [
            (
                "Play",
                lambda: self.app.push(ScenarioPickerScene(self.app)),
                True,
                "Choose a scenario and a role, then play it quarter by quarter.",
            ),
            (
                "Continue",
                lambda: flow.continue_game(self.app),
                can_continue,
                "Resume the game you were playing (saved after every quarter)."
                if can_continue
                else "No saved game yet: play a scenario first.",
            ),
            (
                "Workshop",
                lambda: self.app.push(WorkshopMenuScene(self.app)),
                True,
                "Facilitators: run teams through a scenario on one screen (hot-seat).",
            ),
            (
                "Join workshop",
                lambda: self.app.push(WorkshopJoinScene(self.app)),
                True,
                "Teams: join a workshop your facilitator hosts on the network, with your "
                "team's join code.",
            ),
            (
                "Settings",
                lambda: self.app.push(SettingsScene(self.app)),
                True,
                "Window size, full screen, text size and projector mode.",
            ),
            ("Quit", self.app.quit, True, "Close the game (your game in progress is saved)."),
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
        self.label(pygame.Rect(cx - 420, self.height - 48, 840, 26), HINT, object_id="#subtitle")
        self.app.focus_index = 0

    def on_back(self) -> None:
        self.app.quit()
