"""Colours for everything drawn by hand: the Okabe–Ito palette, safe for colour-blind players.

Series colours are assigned in a fixed order so the same firm or segment keeps its colour on
every chart: :func:`firm_colours` is the one place firms get theirs, for the in-game charts and
the report figures alike. Background and text colours match ``assets/theme.json`` (or, after
``use(high_contrast=True)``, ``assets/theme_high_contrast.json``): read them as ``palette.TEXT``
at drawing time, never copy them at import.
"""

from __future__ import annotations

from collections.abc import Iterable

Colour = tuple[int, int, int]

# Okabe & Ito (2008), "Color Universal Design".
ORANGE: Colour = (230, 159, 0)
SKY_BLUE: Colour = (86, 180, 233)
BLUISH_GREEN: Colour = (0, 158, 115)
YELLOW: Colour = (240, 228, 66)
BLUE: Colour = (0, 114, 178)
VERMILLION: Colour = (213, 94, 0)
REDDISH_PURPLE: Colour = (204, 121, 167)
GREY: Colour = (153, 153, 153)

SERIES: tuple[Colour, ...] = (
    ORANGE,
    SKY_BLUE,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    YELLOW,
    VERMILLION,
    BLUE,
    GREY,
)

STANDARD: dict[str, Colour] = {
    "BACKGROUND": (18, 22, 28),
    "PANEL": (28, 34, 42),
    "GRID": (48, 54, 61),
    "AXIS": (125, 133, 144),
    "TEXT": (230, 233, 238),
    "MUTED": (168, 179, 193),
    "GOOD": (63, 194, 154),
    "BAD": (240, 137, 74),
    "FOCUS": YELLOW,
}
"""The surface colours of the standard theme (charts, maps, the focus ring). GOOD and BAD are
lighter tints of bluish green and vermillion so text in them reads on the dark panels."""
HIGH_CONTRAST: dict[str, Colour] = {
    "BACKGROUND": (0, 0, 0),
    "PANEL": (0, 0, 0),
    "GRID": (77, 77, 77),
    "AXIS": (255, 255, 255),
    "TEXT": (255, 255, 255),
    "MUTED": (230, 230, 230),
    "GOOD": (92, 224, 180),
    "BAD": (255, 163, 102),
    "FOCUS": (255, 255, 0),
}
"""The same colours in the high-contrast theme: black, white and yellow."""

BACKGROUND: Colour = STANDARD["BACKGROUND"]
PANEL: Colour = STANDARD["PANEL"]
GRID: Colour = STANDARD["GRID"]
AXIS: Colour = STANDARD["AXIS"]
TEXT: Colour = STANDARD["TEXT"]
MUTED: Colour = STANDARD["MUTED"]
GOOD: Colour = STANDARD["GOOD"]
BAD: Colour = STANDARD["BAD"]
FOCUS: Colour = STANDARD["FOCUS"]


def use(*, high_contrast: bool) -> None:
    """Switch the surface colours to the high-contrast (or the standard) theme."""
    globals().update(HIGH_CONTRAST if high_contrast else STANDARD)


def series(index: int) -> Colour:
    """Colour of the index-th data series (cycles after eight)."""
    return SERIES[index % len(SERIES)]


def firm_colours(firm_ids: Iterable[str], player_id: str) -> dict[str, Colour]:
    """Each firm's colour: the player the first series colour, rivals the next ones in order."""
    rivals = [f for f in firm_ids if f != player_id]
    return {player_id: SERIES[0]} | {f: series(1 + i) for i, f in enumerate(rivals)}


def hex_colour(colour: Colour) -> str:
    """``#rrggbb`` for a colour (matplotlib, HTML)."""
    return "#{:02x}{:02x}{:02x}".format(*colour)


def luminance(colour: Colour) -> float:
    """WCAG relative luminance of a colour (0 black to 1 white)."""

    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ink_on(colour: Colour) -> Colour:
    """Black or white, whichever reads better on ``colour`` (text on a coloured block)."""
    return (0, 0, 0) if luminance(colour) > 0.179 else (255, 255, 255)
