"""Crossroads simulation engine: pure, deterministic, no pygame and no I/O in a step."""

from engine.decisions import Decisions
from engine.scenario import Scenario

__all__ = ["Decisions", "Scenario"]
