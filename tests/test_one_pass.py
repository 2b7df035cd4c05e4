"""One-pass validation: field errors and cross-reference problems in the same run.

The loader takes the parts of a file that fail validation out of a copy, checks the rest and
reports every problem at once, at the author's line, without reporting anything that only the
parts it took out caused (engine/pruning.py).
"""

from __future__ import annotations

import copy
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from engine import yaml_positions
from engine.loader import Problem, ScenarioError, field_name, load_scenario_text
from engine.pruning import FORMAT_1_DERIVED, Pruning, locate, strip
from engine.scenario import REFERENCE_CHECKS, Model, Scenario, check_reads
from engine.yaml_positions import read_yaml
from game.paths import bundled_scenarios

FIXTURES = Path(__file__).parent / "fixtures"
EIGHT = FIXTURES / "one_pass" / "eight_mistakes.yaml"
MINIMAL = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")
EVERY = FIXTURES / "good" / "every_feature.yaml"


def problems(text: str) -> list[Problem]:
    """Every problem the loader reports for ``text`` (which must be invalid)."""
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "t.yaml")
    return info.value.problems


def where(text: str) -> list[tuple[int, str]]:
    """(line, field path) of every problem reported for ``text``."""
    return [(p.line, p.field) for p in problems(text)]


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# --------------------------------------------------------------------------- must show


# (line, column, field path, the message's start) of each planted mistake, in line order
EIGHT_MISTAKES = [
    (20, 13, "segments[teams].bass_p", "Input should be less than or equal to 4"),
    (25, 11, "segments[norway].name", "Input should be a valid string; YAML reads 'NO' as a"),
    (30, 5, "segments[norway].price_sensitivty", "unknown key 'price_sensitivty' (did you mean"),
    (44, 9, "firms[player].products[flagship].awareness", "duplicate key 'awareness' (lines 43"),
    (55, 16, "firms[rival].products[rival_app].price", "Input should be greater than or equal"),
    (63, 34, "backlog[onboarding].effects.speed", "unknown attribute 'speed'; known: ease, "),
    (69, 17, "backlog[automation].depends_on", "dependency cycle: automation → reporting → "),
    (81, 44, "events[budget_cuts].effects[0].segment", "unknown segment 'enterprise'; known: "),
]


@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_eight_planted_mistakes_are_all_reported_in_one_run(parser: str, monkeypatch) -> None:
    if parser == "python":
        monkeypatch.setattr(yaml_positions, "_PARSER", yaml.SafeLoader)
    text = EIGHT.read_text(encoding="utf-8")
    found = problems(text)
    assert [(p.line, p.col, p.field) for p in found] == [m[:3] for m in EIGHT_MISTAKES]
    for problem, (line, col, field, start) in zip(found, EIGHT_MISTAKES, strict=True):
        assert problem.message.startswith(start)
        assert str(problem) == f"t.yaml:{line}:{col}: {field}: {problem.message}"
    planted = [text.splitlines()[p.line - 1].split("# mistake ")[1][0] for p in found]
    assert sorted(planted) == list("12345678")  # each problem is on a planted mistake's line


def test_fixing_the_eight_mistakes_leaves_a_valid_scenario() -> None:
    text = EIGHT.read_text(encoding="utf-8")
    for old, new in [
        ("bass_p: 30 ", "bass_p: 0.03"),
        ("name: NO ", 'name: "NO"'),
        ("price_sensitivty", "price_sensitivity"),
        ("        awareness: {teams: 0.3, norway: 0.3}\n", ""),
        ("price: -350", "price: 350"),
        (", speed: 0.02", ""),
        ("depends_on: [automation]", "depends_on: [onboarding]"),
        ("segment: enterprise", "segment: teams"),
    ]:
        assert old in text
        text = text.replace(old, new)
    assert load_scenario_text(text).id == "eight_mistakes"


# --------------------------------------------------------------------------- consequences


