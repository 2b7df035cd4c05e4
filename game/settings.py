"""Player settings (window size, fullscreen, text scale), kept as JSON in the user folder."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from game.paths import user_data_dir
from game.saves import write_atomic

MIN_SIZE = (1280, 720)
TEXT_SCALES = (0.9, 1.0, 1.15, 1.3)
WINDOW_SIZES = ((1280, 720), (1366, 768), (1600, 900), (1920, 1080))


@dataclass(frozen=True)
class Settings:
    """What the player can change on the settings screen."""

    width: int = 1280
    height: int = 720
    fullscreen: bool = False
    text_scale: float = 1.0

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
        )


def settings_path() -> Path:
    """Where settings are stored."""
    return user_data_dir() / "settings.json"


def load_settings() -> Settings:
    """Stored settings, or the defaults when none are stored or the file is unreadable."""
    try:
        raw = json.loads(settings_path().read_text(encoding="utf-8"))
        known = {k: raw[k] for k in asdict(Settings()) if k in raw}
        return Settings(**known).clamped()
    except (OSError, ValueError, TypeError):
        return Settings()


def save_settings(settings: Settings) -> None:
    """Store settings atomically."""
    write_atomic(settings_path(), json.dumps(asdict(settings), indent=1, allow_nan=False))
