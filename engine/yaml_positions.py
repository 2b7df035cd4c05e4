"""Safe, bounded YAML reading that remembers where every value came from.

The scenario loader needs more than ``yaml.safe_load``: each value's line and column (so a
pydantic error can point at the author's line), duplicate keys reported instead of silently
overwritten, explicit tags other than the plain core ones refused (``!!python/...`` never
constructs anything), and hard limits on nesting, node count and alias expansion so that a
hostile file ("billion laughs", ``[[[[...``) is refused before it costs time or memory.

YAML 1.1 resolution is kept (``NO`` and ``on`` are booleans, so a strict model reports them
as type errors), except for the silent-wrong-value forms: sexagesimal numbers (``1:30``),
octal-looking integers (``012``) and timestamps stay strings, and a :class:`Reading` keeps the
source text of every plain scalar so the loader can explain what YAML made of it. Numbers
with an exponent are read as YAML 1.2 and authors write them: ``4e6``, ``4E6`` and ``1.5e3``
are numbers (YAML 1.1 wants a point and a signed exponent, ``4.0e+6``, and reads the rest as
text); ``4_000_000`` already is one in YAML 1.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DEPTH = 50
MAX_NODES = 30_000

Path = tuple[str | int, ...]

_PARSER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
EXPONENT_NUMBER = re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$")
"""Floats with an exponent that YAML 1.1 leaves as text (``4e6``, ``1.5E3``, ``.5e3``)."""


class _Resolver(yaml.resolver.Resolver):
    """YAML 1.1 resolution plus :data:`EXPONENT_NUMBER` (PyYAML's own resolver is untouched)."""


_Resolver.add_implicit_resolver(f"{_CORE}float", EXPONENT_NUMBER, list("-+0123456789."))
_RESOLVER = _Resolver()
_CONSTRUCTOR = SafeConstructor()


class YamlProblem(Exception):
    """A problem that stops reading (syntax, a forbidden tag, a limit); 1-based position."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


@dataclass
class Reading:
    """A YAML document as plain Python data plus where each value was written.

    ``values`` and ``keys`` map a path (keys and list indices) to the 1-based (line, col) of
    the value and of its mapping key; ``raw`` holds the source text and the YAML type of each
    plain scalar that YAML did *not* read as a string; ``problems`` are non-fatal findings
    (duplicate keys) as (path, line, col, message).
    """

    data: Any = None
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    raw: dict[Path, tuple[str, str]] = field(default_factory=dict)
    problems: list[tuple[Path, int, int, str]] = field(default_factory=list)


def _pos(node_or_event: Any) -> tuple[int, int]:
    mark = node_or_event.start_mark
    return mark.line + 1, mark.column + 1


class _Composer:
    """Builds yaml nodes from parser events with depth, size and tag checks."""

    def __init__(self, events: Iterator[Any]) -> None:
        self.events = events
        self.anchors: dict[str, Node] = {}
        self.sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded nodes, height)
        self.open: set[int] = set()
        self.total = 0

    def _count(self, size: int, event: Any) -> None:
        self.total += size
        if self.total > MAX_NODES:
            line, col = _pos(event)
            raise YamlProblem(
                line,
                col,
                f"the document expands to more than {MAX_NODES:,} values (too many values or "
                "aliases that repeat large blocks); refusing to read further",
            )

    def _tag(self, event: Any, default: str) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            return default
        if tag in _ALLOWED_TAGS:
            return tag
        line, col = _pos(event)
        short = tag.replace(_CORE, "!!")
        why = (
            "Python tags could run code"
            if "python/" in tag
            else "only plain YAML values (text, numbers, booleans, lists, mappings) are read"
        )
        raise YamlProblem(line, col, f"tag '{short}' is not allowed: {why}; nothing is constructed")

    def document(self) -> Node | None:
        """The single document's root node, or None for an empty stream."""
        root: Node | None = None
        for event in self.events:
            if isinstance(event, DocumentStartEvent):
                if root is not None:
                    line, col = _pos(event)
                    raise YamlProblem(line, col, "a scenario file holds one YAML document only")
                root = self.node(next(self.events), 1)
            elif isinstance(event, StreamEndEvent):
                break
        return root

    def node(self, event: Any, depth: int) -> Node:
        """Compose the node starting with ``event`` at nesting ``depth`` (1 = top level)."""
        if isinstance(event, AliasEvent):
            return self._alias(event, depth)
        if isinstance(event, CollectionStartEvent) and depth > MAX_DEPTH:
            line, col = _pos(event)
            raise YamlProblem(line, col, f"nesting is deeper than {MAX_DEPTH} levels")
        self._count(1, event)
        if isinstance(event, ScalarEvent):
            if event.tag is None or event.tag == "!":
                tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)
            else:
                tag = self._tag(event, f"{_CORE}str")
            node: Node = ScalarNode(tag, event.value, event.start_mark, event.end_mark)
            size, height = 1, 0
        elif isinstance(event, SequenceStartEvent):
            node = SequenceNode(self._tag(event, f"{_CORE}seq"), [], event.start_mark, None)
            size, height = self._children(node, event, depth, pairs=False)
        elif isinstance(event, MappingStartEvent):
            node = MappingNode(self._tag(event, f"{_CORE}map"), [], event.start_mark, None)
            size, height = self._children(node, event, depth, pairs=True)
        else:  # pragma: no cover - the parser emits no other event here
            line, col = _pos(event)
            raise YamlProblem(line, col, f"unexpected YAML event {type(event).__name__}")
        if event.anchor is not None:
            self.anchors[event.anchor] = node
        self.sizes[id(node)] = (size, height)
        return node

    def _children(self, node: Node, start: Any, depth: int, pairs: bool) -> tuple[int, int]:
        if start.anchor is not None:
            self.anchors[start.anchor] = node
            self.open.add(id(node))
        size, height = 1, 0
        pending: Node | None = None
        for event in self.events:
            if not isinstance(event, ScalarEvent | CollectionStartEvent | AliasEvent):
                break  # the matching end event
            child = self.node(event, depth + 1)
            child_size, child_height = self.sizes[id(child)]
            size += child_size
            height = max(height, child_height)
            if not pairs:
                node.value.append(child)
            elif pending is None:
                pending = child
            else:
                node.value.append((pending, child))
                pending = None
        self.open.discard(id(node))
        return size, height + 1

    def _alias(self, event: AliasEvent, depth: int) -> Node:
        line, col = _pos(event)
        target = self.anchors.get(event.anchor)
        if target is None:
            raise YamlProblem(line, col, f"alias '*{event.anchor}' names no anchor defined before")
        if id(target) in self.open:
            raise YamlProblem(line, col, f"alias '*{event.anchor}' refers to its own block")
        size, height = self.sizes[id(target)]
        if depth - 1 + height > MAX_DEPTH:
            raise YamlProblem(line, col, f"nesting is deeper than {MAX_DEPTH} levels")
        self._count(size, event)
        return target


