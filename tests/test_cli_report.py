"""``crossroads report``: saves and simulate runs to HTML; one-line errors with exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from market_scenarios import TUTORIAL
from test_debrief import scripted_log

from engine.loader import load_scenario
from engine.whatif import replay
from game.cli import main
from game.saves import SaveData, content_hash, write_save


def small_tutorial_file(folder: Path, resolution: int) -> Path:
    """The tutorial as a file with ``resolution`` synthetic customers per segment (fast)."""
    data = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    for seg in data["segments"]:
        seg["resolution"] = resolution
    path = folder / "tutorial_small.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_tutorial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_tutorial_file(tmp_path_factory.mktemp("scenarios"), 300)


@pytest.fixture(scope="module")
def run_json(small_tutorial: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "run.json"
    args = ["simulate", str(small_tutorial), "--bot", "balanced", "--seed", "7", "--turns", "4"]
    code = main([*args, "--json", str(out)])
    assert code == 0
    return out


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_report_of_a_simulate_run(
    run_json: Path, small_tutorial: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    args = ["report", str(run_json), "-o", str(out), "--scenario", str(small_tutorial)]
    code = main([*args, "--data", "--seeds", "1"])
    assert code == 0, capsys.readouterr().err
    doc = json.loads(run_json.read_text(encoding="utf-8"))
    text = out.read_text(encoding="utf-8")
    assert "played by the balanced bot" in text and "4 of 12 quarters" in text
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["score"] == doc["score"] and report["grade"] == doc["grade"]
    assert [r["revenue"] for r in report["kpis"][1:]] == [
        q["firms"]["player"]["revenue"] for q in doc["quarters"]
    ]
    assert (tmp_path / "report-kpis.csv").is_file()
    assert (tmp_path / "report-decisions.csv").is_file()
    assert f"Score {doc['score']:.1f}" in capsys.readouterr().out


def test_what_if_from_quarter_zero_equals_simulate(run_json: Path, small_tutorial: Path) -> None:
    doc = json.loads(run_json.read_text(encoding="utf-8"))
    scenario = load_scenario(small_tutorial)
    alt = replay(scenario, 7, "pm", scripted_log(4), bot="balanced", from_quarter=0, turns=4)
    assert json.loads(json.dumps([r.to_dict() for r in alt.history[1:]])) == doc["quarters"]
    assert alt.scorecard()["score"] == doc["score"]


def test_report_of_a_save(
    small_tutorial: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save = tmp_path / "game.json"
    write_save(
        save,
        SaveData(
            scenario_id="tutorial",
            scenario_path=str(small_tutorial),
            scenario_hash=content_hash(small_tutorial.read_bytes()),
            seed=3,
            role="pm",
            log=scripted_log(3),
        ),
    )
    out = tmp_path / "save.html"
    assert main(["report", str(save), "-o", str(out), "--no-bots"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "played by you" in text and "price $300 → $270" in text
    assert 'id="luck-or-skill"' not in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not readable JSON"),
        ('{"hello": 1}', "neither a Crossroads save nor"),
        ('{"format": "crossroads-save", "version": 1}', "incomplete or damaged"),
        ('{"format": "crossroads-save", "version": 9}', "another version"),
        ('{"scenario": "tutorial", "bot": "hold", "quarters": []}', "incomplete or damaged"),
    ],
)
def test_bad_inputs_fail_in_one_line(
    content: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    assert main(["report", str(bad), "-o", str(tmp_path / "r.html")]) == 1
    assert message in _error(capsys)
    assert not (tmp_path / "r.html").exists()


def test_damaged_decisions_in_a_run_fail_in_one_line(
    run_json: Path, small_tutorial: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(run_json.read_text(encoding="utf-8"))
    doc["decisions"] = [{"player": {"products": {"teamboard": {"price": "cheap"}}}}]
    bad = tmp_path / "run.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    args = ["report", str(bad), "-o", str(tmp_path / "r.html"), "--scenario", str(small_tutorial)]
    assert main(args) == 1
    assert "damaged decisions" in _error(capsys)


def test_a_run_that_does_not_replay_is_refused(
    run_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Made with the small tutorial; the bundled one (other resolution) replays differently.
    assert main(["report", str(run_json), "-o", str(tmp_path / "r.html"), "--no-bots"]) == 1
    assert "does not replay to the recorded result" in _error(capsys)


def test_usage_errors_exit_2(
    run_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path / "missing.json"), "-o", str(tmp_path / "r.html")]) == 2
    assert "no file" in _error(capsys)
    assert main(["report", str(run_json), "-o", str(tmp_path / "r.pdf")]) == 2
    assert "must be an .html file" in _error(capsys)
    assert main(["report", str(run_json), "-o", str(tmp_path / "r.html"), "--seeds", "-1"]) == 2
    assert "--seeds" in _error(capsys)
    with pytest.raises(SystemExit) as exc:
        main(["report", str(run_json)])
    assert exc.value.code == 2
