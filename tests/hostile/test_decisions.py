"""Hostile decisions and decision sheets: bounded reading, bounded values, no booleans as
numbers, no NaN or infinity in any file, and submissions that race a resolve."""

from __future__ import annotations

import ast
import math
import os
import sys
import time
from pathlib import Path

import pytest

from engine.decision_check import parse
from engine.decisions import (
    FORECAST_REVENUE_MAX,
    HIRES_MIN_CAP,
    PRICE_MAX_MULTIPLE,
    Decisions,
    ProductDecision,
)
from game.cli import main
from game.paths import find_scenario
from game.workshop.session import WorkshopError, WorkshopSession
from game.workshop.sheet import parse_sheet, read_sheet
from game.workshop.store import StoreError

ROOT = Path(__file__).resolve().parents[2]
TEAMS = ["Alpha", "Bravo"]


def _session(mode: str = "shared") -> WorkshopSession:
    path = find_scenario("tutorial")
    assert path is not None
    return WorkshopSession.create(
        path.read_text(encoding="utf-8"),
        teams=TEAMS,
        mode=mode,
        seed=5,
        rounds=2,
        resolution=100,
        source_name=str(path),
    )


def _sheet(session: WorkshopSession, body: str, *, team: str = '"Alpha"', round_: str = "1") -> str:
    return f'session: "{session.id}"\nteam: {team}\nround: {round_}\ndecisions:\n{body}'


def _refused(session: WorkshopSession, text: str) -> str:
    """The refusal of a sheet (parse, then the engine's check), as the CLI would print it."""
    with pytest.raises(WorkshopError) as info:
        session.submit("Alpha", parse_sheet(text, "alpha.yaml", session, "Alpha"))
    assert session.submitted()["Alpha"] is False
    return str(info.value)


# --------------------------------------------------------------------------- 1. sheets

BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)]
)


@pytest.mark.parametrize("key", ["team", "session", "round"])
def test_an_alias_bomb_in_the_header_is_refused_quickly(key: str) -> None:
    session = _session()
    header = {"session": f'"{session.id}"', "team": '"Alpha"', "round": "1"}
    header[key] = "*i"
    text = BOMB + "\n" + "\n".join(f"{k}: {v}" for k, v in header.items()) + "\ndecisions: {}\n"
    started = time.perf_counter()
    message = _refused(session, text)
    assert time.perf_counter() - started < 5
    assert "more than 30,000 values" in message
    assert len(message) < 500  # no alias expanded into the message


def test_a_sheet_nested_5000_deep_is_refused_without_recursion_error() -> None:
    session = _session()
    deep = "[" * 5000 + "]" * 5000
    message = _refused(session, _sheet(session, f"  products: {{teamboard: {{roadmap: {deep}}}}}"))
    assert "nesting is deeper than 50 levels" in message


def test_a_moderately_aliased_header_value_is_named_briefly() -> None:
    session = _session()
    text = "a: &a [" + ", ".join(["long_value"] * 500) + "]\n" + _sheet(session, "  {}", team="*a")
    message = _refused(session, text)
    assert "team must be the team's name, not a list" in message
    assert len(message) < 500


