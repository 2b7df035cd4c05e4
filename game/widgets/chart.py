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
from game.widgets.text import fit, font, tooltip

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
        self.image = UIImage(self.rect, self.render(), manager=manager, container=container)
        if tip:
            tooltip(self.image, tip)

    def render(self) -> pygame.Surface:
        """Draw the chart at its on-screen size: fonts, lines and gaps grow with the text
        size (the drawing is never a scaled picture). Every series is named in the legend,
        which wraps onto more rows when the names do not fit on one."""
        k = self.scale

        def u(v: float) -> int:
            return round(v * k)

        w, h = self.rect.w, self.rect.h
        surface = pygame.Surface((w, h))
        surface.fill(palette.PANEL)
        pygame.draw.rect(surface, palette.GRID, surface.get_rect(), 1)
        small, title_font = font(u(12)), font(u(14), bold=True)
        surface.blit(
            title_font.render(fit(self.title, title_font, w - u(16)), True, palette.TEXT),
            (u(8), u(6)),
        )
        values = [v for s in self.series for v in s.values if math.isfinite(v)]
        ticks = nice_ticks(min(values), max(values)) if values else [0.0, 1.0]
        labels = [self.fmt(t) for t in ticks]
        left = u(10) + max(small.size(t)[0] for t in labels)
        legend = self._legend(small, left, w, u) if len(self.series) > 1 else []
        legend_h = (max(row for row, _, _ in legend) + 1) * u(18) if legend else 0
        plot = pygame.Rect(left, u(30), w - left - u(12), h - u(30) - u(22) - legend_h)
        if plot.w < u(20) or plot.h < u(20):
            return surface
        lo, hi = ticks[0], ticks[-1]

        def y_of(v: float) -> float:
            return plot.bottom - (v - lo) / (hi - lo or 1.0) * plot.h

        for tick, label in zip(ticks, labels, strict=True):
            y = round(y_of(tick))
            pygame.draw.line(surface, palette.GRID, (plot.left, y), (plot.right, y))
            text = small.render(label, True, palette.MUTED)
            surface.blit(text, (plot.left - u(6) - text.get_width(), y - text.get_height() // 2))
        pygame.draw.line(surface, palette.AXIS, plot.bottomleft, plot.bottomright, max(1, u(1)))
        pygame.draw.line(surface, palette.AXIS, plot.topleft, plot.bottomleft, max(1, u(1)))
        n = max(len(self.x_labels), max((len(s.values) for s in self.series), default=0), 2)

        def x_of(i: int) -> float:
            return plot.left + i / (n - 1) * plot.w

        every = max(1, math.ceil(n * u(40) / plot.w))
        for i, label in enumerate(self.x_labels):
            if i % every == 0 or i == len(self.x_labels) - 1:
                text = small.render(label, True, palette.MUTED)
                x = min(max(x_of(i) - text.get_width() / 2, 0), w - text.get_width())
                surface.blit(text, (x, plot.bottom + u(3)))
        for s in self.series:
            points = [(x_of(i), y_of(v)) for i, v in enumerate(s.values) if math.isfinite(v)]
            pattern = [max(1, u(p)) for p in s.pattern]
            markers.draw_polyline(surface, s.colour, points, max(2, u(2)), tuple(pattern))
            shape = markers.marker_for(s.colour)
            for p in points:
                markers.draw_marker(surface, shape, s.colour, p, 3.5 * k)
        top = h - legend_h
        for row, x, s in legend:
            name = small.render(s.name, True, palette.TEXT)
            y = top + row * u(18) + u(8)
            pattern = [max(1, u(p)) for p in s.pattern]
            line = [(x, y), (x + u(22), y)]
            markers.draw_polyline(surface, s.colour, line, max(2, u(2)), tuple(pattern))
            markers.draw_marker(
                surface, markers.marker_for(s.colour), s.colour, (x + u(11), y), 4 * k
            )
            surface.blit(name, (x + u(28), y - name.get_height() // 2))
        return surface

    def _legend(
        self, face: pygame.font.Font, left: int, width: int, u: Callable[[float], int]
    ) -> list[tuple[int, int, Series]]:
        """(row, x, series) for each legend entry: left to right, a new row when full."""
        out, row, x = [], 0, left
        for s in self.series:
            need = u(40) + face.size(s.name)[0]
            if x > left and x + need - u(12) > width - u(4):
                row, x = row + 1, left
            out.append((row, x, s))
            x += need
        return out
