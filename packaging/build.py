"""Build the standalone Crossroads folder with PyInstaller, then smoke-test it.

    python packaging/build.py [--no-smoke] [--dist DIR]

Produces ``dist/crossroads/`` (one folder, no UPX) holding the ``crossroads`` executable
(``crossroads.exe`` on Windows) with Python, the bundled scenarios, fonts and theme. The
smoke test runs the frozen executable the way a facilitator without Python would, in a clean
environment (no virtual environment on PATH, a fresh user folder, no screen):
``crossroads list``, ``validate`` of every bundled scenario, ``simulate tutorial --turns 2``
and ``play --frames 3 --screenshot``, a headless title frame. It needs the ``build`` extra
(``pip install -e ".[build]"``); see docs/building.md for Windows and macOS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def build(dist: Path) -> Path:
    """Run PyInstaller on the spec; returns the built executable."""
    work = ROOT / "build" / "pyinstaller"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(HERE / "crossroads.spec"),
        ],
        check=True,
        cwd=HERE,
    )
    name = "crossroads.exe" if os.name == "nt" else "crossroads"
    return dist / "crossroads" / name


def smoke(executable: Path) -> None:
    """Run the frozen build's CLI and one headless title frame in a clean environment."""
    with tempfile.TemporaryDirectory(prefix="crossroads-smoke-") as tmp:
        home = Path(tmp)
        env = {
            "HOME": str(home),
            "PATH": os.defpath,  # no virtual environment, no Python on purpose
            "CROSSROADS_HOME": str(home / "data"),
            "SDL_VIDEODRIVER": "dummy",
            "SDL_AUDIODRIVER": "dummy",
        }
        if os.name == "nt":
            env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
        bundled = executable.parent / "_internal" / "scenarios"
        shot = home / "title.png"
        steps = [
            ["list"],
            ["validate", str(bundled)],
            ["simulate", "tutorial", "--turns", "2"],
            ["play", "--frames", "3", "--screenshot", str(shot)],
        ]
        for args in steps:
            print(f"smoke: crossroads {' '.join(args)}", flush=True)
            subprocess.run([str(executable), *args], check=True, cwd=home, env=env)
        if not shot.is_file() or shot.stat().st_size == 0:
            raise SystemExit("smoke: the title frame was not saved")
        user_files = {"saves", "settings.json", "workshops"}
        stray = [p.name for p in executable.parent.iterdir() if p.name in user_files]
        if stray:
            raise SystemExit(f"smoke: user data written beside the executable: {stray}")
    print(f"smoke: the frozen build in {executable.parent} works")


def main() -> int:
    """Build, then smoke-test unless asked not to."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    args = parser.parse_args()
    executable = build(args.dist.resolve())
    if not args.no_smoke:
        smoke(executable)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
