"""``crossroads migrate``: old-format files rewritten to mean the same, keeping the author's text.

The fixtures in ``tests/fixtures/format1`` are the bundled scenarios as they were before file
format 2 (``git show a266877:scenarios/NAME.yaml``).
"""

from __future__ import annotations

import difflib
import html
import re
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from engine.loader import ScenarioError, load_scenario, load_scenario_text
from engine.scenario_format import upgrade_note
from game import migration
from game.cli import main
from game.migration import MigrationError, apply_changes, migrate_text
from game.scenario_choice import scenario_and_role

FIXTURES = Path(__file__).parent / "fixtures"
FORMAT1 = sorted((FIXTURES / "format1").glob("*.yaml"))
REMOVED = {"bass_p", "bass_q", "cost_per_point"}  # keys whose value the conversion rewrites
ADDED = REMOVED | {"format", "reconsider", "media_cost", "advertising"}
KEY = re.compile(r"^\s*(?:- )?([a-z_]+):")


def _changed_keys(old: str, new: str) -> tuple[set[str], set[str]]:
    """The keys on the removed and on the added lines of a line diff (other lines as they are)."""
    removed: set[str] = set()
    added: set[str] = set()
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line[:2] in ("- ", "+ "):
            match = KEY.match(line[2:])
            (removed if line[0] == "-" else added).add(match.group(1) if match else line[2:])
    return removed, added


def _copy(path: Path, folder: Path) -> Path:
    target = folder / path.name
    shutil.copyfile(path, target)
    return target


def _no_traceback(captured: pytest.CaptureResult[str]) -> None:
    assert "Traceback" not in captured.out + captured.err


def test_every_format1_fixture_is_a_former_bundled_scenario() -> None:
    assert len(FORMAT1) == 8
    assert all(load_scenario(p).upgraded for p in FORMAT1)


