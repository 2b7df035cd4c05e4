"""``crossroads play`` arguments: bad input is a one-line message and an exit code."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from game.cli import main


@pytest.mark.parametrize(
    "argv, code, words",
    [
        (["play", "no_such_scenario"], 2, "no scenario file or id 'no_such_scenario'"),
        (["play", "--window", "800x600"], 2, "smaller than the minimum 1280x720"),
        (["play", "--window", "big"], 2, "is not WIDTHxHEIGHT"),
        (["play", "--role", "ceo"], 2, "invalid choice"),
        (["play", "--frames", "0"], 2, "--frames must be 1-100000, not 0"),
        (["play", "--screenshot", "x.png"], 2, "--screenshot needs --frames"),
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


def _play_in_a_process(tmp_path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``crossroads play ...`` in its own process: the window's pygame.quit() at the end must
    not reach the fonts the other UI tests of this process share."""
    env = {**os.environ, "CROSSROADS_HOME": str(tmp_path / "home")}
    env |= {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    code = f"from game.cli import main; raise SystemExit(main({['play', *argv]!r}))"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_frames_draws_the_title_and_saves_the_last_frame(tmp_path):
    """``--frames N --screenshot FILE``: the smoke test the frozen build runs in CI."""
    import pygame

    shot = tmp_path / "title.png"
    done = _play_in_a_process(tmp_path, "--frames", "3", "--screenshot", str(shot))
    assert done.returncode == 0, done.stderr
    image = pygame.image.load(str(shot))
    assert image.get_size() == (1280, 720)
    # the title's Play button (the one amber control) is drawn in the middle
    assert image.get_at((640, 307))[:3] != image.get_at((40, 40))[:3]


def test_a_screenshot_that_cannot_be_written_is_one_line(tmp_path):
    target = tmp_path / "missing" / "folder" / "title.png"
    done = _play_in_a_process(tmp_path, "--frames", "1", "--screenshot", str(target))
    assert done.returncode == 1
    assert "cannot save the screenshot" in done.stderr and "Traceback" not in done.stderr
