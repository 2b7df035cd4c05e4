"""A restructuring changes no result: the goldens recorded before a change still hold.

``tests/goldens/simulate.sha256``: the ``crossroads simulate`` JSON of every bundled scenario,
role and bot (full resolution, with explanations). ``tests/goldens/balance.sha256``: every
field of the balance lab's runs at its resolution without explanations, the fast path. A
deliberate model change re-records both (``python tests/goldens/simulate_goldens.py`` and
``python tests/goldens/balance_goldens.py``) in the same commit.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

sys.path.insert(0, str(Path(__file__).parent / "goldens"))  # spawned workers inherit sys.path
import balance_goldens
import digests
import simulate_goldens

GOLDENS: dict[str, ModuleType] = {"simulate": simulate_goldens, "balance": balance_goldens}


@pytest.mark.parametrize("kind", GOLDENS)
def test_every_bundled_scenario_role_and_bot_has_a_golden(kind: str) -> None:
    goldens = GOLDENS[kind]
    assert set(digests.read(goldens.GOLDENS)) == set(goldens.cases())


@pytest.mark.parametrize("kind", GOLDENS)
def test_results_are_identical_to_the_goldens(kind: str) -> None:
    goldens = GOLDENS[kind]
    expected = digests.read(goldens.GOLDENS)
    found = digests.compute(goldens.cases(), goldens.digest)
    changed = sorted(" ".join(case) for case in expected if found[case] != expected[case])
    assert not changed, f"{kind} results changed for: {changed}"
