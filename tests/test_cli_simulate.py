"""``crossroads simulate``: table, JSON and CSV output, and one-line usage errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from market_scenarios import TUTORIAL

from game.cli import main


@pytest.fixture
def small_tutorial(tmp_path: Path) -> Path:
    data = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    for seg in data["segments"]:
        seg["resolution"] = 300
    path = tmp_path / "tutorial_small.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_simulate_prints_table_and_writes_json_and_csv(
    small_tutorial: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_json, out_csv = tmp_path / "run.json", tmp_path / "run.csv"
    code = main(
        [
            "simulate",
            str(small_tutorial),
            "--bot",
            "random",
            "--seed",
            "3",
            "--turns",
            "3",
            "--json",
            str(out_json),
            "--csv",
            str(out_csv),
        ]
    )
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["Q", "revenue", "profit"]
    assert len(lines) == 2 + 3
    doc = json.loads(out_json.read_text())
    assert (doc["scenario"], doc["seed"], doc["bot"], doc["role"]) == (
        "tutorial",
        3,
        "random",
        "pm",
    )
    assert [q["quarter"] for q in doc["quarters"]] == [1, 2, 3]
    firm = doc["quarters"][0]["firms"]["player"]
    for key in (
        "revenue",
        "profit",
        "cash",
        "customers",
        "share",
        "share_by_segment",
        "satisfaction",
        "nps",
    ):
        assert key in firm
    prod = doc["quarters"][0]["products"]["teamboard"]
    assert prod["firm"] == "player" and set(prod["attributes"]) == {
        "usability",
        "integrations",
        "reliability",
    }
    assert set(prod["customers_by_segment"]) == {"smb", "mid", "agency"}
    assert doc["quarters"][0]["events"] == []
    assert doc["quarters"][0]["drivers"][0]["drivers"]
    rows = list(csv.DictReader(out_csv.open()))
    assert len(rows) == 4 * 3  # quarters 0-3, three firms
    assert float(rows[-1]["cash"]) == pytest.approx(
        doc["quarters"][-1]["firms"]["stackworks"]["cash"]
    )


def test_simulate_by_bundled_id_in_cpo_role(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "tutorial", "--role", "cpo", "--turns", "1"]) == 0
    assert "Planly share" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no_such_scenario"], "no scenario file or bundled id 'no_such_scenario'"),
        (["tutorial", "--bot", "psychic"], "unknown bot 'psychic' (known: "),
        (["tutorial", "--turns", "0"], "--turns must be between 1 and 12, not 0"),
        (["tutorial", "--seed", "-1"], "seed must be between"),
        (["tutorial", "--takeover", "hold"], "--takeover takes QUARTER:BOT, e.g. 7:hold"),
        (["tutorial", "--takeover", "13:hold"], "--takeover quarter must be between 1 and 12"),
        (["tutorial", "--takeover", "7:psychic"], "unknown bot 'psychic' in --takeover"),
        (["tutorial", "--takeover", "7:hold", "--turns", "3"], "leave out --turns"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err


def test_invalid_scenario_lists_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: 3\n", encoding="utf-8")
    assert main(["simulate", str(bad)]) == 1
    assert "problem" in capsys.readouterr().err


def test_unwritable_output_is_one_clear_line(
    small_tutorial: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "run.json"
    assert main(["simulate", str(small_tutorial), "--turns", "1", "--json", str(target)]) == 1
    assert "cannot write output" in capsys.readouterr().err


def test_output_is_identical_across_processes(small_tutorial: Path, tmp_path: Path) -> None:
    """Fresh interpreters with different hash seeds write byte-identical JSON."""
    import os
    import subprocess
    import sys

    outputs = []
    for hash_seed in ("1", "2"):
        target = tmp_path / f"run{hash_seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        code = "from game.cli import main; raise SystemExit(main())"
        subprocess.run(
            [
                sys.executable,
                "-c",
                code,
                "simulate",
                str(small_tutorial),
                "--bot",
                "random",
                "--turns",
                "4",
                "--json",
                str(target),
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_takeover_hands_the_game_to_another_bot(
    small_tutorial: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """balanced until Q6, hold from Q7: the same first six quarters as balanced alone, then
    hold's decisions (prices unchanged), and a lower score than balanced all game."""
    assert main(["simulate", str(small_tutorial), "--bot", "balanced", "--takeover", "7:hold"]) == 0
    handed = capsys.readouterr().out
    assert main(["simulate", str(small_tutorial), "--bot", "balanced"]) == 0
    full = capsys.readouterr().out
    assert handed.splitlines()[:8] == full.splitlines()[:8]

    def score(text: str) -> float:
        return float(text.split("Score ")[1].split(" ")[0])

    assert score(handed) < score(full)


