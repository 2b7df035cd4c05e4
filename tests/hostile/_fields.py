"""Walk a scenario's plain data next to its pydantic models: every numeric field and its bounds."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import annotated_types as at
from pydantic import BaseModel

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class NumericField:
    """One number in a scenario's data: where it is, whether it is an int, and its bounds."""

    loc: Loc
    integer: bool
    low: float
    high: float


def _bounds(metadata: list[Any]) -> tuple[float, float]:
    low, high = float("-inf"), float("inf")
    for m in metadata:
        if isinstance(m, at.Ge | at.Gt):
            low = float(m.ge if isinstance(m, at.Ge) else m.gt)
        if isinstance(m, at.Le | at.Lt):
            high = float(m.le if isinstance(m, at.Le) else m.lt)
    return low, high


def _strip(tp: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """Unwrap Annotated and Optional, collecting constraint metadata."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            args = typing.get_args(tp)
            tp, metadata = args[0], [*metadata, *args[1:]]
            for m in args[1:]:
                metadata.extend(getattr(m, "metadata", []))
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp, metadata
            tp = args[0]
        else:
            return tp, metadata


def _model_for(tp: Any, value: dict[str, Any]) -> type[BaseModel] | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for option in typing.get_args(tp):  # a discriminated union: match the tag
        option, _ = _strip(option, [])
        if isinstance(option, type) and issubclass(option, BaseModel):
            for name in ("archetype", "type"):
                field = option.model_fields.get(name)
                if field and value.get(name) in typing.get_args(field.annotation):
                    return option
    return None


def numeric_fields(data: Any, tp: Any, loc: Loc = (), metadata: list[Any] | None = None) -> Iterator[NumericField]:
    """Every int or float in ``data`` (validated against type ``tp``) with its bounds."""
    tp, metadata = _strip(tp, list(metadata or []))
    if isinstance(data, bool):
        return
    if isinstance(data, int | float):
        low, high = _bounds(metadata)
        yield NumericField(loc, tp is int, low, high)
    elif isinstance(data, dict):
        model = _model_for(tp, data)
        if model is not None:
            for key, value in data.items():
                field = model.model_fields[key]
                yield from numeric_fields(value, field.annotation, (*loc, key), field.metadata)
        elif typing.get_origin(tp) is dict:
            value_tp = typing.get_args(tp)[1]
            for key, value in data.items():
                yield from numeric_fields(value, value_tp, (*loc, key))
    elif isinstance(data, list) and typing.get_origin(tp) is list:
        item_tp = typing.get_args(tp)[0]
        for i, value in enumerate(data):
            yield from numeric_fields(value, item_tp, (*loc, i))
