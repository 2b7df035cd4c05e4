"""The player's language: translation files, ``t()`` for every player-facing string.

Translations are python-i18n JSON files, the format pygame_gui's own translations use:
``assets/translations/<namespace>.<lang>.json`` for the game and the report, and the engine's
``engine/locale/engine.<lang>.json`` for the sentences the simulation writes. English is the
source of truth; a key missing from another language falls back to English (and
``tests/test_translation.py`` fails until it is added). The CLI and authoring errors stay
English.

A namespace is a file: ``t("hub.end_quarter")`` reads ``hub.<lang>.json``'s ``end_quarter``.
Placeholders are ``%{name}``; a value with ``one`` and ``many`` is a plural chosen by ``count``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import i18n

from engine import phrases
from engine.phrases import Words
from game.paths import assets_dir

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}
"""Every language the game ships, by code, each named in its own language."""
DEFAULT = "en"


def translation_dirs() -> list[Path]:
    """Where the translation files are: the game's and the engine's."""
    return [assets_dir() / "translations", Path(phrases.__file__).parent / "locale"]


def _configure() -> None:
    i18n.set("file_format", "json")
    i18n.set("fallback", DEFAULT)
    i18n.set("enable_memoization", True)  # read each file once, not on every lookup
    i18n.set("available_locales", list(LANGUAGES))
    for path in translation_dirs():
        if str(path) not in i18n.load_path:
            i18n.load_path.append(str(path))


_configure()


def set_language(language: str) -> str:
    """Use ``language`` for the game, pygame_gui and the engine's sentences; returns the code
    used (an unknown code falls back to English)."""
    code = language if language in LANGUAGES else DEFAULT
    i18n.set("locale", code)
    phrases.use(code)
    return code


def language() -> str:
    """The language in use."""
    return str(i18n.get("locale"))


def t(key: str, /, **values: Any) -> str:
    """The player-facing text ``key`` ("namespace.key") in the current language.

    ``values`` fill the ``%{name}`` placeholders; ``count`` also picks a plural form.
    """
    return str(i18n.t(key, **values))


def files(language: str) -> dict[str, Path]:
    """Each namespace's file for ``language``, over both translation folders."""
    found: dict[str, Path] = {}
    for folder in translation_dirs():
        for path in sorted(folder.glob(f"*.{language}.json")):
            found.setdefault(path.name[: -len(f".{language}.json")], path)
    return found


def catalogue(language: str) -> dict[str, Any]:
    """Every text of ``language`` by its full key ("namespace.key"), read from the files."""
    out: dict[str, Any] = {}
    for namespace, path in files(language).items():
        tree = json.loads(path.read_text(encoding="utf-8")).get(language, {})
        out.update(phrases.flatten(tree, namespace + "."))
    return out


def words(namespace: str, keys: tuple[str, ...]) -> Words[str]:
    """A read-only table of ``namespace.<key>`` texts, each looked up when read (in the
    language in use then): a module constant that stays right after a language change."""
    return Words(keys, lambda key: t(f"{namespace}.{key}"))
