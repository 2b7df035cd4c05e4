"""Scenario inheritance: merge a file that ``extends`` a base into one document, with origins.

A scenario may start with ``extends: tutorial`` (a bundled id) or ``extends: base.yaml`` (a
path relative to the file). The loader (:mod:`engine.loader`) reads the base, resolves *its*
``extends`` first, then merges the file into it with :func:`merge` and validates the result.
The merge rules, documented for authors in docs/authoring.md ("Building on another scenario"):

* **Mappings merge by key**: a key the file writes replaces or merges into the base's; keys it
  does not write keep the base's value.
* **Lists of items with ids merge by id** (segments, firms, products, backlog, events, ...):
  an item whose id the base has is merged into the base's item key by key; an item with a
  new id is appended, in the file's order. An empty list (``[]``) replaces the base's list.
* **Other lists are replaced whole** (``roles: [pm]``, ``inject_deck``).
* **``remove:``** in a mapping names, per list of that mapping, the ids to drop from the
  base: ``remove: {backlog: [onboarding], events: [outage]}``. No scenario field is called
  ``remove`` (a test keeps it so), so the key is never data. Removing an id and listing it
  again replaces that item whole.

Every value keeps a :class:`Spot`: the file, line and column that set it, so a problem in
the merged scenario points at the file the author must edit.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.yaml_positions import Path, Reading

EXTENDS_KEY = "extends"
REMOVE_KEY = "remove"
MAX_EXTENDS = 4
"""Bases above a file at most (a file extending a file extending ... four deep)."""
_ABSENT: Any = object()


@dataclass(frozen=True)
class Spot:
    """Where one value was written: file name, value and key position, plain-scalar source."""

    file: str
    value: tuple[int, int]
    key: tuple[int, int] | None = None
    raw: tuple[str, str] | None = None


@dataclass
class Layer:
    """Scenario data (a mapping) and the :class:`Spot` of every path in it."""

    data: dict[str, Any]
    spots: dict[Path, Spot]

    @classmethod
    def of(cls, reading: Reading, file: str) -> Layer:
        """The layer of one file as YAML read it."""
        spots = {
            path: Spot(file, pos, reading.keys.get(path), reading.raw.get(path))
            for path, pos in reading.values.items()
        }
        return cls(reading.data, spots)

    def reading(self) -> tuple[Reading, dict[Path, str]]:
        """A :class:`Reading` of the merged data and the file that set each path."""
        reading = Reading(data=self.data)
        for path, spot in self.spots.items():
            reading.values[path] = spot.value
            if spot.key is not None:
                reading.keys[path] = spot.key
            if spot.raw is not None:
                reading.raw[path] = spot.raw
        return reading, {path: spot.file for path, spot in self.spots.items()}


Report = Callable[[Path, str], None]
"""Called with a path in the *child's* data and a message for each misuse of ``remove:``."""


def merge(base: Layer, child: Layer, report: Report) -> Layer:
    """``child`` merged into ``base`` by the rules above; neither is changed."""
    merger = _Merger(base, child, report)
    data = merger.mapping(base.data, (), child.data, (), ())
    return Layer(data, merger.spots)


def is_id_list(value: Any) -> bool:
    """Whether ``value`` is a list whose every entry is a mapping with a text ``id``."""
    return isinstance(value, list) and all(
        isinstance(v, dict) and isinstance(v.get("id"), str) for v in value
    )


