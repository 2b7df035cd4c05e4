"""What the golden files share: compute digests in parallel, read and write ``*.sha256``.

Each line of a golden file is ``SCENARIO ROLE BOT SHA256``; ``simulate_goldens.py`` and
``balance_goldens.py`` say what is digested.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

Case = tuple[str, str, str]


def compute(
    cases: Sequence[Case], digest: Callable[[Case], str], workers: int = 2
) -> dict[Case, str]:
    """``digest`` of every case, in parallel (fresh processes: no inherited pygame state)."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        return dict(zip(cases, pool.map(digest, cases), strict=True))


def read(path: Path) -> dict[Case, str]:
    """The digests recorded in ``path``."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        scenario, role, bot, sha = line.split()
        out[(scenario, role, bot)] = sha
    return out


def write(path: Path, found: dict[Case, str]) -> None:
    """Record ``found`` in ``path`` and say so."""
    lines = (f"{s} {r} {b} {sha}\n" for (s, r, b), sha in found.items())
    path.write_text("".join(lines), encoding="utf-8")
    print(f"recorded {len(found)} goldens in {path}")
