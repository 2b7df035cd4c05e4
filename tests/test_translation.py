"""Translation files: every language has every key of English, with the same placeholders
and plural forms; every key the code asks for exists; each namespace lives in one folder."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from engine import phrases
from game import translation
from game.settings import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\{(\w+)\}|%(\w+)")
PLURAL_FORMS = {"zero", "one", "few", "many", "other"}


def files(language: str) -> dict[str, Path]:
    """Namespace -> file, over both translation folders (never one namespace in both)."""
    found: dict[str, Path] = {}
    for folder in translation.translation_dirs():
        for path in sorted(folder.glob(f"*.{language}.json")):
            namespace = path.name[: -len(f".{language}.json")]
            assert namespace not in found, f"namespace {namespace} in two folders"
            found[namespace] = path
    return found


def flat(language: str) -> dict[str, object]:
    """Every key ("namespace.key") of a language and its value."""
    for path in files(language).values():
        data = json.loads(path.read_text(encoding="utf-8"))
        assert list(data) == [language], f"{path.name}: the top key must be '{language}'"
    return translation.catalogue(language)


def placeholders(value: object) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    out: set[str] = set()
    for text in texts:
        assert isinstance(text, str), text
        cleaned = text.replace("%%", "")
        out |= {a or b for a, b in PLACEHOLDER.findall(cleaned)}
        stray = re.sub(r"%\{\w+\}|%\w+", "", cleaned)
        assert "%" not in stray, f"a lone % in {text!r}: write %% for a percent sign"
    return out


def test_the_game_and_the_settings_offer_the_same_languages() -> None:
    assert tuple(translation.LANGUAGES) == LANGUAGES
    assert LANGUAGES[0] == translation.DEFAULT == "en"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_language_has_every_english_key_and_nothing_else(language: str) -> None:
    english, other = flat("en"), flat(language)
    assert len(english) > 50
    assert sorted(set(english) - set(other)) == [], f"missing from {language}"
    assert sorted(set(other) - set(english)) == [], f"in {language} but not in English"
    for key, value in english.items():
        theirs = other[key]
        assert placeholders(theirs) == placeholders(value), key
        if isinstance(value, dict):
            assert isinstance(theirs, dict) and set(theirs) <= PLURAL_FORMS, key
            assert {"one", "many"} <= set(theirs), key
        else:
            assert isinstance(theirs, str) and theirs.strip(), key


def _keys_in_code() -> dict[str, str]:
    """Every literal key passed to t() or say() in the code, with where it is."""
    used: dict[str, str] = {}
    for folder in ("game", "engine"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("t", "say")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    used[node.args[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return used


def test_every_key_the_code_asks_for_exists_in_english() -> None:
    english = flat("en")
    used = _keys_in_code()
    assert len(used) > 50
    missing = [f"{where}: {key}" for key, where in sorted(used.items()) if key not in english]
    assert not missing, "\n".join(missing)


def test_engine_and_game_lookups_agree(monkeypatch) -> None:
    """``say`` (the engine's own reader) and ``t`` (python-i18n) give the same text."""
    english = flat("en")
    engine_keys = [k for k in english if files("en")[k.split(".")[0]].parent.name == "locale"]
    try:
        for language in LANGUAGES:
            translation.set_language(language)
            for key in engine_keys:
                value = english[key]
                values = {name: "X" for name in placeholders(value)}
                if isinstance(value, dict):
                    values["count"] = 2
                assert phrases.say(key, **values) == translation.t(key, **values), key
    finally:
        translation.set_language("en")


def test_an_unknown_language_falls_back_to_english() -> None:
    try:
        assert translation.set_language("xx") == "en"
        assert translation.t("settings.title") == "Settings"
    finally:
        translation.set_language("en")


def test_german_is_really_german() -> None:
    try:
        translation.set_language("de")
        assert translation.t("settings.title") == "Einstellungen"
        assert phrases.language() == "de"
    finally:
        translation.set_language("en")
    assert translation.t("settings.title") == "Settings"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_coach_finds_capacity_warnings_in_every_language(language: str) -> None:
    """The coach recognises the engine's over-capacity warnings by their words."""
    words = flat(language)
    marker = words["coach.over_capacity_words"]
    for key in ("roadmap.crunch", "checks.research_effort"):
        assert marker in words[key], (language, key)
