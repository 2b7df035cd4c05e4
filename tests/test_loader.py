"""The scenario loader: exact positions for every kind of mistake, limits, and robustness."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import yaml_positions
from engine.loader import MAX_BYTES, Problem, ScenarioError, load_scenario, load_scenario_text
from engine.yaml_positions import MAX_DEPTH, MAX_NODES
from game.paths import bundled_scenarios
from game.starter import starter_text

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = sorted((FIXTURES / "good").glob("*.yaml"))
MINIMAL = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")
BAD = sorted((FIXTURES / "bad").glob("*.yaml"))

# fixture -> every problem reported, as (line, field.path, fragment of the message)
EXPECTED: dict[str, list[tuple[int, str, str]]] = {
    "ai_without_block": [(28, "firms[rival]", "an ai firm needs an 'ai' block")],
    "alias_bomb": [(6, "", f"expands to more than {MAX_NODES:,} values")],
    "bool_in_choice": [(31, "objectives[share].kpi", "YAML reads 'yes' as a boolean; quote it")],
    "deep_nesting": [(6, "", f"nesting is deeper than {MAX_DEPTH} levels")],
    "dependency_cycle": [(38, "backlog[api].depends_on", "dependency cycle: api → sdk → api")],
    "duplicate_id": [(35, "backlog[1].id", "duplicate id 'api' (an earlier entry has it too)")],
    "duplicate_key": [(13, "segments[everyone].name", "duplicate key 'name' (lines 12 and 13)")],
    "empty": [(1, "", "the file is empty")],
    "missing_field": [(22, "firms[player].products[app].price", "required field is missing")],
    "no_in_string": [
        (9, "attributes[ease].name", "YAML reads 'NO' as a boolean; quote it: \"NO\"")
    ],
    "no_team": [(22, "firms[player].products[app]", "needs a 'team'")],
    "not_mapping": [(1, "", "the top level must be a mapping")],
    "not_utf8": [(3, "", "not UTF-8 text (byte 0xe9)")],
    "octal": [(7, "quarters", "octal number 8")],
    "on_in_number": [
        (25, "firms[player].products[app].price", "YAML reads 'on' as a boolean, not a number")
    ],
    "out_of_bounds": [(14, "segments[everyone].ideal.ease", "less than or equal to 1")],
    "python_tag": [(3, "", "'!!python/object/apply:os.system' is not allowed")],
    "recursive_alias": [(6, "", "alias '*r' refers to its own block")],
    "sexagesimal": [(25, "firms[player].products[app].price", "base-60 number 90")],
    "syntax_error": [(10, "", "YAML syntax error")],
    "two_documents": [(33, "", "one YAML document only")],
    "unknown_archetype_key": [
        (31, "firms[rival].ai.target_segment", "required field is missing"),
        (31, "firms[rival].ai.target_segmnt", "did you mean 'target_segment'?"),
    ],
    "unknown_attribute": [(15, "segments[everyone].weights.eas", "did you mean 'ease'?")],
    "unknown_effect_type": [(37, "events[boom].effects[0].type", "did you mean 'segment_size'?")],
    "unknown_key": [
        (11, "segments[everyone].weights", "required field is missing"),
        (15, "segments[everyone].wieghts", "unknown key 'wieghts' (did you mean 'weights'?)"),
    ],
    "unknown_segment": [(38, "events[boom].effects[0].segment", "did you mean 'everyone'?")],
    "wrong_type": [(13, "segments[everyone].size", "valid number")],
}


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def test_every_bad_fixture_has_an_expectation() -> None:
    assert sorted(p.stem for p in BAD) == sorted(EXPECTED)


@pytest.fixture(params=["libyaml", "python"])
def parser(request, monkeypatch) -> None:
    """Run a test with the C parser (when installed) and with PyYAML's pure-Python one."""
    if request.param == "python":
        monkeypatch.setattr(yaml_positions, "_PARSER", yaml.SafeLoader)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_fixture_reports_exact_line_and_field(path: Path, parser: None) -> None:
    problems = problems_of(path)
    got = [(p.line, p.field) for p in problems]
    assert got == [(line, field) for line, field, _ in EXPECTED[path.stem]]
    for problem, (_, _, fragment) in zip(problems, EXPECTED[path.stem], strict=True):
        assert fragment in problem.message
        assert problem.file == str(path)
        assert str(problem).startswith(f"{path}:{problem.line}:{problem.col}: ")


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_good_fixture_loads(path: Path, parser: None) -> None:
    assert load_scenario(path).id == path.stem


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_bundled_scenario_loads_and_declares_schema(path: Path) -> None:
    assert load_scenario(path).id == path.stem
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=scenario.schema.json"


