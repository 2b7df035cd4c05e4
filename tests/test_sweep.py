"""Balance sweeps and backends: parsing and every error, variants checked before playing, a
sweep equal to separate runs on edited copies, batching, and identical results on the local
pool and a Dask LocalCluster (skipped without ``crossroads[cluster]``)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from engine.balance import play_run
from engine.loader import load_scenario, load_scenario_text
from engine.scenario import Scenario
from engine.sweep import (
    SweepError,
    apply,
    assignments,
    check_variants,
    grid,
    parse,
    resolve,
    variant,
)
from game import balance_backends
from game.balance_backends import InProcess, Job, ProcessPool, plan, play, play_variants
from game.cli import main
from game.commands.balance import ProgressBar
from game.paths import find_scenario

FAST = ["--runs", "2", "--resolution", "50", "--bots", "hold,random", "--workers", "2"]
PRICE = "segments[smb].price_sensitivity"
MARKETING = "firms[planly].ai.marketing"


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    path = find_scenario("tutorial")
    assert path is not None
    return load_scenario(path)


def _errors(scenario: Scenario, *arguments: str) -> str:
    with pytest.raises(SweepError) as caught:
        grid(resolve(scenario, [parse(a) for a in arguments]))
    return "\n".join(caught.value.problems)


# --------------------------------------------------------------------------- parsing


def test_lists_and_ranges_take_the_field_type(tutorial: Scenario) -> None:
    price, marketing, engineers, archetype = resolve(
        tutorial,
        [
            parse(f"{PRICE}=2,3,4"),
            parse(f"{MARKETING}=20000:60000:3"),
            parse("firms[player].products[teamboard].team.engineers=5:15:3"),
            parse("firms[planly].ai.archetype=price_follower,incumbent"),
        ],
    )
    assert price.name == PRICE and price.values == (2.0, 3.0, 4.0)
    assert marketing.values == (20000.0, 40000.0, 60000.0)
    assert all(isinstance(v, float) for v in marketing.values)
    assert engineers.values == (5, 10, 15) and all(type(v) is int for v in engineers.values)
    assert archetype.values == ("price_follower", "incumbent")
    assert resolve(tutorial, [parse("segments[0].growth=0.01:0.02:3")])[0].values == (
        0.01,
        0.015,
        0.02,
    )
    assert resolve(tutorial, [parse("segments[0].growth=0.01")])[0].name == "segments[smb].growth"


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("segments[smb].price_sensitivity", "is not PATH=VALUES"),
        ("=2,3", "is not PATH=VALUES"),
        ("segments[smb]..price=2", "is not fields joined by dots"),
        ("segments[smb].price_sensitivity=2,,3", "an empty value"),
        ("segments[smb].price_sensitivity=1:2", "a range is START:STOP:COUNT"),
        ("segments[smb].price_sensitivity=1:x:3", "needs numbers"),
        ("segments[smb].price_sensitivity=1:2:1", "COUNT must be a whole number from 2"),
        ("segments[smb].price_sensitivity=1:2:101", "COUNT must be a whole number from 2"),
        ("segments[smb].price_sensitivity=2:2:3", "starts and stops at the same value"),
        ("segments[smb].price_sensitivity=" + ",".join(map(str, range(101))), "at most 100"),
    ],
)
def test_syntax_errors(argument: str, message: str) -> None:
    with pytest.raises(SweepError, match=message):
        parse(argument)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["firms[planly].marketing_budget=1,2"], "no such field 'marketing_budget'"),
        (["segments[smb].price_sensitivty=1,2"], "did you mean 'price_sensitivity'?"),
        (["segments[smbb].price_sensitivity=1,2"], "no id 'smbb' in segments (did you mean"),
        (["segments[7].price_sensitivity=1,2"], "no entry [7] in segments (3 entries)"),
        (["quarters[0]=1"], "quarters is not a list"),
        (["segments[smb]=1"], "is not a single value"),
        ([f"{PRICE}=abc"], "takes a number, not 'abc'"),
        ([f"{PRICE}=20k"], "write 20000"),
        ([f"{PRICE}=nan"], "takes a number, not 'nan'"),
        (["quarters=8.5"], "takes a whole number, not '8.5'"),
        (["quarters=8:12:4"], "8:12:4 has steps between them"),
        (["firms[planly].ai.archetype=1:2:3"], "takes text, not a range"),
        ([f"{PRICE}=2,3,2"], "value 2 is listed twice"),
        ([f"{PRICE}=2,3", "segments[0].price_sensitivity=4"], "swept twice"),
        ([f"{PRICE}=1:2:100", f"{MARKETING}=1:2:100", "seed=1:100:100"], "at most 10000"),
        (
            [f"{PRICE}=1"] + [f"segments[{i}].growth=0.1" for i in range(3)] + ["seed=1"],
            "at most 4",
        ),
    ],
)
def test_path_and_value_errors(tutorial: Scenario, arguments: list[str], message: str) -> None:
    assert message in _errors(tutorial, *arguments)


def test_every_path_problem_at_once(tutorial: Scenario) -> None:
    found = _errors(tutorial, "segments[smbb].price_sensitivity=2", f"{PRICE}=abc", "nope=1")
    assert len(found.splitlines()) == 3


# --------------------------------------------------------------------------- variants


def test_invalid_values_are_named_with_their_combination(tutorial: Scenario) -> None:
    parameters = resolve(tutorial, [parse(f"{PRICE}=-1,3"), parse(f"{MARKETING}=-5,40000")])
    problems = check_variants(tutorial, parameters, grid(parameters))
    assert len(problems) == 2, problems  # one per bad value, not one per combination
    assert problems[0].startswith(f"{PRICE}=-1: {PRICE}: ")
    assert problems[1].startswith(f"{MARKETING}=-5: {MARKETING}: ")
    cross = resolve(tutorial, [parse("firms[planly].ai.archetype=price_follower,niche")])
    assert any(
        p.startswith("firms[planly].ai.archetype=niche: ")
        for p in check_variants(tutorial, cross, grid(cross))
    )


def test_a_variant_is_what_the_loader_makes_of_it(tutorial: Scenario) -> None:
    parameters = resolve(tutorial, [parse(f"{PRICE}=2"), parse(f"{MARKETING}=25000")])
    sets = assignments(parameters, grid(parameters)[0])
    made = variant(tutorial, sets)
    text = json.dumps(apply(tutorial.model_dump(mode="json"), sets))
    assert made == load_scenario_text(text)
    assert made.segments[0].price_sensitivity == 2.0 and made != tutorial
    assert variant(tutorial, ()) is tutorial
    assert check_variants(tutorial, parameters, grid(parameters)) == []


# --------------------------------------------------------------------------- batching


def test_plan_covers_every_triple_once_in_batches() -> None:
    triples = [(v, b, s) for v in range(2) for b in ("hold", "random") for s in range(1, 30)]
    for slots in (1, 2, 7, 64):
        batches = plan(triples, slots)
        covered = [(b.variant, b.bot, s) for b in batches for s in b.seeds]
        assert sorted(covered) == sorted(triples)
        assert all(len({(b.variant, b.bot)}) == 1 for b in batches)
    assert len(plan(triples, 2)) >= 2 * 6  # several batches per worker slot


def test_batches_give_the_runs_of_single_playthroughs(tutorial: Scenario) -> None:
    triples = [(0, "random", 4), (0, "hold", 3), (0, "random", 3), (0, "hold", 4)]
    single = [play_run(tutorial, "pm", b, s, 50) for _, b, s in triples]
    job = Job(tutorial, "pm", 50)
    assert play(job, triples, InProcess()) == single
    assert play(job, triples, ProcessPool(2)) == single


def test_each_variant_is_handed_on_once_with_its_runs_in_order(tutorial: Scenario) -> None:
    parameters = resolve(tutorial, [parse(f"{PRICE}=2,4")])
    job = Job(tutorial, "pm", 50, tuple(assignments(parameters, c) for c in grid(parameters)))
    triples = [(v, b, s) for v in (1, 0) for b in ("random", "hold") for s in (5, 6, 7)]
    seen: dict[int, list[tuple[str, int]]] = {}
    play_variants(
        job,
        triples,
        ProcessPool(2),
        lambda v, runs: seen.setdefault(v, [(r.bot, r.seed) for r in runs]),
    )
    assert seen == {v: [(b, s) for w, b, s in triples if w == v] for v in (0, 1)}


# --------------------------------------------------------------------------- the command


def test_sweep_equals_separate_runs_on_edited_copies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep.json"
    sweep = ["--sweep", f"{PRICE}=2,4", "--sweep", f"{MARKETING}=25000"]
    assert main(["balance", "tutorial", *FAST, *sweep, "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"== 1/2: {PRICE}=2, {MARKETING}=25000 ==" in printed
    assert "Sweep of 'tutorial' as PM: 2 combination(s)" in printed
    document = json.loads(out.read_text())
    assert document["kind"] == "sweep" and document["format"] == 1
    assert [p["name"] for p in document["parameters"]] == [PRICE, MARKETING]
    for combination, price in zip(document["combinations"], (2, 4), strict=True):
        assert combination["values"] == {PRICE: price, MARKETING: 25000}
        copy = tmp_path / f"price_{price}.yaml"
        copy.write_text(
            "extends: tutorial\nid: tutorial\nsegments:\n"
            f"  - id: smb\n    price_sensitivity: {price}\n"
            "firms:\n  - id: planly\n    ai:\n      marketing: 25000\n",
            encoding="utf-8",
        )
        alone = tmp_path / f"alone_{price}.json"
        assert main(["balance", str(copy), *FAST, "--json", str(alone)]) == 0
        assert combination["report"] == json.loads(alone.read_text())
        assert combination["summary"]["best"] == combination["report"]["best"]


@pytest.mark.parametrize("fields", [1, 2, 3])
def test_sweep_png(fields: int, tmp_path: Path) -> None:
    """Lines for one field, a heatmap for two, each field's effect for three."""
    png = tmp_path / "sweep.png"
    sweeps = [f"{PRICE}=2,4", "seed=3,4", "segments[mid].price_sensitivity=1.5,2.5"]
    argv = [x for s in sweeps[:fields] for x in ("--sweep", s)]
    assert main(["balance", "tutorial", *FAST, *argv, "--png", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_progress_bar_shows_batches_rate_and_time_left() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream in (Terminal(), io.StringIO()):
        bar = ProgressBar(10, stream)
        bar(5, (1, 2))
        bar(10, (2, 2))
        shown = stream.getvalue()
        assert "10/10 playthroughs, batch 2/2" in shown and "per s" in shown and "left" in shown
        assert shown.startswith("\r[") == isinstance(stream, Terminal)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--sweep", "nope=1"], "no such field 'nope'"),
        (["--sweep", f"{PRICE}=x"], "takes a number"),
        (["--sweep", f"{PRICE}=-1,2"], f"{PRICE}=-1: {PRICE}: "),
        (["--sweep", f"{PRICE}=1:2:100", "--sweep", f"{MARKETING}=1:2:100"], "at most 5000000"),
        (["--cluster", "nowhere"], "--cluster takes 'local' or a scheduler address"),
    ],
)
def test_sweep_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["balance", "tutorial", "--runs", "500", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cluster_without_the_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    assert main(["balance", "tutorial", *FAST, "--cluster", "local"]) == 2
    err = capsys.readouterr().err
    assert (
        err.strip() == 'crossroads balance: --cluster needs Dask: pip install "crossroads[cluster]"'
    )


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_cancels_cleanly(
    workers: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("game.commands.balance.ProgressBar.__call__", interrupt)
    argv = ["balance", "tutorial", *FAST, "--workers", workers, "--sweep", f"{PRICE}=2,3"]
    assert main(argv) == 130
    err = capsys.readouterr().err
    assert err.strip() == "crossroads balance: cancelled" and "Traceback" not in err


# --------------------------------------------------------------------------- Dask


def test_local_pool_and_local_cluster_give_identical_json(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="needs the extra: pip install crossroads[cluster]")
    sweep = ["--sweep", f"{PRICE}=2,4", "--sweep", f"{MARKETING}=20000,60000"]
    pool, cluster = tmp_path / "pool.json", tmp_path / "cluster.json"
    assert main(["balance", "tutorial", *FAST, *sweep, "--json", str(pool)]) == 0
    argv = ["balance", "tutorial", *FAST, *sweep, "--cluster", "local", "--json", str(cluster)]
    assert main(argv) == 0
    assert pool.read_bytes() == cluster.read_bytes()


def test_unreachable_scheduler_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed", reason="needs the extra: pip install crossroads[cluster]")
    monkeypatch.setattr(balance_backends, "CONNECT_TIMEOUT", 1)
    assert main(["balance", "tutorial", *FAST, "--cluster", "tcp://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 1 s" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_swept_seed_plays_the_seeds_of_each_variant(tmp_path: Path) -> None:
    """``seed`` decides the seeds played (the scenario's and the ones after it), per variant."""
    out = tmp_path / "sweep.json"
    assert main(["balance", "tutorial", *FAST, "--sweep", "seed=3,9", "--json", str(out)]) == 0
    combination = json.loads(out.read_text())["combinations"][1]
    copy = tmp_path / "seed_9.yaml"
    copy.write_text("extends: tutorial\nid: tutorial\nseed: 9\n", encoding="utf-8")
    alone = tmp_path / "alone.json"
    assert main(["balance", str(copy), *FAST, "--json", str(alone)]) == 0
    assert combination["report"] == json.loads(alone.read_text())


def test_ctrl_c_cancels_a_local_cluster(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed", reason="needs the extra: pip install crossroads[cluster]")

    def interrupt(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("game.commands.balance.ProgressBar.__call__", interrupt)
    argv = ["balance", "tutorial", *FAST, "--cluster", "local", "--sweep", f"{PRICE}=2,3"]
    assert main(argv) == 130
    assert capsys.readouterr().err.strip() == "crossroads balance: cancelled"