def compose(text: str) -> Node | None:
    """Parse ``text`` into a bounded node tree; raise :class:`YamlProblem` on any problem."""
    try:
        return _Composer(iter(yaml.parse(text, Loader=_PARSER))).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if "maximum nesting depth" in detail:  # libyaml's own limit, met before ours is read
            raise YamlProblem(line, col, f"nesting is deeper than {MAX_DEPTH} levels") from None
        if mark and text[mark.index : mark.index + 1] == "\t":
            detail += " (a tab: indent YAML with spaces)"
        raise YamlProblem(line, col, f"YAML syntax error: {detail}") from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise YamlProblem(
            line, col, f"character {char!r} (code {ord(char[:1] or ' ')}) is not allowed in YAML"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, f"YAML error: {exc}") from None


def _scalar(node: ScalarNode) -> tuple[Any, str | None]:
    """The Python value of a scalar and, when YAML did not read it as a string, its type."""
    kind = node.tag.removeprefix(_CORE)
    text = node.value
    if kind == "null":
        return None, "null"
    if kind == "bool":
        return _CONSTRUCTOR.construct_yaml_bool(node), "bool"
    if kind in ("int", "float"):
        if ":" in text:
            return text, "sexagesimal"
        if kind == "int" and _OCTAL.match(text):
            return text, "octal"
        build = _CONSTRUCTOR.construct_yaml_float
        if kind == "int":
            build = _CONSTRUCTOR.construct_yaml_int
        try:
            return build(node), kind
        except ValueError:
            line, col = _pos(node)
            shown = text if len(text) <= 40 else text[:40] + "..."
            raise YamlProblem(line, col, f"'{shown}' is not a valid {kind}") from None
    return text, None  # str, timestamp, merge and value markers stay as written


def _merge_sources(node: Node) -> list[MappingNode]:
    if isinstance(node, MappingNode):
        return [node]
    if isinstance(node, SequenceNode) and all(isinstance(n, MappingNode) for n in node.value):
        return list(node.value)
    line, col = _pos(node)
    raise YamlProblem(line, col, "a merge key '<<' needs a mapping or a list of mappings")


def _convert(node: Node, path: Path, out: Reading) -> Any:
    out.values[path] = _pos(node)
    if isinstance(node, ScalarNode):
        value, kind = _scalar(node)
        if kind is not None and node.style is None:
            out.raw[path] = (node.value, kind)
        return value
    if isinstance(node, SequenceNode):
        return [_convert(child, (*path, i), out) for i, child in enumerate(node.value)]
    result: dict[str, Any] = {}
    explicit: dict[str, int] = {}
    pairs = [p for p in node.value if p[0].tag != f"{_CORE}merge"]
    for key_node, value_node in node.value:
        if key_node.tag == f"{_CORE}merge":
            for source in _merge_sources(value_node):
                for key, value in _convert(source, path, out).items():
                    result.setdefault(key, value)
    for key_node, value_node in pairs:
        if not isinstance(key_node, ScalarNode):
            line, col = _pos(key_node)
            raise YamlProblem(line, col, "a key must be a plain name, not a list or mapping")
        key = key_node.value
        line = key_node.start_mark.line + 1
        if key in explicit:
            out.problems.append(
                (
                    (*path, key),
                    line,
                    key_node.start_mark.column + 1,
                    f"duplicate key '{key}' (lines {explicit[key]} and {line})",
                )
            )
        explicit[key] = line
        out.keys[(*path, key)] = _pos(key_node)
        result[key] = _convert(value_node, (*path, key), out)
    out.values[path] = _pos(node)
    return result


def read_yaml(text: str) -> Reading:
    """Read one YAML document into plain data with positions; raise :class:`YamlProblem`."""
    root = compose(text)
    reading = Reading()
    if root is None:
        raise YamlProblem(1, 1, "the file is empty")
    reading.data = _convert(root, (), reading)
    return reading
