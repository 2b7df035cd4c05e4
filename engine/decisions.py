"""What a firm decides in one quarter: the only input the simulation takes from players.

``Decisions`` is plain data (pydantic, JSON-serialisable). A PM fills the per-product fields
of their line; a CPO fills the portfolio fields and the AI PMs fill the per-product ones.
Fields left at their defaults mean "keep things as they are". Validation against the current
state (capacity, cash, dependencies) is done by the engine, which returns every problem in
words rather than clipping anything silently.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Theme = Literal["growth", "retention", "profit", "quality"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CapacitySplit(_Data):
    """How a line's engineering capacity is divided this quarter (fractions summing to 1)."""

    features: float = Field(default=0.7, ge=0, le=1, description="Roadmap items.")
    debt: float = Field(default=0.2, ge=0, le=1, description="Technical-debt paydown.")
    discovery: float = Field(
        default=0.1, ge=0, le=1, description="Discovery/improvement (research, quality)."
    )

    @model_validator(mode="after")
    def _sums_to_one(self) -> CapacitySplit:
        total = self.features + self.debt + self.discovery
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"capacity split must add up to 100% (it adds up to {total:.0%})")
        return self


class ResearchOrder(_Data):
    """Buy one research method for one segment this quarter."""

    method: str
    segment: str


class ProductDecision(_Data):
    """Line-level decisions for one product (made by the PM, human or AI)."""

    price: float | None = Field(
        default=None, description="New price per customer per quarter; None keeps the price."
    )
    marketing: dict[str, float] = Field(
        default_factory=dict,
        description="Marketing spend per segment id this quarter. Unit: money.",
    )
    roadmap: list[str] = Field(
        default_factory=list,
        description="Backlog item ids to work on, in priority order (work in progress on an "
        "item not listed is paused, not lost).",
    )
    split: CapacitySplit = Field(default_factory=CapacitySplit)
    research: list[ResearchOrder] = Field(default_factory=list)
    hires: int = Field(default=0, ge=0, description="Engineers to hire into this line.")
    layoffs: int = Field(default=0, ge=0, description="Engineers to let go from this line.")


class Forecast(_Data):
    """The player's forecast for next quarter, graded for calibration."""

    revenue: float = Field(ge=0, description="Expected firm revenue next quarter. Unit: money.")
    share: float = Field(ge=0, le=1, description="Expected overall market share next quarter.")


class Decisions(_Data):
    """Everything one firm decides for one quarter."""

    products: dict[str, ProductDecision] = Field(
        default_factory=dict, description="Per product id; a missing product keeps its course."
    )
    forecast: Forecast | None = None
    initiatives: list[str] = Field(
        default_factory=list, description="Culture initiative ids to start this quarter."
    )
    hiring_freeze: bool = Field(default=False, description="No hiring and no backfill.")
    # ---- CPO portfolio decisions
    themes: dict[str, Theme] = Field(
        default_factory=dict, description="Theme per product line, followed by its AI PM."
    )
    mentoring: dict[str, float] = Field(
        default_factory=dict,
        description="Share of the CPO's time (0..1, summing to at most 1) per line's PM.",
    )
    bets: list[str] = Field(default_factory=list, description="Innovation bet ids to fund.")
    incubation: int = Field(
        default=0, ge=0, description="Engineers moved into the incubation line for bets."
    )
    sunset: list[str] = Field(default_factory=list, description="Product lines to sunset.")
