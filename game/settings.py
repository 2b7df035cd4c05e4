"""Player settings (window size, fullscreen, text scale, projector mode, high contrast,
language), kept as JSON in the user folder."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from game.files import KIB, read_json
from game.paths import user_data_dir
from game.saves import write_atomic

MAX_BYTES = 64 * KIB

MIN_SIZE = (1280, 720)
TEXT_SCALES = (0.8, 0.9, 1.0, 1.15, 1.3, 1.45, 1.6)
"""Text sizes offered (80% to 160%); a screen larger than the window scrolls."""
LANGUAGES = ("en", "de")
"""Language codes the game ships (names in :data:`game.translation.LANGUAGES`)."""
WINDOW_SIZES = ((1280, 720), (1366, 768), (1600, 900), (1920, 1080))


@dataclass(frozen=True)
class Settings:
    """What the player can change on the settings screen."""

    width: int = 1280
    height: int = 720
    fullscreen: bool = False
    text_scale: float = 1.0
    projector: bool = False
    """Scale the whole UI to fill the window (1920×1080 and larger), so a room can read it."""
    high_contrast: bool = False
    """Black and white theme with the strongest text contrast (for low vision and projectors)."""
    language: str = "en"
    """Language of every screen and report (a code from :data:`LANGUAGES`)."""

    @property
    def size(self) -> tuple[int, int]:
        """Window size in pixels."""
        return (self.width, self.height)

    def clamped(self) -> Settings:
        """The same settings with out-of-range values brought back into range."""
        scale = min(TEXT_SCALES, key=lambda s: abs(s - self.text_scale))
        return replace(
            self,
            width=max(MIN_SIZE[0], min(7680, int(self.width))),
            height=max(MIN_SIZE[1], min(4320, int(self.height))),
            text_scale=scale,
            language=self.language if self.language in LANGUAGES else LANGUAGES[0],
        )


def settings_path() -> Path:
    """Where settings are stored."""
    return user_data_dir() / "settings.json"


def load_settings() -> Settings:
    """Stored settings, or the defaults when none are stored or the file is unreadable.

    Each value is checked on its own: a damaged or absurd value (``1e400``, text, a list)
    falls back to its default and the others are kept.
    """
    try:
        raw = read_json(settings_path(), MAX_BYTES)
    except (OSError, ValueError, RecursionError):  # missing, not a file, huge, not JSON
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    defaults = Settings()
    known = {f.name: _value(raw.get(f.name), getattr(defaults, f.name)) for f in fields(Settings)}
    return Settings(**known).clamped()


def _value(value: Any, default: Any) -> Any:
    """``value`` if it has the default's type and is finite, else the default."""
    if isinstance(default, str):
        return value if isinstance(value, str) and len(value) <= 16 else default
    if isinstance(default, bool):
        return value if isinstance(value, bool) else default
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    if not math.isfinite(value) or abs(value) > 1e6:
        return default
    return int(value) if isinstance(default, int) else float(value)


def save_settings(settings: Settings) -> None:
    """Store settings atomically."""
    write_atomic(settings_path(), json.dumps(asdict(settings), indent=1, allow_nan=False))
