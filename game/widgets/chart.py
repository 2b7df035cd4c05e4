"""Line charts drawn with pygame primitives: axes, nice ticks, labels and a legend.

The chart renders into a surface shown by a pygame_gui ``UIImage``, so it lives inside the
same containers, layers and layout as every other widget. Data are plain lists (one value per
quarter); the chart only draws, it never computes results.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pygame
from pygame_gui.elements import UIImage

from engine.formatting import count
from game import palette
from game.widgets import markers
from game.widgets.text import fit, font, to_size, tooltip

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """One line: a name for the legend, one value per x position, and its colour.

    The colour also picks the line's marker shape and pattern (:mod:`game.widgets.markers`),
    so series differ by more than colour; ``what_if`` draws it with long dashes instead.
    """

    name: str
    values: Sequence[float]
    colour: palette.Colour
    what_if: bool = False

    @property
    def pattern(self) -> tuple[int, ...]:
        """The line pattern: long dashes for a what-if, else the colour's own."""
        return markers.WHAT_IF if self.what_if else markers.pattern_for(self.colour)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (steps of 1, 2 or 5 × a power of ten)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if hi <= lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    value = start
    while value < hi + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


class LineChart:
    """A titled line chart over quarters."""

    def __init__(
        self,
        rect: pygame.Rect,
        manager: Any,
        container: Any,
        title: str,
        series: Sequence[Series],
        x_labels: Sequence[str],
        fmt: Formatter = count,
        tip: str | None = None,
        scale: float = 1.0,
    ) -> None:
        self.rect = pygame.Rect(rect)
        self.scale = scale
        self.title = title
        self.series = list(series)
        self.x_labels = list(x_labels)
        self.fmt = fmt
        self.image = UIImage(
            self.rect, to_size(self.render(), self.rect.size), manager=manager, container=container
        )
        if tip:
            tooltip(self.image, tip)

    def render(self) -> pygame.Surface:
        """Draw the chart into a new surface of the widget's size."""
        w, h = round(self.rect.w / self.scale), round(self.rect.h / self.scale)
        surface = pygame.Surface((w, h))
        surface.fill(palette.PANEL)
        pygame.draw.rect(surface, palette.GRID, surface.get_rect(), 1)
        small, title_font = font(12), font(14, bold=True)
        surface.blit(
            title_font.render(fit(self.title, title_font, w - 16), True, palette.TEXT), (8, 6)
        )
        values = [v for s in self.series for v in s.values if math.isfinite(v)]
        ticks = nice_ticks(min(values), max(values)) if values else [0.0, 1.0]
        labels = [self.fmt(t) for t in ticks]
        left = 10 + max(small.size(t)[0] for t in labels)
        legend_h = 18 if len(self.series) > 1 else 0
        plot = pygame.Rect(left, 30, w - left - 12, h - 30 - 22 - legend_h)
        if plot.w < 20 or plot.h < 20:
            return surface
        lo, hi = ticks[0], ticks[-1]

        def y_of(v: float) -> float:
            return plot.bottom - (v - lo) / (hi - lo or 1.0) * plot.h

        for tick, label in zip(ticks, labels, strict=True):
            y = round(y_of(tick))
            pygame.draw.line(surface, palette.GRID, (plot.left, y), (plot.right, y))
            text = small.render(label, True, palette.MUTED)
            surface.blit(text, (plot.left - 6 - text.get_width(), y - text.get_height() // 2))
        pygame.draw.line(surface, palette.AXIS, plot.bottomleft, plot.bottomright)
        pygame.draw.line(surface, palette.AXIS, plot.topleft, plot.bottomleft)
        n = max(len(self.x_labels), max((len(s.values) for s in self.series), default=0), 2)

        def x_of(i: int) -> float:
            return plot.left + i / (n - 1) * plot.w

        every = max(1, math.ceil(n * 40 / plot.w))
        for i, label in enumerate(self.x_labels):
            if i % every == 0 or i == len(self.x_labels) - 1:
                text = small.render(label, True, palette.MUTED)
                x = min(max(x_of(i) - text.get_width() / 2, 0), w - text.get_width())
                surface.blit(text, (x, plot.bottom + 3))
        for s in self.series:
            points = [(x_of(i), y_of(v)) for i, v in enumerate(s.values) if math.isfinite(v)]
            markers.draw_polyline(surface, s.colour, points, 2, s.pattern)
            shape = markers.marker_for(s.colour)
            for p in points:
                markers.draw_marker(surface, shape, s.colour, p, 3.5)
        if legend_h:
            x = plot.left
            for s in self.series:
                name = small.render(s.name, True, palette.TEXT)
                if x + 30 + name.get_width() > w - 4:
                    break
                y = h - 10
                markers.draw_polyline(surface, s.colour, [(x, y), (x + 22, y)], 2, s.pattern)
                markers.draw_marker(surface, markers.marker_for(s.colour), s.colour, (x + 11, y), 4)
                surface.blit(name, (x + 28, y - name.get_height() // 2))
                x += 40 + name.get_width()
        return surface
