"""Scenario file format versions, and the conversion that keeps old files meaning the same.

Format 1 (files without a ``format`` key, written before the market-model review) gave Bass
p/q per quarter, advertising ``cost_per_point`` as money per goodwill point whatever the
segment's size, and let in-category non-buyers reconsider only at their churn propensity.
Format 2 gives p/q per year (as published), ``cost_per_point`` per 1,000 people (times a
segment's ``media_cost``) and a segment ``reconsider`` chance. :func:`upgrade` rewrites a
format-1 mapping in place into format 2 with the values that keep each parameter's
meaning at the start of the game:

* ``bass_p``, ``bass_q`` → × 4 (a quarterly rate as a yearly one; the continuous-time curve
  then tracks the old quarterly recursion closely);
* ``cost_per_point`` → c·1000 / M_ref and each segment's ``media_cost`` → M_ref / M_s, with
  M_ref the largest starting segment, so a segment's goodwill per unit of spend is what it
  was (it changes only as the segment grows or shrinks, which is the point);
* ``reconsider`` → 0 (non-buyers reconsider at their churn propensity, as before).

The same function serves the loader (plain dicts) and ``crossroads migrate`` (ruamel
round-trip maps, so comments and layout survive). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any

CURRENT_FORMAT = 2
"""The format this version writes and reads natively."""
READABLE_FORMATS = (1, 2)
"""Formats this version reads (1 is converted on load)."""
QUARTERS_PER_YEAR = 4
V1_DEFAULTS = {"bass_p": 0.005, "bass_q": 0.1, "cost_per_point": 10_000.0}
"""Format-1 defaults: a format-1 file that leaves these out meant these values."""


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _round(value: float) -> float | int:
    """Six significant digits, as an int when whole (so migrated files read cleanly)."""
    out = float(f"{value:.6g}")
    return int(out) if out.is_integer() and abs(out) < 1e15 else out


def file_format(data: MutableMapping[str, Any]) -> Any:
    """The format a scenario mapping declares (1 when it has no ``format`` key)."""
    return data.get("format", 1)


def _segments(data: MutableMapping[str, Any]) -> list[MutableMapping[str, Any]]:
    segments = data.get("segments")
    if not isinstance(segments, Sequence) or isinstance(segments, str):
        return []
    return [s for s in segments if isinstance(s, MutableMapping)]


def _set(mapping: MutableMapping[str, Any], key: str, value: Any, after: str | None) -> None:
    """Set ``key``; a ruamel map puts a new key right after ``after`` (a plain dict at the end)."""
    if key in mapping or after is None or not hasattr(mapping, "insert"):
        mapping[key] = value
        return
    keys = list(mapping.keys())
    position = keys.index(after) + 1 if after in keys else len(keys)
    mapping.insert(position, key, value)


def upgrade(data: MutableMapping[str, Any]) -> list[str]:
    """Convert a format-1 scenario mapping to the current format in place.

    Returns one line per kind of change (empty when the mapping is already current or declares
    a format this version does not know, which validation then reports). Values of the wrong
    type are left alone for validation to report at their line.
    """
    if "format" in data:
        return []
    changes: list[str] = []
    segments = _segments(data)
    # Read every old value before writing any: a ruamel segment that merges another
    # (``<<: *first``) sees that one's keys, which must not be converted a second time.
    old = [
        {key: seg.get(key, V1_DEFAULTS[key]) for key in ("bass_p", "bass_q")} for seg in segments
    ]
    bass = False
    for seg, values in zip(segments, old, strict=True):
        for key, value in values.items():
            if _number(value):
                where = _last_of(seg, ("bass_p", "in_market", "growth", "size"))
                _set(seg, key, _round(value * QUARTERS_PER_YEAR), where)
                bass = True
        _set(seg, "reconsider", 0, _last_of(seg, ("bass_q", "bass_p", "in_market", "growth")))
    if bass:
        changes.append("Bass p and q are now per year (× 4)")
    if segments:
        changes.append("non-buyers reconsider at their churn propensity only (reconsider: 0)")
    changes += _per_head_advertising(data, segments)
    _set(data, "format", CURRENT_FORMAT, "id")
    return changes


def _last_of(seg: MutableMapping[str, Any], keys: Sequence[str | None]) -> str | None:
    for key in keys:
        if key is not None and key in seg:
            return key
    return None


def _per_head_advertising(
    data: MutableMapping[str, Any], segments: list[MutableMapping[str, Any]]
) -> list[str]:
    """cost_per_point per 1,000 people of the largest segment; media_cost per segment."""
    sizes = [s.get("size") for s in segments]
    if not segments or not all(_number(x) and x > 0 for x in sizes):
        return []
    adv = data.get("advertising")
    if adv is None:
        adv = {}
        _set(data, "advertising", adv, "segments")
    if not isinstance(adv, MutableMapping):
        return []
    cost = adv.get("cost_per_point", V1_DEFAULTS["cost_per_point"])
    if not _number(cost):
        return []
    reference = float(max(sizes))
    _set(adv, "cost_per_point", _round(cost * 1000.0 / reference), "carryover")
    for seg, size in zip(segments, sizes, strict=True):
        ratio = reference / float(size)
        # Written when it differs from 1, or when the key shows already: format 1 had no
        # media_cost, so it is one that a ruamel segment merges from another one.
        if abs(ratio - 1.0) > 1e-12 or "media_cost" in seg:
            _set(seg, "media_cost", _round(ratio), _last_of(seg, ("reconsider",)))
    return [
        "advertising cost_per_point is now per 1,000 people; each segment's media_cost keeps "
        "its starting cost of goodwill"
    ]


def upgrade_note(source: str, changes: list[str]) -> str:
    """The one informational line a converted file gets."""
    return (
        f"{source}: format-1 scenario converted on load to format {CURRENT_FORMAT} "
        f"({'; '.join(changes)}); run 'crossroads migrate {source}' to update the file"
    )
