"""Run a benchmark script of another version of Crossroads, for side-by-side figures.

``--against REV`` on ``balance.py`` and ``market_step.py`` measures the same figures on
another checkout in the same run (a path, or a git revision checked out for the run into
a temporary worktree), so a speed change is judged on one machine under one load.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def checkout(rev_or_path: str) -> Iterator[Path]:
    """A directory holding ``rev_or_path``: the path itself, or a temporary git worktree."""
    path = Path(rev_or_path)
    if path.is_dir():
        yield path.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="crossroads-against-") as tmp:
        where = Path(tmp) / "checkout"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(where), rev_or_path],
            check=True,
        )
        try:
            yield where
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)], check=False
            )


def figures(where: Path, script: str, args: Sequence[str]) -> dict[str, Any]:
    """The JSON figures ``benchmarks/SCRIPT --json ARGS`` prints in the checkout ``where``."""
    out = subprocess.run(
        [sys.executable, str(where / "benchmarks" / script), "--json", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=where,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def side_by_side(rows: Sequence[tuple[str, float, float, str]], label: str) -> str:
    """Aligned lines ``name: before -> now (ratio)`` for (name, before, now, unit) rows."""
    lines = [f"figure{'':20s}{label:>14s}{'this checkout':>16s}{'ratio':>9s}"]
    for name, before, now, unit in rows:
        ratio = before / now if now else float("inf")
        lines.append(f"{name:26s}{before:>12.3f} {unit:<2s}{now:>13.3f} {unit:<2s}{ratio:>8.2f}x")
    return "\n".join(lines)
