"""The engine's shape: no import cycles between its modules and no overlong functions.

Every ``engine/*.py`` is parsed with :mod:`ast` (nothing is imported). An import of an
``engine.*`` module counts wherever it is written: at the top, under ``TYPE_CHECKING`` or
inside a function. ``from engine import x`` counts as an import of ``engine.x`` when that is
a module, else of the package ``engine`` (``engine/__init__.py``).
"""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "engine"
MAX_FUNCTION_LINES = 80
LONG_FUNCTIONS_ALLOWED: set[tuple[str, str]] = set()  # none: every engine function fits


def _module_name(path: Path) -> str:
    return "engine" if path.stem == "__init__" else f"engine.{path.stem}"


def _trees() -> dict[str, ast.Module]:
    return {
        _module_name(path): ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for path in sorted(ENGINE.glob("*.py"))
    }


def _imports(tree: ast.Module, modules: set[str]) -> set[str]:
    """Every engine module ``tree`` imports, at any depth of the syntax tree."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in modules:
            if node.module == "engine":
                found |= {
                    f"engine.{a.name}" if f"engine.{a.name}" in modules else "engine"
                    for a in node.names
                }
            else:
                found.add(node.module)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module name → the engine modules it imports (self-imports left out)."""
    trees = _trees()
    modules = set(trees)
    return {name: _imports(tree, modules) - {name} for name, tree in trees.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path whose first and last module are the same, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def long_functions() -> list[tuple[str, str, int]]:
    """(file, function, lines) of every def longer than the limit, nested ones included."""
    out = []
    for path in sorted(ENGINE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if length > MAX_FUNCTION_LINES:
                    out.append((path.name, node.name, length))
    return out


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_engine_imports_have_no_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle in engine/: " + " -> ".join(cycle or [])


def test_phase_modules_never_import_the_simulation() -> None:
    graph = import_graph()
    phases = ("company", "competitors", "explain", "view", "quarter")
    offenders = [m for m in phases if "engine.simulation" in graph.get(f"engine.{m}", set())]
    assert not offenders, f"these modules import engine.simulation: {offenders}"


def test_no_engine_function_is_longer_than_the_limit() -> None:
    too_long = [f for f in long_functions() if f[:2] not in LONG_FUNCTIONS_ALLOWED]
    assert not too_long, (
        f"functions longer than {MAX_FUNCTION_LINES} lines (file, function, lines): {too_long}"
    )
