"""Headless players: strategies that turn a :class:`FirmView` into :class:`Decisions`.

``BOTS`` maps a bot name to a factory taking a random generator (a bot may not touch any
other randomness, so a playthrough stays a pure function of scenario, seed and bot).
Adding a bot is one class and one entry in ``BOTS``. :func:`play` runs a whole game.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from engine.decisions import Decisions, ProductDecision
from engine.report import TurnReport
from engine.simulation import Simulation
from engine.view import FirmView

RANDOM_PRICE_STEP = 0.15
"""The random bot moves each price by up to ±15% a quarter."""
RANDOM_MARKETING_STEP = 0.5
"""The random bot scales each marketing spend by 1 ± 0.5 ..."""
RANDOM_MARKETING_EXTRA = 5_000.0
"""... and adds up to this much, so a spend of zero can grow again."""


class Bot(Protocol):
    """Anything that decides a quarter for one firm from what that firm can see."""

    def decide(self, view: FirmView) -> Decisions:
        """This quarter's decisions for ``view.firm``."""
        ...


class HoldBot:
    """Keeps every price and the current marketing spend: the do-nothing baseline."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def decide(self, view: FirmView) -> Decisions:
        return Decisions(
            products={
                pid: ProductDecision(price=p.price, marketing=dict(p.marketing))
                for pid, p in view.products.items()
            }
        )


class RandomBot:
    """Moves prices by up to ±15% and marketing by up to ±50% (plus a little) each quarter."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def decide(self, view: FirmView) -> Decisions:
        products = {}
        for pid, p in view.products.items():
            step = self.rng.uniform(-RANDOM_PRICE_STEP, RANDOM_PRICE_STEP)
            marketing = {
                seg: float(
                    round(
                        spend
                        * self.rng.uniform(1 - RANDOM_MARKETING_STEP, 1 + RANDOM_MARKETING_STEP)
                        + self.rng.uniform(0.0, RANDOM_MARKETING_EXTRA),
                        -2,
                    )
                )
                for seg, spend in p.marketing.items()
            }
            products[pid] = ProductDecision(
                price=float(round(p.price * (1.0 + step), 2)), marketing=marketing
            )
        return Decisions(products=products)


BOTS: dict[str, Callable[[np.random.Generator], Bot]] = {
    "hold": HoldBot,
    "random": RandomBot,
}


def make_bot(name: str, rng: np.random.Generator) -> Bot:
    """The bot called ``name``; a clear ValueError names the known ones otherwise."""
    try:
        factory = BOTS[name]
    except KeyError:
        raise ValueError(f"unknown bot '{name}' (known: {', '.join(sorted(BOTS))})") from None
    return factory(rng)


def play(sim: Simulation, bot: str, turns: int | None = None) -> list[TurnReport]:
    """Play ``turns`` quarters (default: to the end) with ``bot`` running every player firm.

    Each player firm gets its own bot with its own stream (subsystem ``bots``). Returns the
    reports of the quarters played.
    """
    players = [f.id for f in sim.scenario.player_firms()]
    bots = {
        firm: make_bot(bot, sim.streams.generator("bots", 0, i)) for i, firm in enumerate(players)
    }
    remaining = sim.scenario.quarters - sim.state.quarter
    turns = remaining if turns is None else turns
    if not 0 <= turns <= remaining:
        raise ValueError(f"turns must be between 0 and {remaining}, not {turns}")
    reports = []
    for _ in range(turns):
        decisions = {firm: b.decide(sim.view(firm)) for firm, b in bots.items()}
        reports.append(sim.step(decisions))
    return reports
