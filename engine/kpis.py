"""The KPI registry: every metric's id, label, unit, direction, description and formatter.

Scoring, scenario objectives, the balance report, the glossary, the workshop leaderboard, the
debrief exports and the CLI tables all read this one table, so a KPI's name, unit and
"which way is good" cannot differ between them. ``objective`` marks the KPIs a scenario
objective may name (``engine.scenario.Kpi`` must list exactly those; a test checks it).

Units:

* ``money`` — an amount in the scenario's currency (formatted in full: -$1,234);
* ``fraction`` — a share of a whole, 0..1 (formatted as a percentage: 12.3%);
* ``count`` — customers, people or effort points (12,345);
* ``score`` — a 0..1 level such as morale or satisfaction (0.85), or an error measure;
* ``index`` — Net Promoter Score, −100..100 (+12);
* ``points`` — the final score, 0..100 (72.5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from engine import formatting

Unit = Literal["money", "fraction", "count", "score", "index", "points"]
Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class Kpi:
    """One metric: what it is called, measured in, which way is better and how it prints."""

    id: str
    label: str
    unit: Unit
    direction: Direction
    description: str
    objective: bool = True  # a scenario objective may name it
    digits: int | None = None  # decimals where the unit's default does not fit
    short: str | None = None  # column heading where the label is too long

    @property
    def heading(self) -> str:
        """The label for a table column: the short form where there is one."""
        return self.short or self.label

    def format(self, value: float, currency: str = "") -> str:
        """The value in full, as reports, CLI tables and objective evidence show it."""
        return formatter(self.unit, self.digits)(value, currency)

    def compact(self, value: float, currency: str = "$") -> str:
        """The value for a screen: money abbreviated ($12k, $1.25M), the rest as :meth:`format`."""
        if self.unit == "money":
            return formatting.money(value, currency)
        return self.format(value, currency)

    def better(self, change: float) -> bool:
        """Whether a change of ``change`` is an improvement (no change counts as one)."""
        return change >= 0 if self.direction == "higher" else change <= 0


def formatter(unit: Unit, digits: int | None = None) -> Callable[[float, str], str]:
    """The full formatter of a unit: ``f(value, currency) -> text``."""
    if unit == "money":
        return formatting.money_full
    if unit == "fraction":
        d = 1 if digits is None else digits
        return lambda v, _cur="": formatting.pct(v, d)
    if unit == "count":
        return lambda v, _cur="": formatting.count(v)
    if unit == "index":
        return lambda v, _cur="": formatting.signed(v, 0 if digits is None else digits)
    d = (1 if unit == "points" else 2) if digits is None else digits
    return lambda v, _cur="": formatting.number(v, d)


_CULTURE = {
    "morale": "How people feel about their work (0..1). Low morale lowers capacity and raises "
    "attrition.",
    "safety": "Psychological safety (0..1): people speak up about problems and mistakes; "
    "mentoring works faster when it is high.",
    "customer_focus": "How much the organisation acts on what customers need (0..1).",
    "innovation": "Appetite for trying new things (0..1).",
    "collaboration": "How well teams work together (0..1); it scales delivery capacity.",
    "capability": "The skill of the engineering organisation (0..1); it scales capacity.",
}

REGISTRY: tuple[Kpi, ...] = (
    Kpi(
        "revenue",
        "Revenue",
        "money",
        "higher",
        "Revenue this quarter: paying customers × price. Subscriptions are billed every quarter.",
    ),
    Kpi(
        "profit",
        "Profit",
        "money",
        "higher",
        "Profit this quarter: revenue minus every cost (serving customers, marketing, "
        "salaries, research, culture initiatives).",
    ),
    Kpi(
        "cumulative_profit",
        "Cumulative profit",
        "money",
        "higher",
        "Profit summed over every quarter played so far.",
    ),
    Kpi(
        "cash",
        "Cash",
        "money",
        "higher",
        "Cash in the bank at the end of the quarter. If it runs out the board steps in.",
    ),
    Kpi(
        "customers",
        "Customers",
        "count",
        "higher",
        "Paying customers across all segments (real customers, not the simulated sample).",
    ),
    Kpi(
        "share",
        "Market share",
        "fraction",
        "higher",
        "Market share: your customers as a fraction of everyone in the category (buyers of "
        "any product, and people who looked and bought nothing).",
        short="Share",
    ),
    Kpi(
        "satisfaction",
        "Satisfaction",
        "score",
        "higher",
        "How far your customers' fit with your product sits above their best alternative, "
        "on 0..1. Low satisfaction means churn is coming.",
    ),
    Kpi(
        "nps",
        "NPS",
        "index",
        "higher",
        "Net Promoter Score (−100..100): promoters minus detractors, derived from satisfaction.",
    ),
    *(
        Kpi(dim, dim.replace("_", " ").capitalize(), "score", "higher", text)
        for dim, text in _CULTURE.items()
    ),
    Kpi(
        "tech_debt",
        "Tech debt",
        "count",
        "lower",
        "Technical debt in effort points. Debt slows delivery and lowers quality.",
    ),
    Kpi("headcount", "Headcount", "count", "higher", "Engineers on the payroll."),
    Kpi(
        "attrition",
        "Attrition",
        "fraction",
        "lower",
        "People who left this quarter as a fraction of the headcount.",
    ),
    Kpi(
        "quality",
        "Quality",
        "score",
        "higher",
        "Mean product quality of your lines (0..1); technical debt wears it down.",
    ),
    Kpi(
        "pm_skill",
        "PM skill",
        "score",
        "higher",
        "Mean skill of the product managers running your lines (0..1); mentoring raises it.",
    ),
    Kpi(
        "forecast_error",
        "Forecast error",
        "fraction",
        "lower",
        "How far your revenue forecasts missed, on average, as a fraction of the outcome.",
    ),
    # Reported, never an objective.
    Kpi(
        "marketing",
        "Marketing",
        "money",
        "higher",
        "Marketing spend this quarter across all segments.",
        objective=False,
    ),
    Kpi(
        "belief_error",
        "Belief error",
        "score",
        "lower",
        "How far your beliefs about what segments want sit from the truth; research lowers it.",
        objective=False,
        digits=3,
    ),
    Kpi(
        "score",
        "Score",
        "points",
        "higher",
        "The final score, 0..100: objectives met blended with the competency scorecard.",
        objective=False,
    ),
)

KPIS: dict[str, Kpi] = {k.id: k for k in REGISTRY}
"""Every KPI by id, in registry order."""

OBJECTIVE_KPIS: tuple[str, ...] = tuple(k.id for k in REGISTRY if k.objective)
"""The KPIs a scenario objective may name."""

GLOSSARY: tuple[str, ...] = (
    "revenue",
    "profit",
    "cash",
    "customers",
    "share",
    "satisfaction",
    "nps",
    "morale",
    "tech_debt",
)
"""The KPIs the screens explain in tooltips (the glossary's metrics)."""

BALANCE: tuple[str, ...] = ("score", "share", "revenue", "cumulative_profit", "morale", "tech_debt")
"""Final KPIs the balance report gives per bot."""

LEADERBOARD: tuple[str, ...] = (
    "revenue",
    "profit",
    "cumulative_profit",
    "cash",
    "customers",
    "share",
    "satisfaction",
)
"""KPIs of each team on the workshop leaderboard (and its CSV), in column order."""

LEADERBOARD_SHOWN: tuple[str, ...] = ("revenue", "profit", "customers", "share")
"""The leaderboard KPIs the projector screen and the CLI board print."""

REPORT_HISTORY: tuple[str, ...] = (
    "revenue",
    "profit",
    "cash",
    "customers",
    "share",
    "satisfaction",
    "nps",
    "morale",
    "tech_debt",
    "belief_error",
)
"""The KPI history table of the debrief report, in column order."""


def kpi(kpi_id: str) -> Kpi:
    """The registry entry of a KPI id, or of the base KPI of a keyed one (``share@p:seg``)."""
    base = kpi_id.split("@", 1)[0].split(":", 1)[0]
    return KPIS[base]


def label(kpi_id: str) -> str:
    """The KPI's label."""
    return kpi(kpi_id).label


def fmt(kpi_id: str, value: float, currency: str = "") -> str:
    """The value of a KPI in full (see :meth:`Kpi.format`)."""
    return kpi(kpi_id).format(value, currency)
