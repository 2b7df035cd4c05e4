"""The engine's words in the player's language: the sentences the simulation writes.

The engine writes sentences (why a KPI moved, what an event did, what a rival did) while it
steps, so they are stored in the quarter's report. Their templates live in python-i18n JSON
files beside this module (``locale/<namespace>.<lang>.json``, the same format as pygame_gui's and
the game's translation files): English is the source of truth and ships with the engine; the
game chooses another language with :func:`use` before it runs the simulation. Files are read
here, never inside a simulation step, and the active language is plain data, so a seed gives
the same numbers in every language and the same words in the same language.

Templates use python-i18n's placeholders (``%{name}``, ``%%`` for a percent sign); a value
that is a dict with ``one`` and ``many`` (and optionally ``zero``) is a plural chosen by the
``count`` argument.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from string import Template
from typing import Any, TypeVar

DEFAULT = "en"

Catalogue = Mapping[str, Any]


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": "x"}}`` as ``{"a.b": "x"}`` (a plural dict stays one value)."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not _is_plural(value):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def _is_plural(value: Mapping[str, Any]) -> bool:
    return "one" in value and "many" in value


def load(language: str) -> dict[str, Any]:
    """Every engine template in ``language``, keyed ``"namespace.key"`` (a file is a namespace:
    ``locale/explain.de.json`` holds the ``explain.*`` keys). Empty for an unknown language."""
    flat: dict[str, Any] = {}
    suffix = f".{language}.json"
    for entry in sorted(resources.files("engine").joinpath("locale").iterdir(), key=str):
        if entry.name.endswith(suffix):
            namespace = entry.name[: -len(suffix)]
            tree = json.loads(entry.read_text(encoding="utf-8")).get(language, {})
            flat.update(flatten(tree, namespace + "."))
    return flat


ENGLISH: dict[str, Any] = load(DEFAULT)
_active: dict[str, Any] = ENGLISH
_language = DEFAULT
_listeners: list[Callable[[], None]] = []


def use(language: str) -> None:
    """Write the engine's sentences in ``language`` from now on (missing keys: English)."""
    global _active, _language
    _active = ENGLISH if language == DEFAULT else load(language)
    _language = language
    for listener in _listeners:
        listener()


def on_use(listener: Callable[[], None]) -> None:
    """Call ``listener()`` after every :func:`use`, e.g. to rebuild a cache that depends on the
    language (``engine.formatting`` keeps its number style this way)."""
    _listeners.append(listener)


def language() -> str:
    """The language the engine writes in now."""
    return _language


def say(key: str, /, **values: Any) -> str:
    """The sentence ``key`` ("namespace.key") with its placeholders filled.

    ``count`` picks a plural form and is also a placeholder. A key unknown to the active
    language falls back to English; a key unknown to English is a programming error.
    """
    template = _active.get(key)
    if template is None:
        template = ENGLISH[key]
    if type(template) is not str:  # a plural (cheaper to ask than isinstance of a Mapping)
        n = values.get("count", 0)
        form = "zero" if n == 0 and "zero" in template else "one" if n == 1 else "many"
        template = template[form]
    return fill(template, values)


class _Template(Template):
    """python-i18n's placeholder syntax: ``%{name}`` (or ``%name``), ``%%`` for a percent sign."""

    delimiter = "%"


@lru_cache(maxsize=4096)
def _parsed(template: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """``template`` split once into its leading text and (placeholder name, text after it)
    pairs, so filling it is a join rather than a regular-expression pass per call; None if
    a placeholder is malformed (:class:`_Template` then raises its own error)."""
    names: list[str] = []
    texts: list[str] = []
    piece: list[str] = []
    end = 0
    for mo in _Template.pattern.finditer(template):
        piece.append(template[end : mo.start()])
        end = mo.end()
        name = mo.group("named") or mo.group("braced")
        if name is not None:
            texts.append("".join(piece))
            names.append(name)
            piece = []
        elif mo.group("escaped") is not None:
            piece.append(_Template.delimiter)
        else:
            return None
    piece.append(template[end:])
    texts.append("".join(piece))
    return texts[0], tuple(zip(names, texts[1:], strict=True))


def fill(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with every ``%{name}`` replaced by ``values[name]``, as python-i18n does
    (KeyError for a missing value; a literal percent sign is written ``%%``)."""
    parsed = _parsed(template)
    if parsed is None:
        return _Template(template).substitute(values)  # raises on the malformed placeholder
    head, pairs = parsed
    if not pairs:
        return head
    out = [head]
    for name, text in pairs:
        out += (str(values[name]), text)
    return "".join(out)


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: lower case where the language writes it so
    ("customer interviews"), as written where nouns keep their capital (German)."""
    return name.lower() if say("grammar.lower_in_sentence") == "yes" else name


V = TypeVar("V")


class Words(Mapping[str, V]):
    """A read-only table whose values are looked up when read: ``keys`` in order, each value
    ``lookup(key)`` in the language in use then. A module constant cannot hold translated
    words (the language changes at run time); a ``Words`` table can."""

    def __init__(self, keys: tuple[str, ...], lookup: Callable[[str], V]) -> None:
        self._keys = tuple(keys)
        self._lookup = lookup

    def __getitem__(self, key: str) -> V:
        if key not in self._keys:
            raise KeyError(key)
        return self._lookup(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __repr__(self) -> str:
        return f"Words({dict(self.items())!r})"


def table(prefix: str, keys: tuple[str, ...]) -> Words[str]:
    """A :class:`Words` table of the engine's ``prefix.<key>`` sentences."""
    return Words(keys, lambda key: say(f"{prefix}.{key}"))
