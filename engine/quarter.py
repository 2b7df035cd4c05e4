"""The quarter context: what the phase modules may read (and edit) of a running simulation.

:class:`engine.simulation.Simulation` builds a :class:`QuarterContext` and hands it to the
phase modules (:mod:`engine.company`, :mod:`engine.competitors`, :mod:`engine.explain`,
:mod:`engine.view`) instead of itself, so they never import the simulation. The context is
frozen: its fields always name the simulation's own objects, but those objects (the state,
the report list) are shared and live — phases edit the state in place, and a report
appended to the simulation's history is seen through the context.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.history import MarketHistory
from engine.report import TurnReport
from engine.rng import SeedStreams
from engine.scenario import Scenario
from engine.state import SimState


@dataclass(frozen=True)
class QuarterContext:
    """One simulation's scenario, state, random streams and histories, for the phases."""

    scenario: Scenario
    role: str
    state: SimState
    streams: SeedStreams
    history: list[TurnReport]
    """Every quarter report so far (quarter 0 is the starting position); the same list."""
    market_history: MarketHistory
    attribute_ids: tuple[str, ...]
    segment_ids: tuple[str, ...]
