"""A perceptual map: products and estimated segment ideals on two chosen attributes.

Products are labelled markers at their known positions, each firm its own colour and shape
(:mod:`game.widgets.markers`). Segment ideals are what the player *believes* (from research):
a cross at the estimated mean and an ellipse of ±1 standard deviation, so unresearched
segments show as large vague blobs and well-researched ones as tight rings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pygame
from pygame_gui.elements import UIImage

from engine.formatting import number
from game import palette, translation
from game.widgets import markers
from game.widgets.text import fit, font, tooltip


@dataclass(frozen=True)
class MapPoint:
    """A product position (0..1 on both axes)."""

    label: str
    x: float
    y: float
    colour: palette.Colour
    own: bool = False


@dataclass(frozen=True)
class MapIdeal:
    """An estimated segment ideal with one-standard-deviation uncertainty on each axis."""

    label: str
    x: float
    y: float
    sd_x: float
    sd_y: float
    colour: palette.Colour


class PerceptualMap:
    """Square map of the unit square with axis names, products and believed ideals."""

    def __init__(
        self,
        rect: pygame.Rect,
        manager: Any,
        container: Any,
        x_name: str,
        y_name: str,
        points: Sequence[MapPoint],
        ideals: Sequence[MapIdeal],
        tip: str | None = None,
        scale: float = 1.0,
    ) -> None:
        self.rect = pygame.Rect(rect)
        self.scale = scale
        self.x_name, self.y_name = x_name, y_name
        self.points, self.ideals = list(points), list(ideals)
        self.image = UIImage(self.rect, self.render(), manager=manager, container=container)
        if tip:
            tooltip(self.image, tip, delay=0.4, wrap_width=360)

    def render(self) -> pygame.Surface:
        """Draw the map at its on-screen size (fonts and marks grow with the text size)."""
        k = self.scale

        def u(v: float) -> int:
            return round(v * k)

        w, h = self.rect.w, self.rect.h
        surface = pygame.Surface((w, h))
        surface.fill(palette.PANEL)
        small, bold = font(u(12)), font(u(13), bold=True)
        side = min(w - u(60), h - u(68))
        plot = pygame.Rect(u(44), u(26), side, side)
        for i in range(5):
            t = i / 4
            x = plot.left + t * plot.w
            y = plot.bottom - t * plot.h
            pygame.draw.line(surface, palette.GRID, (x, plot.top), (x, plot.bottom))
            pygame.draw.line(surface, palette.GRID, (plot.left, y), (plot.right, y))
            lab = small.render(number(t, 2), True, palette.MUTED)
            surface.blit(lab, (x - lab.get_width() / 2, plot.bottom + u(2)))
            surface.blit(lab, (plot.left - lab.get_width() - u(4), y - lab.get_height() / 2))
        pygame.draw.rect(surface, palette.AXIS, plot, 1)
        x_name = translation.t("widgets.map.x_axis", name=self.x_name)
        y_name = translation.t("widgets.map.y_axis", name=self.y_name)
        x_lab = bold.render(fit(x_name, bold, plot.w), True, palette.TEXT)
        surface.blit(x_lab, (plot.centerx - x_lab.get_width() / 2, plot.bottom + u(18)))
        y_lab = pygame.transform.rotate(
            bold.render(fit(y_name, bold, plot.h), True, palette.TEXT), 90
        )
        surface.blit(y_lab, (u(2), plot.centery - y_lab.get_height() / 2))

        def at(x: float, y: float) -> tuple[float, float]:
            cx = min(max(x, 0.0), 1.0)
            cy = min(max(y, 0.0), 1.0)
            return (plot.left + cx * plot.w, plot.bottom - cy * plot.h)

        clip = surface.get_clip()
        surface.set_clip(plot)
        for ideal in self.ideals:
            cx, cy = at(ideal.x, ideal.y)
            rw = max(u(4), 2 * ideal.sd_x * plot.w)
            rh = max(u(4), 2 * ideal.sd_y * plot.h)
            ellipse = pygame.Rect(0, 0, rw, rh)
            ellipse.center = (round(cx), round(cy))
            line = max(2, u(2))
            pygame.draw.ellipse(surface, ideal.colour, ellipse, line)
            pygame.draw.line(surface, ideal.colour, (cx - u(6), cy), (cx + u(6), cy), line)
            pygame.draw.line(surface, ideal.colour, (cx, cy - u(6)), (cx, cy + u(6)), line)
        surface.set_clip(clip)
        placed: list[pygame.Rect] = []
        for point in self.points:
            cx, cy = at(point.x, point.y)
            radius = u(8) if point.own else u(6)
            markers.draw_marker(
                surface,
                markers.marker_for(point.colour),
                point.colour,
                (cx, cy),
                radius,
                palette.TEXT if point.own else palette.BACKGROUND,
            )
            lab = (bold if point.own else small).render(point.label, True, palette.TEXT)
            spot = lab.get_rect(topleft=(min(cx + u(10), plot.right - lab.get_width()), cy - u(18)))
            placed.append(spot.inflate(u(4), 0))
            placed.append(pygame.Rect(cx - radius, cy - radius, 2 * radius, 2 * radius))
            surface.blit(lab, spot)
        for ideal, label in zip(self.ideals, _ideal_labels(self.ideals), strict=True):
            if not label:
                continue
            cx, cy = at(ideal.x, ideal.y)
            shared = ", " in label
            lab = small.render(label, True, palette.MUTED if shared else palette.TEXT)
            spot = _free_spot(lab.get_rect(), (cx, cy), plot, placed, u(8), u(4))
            placed.append(spot)
            surface.blit(lab, spot)
        legend = translation.t("widgets.map.legend")
        surface.blit(
            small.render(fit(legend, small, w - u(48)), True, palette.MUTED), (u(44), u(4))
        )
        return surface


def _ideal_labels(ideals: list[Any]) -> list[str]:
    """One label per ring; rings believed at the same spot share one label naming them all."""
    names: list[list[str]] = []
    seen: dict[tuple[float, float], int] = {}
    for ideal in ideals:
        key = (round(ideal.x, 2), round(ideal.y, 2))
        if key in seen:
            names[seen[key]].append(ideal.label)
            names.append([])
        else:
            seen[key] = len(names)
            names.append([ideal.label])
    return [translation.t("widgets.map.ideal", names=", ".join(n)) if n else "" for n in names]


def _free_spot(
    rect: pygame.Rect,
    at: tuple[float, float],
    plot: pygame.Rect,
    taken: list[pygame.Rect],
    dx: int = 8,
    dy: int = 4,
) -> pygame.Rect:
    """A place for a label next to ``at`` inside ``plot`` that overlaps no earlier label
    (``dx``, ``dy``: its distance from the point)."""
    cx, cy = round(at[0]), round(at[1])
    offsets = [(dx, dy), (dx, -dy - rect.h), (-dx - rect.w, dy), (-dx - rect.w, -dy - rect.h)]
    for step in range(8):
        for dx, dy in offsets:
            spot = rect.copy()
            spot.topleft = (cx + dx, cy + dy + (step * rect.h if dy > 0 else -step * rect.h))
            spot.clamp_ip(plot)
            if spot.collidelist(taken) < 0:
                return spot
    spot = rect.copy()
    spot.topleft = (cx + dx, cy + dy)
    return spot.clamp(plot)
