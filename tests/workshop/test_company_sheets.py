"""Company workshops on paper and in the export (issue 20): one decision sheet per seat, read
back into the seat's hand-in, and the export's seat turns, flags, scorecards and conversation.

A filled seat sheet must play exactly as the same turns handed in directly; a sheet's
problems are all named at once; hostile team names and texts stay inert in every file.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.company_mode import BUDGET_MAX, NOTE_MAX, STRATEGY_MAX
from game.paths import find_scenario
from game.workshop.export import export_session
from game.workshop.session import WorkshopError, WorkshopSession
from game.workshop.sheet import parse_seat_sheet, seat_template, submit_seat_sheet

TEAMS = ["Alpha", "Beta"]
STUDY = {"method": "interviews", "segment": "schools"}
RESOLUTION = 60


def company(folder: Path, mode: str = "shared", teams: list[str] = TEAMS) -> WorkshopSession:
    """A three-round company workshop of ``portfolio`` (a CPO and three PM seats)."""
    path = find_scenario("portfolio")
    assert path is not None
    return WorkshopSession.create(
        path.read_text(),
        teams=list(teams),
        mode=mode,
        rounds=3,
        seed=11,
        resolution=RESOLUTION,
        company=True,
        folder=folder,
    )


def filled(session: WorkshopSession, team: str, seat: str, quarter: int) -> dict[str, Any]:
    """The seat's pre-filled sheet with the seat's choices written in (different per team,
    seat and round): a CPO sets themes and each line's budget and strategy, a PM its price,
    research in round 1 and what it shares in round 2."""
    data = yaml.safe_load(seat_template(session, team, seat))
    bump = 1.0 + 0.05 * quarter + (0.1 if team == TEAMS[1] else 0.0)
    if seat == "cpo":
        data["decisions"]["themes"] = {"classroom": "growth", "tutor": "profit"}
        data["direction"]["classroom"] = {"budget": 40000.0, "strategy": "Win the schools"}
        data["direction"]["tutor"] = {"budget": 5000.0 * quarter, "strategy": ""}
    elif seat == "pm:classroom":
        line = data["decisions"]["products"]["classroom"]
        line["price"] = round(500.0 * bump, 2)
        if quarter == 1:
            line["research"] = [STUDY]
        if quarter == 2:
            data["share"] = {"studies": [{"quarter": 1, **STUDY}], "note": "Schools want reports"}
    elif seat == "pm:tutor":
        data["decisions"]["products"]["tutor"]["price"] = round(40.0 * bump, 2)
        data["decisions"]["products"]["tutor"]["marketing"] = {"families": 9000.0 * quarter}
    return data


def direct(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same turn as a client hands it in: its decisions (nulls left out) and its extra."""
    decisions = {k: v for k, v in data["decisions"].items() if v is not None}
    products = decisions.get("products", {})
    decisions["products"] = {
        line: {k: v for k, v in fields.items() if v is not None}
        for line, fields in products.items()
    }
    extra = {k: data[k] for k in ("direction", "share") if k in data}
    return decisions, extra


@pytest.mark.parametrize("mode", ["shared", "parallel"])
def test_seat_sheets_play_as_the_same_turns_handed_in_directly(tmp_path: Path, mode: str) -> None:
    on_paper = company(tmp_path / "paper", mode)
    handed = company(tmp_path / "direct", mode)
    seats = on_paper.seat_ids()
    assert seats == ["cpo", "pm:classroom", "pm:tutor", "pm:exam_prep"]
    for quarter in (1, 2, 3):
        for team in TEAMS:
            for seat in seats[:3]:  # the exam-prep PM never hands in: its AI PM plans it
                data = filled(on_paper, team, seat, quarter)
                text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
                submit_seat_sheet(on_paper, team, seat, text, f"{team}-{seat}.yaml")
                decisions, extra = direct(data)
                handed.submit_seat(team, seat, decisions, extra)
        assert on_paper.seat_status() == handed.seat_status()
        assert on_paper.seat_status()["Alpha"] == {
            "cpo": True,
            "pm:classroom": True,
            "pm:tutor": True,
            "pm:exam_prep": False,
        }
        on_paper.resolve(keep_course=True)
        handed.resolve(keep_course=True)
    for team in TEAMS:
        paper = [r.to_dict() for r in on_paper.reports(team)]
        want = [r.to_dict() for r in handed.reports(team)]
        assert json.dumps(paper, sort_keys=True) == json.dumps(want, sort_keys=True)
        log = on_paper.company_log(team)
        assert [r.missing for r in log.rounds] == [["pm:exam_prep"]] * 3
        assert log.rounds[1].pms["classroom"].share is not None
        assert log.rounds[1].pms["classroom"].share.note == "Schools want reports"
        assert log.rounds[2].cpo.direction["tutor"].budget == 15000.0
        prices = [r.pms["classroom"].decision.price for r in log.rounds]
        bump = 0.1 if team == "Beta" else 0.0
        assert prices == [round(500.0 * (1.05 + i * 0.05 + bump), 2) for i in range(3)]


