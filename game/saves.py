"""Saved games: seed + decision log, written atomically, replayed on load.

A save never stores simulation state; it stores what is needed to rebuild it exactly: the
scenario (id, path and a hash of its text), the seed, the role and every quarter's decisions.
Loading checks the format version and the scenario hash, so a save made against another
version of a scenario is refused with a clear message instead of resuming a different game.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.decisions import Decisions
from game.paths import user_data_dir

FORMAT = "crossroads-save"
VERSION = 1
AUTOSAVE = "autosave.json"


class SaveError(Exception):
    """A save file that cannot be used; the message says why in words."""


@dataclass(frozen=True)
class SaveData:
    """Everything a save holds."""

    scenario_id: str
    scenario_path: str
    scenario_hash: str
    seed: int
    role: str
    log: list[dict[str, Decisions]]


def content_hash(data: bytes) -> str:
    """Content hash of a scenario file (detects a scenario edited since the save)."""
    return hashlib.sha256(data).hexdigest()


def saves_dir() -> Path:
    """Folder of save files inside the user data folder."""
    path = user_data_dir() / "saves"
    path.mkdir(parents=True, exist_ok=True)
    return path


def autosave_path() -> Path:
    """The autosave written after every quarter and on quit."""
    return saves_dir() / AUTOSAVE


def write_atomic(path: Path, text: str) -> None:
    """Write text so that a crash leaves either the old file or the new one, never half.

    Writes a temporary file in the same folder, fsyncs it, then renames it over the target.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_save(path: Path, data: SaveData) -> None:
    """Write a save file atomically."""
    payload: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "scenario": {
            "id": data.scenario_id,
            "path": data.scenario_path,
            "hash": data.scenario_hash,
        },
        "seed": data.seed,
        "role": data.role,
        "decisions": [
            {firm: d.model_dump(mode="json", exclude_unset=True) for firm, d in quarter.items()}
            for quarter in data.log
        ],
    }
    write_atomic(path, json.dumps(payload, indent=1, allow_nan=False))


def read_save(path: Path) -> SaveData:
    """Read and check a save file; raises SaveError with a one-line reason."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SaveError(f"no saved game at {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SaveError(
            f"the save file {path.name} is damaged ({exc.__class__.__name__})"
        ) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise SaveError(f"{path.name} is not a Crossroads save")
    version = raw.get("version")
    if version != VERSION:
        raise SaveError(
            f"{path.name} was written by another version of the game (format {version}, "
            f"this game reads format {VERSION})"
        )
    try:
        scenario = raw["scenario"]
        log = [
            {str(firm): Decisions.model_validate(d) for firm, d in quarter.items()}
            for quarter in raw["decisions"]
        ]
        return SaveData(
            scenario_id=str(scenario["id"]),
            scenario_path=str(scenario["path"]),
            scenario_hash=str(scenario["hash"]),
            seed=int(raw["seed"]),
            role=str(raw["role"]),
            log=log,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SaveError(f"the save file {path.name} is incomplete or damaged ({exc})") from None
