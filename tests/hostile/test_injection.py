"""Injection: hostile text in a scenario or a team name reaches HTML, CSV and the terminal inert.

A scenario carries markup, spreadsheet formulas, ANSI escapes and newlines in every free-text
field the format allows (ids have a pattern, so they stay plain); team names are formulas.
The HTML report must show that text as text, every CSV cell from data must be neutralised
and the CLI must print no raw control character.
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.debrief import build_report
from engine.decisions import Decisions, Forecast, ProductDecision, ResearchOrder
from engine.loader import load_scenario
from game.cli import main
from game.escaping import FORMULA_TRIGGERS, csv_cell, csv_writer, terminal
from game.report_export import decisions_csv, kpi_csv, report_html
from game.workshop.export import export_session
from game.workshop.session import WorkshopSession

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"
ESC = "\x1b"
MARKUP = "<script>x</script></td><!--"
FORMULA = '=HYPERLINK("http://x","y")'
TEAMS = [FORMULA, "+1", "@SUM(A1)", "-2", "<b>bold</b> & co"]
RESOLUTION = 300  # synthetic customers per segment: a small, fast market


def hostile(tag: str) -> str:
    """A free-text value carrying a formula, markup, an ANSI escape and a newline (≤ 60)."""
    return f"=SUM(1){tag}{MARKUP}{ESC}[31m\n-2"


def hostile_scenario(folder: Path, currency: str) -> Path:
    """The tutorial with hostile text in every free-text field and ``currency``."""
    data: dict[str, Any] = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    data.update(
        title=hostile("T"),
        summary=hostile("S"),
        teaches=hostile("L"),
        briefing=hostile("B"),
        currency=currency,
    )
    for i, seg in enumerate(data["segments"]):
        seg.update(name=hostile(f"S{i}"), description=hostile(f"SD{i}"), resolution=RESOLUTION)
    for i, attr in enumerate(data["attributes"]):
        attr.update(name=hostile(f"A{i}"), description=hostile(f"AD{i}"))
    for i, firm in enumerate(data["firms"]):
        firm.update(name=hostile(f"F{i}"), description=hostile(f"FD{i}"))
        for j, product in enumerate(firm["products"]):
            product.update(name=hostile(f"P{i}{j}"), description=hostile(f"PD{i}{j}"))
            if "team" in product:
                product["team"]["pm"]["name"] = hostile(f"PM{i}{j}")
    for key in ("backlog", "research", "initiatives", "bets"):
        for i, item in enumerate(data[key]):
            item.update(name=hostile(f"{key[0]}{i}"), description=hostile(f"{key[0]}D{i}"))
    for i, event in enumerate(data["events"]):
        event.update(title=hostile(f"E{i}"), text=hostile(f"ET{i}"))
    for i, objective in enumerate(data["objectives"]):
        objective["description"] = hostile(f"O{i}")
    for i, prompt in enumerate(data["debrief"]):
        prompt["question"] = hostile(f"Q{i}")
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def played_log(quarters: int) -> list[dict[str, Decisions]]:
    """A PM game touching research, the roadmap, forecasts and prices (names in the text)."""
    first = ProductDecision(
        price=270.0,
        roadmap=["onboarding", "api"],
        research=[ResearchOrder(method="interviews", segment="mid")],
    )
    log = [{"player": Decisions(products={"teamboard": first})}]
    for q in range(2, quarters + 1):
        forecast = Forecast(revenue=1_500_000.0, share=0.2)
        line = ProductDecision(price=260.0 + q)
        log.append({"player": Decisions(products={"teamboard": line}, forecast=forecast)})
    return log


# --------------------------------------------------------------------------- helpers


class Page(HTMLParser):
    """Everything a browser would build from the page: tags, comments, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.comments: list[str] = []
        self.declarations: list[str] = []
        self.text: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def unknown_decl(self, data: str) -> None:
        self.declarations.append(data)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def assert_inert_html(page: str, shown: list[str]) -> None:
    """No markup from data: no script, comment or stray tag; ``shown`` texts round-trip."""
    parsed = parse(page)
    assert "script" not in parsed.tags
    assert parsed.comments == []
    assert parsed.declarations == ["DOCTYPE html"]
    assert not any(a.startswith("on") for a in parsed.attributes)
    text = "".join(parsed.text)
    for value in shown:
        assert value in text, f"{value!r} is not shown as text"


def assert_neutral_csv(text: str) -> list[list[str]]:
    """Every cell that a spreadsheet would run as a formula is a number; returns the rows."""
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_TRIGGERS):
                float(cell)  # only a real (negative) number may start with "-"
    return rows


# --------------------------------------------------------------------------- the helpers