def test_an_unchanged_pm_sheet_leaves_the_line_to_its_ai_pm(tmp_path: Path) -> None:
    session = company(tmp_path)
    text = seat_template(session, "Alpha", "pm:tutor")
    decisions, extra = parse_seat_sheet(text, "tutor.yaml", session, "Alpha", "pm:tutor")
    assert decisions.products["tutor"].model_fields_set == set()  # every field null: the AI's
    assert extra == {"share": {"studies": [], "note": ""}}
    assert "price: null" in text and "hires" not in text.split("decisions:")[1].split("#")[0]


def test_a_cpo_sheet_names_every_problem_at_once(tmp_path: Path) -> None:
    session = company(tmp_path)
    data = yaml.safe_load(seat_template(session, "Alpha", "cpo"))
    data["round"] = 2
    data["seat"] = "pm:tutor"
    data["direction"] = {
        "classroom": {"budget": -1, "strategy": "x" * (STRATEGY_MAX + 1)},
        "tutor": {"budget": BUDGET_MAX * 10, "mood": "calm"},
        "exam_prep": {"budget": True, "strategy": 42},
        "rockets": {"budget": 5},
    }
    text = yaml.safe_dump(data)
    with pytest.raises(WorkshopError) as refused:
        submit_seat_sheet(session, "Alpha", "cpo", text, "cpo.yaml")
    problems = refused.value.problems
    assert "cpo.yaml was refused; nothing was recorded" in str(refused.value)
    expected = [
        "this sheet is for seat pm:tutor, not cpo",
        "this sheet is for round 2, but round 1 is open",
        "direction.classroom.budget must be between 0 and $10,000,000,000, not -1",
        f"direction.classroom.strategy is {STRATEGY_MAX + 1} characters long; at most "
        f"{STRATEGY_MAX} are allowed",
        "direction.tutor.mood: unknown field (known: budget, strategy)",
        "direction.tutor.budget must be between 0 and $10,000,000,000, not 100000000000.0",
        "direction.exam_prep.budget must be an amount of money, or null for no limit, not True",
        "direction.exam_prep.strategy must be text, not 42",
        "direction.rockets: no such line (lines: classroom, tutor, exam_prep)",
    ]
    assert sorted(problems) == sorted(expected)
    assert session.seat_status()["Alpha"]["cpo"] is False  # nothing recorded


def test_a_pm_sheet_names_every_problem_at_once(tmp_path: Path) -> None:
    session = company(tmp_path)
    data = yaml.safe_load(seat_template(session, "Alpha", "pm:tutor"))
    data["decisions"]["themes"] = {"tutor": "growth"}
    data["decisions"]["products"]["classroom"] = {"price": 1.0}
    data["decisions"]["products"]["tutor"]["price"] = "cheap"
    data["share"] = {
        "studies": [{"quarter": 1, "method": "survey", "segment": "families"}, {"quarter": 1}],
        "note": "n" * (NOTE_MAX + 1),
        "mood": "tired",
    }
    data["direction"] = {}
    with pytest.raises(WorkshopError) as refused:
        submit_seat_sheet(session, "Alpha", "pm:tutor", yaml.safe_dump(data), "tutor.yaml")
    problems = refused.value.problems
    assert "unknown key 'direction' (a sheet has session, team, seat, round, decisions, share)" in (
        problems
    )
    cpo_field = "decisions.themes: the CPO decides this; a PM's sheet holds only the decisions"
    assert f"{cpo_field} of tutor" in problems
    assert "decisions.products.classroom: not your line (you are the PM of tutor)" in problems
    assert any(p.startswith("decisions.products.tutor.price") for p in problems)
    assert "share.mood: unknown field (known: studies, note)" in problems
    assert f"share.note is {NOTE_MAX + 1} characters long; at most {NOTE_MAX} are allowed" in (
        problems
    )
    assert "share.studies.0: you ran no survey of families in quarter 1 (yours: none)" in problems
    assert "share.studies.1 must be {quarter: N, method: ..., segment: ...}" in problems
    assert session.seat_status()["Alpha"]["pm:tutor"] is False


