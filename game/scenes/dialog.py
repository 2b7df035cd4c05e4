"""A modal message over the current screen: a title, text in words and a row of choices."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pygame

from game.scenes.base import GAP, ROW, Scene
from game.translation import t
from game.widgets.text import font

if TYPE_CHECKING:
    from game.app import App

Choice = tuple[str, Callable[[], None] | None]


class DialogScene(Scene):
    """Shows ``body`` (HTML subset) with one button per choice; Esc picks the last choice."""

    name = "dialog"
    overlay = True

    def __init__(self, app: App, title: str, body: str, choices: Sequence[Choice] = ()) -> None:
        super().__init__(app)
        self.title = title
        self.body = body
        self.choices: list[Choice] = list(choices) or [(t("common.ok"), None)]

    def build(self) -> None:
        w = min(720, self.width - 80)
        lines = self.body.count("<br>") + len(self.body) // 70 + 2
        h = min(self.height - 80, 150 + 22 * lines)
        card = self.panel(
            pygame.Rect((self.width - w) // 2, (self.height - h) // 2, w, h), object_id="#card"
        )
        self.label(
            pygame.Rect(20, 14, w - 40, 34), self.title, container=card, object_id="#heading"
        )
        self.text(pygame.Rect(20, 54, w - 40, h - 54 - ROW - 36), self.body, container=card)
        room = (w - 40 - GAP * (len(self.choices) - 1)) // len(self.choices)
        words = max(font(16, bold=True).size(text)[0] for text, _ in self.choices) + 32
        bw = min(max(220, words), room)
        x = w - 20 - len(self.choices) * bw - GAP * (len(self.choices) - 1)
        for i, (text, _) in enumerate(self.choices):
            primary = i == 0 and len(self.choices) > 1
            self.button(
                pygame.Rect(x + i * (bw + GAP), h - ROW - 20, bw, ROW),
                text,
                lambda i=i: self.choose(i),
                container=card,
                object_id="#primary" if primary else None,
            )
        self.app.focus_index = 0

    def choose(self, index: int) -> None:
        """Close the dialog, then run the chosen action."""
        action = self.choices[index][1]
        self.app.pop()
        if action is not None:
            action()

    def on_back(self) -> None:
        self.choose(len(self.choices) - 1)

    def on_reload(self) -> None:
        """F5 inside a dialog does nothing (finish the dialog first)."""


def show_message(app: App, title: str, body: str) -> None:
    """Open a one-button message over the current scene."""
    app.push(DialogScene(app, title, body))
