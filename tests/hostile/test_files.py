"""Hostile files: damaged, huge, strange or misplaced files are refused in one line.

Every fixture is made here, inside the test's own ``CROSSROADS_HOME`` (see tests/conftest.py).
Each test reproduces one finding of the hardening issue; none of them may end in a traceback.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from game.cli import main
from game.files import FileRefused, read_bytes, read_text
from game.saves import SaveError, autosave_path, clean_stale_temporaries, read_save, saves_dir
from game.workshop import store as store_module
from game.workshop.session import WorkshopSession, list_sessions, scan_sessions, workshops_dir

sys.path.insert(0, str(Path(__file__).parent.parent / "ui"))

TEAMS = "Red,Green"


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _new(capsys: pytest.CaptureFixture[str], *extra: str, teams: str = TEAMS) -> tuple[int, str]:
    code, out, err = _cli(
        capsys, "workshop", "new", "--scenario", "tutorial", "--teams", teams,
        "--mode", "shared", *extra,
    )  # fmt: skip
    return code, (out if code == 0 else err).strip()


def _leftovers() -> list[str]:
    return sorted(p.name for p in workshops_dir().iterdir())


def _one_line(message: str) -> str:
    assert "\n" not in message.strip(), message
    return message


# ---------------------------------------------------------------------- 1. session options
@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--resolution", "1000000000"), "resolution must be from 10 to"),
        (("--resolution", "5"), "resolution must be from 10 to"),
        (("--timer", str(10**30)), "round timer must be from 1 second"),
        (("--timer", "0"), "round timer must be from 1 second"),
        (("--seed", str(2**63)), "seed must be a whole number"),
        (("--seed", "-1"), "seed must be a whole number"),
        (("--rounds", "0"), "rounds must be between 1 and"),
        (("--rounds", "10000"), "rounds must be between 1 and"),
    ],
)
def test_out_of_range_options_are_refused_and_leave_nothing(capsys, extra, words) -> None:
    code, err = _new(capsys, *extra)
    assert code == 1 and words in err
    assert _leftovers() == []


@pytest.mark.parametrize(
    ("teams", "words"),
    [
        ("Solo", "between 2 and 12 teams"),
        (",".join(f"T{i}" for i in range(13)), "between 2 and 12 teams"),
        ("Red,Gre\x1ben", "printable"),
        ("Red,Gr\teen", "printable"),
        ("Red," + "x" * 41, "at most 40 characters"),
        ("Red, red ", "must be different"),
        ("Red,  ", "cannot be empty"),
    ],
)
def test_bad_team_lists_are_refused(capsys, teams, words) -> None:
    code, err = _new(capsys, teams=teams)
    assert code == 1 and words in err
    assert _leftovers() == []


def test_team_name_with_a_newline_is_refused() -> None:
    from game.workshop.session import WorkshopError

    text = (Path(__file__).parents[2] / "scenarios" / "tutorial.yaml").read_text()
    with pytest.raises(WorkshopError, match="printable"):
        WorkshopSession.create(text, teams=["Red", "Gr\neen"], mode="shared")
    assert _leftovers() == []


def test_names_are_trimmed_and_the_limits_are_inclusive(capsys) -> None:
    teams = ",".join(["  Red  ", "x" * 40] + [f"T{i}" for i in range(10)])
    code, sid = _new(capsys, "--timer", str(24 * 3600), "--resolution", "10", teams=teams)
    assert code == 0, sid
    session = WorkshopSession.open(sid)
    assert session.teams[:2] == ["Red", "x" * 40] and len(session.teams) == 12
    session.close()


def test_a_full_disk_on_new_leaves_no_creating_file(capsys, monkeypatch) -> None:
    real = store_module._connect

    def full(path: Path) -> sqlite3.Connection:
        real(path).close()  # the file exists, as it would when the disk fills mid-way
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_module, "_connect", full)
    code, err = _new(capsys)
    assert code == 1 and "the disk is full" in _one_line(err)
    assert _leftovers() == []


def test_the_new_session_screen_refuses_huge_numbers() -> None:
    from game.scenes.workshop.new import _whole

    assert _whole("42") and _whole(" 9223372036854775807 ")
    assert not _whole("9" * 20) and not _whole("-1") and not _whole("１２")


# ---------------------------------------------------------------------- 2. damaged files
def _good_session(capsys) -> str:
    code, sid = _new(capsys, "--resolution", "50")
    assert code == 0, sid
    return sid


def _damaged_copies(sid: str) -> list[Path]:
    """Three damaged copies of a good session: a non-UTF-8 team, no session row, bad bytes."""
    good = workshops_dir() / f"{sid}.sqlite"
    made = []
    for name, sql in [
        ("ws-badutf8", "UPDATE team SET name = CAST(x'ff00fe41' AS TEXT) WHERE idx = 0"),
        ("ws-norow", "DELETE FROM session"),
    ]:
        path = workshops_dir() / f"{name}.sqlite"
        path.write_bytes(good.read_bytes())
        db = sqlite3.connect(path)
        db.execute(sql)
        db.commit()
        db.close()
        made.append(path)
    noise = workshops_dir() / "ws-noise.sqlite"
    data = bytearray(good.read_bytes())
    for i in range(200, len(data), 97):
        data[i] ^= 0x5A
    noise.write_bytes(bytes(data))
    made.append(noise)
    return made


def test_workshop_list_names_damaged_files_and_lists_the_rest(capsys) -> None:
    sid = _good_session(capsys)
    damaged = _damaged_copies(sid)
    code, out, listed = _cli(capsys, "workshop", "list")
    assert code == 0 and sid in out
    skipped = [line for line in listed.splitlines() if "skipped" in line]
    assert len(skipped) == len(damaged)
    for path in damaged:
        assert path.name in listed
        code, _, err = _cli(capsys, "workshop", "status", path.stem)
        assert code == 1 and _one_line(err)
    summaries, bad = scan_sessions()
    assert [s.id for s in summaries] == [sid] and len(bad) == 3


def test_workshop_menu_survives_damaged_files(capsys, app) -> None:
    from helpers import click, texts

    sid = _good_session(capsys)
    _damaged_copies(sid)
    click(app, "Workshop")
    assert app.top.name == "workshop_menu"
    shown = texts(app)
    assert sid in shown and "Skipped 3 damaged file(s)" in shown


def _autosave() -> dict:
    from game.session import Session, list_scenarios

    session = Session(list_scenarios()[0], "pm", 11)
    session.product_draft("teamboard").price = 281.0
    session.end_quarter()
    return json.loads(autosave_path().read_text())


def _renamed_firm(raw: dict) -> str:
    raw["decisions"][0] = {"rival": raw["decisions"][0]["player"]}
    return json.dumps(raw)


def _huge_hires(raw: dict) -> str:
    raw["decisions"][0]["player"]["products"]["teamboard"]["hires"] = 1e30
    return json.dumps(raw)


def _long_seed(raw: dict) -> str:
    return json.dumps(raw).replace('"seed": 11', '"seed": ' + "9" * 5000)


def _deep(raw: dict) -> str:
    return json.dumps(raw)[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"


DAMAGE = {
    "renamed firm": (_renamed_firm, "no decisions for firm 'player'"),
    "hires 1e30": (_huge_hires, "teamboard.hires"),
    "5000-digit seed": (_long_seed, "damaged"),
    "100000 deep": (_deep, "damaged"),
    "seed 2**64": (lambda raw: json.dumps({**raw, "seed": 2**64}), "seed is"),
    "price text": (
        lambda raw: _huge_hires(raw).replace("1e+30", '"cheap"'),
        "player.products.teamboard.hires",
    ),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_autosave_is_refused_in_one_line(kind, app, tmp_path, capsys) -> None:
    from helpers import click, frames, press, texts

    from game.scenes.title import TitleScene

    damage, words = DAMAGE[kind]
    autosave_path().write_text(damage(_autosave()))
    from game.session import Session

    with pytest.raises(SaveError, match=words) as caught:
        Session.from_save()
    _one_line(str(caught.value))
    app.reset_to(TitleScene(app))
    frames(app, 1)
    click(app, "Continue")
    assert app.top.name == "dialog" and "Cannot continue" in texts(app)
    press(app, 13)  # Enter
    code, _, err = _cli(capsys, "report", str(autosave_path()), "-o", str(tmp_path / "r.html"))
    assert code == 1 and _one_line(err)


def test_version_as_text_says_what_is_wrong() -> None:
    raw = _autosave()
    raw["version"] = "1"
    autosave_path().write_text(json.dumps(raw))
    with pytest.raises(SaveError, match=r'format version is "1", not a whole number'):
        read_save(autosave_path())


def test_absurd_settings_fall_back_to_defaults() -> None:
    from game.settings import Settings, load_settings, settings_path

    for text in (
        '{"width": 1e400}',
        '{"width": "wide", "height": [1], "fullscreen": "no", "text_scale": NaN}',
        "[" * 100_000,
        '{"width": ' + "9" * 5000 + "}",
    ):
        settings_path().write_text(text)
        assert load_settings() == Settings()
    settings_path().write_text('{"width": 1e400, "height": 900}')
    assert load_settings().size == (1280, 900)


# ---------------------------------------------------------------------- 3. unbounded reads
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_the_reader_refuses_devices_fifos_folders_and_big_files(tmp_path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 2048)
    cases = {link: "not a regular file", fifo: "not a regular file", tmp_path: "folder"}
    cases[big] = "the limit is"
    for path, words in cases.items():
        with pytest.raises(FileRefused, match=words):
            read_bytes(path, 1024)
    with pytest.raises(FileRefused, match="is a link"):
        read_bytes(link, 1024, follow=False)
    assert read_text(big, 4096) == "x" * 2048


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_user_scenarios_that_are_devices_or_fifos_are_listed_as_problems() -> None:
    from game.paths import user_scenarios_dir
    from game.session import list_scenarios

    (user_scenarios_dir() / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(user_scenarios_dir() / "pipe.yaml")
    started = time.monotonic()
    own = {e.path.name: e for e in list_scenarios() if not e.bundled}
    assert time.monotonic() - started < 30
    assert (
        own["zero.yaml"].scenario is None and "not a regular file" in own["zero.yaml"].problems[0]
    )
    assert (
        own["pipe.yaml"].scenario is None and "not a regular file" in own["pipe.yaml"].problems[0]
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_save_pointing_at_dev_zero_is_refused(capsys, tmp_path) -> None:
    raw = _autosave()
    raw["version"] = 1
    del raw["scenario"]["text"]
    raw["scenario"]["path"] = "/dev/zero"
    autosave_path().write_text(json.dumps(raw))
    from game.session import Session

    with pytest.raises(SaveError, match="cannot be loaded"):
        Session.from_save()
    zero = tmp_path / "save.json"
    zero.symlink_to("/dev/zero")
    with pytest.raises(SaveError, match="not a regular file"):
        read_save(zero)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    code, _, err = _cli(capsys, "report", str(fifo), "-o", str(tmp_path / "r.html"))
    assert code in (1, 2) and _one_line(err)


def test_workshop_new_refuses_a_fifo_scenario(capsys, tmp_path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    code, err = _new(capsys, "--scenario", str(fifo))
    assert code in (1, 2) and _one_line(err)
    assert _leftovers() == []


# ---------------------------------------------------------------------- 4. paths
def _foreign_db(path: Path) -> bytes:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.execute("INSERT INTO notes VALUES ('mine')")
    db.commit()
    db.close()
    return path.read_bytes()


def test_path_tricks_leave_files_outside_the_data_folder_untouched(capsys, tmp_path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "x.sqlite"
    before = _foreign_db(victim)
    stamp = victim.stat().st_mtime_ns
    rel = os.path.relpath(outside / "x", workshops_dir())
    for sid in (rel, str(outside / "x"), "../x", "ws/../../x", ".hidden", "x" * 65, "a b"):
        for action in ("status", "resolve", "rewind", "export"):
            argv = ["workshop", action, sid] + (
                ["-o", str(tmp_path / "o")] if action == "export" else []
            )
            code, _, err = _cli(capsys, *argv)
            assert code == 1 and "not a session id" in _one_line(err)
    assert victim.read_bytes() == before and victim.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in outside.iterdir()) == ["x.sqlite"]
    assert not (tmp_path / "o").exists()


def test_a_foreign_sqlite_file_is_refused_without_being_changed(capsys) -> None:
    foreign = workshops_dir() / "ws-foreign.sqlite"
    before = _foreign_db(foreign)
    code, _, err = _cli(capsys, "workshop", "status", "ws-foreign")
    assert code == 1 and "not a readable workshop file" in _one_line(err)
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in workshops_dir().iterdir()) == ["ws-foreign.sqlite"]
    db = sqlite3.connect(f"{foreign.as_uri()}?mode=ro", uri=True)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()


def test_a_session_file_that_is_a_link_is_refused(capsys, tmp_path) -> None:
    victim = tmp_path / "elsewhere.sqlite"
    before = _foreign_db(victim)
    (workshops_dir() / "ws-link.sqlite").symlink_to(victim)
    code, _, err = _cli(capsys, "workshop", "status", "ws-link")
    assert code == 1 and "is a link" in _one_line(err)
    assert victim.read_bytes() == before


def test_a_save_resumes_from_another_folder(tmp_path, monkeypatch) -> None:
    from game.session import Session, read_scenario

    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    tutorial = Path(__file__).parents[2] / "scenarios" / "tutorial.yaml"
    (here / "my.yaml").write_text(tutorial.read_text())
    monkeypatch.chdir(here)
    session = Session(read_scenario(Path("my.yaml"), bundled=False), "pm", 5)
    session.end_quarter()
    raw = json.loads(autosave_path().read_text())
    assert raw["scenario"]["path"] == str(here / "my.yaml")
    monkeypatch.chdir(there)
    (here / "my.yaml").unlink()  # the copy in the save is enough
    assert Session.from_save().log == session.log


# ---------------------------------------------------------------------- 5. small ones
def test_stale_temporary_files_are_cleaned_on_start(monkeypatch) -> None:
    folder = saves_dir()
    stale = folder / ".autosave.json.k1ll3d.tmp"
    fresh = folder / ".autosave.json.wr1t1ng.tmp"
    other = folder / "notes.tmp"
    for path in (stale, fresh, other):
        path.write_text("{")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert clean_stale_temporaries(folder) == 1
    assert not stale.exists() and fresh.exists() and other.exists()
    from game.commands.play import _clean_stale_files

    os.utime(fresh, (old, old))
    _clean_stale_files()
    assert not fresh.exists()


def test_read_only_or_full_disks_are_named(capsys, monkeypatch) -> None:
    sid = _good_session(capsys)

    def readonly(path: Path) -> sqlite3.Connection:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    with monkeypatch.context() as patch:
        patch.setattr(store_module, "_connect", readonly)
        code, _, err = _cli(capsys, "workshop", "status", sid)
    assert code == 1 and "permission denied" in _one_line(err)
    assert "not a readable" not in err

    def denied(path: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    with monkeypatch.context() as patch:
        patch.setattr(os, "scandir", denied)
        code, out, err = _cli(capsys, "workshop", "list")
    assert code == 1 and "permission denied" in _one_line(err)
    assert "no workshop sessions" not in out
    assert [s.id for s in list_sessions()] == [sid]


@pytest.fixture
def app():
    """A 1280×720 game on the title screen (as in tests/ui)."""
    from game.app import App
    from game.scenes.title import TitleScene
    from game.settings import Settings

    game = App(Settings(), persist_settings=False)
    game.push(TitleScene(game))
    game.frame(1 / 60)
    yield game
    import pygame

    pygame.event.clear()