def test_every_effect_type_and_archetype_is_covered_by_a_good_fixture() -> None:
    s = load_scenario(FIXTURES / "good" / "every_feature.yaml")
    effect_types = {e.type for ev in s.events for e in ev.effects}
    archetypes = {f.ai.archetype for f in s.firms if f.ai is not None}
    assert len(effect_types) == 14
    assert len(archetypes) == 6


def test_yaml_features_resolve_to_the_written_values() -> None:
    s = load_scenario(FIXTURES / "good" / "yaml_features.yaml")
    assert (s.title, s.summary) == ("NO", "on")
    assert [a.name for a in s.attributes] == ["yes", "1:30"]
    north, south = s.segments
    assert (south.id, south.size, south.reference_price) == ("south", 1000, 100.0)
    assert south.weights == north.ideal == {"ease": 0.5, "power": 0.5}
    assert s.firms[0].products[0].price == 100
    assert s.objectives[0].target == 0.1


def test_error_text_is_one_line_per_problem() -> None:
    path = FIXTURES / "bad" / "unknown_key.yaml"
    text = str(ScenarioError(problems_of(path)))
    assert text.splitlines() == [
        f"{path}:11:5: segments[everyone].weights: required field is missing",
        f"{path}:15:5: segments[everyone].wieghts: unknown key 'wieghts' (did you mean 'weights'?)",
    ]


def test_python_tag_constructs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f'id: x\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n'
    with pytest.raises(ScenarioError, match="not allowed"):
        load_scenario_text(text, "evil.yaml")
    assert not marker.exists()


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(50_000_000)  # sparse: costs no disk or time
    problems = problems_of(path)
    assert len(problems) == 1 and "50.0 MB; the limit is 2.0 MB" in problems[0].message


def test_ten_thousand_levels_of_nesting_give_a_clean_error() -> None:
    for text in ("[" * 10_000 + "]" * 10_000, "a: " + "{b: " * 10_000 + "1" + "}" * 10_000):
        with pytest.raises(ScenarioError, match="nesting is deeper than 50 levels"):
            load_scenario_text(text, "deep.yaml")


def test_deep_block_nesting_is_refused() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(100))
    with pytest.raises(ScenarioError, match="nesting is deeper"):
        load_scenario_text(text, "deep.yaml")


def test_alias_nesting_counts_towards_depth() -> None:
    inner = "[" * 30 + "]" * 30
    text = f"a: &x {inner}\nb: " + "[" * 30 + "*x" + "]" * 30
    with pytest.raises(ScenarioError, match="nesting is deeper"):
        load_scenario_text(text, "alias_deep.yaml")


def test_too_many_values_are_refused() -> None:
    with pytest.raises(ScenarioError, match=f"more than {MAX_NODES:,} values"):
        load_scenario_text("a: [" + "1, " * MAX_NODES + "1]", "wide.yaml")


def test_text_over_the_size_limit_is_refused() -> None:
    with pytest.raises(ScenarioError, match="over the limit"):
        load_scenario_text("#" * (MAX_BYTES + 1), "big.yaml")


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda d: d, "is a folder"),
        (lambda d: d / "missing.yaml", "no such file"),
    ],
)
def test_paths_that_are_not_scenario_files(tmp_path: Path, make, fragment: str) -> None:
    problems = problems_of(make(tmp_path))
    assert len(problems) == 1 and fragment in problems[0].message
    assert problems[0].line == 0 and str(problems[0]).count(":") == 1


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "good" / "minimal.yaml").read_bytes())
    assert load_scenario(path).id == "minimal"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device_files_are_refused_without_reading() -> None:
    assert "not a regular file" in problems_of(Path("/dev/zero"))[0].message


