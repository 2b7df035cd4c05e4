"""Fixtures shared by the workshop tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from network_play import Processes


@pytest.fixture
def procs() -> Iterator[Processes]:
    """Child processes (hosts, team clients) that are always stopped when the test ends."""
    running = Processes()
    try:
        yield running
    finally:
        running.close()
