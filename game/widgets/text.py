"""Fonts for hand-drawn widgets: the bundled Noto Sans, cached per size and weight."""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

import pygame

from game.paths import assets_dir
from game.translation import language, t

FILES = {False: "NotoSans-Regular.ttf", True: "NotoSans-Bold.ttf"}


@cache
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """The bundled font at ``size`` points."""
    return pygame.font.Font(str(assets_dir() / "fonts" / FILES[bold]), size)


def fit(text: str, face: pygame.font.Font, width: int) -> str:
    """``text`` shortened with an ellipsis so it renders no wider than ``width`` pixels."""
    if face.size(text)[0] <= width:
        return text
    while text and face.size(text + "…")[0] > width:
        text = text[:-1]
    return text + "…" if text else ""


def path_lines(path: str, face: pygame.font.Font, width: int) -> list[str]:
    """A file path in lines no wider than ``width`` pixels, broken after a folder separator.

    A text box would break a long path anywhere and add a hyphen ("ws-20261-" "-202-b083");
    these lines keep every name whole (one name longer than a line is left to overflow).
    """
    lines = [""]
    for part in re.split(r"(?<=[/\\])", path):
        if lines[-1] and face.size(lines[-1] + part)[0] > width:
            lines.append("")
        lines[-1] += part
    return lines


@cache
def _missing_glyphs(language: str) -> dict[int, str]:
    """Characters the bundled font has no glyph for, and what to show instead (in
    ``language``, the one in use when first asked)."""
    words = {"→": t("widgets.glyph.to"), "←": t("widgets.glyph.from")}
    return str.maketrans({**words, "✓": t("widgets.glyph.yes"), "≥": ">=", "≤": "<="})


def plain(text: str) -> str:
    """Engine or scenario text with symbols the bundled font cannot draw spelled out."""
    return text.translate(_missing_glyphs(language()))


def tooltip(element: Any, tip: str, delay: float = 0.5, wrap_width: int = 340) -> None:
    """Give ``element`` the plain-text tooltip ``tip`` (hover ``delay`` seconds).

    pygame_gui draws a tooltip as an HTML text box, so ``tip`` (which may quote scenario
    names and descriptions) is escaped here: every tooltip in the game goes through this.
    """
    element.set_tooltip(html.escape(tip), delay=delay, wrap_width=wrap_width)


LINE_H = 26
"""A text box line at the theme's 15-point font (layout units)."""


def text_height(body: str, width: int) -> int:
    """Height a text box of ``width`` needs to show ``body`` (the HTML subset) unscrolled."""
    face = font(15)
    room = width - 2 * 8 - 4  # the theme's padding and the border
    lines = 0
    for paragraph in body.split("<br>"):
        words = html.unescape(re.sub(r"<[^>]+>", "", paragraph)).split()
        line = ""
        lines += 1
        for word in words:
            trial = f"{line} {word}".strip()
            if line and face.size(trial)[0] > room:
                lines += 1
                trial = word
            line = trial
    return lines * LINE_H + 2 * 6 + 6
