"""Saved games: seed + decision log, written atomically, replayed on load.

A save never stores simulation state; it stores what is needed to rebuild it exactly: the
scenario (id, absolute path, a hash of its text and, from format 2, the text itself), the
seed, the role and every quarter's decisions. Loading checks the format version and the
scenario hash, so a save made against another version of a scenario is refused with a clear
message instead of resuming a different game. Format 1 saves (no scenario text) are still
read: their scenario is read from its path.

Two optional keys of format 2 keep what the trainee wrote and chose, not simulation state:
``coach`` (the coach level) and ``reflections`` (each quarter's reflection question and the
answer, ``null`` when skipped). A save without them (every older save) loads with the coach
off and no reflections; a damaged entry in either is left out rather than refusing the game,
and older versions of the game simply ignore both keys.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.decisions import Decisions
from game.files import MIB, FileRefused, read_json
from game.paths import user_data_dir
from game.translation import t

FORMAT = "crossroads-save"
VERSION = 2
READS = (1, 2)  # format 1: no copy of the scenario text
AUTOSAVE = "autosave.json"
COMPANY_AUTOSAVE = "company-autosave.json"
MAX_SAVE_BYTES = 16 * MIB
MAX_SEED = 2**63 - 1
STALE_TMP_S = 600  # a temporary file this old belongs to a write that was killed


MAX_ANSWER = 2000  # characters of one reflection answer kept
MAX_QUESTION = 600  # characters of one reflection question kept


class SaveError(Exception):
    """A save file that cannot be used; the message says why in words."""


@dataclass(frozen=True)
class Reflection:
    """The trainee's reflection after one quarter: the question and the answer (None: skipped)."""

    quarter: int
    question: str
    answer: str | None


@dataclass(frozen=True)
class SaveData:
    """Everything a save holds."""

    scenario_id: str
    scenario_path: str
    scenario_hash: str
    seed: int
    role: str
    log: list[dict[str, Decisions]]
    scenario_text: str | None = None  # the scenario as played (None in format 1 saves)
    coach: str | None = None  # the coach level (None: not recorded, i.e. off)
    reflections: tuple[Reflection, ...] = ()


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


def company_autosave_path() -> Path:
    """The company game's autosave (:mod:`game.company_session`), beside the solo one."""
    return saves_dir() / COMPANY_AUTOSAVE


def latest_autosave() -> Path | None:
    """The autosave written last, solo or company (None: neither exists): what Continue
    resumes. Every game writes its autosave as it starts, so the newest is the latest game."""
    found = []
    for path in (autosave_path(), company_autosave_path()):
        try:
            found.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    return max(found)[1] if found else None


def quietly(save: Callable[[], object]) -> str | None:
    """Run ``save`` (an autosave); a message in words instead of raising when the disk
    refuses (the game goes on either way)."""
    try:
        save()
    except OSError as exc:
        return t("session.autosave_failed", reason=exc.strerror or exc)
    return None


