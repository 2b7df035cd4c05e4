"""Scoring (DESIGN §6): objectives, the final score and grade, and the competency scorecard.

KPIs arrive as one flat mapping per quarter (see :func:`kpi_key`): ``share`` for the player
firm overall, ``share:mid`` for one segment, ``share@teamboard`` for one product and
``share@teamboard:mid`` for both. An objective is *met* when its KPI satisfies ``op target``:
``at`` in quarter ``by`` (default: the last), ``always`` in every quarter up to ``by``,
``final`` at the end. A missed objective earns partial credit, up to PARTIAL_CREDIT, for how
close it came (shortfall relative to the KPI's scale). The objective score is the weighted
mean credit × 100. The final score blends it with the competency scorecard (how the result was
reached: research, forecasts, customer focus, care for the team), OBJECTIVES_SHARE to
1 − OBJECTIVES_SHARE, so meeting the targets with poor practice does not earn a top grade.
Grades: A ≥ 85, B ≥ 70, C ≥ 55, D ≥ 40, else F.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from engine.kpis import KPIS
from engine.scenario import Objective

PARTIAL_CREDIT = 0.6
OBJECTIVES_SHARE = 0.7  # of the final score; the rest is the mean competency score
GRADES: tuple[tuple[float, str], ...] = ((85, "A"), (70, "B"), (55, "C"), (40, "D"), (0, "F"))
MONEY_KPIS = frozenset(k.id for k in KPIS.values() if k.unit == "money" and k.objective)
COUNT_KPIS = frozenset(k.id for k in KPIS.values() if k.unit == "count" and k.objective)

Kpis = Mapping[str, float]


def kpi_key(kpi: str, segment: str | None = None, product: str | None = None) -> str:
    """The key of a KPI in a quarter's KPI mapping."""
    key = kpi
    if product is not None:
        key += f"@{product}"
    if segment is not None:
        key += f":{segment}"
    return key


def _scale(obj: Objective, money_scale: float) -> float:
    if obj.kpi in MONEY_KPIS:
        return max(abs(obj.target), money_scale)
    if obj.kpi in COUNT_KPIS:
        return max(abs(obj.target), 10.0)
    return max(abs(obj.target), 0.1)


def _credit(obj: Objective, value: float, money_scale: float) -> tuple[bool, float]:
    if not np.isfinite(value):  # not measured (e.g. the line was sunset): no credit
        return False, 0.0
    met = value >= obj.target if obj.op == ">=" else value <= obj.target
    if met:
        return True, 1.0
    shortfall = abs(value - obj.target)
    return False, PARTIAL_CREDIT * max(0.0, 1.0 - shortfall / _scale(obj, money_scale))


@dataclass(frozen=True)
class ObjectiveResult:
    """Where one objective stands after some quarters."""

    id: str
    description: str
    status: Literal["met", "missed", "on_track", "behind", "pending"]
    value: float | None  # the KPI value that decides (or the latest one while pending)
    credit: float  # 0..1 share of the objective's weight earned so far
    weight: float
    evidence: str


def evaluate(
    obj: Objective, history: Sequence[Kpis], quarters: int, money_scale: float
) -> ObjectiveResult:
    """Evaluate one objective on the quarters played so far (history[0] is quarter 1)."""
    key = kpi_key(obj.kpi, obj.segment, obj.product)
    by = quarters if obj.mode == "final" or obj.by is None else obj.by
    played = len(history)
    values = [float(h.get(key, np.nan)) for h in history]
    fmt = _fmt(obj.kpi)
    target = f"{obj.op} {fmt(obj.target)}"
    if not values:
        return ObjectiveResult(obj.id, obj.description, "pending", None, 0.0, obj.weight, "")
    if obj.mode == "always":
        window = values[: min(by, played)]
        credits = [_credit(obj, v, money_scale) for v in window]
        misses = [q + 1 for q, (m, _) in enumerate(credits) if not m]
        credit = float(np.mean([c for _, c in credits]))
        worst = min(window) if obj.op == ">=" else max(window)
        evidence = f"worst {fmt(worst)} (target {target} every quarter to Q{by})"
        if misses:
            evidence += "; missed in Q" + ", Q".join(map(str, misses))
        if misses:
            status = "missed"
        elif played >= by:
            status = "met"
        else:
            status = "on_track"
        return ObjectiveResult(obj.id, obj.description, status, worst, credit, obj.weight, evidence)
    if played < by:
        latest = values[-1]
        met, _ = _credit(obj, latest, money_scale)
        return ObjectiveResult(
            obj.id,
            obj.description,
            "on_track" if met else "behind",
            latest,
            0.0,
            obj.weight,
            f"now {fmt(latest)} in Q{played}; target {target} by Q{by}",
        )
    value = values[by - 1]
    met, credit = _credit(obj, value, money_scale)
    return ObjectiveResult(
        obj.id,
        obj.description,
        "met" if met else "missed",
        value,
        credit,
        obj.weight,
        f"{fmt(value)} in Q{by} (target {target})",
    )


