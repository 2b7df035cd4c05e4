"""Scenario inheritance: ``extends``, the merge rules, origins of problems, new --from, diff."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.inheritance import EXTENDS_KEY, MAX_EXTENDS, REMOVE_KEY, Layer, differences, merge
from engine.loader import ScenarioError, load_scenario, load_scenario_text
from engine.pruning import is_model, strip
from engine.scenario import Scenario
from engine.yaml_positions import read_yaml
from game.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "extends"


def _merged(base: str, child: str) -> tuple[object, list[tuple[tuple, str]]]:
    """Merge two YAML texts; the data and what ``remove:`` misuse was reported."""
    reported: list[tuple[tuple, str]] = []
    layers = [Layer.of(read_yaml(text), name) for text, name in ((base, "b"), (child, "c"))]
    merged = merge(*layers, lambda path, message: reported.append((path, message)))
    return merged.data, reported


def _problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return [str(p) for p in caught.value.problems]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- merge rules


def test_mappings_merge_by_key_and_the_child_wins() -> None:
    data, reported = _merged("a: {x: 1, y: {p: 1, q: 2}}\nb: 1\n", "a: {y: {q: 3}, z: 4}\nc: 5\n")
    assert data == {"a": {"x": 1, "y": {"p": 1, "q": 3}, "z": 4}, "b": 1, "c": 5}
    assert reported == []


def test_lists_of_items_with_ids_merge_by_id_and_append_new_ones_in_order() -> None:
    base = "items: [{id: a, v: 1, w: 1}, {id: b, v: 2}]\n"
    data, _ = _merged(base, "items: [{id: z, v: 9}, {id: a, v: 5}, {id: y}]\n")
    assert data == {
        "items": [
            {"id": "a", "v": 5, "w": 1},
            {"id": "b", "v": 2},
            {"id": "z", "v": 9},
            {"id": "y"},
        ]
    }


def test_other_lists_and_an_empty_list_replace_the_base_list_whole() -> None:
    data, _ = _merged("roles: [pm, cpo]\nitems: [{id: a}]\n", "roles: [pm]\nitems: []\n")
    assert data == {"roles": ["pm"], "items": []}


def test_remove_drops_ids_and_misuse_is_reported_at_the_child_path() -> None:
    base = "items: [{id: a}, {id: b}, {id: c}]\nnested: {parts: [{id: p}]}\n"
    child = (
        "remove: {items: [b, zz], roles: [x]}\nitems: [{id: b, v: 1}]\nnew: {remove: {q: [r]}}\n"
    )
    data, reported = _merged(base, child)
    assert data == {
        "items": [{"id": "a"}, {"id": "c"}, {"id": "b", "v": 1}],  # removed then re-added: whole
        "nested": {"parts": [{"id": "p"}]},
        "new": {},
    }
    paths = [path for path, _ in reported]
    assert paths == [("remove", "items", 1), ("remove", "roles"), ("new", "remove")]


def test_no_scenario_field_is_called_remove_or_extends() -> None:
    names: set[str] = set()
    seen: set[type] = set()

    def walk(model: type) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():  # type: ignore[attr-defined]
            names.add(name)
            stack = [info.annotation]
            while stack:
                tp = strip(stack.pop())
                if is_model(tp):
                    walk(tp)
                stack += list(getattr(tp, "__args__", ()))

    walk(Scenario)
    assert len(names) > 50
    assert {REMOVE_KEY, EXTENDS_KEY}.isdisjoint(names)


# --------------------------------------------------------------------------- loading


def test_child_fixture_merges_onto_its_base() -> None:
    scenario = load_scenario(FIXTURES / "child.yaml")
    assert scenario.id == "ext_child"
    assert [s.id for s in scenario.segments] == ["smb", "mid", "agencies"]
    assert scenario.segments[0].price_sensitivity == 4.0
    assert scenario.segments[0].name == "Small firms"  # from the base
    assert [b.id for b in scenario.backlog] == ["onboarding", "templates"]


def test_problems_point_at_the_file_that_set_the_value(tmp_path: Path) -> None:
    base = (FIXTURES / "base.yaml").read_text(encoding="utf-8").replace("price: 80", "price: -80")
    _write(tmp_path, "base.yaml", base)
    line = 1 + base.splitlines().index("        price: -80")
    child = _write(
        tmp_path,
        "child.yaml",
        "extends: base.yaml\nid: kid\nsegments:\n  - id: smb\n    price_sensitivity: -1\n"
        "remove: {backlog: [apx]}\n",
    )
    problems = _problems(child)
    base_name, child_name = str(tmp_path / "base.yaml"), str(child)
    assert any(
        p.startswith(f"{base_name}:{line}:16: firms[rival].products[tool].price:") for p in problems
    )
    assert any(
        p.startswith(f"{child_name}:5:24: segments[smb].price_sensitivity:") for p in problems
    )
    assert (
        f"{child_name}:6:20: remove.backlog[0]: the base's backlog has no item 'apx' "
        "(did you mean 'api'?)" in problems
    )
    assert len(problems) == 3


def test_a_bundled_base_by_id() -> None:
    text = "extends: tutorial\nid: tut_harder\nsegments:\n  - id: smb\n    price_sensitivity: 4.5\n"
    scenario = load_scenario_text(text, "x.yaml")
    assert scenario.id == "tut_harder"
    assert scenario.segments[0].price_sensitivity == 4.5
    assert len(scenario.backlog) == len(
        load_scenario_text(Path("scenarios/tutorial.yaml").read_text(), "t").backlog
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("5", "got a number"),
        ("''", "got nothing"),
        ("https://example.com/base.yaml", "not URLs"),
        ("/etc/passwd", "relative to this file"),
        ("../notes.txt", "ends in .yaml or .yml"),
        ("missing.yaml", "no base file 'missing.yaml'"),
        ("tutorail", "no bundled scenario 'tutorail' (did you mean 'tutorial'?)"),
        ("self.yaml", "the bases form a cycle: self.yaml → self.yaml"),
    ],
)
def test_a_bad_extends_is_one_problem_at_its_line(tmp_path: Path, value: str, message: str) -> None:
    path = _write(tmp_path, "self.yaml", f"# a comment\nextends: {value}\nid: x\n")
    problems = _problems(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:2:10: extends: ")
    assert message in problems[0]


def test_a_cycle_through_two_files_and_the_depth_limit(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "extends: b.yaml\nid: a\n")
    b = _write(tmp_path, "b.yaml", "extends: a.yaml\nid: b\n")
    assert "the bases form a cycle: b.yaml → a.yaml → b.yaml" in _problems(b)[0]
    _write(tmp_path, "l0.yaml", (FIXTURES / "base.yaml").read_text(encoding="utf-8"))
    for n in range(1, MAX_EXTENDS + 2):
        _write(tmp_path, f"l{n}.yaml", f"extends: l{n - 1}.yaml\nid: l{n}\n")
    assert load_scenario(tmp_path / f"l{MAX_EXTENDS}.yaml").id == f"l{MAX_EXTENDS}"
    assert f"more than {MAX_EXTENDS} levels" in _problems(tmp_path / f"l{MAX_EXTENDS + 1}.yaml")[-1]


def test_a_broken_base_is_reported_at_the_extends_line(tmp_path: Path) -> None:
    _write(tmp_path, "base.yaml", "id: [unclosed\n")
    child = _write(tmp_path, "child.yaml", "extends: base.yaml\nid: c\n")
    (problem,) = _problems(child)
    assert problem.startswith(f"{child}:1:10: extends: the base ")
    assert "YAML syntax error" in problem


def test_text_without_a_folder_extends_only_bundled_ids() -> None:
    with pytest.raises(ScenarioError, match="needs a scenario file"):
        load_scenario_text("extends: base.yaml\nid: x\n", "<text>")


def test_the_child_needs_its_own_id_and_the_base_format(tmp_path: Path) -> None:
    path = _write(tmp_path, "c.yaml", "extends: tutorial\nformat: 1\n")
    problems = _problems(path)
    assert any("give this scenario its own id" in p for p in problems)
    assert any(
        p.startswith(f"{path}:2:9: format: the base 'tutorial' is format 2") for p in problems
    )


# --------------------------------------------------------------------------- commands


def test_new_from_writes_a_small_file_that_validates_and_simulates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "harder", "-o", str(tmp_path), "--from", "tutorial"]) == 0
    path = tmp_path / "harder.yaml"
    text = path.read_text(encoding="utf-8")
    assert "extends: tutorial\nid: harder\n" in text
    assert len(text.splitlines()) < 40
    assert not (tmp_path / "scenario.schema.json").exists()
    assert load_scenario(path).id == "harder"
    head, examples = text.split("\n\n", 1)
    uncommented = head + "\n" + re.sub(r"(?m)^# (?=[a-z_]+:|  )", "", examples)  # made live
    scenario = load_scenario_text(uncommented, "harder.yaml")
    assert "my_feature" in [b.id for b in scenario.backlog]
    assert "onboarding" not in [b.id for b in scenario.backlog]
    capsys.readouterr()
    assert main(["simulate", str(path), "--turns", "1"]) == 0
    assert "revenue" in capsys.readouterr().out


def test_new_from_a_file_writes_a_relative_path(tmp_path: Path) -> None:
    assert (
        main(["new", "kid", "-o", str(tmp_path / "sub"), "--from", str(FIXTURES / "base.yaml")])
        == 0
    )
    text = (tmp_path / "sub" / "kid.yaml").read_text(encoding="utf-8")
    (ref,) = re.findall(r"(?m)^extends: (.*)$", text)
    assert not Path(ref).is_absolute() and ref.endswith("base.yaml")
    assert load_scenario(tmp_path / "sub" / "kid.yaml").id == "kid"
    assert main(["new", "kid2", "-o", str(tmp_path), "--from", "nope"]) == 2


def test_diff_names_changes_by_id_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(FIXTURES / "base.yaml"), str(FIXTURES / "child.yaml")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        '  ~ id: "ext_base" → "ext_child"',
        '  ~ title: "Extends base" → "Extends child"',
        "  ~ segments[smb].price_sensitivity: 3.0 → 4.0",
        "  + segments[agencies] added",
        "  - backlog[api] removed",
        "  + backlog[templates] added",
    ]
    assert out[0].endswith("6 difference(s)")


def test_differences_of_plain_data() -> None:
    assert differences({"a": [1, 2], "b": {"c": "x"}}, {"a": [1], "b": {"c": "x"}, "d": True}) == [
        "~ a: [1, 2] → [1]",
        "+ d: true",
    ]


def test_diff_balance_prints_two_tables_side_by_side(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["diff", str(FIXTURES / "base.yaml"), str(FIXTURES / "child.yaml"), "--balance"]
    assert main([*args, "--runs", "2"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Balance of 'ext_base' .* Balance of 'ext_child'", out)
    assert main([*args, "--runs", "1"]) == 2


def test_bundled_scenarios_do_not_use_extends() -> None:
    for path in Path("scenarios").glob("*.yaml"):
        assert not re.search(r"(?m)^extends:", path.read_text(encoding="utf-8")), path


def test_the_picker_and_migrate_read_a_base_beside_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from game.session import read_scenario

    _write(tmp_path, "old.yaml", (Path(__file__).parent / "fixtures/good/minimal.yaml").read_text())
    kid = _write(tmp_path, "kid.yaml", "extends: old.yaml\nid: kid\n")
    entry = read_scenario(kid, False)
    assert entry.scenario is not None and entry.scenario.id == "kid"
    assert main(["migrate", str(kid), "--check"]) == 1
    assert "extends a base in an older format: migrate the base" in capsys.readouterr().out
