"""Where things live: bundled scenarios and assets, and the user's data folder."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "crossroads"


def bundled_scenarios_dir() -> Path:
    """Folder of the scenarios shipped with the game (works editable and installed)."""
    return Path(str(resources.files("scenarios")))


def bundled_scenarios() -> list[Path]:
    """Bundled scenario files, sorted by name with the tutorial first."""
    files = sorted(bundled_scenarios_dir().glob("*.yaml"))
    return sorted(files, key=lambda p: (p.stem != "tutorial", p.stem))


def assets_dir() -> Path:
    """Folder of bundled assets (fonts, theme)."""
    return Path(str(resources.files("assets")))


def user_data_dir() -> Path:
    """Per-user data folder (saves, workshops, settings); CROSSROADS_HOME overrides it."""
    override = os.environ.get("CROSSROADS_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_scenarios_dir() -> Path:
    """The user's own scenario folder, listed beside the bundled ones."""
    path = user_data_dir() / "scenarios"
    path.mkdir(parents=True, exist_ok=True)
    return path


def find_scenario(name: str) -> Path | None:
    """``name`` as a file path, else the bundled or user scenario whose file stem is ``name``."""
    path = Path(name)
    if path.is_file():
        return path
    for folder in (bundled_scenarios_dir(), user_scenarios_dir()):
        for suffix in (".yaml", ".yml"):
            candidate = folder / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    return None
