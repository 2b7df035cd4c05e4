"""Debrief exports: the HTML is self-contained and shows the engine's numbers; figures decode."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pygame
import pytest
from market_scenarios import tutorial
from test_cli_report import small_tutorial_file
from test_debrief import scripted_log

from engine.debrief import build_report
from engine.simulation import Simulation
from game.report_export import data_paths, decisions_csv, kpi_csv, report_html, write_report
from game.report_figures import FIGURES, Figure, render, render_all

SEED = 4
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Page(HTMLParser):
    """Collects what the tests look at: ids, attributes with URLs, cells, style text."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.images: list[str] = []
        self.style = ""
        self.rows: dict[str, dict[int, list[str]]] = {}  # table id -> quarter -> data-values
        self.score: str | None = None
        self._in_style = False
        self._table: str | None = None
        self._quarter: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for key in ("src", "href", "action", "poster", "data"):
            if a.get(key):
                self.urls.append(str(a[key]))
        if tag == "img":
            self.images.append(str(a.get("src")))
        if tag == "style":
            self._in_style = True
        if tag == "table":
            self._table = a.get("id")
        if tag == "tr" and a.get("data-quarter") is not None:
            self._quarter = int(str(a["data-quarter"]))
        if tag == "td" and self._table and self._quarter is not None and "data-value" in a:
            self.rows.setdefault(self._table, {}).setdefault(self._quarter, []).append(
                str(a["data-value"])
            )
        if a.get("id") == "score":
            self.score = a.get("data-value")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        if tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


@pytest.fixture(scope="module")
def game() -> tuple[Any, list[Any], Simulation]:
    sc = tutorial(300)
    log = scripted_log(sc.quarters)
    sim = Simulation(sc, SEED, "pm")
    for decisions in log:
        sim.step(decisions)
    return sc, log, sim


@pytest.fixture(scope="module")
def report(game: tuple[Any, list[Any], Simulation]) -> dict[str, Any]:
    sc, log, _ = game
    return build_report(sc, SEED, "pm", log, bots=("hold", "profit"), spread_seeds=1).to_dict()


@pytest.fixture(scope="module")
def figures(report: dict[str, Any]) -> list[Figure]:
    return render_all(report)


@pytest.fixture(scope="module")
def page(report: dict[str, Any], figures: list[Figure]) -> tuple[str, Page]:
    text = report_html(report, figures)
    parser = Page()
    parser.feed(text)
    return text, parser


def test_html_has_every_section(page: tuple[str, Page]) -> None:
    _, p = page
    for section in (
        "score",
        "objectives",
        "market",
        "competencies",
        "luck-or-skill",
        "what-if",
        "turning-points",
        "beliefs",
        "forecasts",
        "culture",
        "kpi-history",
        "timeline",
        "prompts",
    ):
        assert section in p.ids, section
    assert {f"fig-{name}" for name in FIGURES if name != "relationships"} <= p.ids
    assert "relationships" not in p.ids  # no colleagues: no such section nor figure


def test_html_numbers_are_the_engine_history(
    page: tuple[str, Page], game: tuple[Any, list[Any], Simulation]
) -> None:
    _, p = page
    _, _, sim = game
    rows = p.rows["kpis"]
    assert sorted(rows) == list(range(13))
    for rep in sim.history:
        fr = rep.firms["player"]
        values = [float(v) for v in rows[rep.quarter]]
        assert values[:5] == [fr.revenue, fr.profit, fr.cash, fr.customers, fr.share]
        if rep.quarter:
            assert values[7] == rep.organisation["player"].morale
    assert float(str(p.score)) == sim.scorecard("player")["score"]


def test_html_shows_formatted_values_and_the_prompts(
    page: tuple[str, Page], report: dict[str, Any], game: tuple[Any, list[Any], Simulation]
) -> None:
    text, _ = page
    sc, _, sim = game
    last = sim.history[-1].firms["player"]
    assert f"${last.revenue:,.0f}" in text
    assert f"{last.share:.1%}" in text
    for prompt in sc.debrief:
        assert prompt.question.replace("'", "&#x27;") in text
    assert report["what_if"]["sentences"][0].split(",")[0] in text