def _fmt(kpi: str) -> Callable[[float], str]:
    """The objective evidence's formatter for ``kpi`` (the registry's, without a currency)."""
    return KPIS[kpi].format


def score(results: Sequence[ObjectiveResult]) -> float:
    """Weighted mean credit × 100."""
    total = sum(r.weight for r in results)
    return 100.0 * sum(r.weight * r.credit for r in results) / total if total else 0.0


def final_score(objective_score: float, competency_scores: Sequence[float]) -> float:
    """OBJECTIVES_SHARE × objective score + the rest × mean competency score (0..100)."""
    practice = float(np.mean(competency_scores)) if competency_scores else 0.0
    return OBJECTIVES_SHARE * objective_score + (1.0 - OBJECTIVES_SHARE) * practice


def grade(points: float) -> str:
    """Letter grade for a 0..100 score."""
    return next(letter for floor, letter in GRADES if points >= floor)


# --------------------------------------------------------------------------- forecasts


@dataclass(frozen=True)
class Calibration:
    """How well the player's forecasts matched what happened."""

    count: int
    revenue_error: float  # mean absolute percentage error
    revenue_bias: float  # mean signed percentage error (+ = optimistic)
    share_error: float  # mean absolute error in share points (0..1)


def calibration(pairs: Sequence[tuple[tuple[float, float], tuple[float, float]]]) -> Calibration:
    """Calibration of ((forecast revenue, share), (actual revenue, share)) pairs."""
    if not pairs:
        return Calibration(0, 0.0, 0.0, 0.0)
    rel = [(f[0] - a[0]) / max(abs(a[0]), 1.0) for f, a in pairs]
    return Calibration(
        count=len(pairs),
        revenue_error=float(np.mean(np.abs(rel))),
        revenue_bias=float(np.mean(rel)),
        share_error=float(np.mean([abs(f[1] - a[1]) for f, a in pairs])),
    )


# --------------------------------------------------------------------------- competencies


@dataclass(frozen=True)
class Record:
    """What the scorecard needs to know about one quarter of play."""

    kpis: Kpis
    studies: int = 0
    segments_studied: tuple[str, ...] = ()
    belief_error: float = 0.0
    forecast: tuple[float, float] | None = None
    actual: tuple[float, float] = (0.0, 0.0)
    discovery_share: float = 0.0
    started: tuple[str, ...] = ()  # items that received effort this quarter
    shipped: tuple[str, ...] = ()
    price_change: float = 0.0  # mean absolute relative price change of the player's lines
    leavers: int = 0


@dataclass(frozen=True)
class Competency:
    """One competency: a 0..100 score and the evidence behind it."""

    score: float
    evidence: list[str] = field(default_factory=list)


def _mean(parts: Sequence[float]) -> float:
    return 100.0 * float(np.mean(parts)) if parts else 0.0


def competencies(
    records: Sequence[Record],
    objective_score: float,
    n_segments: int,
    prior_error: float,
    pm_skill: tuple[float, float] | None,
) -> dict[str, Competency]:
    """The scorecard: market understanding, strategic thinking, customer empathy, leadership.

    Each part is a 0..1 number with a sentence of evidence; a competency is their mean × 100.
    ``pm_skill`` is (start, end) mean skill of the AI PMs (CPO role) or None (PM role).
    """
    if not records:
        return {}
    return {
        "market_understanding": _market_understanding(records, n_segments, prior_error),
        "strategic_thinking": _strategic_thinking(records, objective_score),
        "customer_empathy": _customer_empathy(records),
        "leadership": _leadership(records, pm_skill),
    }


