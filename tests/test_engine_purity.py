"""The engine imports without the front end: no pygame, matplotlib or game modules."""

from __future__ import annotations

import json
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