def test_duplicate_keys_are_reported() -> None:
    session = _session()
    message = _refused(session, _sheet(session, "  hiring_freeze: true\n  hiring_freeze: false\n"))
    assert "duplicate key 'hiring_freeze'" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "sheet.yaml"
    os.mkfifo(fifo)
    with pytest.raises(WorkshopError, match="not a regular file"):
        read_sheet(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused() -> None:
    with pytest.raises(WorkshopError, match="not a regular file"):
        read_sheet(Path("/dev/zero"))


def test_big_folder_missing_and_binary_files_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 2_000_001)
    with pytest.raises(WorkshopError, match=r"the limit is 1\.9 MB"):
        read_sheet(big)
    with pytest.raises(WorkshopError, match="is a folder"):
        read_sheet(tmp_path)
    with pytest.raises(WorkshopError, match="no such file"):
        read_sheet(tmp_path / "nope.yaml")
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"team: \xff\xfe\n")
    with pytest.raises(WorkshopError, match="is not UTF-8 text"):
        read_sheet(binary)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_cli_submit_of_a_device_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    session = _session()
    code = main(["workshop", "submit", session.id, "--team", "Alpha", "--decisions", "/dev/zero"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "not a regular file" in err and "Traceback" not in err


# --------------------------------------------------------------------------- 2. bounds


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("hires: 1000000000000000000000000000000", "cannot hire 1000000000000000000000000000000"),
        ("hires: 1000000000000", f"or {HIRES_MIN_CAP})"),
        ("hires: 1000", "hiring: cannot hire 1000: at most "),
        ("price: 1e308", f"more than {PRICE_MAX_MULTIPLE:.0f}× the starting price $300"),
        ("price: 30001", "price $30,001 is more than 100×"),
        ("marketing: {smb: 1e308}", "marketing spend"),
        ("marketing: {smb: 300000001}", "beyond the bound of $300,000,000 per segment"),
        ("price: .inf", "price: Input should be a finite number"),
        ("price: .nan", "price: Input should be a finite number"),
        ("marketing: {mid: -.inf}", "marketing.mid: Input should be a finite number"),
        ("layoffs: 1000", "cannot lay off 1000"),
        (
            "research: [" + ", ".join(["{method: survey, segment: smb}"] * 13) + "]",
            "13 research orders is more than one per method and segment (at most 12)",
        ),
    ],
)
def test_unbounded_line_values_are_refused(body: str, expected: str) -> None:
    session = _session()
    message = _refused(session, _sheet(session, f"  products:\n    teamboard:\n      {body}\n"))
    assert expected in message
    assert "nothing was recorded" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("forecast: {revenue: 1e300, share: 0.1}", "forecast.revenue: Input should be less"),
        ("forecast: {revenue: .inf, share: 0.1}", "forecast.revenue: Input should be a finite"),
        ("incubation: 1000000", "only a CPO decides incubation"),
    ],
)
def test_unbounded_firm_values_are_refused(body: str, expected: str) -> None:
    session = _session()
    assert expected in _refused(session, _sheet(session, f"  {body}\n"))


def test_values_within_the_bounds_are_accepted() -> None:
    session = _session()
    text = _sheet(
        session,
        "  products:\n    teamboard:\n      price: 30000\n      marketing: {smb: 300000000}\n"
        f"      hires: {HIRES_MIN_CAP}\n"
        f"  forecast: {{revenue: {FORECAST_REVENUE_MAX:.0f}, share: 1}}\n",
    )
    warnings = session.submit("Alpha", parse_sheet(text, "alpha.yaml", session, "Alpha"))
    assert any("borrow" in w for w in warnings)


def test_huge_hires_never_reach_resolve() -> None:
    """Before the bound, 10**30 hires were accepted with a warning and resolve overflowed."""
    session = _session()
    with pytest.raises(WorkshopError, match="hiring: cannot hire"):
        session.submit("Alpha", Decisions(products={"teamboard": ProductDecision(hires=10**30)}))
    session.resolve(keep_course=True)
    for row in session.leaderboard():
        assert all(math.isfinite(v) for v in row.values() if isinstance(v, float))


def test_non_finite_numbers_never_parse() -> None:
    for data in (
        {"products": {"teamboard": {"price": math.inf}}},
        {"products": {"teamboard": {"marketing": {"smb": math.nan}}}},
        {"mentoring": {"teamboard": math.nan}},
        {"forecast": {"revenue": 1.0, "share": math.nan}},
    ):
        parsed, problems = parse(data)
        assert parsed is None and "finite number" in str(problems[0])


def test_every_json_dump_refuses_nan() -> None:
    """Every json.dump(s) the project writes passes allow_nan=False (no 'Infinity' in files)."""
    missing = []
    for folder in ("engine", "game"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("dump", "dumps")
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "json"
                ):
                    ok = any(
                        k.arg == "allow_nan"
                        and isinstance(k.value, ast.Constant)
                        and k.value.value is False
                        for k in node.keywords
                    )
                    if not ok:
                        missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert missing == []


# --------------------------------------------------------------------------- 3. types