class _Merger:
    """One merge: walks both layers, building the merged data and its spots."""

    def __init__(self, base: Layer, child: Layer, report: Report) -> None:
        self.base, self.child, self.report = base, child, report
        self.spots: dict[Path, Spot] = {}

    def _spot(self, dst: Path, layer: Layer, src: Path) -> None:
        spot = layer.spots.get(src)
        if spot is not None:
            self.spots[dst] = spot

    def take(self, layer: Layer, value: Any, src: Path, dst: Path) -> Any:
        """``value`` (at ``src`` in ``layer``) copied to ``dst`` with its spots.

        A ``remove:`` in the child's part that has no base to remove from is reported and
        left out.
        """
        self._spot(dst, layer, src)
        if isinstance(value, dict):
            if layer is self.child and REMOVE_KEY in value:
                self.report(
                    (*src, REMOVE_KEY),
                    "nothing to remove from: the base has no such mapping (it is new here)",
                )
            return {
                k: self.take(layer, v, (*src, k), (*dst, k))
                for k, v in value.items()
                if not (layer is self.child and k == REMOVE_KEY)
            }
        if isinstance(value, list):
            return [self.take(layer, v, (*src, i), (*dst, i)) for i, v in enumerate(value)]
        return value

    def value(self, b: Any, bsrc: Path, c: Any, csrc: Path, dst: Path, drop: set[str]) -> Any:
        """The merged value of a key both layers may have (``c`` may be absent)."""
        if c is _ABSENT and not drop:
            return self.take(self.base, b, bsrc, dst)
        if c is _ABSENT:
            return self.id_list(b, bsrc, [], csrc, dst, drop)
        if isinstance(b, dict) and isinstance(c, dict):
            return self.mapping(b, bsrc, c, csrc, dst)
        if is_id_list(b) and is_id_list(c) and (c or drop):
            return self.id_list(b, bsrc, c, csrc, dst, drop)
        return self.take(self.child, c, csrc, dst)

    def mapping(
        self, b: dict[str, Any], bsrc: Path, c: dict[str, Any], csrc: Path, dst: Path
    ) -> Any:
        """Two mappings merged by key; the child's ``remove:`` applies to the base's lists."""
        self._spot(dst, self.base, bsrc)
        self._spot(dst, self.child, csrc)
        drops = self.removals(b, c.get(REMOVE_KEY, _ABSENT), (*csrc, REMOVE_KEY))
        out = {
            k: self.value(
                bv, (*bsrc, k), c.get(k, _ABSENT), (*csrc, k), (*dst, k), drops.get(k, set())
            )
            for k, bv in b.items()
        }
        for k, cv in c.items():
            if k not in b and k != REMOVE_KEY:
                out[k] = self.take(self.child, cv, (*csrc, k), (*dst, k))
        return out

    def id_list(
        self, b: list[Any], bsrc: Path, c: list[Any], csrc: Path, dst: Path, drop: set[str]
    ) -> list[Any]:
        """Two lists of items merged by id: kept base items in order, then new ones."""
        self._spot(dst, self.base, bsrc)
        self._spot(dst, self.child, csrc)
        kept = [(i, item) for i, item in enumerate(b) if item["id"] not in drop]
        slot = {item["id"]: j for j, (_, item) in enumerate(kept)}
        into: dict[int, tuple[int, Any]] = {}
        new: list[tuple[int, Any]] = []
        for ci, item in enumerate(c):
            j = slot.get(item["id"])
            if j is not None and j not in into:
                into[j] = (ci, item)
            else:  # a new id, or the same id twice in the child (the validator reports it)
                new.append((ci, item))
        out: list[Any] = []
        for j, (i, item) in enumerate(kept):
            if j in into:
                ci, citem = into[j]
                out.append(self.mapping(item, (*bsrc, i), citem, (*csrc, ci), (*dst, j)))
            else:
                out.append(self.take(self.base, item, (*bsrc, i), (*dst, j)))
        for ci, citem in new:
            out.append(self.take(self.child, citem, (*csrc, ci), (*dst, len(out))))
        return out

    def removals(self, b: dict[str, Any], spec: Any, at: Path) -> dict[str, set[str]]:
        """The ids to drop per list named in a ``remove:`` mapping; misuse is reported."""
        if spec is _ABSENT:
            return {}
        example = "e.g. remove: {backlog: [onboarding]}"
        if not isinstance(spec, dict):
            self.report(at, f"remove: takes a mapping of list names to the ids to drop, {example}")
            return {}
        drops: dict[str, set[str]] = {}
        for key, ids in spec.items():
            lists = [k for k, v in b.items() if is_id_list(v) and v]
            if not (is_id_list(b.get(key)) and b[key]):
                self.report(
                    (*at, key),
                    f"the base has no list of items with ids called '{key}'"
                    + _suggest(key, lists, "; lists here: "),
                )
                continue
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                self.report((*at, key), f"list the ids to drop, {example}")
                continue
            known = [item["id"] for item in b[key]]
            for n, ident in enumerate(ids):
                if ident not in known:
                    self.report(
                        (*at, key, n),
                        f"the base's {key} has no item '{ident}'"
                        + _suggest(ident, known, "; its ids: "),
                    )
            drops[key] = {i for i in ids if i in known}
        return drops


def _suggest(word: str, choices: list[str], listing: str) -> str:
    """A did-you-mean for ``word``, else the choices (at most 8) after ``listing``."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    if not choices:
        return ""
    return listing + ", ".join(choices[:8]) + (", ..." if len(choices) > 8 else "")


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """What changes from ``a`` to ``b`` (plain data, e.g. two scenarios' ``model_dump``).

    One line per difference, named by id path: ``~ segments[smb].price_sensitivity: 3.0 →
    4.0``, ``+ backlog[templates] added``, ``- backlog[api] removed``. Lists of items with ids
    are compared by id, other lists of mappings of the same length by position, and any other
    list as a whole.
    """
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in [*a, *(k for k in b if k not in a)]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in b:
                out.append(f"- {sub} removed")
            elif key not in a:
                out.append(f"+ {sub}: {_short(b[key])}")
            else:
                out += differences(a[key], b[key], sub)
        return out
    if is_id_list(a) and is_id_list(b) and (a or b):
        old, new = {x["id"]: x for x in a}, {x["id"]: x for x in b}
        if len(old) == len(a) and len(new) == len(b):  # ids unique: compare by id
            out = [f"- {path}[{i}] removed" for i in old if i not in new]
            for ident, item in new.items():
                sub = f"{path}[{ident}]"
                out += differences(old[ident], item, sub) if ident in old else [f"+ {sub} added"]
            return out
    if (
        isinstance(a, list)
        and isinstance(b, list)
        and len(a) == len(b)
        and all(isinstance(x, dict) for x in [*a, *b])
    ):
        return [
            line
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for line in differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"~ {path}: {_short(a)} → {_short(b)}"]


def _short(value: Any, width: int = 60) -> str:
    """A value on one line, cut to about ``width`` characters."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    elif isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        text = "[" + ", ".join(_short(v, width) for v in value) + "]"
    elif isinstance(value, dict | list):
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)
        except ValueError:  # not a finite number inside: shown as Python writes it
            text = str(value)
    else:
        text = (
            "null"
            if value is None
            else str(value).lower()
            if isinstance(value, bool)
            else str(value)
        )
    return text if len(text) <= width else text[: width - 3] + "..."
