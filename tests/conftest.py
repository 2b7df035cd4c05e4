"""Test set-up: headless SDL before anything imports pygame, and a per-test user folder."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pytest

# Before any test module imports numpy: the engine turns numpy's AVX-512 kernels off as it
# loads (engine/__init__.py), as in every process a test starts, so both compute the same bits.
import engine  # noqa: F401


@pytest.fixture(autouse=True)
def _user_home(tmp_path, monkeypatch):
    """Point the user data folder at a temporary directory so tests never touch real saves."""
    monkeypatch.setenv("CROSSROADS_HOME", str(tmp_path / "home"))


@pytest.fixture(autouse=True)
def _english_afterwards():
    """Every test leaves the game and the engine in English, whatever it switched to."""
    yield
    from game.translation import set_language

    set_language("en")


@pytest.fixture
def german():
    """The engine writes its sentences and numbers in German for the test, English after."""
    from engine import phrases

    phrases.use("de")
    try:
        yield
    finally:
        phrases.use("en")
