"""Crossroads simulation engine: pure, deterministic, no pygame and no I/O in a step.

numpy picks its exp/log/power kernels by CPU: AVX-512 machines get different last bits from
AVX2 ones, and a last bit can tip a customer's choice, so the same seed would play a
different game on another laptop. Before numpy is first imported, the engine turns numpy's
AVX-512 kernels off (unless the environment already says which features to disable), so a
seed gives the same results on every x86-64 machine with AVX2 or AVX-512. Other CPU families
(ARM) use their own kernels; see docs/architecture.md.
"""

import os
import sys

NUMPY_FEATURES_OFF = "AVX512F AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR X86_V4"
"""numpy 1.26 to 2.x names of the AVX-512 feature levels (unknown names are ignored)."""

if "numpy" not in sys.modules:
    os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", NUMPY_FEATURES_OFF)

from engine.decisions import Decisions  # noqa: E402  (after the numpy settings above)
from engine.scenario import Scenario  # noqa: E402

__all__ = ["Decisions", "Scenario"]