def test_a_reference_to_a_part_left_out_for_its_own_error_is_not_reported() -> None:
    text = MINIMAL.replace("  - id: everyone\n", "  - id: Everyone Else\n")
    assert where(text) == [
        (12, "segments[0].id"),  # the invalid id; the references to it stay quiet
    ]


def test_an_entry_left_out_is_not_reported_missing() -> None:
    text = MINIMAL.replace("ideal: {ease: 0.5}", "ideal: {ease: 5}")
    assert where(text) == [(15, "segments[everyone].ideal.ease")]


def test_a_firm_left_out_takes_its_products_references_with_it() -> None:
    data = read_yaml(MINIMAL).data
    data["firms"].append(
        {
            "id": "other",
            "name": "Other",
            "controller": "ai",
            "ai": {"archetype": "nich"},
            "products": [{"id": "theirs", "name": "T", "attributes": {"ease": 0.5}, "price": 9}],
        }
    )
    data["backlog"] = [
        {"id": "copy", "name": "Copy", "product": "theirs", "effort": 5},
        {"id": "next", "name": "Next", "product": "nowhere", "effort": 5},
    ]
    found = problems(_dump(data))
    assert [(p.field, p.message.split(" (")[0].split(";")[0]) for p in found] == [
        ("firms[other].ai.archetype", "unknown archetype 'nich'"),
        ("backlog[next].product", "unknown product 'nowhere'"),
    ]


def test_model_validators_report_beside_other_field_errors() -> None:
    data = read_yaml(MINIMAL).data
    data["firms"].append(
        {
            "id": "rival",
            "name": "Rival",
            "controller": "ai",
            "cash": "lots",
            "products": [{"id": "theirs", "name": "T", "attributes": {"ease": 0.5}, "price": 9}],
        }
    )
    data["events"] = [
        {
            "id": "both",
            "title": {"not": "text"},
            "quarter": 2,
            "probability": 0.5,
            "effects": [{"type": "cash", "change": 5}],
        }
    ]
    found = problems(_dump(data))
    assert [(p.field, p.message.split(",")[0]) for p in found] == [
        ("firms[rival]", "an ai firm needs an 'ai' block with its archetype"),
        ("firms[rival].cash", "Input should be a valid number"),
        ("events[both]", "give either 'quarter' (scheduled) or 'probability' (random)"),
        ("events[both].title", "Input should be a valid string"),
    ]


def test_a_validator_that_only_a_left_out_field_upsets_stays_quiet() -> None:
    data = read_yaml(MINIMAL).data
    data["firms"].append(
        {
            "id": "rival",
            "name": "Rival",
            "controller": "ai",
            "ai": {"archetype": 5},
            "products": [{"id": "theirs", "name": "T", "attributes": {"ease": 0.5}, "price": 9}],
        }
    )
    assert [p.field for p in problems(_dump(data))] == ["firms[rival].ai.archetype"]


def test_positions_and_names_survive_entries_left_out_before_them() -> None:
    data = read_yaml(MINIMAL).data
    data["backlog"] = [
        {"id": "a", "name": "A", "product": "app", "effort": 5},
        {"id": "b", "name": "B", "product": "app", "effort": 5, "depends_on": ["Bad Id", "zz"]},
    ]
    data["events"] = [
        {"id": "gone", "title": "Gone", "effects": [{"type": "segment_sise"}]},
        {
            "id": "kept",
            "title": "Kept",
            "effects": [{"type": "cash", "firm": "nobody", "change": 1}],
        },
    ]
    text = _dump(data)
    lines = text.splitlines()
    found = problems(text)
    assert [p.field for p in found] == [
        "backlog[b].depends_on[0]",
        "backlog[b].depends_on[1]",
        "events[gone].effects[0].type",
        "events[kept].effects[0].firm",
    ]
    assert "unknown backlog item 'zz'" in found[1].message
    assert "unknown firm 'nobody'" in found[3].message
    assert lines[found[1].line - 1][found[1].col - 1 :].startswith("zz")
    assert lines[found[3].line - 1][found[3].col - 1 :].startswith("nobody")


