"""The engine imports without the front end: no pygame, matplotlib or game modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_every_engine_module_imports_without_front_end_libraries() -> None:
    code = (
        "import importlib, json, pkgutil, sys, engine\n"
        "for m in pkgutil.walk_packages(engine.__path__, 'engine.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pygame', 'pygame_gui', 'matplotlib', 'game'))\n"
        "print(json.dumps(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(result.stdout) == []


def test_importing_the_engine_first_pins_numpy_to_the_same_kernels_on_every_x86_cpu() -> None:
    """AVX-512 kernels give other last bits than AVX2 ones: the engine turns them off before
    numpy loads, so a seed plays the same game on every x86-64 machine."""
    code = (
        "import json, engine, numpy\n"
        "from numpy._core import _multiarray_umath as m\n"
        "on = [d for d in m.__cpu_dispatch__ if m.__cpu_features__.get(d)]\n"
        "print(json.dumps([d for d in on if d in engine.NUMPY_FEATURES_OFF.split()]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "NPY_DISABLE_CPU_FEATURES"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
    )
    assert json.loads(result.stdout) == []  # no AVX-512 kernel is dispatched
