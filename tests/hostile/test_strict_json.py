"""Files the game reads back are strict JSON: NaN and Infinity are damage, never numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from game.files import read_json
from game.saves import SaveError, read_save


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_read_json_refuses_non_standard_numbers(tmp_path: Path, token: str) -> None:
    path = tmp_path / "doc.json"
    path.write_text(f'{{"seed": {token}}}', encoding="utf-8")
    with pytest.raises(ValueError, match="strict JSON"):
        read_json(path, 1000)
    path.write_text('{"seed": 7}', encoding="utf-8")
    assert read_json(path, 1000) == {"seed": 7}


def test_a_save_holding_infinity_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "autosave.json"
    path.write_text('{"format": "crossroads-save", "version": 2, "seed": Infinity}', "utf-8")
    with pytest.raises(SaveError) as caught:
        read_save(path)
    assert "damaged" in str(caught.value) and "\n" not in str(caught.value)


def test_report_refuses_a_simulate_file_holding_nan(tmp_path: Path, capsys) -> None:
    run = tmp_path / "run.json"
    assert main(["simulate", "tutorial", "--turns", "1", "--json", str(run)]) == 0
    doc = json.loads(run.read_text(encoding="utf-8"))
    text = json.dumps(doc).replace(str(doc["seed"]), "NaN", 1)
    run.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["report", str(run), "-o", str(tmp_path / "r.html")]) == 1
    err = capsys.readouterr().err
    assert "not readable JSON" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
