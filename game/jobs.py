"""Slow work off the UI thread: a function in a daemon thread that a screen polls each frame.

Closing the window never waits for a job; an exception is kept for the screen to report in
words, never raised into the frame loop. Nothing here touches pygame.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Job(Generic[T]):
    """``fn()`` running in a background thread; ``result`` or ``error`` once ``done``."""

    def __init__(self, fn: Callable[[], T], name: str = "job") -> None:
        self.started = time.monotonic()
        self.result: T | None = None
        self.error: BaseException | None = None
        self._done = threading.Event()
        self._fn = fn
        threading.Thread(target=self._run, daemon=True, name=name).start()

    def _run(self) -> None:
        try:
            self.result = self._fn()
        except Exception as exc:  # reported to the player in words, never raised
            self.error = exc
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        """True once the function returned or raised."""
        return self._done.is_set()

    @property
    def seconds(self) -> int:
        """Whole seconds since the job started (for progress text)."""
        return int(time.monotonic() - self.started)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until done (tests and shutdown only); True if it finished."""
        return self._done.wait(timeout)
