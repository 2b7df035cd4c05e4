"""The author-facing commands: validate, schema, list and new."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from engine.lint import lint
from engine.loader import load_scenario
from engine.scenario_format import upgrade_note
from engine.yaml_positions import read_yaml
from game.cli import main
from game.commands import list as list_command
from game.paths import bundled_scenarios, bundled_scenarios_dir

FIXTURES = Path(__file__).parent / "fixtures"


def _ok_lines(path: Path) -> list[str]:
    """What validate prints for a valid file: OK, the note when it is in an older format, then
    its lint warnings."""
    scenario = load_scenario(path)
    note = [upgrade_note(str(path), list(scenario.upgraded))] if scenario.upgraded else []
    warnings = [w.text(str(path)) for w in lint(scenario, read_yaml(path.read_text()))]
    return [f"OK {path} ({scenario.title})", *note, *warnings]


def test_validate_good_folder_prints_ok_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(FIXTURES / "good")]) == 0
    out = capsys.readouterr().out.splitlines()
    good = sorted((FIXTURES / "good").glob("*.yaml"))
    assert out[:-1] == [line for p in good for line in _ok_lines(p)]
    assert out[-1].startswith(f"{len(good)} valid, 0 invalid")


def test_validate_bundled_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *map(str, bundled_scenarios())]) == 0
    assert capsys.readouterr().out.count("\nOK ") + 1 == len(bundled_scenarios())


def test_validate_bad_file_prints_one_line_per_problem(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "bad" / "unknown_key.yaml"
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:11:5: segments[everyone].weights: required field is missing",
        f"{path}:15:5: segments[everyone].wieghts: unknown key 'wieghts' (did you mean 'weights'?)",
    ]


def test_validate_mixed_files_exit_1_and_count(capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = FIXTURES / "good" / "minimal.yaml", FIXTURES / "bad" / "sexagesimal.yaml"
    assert main(["validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == _ok_lines(good)  # minimal.yaml is format 1: OK and the note
    assert out[2].startswith(f"{bad}:25:16: firms[player].products[app].price: ")
    assert out[-1] == "1 valid, 1 invalid"


def test_validate_every_bad_fixture_never_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(FIXTURES / "bad")]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert captured.out.splitlines()[-1].startswith("0 valid, ")


def test_validate_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "/no/such/file.yaml"]) == 2
    assert (
        capsys.readouterr().err
        == "crossroads validate: no such file or folder: /no/such/file.yaml\n"
    )
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2


def test_validate_empty_folder_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["validate", str(tmp_path)]) == 2
    assert "no *.yaml" in capsys.readouterr().err


def _crossroads(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    code = "import sys; from game.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def test_exit_codes_in_a_real_process(tmp_path: Path) -> None:
    binary = tmp_path / "junk.yaml"
    binary.write_bytes(bytes(range(256)) * 4)
    assert _crossroads("validate", str(bundled_scenarios_dir())).returncode == 0
    bad = _crossroads("validate", str(FIXTURES / "bad" / "python_tag.yaml"), str(binary))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert len(bad.stdout.splitlines()) == 3  # two problems and the summary line
    assert _crossroads("validate").returncode == 2
    assert _crossroads("validate", str(tmp_path / "nope.yaml")).returncode == 2


def test_schema_prints_draft07_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "Segment" in schema["definitions"]


def test_schema_writes_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "s.json"
    assert main(["schema", "-o", str(target)]) == 0
    committed = (bundled_scenarios_dir() / "scenario.schema.json").read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == committed
    assert main(["schema", "-o", str(tmp_path / "missing" / "s.json")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_list_shows_every_bundled_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "ROLES", "QUARTERS", "DIFFICULTY"]
    assert len(lines) == 1 + len(bundled_scenarios())
    tutorial = load_scenario(bundled_scenarios()[0])
    assert lines[1].startswith(f"{tutorial.id}  ") and tutorial.title in lines[1]
    assert lines[1].split()[-2:] == [str(tutorial.quarters), tutorial.difficulty]
    assert lines[1][lines[0].index("TITLE") :].startswith(tutorial.title)  # aligned columns


def test_list_reports_an_invalid_bundled_scenario(monkeypatch, tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text((FIXTURES / "bad" / "unknown_key.yaml").read_text(encoding="utf-8"))
    good = bundled_scenarios()[0]
    monkeypatch.setattr("game.paths.bundled_scenarios", lambda: [good, broken])
    assert list_command.rows()[1][:2] == (
        "broken",
        f"INVALID: 2 problems (crossroads validate {broken})",
    )
    assert main(["list"]) == 1
    assert "INVALID: 2 problems" in capsys.readouterr().out


def test_new_writes_a_starter_that_validates(tmp_path: Path, capsys) -> None:
    assert main(["new", "Cloud-pricing", "-o", str(tmp_path / "mine")]) == 0
    written = tmp_path / "mine" / "Cloud-pricing.yaml"
    scenario = load_scenario(written)
    assert (scenario.id, scenario.title) == ("cloud_pricing", "Cloud pricing")
    assert main(["validate", str(written)]) == 0


def _schema_reference(scenario: Path) -> Path:
    """The schema file a scenario's first line points editors at (relative to the file)."""
    first = scenario.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    reference = first.removeprefix(prefix)
    assert "://" not in reference and not Path(reference).is_absolute()
    return scenario.parent / reference


