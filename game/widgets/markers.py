"""Shapes and line patterns that tell series apart without colour.

Each of the eight series colours (:data:`game.palette.SERIES`) has its own marker shape and
line pattern, so a firm keeps colour, shape and pattern together on every chart and map, and a
player who cannot tell orange from vermillion still tells the lines apart. A what-if line is
always dashed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import pygame

from game import palette

Point = tuple[float, float]

MARKERS = ("circle", "square", "triangle", "diamond", "triangle_down", "plus", "cross", "bar")
"""Marker shape per series colour, in :data:`game.palette.SERIES` order."""
PATTERNS: tuple[tuple[int, ...], ...] = ((), (9, 5), (2, 4), (10, 4, 2, 4))
"""Line pattern (on, off, ... in pixels; empty: solid) per series colour, cycling."""
WHAT_IF: tuple[int, ...] = (12, 6)
"""The pattern of a what-if line: long dashes."""


def style_index(colour: palette.Colour) -> int:
    """The series index of ``colour`` (its place in the palette), 0 for other colours."""
    return palette.SERIES.index(colour) if colour in palette.SERIES else 0


def marker_for(colour: palette.Colour) -> str:
    """The marker shape that goes with a series colour."""
    return MARKERS[style_index(colour) % len(MARKERS)]


def pattern_for(colour: palette.Colour) -> tuple[int, ...]:
    """The line pattern that goes with a series colour."""
    return PATTERNS[style_index(colour) % len(PATTERNS)]


def draw_marker(
    surface: pygame.Surface,
    shape: str,
    colour: palette.Colour,
    centre: Point,
    radius: float,
    outline: palette.Colour | None = None,
) -> pygame.Rect:
    """Draw one marker; ``outline`` rings it (e.g. to mark the player's own product)."""
    x, y = centre
    r = radius
    if shape == "circle":
        rect = pygame.draw.circle(surface, colour, (x, y), r)
        if outline is not None:
            pygame.draw.circle(surface, outline, (x, y), r, 2)
        return rect
    if shape in ("plus", "cross"):
        w = max(2, round(r / 2))
        if shape == "plus":
            arms = [((x - r, y), (x + r, y)), ((x, y - r), (x, y + r))]
        else:
            d = r * 0.8
            arms = [((x - d, y - d), (x + d, y + d)), ((x - d, y + d), (x + d, y - d))]
        if outline is not None:
            for a, b in arms:
                pygame.draw.line(surface, outline, a, b, w + 3)
        for a, b in arms:
            pygame.draw.line(surface, colour, a, b, w)
        return pygame.Rect(round(x - r), round(y - r), round(2 * r), round(2 * r))
    points = _polygon(shape, x, y, r)
    rect = pygame.draw.polygon(surface, colour, points)
    if outline is not None:
        pygame.draw.polygon(surface, outline, points, 2)
    return rect


def _polygon(shape: str, x: float, y: float, r: float) -> list[Point]:
    if shape == "square":
        d = r * 0.85
        return [(x - d, y - d), (x + d, y - d), (x + d, y + d), (x - d, y + d)]
    if shape == "diamond":
        return [(x, y - r * 1.15), (x + r * 1.15, y), (x, y + r * 1.15), (x - r * 1.15, y)]
    if shape == "bar":
        return [
            (x - r, y - r * 0.45),
            (x + r, y - r * 0.45),
            (x + r, y + r * 0.45),
            (x - r, y + r * 0.45),
        ]
    flip = -1 if shape == "triangle_down" else 1
    return [
        (x + r * 1.15 * math.cos(math.radians(a)), y - flip * r * 1.15 * math.sin(math.radians(a)))
        for a in (90, 210, 330)
    ]


def draw_polyline(
    surface: pygame.Surface,
    colour: palette.Colour,
    points: Sequence[Point],
    width: int,
    pattern: tuple[int, ...] = (),
) -> None:
    """A line through ``points``, solid or in ``pattern`` (on, off, ... pixels) carried
    continuously across the corners."""
    if len(points) < 2:
        return
    if not pattern:
        pygame.draw.lines(surface, colour, False, points, width)
        return
    index, left, on = 0, float(pattern[0]), True
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        done = 0.0
        while done < length:
            step = min(left, length - done)
            if on:
                a, b = done / length, (done + step) / length
                pygame.draw.line(
                    surface,
                    colour,
                    (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                    (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b),
                    width,
                )
            done += step
            left -= step
            if left <= 0:
                index = (index + 1) % len(pattern)
                left, on = float(pattern[index]), not on
