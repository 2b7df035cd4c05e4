"""A restructuring changes no result: ``crossroads simulate`` JSON stays byte-identical.

The digests in ``tests/goldens/simulate.sha256`` were recorded before a change; a deliberate
model change re-records them (``python tests/goldens/simulate_goldens.py``) in the same commit.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "goldens"))  # spawned workers inherit sys.path
import simulate_goldens


def test_every_bundled_scenario_role_and_bot_has_a_golden() -> None:
    assert set(simulate_goldens.read()) == set(simulate_goldens.cases())


def test_simulate_json_is_byte_identical_to_the_goldens() -> None:
    expected = simulate_goldens.read()
    found = simulate_goldens.compute()
    changed = sorted(" ".join(case) for case in expected if found[case] != expected[case])
    assert not changed, f"simulate JSON changed for: {changed}"


import balance_goldens  # noqa: E402


def test_every_bundled_scenario_role_and_bot_has_a_balance_golden() -> None:
    assert set(balance_goldens.read()) == set(balance_goldens.cases())


def test_balance_runs_are_bit_identical_to_the_goldens() -> None:
    """The balance lab's fast path (resolution 500, no explanations) changes no result."""
    expected = balance_goldens.read()
    found = balance_goldens.compute()
    changed = sorted(" ".join(case) for case in expected if found[case] != expected[case])
    assert not changed, f"balance runs changed for: {changed}"