def test_new_writes_a_schema_reference_that_moves_with_the_folder(tmp_path: Path, capsys) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    assert main(["new", "mine", "-o", str(tmp_path / "a")]) == 0
    assert f"wrote {tmp_path / 'a' / 'scenario.schema.json'}" in capsys.readouterr().out
    (tmp_path / "elsewhere").mkdir()
    moved = (tmp_path / "a").rename(tmp_path / "elsewhere" / "shared")
    schema_file = _schema_reference(moved / "mine.yaml")
    committed = (bundled_scenarios_dir() / "scenario.schema.json").read_text(encoding="utf-8")
    assert schema_file.read_text(encoding="utf-8") == committed
    schema = json.loads(committed)
    data = yaml.safe_load((moved / "mine.yaml").read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft7Validator(schema).iter_errors(data))
    for bundled in bundled_scenarios():  # the bundled scenarios use the same reference
        assert _schema_reference(bundled).is_file()


def test_new_keeps_a_current_schema_and_updates_a_stale_one(tmp_path: Path, capsys) -> None:
    assert main(["new", "first", "-o", str(tmp_path)]) == 0
    schema_file = tmp_path / "scenario.schema.json"
    current = schema_file.read_text(encoding="utf-8")
    assert main(["new", "second", "-o", str(tmp_path)]) == 0
    assert "schema" not in capsys.readouterr().out.splitlines()[-1]  # kept, nothing said
    schema_file.write_text("{}", encoding="utf-8")
    assert main(["new", "third", "-o", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"updated {schema_file}")
    assert schema_file.read_text(encoding="utf-8") == current


def test_new_warns_when_the_schema_cannot_be_written(tmp_path: Path, capsys) -> None:
    (tmp_path / "scenario.schema.json").mkdir()  # a folder in the way
    assert main(["new", "mine", "-o", str(tmp_path)]) == 0
    assert load_scenario(tmp_path / "mine.yaml").id == "mine"
    assert "warning: cannot write the editor schema" in capsys.readouterr().err


def test_schema_help_hides_developer_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["schema", "--help"])
    shown = capsys.readouterr().out
    assert "--output" in shown and "--write-all" not in shown


def test_new_refuses_to_overwrite_and_bad_names(tmp_path: Path, capsys) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("keep me")
    assert main(["new", "mine", "-o", str(tmp_path)]) == 1
    assert target.read_text() == "keep me"
    for name in ("../escape", "9lives", "has space", "x" * 41, ""):
        assert main(["new", name, "-o", str(tmp_path)]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]
    assert "already exists" in capsys.readouterr().err


def test_an_unexpected_loader_failure_is_one_line_not_a_traceback(monkeypatch, capsys) -> None:
    def broken(path: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("engine.loader.load_scenario", broken)
    path = FIXTURES / "good" / "minimal.yaml"
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path}: internal error while checking (RuntimeError); please report it\n"
    )
    assert main(["list"]) == 1
    assert "INVALID: internal error (RuntimeError)" in capsys.readouterr().out
