"""Settings: window size, full screen, text size and projector mode; every option is a button."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pygame

from game.app import effective_scale
from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.settings import MIN_SIZE, TEXT_SCALES, WINDOW_SIZES, Settings

if TYPE_CHECKING:
    from game.app import App


def _next(options: tuple, current: object) -> object:
    index = options.index(current) if current in options else -1
    return options[(index + 1) % len(options)]


def scale_note(settings: Settings, window: tuple[int, int]) -> str:
    """What the chosen text size and projector mode come to in ``window``, in one line."""
    shown = effective_scale(settings.text_scale, window, settings.projector)
    size = f"{window[0]}×{window[1]}"
    if settings.projector:
        if shown <= 1.0:
            return (
                f"Projector mode has no room to grow in {size}: use a larger window or full screen."
            )
        return f"Projector mode fills the {size} window: everything at {shown:.0%}."
    if shown < settings.text_scale:
        need = (round(MIN_SIZE[0] * settings.text_scale), round(MIN_SIZE[1] * settings.text_scale))
        return (
            f"A {size} window has room for {shown:.0%}; "
            f"{settings.text_scale:.0%} needs {need[0]}×{need[1]} or more."
        )
    return "Larger text makes every control larger too, so nothing overlaps."


class SettingsScene(Scene):
    """Each button cycles one setting; Apply switches the window and saves the choice."""

    name = "settings"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.pending = app.settings
        self.applied = app.settings

    def build(self) -> None:
        if self.app.settings != self.applied:  # changed meanwhile (Ctrl+P, Ctrl+Plus)
            self.pending = self.applied = self.app.settings
        p = self.pending
        cx = self.width // 2
        self.label(pygame.Rect(cx - 300, MARGIN * 3, 600, 40), "Settings", object_id="#heading")
        rows = [
            (
                f"Window size: {p.width} × {p.height}",
                self._cycle_size,
                "Click to cycle through common sizes. You can also drag the window edges.",
            ),
            (
                f"Full screen: {'on' if p.fullscreen else 'off'}",
                self._toggle_fullscreen,
                "Use the whole screen (good on a projector).",
            ),
            (
                f"Text size: {p.text_scale:.0%}"
                + (" (projector mode decides)" if p.projector else ""),
                self._cycle_scale,
                "Make every label, text and control larger or smaller (Ctrl+Plus, Ctrl+Minus "
                "on any screen).",
            ),
            (
                f"Projector mode: {'on' if p.projector else 'off'}",
                self._toggle_projector,
                "Grow everything to fill a large screen (1920×1080 and up) so a room can read "
                "it (Ctrl+P on any screen).",
            ),
        ]
        y = MARGIN * 3 + 60
        for i, (text, action, tip) in enumerate(rows):
            self.button(pygame.Rect(cx - 220, y + i * (ROW + GAP), 440, ROW), text, action, tip=tip)
        y += len(rows) * (ROW + GAP)
        window = self.app.screen.get_size() if p.fullscreen else p.size
        self.label(pygame.Rect(cx - 400, y, 800, 26), scale_note(p, window), object_id="#muted")
        y += 26 + GAP
        self.button(pygame.Rect(cx - 220, y, 214, ROW), "Back", self.app.pop, tip="Esc")
        self.button(
            pygame.Rect(cx + 6, y, 214, ROW),
            "Apply",
            self.apply,
            object_id="#primary",
            tip="Use these settings now and remember them.",
        )

    def _cycle_size(self) -> None:
        size = _next(WINDOW_SIZES, self.pending.size)
        assert isinstance(size, tuple)
        self.pending = replace(self.pending, width=size[0], height=size[1])
        self.refresh()

    def _toggle_fullscreen(self) -> None:
        self.pending = replace(self.pending, fullscreen=not self.pending.fullscreen)
        self.refresh()

    def _cycle_scale(self) -> None:
        scale = _next(TEXT_SCALES, self.pending.text_scale)
        assert isinstance(scale, float)
        self.pending = replace(self.pending, text_scale=scale)
        self.refresh()

    def _toggle_projector(self) -> None:
        self.pending = replace(self.pending, projector=not self.pending.projector)
        self.refresh()

    def apply(self) -> None:
        """Switch to the pending settings (rebuilds every screen)."""
        self.pending = self.applied = self.pending.clamped()
        self.app.apply_settings(self.pending)