def test_a_value_other_checks_compare_skips_only_those_checks() -> None:
    text = MINIMAL.replace("briefing:", "quarters: 40\nbriefing:") + (
        "events:\n"
        "  - {id: late, title: Late, quarter: 20, effects: [{type: cash, change: 1}]}\n"
        "  - {id: lost, title: Lost, quarter: 2,"
        " effects: [{type: segment_size, segment: nowhere, change: 0.1}]}\n"
    )
    assert [p.field for p in problems(text)] == [
        "quarters",  # 40 is out of range: "quarter 20 is after the last quarter" is not said
        "events[lost].effects[0].segment",
    ]


def test_a_broken_required_list_reports_the_field_errors_only() -> None:
    text = MINIMAL.replace("roles: [pm]", "roles: []") + (
        "events:\n  - {id: lost, title: Lost, effects: [{type: segment_size, segment: x,"
        " change: 9}]}\n"
    )
    assert [p.field for p in problems(text)] == ["roles", "events[lost].effects[0].change"]


def test_field_names_use_ids_only_when_they_name_one_entry() -> None:
    data = {
        "firms": [
            {"id": "a", "products": [{"id": "p"}, {"name": "no id"}]},
            {"id": "a"},
            {"id": "Not An Id"},
            "text",
        ]
    }
    assert field_name(data, ("firms", 0, "products", 0, "price")) == "firms[0].products[p].price"
    assert field_name(data, ("firms", 0, "products", 1)) == "firms[0].products[1]"
    assert field_name(data, ("firms", 2, "name")) == "firms[2].name"
    assert field_name(data, ("firms", 3)) == "firms[3]"
    assert field_name(data, ("firms", 9, "x")) == "firms[9].x"
    assert field_name(data, ()) == ""


def test_a_format_1_file_that_lost_a_segment_value_skips_derived_checks() -> None:
    data = read_yaml(MINIMAL).data
    pruning = Pruning(data)
    pruning.changes[("segments", 0, "media_cost")] = 2.0
    pruning.rebuild()
    assert pruning.unsure >= FORMAT_1_DERIVED
    current = Pruning({**data, "format": 2})
    current.changes[("segments", 0, "media_cost")] = 2.0
    current.rebuild()
    assert not FORMAT_1_DERIVED & current.unsure


# --------------------------------------------------------------------------- never a false problem


