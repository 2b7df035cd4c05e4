"""The workshop CLI: a scripted 4-team × 3-round session equals the engine driven directly."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from workshop_script import RESOLUTION, ROUNDS, SEED, TEAMS, Reference, sheet, tutorial

from game.cli import main
from game.workshop.session import WorkshopSession


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _new(capsys: pytest.CaptureFixture[str], mode: str) -> str:
    code, out, err = _cli(
        capsys,
        "workshop", "new", "--scenario", "tutorial", "--teams", ",".join(TEAMS),
        "--mode", mode, "--seed", str(SEED), "--rounds", str(ROUNDS),
        "--resolution", str(RESOLUTION),
    )  # fmt: skip
    assert code == 0, err
    return out.strip()


@pytest.mark.parametrize("mode", ["shared", "parallel"])
def test_scripted_session_matches_the_engine(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = _new(capsys, mode)
    ref = Reference(tutorial(), mode)
    for round_ in range(1, ROUNDS + 1):
        decisions = ref.decide()
        for team, dec in decisions.items():
            path = tmp_path / f"{team}-{round_}.yaml"
            path.write_text(sheet(sid, team, round_, dec))
            code, out, err = _cli(
                capsys, "workshop", "submit", sid, "--team", team, "--decisions", str(path)
            )
            assert code == 0, err
            assert f"recorded {team}'s decisions for round {round_}" in out
        inject = ["viral_post"] if round_ == 2 else []
        for event in inject:
            assert _cli(capsys, "workshop", "inject", sid, event)[0] == 0
        ref.step(decisions, inject)
        code, out, err = _cli(capsys, "workshop", "resolve", sid)
        assert code == 0, err
        assert f"round {round_} of {ROUNDS} resolved" in out
    assert "every team has submitted" not in _cli(capsys, "workshop", "status", sid)[1]

    code, _, err = _cli(capsys, "workshop", "export", sid, "-o", str(tmp_path / "out"))
    assert code == 0, err
    with (tmp_path / "out" / "leaderboard.csv").open() as fh:
        board = {row["team"]: row for row in csv.DictReader(fh)}
    assert set(board) == set(TEAMS)
    for team in TEAMS:
        firm = ref.maps[team].firm
        expected = ref.last(team).firms[firm]
        row = board[team]
        assert row["round"] == str(ROUNDS)
        assert float(row["revenue"]) == expected.revenue
        assert float(row["cash"]) == expected.cash
        assert float(row["customers"]) == expected.customers
        assert float(row["score"]) == ref.sims[team].scorecard(firm)["score"]
    # Different strategies give different outcomes (the teams really played their own sheets).
    assert len({board[t]["cash"] for t in TEAMS}) == len(TEAMS)

    exported = json.loads((tmp_path / "out" / "session.json").read_text())
    assert [r["round"] for r in exported["rounds"]] == [1, 2, 3]
    assert exported["rounds"][1]["injects"] == ["viral_post"]
    decisions_csv = (tmp_path / "out" / "decisions.csv").read_text().splitlines()
    assert decisions_csv[0] == "round,team,field,value"
    assert {line.split(",")[1] for line in decisions_csv[1:]} == set(TEAMS)
    for team in TEAMS:
        teams = tmp_path / "out" / "teams"
        report = json.loads((teams / f"{team.lower()}-scorecard.json").read_text())
        assert report["team"] == team
        assert len(report["kpis_by_quarter"]) == len(report["decisions_by_round"]) == ROUNDS
        assert report["scorecard"]["score"] == float(board[team]["score"])
        # Parallel teams each played a one-firm game, so each gets a debrief report.
        assert (teams / f"{team.lower()}.html").exists() == (mode == "parallel")
    # Over: no more sheets or rounds.
    assert _cli(capsys, "workshop", "resolve", sid)[0] == 1
    assert _cli(capsys, "workshop", "sheet", sid, "--team", "Alpha")[0] == 1


def test_sheet_template_submits_as_is_and_keeps_course(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = _new(capsys, "shared")
    path = tmp_path / "alpha.yaml"
    code, _, err = _cli(capsys, "workshop", "sheet", sid, "--team", "alpha", "-o", str(path))
    assert code == 0, err
    text = path.read_text()
    assert "teamboard:" in text and "_alpha" not in text  # the scenario's own ids
    assert (
        _cli(capsys, "workshop", "submit", sid, "--team", "Alpha", "--decisions", str(path))[0] == 0
    )
    code, _, err = _cli(capsys, "workshop", "resolve", sid)
    assert code == 1 and "waiting for Bravo, Charlie, Delta" in err
    code, out, _ = _cli(capsys, "workshop", "resolve", sid, "--keep-course")
    assert code == 0 and "kept course: Bravo, Charlie, Delta" in out
    code, out, _ = _cli(capsys, "workshop", "list")
    assert sid in out and "1/3 rounds" in out
    code, out, _ = _cli(capsys, "workshop", "rewind", sid)
    assert code == 0 and "round 1 is open again" in out
    session = WorkshopSession.open(sid)
    assert session.current_round == 1
    assert session.submitted() == {"Alpha": True, "Bravo": False, "Charlie": False, "Delta": False}


def test_usage_and_unknown_things_exit_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(capsys, "workshop")[0] == 2
    code, _, err = _cli(
        capsys, "workshop", "new", "--scenario", "nope", "--teams", "A", "--mode", "shared"
    )
    assert code == 2 and "no scenario file or bundled id 'nope'" in err
    code, _, err = _cli(
        capsys, "workshop", "new", "--scenario", "tutorial", "--teams", "A,a", "--mode", "shared"
    )
    assert code == 1 and "team names must be different" in err
    code, _, err = _cli(capsys, "workshop", "status", "ws-missing")
    assert code == 1 and "no workshop session 'ws-missing'" in err
    sid = _new(capsys, "parallel")
    code, _, err = _cli(capsys, "workshop", "inject", sid, "meteor")
    assert code == 1 and "not in the inject deck" in err
    code, _, err = _cli(capsys, "workshop", "rewind", sid)
    assert code == 1 and "no resolved round to rewind" in err
    code, _, err = _cli(capsys, "workshop", "sheet", sid, "--team", "Zulu")
    assert code == 1 and "unknown team 'Zulu'" in err


def test_parallel_export_writes_each_teams_debrief(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two teams: each debrief renders its figures (matplotlib), which takes a few seconds.
    code, sid, err = _cli(
        capsys, "workshop", "new", "--scenario", "tutorial", "--teams", "Alpha,Bravo",
        "--mode", "parallel", "--rounds", "2", "--resolution", str(RESOLUTION),
    )  # fmt: skip
    assert code == 0, err
    sid = sid.strip()
    for round_ in range(2):
        if round_ == 1:  # the debrief replays injected events too
            assert _cli(capsys, "workshop", "inject", sid, "viral_post")[0] == 0
        assert _cli(capsys, "workshop", "resolve", sid, "--keep-course")[0] == 0
    code, out, err = _cli(capsys, "workshop", "export", sid, "-o", str(tmp_path))
    assert code == 0, err
    assert "a debrief report per team" in out
    with (tmp_path / "leaderboard.csv").open() as fh:
        board = {row["team"]: row for row in csv.DictReader(fh)}
    for team in ("Alpha", "Bravo"):
        assert (tmp_path / "teams" / f"{team.lower()}.html").exists()
        debrief = json.loads((tmp_path / "teams" / f"{team.lower()}.json").read_text())
        assert debrief["score"] == float(board[team]["score"])  # the same game, replayed