def write_atomic(path: Path, text: str | bytes, like: Path | None = None) -> None:
    """Write text so that a crash leaves either the old file or the new one, never half.

    Writes a temporary file in the same folder, fsyncs it, then renames it over the target.
    ``bytes`` are written exactly as given (``str`` as UTF-8 text). ``like``: a file whose
    permissions the new file gets (the author's file it replaces), instead of owner-only.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        binary = isinstance(text, bytes)
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if like is not None:
            os.chmod(tmp, stat.S_IMODE(os.stat(like).st_mode))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clean_stale_temporaries(folder: Path, max_age_s: float = STALE_TMP_S) -> int:
    """Remove ``.NAME.*.tmp`` files left in ``folder`` by writes that were killed.

    Only files older than ``max_age_s`` are removed (a write in progress takes
    milliseconds); returns how many. Never raises: cleaning is a courtesy.
    """
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > max_age_s:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def write_save(path: Path, data: SaveData) -> None:
    """Write a save file atomically."""
    payload: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "scenario": {
            "id": data.scenario_id,
            "path": str(Path(data.scenario_path).absolute()),
            "hash": data.scenario_hash,
            "text": data.scenario_text,
        },
        "seed": data.seed,
        "role": data.role,
        "decisions": [
            {firm: d.model_dump(mode="json", exclude_unset=True) for firm, d in quarter.items()}
            for quarter in data.log
        ],
    }
    if data.coach is not None:
        payload["coach"] = data.coach
    if data.reflections:
        payload["reflections"] = [
            {"quarter": r.quarter, "question": r.question, "answer": r.answer}
            for r in data.reflections
        ]
    write_atomic(path, json.dumps(payload, indent=1, allow_nan=False))


def read_save(path: Path) -> SaveData:
    """Read and check a save file; raises SaveError with a one-line reason."""
    raw = read_document(path)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise SaveError(t("saves.not_a_save", name=path.name))
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SaveError(t("saves.bad_version", name=path.name, version=_shown(version)))
    if version not in READS:
        raise SaveError(
            t(
                "saves.other_version",
                name=path.name,
                version=version,
                formats=", ".join(map(str, READS)),
            )
        )
    return _save_data(path.name, raw)


def read_document(path: Path) -> Any:
    """The JSON document of a save file (solo or company), size-bounded and strict;
    SaveError with a one-line reason when it is missing, refused or damaged."""
    try:
        return read_json(path, MAX_SAVE_BYTES)
    except FileRefused as exc:
        if exc.reason == "no such file":
            raise SaveError(t("saves.none", path=path)) from None
        raise SaveError(t("saves.refused", problem=exc)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SaveError(t("saves.damaged", name=path.name, error=exc.__class__.__name__)) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # 5 000-digit numbers, deep nesting
        raise SaveError(
            t("saves.damaged_data", name=path.name, error=exc.__class__.__name__)
        ) from None


def _shown(value: Any) -> str:
    """A value from a save for a message: as JSON, short (NaN and inf as Python shows them)."""
    try:
        text = str(value) if isinstance(value, int) else json.dumps(value, allow_nan=False)
    except ValueError:
        text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _save_data(name: str, raw: dict[str, Any]) -> SaveData:
    """The checked contents of a save document (format 1 or 2)."""
    from pydantic import ValidationError

    def problem(case: str, **values: Any) -> SaveError:
        return SaveError(t(f"saves.incomplete.{case}", name=name, **values))

    scenario = raw.get("scenario")
    if not isinstance(scenario, dict):
        raise problem("no_scenario")
    fields = {k: scenario.get(k) for k in ("id", "path", "hash")}
    for key, value in fields.items():
        if not isinstance(value, str):
            raise problem("scenario_field", field=key, value=_shown(value))
    text = scenario.get("text")
    if text is not None and not isinstance(text, str):
        raise problem("scenario_text")
    seed, role, decisions = raw.get("seed"), raw.get("role"), raw.get("decisions")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise problem("seed", value=_shown(seed))
    if not isinstance(role, str):
        raise problem("role", value=_shown(role))
    if not isinstance(decisions, list):
        raise problem("decisions", value=_shown(decisions))
    log = []
    for q, quarter in enumerate(decisions, start=1):
        if not isinstance(quarter, dict):
            raise problem("quarter", quarter=q)
        played = {}
        for firm, d in quarter.items():
            try:
                played[str(firm)] = Decisions.model_validate(d)
            except ValidationError as exc:
                raise problem("decision", quarter=q, error=first_error(exc, firm)) from None
            except (ValueError, TypeError, RecursionError) as exc:
                raise problem("decision_type", quarter=q, error=exc.__class__.__name__) from None
        log.append(played)
    return SaveData(
        scenario_id=fields["id"],
        scenario_path=fields["path"],
        scenario_hash=fields["hash"],
        seed=seed,
        role=role,
        log=log,
        scenario_text=text,
        coach=raw["coach"] if isinstance(raw.get("coach"), str) else None,
        reflections=reflections_of(raw.get("reflections"), len(log)),
    )


def reflections_of(raw: Any, quarters: int) -> tuple[Reflection, ...]:
    """The well-formed reflections of a save (one per played quarter, the last one kept);
    anything else in the list is left out: a note must never stop a game from loading."""
    if not isinstance(raw, list):
        return ()
    found: dict[int, Reflection] = {}
    for item in raw:
        if not isinstance(item, dict):
            continue
        quarter, question, answer = item.get("quarter"), item.get("question"), item.get("answer")
        if (
            isinstance(quarter, bool)
            or not isinstance(quarter, int)
            or not 1 <= quarter <= quarters
        ):
            continue
        if not isinstance(question, str) or not (answer is None or isinstance(answer, str)):
            continue
        found[quarter] = Reflection(
            quarter, question[:MAX_QUESTION], None if answer is None else answer[:MAX_ANSWER]
        )
    return tuple(found[q] for q in sorted(found))


def first_error(exc: Any, *within: str) -> str:
    """A pydantic error in one line: the field's dotted path (after ``within``, e.g. the
    firm) and the first complaint."""
    errors = exc.errors()
    first = errors[0]
    where = ".".join(str(p) for p in (*within, *first.get("loc", ())))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    message = str(first.get("msg", "invalid")).splitlines()[0]
    return f"{where[:120]}: {message[:120]}{more}"
