"""What can still be checked when parts of a scenario file fail validation.

The loader reports field errors and cross-reference problems in one run. For that it takes
the parts that failed validation on their own out of a copy of the data: a list entry, a map
entry, an unknown key or an optional key (its default then stands in) is dropped; a required
value gets a valid placeholder, and when none can be made (a required list or block) the
smallest part around it that can be dropped goes. The copy is validated again (dropping an
entry can empty a list that must not be empty, and model validators only run on models whose
fields all passed) and, once it passes, the cross-reference checks run on it.

:class:`Pruning` keeps every change in the original file's coordinates, maps the copy's
positions back (dropping a list entry shifts the ones after it) and says which problems found
on the copy are only consequences of the changes, so that none is reported that the author
did not write:

* a field error on the copy is a consequence when it sits on or above a changed part (a
  list left too short by dropped entries), except a model validator's, which is one only
  when a field that validator compares (the model's ``checked_together``) was changed;
* a cross-reference problem is a consequence when it sits on or above a changed part (a
  "missing attribute" of a map that lost an entry, a firm that lost its only product), when
  it names an id only a dropped part defined, or when its check compares a value that was
  dropped or stood in for (see :func:`engine.scenario.check_reads`).
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from engine.scenario import Scenario
from engine.yaml_positions import Path

MAX_PASSES = 8
"""Validations of the pruned copy before the loader gives up on cross-references."""
PLACEHOLDER_TEXT = "placeholder"
FORMAT_1_DERIVED = frozenset({"Segment.media_cost", "Advertising.cost_per_point"})
"""Values a format-1 file gets from every segment's size on load (engine.scenario_format)."""
_REMOVE: Any = object()
_NO_PLACEHOLDER: Any = object()


# --------------------------------------------------------------------------- types of a path


@functools.cache
def strip(tp: Any) -> Any:
    """Remove ``Annotated`` wrappers and ``| None`` from a type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def is_model(tp: Any) -> bool:
    """Whether ``tp`` is a pydantic model class."""
    return isinstance(tp, type) and issubclass(tp, BaseModel)


@functools.lru_cache(maxsize=1024)
def _tagged_member(tp: Any, tag: Any) -> type[BaseModel] | None:
    """The member of a discriminated union of models whose tag literal is ``tag``."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return None
    for member in map(strip, typing.get_args(tp)):
        if not is_model(member):
            continue
        for info in member.model_fields.values():
            if typing.get_origin(info.annotation) is Literal and tag in typing.get_args(
                info.annotation
            ):
                return member
    return None


def _child(tp: Any, el: str | int) -> Any:
    """The type of entry or field ``el`` of ``tp`` (None when it has none)."""
    if is_model(tp):
        info = tp.model_fields.get(str(el))
        return None if info is None else info.annotation
    return _entry_type(tp)


@functools.cache
def _entry_type(tp: Any) -> Any:
    """The type of a list's entries or a map's values (None for anything else)."""
    return typing.get_args(tp)[-1] if typing.get_origin(tp) in (list, dict) else None


@dataclass(frozen=True)
class Located:
    """A pydantic error location as a path in the data (union tags dropped).

    ``holders`` gives, for each element of ``path``, the type it is looked up in (a model, a
    list or a map type); ``target`` is the type at the end of the path; ``is_key`` says the
    error is about a mapping key rather than its value.
    """

    path: Path
    holders: tuple[Any, ...]
    target: Any
    is_key: bool

    @property
    def parent(self) -> type[BaseModel] | None:
        """The model holding the path's last element (None when that is a list or map)."""
        holder = self.holders[-1] if self.holders else None
        return holder if is_model(holder) else None


def locate(loc: tuple[Any, ...]) -> Located:
    """Turn a pydantic error ``loc`` into a :class:`Located` path in the scenario data."""
    out: list[str | int] = []
    holders: list[Any] = []
    tp: Any = Scenario
    is_key = False
    for el in loc:
        if el == "[key]":
            is_key = True
            continue
        tp = strip(tp)
        member = _tagged_member(tp, el) if isinstance(el, str) else None
        if member is not None:
            tp = member
            continue
        out.append(el)
        holders.append(tp)
        tp = _child(tp, el)
    return Located(tuple(out), tuple(holders), strip(tp), is_key)


def _placeholder(info: FieldInfo) -> Any:
    """A valid value for a required field, or ``_NO_PLACEHOLDER`` (a list or block that
    must not be empty, a union of models)."""
    tp = strip(info.annotation)
    metadata = info.metadata
    if typing.get_origin(tp) is Literal:
        return typing.get_args(tp)[0]
    if typing.get_origin(tp) in (list, dict):
        if any(isinstance(m, at.MinLen) and m.min_length > 0 for m in metadata):
            return _NO_PLACEHOLDER
        return [] if typing.get_origin(tp) is list else {}
    if tp is str:
        longest = min((m.max_length for m in metadata if isinstance(m, at.MaxLen)), default=40)
        return PLACEHOLDER_TEXT[:longest]
    if tp is bool:
        return False
    if tp in (int, float):
        low = next((m.ge for m in metadata if isinstance(m, at.Ge)), None)
        high = next((m.le for m in metadata if isinstance(m, at.Le)), None)
        value = low if low is not None else min(0, high) if high is not None else 0
        return tp(value)
    return _NO_PLACEHOLDER