def test_yaml_level_problems() -> None:
    for text, fragment in [
        ("a: *nothing", "names no anchor"),
        ("a: !!set {x}", "'!!set' is not allowed"),
        ("a: !local 1", "'!local' is not allowed"),
        ("a: !!int twelve", "not a valid int"),
        ("a: \x00", "is not allowed in YAML"),
        ("? [a]\n: 1", "a key must be a plain name"),
        ("a: " + "9" * 5000, "'9999999999999999999999999999999999999999...' is not a valid"),
        ("a:\n\tb: 1", "indent YAML with spaces"),
        ("a: 1\n---\nb: 2", "one YAML document only"),
    ]:
        with pytest.raises(ScenarioError, match=fragment):
            load_scenario_text(text, "t.yaml")


def test_reference_errors_are_all_reported_at_once() -> None:
    text = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("ideal: {ease: 0.5}", "ideal: {eas: 0.5}")
    text = text.replace("target: 0.1", "target: 0.1\n    segment: nowhere")
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "m.yaml")
    problems = info.value.problems
    assert [(p.line, p.field) for p in problems] == [
        (15, "segments[everyone].ideal"),
        (15, "segments[everyone].ideal.eas"),
        (34, "objectives[share].segment"),
    ]


def test_a_bad_mapping_key_is_reported_at_the_key_without_value_hints() -> None:
    text = (FIXTURES / "good" / "every_feature.yaml").read_text(encoding="utf-8")
    text = text.replace("effects: {morale: 0.05,", "effects: {moral: 0.05,")
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "k.yaml")
    (problem,) = info.value.problems
    where = (problem.line, problem.col, problem.field)
    assert where == (93, 57, "initiatives[offsite].effects.moral")
    assert problem.message.endswith("(did you mean 'morale'?)")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "3",
            "this file is format 3; this version of Crossroads reads formats 1 and 2 (it was "
            "written for a newer version: update Crossroads)",
        ),
        (
            '"two"',
            "the format is a version number (this version of Crossroads reads formats 1 and 2), "
            "got text 'two'",
        ),
        (
            "yes",
            "the format is a version number (this version of Crossroads reads formats 1 "
            "and 2), got a boolean",
        ),
        ("", "got nothing"),
        ("0", "got 0"),
        ("1", "a format-1 file has no 'format' key: delete this line"),
    ],
)
def test_a_format_this_version_cannot_read_is_named_at_its_line(value: str, message: str) -> None:
    text = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("id: minimal\n", f"id: minimal\nformat: {value}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "m.yaml")
    assert [(p.line, p.field) for p in info.value.problems] == [(4, "format")]
    assert message in info.value.problems[0].message


def test_format_1_is_converted_on_load_and_format_2_is_read_as_it_is() -> None:
    text = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")
    old = load_scenario_text(text)
    assert old.upgraded and old.segments[0].bass_p == 0.02  # the format-1 default, per year
    current = load_scenario_text(text.replace("id: minimal\n", "id: minimal\nformat: 2\n"))
    assert current.upgraded == ()


def test_starter_validates() -> None:
    scenario = load_scenario_text(starter_text("my-market"), "my-market.yaml")
    assert (scenario.id, scenario.title) == ("my_market", "My market")


# --------------------------------------------------------------------------- properties

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["NO", "on", "1:30", "012", "0x1F", "2024-01-01", "~", "<<", "="]),
)
_keys = st.one_of(
    st.text(max_size=12), st.sampled_from(["id", "title", "segments", "firms", "type"])
)
_structures = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(_keys, children, max_size=5),
    max_leaves=30,
)
_FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _dump(data: object) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True)