def _scalar_paths(node: Any, path: tuple = ()) -> list[tuple]:
    """Paths of the scalars a scenario holds, except ids (changing an id is a new scenario)."""
    if isinstance(node, dict):
        return [p for k, v in node.items() if k != "id" for p in _scalar_paths(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _scalar_paths(v, (*path, i))]
    return [path]


VALID = {
    "every_feature": read_yaml(EVERY.read_text(encoding="utf-8")).data,
    **{p.stem: read_yaml(p.read_text(encoding="utf-8")).data for p in bundled_scenarios()[:3]},
}
BROKEN = st.sampled_from([{"not": "a value"}, -1e300, 1e300, "??"])


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(draw=st.data())
def test_breaking_values_of_a_valid_scenario_reports_only_those_values(draw) -> None:
    """A valid scenario with one to four values broken reports those values and nothing else:
    no cross-reference problem, no validator, no list, caused by what was left out."""
    name = draw.draw(st.sampled_from(sorted(VALID)), label="scenario")
    data = copy.deepcopy(VALID[name])
    paths = draw.draw(
        st.lists(st.sampled_from(_scalar_paths(data)), min_size=1, max_size=4, unique=True),
        label="paths",
    )
    for path in paths:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = draw.draw(BROKEN, label=str(path))
    try:
        load_scenario_text(_dump(data), "broken.yaml")
    except ScenarioError as exc:
        found = exc.problems
    else:
        found = []  # "??" where text is allowed
    broken = {field_name(data, p) for p in paths}
    tags = {field_name(data, p[:-1]) for p in paths if p[-1] in ("type", "archetype")}
    unexplained = [str(p) for p in found if p.field not in broken | tags]
    assert not unexplained


# --------------------------------------------------------------------------- declarations


def _needs_declaring(model: type[BaseModel], field: str) -> bool:
    """Whether a check reading this field must declare it (see engine.scenario._reads):
    not a name (pattern-checked text), nor a field whose default is None, nor a list or map
    that is required or empty by default."""
    info = model.model_fields[field]
    if any(getattr(m, "pattern", None) for m in info.metadata) or info.default is None:
        return False
    if typing.get_origin(strip(info.annotation)) in (list, dict):
        return not info.is_required() and bool(info.get_default(call_default_factory=True))
    return True


def _reads_while(run: typing.Callable[[], object], monkeypatch) -> set[str]:
    """Every ``Model.field`` read while ``run`` runs."""
    seen: set[str] = set()
    plain = BaseModel.__getattribute__

    def recording(self: BaseModel, name: str) -> Any:
        fields = type(self).model_fields
        if name in fields:
            seen.add(f"{type(self).__name__}.{name}")
        return plain(self, name)

    monkeypatch.setattr(Model, "__getattribute__", recording)
    try:
        run()
    finally:
        monkeypatch.undo()
    return seen


def _models() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    todo: list[Any] = [Scenario]
    while todo:
        tp = todo.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp.__name__ in found:
                continue
            found[tp.__name__] = tp
            todo += [info.annotation for info in tp.model_fields.values()]
        todo += list(typing.get_args(tp))
    return found


SCENARIOS = [
    load_scenario_text(p.read_text(encoding="utf-8"))
    for p in [*bundled_scenarios(), *sorted((FIXTURES / "good").glob("*.yaml"))]
]


@pytest.mark.parametrize("check", REFERENCE_CHECKS, ids=lambda c: c.__name__)
def test_every_value_a_reference_check_compares_is_declared(check, monkeypatch) -> None:
    models = _models()
    for declared in check_reads(check):
        model, field = declared.split(".")
        assert field in models[model].model_fields, declared
    read = _reads_while(lambda: [list(check(s)) for s in SCENARIOS], monkeypatch)
    undeclared = {
        name
        for name in read
        if _needs_declaring(models[name.split(".")[0]], name.split(".")[1])
        and name not in check_reads(check)
    }
    assert not undeclared, f"declare with @_reads: {sorted(undeclared)}"


def test_every_model_validator_declares_the_fields_it_compares(monkeypatch) -> None:
    models = _models()
    with_validators = {
        name: model
        for name, model in models.items()
        if model.__pydantic_decorators__.model_validators and name != "Scenario"
    }
    assert set(with_validators) == {"Firm", "Event", "Request"}
    found = {
        "Firm": lambda s: s.firms,
        "Event": lambda s: s.events,
        "Request": lambda s: [r for person in s.stakeholders for r in person.requests],
    }
    for name, model in with_validators.items():
        instances = [item for s in SCENARIOS for item in found[name](s) if isinstance(item, model)]
        assert instances, name
        for decorator in model.__pydantic_decorators__.model_validators.values():
            read = _reads_while(
                lambda d=decorator, items=instances: [d.func(i) for i in items], monkeypatch
            )
            assert {r.split(".")[1] for r in read} <= set(model.checked_together), name


def test_locate_names_the_model_holding_an_error() -> None:
    located = locate(("events", 0, "effects", 1, "segment_size", "change"))
    assert located.path == ("events", 0, "effects", 1, "change")
    assert located.parent.__name__ == "SegmentSize"