def test_a_pm_may_share_a_study_it_orders_on_the_same_sheet(tmp_path: Path) -> None:
    session = company(tmp_path)
    data = yaml.safe_load(seat_template(session, "Alpha", "pm:classroom"))
    data["decisions"]["products"]["classroom"]["research"] = [STUDY]
    data["share"] = {"studies": [{"quarter": 1, **STUDY}], "note": "Ordered today"}
    submit_seat_sheet(session, "Alpha", "pm:classroom", yaml.safe_dump(data), "c.yaml")
    assert session.seat_status()["Alpha"]["pm:classroom"] is True


HOSTILE = ['=HYPERLINK("http://x")', "<img src=x onerror=alert(1)>"]


def test_the_export_holds_every_seats_turns_and_flags_and_keeps_hostile_text_inert(
    tmp_path: Path,
) -> None:
    session = company(tmp_path / "s", "parallel", HOSTILE)
    evil_note = "<script>alert('note')</script>"
    for _ in (1, 2):
        for team in HOSTILE:
            session.submit_seat(
                team,
                "cpo",
                {"themes": {"tutor": "growth"}},
                {"direction": {"tutor": {"budget": 1000.0, "strategy": "=1+1 <b>go</b>"}}},
            )
            session.submit_seat(  # over the CPO's budget: flagged on both seats
                team,
                "pm:tutor",
                {"products": {"tutor": {"marketing": {"families": 50000.0}}}},
                {"share": {"studies": [], "note": evil_note}},
            )
        session.resolve(keep_course=True)
    out = tmp_path / "export"
    done = export_session(session, out)
    names = {p.relative_to(out).as_posix() for p in done.paths}
    assert {"seats.csv", "flags.csv"} <= names
    rows = list(csv.DictReader(io.StringIO((out / "seats.csv").read_text())))
    for team in HOSTILE:
        shown = "'" + team if team.startswith("=") else team  # never a formula
        mine = [r for r in rows if r["team"] == shown]
        assert {(r["round"], r["seat"]) for r in mine} == {
            (str(q), s) for q in (1, 2) for s in session.seat_ids()
        }
        cpo = {r["field"]: r["value"] for r in mine if r["seat"] == "cpo" and r["round"] == "2"}
        assert cpo["direction.tutor.budget"] == "1000.0"
        assert cpo["direction.tutor.strategy"] == "'=1+1 <b>go</b>"
        tutor = {r["field"]: r["value"] for r in mine if r["seat"] == "pm:tutor"}
        assert tutor["decision.marketing.families"] == "50000.0"
        assert tutor["share.note"] == evil_note
        missing = {r["handed_in"] for r in mine if r["seat"] == "pm:classroom"}
        assert missing == {"False"}
    flags = list(csv.DictReader(io.StringIO((out / "flags.csv").read_text())))
    assert [(f["round"], f["line"], f["kind"]) for f in flags] == [
        (str(q), "tutor", "over_budget") for _ in HOSTILE for q in (1, 2)
    ]
    for team in HOSTILE:
        tid = session.team_ids[team]
        report = json.loads((out / "teams" / f"{tid}-company.json").read_text())
        assert [r["round"] for r in report["seats_by_round"]] == [1, 2]
        assert report["seats_by_round"][0]["flags"][0]["kind"] == "over_budget"
        assert set(report["seat_scorecards"]) == {"cpo", "pm:tutor"}  # seats people played
        assert report["seat_scorecards"]["cpo"]["notes"] == 2
        said = [line["text"] for line in report["conversation"]]
        assert any(evil_note in text for text in said)
        page = (out / "teams" / f"{tid}-company.html").read_text()
        assert "<script>" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;" in page
        assert "PM of Quill Tutor" in page
        goal = report["seat_scorecards"]["cpo"]["objectives"][0]["description"]
        assert html.escape(goal) in page  # each seat's goals in words, not ids