@pytest.mark.parametrize(
    ("header", "body", "expected"),
    [
        ({"round_": "true"}, "  {}", "round must be a whole number, not True"),
        ({"team": "yes"}, "  {}", "team must be the team's name, not True"),
        ({}, "  products: {teamboard: {price: yes}}", "price: expected a number, not the boolean"),
        ({}, "  products: {teamboard: {hires: true}}", "hires: expected a number, not the boolean"),
        (
            {},
            "  products: {teamboard: {marketing: {smb: on}}}",
            "marketing.smb: expected a number, not the boolean true",
        ),
        (
            {},
            "  products: {teamboard: {split: {features: true, debt: false, discovery: false}}}",
            "split.features: expected a number",
        ),
        ({}, "  forecast: {revenue: 1, share: no}", "share: expected a number, not the boolean"),
        ({}, "  incubation: true", "incubation: expected a number, not the boolean"),
    ],
)
def test_booleans_are_not_numbers(header: dict[str, str], body: str, expected: str) -> None:
    session = _session()
    assert expected in _refused(session, _sheet(session, body + "\n", **header))


def test_booleans_are_refused_in_decisions_from_code_and_ints_stay_floats() -> None:
    for data in (
        {"products": {"teamboard": {"price": True}}},
        {"mentoring": {"teamboard": False}},
        {"incubation": True},
    ):
        parsed, problems = parse(data)
        assert parsed is None and "not the boolean" in str(problems[0])
    parsed, problems = parse({"products": {"teamboard": {"price": 300, "marketing": {"smb": 0}}}})
    assert problems == [] and parsed is not None
    assert parsed.products["teamboard"].price == 300.0


# --------------------------------------------------------------------------- 4. race


def test_a_sheet_recorded_while_resolving_is_played_and_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    facilitator = _session()
    desk = WorkshopSession.open(facilitator.id)  # another process on the same file
    facilitator.submit("Alpha", Decisions())
    late = Decisions(products={"teamboard": ProductDecision(price=240.0)})
    play = WorkshopSession._play
    calls = []

    def play_with_a_late_sheet(self: WorkshopSession, w, round_: int):  # type: ignore[no-untyped-def]
        if not calls:
            desk.submit("Bravo", late)  # acknowledged mid-resolve
        calls.append(round_)
        return play(self, w, round_)

    monkeypatch.setattr(WorkshopSession, "_play", play_with_a_late_sheet)
    result = facilitator.resolve(keep_course=True)
    monkeypatch.setattr(WorkshopSession, "_play", play)
    assert result.kept_course == []  # Bravo's sheet was played, and said so
    assert calls == [1, 1]  # played again with the sheet that arrived
    assert facilitator.played("Bravo")[0].products["teamboard"].price == 240.0
    fresh = WorkshopSession.open(facilitator.id)  # every later replay agrees
    assert fresh.played("Bravo")[0].products["teamboard"].price == 240.0
    assert fresh.reports("Bravo")[-1].to_dict() == result.reports["Bravo"].to_dict()


def test_a_submit_for_a_round_just_resolved_is_refused_not_recorded() -> None:
    facilitator = _session()
    desk = WorkshopSession.open(facilitator.id)
    facilitator.resolve(keep_course=True)
    with pytest.raises(StoreError, match="round 1 is not open"):
        desk.store.submit("Bravo", 1, {})
    assert facilitator.store.submissions(1) == {}


def test_resolve_gives_up_cleanly_when_sheets_keep_arriving(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    facilitator = _session()
    desk = WorkshopSession.open(facilitator.id)
    play = WorkshopSession._play
    prices = iter(range(200, 300))

    def play_while_teams_resubmit(self: WorkshopSession, w, round_: int):  # type: ignore[no-untyped-def]
        desk.submit("Bravo", {"products": {"teamboard": {"price": float(next(prices))}}})
        return play(self, w, round_)

    monkeypatch.setattr(WorkshopSession, "_play", play_while_teams_resubmit)
    with pytest.raises(WorkshopError, match="kept receiving decisions"):
        facilitator.resolve(keep_course=True)
    assert facilitator.resolved == 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
