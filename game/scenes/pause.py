"""The pause menu over the quarter hub: resume, save, settings, quit to title, quit."""

from __future__ import annotations

import html

import pygame

from game.scenes.base import GAP, ROW, Scene
from game.translation import t


class PauseScene(Scene):
    """Esc in the hub opens this; Esc again resumes."""

    name = "pause"
    overlay = True

    def build(self) -> None:
        session = self.app.session
        coach = session.coach.level if session is not None else None
        rows = 5 + (coach is not None)
        w, h = 380, 60 + rows * (ROW + GAP) + 40
        card = self.panel(
            pygame.Rect((self.width - w) // 2, (self.height - h) // 2, w, h), object_id="#card"
        )
        self.label(
            pygame.Rect(20, 14, w - 40, 34), t("pause.paused"), container=card, object_id="#heading"
        )
        entries = [
            (t("pause.resume"), self.app.pop, t("pause.resume_tip")),
            (t("pause.save"), self.save, t("pause.save_tip")),
            (t("common.settings"), self.settings, t("common.settings_tip")),
            (t("pause.quit_to_title"), self.quit_to_title, t("pause.quit_to_title_tip")),
            (t("pause.quit"), self.app.quit, t("pause.quit_tip")),
        ]
        if coach is not None:
            from game.coach import LEVEL_NAMES, LEVEL_TIPS

            entries.insert(
                2,
                (
                    t("pause.coach", level=LEVEL_NAMES[coach]),
                    self.cycle_coach,
                    t("pause.coach_tip", tip=LEVEL_TIPS[coach]),
                ),
            )
        for i, (text, action, tip) in enumerate(entries):
            self.button(
                pygame.Rect(20, 60 + i * (ROW + GAP), w - 40, ROW),
                text,
                action,
                tip=tip,
                container=card,
                object_id="#primary" if i == 0 else None,
            )
        self.status = self.label(
            pygame.Rect(20, h - 36, w - 40, 24), "", container=card, object_id="#muted"
        )
        self.app.focus_index = 0

    def cycle_coach(self) -> None:
        """Next coach level for this game (saved with it); the hub shows it on resume."""
        from game.coach import next_level

        session = self.app.session
        if session is None:
            return
        session.coach.set_level(next_level(session.coach.level))
        session.autosave_quietly()
        self.refresh()

    def _autosave(self) -> str | None:
        """Autosave the game in progress, solo or company; a message if the disk refused."""
        game = self.app.session or self.app.company
        return game.autosave_quietly() if game is not None else None

    def save(self) -> None:
        """Save to the autosave slot (the company's, in a company game) and say where."""
        if self.app.session is None and self.app.company is None:
            return
        self.status.set_text(self._autosave() or t("pause.saved"))

    def settings(self) -> None:
        """Open the settings screen."""
        from game.scenes.settings_screen import SettingsScene

        self.app.push(SettingsScene(self.app))

    def quit_to_title(self) -> None:
        """Save, close the game in progress and show the title screen."""
        from game.scenes.dialog import show_message
        from game.scenes.title import TitleScene

        problem = self._autosave()
        self.app.session = None
        self.app.company = None
        self.app.reset_to(TitleScene(self.app))
        if problem:
            show_message(self.app, t("pause.not_saved"), html.escape(problem))
