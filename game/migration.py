"""Rewrite a scenario file's text in the current file format, keeping the author's layout.

:func:`migrate_text` is what ``crossroads migrate`` does to each file. The conversion itself
is :func:`engine.scenario_format.upgrade`, the same function that converts a format-1 file
on load; this module only decides how the converted scenario is *written*:

* The file is read with ruamel.yaml in round-trip mode, so comments, quotes, flow
  mappings, anchors and key order survive, and keys the conversion adds are placed next to
  the related ones (a comment that introduced the next key stays above that key).
* ruamel.yaml normalises some layout as it writes (spacing after a colon, indentation it
  does not recognise). So the writer's output for the converted file is compared with its
  output for the *unchanged* file, and only the lines that differ are applied to the
  original text; every other line stays byte for byte as the author wrote it.
* The result must load as format 2 and mean exactly what the original means when it is
  converted on load (the same validated scenario); otherwise nothing is returned but a
  :class:`MigrationError`, so a file is never rewritten into something else.
"""

from __future__ import annotations

import difflib
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.tokens import CommentToken

from engine.loader import load_scenario_text
from engine.scenario import Scenario
from engine.scenario_format import upgrade

# (mapping, sequence, offset) indentations tried after the one guessed from the text.
LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 2), (4, 4, 0), (2, 4, 0), (3, 3, 0))
WIDTH = 100_000
"""Line width for the YAML writer: wide enough that it never folds an author's long line."""


class MigrationError(Exception):
    """The file could not be rewritten safely; the message says why, in one line."""


@dataclass(frozen=True)
class Migration:
    """The outcome for one text: ``text`` is None when it is already in the current format."""

    text: str | None
    changes: tuple[str, ...]


def migrate_text(text: str, source: str = "<text>", folder: Path | None = None) -> Migration:
    """``text`` rewritten in the current format, with the list of what changed.

    Raises :class:`engine.loader.ScenarioError` when the text is not a valid scenario (it
    must be fixed first) and :class:`MigrationError` when no rewrite means the same scenario.
    ``folder`` is where a base named by path (``extends: base.yaml``) is read.
    """
    original = load_scenario_text(text, source, folder=folder)
    if not original.upgraded:
        return Migration(None, ())
    if re.search(r"(?m)^extends\s*:", text):  # the old format is the base's, not this file's
        raise MigrationError(
            "it extends a base in an older format: migrate the base; this file takes its format"
        )
    crlf = "\r\n" in text
    body = text.replace("\r\n", "\n")
    final_newline = body.endswith("\n")
    if not final_newline:
        body += "\n"
    for candidate in _rewrites(body):
        if not final_newline:
            candidate = candidate.removesuffix("\n")
        if crlf:
            candidate = candidate.replace("\n", "\r\n")
        if _same_scenario(candidate, source, original, folder):
            return Migration(candidate, original.upgraded)
    raise MigrationError(
        "the rewritten file would not mean the same scenario (is a value written in a way "
        "YAML versions read differently?); nothing was written, please report it"
    )


def _same_scenario(text: str, source: str, original: Scenario, folder: Path | None) -> bool:
    """True when ``text`` is a current-format file for the very scenario ``original`` is."""
    try:
        migrated = load_scenario_text(text, source, folder=folder)
    except Exception:  # any failure means: not this candidate
        return False
    return not migrated.upgraded and migrated.model_dump() == original.model_dump()


def _rewrites(body: str) -> Iterator[str]:
    """Candidate texts, best first: the changes applied to the original, then a full rewrite."""
    try:
        layout, baseline = _closest_layout(body)
        yaml = _writer(layout)
        # Safe: ``body`` already passed engine.loader (size, depth, aliases, no tags), and the
        # round-trip constructor builds plain maps, lists and scalars, never objects.
        data = yaml.load(body)
        if not isinstance(data, CommentedMap):
            return
        own = {id(m): {k for k, _ in m.non_merged_items()} for m in _maps(data)}
        upgrade(data)
        _keep_comments_with_next_key(data, own)
        new = _dump(yaml, data)
    except Exception as exc:  # ruamel.yaml refusing something our loader accepted
        raise MigrationError(
            f"the YAML writer cannot round-trip this file ({type(exc).__name__}); "
            "nothing was written"
        ) from None
    patched = apply_changes(body, baseline, new)
    if patched is not None:
        yield patched
    yield new


