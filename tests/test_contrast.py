"""Contrast: every text/background pair of both themes meets WCAG AA (4.5:1), and chart lines
and markers stand out from the chart background (3:1, WCAG's non-text contrast).

The pairs are read from the theme files and the palette, so a colour edited there is checked
here; inline ``<font color='#…'>`` colours in the game's code are checked against every
background text is set on.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game import palette
from game.app import HIGH_CONTRAST_FILE, THEME_FILE, merge
from game.paths import assets_dir

AA_TEXT = 4.5
NON_TEXT = 3.0
ROOT = Path(__file__).resolve().parent.parent
BUTTON_STATES = ("normal", "hovered", "selected", "active", "disabled")
SURFACES = ("panel", "#screen", "#card", "#top_bar", "text_box", "tool_tip", "window", "#overlay")
"""Blocks whose ``dark_bg`` is a surface that text is set on."""


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` (or ``#rrggbbaa``, alpha ignored) as a tuple."""
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def luminance(colour: tuple[int, int, int]) -> float:
    """WCAG relative luminance."""

    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_ratio_matches_wcag_reference_values() -> None:
    assert ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    assert ratio(rgb("#767676"), rgb("#ffffff")) == pytest.approx(4.54, abs=0.01)


def theme(high_contrast: bool) -> dict:
    data = json.loads((assets_dir() / THEME_FILE).read_text(encoding="utf-8"))
    if high_contrast:
        merge(data, json.loads((assets_dir() / HIGH_CONTRAST_FILE).read_text(encoding="utf-8")))
    return data


def colours(data: dict, *blocks: str) -> dict[str, str]:
    """A block's colours over the defaults (later blocks win), as pygame_gui cascades them."""
    out = dict(data["defaults"]["colours"])
    for block in blocks:
        out.update(data.get(block, {}).get("colours", {}))
    return out


def text_pairs(data: dict) -> list[tuple[str, str, str]]:
    """(where, text colour, background colour) for every text the theme draws."""
    surfaces = [colours(data, s)["dark_bg"] for s in SURFACES if s in data]
    pairs = []
    for block, spec in data.items():
        own = spec.get("colours", {}) if isinstance(spec, dict) else {}
        if "normal_bg" in own or block in ("defaults", "button"):
            c = colours(data, "button", block) if block != "defaults" else colours(data)
            pairs += [
                (f"{block} {state}", c[f"{state}_text"], c[f"{state}_bg"])
                for state in BUTTON_STATES
            ]
        elif "normal_text" in own:
            text = colours(data, block)["normal_text"]
            pairs += [(f"{block} on {bg}", text, bg) for bg in surfaces]
    return pairs


@pytest.mark.parametrize("high_contrast", [False, True], ids=["standard", "high-contrast"])
def test_every_text_in_the_theme_meets_aa(high_contrast: bool) -> None:
    pairs = text_pairs(theme(high_contrast))
    assert len(pairs) > 60
    weak = [
        f"{where}: {fg} on {bg} = {ratio(rgb(fg), rgb(bg)):.2f}"
        for where, fg, bg in pairs
        if ratio(rgb(fg), rgb(bg)) < AA_TEXT
    ]
    assert not weak, "\n".join(weak)


@pytest.mark.parametrize("high_contrast", [False, True], ids=["standard", "high-contrast"])
def test_hand_drawn_text_and_series_stand_out(high_contrast: bool) -> None:
    """Charts and maps: text in TEXT or MUTED (AA), lines and markers in series colours
    (3:1) on the chart panel and the screen background."""
    palette.use(high_contrast=high_contrast)
    try:
        for background in (palette.PANEL, palette.BACKGROUND):
            for text in (palette.TEXT, palette.MUTED, palette.GOOD, palette.BAD):
                assert ratio(text, background) >= AA_TEXT, (text, background)
            for series in palette.SERIES:
                assert ratio(series, background) >= NON_TEXT, (series, background)
            assert ratio(palette.FOCUS, background) >= NON_TEXT
    finally:
        palette.use(high_contrast=False)


def test_the_palette_matches_the_theme_surfaces() -> None:
    for high_contrast, table in ((False, palette.STANDARD), (True, palette.HIGH_CONTRAST)):
        data = theme(high_contrast)
        assert "#{:02x}{:02x}{:02x}".format(*table["BACKGROUND"]) == (
            colours(data, "#screen")["dark_bg"].lower()
        )


INLINE = re.compile(r"color=['\"](#[0-9a-fA-F]{6})['\"]")


def test_inline_text_colours_in_code_meet_aa_on_every_surface() -> None:
    """``<font color='#…'>`` in text boxes: readable on every surface of both themes."""
    found = {
        (str(path.relative_to(ROOT)), colour)
        for path in (ROOT / "game").rglob("*.py")
        for colour in INLINE.findall(path.read_text(encoding="utf-8"))
    }
    assert found, "the pattern no longer finds the inline colours"
    weak = []
    for high_contrast in (False, True):
        data = theme(high_contrast)
        for s in SURFACES:
            bg = colours(data, s)["dark_bg"]
            weak += [
                f"{where}: {fg} on {s} {bg} = {ratio(rgb(fg), rgb(bg)):.2f}"
                for where, fg in sorted(found)
                if ratio(rgb(fg), rgb(bg)) < AA_TEXT
            ]
    assert not weak, "\n".join(weak)


@pytest.mark.parametrize("colour", palette.SERIES)
def test_labels_on_coloured_blocks_meet_aa(colour) -> None:
    """Text on a series-coloured block (the capacity bar) is black or white, whichever reads."""
    assert ratio(palette.ink_on(colour), colour) >= AA_TEXT
