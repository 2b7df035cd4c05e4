"""The debrief's relationships with colleagues (issue 19): trust over time equals the quarter
reports, promises with their outcomes, turning points, and the HTML report's section, figure,
tables and data files (escaped, in German too). A game without colleagues is unchanged."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from market_scenarios import tutorial
from test_debrief import scripted_log

from engine import phrases
from engine.debrief import build_report
from engine.decisions import Decisions, ProductDecision, RequestResponse
from engine.loader import load_scenario
from engine.relationships import relationships
from engine.scenario import Scenario
from engine.simulation import Simulation
from game.report_export import promises_csv, report_html, trust_csv, write_report
from game.report_figures import render_all
from game.translation import set_language

FIXTURE = Path(__file__).parent / "fixtures" / "people" / "deal.yaml"
SEED = 3
QUARTERS = 5
HOSTILE = "<script>alert('x')</script> & Co"


def people_log(quarters: int = QUARTERS) -> list[dict[str, Decisions]]:
    """Single sign-on promised to sales for Q6 (as asked) and built, so it ships in Q5:
    kept; engineering's debt time accepted in Q2 but the split left at 20%: broken at once.

    (Five quarters: the Northwind deal a kept promise brings signs at the start of Q6.)
    """
    log = []
    for q in range(1, quarters + 1):
        answers = {}
        if q == 1:
            answers["sales.northwind"] = RequestResponse(answer="accept")
        elif q == 2:
            answers["eng.debt_sprint"] = RequestResponse(answer="accept")
        roadmap = ["api", "sso"] if q < 3 else ["sso"]
        products = {"teamboard": ProductDecision(roadmap=roadmap)} if q < 6 else {}
        log.append({"player": Decisions(products=products, responses=answers)})
    return log


def people_scenario(tmp_path: Path | None = None, name: str | None = None) -> Scenario:
    """The fixture scenario, with the sales lead renamed when ``name`` is given."""
    if name is None:
        return load_scenario(FIXTURE)
    assert tmp_path is not None
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["stakeholders"][0]["name"] = name
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return load_scenario(path)


def people_report(scenario: Scenario | None = None) -> dict[str, Any]:
    """The debrief of :func:`people_log` (no bots: the relationships need none)."""
    sc = scenario or people_scenario()
    return build_report(sc, SEED, "pm", people_log(), bots=()).to_dict()


@pytest.fixture(scope="module")
def sim() -> Simulation:
    s = Simulation(people_scenario(), SEED, "pm")
    for decisions in people_log():
        s.step(decisions)
    return s


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return people_report()


# --------------------------------------------------------------------------- engine


def test_trust_timeline_is_the_reports_trust(report: dict[str, Any], sim: Simulation) -> None:
    rel = report["relationships"]
    assert [c["id"] for c in rel["colleagues"]] == ["sales", "eng"]
    for c in rel["colleagues"]:
        assert c["trust"] == [
            next(x.trust for x in r.people["player"].colleagues if x.id == c["id"])
            for r in sim.history
        ]
    sales, eng = rel["colleagues"]
    assert sales["trust"] == pytest.approx([0.6, 0.6, 0.6, 0.6, 0.6, 0.75])
    assert eng["trust"] == pytest.approx([0.5, 0.5, 0.25, 0.25, 0.25, 0.25])
    assert (sales["who"], sales["kept"], sales["broken"]) == ("Sales (Dana Okafor)", 1, 0)
    assert (eng["who"], eng["kept"], eng["broken"]) == ("Engineering (Sam Lee)", 0, 1)


def test_one_promise_kept_and_one_broken(report: dict[str, Any]) -> None:
    promises = report["relationships"]["promises"]
    got = [
        (p["key"], p["stakeholder"], p["made"], p["due"], p["outcome"], p["closed"])
        for p in promises
    ]
    assert got == [
        ("sales.northwind", "sales", 1, 6, "kept", 5),
        ("eng.debt_sprint", "eng", 2, 3, "broken", 2),
    ]
    assert promises[0]["text"].startswith("Northwind will sign")
    assert promises[1]["progress"] == "the split fell short"


def test_turning_points_are_the_promises_settled_with_the_trust_they_moved(
    report: dict[str, Any],
) -> None:
    points = report["relationships"]["turning_points"]
    assert [(p["quarter"], p["stakeholder"], p["kind"]) for p in points] == [
        (2, "eng", "broken"),
        (5, "sales", "kept"),
    ]
    assert [p["change"] for p in points] == pytest.approx([-0.25, 0.15])
    assert points[0]["text"].startswith("You broke your promise to Engineering (Sam Lee)")
    assert report["relationships"]["sentences"] == [
        "You made 2 promises: 1 kept, 1 broken, 0 still open.",
        "Sales (Dana Okafor) trusted you more: 60% at the start, 75% at the end.",
        "Engineering (Sam Lee) trusted you less: 50% at the start, 25% at the end.",
    ]


def test_a_declined_and_an_ignored_request_are_turning_points() -> None:
    sim = Simulation(people_scenario(), SEED, "pm")
    sim.step(
        {
            "player": Decisions(
                responses={"sales.northwind": RequestResponse(answer="decline", reason="market")}
            )
        }
    )
    sim.step({"player": Decisions()})  # engineering's request gets no answer
    rel = relationships(sim.history, "player")
    assert rel is not None and rel.promises == []
    kinds = [(p.quarter, p.stakeholder, p.kind) for p in rel.turning_points]
    assert kinds == [(1, "sales", "declined"), (2, "eng", "ignored")]
    trust = {c.id: c.trust for c in rel.colleagues}
    assert [p.change for p in rel.turning_points] == pytest.approx(
        [trust["sales"][1] - trust["sales"][0], trust["eng"][2] - trust["eng"][1]]
    )
    assert all(p.change < 0 for p in rel.turning_points)
    assert rel.sentences[0] == "You made no promises to your colleagues."


def test_a_game_without_colleagues_has_no_relationships() -> None:
    data = build_report(tutorial(200), 4, "pm", scripted_log(2), bots=()).to_dict()
    assert "relationships" not in data
    assert [f.name for f in render_all(data)] == ["share_revenue", "culture_debt", "belief_map"]
    assert 'id="relationships"' not in report_html(data, [])


def test_relationship_sentences_in_german(sim: Simulation) -> None:
    phrases.use("de")
    try:
        rel = relationships(sim.history, "player")
    finally:
        phrases.use("en")
    assert rel is not None
    assert rel.sentences[0] == (
        "Sie haben 2 Versprechen gegeben: 1 gehalten, 1 gebrochen, 0 noch offen."
    )
    assert rel.sentences[1] == (
        "Vertrieb (Dana Okafor) vertraute Ihnen mehr: 60 % zu Beginn, 75 % am Ende."
    )


# --------------------------------------------------------------------------- the report


@pytest.fixture(scope="module")
def page(report: dict[str, Any]) -> str:
    return report_html(report, render_all(report))


def test_the_report_has_the_trust_figure_and_the_promises(page: str, report: dict[str, Any]):
    assert '<section id="relationships"><h2>Working with colleagues</h2>' in page
    figure = re.search(r'<figure id="fig-relationships"><img src="([^"]+)" alt="([^"]+)"', page)
    assert figure is not None
    assert figure.group(1).startswith("data:image/png;base64,")
    alt = figure.group(2)
    assert "Sales (Dana Okafor) from 60% to 75%" in alt
    assert "Engineering (Sam Lee) from 50% to 25%" in alt
    rows = re.findall(r'<tr data-promise="([^"]+)" data-outcome="([^"]+)">', page)
    assert rows == [("sales.northwind", "kept"), ("eng.debt_sprint", "broken")]
    trust = re.search(r'<tr data-colleague="eng">(.*?)</tr>', page)
    assert trust is not None
    values = [float(v) for v in re.findall(r'data-value="([^"]+)"', trust.group(1))]
    assert values == report["relationships"]["colleagues"][1]["trust"]
    assert re.search(r'<tr data-quarter="2" data-kind="broken">.*?trust -25 pts', page)
    assert "Collaboration" in page  # the fifth competency by its name


def test_hostile_colleague_names_are_escaped(tmp_path: Path) -> None:
    data = people_report(people_scenario(tmp_path, HOSTILE))
    assert data["relationships"]["colleagues"][0]["name"] == HOSTILE
    text = report_html(data, render_all(data))
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in text
    section = text[text.index('<section id="relationships">') :]
    assert "Sales (&lt;script&gt;" in section.split("</section>")[0]


def test_the_german_report(report: dict[str, Any]) -> None:
    set_language("de")
    try:
        data = people_report()  # the engine's sentences in German too
        text = report_html(data, render_all(data))
    finally:
        set_language("en")
    assert "<h2>Zusammenarbeit mit Kollegen</h2>" in text
    assert "Gegebene und gehaltene Versprechen" in text
    assert ">gehalten</td>" in text and ">gebrochen</td>" in text
    assert "Vertrieb (Dana Okafor) von 60 % auf 75 %" in text
    assert "Vertrauen -25 Pkt." in text


def test_the_data_files_have_trust_and_promises(report: dict[str, Any], tmp_path: Path) -> None:
    written = write_report(report, tmp_path / "debrief.html", data=True, figures=[])
    assert [p.name for p in written] == [
        "debrief.html",
        "debrief-kpis.csv",
        "debrief-decisions.csv",
        "debrief-trust.csv",
        "debrief-promises.csv",
        "debrief.json",
    ]
    rows = list(csv.DictReader(io.StringIO(trust_csv(report))))
    assert [int(r["quarter"]) for r in rows] == list(range(QUARTERS + 1))
    for c in report["relationships"]["colleagues"]:
        assert [float(r[f"trust_{c['id']}"]) for r in rows] == c["trust"]
    promises = list(csv.DictReader(io.StringIO(promises_csv(report))))
    assert [(p["key"], p["outcome"], p["closed"]) for p in promises] == [
        ("sales.northwind", "kept", "5"),
        ("eng.debt_sprint", "broken", "2"),
    ]
