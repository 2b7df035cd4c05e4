"""Series told apart without colour: each series colour has its own marker and line pattern,
patterns really leave gaps, and a what-if line is dashed."""

from __future__ import annotations

import pygame

from game import palette
from game.widgets import markers
from game.widgets.chart import Series


def test_every_series_colour_has_its_own_marker_and_pattern() -> None:
    styles = {(markers.marker_for(c), markers.pattern_for(c)) for c in palette.SERIES}
    assert len(styles) == len(palette.SERIES)
    assert len({markers.marker_for(c) for c in palette.SERIES}) == len(palette.SERIES)


def _lit(surface: pygame.Surface, y: int, width: int) -> int:
    return sum(surface.get_at((x, y))[:3] != (0, 0, 0) for x in range(width))


def test_a_pattern_leaves_gaps_and_a_solid_line_does_not() -> None:
    for pattern, expected in (((), 100), ((9, 5), 100 * 9 / 14), (markers.WHAT_IF, 100 * 12 / 18)):
        surface = pygame.Surface((100, 5))
        markers.draw_polyline(surface, (255, 255, 255), [(0, 2), (50, 2), (100, 2)], 1, pattern)
        assert abs(_lit(surface, 2, 100) - expected) <= 9, pattern  # a dash's end pixels


def test_every_marker_shape_draws_inside_its_box() -> None:
    for shape in markers.MARKERS:
        surface = pygame.Surface((40, 40))
        rect = markers.draw_marker(surface, shape, (255, 255, 255), (20, 20), 6, (200, 0, 0))
        assert rect.w > 0 and pygame.Rect(10, 10, 21, 21).contains(rect.clip(surface.get_rect()))
        assert _lit(surface, 20, 40) > 0, shape


def test_a_what_if_series_is_dashed_whatever_its_colour() -> None:
    plain = Series("Planly", [1.0, 2.0], palette.SERIES[0])
    what_if = Series("What if", [1.0, 2.0], palette.SERIES[0], what_if=True)
    assert plain.pattern == () and what_if.pattern == markers.WHAT_IF
