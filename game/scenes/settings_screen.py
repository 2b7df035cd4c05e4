"""Settings: window size, full screen, text size, projector mode, high contrast and language.

Every option is a button that changes one setting and applies it at once (the screen is
rebuilt with the new theme, size or language, and the choice is remembered).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pygame

from engine.formatting import pct
from game.app import effective_scale
from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.settings import LANGUAGES, MIN_SIZE, TEXT_SCALES, WINDOW_SIZES, Settings
from game.translation import LANGUAGES as LANGUAGE_NAMES
from game.translation import t


def _next(options: tuple, current: object) -> Any:
    index = options.index(current) if current in options else -1
    return options[(index + 1) % len(options)]


def _on_off(value: bool) -> str:
    return t("settings.on") if value else t("settings.off")


def scale_note(settings: Settings, window: tuple[int, int]) -> str:
    """What the chosen text size and projector mode come to in ``window``, in one line."""
    shown = effective_scale(settings.text_scale, window, settings.projector)
    size = f"{window[0]}×{window[1]}"
    if settings.projector:
        if shown <= 1.0:
            return t("settings.projector_no_room", size=size)
        return t("settings.projector_fills", size=size, scale=pct(shown, 0))
    need = (round(MIN_SIZE[0] * shown), round(MIN_SIZE[1] * shown))
    if need[0] > window[0] or need[1] > window[1]:
        return t(
            "settings.scrolls",
            scale=pct(shown, 0),
            size=size,
            need=f"{need[0]}×{need[1]}",
        )
    return t("settings.fits")


class SettingsScene(Scene):
    """Each button changes one setting and applies it at once."""

    name = "settings"

    def build(self) -> None:
        p = self.app.settings
        cx = self.width // 2
        self.label(
            pygame.Rect(cx - 300, MARGIN * 3, 600, 40), t("settings.title"), object_id="#heading"
        )
        rows = [
            (
                t("settings.window", width=p.width, height=p.height),
                self._cycle_size,
                t("settings.window_tip"),
            ),
            (t("settings.fullscreen", state=_on_off(p.fullscreen)), self._toggle_fullscreen, None),
            (
                t("settings.text_size", scale=pct(p.text_scale, 0))
                + (t("settings.projector_decides") if p.projector else ""),
                self._cycle_scale,
                t("settings.text_size_tip"),
            ),
            (
                t("settings.projector", state=_on_off(p.projector)),
                self._toggle_projector,
                t("settings.projector_tip"),
            ),
            (
                t("settings.high_contrast", state=_on_off(p.high_contrast)),
                self._toggle_contrast,
                t("settings.high_contrast_tip"),
            ),
            (
                t("settings.language", name=LANGUAGE_NAMES[p.language]),
                self._cycle_language,
                t("settings.language_tip"),
            ),
        ]
        y = MARGIN * 3 + 60
        for i, (text, action, tip) in enumerate(rows):
            self.button(
                pygame.Rect(cx - 260, y + i * (ROW + GAP), 520, ROW),
                text,
                action,
                tip=tip or t("settings.fullscreen_tip"),
            )
        y += len(rows) * (ROW + GAP)
        window = self.app.screen.get_size()
        self.text(pygame.Rect(cx - 400, y, 800, -1), scale_note(p, window), object_id="#muted")
        y += 60 + GAP
        self.button(pygame.Rect(cx - 130, y, 260, ROW), t("settings.back"), self.app.pop, tip="Esc")

    def _set(self, **changes: Any) -> None:
        """Apply one change now (rebuilds every screen, keeps the focus on this button)."""
        focus = self.app.focus_index
        self.app.apply_settings(replace(self.app.settings, **changes))
        self.app.focus_index = focus

    def _cycle_size(self) -> None:
        width, height = _next(WINDOW_SIZES, self.app.settings.size)
        self._set(width=width, height=height)

    def _toggle_fullscreen(self) -> None:
        self._set(fullscreen=not self.app.settings.fullscreen)

    def _cycle_scale(self) -> None:
        self._set(text_scale=_next(TEXT_SCALES, self.app.settings.text_scale))

    def _toggle_projector(self) -> None:
        self._set(projector=not self.app.settings.projector)

    def _toggle_contrast(self) -> None:
        self._set(high_contrast=not self.app.settings.high_contrast)

    def _cycle_language(self) -> None:
        self._set(language=_next(LANGUAGES, self.app.settings.language))
