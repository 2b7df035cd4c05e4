"""The allocator setting keeps freed arrays for reuse (no fresh pages every quarter)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from game import allocator

FAULTS = """
import resource, sys
import numpy as np
if sys.argv[1] == "keep":
    from game.allocator import keep_freed_memory
    assert keep_freed_memory()


def quarter():  # a quarter's temporaries: a dozen arrays of 2-6 MB held together, then freed
    held = [np.ones(250_000 * (1 + k % 3)) for k in range(12)]
    return sum(a.sum() for a in held)


quarter()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    quarter()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", FAULTS, mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


def test_off_glibc_nothing_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocator.sys, "platform", "win32")
    assert allocator.keep_freed_memory() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's (Linux)")
def test_freed_arrays_are_reused_not_faulted_in_again() -> None:
    if not allocator.keep_freed_memory():
        pytest.skip("this C library has no mallopt (not glibc)")
    plain, kept = _faults("plain"), _faults("keep")
    # 20 quarters of 48 MB: fresh pages (about 8 000 faults) every quarter, none once kept.
    assert plain > 20 * 4000
    assert kept < 1000