def _only_scenario_error(text: str) -> None:
    try:
        load_scenario_text(text, "prop.yaml")
    except ScenarioError as exc:
        assert exc.problems
        assert all(p.message for p in exc.problems)


@_FAST
@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_scenario_error(text: str) -> None:
    _only_scenario_error(text)


@_FAST
@given(_structures)
def test_arbitrary_yaml_structures_raise_only_scenario_error(data: object) -> None:
    _only_scenario_error(_dump(data))
    _only_scenario_error(_dump({"id": "x", "segments": [data], "firms": data}))


_RICH = yaml.safe_load((FIXTURES / "good" / "every_feature.yaml").read_text("utf-8"))


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_paths(_RICH)[1:]), _structures)
def test_mutated_scenario_raises_only_scenario_error_at_a_known_field(path, value) -> None:
    import copy

    data = copy.deepcopy(_RICH)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    try:
        load_scenario_text(_dump(data), "mutant.yaml")
    except ScenarioError as exc:
        assert all(p.line >= 1 for p in exc.problems)


_EDIT_CHARS = st.sampled_from(list(":-[]{}&*!|>'\"#,? \n\t<%@`0aN"))


@_FAST
@given(st.lists(st.tuples(st.floats(0, 1), st.booleans(), _EDIT_CHARS), min_size=1, max_size=4))
def test_edited_scenario_text_raises_only_scenario_error(edits) -> None:
    text = list((FIXTURES / "good" / "every_feature.yaml").read_text("utf-8"))
    for where, insert, char in edits:
        pos = min(int(where * len(text)), len(text) - 1)
        if insert:
            text.insert(pos, char)
        else:
            del text[pos]
    _only_scenario_error("".join(text))


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("4e6", 4_000_000),
        ("4E6", 4_000_000),
        ("2.5e5", 250_000),
        ("1.5e-3", 0.0015),
        ("+1.5E+3", 1500),
        (".5e3", 500),
        ("4_000_000", 4_000_000),
        ("4.0e+6", 4_000_000),
    ],
)
def test_numbers_as_authors_write_them_are_numbers(written: str, value: float, parser) -> None:
    text = MINIMAL.replace("target: 0.1", f"target: {written}")
    assert load_scenario_text(text).objectives[0].target == value


def test_the_exponent_forms_leave_pyyaml_itself_alone() -> None:
    assert yaml.safe_load("a: 4e6") == {"a": "4e6"}


@pytest.mark.parametrize(
    ("field", "written", "message"),
    [
        ("size", "4M", "valid number, got text '4M'; write 4000000 (or 4e6)"),
        ("size", "$4,000,000", "got text '$4,000,000'; write 4000000 (or 4e6)"),
        ("size", "4 000 000", "got text '4 000 000'; write 4000000 (or 4e6)"),
        ("size", "2.5k", "got text '2.5k'; write 2500"),
        ("size", "3bn", "got text '3bn'; write 3000000000 (or 3e9)"),
        ("size", "€250", "got text '€250'; write 250"),
        ("size", '"1000"', "got text '1000'; write the number without quotes"),
        ("size", "1,5", "got text '1,5'"),
        ("in_market", "40%", "got text '40%'; write 0.40 for 40%"),
        ("resolution", "2e4", "valid integer, got 2e4; write 20000 (a whole number: no exponent"),
        ("name", "1e5", "valid string; YAML reads '1e5' as a number; quote it: \"1e5\""),
    ],
)
def test_numbers_that_stay_refused_say_what_to_write(
    field: str, written: str, message: str
) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(_segment_with(field, written), "n.yaml")
    (problem,) = info.value.problems
    assert problem.field == f"segments[everyone].{field}"
    assert message in problem.message


def _segment_with(field: str, written: str) -> str:
    """The minimal scenario with one field of its segment written as given."""
    existing = {"size": "size: 1000", "name": "name: Everyone"}
    old = existing.get(field, "reference_price: 100")
    new = f"{field}: {written}" if field in existing else f"{old}\n    {field}: {written}"
    return MINIMAL.replace(old, new)