def _float(representer: Any, value: float) -> Any:
    """A new float written as plain decimals ('0.000001', not '1e-06', which YAML 1.1 and so
    the loader would read as text)."""
    text = format(Decimal(repr(value)), "f")
    return representer.represent_scalar(
        "tag:yaml.org,2002:float", text if "." in text else f"{text}.0"
    )


class _Representer(RoundTripRepresenter):
    """The round-trip representer with :func:`_float` for the floats the conversion adds."""


_Representer.add_representer(float, _float)


def _writer(layout: tuple[int, int, int]) -> YAML:
    """A round-trip ruamel.yaml that keeps quotes and writes floats YAML 1.1 reads as floats."""
    yaml = YAML(typ="rt", pure=True)
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    mapping, sequence, offset = layout
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: Any, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _closest_layout(body: str) -> tuple[tuple[int, int, int], str]:
    """The indentation whose unchanged rewrite differs least from ``body``, and that rewrite.

    The layout guessed from the text is tried first; one whose rewrite indents every line as
    the author did is taken at once (the writer may still respace inside lines).
    """
    guess = _guess_layout(body)
    best: tuple[int, tuple[int, int, int], str] | None = None
    for layout in [guess, *(lay for lay in LAYOUTS if lay != guess)]:
        yaml = _writer(layout)
        baseline = _dump(yaml, yaml.load(body))
        differing, reindented = _difference(body, baseline)
        if not reindented:
            return layout, baseline
        if best is None or differing < best[0]:
            best = (differing, layout, baseline)
    assert best is not None
    return best[1], best[2]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _guess_layout(body: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indentation read off the first nested blocks of ``body``."""
    mapping, sequence, offset = LAYOUTS[0]
    found_map = found_seq = False
    lines = [x for x in body.splitlines() if x.strip() and not x.lstrip().startswith("#")]
    for prev, line in itertools.pairwise(lines):
        if not prev.rstrip().endswith(":"):
            continue
        key_col = _indent(prev)
        if prev.lstrip().startswith("- "):
            key_col += 1 + _indent(prev.lstrip()[1:])
        step = _indent(line) - key_col
        item = line.lstrip()
        if item.startswith("- ") and not found_seq and step >= 0:
            offset, sequence, found_seq = step, step + 1 + _indent(item[1:]), True
        elif not item.startswith("-") and not found_map and step > 0:
            mapping, found_map = step, True
        if found_map and found_seq:
            break
    return (mapping, sequence, offset) if sequence >= offset + 2 else LAYOUTS[0]


def _difference(body: str, baseline: str) -> tuple[int, bool]:
    """How many lines differ, and whether any line is missing, added or indented otherwise."""
    old, new = body.splitlines(), baseline.splitlines()
    differing, reindented = 0, False
    for tag, o1, o2, b1, b2 in difflib.SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            continue
        differing += max(o2 - o1, b2 - b1)
        pairs = zip(old[o1:o2], new[b1:b2], strict=False)
        if o2 - o1 != b2 - b1 or any(_indent(x) != _indent(y) for x, y in pairs):
            reindented = True
    return differing, reindented


def apply_changes(original: str, baseline: str, new: str) -> str | None:
    """Apply the line changes from ``baseline`` to ``new`` onto ``original``.

    ``baseline`` is the writer's rendering of ``original`` unchanged; lines the writer
    reformatted but the conversion did not touch keep the author's text. Returns None when
    a change falls on a line the two renderings do not share (then the full rewrite is used).
    """
    o, b, n = (s.splitlines(keepends=True) for s in (original, baseline, new))
    if o == b:
        return new
    # baseline line -> the original line it renders: the same text, or a line the writer
    # respaced (one line for one line)
    shared: dict[int, int] = {}
    for tag, o1, o2, b1, b2 in difflib.SequenceMatcher(None, o, b, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and o2 - o1 == b2 - b1):
            shared.update({b1 + k: o1 + k for k in range(b2 - b1)})
    edits: list[tuple[int, int, list[str]]] = []
    for tag, b1, b2, n1, n2 in difflib.SequenceMatcher(None, b, n, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if b1 < b2:
            lines = [shared.get(k) for k in range(b1, b2)]
            if None in lines or lines != list(range(lines[0], lines[0] + len(lines))):
                return None
            start, stop = lines[0], lines[-1] + 1
        else:
            before = shared.get(b1 - 1) if b1 > 0 else -1
            after = shared.get(b1) if b1 < len(b) else len(o)
            if before is None or after is None or after != before + 1:
                return None
            start = stop = after
        edits.append((start, stop, n[n1:n2]))
    for start, stop, lines in reversed(edits):
        o[start:stop] = lines
    return "".join(o)


def _maps(node: Any) -> Iterator[Any]:
    """Every ruamel mapping in the document, each once (aliases are shared objects)."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CommentedMap):
            yield item
            stack.extend(v for _, v in item.non_merged_items())
        elif isinstance(item, CommentedSeq):
            stack.extend(item)


def _keep_comments_with_next_key(data: Any, own: dict[int, set[Any]]) -> None:
    """Move the comment lines after a key to after the keys the conversion added behind it.

    ruamel.yaml keeps the full-line comments (and blank lines) between two keys on the key
    *before* them; a key inserted after that one would land below the comment, which is
    about the key that follows. ``own`` maps each mapping (by id) to its keys before the
    conversion.
    """
    for mapping in list(_maps(data)):
        before = own.get(id(mapping))
        if before is None:
            continue
        keys = [k for k, _ in mapping.non_merged_items()]
        for key in keys:
            value = mapping[key]
            if (
                key not in before
                and isinstance(value, dict)
                and not isinstance(value, CommentedMap)
            ):
                mapping[key] = CommentedMap(value)
        for i in range(1, len(keys)):
            if keys[i] in before or keys[i - 1] not in before:
                continue
            last = i
            while last + 1 < len(keys) and keys[last + 1] not in before:
                last += 1
            _move_trailing(mapping, keys[i - 1], keys[last])


def _tail(container: Any, key: Any) -> tuple[list[Any], int] | None:
    """Where ruamel keeps the comment lines that follow ``container[key]`` and its block.

    They sit on the last scalar written in the block, so the search goes down the last key
    or item of block collections; returns (the comment list, slot) or None.
    """
    found = None
    while True:
        slot = 2 if isinstance(container, CommentedMap) else 0
        tokens = container.ca.items.get(key)
        if tokens and tokens[slot] is not None:
            found = (tokens, slot)
        value = container[key]
        if not isinstance(value, CommentedMap | CommentedSeq) or value.fa.flow_style():
            return found
        inner = (
            [k for k, _ in value.non_merged_items()] if isinstance(value, CommentedMap) else value
        )
        if not inner:
            return found
        container, key = value, inner[-1] if isinstance(value, CommentedMap) else len(value) - 1


def _move_trailing(mapping: Any, old: str, new: str) -> None:
    """Move the comment lines after ``old``'s block to after ``new``'s (added) block."""
    found = _tail(mapping, old)
    if found is None:
        return
    tokens, slot = found
    token = tokens[slot]
    end_of_line, _, lines = token.value.partition("\n")
    if not lines:
        return
    keep = ""
    target, key = mapping, new
    if isinstance(mapping[new], CommentedMap) and mapping[new]:
        # a new block (advertising:) keeps a blank line above it if the comment had one
        keep = lines[: len(lines) - len(lines.lstrip("\n"))]
        target, key = mapping[new], list(mapping[new])[-1]
    token.value = f"{end_of_line}\n{keep}"
    target.ca.items[key] = [None, None, CommentToken(f"\n{lines}", CommentMark(0), None), None]