@pytest.mark.parametrize("path", FORMAT1, ids=lambda p: p.stem)
def test_migrated_file_means_the_same_and_keeps_the_authors_text(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy(path, tmp_path)
    original_text = path.read_text(encoding="utf-8")
    converted = load_scenario(path)

    assert main(["migrate", str(copy)]) == 0
    out = capsys.readouterr().out
    assert out == (
        f"{copy}: migrated to format 2 ({'; '.join(converted.upgraded)}); "
        f"the original is in {copy.name}.format1.bak\n"
    )
    migrated_text = copy.read_text(encoding="utf-8")
    migrated = load_scenario(copy)
    assert migrated.upgraded == ()
    assert "\nformat: 2\n" in migrated_text
    assert migrated.model_dump() == converted.model_dump()  # converted on load == migrated
    # every comment line survives, in order
    comments = [line for line in original_text.splitlines() if line.lstrip().startswith("#")]
    kept = [line for line in migrated_text.splitlines() if line.lstrip().startswith("#")]
    assert kept == comments
    # only the converted keys' lines differ; every other line is byte for byte the same
    removed, added = _changed_keys(original_text, migrated_text)
    assert removed <= REMOVED
    assert "format" in added and added <= ADDED
    assert (tmp_path / f"{path.name}.format1.bak").read_bytes() == path.read_bytes()
    # migrating again changes nothing
    assert main(["migrate", str(copy)]) == 0
    assert capsys.readouterr().out == f"{copy}: already format 2, unchanged\n"
    assert copy.read_text(encoding="utf-8") == migrated_text


def test_added_keys_sit_next_to_related_ones() -> None:
    text = (FIXTURES / "format1" / "tutorial.yaml").read_text(encoding="utf-8")
    result = migrate_text(text, "tutorial.yaml").text
    assert result is not None
    lines = result.splitlines()
    assert lines[lines.index("id: tutorial") + 1] == "format: 2"
    first = lines.index("    bass_p: 0.032")  # 0.008 per quarter
    assert lines[first : first + 3] == [
        "    bass_p: 0.032",
        "    bass_q: 0.48",
        "    reconsider: 0",
    ]
    assert "    media_cost: 4" in lines  # 60,000 SMB / 15,000 mid-market
    assert "  cost_per_point: 333.333" in lines  # 20,000 per point / 60 thousand people


LAYOUT = """\
# odd layout
id:    odd      # spaced
title: 'Odd'
summary: Odd layout.
briefing: Odd.
roles: [pm]
attributes:
- id: ease
  name: Ease
segments:
- id: big
  name: Big
  size:   1000000000
  bass_q: 0.1   # imitation
  # the ideal point
  ideal: {ease: 0.5}
  weights: {ease: 1.0}
  reference_price: 100
- id: small
  name: Small
  size: 4_000
  ideal: {ease: 0.5}
  weights: {ease: 1.0}
  reference_price: 100

# the firms
firms:
- id: player
  name: Us
  controller: player
  products:
  - id: app
    name: App
    attributes: {ease: 0.5}
    price: 100
    team: {engineers: 3}
objectives:
- id: share
  description: Some share
  kpi: share
  target: 0.1
advertising:
  cost_per_point: 1
  # last words
"""


def test_unusual_layout_is_kept_and_only_converted_lines_change() -> None:
    result = migrate_text(LAYOUT, "odd.yaml").text
    assert result is not None
    removed, added = _changed_keys(LAYOUT, result)
    assert removed == {"bass_q", "cost_per_point"}
    assert added == {"format", *REMOVED, "reconsider", "media_cost"}
    lines = result.splitlines()
    assert lines[1:3] == ["id:    odd      # spaced", "format: 2"]  # spacing kept
    assert "  size:   1000000000" in lines
    assert "  bass_q: 0.4   # imitation" in lines  # the end-of-line comment stays
    # a comment above a key stays above it when keys are added before that key
    assert lines[lines.index("  ideal: {ease: 0.5}") - 1] == "  # the ideal point"
    assert lines[lines.index("  # the ideal point") - 1] == "  reconsider: 0"
    # 1 per point / a million people: written as decimals YAML 1.1 reads as a number
    assert lines[-2:] == ["  cost_per_point: 0.000001", "  # last words"]
    assert "  media_cost: 250000" in lines
    assert load_scenario_text(result).model_dump() == load_scenario_text(LAYOUT).model_dump()


FOUR_SPACES = """\
id: four
title: Four
summary: Four spaces.
briefing: Four.
roles: [pm]
attributes:
    - id: ease
      name: Ease
segments:
    - id: everyone
      name: Everyone
      size: 1000
      ideal: {ease: 0.5}
      weights: {ease: 1.0}
      reference_price: 100
firms:
    - id: player
      name: Us
      controller: player
      products:
          - id: app
            name: App
            attributes: {ease: 0.5}
            price: 100
            team:
                engineers: 3
objectives:
    - id: share
      description: Some share
      kpi: share
      target: 0.1
"""


def test_added_lines_follow_the_files_own_indentation() -> None:
    result = migrate_text(FOUR_SPACES, "four.yaml").text
    assert result is not None
    diff = list(difflib.ndiff(FOUR_SPACES.splitlines(), result.splitlines()))
    assert not [line for line in diff if line.startswith("- ")]
    assert [line[2:] for line in diff if line.startswith("+ ")] == [
        "format: 2",
        "      bass_p: 0.02",
        "      bass_q: 0.4",
        "      reconsider: 0",
        "advertising:",
        "    cost_per_point: 10000",
    ]


def test_line_endings_byte_order_mark_and_last_newline_are_kept(tmp_path: Path, capsys) -> None:
    crlf = LAYOUT.replace("\n", "\r\n").removesuffix("\r\n")
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    assert main(["migrate", "--no-backup", str(path)]) == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and not data.endswith(b"\n")
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == text.count("\n") > LAYOUT.count("\n")
    assert text.replace("\r\n", "\n") + "\n" == migrate_text(LAYOUT, "x").text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["windows.yaml"]  # no backup


def test_merge_keys_are_converted_once() -> None:
    """A segment that merges another (<<: *segment) must not see its values converted twice."""
    path = FIXTURES / "good" / "yaml_features.yaml"
    text = path.read_text(encoding="utf-8")
    result = migrate_text(text, str(path)).text
    assert result is not None
    assert "  - <<: *segment" in result
    assert load_scenario_text(result).model_dump() == load_scenario(path).model_dump()


def test_new_advertising_block_goes_between_blank_line_and_comment() -> None:
    text = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("firms:", "\n# the firms\nfirms:")
    result = migrate_text(text, "minimal.yaml").text
    assert result is not None
    assert "    reference_price: 100\n\nadvertising:\n  cost_per_point: 10000\n\n# the firms\n" in (
        result
    )


def test_check_reports_without_writing(tmp_path: Path, capsys) -> None:
    old = _copy(FIXTURES / "format1" / "price_war.yaml", tmp_path)
    before = old.read_bytes()
    assert main(["migrate", "--check", str(old)]) == 1
    assert capsys.readouterr().out.startswith(f"{old}: needs migrating to format 2 (Bass p and q")
    assert old.read_bytes() == before
    assert main(["migrate", "--no-backup", str(old)]) == 0
    capsys.readouterr()
    assert main(["migrate", "--check", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"{old}: already format 2, unchanged\n"


def test_diff_prints_the_change_without_writing(tmp_path: Path, capsys) -> None:
    old = _copy(FIXTURES / "format1" / "tutorial.yaml", tmp_path)
    before = old.read_bytes()
    assert main(["migrate", "--diff", str(old)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [f"--- {old} (format 1)", f"+++ {old} (migrated)"]
    assert "+format: 2" in out and "-    bass_p: 0.008" in out and "+    bass_p: 0.032" in out
    assert out[-1].startswith(f"{old}: would be migrated to format 2 (")
    assert old.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tutorial.yaml"]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "unknown_key",
            ["2 problems to fix first:", "15:5: segments[everyone].wieghts: unknown key"],
        ),
        ("syntax_error", ["1 problem to fix first:", ":10:", "YAML syntax error"]),
        ("not_utf8", ["1 problem to fix first:", ":3:", "not UTF-8 text (byte 0xe9)"]),
    ],
)
def test_a_broken_file_is_left_alone(
    fixture: str, expected: list[str], tmp_path: Path, capsys
) -> None:
    bad = _copy(FIXTURES / "bad" / f"{fixture}.yaml", tmp_path)
    before = bad.read_bytes()
    assert main(["migrate", str(bad)]) == 1
    captured = capsys.readouterr()
    _no_traceback(captured)
    assert captured.out.startswith(f"{bad}: not migrated: ")
    for fragment in expected:
        assert fragment in captured.out
    assert bad.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [bad.name]


def test_missing_and_unreadable_files_do_not_stop_the_others(tmp_path: Path, capsys) -> None:
    old = _copy(FIXTURES / "format1" / "price_war.yaml", tmp_path)
    (tmp_path / "empty").mkdir()
    args = [str(tmp_path / "nope.yaml"), "/dev/null", str(tmp_path / "empty"), str(old)]
    assert main(["migrate", *args]) == 1
    captured = capsys.readouterr()
    _no_traceback(captured)
    lines = captured.out.splitlines()
    assert lines[:3] == [
        f"{tmp_path / 'nope.yaml'}: not migrated: no such file",
        "/dev/null: not migrated: is not a regular file",
        f"{tmp_path / 'empty'}: not migrated: no *.yaml or *.yml scenario files in folder "
        f"{tmp_path / 'empty'}",
    ]
    assert lines[3].startswith(f"{old}: migrated to format 2")
    assert load_scenario(old).upgraded == ()


def test_file_over_the_size_limit_is_refused(tmp_path: Path, capsys) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"#" * 3_000_000)
    assert main(["migrate", str(huge)]) == 1
    assert capsys.readouterr().out == f"{huge}: not migrated: file is 3.0 MB; the limit is 2.0 MB\n"


def test_backup_keeps_permissions_and_never_overwrites_another(tmp_path: Path, capsys) -> None:
    old = _copy(FIXTURES / "format1" / "price_war.yaml", tmp_path)
    old.chmod(0o640)
    other = tmp_path / "price_war.yaml.format1.bak"
    other.write_text("an older backup")
    assert main(["migrate", str(old)]) == 0
    assert capsys.readouterr().out.endswith("the original is in price_war.yaml.format1.2.bak\n")
    assert other.read_text() == "an older backup"
    backup = tmp_path / "price_war.yaml.format1.2.bak"
    assert backup.read_bytes() == (FIXTURES / "format1" / "price_war.yaml").read_bytes()
    assert stat.S_IMODE(old.stat().st_mode) == stat.S_IMODE(backup.stat().st_mode) == 0o640
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_rewrite_that_would_change_the_meaning_is_refused(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    real = migration.upgrade

    def wrong(data: Any) -> list[str]:
        changes = real(data)  # the real conversion, then a slip
        data["quarters"] = 5
        return changes

    old = _copy(FIXTURES / "format1" / "price_war.yaml", tmp_path)
    before = old.read_bytes()
    monkeypatch.setattr(migration, "upgrade", wrong)
    with pytest.raises(MigrationError, match="would not mean the same"):
        migrate_text(before.decode("utf-8"), str(old))
    assert main(["migrate", str(old)]) == 1
    captured = capsys.readouterr()
    _no_traceback(captured)
    assert "not migrated: the rewritten file would not mean the same scenario" in captured.out
    assert old.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [old.name]


def test_apply_changes_keeps_lines_the_writer_respaced() -> None:
    original = "a:   1\nb: 2\n"
    baseline = "a: 1\nb: 2\n"
    assert apply_changes(original, baseline, "a: 1\nnew: 0\nb: 2\n") == "a:   1\nnew: 0\nb: 2\n"
    assert apply_changes(original, baseline, "a: 1\nb: 3\n") == "a:   1\nb: 3\n"
    # an insertion where the original has lines the writer dropped is ambiguous
    assert apply_changes("a: 1\n---x\nb: 2\n", baseline, "a: 1\nnew: 0\nb: 2\n") is None


def test_current_and_invalid_texts(tmp_path: Path) -> None:
    text = (FIXTURES / "format1" / "price_war.yaml").read_text(encoding="utf-8")
    current = migrate_text(text, "x").text
    assert current is not None
    assert migrate_text(current, "x").text is None
    with pytest.raises(ScenarioError):
        migrate_text(current.replace("format: 2", "format: 3"), "x")


# ------------------------------------------------------------- the note on load


def test_validate_notes_an_old_file_and_still_passes(capsys) -> None:
    path = FIXTURES / "format1" / "price_war.yaml"
    scenario = load_scenario(path)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"OK {path} ({scenario.title})",
        upgrade_note(str(path), list(scenario.upgraded)),
    ]


def test_validate_says_nothing_more_for_a_current_file(tmp_path: Path, capsys) -> None:
    path = _copy(FIXTURES / "format1" / "price_war.yaml", tmp_path)
    assert main(["migrate", "--no-backup", str(path)]) == 0
    capsys.readouterr()
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == f"OK {path} ({load_scenario(path).title})\n"


def test_headless_commands_note_an_old_file_on_stderr(capsys) -> None:
    path = FIXTURES / "format1" / "price_war.yaml"
    chosen = scenario_and_role("simulate", str(path), None)
    assert not isinstance(chosen, int)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == upgrade_note(str(path), list(chosen[0].upgraded)) + "\n"
    assert f"run 'crossroads migrate {path}' to update the file" in captured.err


def test_picker_entry_carries_the_note(tmp_path: Path) -> None:
    from game.scenes.scenario_picker import describe
    from game.session import read_scenario

    old = read_scenario(FIXTURES / "format1" / "price_war.yaml", bundled=False)
    assert old.note.startswith(f"{old.path}: format-1 scenario converted on load to format 2")
    assert describe(old).endswith(f"{html.escape(old.note)}</font>")
    current = tmp_path / "current.yaml"
    current.write_text(migrate_text(old.text or "").text or "", encoding="utf-8")
    assert read_scenario(current).note == ""
