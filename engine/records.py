"""``evolve``: a changed copy of one of the engine's frozen dataclasses, cheaply.

The organisation, roadmap and research states are immutable records, and a quarter makes
hundreds of changed copies of them. ``dataclasses.replace`` inspects every field and runs
``__init__`` on each copy; the engine's records have no ``__post_init__``, no slots and no
init-only fields, so copying the instance dictionary gives the same record several times
faster.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def evolve(record: T, **changes: Any) -> T:
    """``dataclasses.replace(record, **changes)`` for a plain dataclass instance."""
    fields = record.__dataclass_fields__  # type: ignore[attr-defined]
    if not changes.keys() <= fields.keys():  # checked without building a set
        unknown = changes.keys() - fields.keys()
        raise TypeError(f"{type(record).__name__} has no field {', '.join(sorted(unknown))}")
    new = object.__new__(type(record))
    values = new.__dict__
    values.update(record.__dict__)
    values.update(changes)
    return new
