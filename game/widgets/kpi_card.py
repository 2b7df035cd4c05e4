"""A KPI card: the metric's name, its value and the change since last quarter."""

from __future__ import annotations

from typing import Any

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UILabel, UIPanel

from game.widgets.text import tooltip


class KpiCard:
    """Name, value and a coloured delta; the tooltip explains what the metric means."""

    def __init__(
        self,
        rect: pygame.Rect,
        manager: Any,
        container: Any,
        name: str,
        value: str,
        delta: str = "",
        good: bool | None = None,
        tip: str | None = None,
        scale: float = 1.0,
    ) -> None:
        self.panel = UIPanel(
            rect, manager=manager, container=container, object_id=ObjectID(object_id="#card")
        )

        def at(x: int, y: int, h: int) -> pygame.Rect:
            top = round(y * scale)  # rounded edges, so stacked rows never overlap
            return pygame.Rect(
                round(x * scale), top, rect.w - round(20 * scale), round((y + h) * scale) - top
            )

        self.name = UILabel(
            at(10, 6, 22),
            name,
            manager=manager,
            container=self.panel,
            object_id=ObjectID(object_id="#muted"),
        )
        self.value = UILabel(
            at(10, 28, 32),
            value,
            manager=manager,
            container=self.panel,
            object_id=ObjectID(object_id="#kpi_value"),
        )
        tone = None if good is None else ("#good" if good else "#bad")
        self.delta = UILabel(
            at(10, 60, 22),
            delta,
            manager=manager,
            container=self.panel,
            object_id=ObjectID(object_id=tone) if tone else None,
        )
        if tip:
            for element in (self.panel, self.name, self.value, self.delta):
                tooltip(element, tip, delay=0.4)
