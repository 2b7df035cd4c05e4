"""A capacity bar: planned work against the feature points the team has this quarter.

The caption is the engine's own sentence (:func:`engine.roadmap.load_words`), the same one
the checks and the end-quarter dialog use, so every screen speaks of one capacity figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pygame
from pygame_gui.elements import UIImage

from engine.roadmap import PlanLoad
from game import palette
from game.widgets.text import fit, font, tooltip


class CapacityBar:
    """One coloured block per planned item; beyond the feature points the bar is hatched:
    grey where the last item carries over into next quarter, red where the team crunches."""

    def __init__(
        self,
        rect: pygame.Rect,
        manager: Any,
        container: Any,
        load: PlanLoad,
        parts: Sequence[tuple[str, float]],
        caption: str,
        tip: str | None = None,
        scale: float = 1.0,
    ) -> None:
        self.rect = pygame.Rect(rect)
        self.scale = scale
        self.load = load
        self.capacity = load.available
        self.caption = caption
        self.parts = list(parts)
        self.image = UIImage(self.rect, self.render(), manager=manager, container=container)
        if tip:
            tooltip(self.image, tip, delay=0.4)

    @property
    def planned(self) -> float:
        """Total planned effort."""
        return sum(effort for _, effort in self.parts)

    def render(self) -> pygame.Surface:
        """Draw the bar and its caption at on-screen size (text grows with the text size)."""
        k = self.scale

        def u(v: float) -> int:
            return round(v * k)

        w, h = self.rect.w, self.rect.h
        surface = pygame.Surface((w, h))
        surface.fill(palette.PANEL)
        small = font(u(12))
        over = self.planned > self.capacity + 1e-9
        crunch = self.load.crunch > 1e-6
        colour = palette.BAD if crunch else palette.TEXT
        surface.blit(small.render(fit(self.caption, small, w), True, colour), (0, 0))
        bar = pygame.Rect(0, u(20), w, h - u(20))
        pygame.draw.rect(surface, palette.GRID, bar)
        scale = bar.w / max(self.capacity, self.planned, 1e-9)
        x = float(bar.x)
        for i, (name, effort) in enumerate(self.parts):
            width = effort * scale
            block = pygame.Rect(round(x), bar.y, max(1, round(width) - 1), bar.h)
            fill = palette.series(i)
            pygame.draw.rect(surface, fill, block)
            label = fit(name, small, block.w - u(6))
            if label:
                ink = palette.ink_on(fill)
                surface.blit(small.render(label, True, ink), (block.x + u(3), block.y + u(2)))
            x += width
        cap_x = bar.x + round(self.capacity * scale)
        if over:  # red where the team crunches, grey where the last item carries over
            crunch_x = bar.x + round((self.capacity + self.load.crunch) * scale)
            for hx in range(cap_x, bar.right, u(6)):
                hatch = palette.BAD if hx < crunch_x else palette.MUTED
                pygame.draw.line(surface, hatch, (hx, bar.bottom), (hx + u(6), bar.y), u(2))
        edge = (cap_x - 1, bar.y - u(2)), (cap_x - 1, bar.bottom)
        pygame.draw.line(surface, palette.TEXT, *edge, u(2))
        return surface