def test_csv_cell_neutralises_text_and_keeps_numbers() -> None:
    for text in (FORMULA, "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(text) == "'" + text
    for value in (-2, -2.5, 0, 3.25, True, None, "plain", "a=b", ""):
        assert csv_cell(value) == value
    out = io.StringIO()
    csv_writer(out, lineterminator="\n").writerows([[FORMULA, -2.5, "-2"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'" + FORMULA, "-2.5", "'-2"]]


def test_terminal_shows_control_characters() -> None:
    assert terminal(f"{ESC}[31mred\n\r\t\x00\x7f\x9b\u202e") == (
        "\\x1b[31mred\\n\\r\\t\\x00\\x7f\\x9b\\u202e"
    )
    assert terminal("Café · 5 € ✓") == "Café · 5 € ✓"
    assert terminal(Path("a/b")) == "a/b"


# --------------------------------------------------------------------------- the report


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = hostile_scenario(tmp_path_factory.mktemp("hostile"), "<!--")
    scenario = load_scenario(path)
    injected = [["outage"], [], [], [], [], []]
    built = build_report(
        scenario, 7, "pm", played_log(6), bots=["balanced"], spread_seeds=0, injected=injected
    )
    return built.to_dict()


def test_report_html_shows_hostile_text_as_text(report: dict[str, Any]) -> None:
    page = report_html(report, [])
    assert_inert_html(
        page,
        [
            hostile("T"),  # the title
            hostile("F0"),  # the player firm
            hostile("O0"),  # an objective
            hostile("Q0"),  # a debrief prompt
            hostile("E3"),  # the injected outage, in the timeline
            "<!--",  # the currency in formatted money
        ],
    )
    assert "<!--" not in page.split("<style>")[0] + page.split("</style>")[1]


def test_report_csv_cells_are_neutralised(report: dict[str, Any]) -> None:
    kpis = assert_neutral_csv(kpi_csv(report))
    assert len(kpis) == 1 + 7  # header, Q0 to Q6
    decisions = assert_neutral_csv(decisions_csv(report))
    assert decisions[1][DECISIONS_PRICE] == "270.0"  # numbers stay numbers


DECISIONS_PRICE = 3


# --------------------------------------------------------------------------- workshops


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A finished parallel session with formula team names and an ANSI currency."""
    folder = tmp_path_factory.mktemp("workshop")
    path = hostile_scenario(folder, f"{ESC}[7m")
    home = pytest.MonkeyPatch()
    home.setenv("CROSSROADS_HOME", str(folder / "home"))
    try:
        session = WorkshopSession.create(
            path.read_text(encoding="utf-8"),
            teams=TEAMS,
            mode="parallel",
            seed=7,
            rounds=2,
            resolution=RESOLUTION,
            source_name=str(path),
        )
        for team in TEAMS:
            session.submit(team, Decisions(products={"teamboard": ProductDecision(price=250.0)}))
        session.resolve()
        export_session(session, folder / "out")
        sid = session.id
        session.close()
    finally:
        home.undo()
    return sid, folder


def test_leaderboard_and_decisions_csv_neutralise_team_names(
    workshop: tuple[str, Path],
) -> None:
    _, folder = workshop
    out = folder / "out"
    board = assert_neutral_csv((out / "leaderboard.csv").read_text(encoding="utf-8"))
    column = board[0].index("team")
    assert sorted(row[column] for row in board[1:]) == sorted(
        "'" + t if t.startswith(FORMULA_TRIGGERS) else t for t in TEAMS
    )
    decisions = assert_neutral_csv((out / "decisions.csv").read_text(encoding="utf-8"))
    assert {row[1] for row in decisions[1:]} >= {"'" + FORMULA, "'+1", "'@SUM(A1)", "'-2"}
    pages = sorted((out / "teams").glob("*.html"))
    assert len(pages) == len(TEAMS)
    shown = []
    for page in pages:
        assert_inert_html(page.read_text(encoding="utf-8"), [hostile("T")])
        shown.append("".join(parse(page.read_text(encoding="utf-8")).text))
        assert_neutral_csv(page.with_name(f"{page.stem}-decisions.csv").read_text())
    assert any(f"team {TEAMS[-1]}" in text for text in shown)  # markup in a name is text


# --------------------------------------------------------------------------- the terminal


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def test_cli_prints_no_control_characters(
    workshop: tuple[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sid, folder = workshop
    scenario = hostile_scenario(tmp_path, f"{ESC}[7m")
    monkeypatch.setattr("game.paths.bundled_scenarios", lambda: [scenario])
    monkeypatch.setenv("CROSSROADS_HOME", str(folder / "home"))
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        scenario.read_text(encoding="utf-8").replace("quarters: 12", "quarters: ''"),
        encoding="utf-8",
    )
    outputs = {
        "list": _cli(capsys, "list"),
        "validate": _cli(capsys, "validate", str(scenario)),
        "validate broken": _cli(capsys, "validate", str(broken)),
        "simulate": _cli(capsys, "simulate", str(scenario), "--turns", "2"),
        "simulate broken": _cli(capsys, "simulate", str(broken)),
        "workshop status": _cli(capsys, "workshop", "status", sid),
        "workshop inject": _cli(capsys, "workshop", "inject", sid),
    }
    for name, (_code, text) in outputs.items():
        assert ESC not in text, name
        assert not any(ord(c) < 32 and c != "\n" for c in text), name
    assert outputs["list"][0] == 0 and "\\x1b[31m" in outputs["list"][1]
    assert outputs["validate"][0] == 0 and f"OK {scenario}" in outputs["validate"][1]
    assert outputs["validate broken"][0] == 1
    assert outputs["simulate"][0] == 0 and "\\x1b[7m" in outputs["simulate"][1]
    assert outputs["workshop status"][0] == 0
    assert "'=HYPERLINK" not in outputs["workshop status"][1]  # the terminal shows it as typed
    assert FORMULA[:16] in outputs["workshop status"][1]