def _market_understanding(
    records: Sequence[Record], n_segments: int, prior_error: float
) -> Competency:
    """Research used, how close the final belief is to the truth, forecast calibration."""
    quarters = len(records)
    studies = sum(r.studies for r in records)
    studied = sorted({s for r in records for s in r.segments_studied})
    use = 0.5 * len(studied) / max(1, n_segments) + 0.5 * min(1.0, studies / (quarters / 2))
    err = records[-1].belief_error
    insight = float(np.clip(1.0 - err / prior_error, 0.0, 1.0)) if prior_error > 0 else 0.0
    cal = calibration([(r.forecast, r.actual) for r in records if r.forecast is not None])
    cal_part = float(np.clip(1.0 - 2.0 * cal.revenue_error, 0.0, 1.0)) if cal.count else 0.0
    return Competency(
        _mean([use, insight, cal_part]),
        [
            f"{studies} research studies covering {len(studied)} of {n_segments} segments",
            f"believed-vs-true market error {err:.3f} (vague prior: {prior_error:.3f})",
            (
                f"{cal.count} forecasts: revenue off by {cal.revenue_error:.0%} on average "
                f"({'optimistic' if cal.revenue_bias > 0 else 'pessimistic'} by "
                f"{abs(cal.revenue_bias):.0%}), share off by {cal.share_error * 100:.1f} points"
                if cal.count
                else "no forecasts made"
            ),
        ],
    )


def _strategic_thinking(records: Sequence[Record], objective_score: float) -> Competency:
    """Objectives met, started items finished, prices held steady."""
    started = {i for r in records for i in r.started}
    shipped = {i for r in records for i in r.shipped}
    finish = len(shipped & started) / len(started) if started else 0.0
    churn_price = float(np.mean([r.price_change for r in records]))
    steady = float(np.clip(1.0 - 5.0 * churn_price, 0.0, 1.0))
    return Competency(
        _mean([objective_score / 100.0, finish, steady]),
        [
            f"objectives score {objective_score:.0f}/100",
            f"shipped {len(shipped & started)} of {len(started)} items started",
            f"average price move {churn_price:.1%} per quarter",
        ],
    )


def _customer_empathy(records: Sequence[Record]) -> Competency:
    """Final satisfaction, customers kept, capacity spent on discovery and improvement."""
    last = records[-1].kpis
    satisfaction = float(last.get("satisfaction", 0.0))
    first_customers = max(1.0, float(records[0].kpis.get("customers", 1.0)))
    retention = float(np.clip(last.get("customers", 0.0) / first_customers, 0.0, 1.0))
    discovery = float(np.mean([r.discovery_share for r in records]))
    return Competency(
        _mean([np.clip(satisfaction, 0, 1), retention, min(1.0, discovery / 0.15)]),
        [
            f"final satisfaction {satisfaction:.2f}",
            f"kept {retention:.0%} of the first quarter's customer count",
            f"{discovery:.0%} of capacity on discovery and improvement on average",
        ],
    )


def _leadership(records: Sequence[Record], pm_skill: tuple[float, float] | None) -> Competency:
    """Morale, psychological safety, people kept and (CPO) the AI PMs' growth."""
    last = records[-1].kpis
    morale = [float(r.kpis.get("morale", 0.0)) for r in records]
    safety0 = float(records[0].kpis.get("safety", 0.0))
    safety1 = float(last.get("safety", 0.0))
    leavers = sum(r.leavers for r in records)
    heads = float(np.mean([r.kpis.get("headcount", 0.0) for r in records])) or 1.0
    parts = [
        float(np.clip((np.mean(morale) - 0.3) / 0.5, 0, 1)),
        float(np.clip(0.5 + 2.5 * (safety1 - safety0), 0, 1)),
        float(np.clip(1.0 - 2.0 * leavers / heads, 0, 1)),
    ]
    evidence = [
        f"average morale {np.mean(morale):.2f} (lowest {min(morale):.2f})",
        f"psychological safety {safety0:.2f} → {safety1:.2f}",
        f"{leavers} people left (average headcount {heads:.0f})",
    ]
    if pm_skill is not None:
        parts.append(float(np.clip(0.5 + 5.0 * (pm_skill[1] - pm_skill[0]), 0, 1)))
        evidence.append(f"AI PM skill {pm_skill[0]:.2f} → {pm_skill[1]:.2f}")
    return Competency(_mean(parts), evidence)
