"""``crossroads play`` arguments: bad input is a one-line message and an exit code."""

from __future__ import annotations

import pytest

from game.cli import main


@pytest.mark.parametrize(
    "argv, code, words",
    [
        (["play", "no_such_scenario"], 2, "no scenario file or id 'no_such_scenario'"),
        (["play", "--window", "800x600"], 2, "smaller than the minimum 1280x720"),
        (["play", "--window", "big"], 2, "is not WIDTHxHEIGHT"),
        (["play", "--role", "ceo"], 2, "invalid choice"),
    ],
)
def test_bad_arguments_exit_with_a_message(capsys, argv, code, words):
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(main(argv))
    assert exc.value.code == code
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_invalid_scenario_file_lists_its_problems(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n")
    assert main(["play", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "has errors" in err and "title" in err


def test_role_not_offered_is_refused(capsys, tmp_path):
    from game import paths

    text = next(p for p in paths.bundled_scenarios() if p.stem == "tutorial").read_text()
    own = tmp_path / "pm_only.yaml"
    own.write_text(text.replace("roles: [pm, cpo]", "roles: [pm]"))
    assert main(["play", str(own), "--role", "cpo"]) == 2
    assert "role 'cpo' is not offered" in capsys.readouterr().err