def test_simulate_json_carries_colleagues_every_quarter(tmp_path: Path) -> None:
    """The big deal: every quarter names each colleague's trust, the requests to answer, the
    bot's answers and its promises; the scorecard has the collaboration competency."""
    out = tmp_path / "deal.json"
    assert main(["simulate", "alignment", "--bot", "balanced", "--json", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [c["id"] for c in doc["start"]["people"]["player"]["colleagues"]] == [
        "sales",
        "engineering",
        "design",
        "marketing",
    ]
    q1 = doc["quarters"][0]["people"]["player"]
    answered = {r["key"]: r["outcome"] for r in q1["responses"]}
    assert set(answered) == {"sales.northwind", "design.interviews"}
    for quarter in doc["quarters"]:
        people = quarter["people"]["player"]
        assert all(0 <= c["trust"] <= 1 for c in people["colleagues"])
        assert {"requests", "responses", "promises", "consequences"} <= set(people)
    final = doc["quarters"][-1]["people"]["player"]["promises"]
    assert final and all(p["status"] == "kept" for p in final)
    assert "collaboration" in doc["competencies"]


def test_simulate_company_mode_puts_a_bot_in_every_seat(tmp_path: Path) -> None:
    """``--role company``: the CPO seat and a PM seat per line, each with its bot; the JSON
    carries each seat's decisions per quarter and equals the engine's own company play."""
    from engine import company_mode
    from engine.loader import load_scenario
    from engine.simulation import Simulation

    out = tmp_path / "company.json"
    args = ["simulate", "portfolio", "--role", "company", "--bot", "balanced", "--turns", "2"]
    args += ["--seat", "pm:tutor=random", "--seat", "pm:exam_prep=ai", "--json", str(out)]
    assert main(args) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    seats = {"cpo": "balanced", "pm:classroom": "balanced", "pm:tutor": "random"}
    assert doc["role"] == "company" and doc["seats"] == {**seats, "pm:exam_prep": "ai"}
    assert set(doc["quarters"][0]["seats"]) == {"cpo", "pm:classroom", "pm:tutor"}
    sim = Simulation(load_scenario("scenarios/portfolio.yaml"), role="cpo")
    played = company_mode.play(sim, seats, 2)
    expected = json.loads(json.dumps([t.report.to_dict() for t in played]))
    assert [
        {k: v for k, v in q.items() if k not in ("seats", "flags")} for q in doc["quarters"]
    ] == (expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["portfolio", "--seat", "cpo=random"], "--seat needs --role company"),
        (["portfolio", "--role", "company", "--seat", "pm:nope=random"], "no line 'nope'"),
        (["portfolio", "--role", "company", "--seat", "cpo=ai"], "unknown bot 'ai' in --seat"),
        (["portfolio", "--role", "company", "--seat", "tutor"], "--seat takes SEAT=BOT"),
        (["alignment", "--role", "company"], "role 'cpo' is not offered by 'alignment'"),
    ],
)
def test_bad_seats_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", *args]) == 2
    assert message in capsys.readouterr().err