def test_html_makes_no_network_request(page: tuple[str, Page]) -> None:
    text, p = page
    assert p.urls, "the figures are embedded as data: URLs"
    for url in p.urls:
        assert url.startswith("data:image/png;base64,"), url[:60]
    assert "@import" not in p.style
    assert not re.search(r"url\(", p.style)
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", text, re.IGNORECASE)
    assert "<script" not in text.lower() and "<link" not in text.lower()
    assert "@media print" in p.style


def test_embedded_figures_are_valid_png(page: tuple[str, Page]) -> None:
    _, p = page
    assert len(p.images) == len(FIGURES) - 1  # all but the colleagues' trust
    for src in p.images:
        data = base64.b64decode(src.split(",", 1)[1])
        assert data.startswith(PNG_SIGNATURE)
        image = pygame.image.load(io.BytesIO(data), "figure.png")
        assert image.get_width() > 600 and image.get_height() > 200


def test_figures_render_as_svg_too(report: dict[str, Any]) -> None:
    fig = render(report, "share_revenue", fmt="svg")
    root = ET.fromstring(fig.data)
    assert root.tag.endswith("svg")
    assert b"Market share" in fig.data


def test_no_comparison_means_no_score_figure(game: tuple[Any, list[Any], Simulation]) -> None:
    sc, log, _ = game
    rep = build_report(sc, SEED, "pm", log[:3], bots=()).to_dict()
    figs = render_all(rep)
    assert [f.name for f in figs] == ["share_revenue", "culture_debt", "belief_map"]
    text = report_html(rep, figs)
    assert 'id="luck-or-skill"' not in text and "3 of 12 quarters" in text


def test_csv_and_json_files(
    report: dict[str, Any],
    figures: list[Figure],
    game: tuple[Any, list[Any], Simulation],
    tmp_path: Path,
) -> None:
    _, _, sim = game
    written = write_report(report, tmp_path / "debrief.html", data=True, figures=figures)
    paths = data_paths(tmp_path / "debrief.html")
    assert written == [tmp_path / "debrief.html", paths["kpis"], paths["decisions"], paths["json"]]
    assert paths["kpis"].name == "debrief-kpis.csv" and paths["json"].name == "debrief.json"
    kpis = list(csv.DictReader(io.StringIO(kpi_csv(report))))
    assert len(kpis) == 13
    for row, rep in zip(kpis, sim.history, strict=True):
        assert int(row["quarter"]) == rep.quarter
        assert float(row["revenue"]) == rep.firms["player"].revenue
        assert float(row["share_planly"]) == rep.firms["planly"].share
    decisions = list(csv.DictReader(io.StringIO(decisions_csv(report))))
    q1 = next(r for r in decisions if r["quarter"] == "1")
    assert (q1["product"], float(q1["price"])) == ("teamboard", 270.0)
    assert q1["research"] == "interviews:mid|survey:smb"
    assert [r["forecast_revenue"] for r in decisions if r["quarter"] == "2"] == ["2000000.0"]
    assert json.loads(paths["json"].read_text(encoding="utf-8")) == json.loads(json.dumps(report))


def test_the_debrief_screen_seam_exports_and_answers_what_if(tmp_path: Path) -> None:
    from game.report_export import export_session, session_what_if
    from game.session import Session, read_scenario

    session = Session(read_scenario(small_tutorial_file(tmp_path, 200)), "pm", 5)
    for decisions in scripted_log(3):
        session.draft = decisions["player"]
        session.end_quarter(autosave=False)
    written = export_session(session, tmp_path / "out" / "debrief.html")
    assert [p.name for p in written] == [
        "debrief.html",
        "debrief-kpis.csv",
        "debrief-decisions.csv",
        "debrief.json",
    ]
    saved = json.loads(written[-1].read_text(encoding="utf-8"))
    assert saved["score"] == session.scorecard()["score"]
    result = session_what_if(session, 1, "profit")
    assert result.yours.score == session.scorecard()["score"]
    assert result.sentences[0].startswith("Had you raised prices")
