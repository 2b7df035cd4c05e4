"""A report figure (PNG bytes) shown as large as its box allows, aspect ratio kept, centred."""

from __future__ import annotations

import io
from typing import Any

import pygame
from pygame_gui.elements import UIImage

from game import palette
from game.widgets.text import tooltip


def fit_within(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest size with ``size``'s aspect ratio that fits in ``box`` (never zero)."""
    w, h = size
    scale = min(box[0] / w, box[1] / h)
    return (max(1, min(box[0], round(w * scale))), max(1, min(box[1], round(h * scale))))


def decode_png(data: bytes) -> pygame.Surface:
    """A PNG as a surface (main thread only: pygame images are not made in workers)."""
    return pygame.image.load(io.BytesIO(data), "figure.png")


class FigureView:
    """One figure centred on a panel-coloured card, as large as the box allows."""

    def __init__(
        self,
        rect: pygame.Rect,
        manager: Any,
        container: Any,
        image: pygame.Surface,
        alt: str | None = None,
    ) -> None:
        self.rect = pygame.Rect(rect)
        card = pygame.Surface(self.rect.size)
        card.fill(palette.PANEL)
        w, h = fit_within(image.get_size(), self.rect.size)
        scaled = pygame.transform.smoothscale(image.convert(), (w, h))
        card.blit(scaled, ((self.rect.w - w) // 2, (self.rect.h - h) // 2))
        self.image_rect = pygame.Rect(
            self.rect.x + (self.rect.w - w) // 2, self.rect.y + (self.rect.h - h) // 2, w, h
        )
        self.image = UIImage(self.rect, card, manager=manager, container=container)
        if alt:
            tooltip(self.image, alt, wrap_width=420)
