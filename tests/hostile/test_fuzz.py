"""Mutation fuzzers over the CLI: bundled scenarios, decision sheets and arguments.

Whatever a careless or hostile person hands the ``crossroads`` command, it answers with exit
code 0 (done), 1 (refused) or 2 (usage) and words, never a traceback; anything it writes is
strict JSON with finite numbers; nothing outside the data folder changes. Hypothesis is
derandomised so CI sees the same examples every run.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.cli import main
from game.paths import find_scenario

HOSTILE_NUMBERS: list[Any] = [
    0,
    -1,
    -1e308,
    1e308,
    5e-324,
    10**30,
    2**63,
    0.5,
    True,
    "1.1M",
    "NaN",
    ".inf",
    None,
    [],
    {},
    "\x1b[31m",
    "=HYPERLINK(1)",
]
FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def run(*argv: str) -> tuple[int, str]:
    """``crossroads ARGV`` in-process: (exit code, stdout + stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return code, out.getvalue() + err.getvalue()


def strict(text: str) -> Any:
    """A JSON document parsed strictly: NaN and Infinity are failures."""

    def refuse(name: str) -> Any:
        raise AssertionError(f"non-standard JSON number {name}")

    return json.loads(text, parse_constant=refuse)


def finite(value: Any) -> bool:
    """True when every number in a JSON value is finite."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(finite(v) for v in value.values())
    if isinstance(value, list):
        return all(finite(v) for v in value)
    return True


def leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every scalar in a YAML document."""
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in leaves(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in leaves(v, (*path, i))]
    return [path]


def put(node: Any, path: tuple[Any, ...], value: Any) -> None:
    """Set the scalar at ``path``."""
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh user data folder, and a file outside it that must never change."""
    data = tmp_path / "home"
    data.mkdir()
    monkeypatch.setenv("CROSSROADS_HOME", str(data))
    return data


@FUZZ
@given(draw=st.data())
def test_mutated_scenarios_validate_or_are_refused_and_play_finitely(
    draw: st.DataObject, tmp_path: Path
) -> None:
    source = find_scenario("tutorial")
    assert source is not None
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    for segment in doc["segments"]:
        segment["resolution"] = 30
    numeric = [p for p in leaves(doc) if isinstance(_get(doc, p), int | float)]
    for _ in range(draw.draw(st.integers(1, 3))):
        path = draw.draw(st.sampled_from(numeric))
        put(doc, path, draw.draw(st.sampled_from(HOSTILE_NUMBERS)))
    scenario = tmp_path / "mutant.yaml"
    scenario.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    code, said = run("validate", str(scenario))
    assert code in (0, 1) and "Traceback" not in said
    if code != 0:
        return
    out = tmp_path / "run.json"
    bot = draw.draw(st.sampled_from(["hold", "random", "balanced"]))
    code, said = run("simulate", str(scenario), "--bot", bot, "--turns", "2", "--json", str(out))
    assert code in (0, 1) and "Traceback" not in said, said
    if code == 0:
        assert finite(strict(out.read_text(encoding="utf-8")))


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


SHEET_TEXT_MUTATIONS = [
    lambda t: t[: len(t) // 2],  # cut off
    lambda t: t.replace("decisions:", "decisions: &a [*a]", 1),  # a self-referencing alias
    lambda t: t + "\nbomb: &x [1,1,1,1,1,1,1,1]\nb2: &y [*x,*x,*x,*x,*x,*x,*x,*x]\n",
    lambda t: t + "\n" + "[" * 200 + "]" * 200 + "\n",
    lambda t: t.replace("decisions:", "decisions: !!python/object:os.system", 1),
    lambda t: t + "\ndecisions: {}\n",  # a duplicate key
    lambda t: "\x00\xff" + t,
]


def test_mutated_decision_sheets_are_recorded_or_refused_in_words(
    home: Path, tmp_path: Path
) -> None:
    """Many mutants of a team's own sheet handed in to one session, then the round is played
    and exported: every answer is a record or a refusal in words, every file strict JSON."""
    code, said = run(
        "workshop", "new", "--scenario", "tutorial", "--teams", "Red,Blue", "--mode",
        "parallel", "--resolution", "20", "--rounds", "2",
    )  # fmt: skip
    assert code == 0, said
    session = said.split()[0]
    code, template = run("workshop", "sheet", session, "--team", "Red")
    assert code == 0, template
    sheet = tmp_path / "sheet.yaml"

    @FUZZ
    @given(draw=st.data())
    def hand_in_a_mutant(draw: st.DataObject) -> None:
        doc = yaml.safe_load(template)
        if draw.draw(st.booleans()):
            for _ in range(draw.draw(st.integers(1, 3))):
                path = draw.draw(st.sampled_from(leaves(doc)))
                put(doc, path, draw.draw(st.sampled_from(HOSTILE_NUMBERS)))
            text = yaml.safe_dump(doc, sort_keys=False)
        else:
            text = draw.draw(st.sampled_from(SHEET_TEXT_MUTATIONS))(template)
        sheet.write_text(text, encoding="utf-8", errors="surrogateescape")
        code, said = run("workshop", "submit", session, "--team", "Red", "--decisions", str(sheet))
        assert code in (0, 1) and "Traceback" not in said, said

    hand_in_a_mutant()
    code, said = run("workshop", "resolve", session, "--keep-course")
    assert code == 0 and "Traceback" not in said, said
    out = tmp_path / "export"
    code, said = run("workshop", "export", session, "-o", str(out))
    assert code == 0, said
    written = list(out.rglob("*.json"))
    assert written
    for path in written:
        assert finite(strict(path.read_text(encoding="utf-8"))), path


BAD_ARGUMENTS = [
    ["simulate", "tutorial", "--seed", "-1"],
    ["simulate", "tutorial", "--seed", str(10**30)],
    ["simulate", "tutorial", "--turns", "0"],
    ["simulate", "tutorial", "--turns", "999999999999"],
    ["simulate", "tutorial", "--bot", "\x1b[2Jnobody"],
    ["simulate", "no_such_scenario"],
    ["simulate", "/dev/zero"],
    ["simulate", "/"],
    ["simulate", "tutorial", "--role", "ceo"],
    ["validate", "/dev/zero"],
    ["balance", "tutorial", "--runs", "-5"],
    ["balance", "tutorial", "--runs", str(10**12)],
    ["balance", "tutorial", "--sweep", "\x1b[2Jsegments=1"],
    ["balance", "tutorial", "--sweep", "segments[smb].price_sensitivity=\x1b[2J,1e999"],
    ["balance", "tutorial", "--sweep", "segments[smb].size=-1,-2", "--sweep", "seed=1:9:2"],
    ["balance", "tutorial", "--sweep", "seed=1:1e300:3"],
    ["balance", "tutorial", "--cluster", "tcp://\x1b[2J:1"],
    ["report", "/dev/zero"],
    ["report", "/"],
    ["workshop", "status", "../../etc/passwd"],
    ["workshop", "status", "/tmp/x"],
    ["workshop", "new", "--scenario", "tutorial", "--teams", "A", "--mode", "shared"],
    [
        "workshop",
        "new",
        "--scenario",
        "tutorial",
        "--teams",
        "A,B",
        "--mode",
        "shared",
        "--timer",
        str(10**30),
    ],
    [
        "workshop",
        "new",
        "--scenario",
        "tutorial",
        "--teams",
        "A,B",
        "--mode",
        "shared",
        "--resolution",
        "1000000000",
    ],
    ["workshop", "submit", "nosuch", "--team", "A", "--decisions", "/dev/zero"],
    ["calibrate", "tutorial", "--runs", "0"],
    ["calibrate", "tutorial", "--resolution", str(10**12)],
    ["calibrate", "/dev/zero"],
    ["no-such-command"],
]


@pytest.mark.parametrize("argv", BAD_ARGUMENTS, ids=lambda a: " ".join(a)[:60])
def test_bad_arguments_get_a_usage_error_or_a_refusal(argv: list[str], home: Path) -> None:
    before = sorted(p.name for p in home.rglob("*") if p.is_file())
    code, said = run(*argv)
    assert code in (1, 2), (code, said)
    assert "Traceback" not in said and "\x1b" not in said
    lines = [line for line in said.strip().splitlines() if line.strip()]
    assert lines and all(line.startswith("  - ") for line in lines[1:]), said  # one line, or
    # one line and the list of problems it names, one per line
    if argv[0] != "workshop" or argv[1] != "new":
        assert sorted(p.name for p in home.rglob("*") if p.is_file()) == before  # writes nothing
    else:
        assert not list(home.rglob("*.creating"))
