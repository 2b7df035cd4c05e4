"""A colleague's trust as a bar: length for the level, never colour alone.

The bar fills from the left up to the trust (0 to 1); a tick marks the neutral middle (0.5,
where trust neither helps nor hurts) and a hollow notch where the trust stood a quarter ago,
so a rise or a fall shows as a gap between the notch and the end of the fill. The number
itself is always written beside the bar (:mod:`game.scenes.people`).
"""

from __future__ import annotations

from typing import Any

import pygame
from pygame_gui.elements import UIImage

from game import palette
from game.widgets.text import tooltip


class TrustBar:
    """Trust (0..1) as a filled bar with the neutral tick and last quarter's notch."""

    def __init__(
        self,
        rect: pygame.Rect,
        manager: Any,
        container: Any,
        trust: float,
        before: float | None = None,
        tip: str | None = None,
        scale: float = 1.0,
    ) -> None:
        self.rect = pygame.Rect(rect)
        self.trust = min(1.0, max(0.0, trust))
        self.before = None if before is None else min(1.0, max(0.0, before))
        self.scale = scale
        self.image = UIImage(self.rect, self.render(), manager=manager, container=container)
        if tip:
            tooltip(self.image, tip, delay=0.4)

    def render(self) -> pygame.Surface:
        """Draw the bar at on-screen size."""
        k = self.scale

        def u(v: float) -> int:
            return max(1, round(v * k))

        w, h = self.rect.w, self.rect.h
        surface = pygame.Surface((w, h))
        surface.fill(palette.PANEL)
        pad = u(3)
        bar = pygame.Rect(0, pad, w, h - 2 * pad)
        pygame.draw.rect(surface, palette.GRID, bar)
        filled = pygame.Rect(bar.x, bar.y, round(bar.w * self.trust), bar.h)
        pygame.draw.rect(surface, palette.SKY_BLUE, filled)
        pygame.draw.rect(surface, palette.AXIS, bar, u(1))
        middle = bar.x + bar.w // 2
        pygame.draw.line(surface, palette.TEXT, (middle, 0), (middle, h - 1), u(2))
        if self.before is not None and abs(self.before - self.trust) > 1e-6:
            x = bar.x + round(bar.w * self.before)
            x = min(bar.right - u(2), max(bar.x + u(2), x))
            notch = [(x - u(5), 0), (x + u(5), 0), (x, u(7))]
            pygame.draw.polygon(surface, palette.PANEL, notch)
            pygame.draw.polygon(surface, palette.TEXT, notch, u(1))
        return surface
