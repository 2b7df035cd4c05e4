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

Labels and descriptions are the player's words: they are looked up in the ``kpis``
namespace (``engine/locale/kpis.<lang>.json``, ``<id>.label``, ``<id>.description`` and
``<id>.short``) in the language :func:`engine.phrases.use` chose, each time they are read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from engine import formatting
from engine.phrases import ENGLISH, say

Unit = Literal["money", "fraction", "count", "score", "index", "points"]
Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class Kpi:
    """One metric: what it is called, measured in, which way is better and how it prints."""

    id: str
    unit: Unit
    direction: Direction
    objective: bool = True  # a scenario objective may name it
    digits: int | None = None  # decimals where the unit's default does not fit

    @property
    def label(self) -> str:
        """The KPI's name in the player's language ("Revenue")."""
        return say(f"kpis.{self.id}.label")

    @property
    def english_label(self) -> str:
        """The KPI's name in English, for authoring messages (which stay English)."""
        return str(ENGLISH[f"kpis.{self.id}.label"])

    @property
    def description(self) -> str:
        """What the KPI means, one or two sentences, in the player's language."""
        return say(f"kpis.{self.id}.description")

    @property
    def short(self) -> str | None:
        """The column heading where the label is too long (None where there is none)."""
        key = f"kpis.{self.id}.short"
        return say(key) if key in ENGLISH else None

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


_CULTURE = ("morale", "safety", "customer_focus", "innovation", "collaboration", "capability")

REGISTRY: tuple[Kpi, ...] = (
    Kpi("revenue", "money", "higher"),
    Kpi("profit", "money", "higher"),
    Kpi("cumulative_profit", "money", "higher"),
    Kpi("cash", "money", "higher"),
    Kpi("customers", "count", "higher"),
    Kpi("share", "fraction", "higher"),
    Kpi("satisfaction", "score", "higher"),
    Kpi("nps", "index", "higher"),
    *(Kpi(dim, "score", "higher") for dim in _CULTURE),
    Kpi("tech_debt", "count", "lower"),
    Kpi("headcount", "count", "higher"),
    Kpi("attrition", "fraction", "lower"),
    Kpi("quality", "score", "higher"),
    Kpi("pm_skill", "score", "higher"),
    Kpi("forecast_error", "fraction", "lower"),
    Kpi("trust", "score", "higher"),
    # Reported, never an objective.
    Kpi("marketing", "money", "higher", objective=False),
    Kpi("belief_error", "score", "lower", objective=False, digits=3),
    Kpi("score", "points", "higher", objective=False),
)
"""Every KPI in order; its words are ``kpis.<id>.label`` / ``.description`` / ``.short``."""

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
