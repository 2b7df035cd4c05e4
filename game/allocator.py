"""Keep freed large arrays inside the process instead of handing them back to the system.

At the default resolution a quarter builds and frees numpy arrays of a few megabytes. glibc's
malloc returns such blocks to the operating system straight away (they are above its mmap
threshold, or trimmed off the top of the heap), so the next quarter's arrays start on fresh
pages the kernel must map and zero: about 16 000 page faults and a fifth of the CPU of an
explained 12-quarter playthrough spent in the kernel. Raising the two thresholds keeps those
blocks for reuse. Results do not change (this is where memory comes from, not what is
computed); peak memory hardly moves (freed blocks are reused, not piled up).

Only glibc (Linux) has ``mallopt``; elsewhere :func:`keep_freed_memory` does nothing.
"""

from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
# Blocks below 32 MB come from the heap (a 1 M-customer column of float64 is 8 MB), and up to
# 128 MB of free heap top is kept rather than trimmed.
MMAP_THRESHOLD = 32 * 2**20
TRIM_THRESHOLD = 128 * 2**20


def keep_freed_memory() -> bool:
    """Set glibc's thresholds for this process; True if they took (False off glibc)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    took = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    return mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1 and took
