"""Values computed once per scenario object and shared by every simulation of it.

A scenario is frozen, so what a simulation derives from it alone (no seed) is the same for
every playthrough of a batch: :func:`per_scenario` keeps such a value with its scenario and
hands the same object back. What it keeps must not be edited by its users (arrays are made
read-only by the builders; a simulation copies the ones it edits in place).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

_KEPT: dict[int, tuple[weakref.ref[Any], dict[Hashable, Any]]] = {}


def per_scenario(scenario: Any, key: Hashable, build: Callable[[], T]) -> T:
    """``build()`` the first time ``(scenario, key)`` is asked for, the same object after.

    Entries go with their scenario (a weak reference), so a later object given the same
    ``id`` is never served another's values.
    """
    sid = id(scenario)
    kept = _KEPT.get(sid)
    if kept is None or kept[0]() is not scenario:
        kept = (weakref.ref(scenario, lambda _: _KEPT.pop(sid, None)), {})
        _KEPT[sid] = kept
    values = kept[1]
    if key not in values:
        values[key] = build()
    return values[key]