def value_at(data: Any, path: Path) -> Any:
    """The value at ``path`` in plain data, or None when there is none."""
    for el in path:
        if not _has(data, el):
            return None
        data = data[el]
    return data


def _has(node: Any, el: str | int) -> bool:
    """Whether ``node`` (a list or mapping) has an entry ``el``."""
    if isinstance(node, list):
        return isinstance(el, int) and 0 <= el < len(node)
    return isinstance(node, dict) and el in node


def _defined_names(value: Any) -> set[str]:
    """Ids a part of the file defines: ``id`` values, and keys of blocks keyed by name."""
    found: set[str] = set()
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            found.add(value["id"])
        for key, child in value.items():
            if isinstance(child, dict) and isinstance(key, str):
                found.add(key)
            found |= _defined_names(child)
    elif isinstance(value, list):
        for child in value:
            found |= _defined_names(child)
    return found


# --------------------------------------------------------------------------- the copy


@dataclass
class Pruning:
    """The changes made to a copy of the data so that the rest of it can be checked."""

    data: Any
    changes: dict[Path, Any] = field(default_factory=dict)  # original path → _REMOVE or value
    changed_fields: set[str] = field(default_factory=set)  # "Model.field" dropped or stood in
    names: set[str] = field(default_factory=set)  # ids only changed parts defined
    copy: Any = None
    origin: dict[Path, Path] = field(default_factory=lambda: {(): ()})
    above: set[Path] = field(default_factory=set)  # every changed path and its ancestors

    def original(self, path: Path) -> Path:
        """The original file's path of a path in the latest copy."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.origin:
                return self.origin[path[:n]] + path[n:]
        return path  # pragma: no cover - the root is always in the map

    def absorb(self, located: Located) -> bool:
        """Change the smallest part that holds an error; False when none can be changed."""
        path = located.path
        for n in range(len(path) - 1, -1, -1):
            holder, key = located.holders[n], path[n]
            at_path = self.original(path[: n + 1])
            if at_path in self.changes:
                continue  # changed already, yet the error remains: take the part around it
            change, changed_field = _change(holder, key)
            if change is _NO_PLACEHOLDER:
                continue
            self.changes[at_path] = change
            self.above.update(at_path[:i] for i in range(len(at_path) + 1))
            if changed_field:
                self.changed_fields.add(changed_field)
            self.names |= _defined_names(value_at(self.data, at_path))
            original_value = value_at(self.data, at_path)
            if key == "id" and isinstance(original_value, str):
                self.names.add(original_value)
            return True
        return False

    def rebuild(self) -> Any:
        """A fresh copy of the original data with every change applied."""
        self.origin = {}
        inserts: dict[Path, dict[str | int, Any]] = {}
        for path, change in self.changes.items():
            if change is not _REMOVE and path:
                inserts.setdefault(path[:-1], {})[path[-1]] = change
        self.copy = self._copy(self.data, (), (), inserts)
        return self.copy

    def _copy(self, node: Any, path: Path, out: Path, inserts: dict[Path, dict]) -> Any:
        self.origin[out] = path
        if isinstance(node, dict):
            result: dict[Any, Any] = {}
            for key, value in node.items():
                if (*path, key) not in self.changes:
                    result[key] = self._copy(value, (*path, key), (*out, key), inserts)
            for key, value in inserts.get(path, {}).items():
                self.origin[(*out, key)] = (*path, key)
                result[key] = value
            return result
        if isinstance(node, list):
            kept = [(i, v) for i, v in enumerate(node) if (*path, i) not in self.changes]
            return [
                self._copy(value, (*path, i), (*out, j), inserts)
                for j, (i, value) in enumerate(kept)
            ]
        return node

    @property
    def unsure(self) -> frozenset[str]:
        """Values (``"Model.field"``) the copy does not hold as the author wrote them."""
        unsure = set(self.changed_fields)
        converted = isinstance(self.copy, dict) and "format" not in self.copy
        if converted and any(p[0] in ("format", "segments", "advertising") for p in self.changes):
            unsure |= FORMAT_1_DERIVED  # format 1: derived from every segment's size
        return frozenset(unsure)

    def explains(self, located: Located, kind: str) -> bool:
        """Whether the changes alone can cause a field error found on the copy."""
        at_path = self.original(located.path)
        if kind == "value_error" and is_model(located.target):
            compared = getattr(located.target, "checked_together", ())
            return any((*at_path, name) in self.changes for name in compared)
        return at_path in self.above  # on a changed part, or a list that lost entries

    def hides(self, loc: Path) -> bool:
        """Whether a cross-reference problem found on the copy is a consequence of a change."""
        if self.original(loc) in self.above:
            return True  # on or above a changed part
        value = value_at(self.copy, loc)
        if isinstance(value, str) and value in self.names:
            return True  # names an id that only a dropped part defined
        parent = value_at(self.copy, loc[:-1]) if loc else None
        return isinstance(parent, dict) and loc[-1] in parent and loc[-1] in self.names


def _change(holder: Any, key: str | int) -> tuple[Any, str | None]:
    """How to take ``key`` out of a ``holder`` type: the change and the field it touches."""
    if typing.get_origin(holder) in (list, dict):
        return _REMOVE, None
    if not is_model(holder):
        return _NO_PLACEHOLDER, None
    info = holder.model_fields.get(str(key))
    if info is None:
        return _REMOVE, None  # an unknown key
    name = f"{holder.__name__}.{key}"
    if not info.is_required():
        return _REMOVE, name
    return _placeholder(info), name
