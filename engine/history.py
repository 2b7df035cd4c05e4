"""The public market record: every product's posted price, attributes and quality per quarter.

AI rivals read it to see how a product moved in earlier quarters (what a real company could
learn from price lists and reviews); it holds nothing about individual customers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.state import SimState


@dataclass
class MarketHistory:
    """Public product prices, attributes and quality per quarter (index = quarter)."""

    prices: list[np.ndarray] = field(default_factory=list)
    attributes: list[np.ndarray] = field(default_factory=list)
    quality: list[np.ndarray] = field(default_factory=list)

    def record(self, state: SimState) -> None:
        """Append the quarter just played (or the starting position)."""
        self.prices.append(np.array([p.price for p in state.products]))
        self.attributes.append(np.array([p.attributes for p in state.products]))
        self.quality.append(np.array([p.quality for p in state.products]))
