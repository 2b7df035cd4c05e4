"""What a decision-maker may see: public market history and a firm's own position.

AI rivals and bots decide only from these views, never from hidden customer state: public
prices, attributes and quality of every product per quarter, and the published quarter
reports (shares, customers, awareness per segment).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.quarter import QuarterContext
from engine.report import TurnReport
from engine.scenario import Scenario


@dataclass
class ProductView:
    """A firm's own product as its decision-maker sees it."""

    id: str
    name: str
    price: float
    unit_cost: float
    quality: float
    attributes: dict[str, float]
    marketing: dict[str, float]
    customers_by_segment: dict[str, float]


@dataclass
class FirmView:
    """Everything a player or bot controlling one firm sees before deciding a quarter."""

    scenario: Scenario
    role: str
    quarter: int
    firm: str
    cash: float
    products: dict[str, ProductView]
    history: list[TurnReport]
    organisation: Any = None  # engine.company.OrgView for player firms (set by Simulation.view)

    @property
    def last(self) -> TurnReport:
        """The most recent quarter report (quarter 0 is the starting position)."""
        return self.history[-1]

    @classmethod
    def of(cls, ctx: QuarterContext, firm_id: str) -> FirmView:
        """The view of ``firm_id`` in ``ctx`` now (copies, so bots cannot edit the state)."""
        st = ctx.state
        firm = st.firms[firm_id]
        last = ctx.history[-1]
        products = {}
        for j in firm.products:
            p = st.products[j]
            products[p.id] = ProductView(
                id=p.id,
                name=p.name,
                price=float(p.price),
                unit_cost=float(p.unit_cost),
                quality=float(p.quality),
                attributes=dict(zip(ctx.attribute_ids, p.attributes.tolist(), strict=True)),
                marketing=dict(zip(ctx.segment_ids, p.marketing.tolist(), strict=True)),
                customers_by_segment=dict(last.products[p.id].customers_by_segment),
            )
        return cls(
            scenario=ctx.scenario,
            role=ctx.role,
            quarter=st.quarter + 1,
            firm=firm_id,
            cash=float(firm.cash),
            products=products,
            history=list(ctx.history),
        )
