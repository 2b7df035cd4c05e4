"""Objectives in words for every screen: the status word and colour, the value and the target
as the KPI registry formats them, a short name and where a team stands.

The hub's dashboard, the debrief and the workshop reveal all read a scorecard's objectives
(:meth:`engine.simulation.Simulation.scorecard`) through here, so "on track" and "14.0% of
20.0%" read the same everywhere. Nothing here scores: the statuses come from
:mod:`engine.scoring`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.formatting import MISSING
from engine.kpis import KPIS, formatter
from engine.scenario import Objective, Scenario
from game.scenes.glossary import Words, lower_in_sentence
from game.translation import t
from game.widgets.text import plain

COLOURS = {
    "met": "#3fc29a",
    "missed": "#f0894a",
    "on_track": "#3fc29a",
    "behind": "#f0894a",
    "pending": "#a8b3c1",
}
"""Each scoring status's colour."""

STATUS: Words[tuple[str, str]] = Words(
    tuple(COLOURS), lambda status: (t(f"objectives.status.{status}"), COLOURS[status])
)
"""Each scoring status as (word, colour), the word in the language in use."""

GOOD = {"met": True, "on_track": True, "missed": False, "behind": False}
"""Whether a status is good news (a pending objective is neither)."""


def objective_of(o: Mapping[str, Any], scenario: Scenario) -> Objective | None:
    """The scenario's objective a scorecard entry is about."""
    return next((x for x in scenario.objectives if x.id == o["id"]), None)


def objective_figures(o: Mapping[str, Any], scenario: Scenario) -> tuple[str, str, str] | None:
    """(value, target, "at least" or "at most") as the KPI shows them, with more digits where
    rounding would hide why a value that looks equal to its target is still behind; None when
    the objective or its value is unknown."""
    obj = objective_of(o, scenario)
    if obj is None or o.get("value") is None:
        return None
    kpi, cur = KPIS[obj.kpi], scenario.currency
    value, target = kpi.compact(float(o["value"]), cur), kpi.compact(obj.target, cur)
    if value == target and o["status"] in ("behind", "missed"):
        precise = formatter(kpi.unit, (kpi.digits or 2) + 2)
        value, target = precise(float(o["value"]), cur), precise(obj.target, cur)
    return value, target, t("objectives.at_least" if obj.op == ">=" else "objectives.at_most")


def objective_note(o: Mapping[str, Any], scenario: Scenario) -> str:
    """Value and target in words ("$655k, target at least $12.00M"), else the evidence."""
    figures = objective_figures(o, scenario)
    if figures is None:
        return plain(str(o.get("evidence") or "")).strip()
    value, target, _ = figures
    obj = objective_of(o, scenario)
    op = "at_least" if obj is None or obj.op == ">=" else "at_most"
    return t(f"objectives.note_{op}", value=value, target=target)


def short_name(obj: Objective, scenario: Scenario) -> str:
    """What an objective measures, briefly: "Share in Mid-market", "Teamboard revenue"."""
    name = KPIS[obj.kpi].heading
    if obj.product is not None:
        products = {p.id: p.name for _, p in scenario.products()}
        kpi = f"{name[:1].lower()}{name[1:]}" if lower_in_sentence() else name
        name = t("objectives.name_product", product=products.get(obj.product, obj.product), kpi=kpi)
    if obj.segment is not None:
        segments = {s.id: s.name for s in scenario.segments}
        name = t(
            "objectives.name_segment", name=name, segment=segments.get(obj.segment, obj.segment)
        )
    return name


def target_words(obj: Objective, scenario: Scenario, *, brief: bool = False) -> str:
    """The target and when it counts: "at least 20.0% by Q12", "never below 0.50"; ``brief``
    leaves out "at least" (a column heading: "20.0% by Q12")."""
    target = KPIS[obj.kpi].compact(obj.target, scenario.currency)
    if obj.mode == "always":
        return t(
            "objectives.never_below" if obj.op == ">=" else "objectives.never_above", target=target
        )
    op = "plain" if brief and obj.op == ">=" else "at_least" if obj.op == ">=" else "at_most"
    if obj.mode == "final" or obj.by is None:
        return t(f"objectives.target.{op}_end", target=target)
    return t(f"objectives.target.{op}_by", target=target, by=obj.by)


@dataclass(frozen=True)
class Progress:
    """Where one team stands on one objective, in words."""

    name: str  # "Share in Mid-market"
    target: str  # "at least 20.0% by Q12"
    value: str  # "14.0%" (the worst quarter's for a never-below objective)
    status: str  # "on track", "behind", "met", "missed", "not measured yet"
    good: bool | None

    @property
    def sentence(self) -> str:
        """The whole of it in one line: "Share in Mid-market 14.0% (at least 20.0% by Q12):
        behind"."""
        return t(
            "objectives.sentence",
            name=self.name,
            value=self.value,
            target=self.target,
            status=self.status,
        )


def progress(o: Mapping[str, Any], scenario: Scenario) -> Progress | None:
    """A scorecard objective as :class:`Progress`; None for an objective the scenario lacks."""
    obj = objective_of(o, scenario)
    if obj is None:
        return None
    status = str(o["status"])
    figures = objective_figures(o, scenario)
    return Progress(
        name=plain(short_name(obj, scenario)),
        target=target_words(obj, scenario),
        value=figures[0] if figures else MISSING,
        status=STATUS.get(status, (status.replace("_", " "), ""))[0],
        good=GOOD.get(status),
    )


def tally(objectives: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """A team's objectives counted in words: ("4 of 6 on track", "1 met already, 2 behind")."""
    statuses = [str(o["status"]) for o in objectives]
    good = sum(GOOD.get(s) is True for s in statuses)
    counts = {status: statuses.count(status) for status in ("met", "behind", "missed")}
    rest = [t(f"objectives.count.{status}", n=n) for status, n in counts.items() if n]
    return t("objectives.on_track_count", good=good, total=len(statuses)), ", ".join(rest)
