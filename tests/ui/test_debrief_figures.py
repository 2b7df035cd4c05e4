"""Debrief figures match the game: its dark theme, one colour per firm, the trainee's what-if."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import matplotlib
import pygame
import pytest
from matplotlib.colors import to_hex
from test_debrief_export import debrief, pump_until, small_tutorial  # noqa: F401 (fixture)

from game import palette
from game.report_figures import draw, font_family, game_theme, render, style
from game.scenes import dashboard
from game.widgets.chart import LineChart


def share_lines(data: dict[str, Any]) -> dict[str, str]:
    """Label → colour of each line of the report's share chart, drawn in the game's look."""
    with matplotlib.rc_context(style("game")):
        fig = draw(data, "share_revenue")
    return {line.get_label(): to_hex(line.get_color()) for line in fig.axes[0].get_lines()}


def test_the_game_look_is_the_theme_with_its_font(small_tutorial: Path, make_app) -> None:  # noqa: F811
    theme = game_theme()
    rc = style("game")
    assert rc["figure.facecolor"] == theme["background"] == palette.hex_colour(palette.BACKGROUND)
    assert rc["axes.facecolor"] == theme["panel"] == palette.hex_colour(palette.PANEL)
    assert rc["text.color"] == theme["text"] == palette.hex_colour(palette.TEXT)
    assert rc["grid.color"] == theme["grid"] == palette.hex_colour(palette.GRID)
    assert font_family() == "Noto Sans" and rc["font.family"] == "Noto Sans"
    assert style("print")["savefig.facecolor"] == "white"
    app = debrief(make_app, small_tutorial)
    data = app.top.work.report()[0]
    dark = pygame.image.load(io.BytesIO(render(data, "culture_debt", theme="game").data))
    light = pygame.image.load(io.BytesIO(render(data, "culture_debt").data))
    assert to_hex([c / 255 for c in dark.get_at((1, 1))[:3]]) == theme["background"]
    assert tuple(light.get_at((1, 1))[:3]) == (255, 255, 255)


def test_each_firm_has_the_same_colour_on_the_dashboard_and_in_the_report(
    small_tutorial: Path,  # noqa: F811
    make_app,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    charts: list[LineChart] = []

    class Recorded(LineChart):
        def render(self) -> pygame.Surface:
            charts.append(self)
            return super().render()

    monkeypatch.setattr(dashboard, "LineChart", Recorded)
    app = debrief(make_app, small_tutorial)
    session = app.session
    share = next(c for c in charts if c.title == "Market share by company")
    on_screen = {s.name: palette.hex_colour(s.colour) for s in share.series}
    data = app.top.work.report()[0]
    lines = share_lines(data).items()
    in_report = {k.removesuffix(" (you)"): c for k, c in lines if not k.startswith("what-if")}
    assert len(on_screen) == len(data["firms"]) > 1
    assert on_screen == in_report
    player = session.sim.history[-1].firms[session.firm_id].name
    assert on_screen[player] == palette.hex_colour(palette.SERIES[0])
    # The debrief's own what-if chart agrees too.
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_2))
    app.frame(1 / 60)
    colours = {s.name.removesuffix(" (you)"): s.colour for s in app.top.share_chart.series}
    assert {n: palette.hex_colour(c) for n, c in colours.items()} == on_screen


def test_the_figures_and_the_export_show_the_trainees_what_if(
    small_tutorial: Path,  # noqa: F811
    make_app,
    tmp_path: Path,
) -> None:
    app = debrief(make_app, small_tutorial)
    scene = app.top
    automatic = scene.work.report()[0]["what_if"]
    pump_until(app, lambda: bool(scene.images))  # figures built first: the redraw path
    before = list(scene.figures)
    # A what-if the report would not pick by itself.
    scene.from_quarter, scene.bot = 1, "hold"
    assert (automatic["from_quarter"], automatic["bot"]) != (1, "hold")
    scene.run_what_if()
    pump_until(app, lambda: scene.what_if_job is None and scene.figures is not before)
    data = scene.work.report()[0]
    assert (data["what_if"]["from_quarter"], data["what_if"]["bot"]) == (1, "hold")
    assert data["what_if"]["share"] == scene.what_if_result.share
    assert "what-if: hold after Q1" in share_lines(data)
    # Only the share figure is redrawn; the screen shows the new one.
    for old, new in zip(before, scene.figures, strict=True):
        assert (old is new) == (new.name != "share_revenue")
    shown = pygame.image.load(io.BytesIO(scene.figures[0].data))
    assert scene.images[0].get_size() == shown.get_size()
    written = scene.work.export(tmp_path / "debrief.html")
    exported = json.loads(next(p for p in written if p.suffix == ".json").read_text("utf-8"))
    assert (exported["what_if"]["from_quarter"], exported["what_if"]["bot"]) == (1, "hold")
    page = written[0].read_text("utf-8")
    assert data["what_if"]["sentences"][0].split(",")[0] in page
