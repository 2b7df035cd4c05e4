"""Scoring (DESIGN §6): objectives, the final score and grade, and the competency scorecard.

The score must reward good decisions and punish inaction, so it measures what the player
*changed*, not where the market would have carried them anyway.

KPIs arrive as one flat mapping per quarter (see :func:`kpi_key`): ``share`` for the player
firm overall, ``share:mid`` for one segment, ``share@teamboard`` for one product and
``share@teamboard:mid`` for both. An objective is *met* when its KPI satisfies ``op target``:
``at`` in quarter ``by`` (default: the last), ``always`` in every quarter up to ``by``,
``final`` at the end.

Every objective is one of two kinds, decided by where the game starts (:func:`start_value`:
the quarter-0 value; for cumulative profit the starting run-rate's profit times the quarters
to ``by``):

* a **goal** is not met at the start. Met: full credit. Missed: PARTIAL_CREDIT × progress²,
  progress = (value − start)/(target − start) from the start toward the target (0..1), so
  standing still earns nothing, drifting part of the way with the market earns little and a
  near miss earns most of the partial credit;
* a **guardrail** is met at the start (keep cash above a floor, keep morale up). Keeping it
  earns nothing by itself; breaking it costs its weight (less partial credit for how close it
  stayed).

The objective score is 100 × the weighted mean credit of the goals (100 when there are none),
times (1 − the weighted share of the guardrails broken). The final score blends it with the
competency scorecard (how the result was reached: research, forecasts, delivery, customer
focus, care for the team), OBJECTIVES_SHARE to 1 − OBJECTIVES_SHARE; each competency rests on
evidence of action, so an idle roadmap cannot score high on strategic thinking.
Grades: A ≥ 85, B ≥ 70, C ≥ 55, D ≥ 40, else F.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from engine.formatting import number, pct, signed
from engine.kpis import KPIS
from engine.phrases import say
from engine.scalars import clip, mean
from engine.scenario import Objective

PARTIAL_CREDIT = 0.5
"""The most a missed goal earns (for getting all but the last step of the way)."""
OBJECTIVES_SHARE = 0.4  # of the final score; the rest is the mean competency score
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


def _met(obj: Objective, value: float) -> bool:
    return value >= obj.target if obj.op == ">=" else value <= obj.target


def _credit(
    obj: Objective, value: float, money_scale: float, start: float | None = None
) -> tuple[bool, float]:
    """(met, credit 0..1) of one value. A goal with a known ``start`` earns PARTIAL_CREDIT ×
    progress from the start toward the target when missed; otherwise the partial credit falls
    with the shortfall relative to the KPI's scale."""
    if not np.isfinite(value):  # not measured (e.g. the line was sunset): no credit
        return False, 0.0
    if _met(obj, value):
        return True, 1.0
    if start is not None and np.isfinite(start) and not _met(obj, start):
        progress = clip((value - start) / (obj.target - start), 0.0, 1.0)
        return False, PARTIAL_CREDIT * progress**2
    shortfall = abs(value - obj.target)
    return False, PARTIAL_CREDIT * max(0.0, 1.0 - shortfall / _scale(obj, money_scale))


def start_value(obj: Objective, start: Kpis, quarters: int) -> float | None:
    """Where an objective's KPI stands before anything is played: the quarter-0 value, or for
    cumulative profit what the starting run-rate earns by the quarter it is due. None when
    the KPI has no quarter-0 value."""
    by = quarters if obj.mode == "final" or obj.by is None else obj.by
    if obj.kpi == "cumulative_profit":
        run_rate = start.get(kpi_key("profit", obj.segment, obj.product))
        return None if run_rate is None else float(run_rate) * by
    value = start.get(kpi_key(obj.kpi, obj.segment, obj.product))
    return None if value is None else float(value)


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
    kind: Literal["goal", "guardrail"] = "goal"
    start: float | None = None  # the KPI before anything was played (see start_value)


def evaluate(
    obj: Objective,
    history: Sequence[Kpis],
    quarters: int,
    money_scale: float,
    start: float | None = None,
) -> ObjectiveResult:
    """Evaluate one objective on the quarters played so far (history[0] is quarter 1).

    ``start`` (:func:`start_value`) makes it a goal or a guardrail and measures a missed
    goal's progress; without it every objective is a goal with shortfall-based credit.
    """
    guard = start is not None and np.isfinite(start) and _met(obj, start)
    return _evaluate(obj, history, quarters, money_scale, start, "guardrail" if guard else "goal")


def _evaluate(
    obj: Objective,
    history: Sequence[Kpis],
    quarters: int,
    money_scale: float,
    start: float | None,
    kind: Literal["goal", "guardrail"],
) -> ObjectiveResult:
    key = kpi_key(obj.kpi, obj.segment, obj.product)

    def result(
        status: Literal["met", "missed", "on_track", "behind", "pending"],
        value: float | None,
        credit: float,
        evidence: str,
    ) -> ObjectiveResult:
        return ObjectiveResult(
            obj.id, obj.description, status, value, credit, obj.weight, evidence, kind, start
        )

    by = quarters if obj.mode == "final" or obj.by is None else obj.by
    played = len(history)
    values = [float(h.get(key, np.nan)) for h in history]
    fmt = _fmt(obj.kpi)
    target = f"{obj.op} {fmt(obj.target)}"
    if not values:
        return result("pending", None, 0.0, "")
    if obj.mode == "always":
        window = values[: min(by, played)]
        credits = [_credit(obj, v, money_scale, start) for v in window]
        misses = [q + 1 for q, (m, _) in enumerate(credits) if not m]
        credit = mean([c for _, c in credits])
        worst = min(window) if obj.op == ">=" else max(window)
        if misses:
            quarters = ", ".join(say("scoring.evidence.quarter", quarter=q) for q in misses)
            evidence = say(
                "scoring.evidence.always_missed",
                value=fmt(worst),
                target=target,
                by=by,
                quarters=quarters,
            )
        else:
            evidence = say("scoring.evidence.always", value=fmt(worst), target=target, by=by)
        if misses:
            status = "missed"
        elif played >= by:
            status = "met"
        else:
            status = "on_track"
        return result(status, worst, credit, evidence)
    if played < by:
        latest = values[-1]
        met = bool(np.isfinite(latest)) and _met(obj, latest)
        return result(
            "on_track" if met else "behind",
            latest,
            0.0,
            say("scoring.evidence.now", value=fmt(latest), played=played, target=target, by=by),
        )
    value = values[by - 1]
    met, credit = _credit(obj, value, money_scale, start)
    evidence = say("scoring.evidence.final", value=fmt(value), by=by, target=target)
    return result("met" if met else "missed", value, credit, evidence)


def _fmt(kpi: str) -> Callable[[float], str]:
    """The objective evidence's formatter for ``kpi`` (the registry's, without a currency)."""
    return KPIS[kpi].format


def score(results: Sequence[ObjectiveResult]) -> float:
    """100 × the goals' weighted mean credit (100 without goals) × (1 − the weighted share of
    guardrails broken, less their partial credit). Pending objectives count as not earned."""
    total = sum(r.weight for r in results)
    if not total:
        return 0.0
    goals = [r for r in results if r.kind == "goal"]
    goal_weight = sum(r.weight for r in goals)
    earned = sum(r.weight * r.credit for r in goals) / goal_weight if goal_weight else 1.0
    broken = sum(
        r.weight * (1.0 - r.credit)
        for r in results
        if r.kind == "guardrail" and r.status in ("missed", "met")
    )
    return 100.0 * earned * max(0.0, 1.0 - broken / total)


def final_score(objective_score: float, competency_scores: Sequence[float]) -> float:
    """OBJECTIVES_SHARE × objective score + the rest × mean competency score (0..100)."""
    practice = mean(competency_scores) if competency_scores else 0.0
    return OBJECTIVES_SHARE * objective_score + (1.0 - OBJECTIVES_SHARE) * practice


def competency_label(competency: str) -> str:
    """A competency of the scorecard by name, in the player's language ("Market understanding")."""
    return say(f"scoring.competency.{competency}")


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
        revenue_error=mean([abs(r) for r in rel]),
        revenue_bias=mean(rel),
        share_error=mean([abs(f[1] - a[1]) for f, a in pairs]),
    )


# --------------------------------------------------------------------------- competencies


@dataclass(frozen=True)
class Evidence:
    """Working with colleagues so far (:func:`engine.stakeholders.evidence`): the
    collaboration competency's evidence."""

    asked: int = 0  # requests that came to an answer (or to silence)
    answered: int = 0  # of those, answered (accepted, agreed, declined with a reason)
    promised: int = 0  # promises made
    kept: int = 0
    broken: int = 0
    negotiated: int = 0  # negotiations agreed: a conflict resolved by talking
    trust_start: float = 0.0  # mean trust at the start of the game
    trust: float = 0.0  # mean trust now


@dataclass(frozen=True)
class Record:
    """What the scorecard needs to know about one quarter of play."""

    kpis: Kpis
    studies: int = 0
    segments_studied: tuple[str, ...] = ()
    belief_error: float = 0.0
    forecast: tuple[float, float] | None = None
    actual: tuple[float, float] = (0.0, 0.0)
    started: tuple[str, ...] = ()  # items that received effort this quarter
    shipped: tuple[str, ...] = ()
    price_change: float = 0.0  # mean absolute relative price change of the player's lines
    leavers: int = 0
    initiatives: int = 0  # culture initiatives started this quarter
    steered: bool = False  # (CPO) funded a bet, lent incubation engineers, sunset or re-themed
    themes: Mapping[str, str] = field(default_factory=dict)  # (CPO) themes set this quarter
    feature_points: float = 0.0  # effort the player's lines put into roadmap items
    idle: float = 0.0  # feature capacity left with nothing workable (wasted)
    mentoring: float = 0.0  # the CPO's time spent mentoring PMs this quarter (fractions)
    people: Evidence | None = None  # working with colleagues so far (None: none)


@dataclass(frozen=True)
class Competency:
    """One competency: a 0..100 score and the evidence behind it."""

    score: float
    evidence: list[str] = field(default_factory=list)


def _mean(parts: Sequence[float]) -> float:
    return 100.0 * mean(parts) if parts else 0.0


def competencies(
    records: Sequence[Record],
    objective_score: float,
    n_segments: int,
    prior_error: float,
    pm_skill: tuple[float, float] | None,
) -> dict[str, Competency]:
    """The scorecard: market understanding, strategic thinking, customer empathy, leadership,
    and collaboration when the player has colleagues (:mod:`engine.stakeholders`).

    Each part is a 0..1 number with a sentence of evidence; a competency is their mean × 100.
    ``pm_skill`` is (start, end) mean skill of the AI PMs (CPO role) or None (PM role).
    """
    if not records:
        return {}
    out = {
        "market_understanding": _market_understanding(records, n_segments, prior_error),
        "strategic_thinking": _strategic_thinking(records, objective_score, pm_skill is not None),
        "customer_empathy": _customer_empathy(records),
        "leadership": _leadership(records, pm_skill),
    }
    if records[-1].people is not None:  # the scenario gives the player colleagues
        out["collaboration"] = _collaboration(records[-1].people)
    return out


def _market_understanding(
    records: Sequence[Record], n_segments: int, prior_error: float
) -> Competency:
    """Research used, how close the final belief is to the truth, forecast calibration."""
    quarters = len(records)
    studies = sum(r.studies for r in records)
    studied = sorted({s for r in records for s in r.segments_studied})
    use = 0.5 * len(studied) / max(1, n_segments) + 0.5 * _spread([r.studies > 0 for r in records])
    err = records[-1].belief_error
    insight = clip(1.0 - err / prior_error, 0.0, 1.0) if prior_error > 0 else 0.0
    cal = calibration([(r.forecast, r.actual) for r in records if r.forecast is not None])
    accuracy = clip(1.0 - 2.0 * cal.revenue_error, 0.0, 1.0) if cal.count else 0.0
    cal_part = accuracy * cal.count / quarters  # a forecast every quarter, and a good one
    return Competency(
        _mean([use, insight, cal_part]),
        [
            say(
                "scoring.market.research",
                count=studies,
                studies=studies,
                covered=len(studied),
                segments=n_segments,
            ),
            say("scoring.market.belief", error=number(err, 3), prior=number(prior_error, 3)),
            (
                say(
                    "scoring.market.forecasts_optimistic"
                    if cal.revenue_bias > 0
                    else "scoring.market.forecasts_pessimistic",
                    forecasts=cal.count,
                    error=pct(cal.revenue_error, 0),
                    bias=pct(abs(cal.revenue_bias), 0),
                    share=number(cal.share_error * 100, 1),
                )
                if cal.count
                else say("scoring.market.no_forecasts")
            ),
        ],
    )


ACTIVE_EVERY = 3
"""Evidence of action earns full marks when it shows up in every stretch of this many
quarters (an item shipped, a study run, an initiative or mentoring): a game played well for
half its length and then left alone earns half."""


def _spread(active: Sequence[bool]) -> float:
    """0..1: the share of consecutive ACTIVE_EVERY-quarter stretches with some evidence."""
    stretches = [active[i : i + ACTIVE_EVERY] for i in range(0, len(active), ACTIVE_EVERY)]
    return mean([any(s) for s in stretches]) if stretches else 0.0


def _strategic_thinking(records: Sequence[Record], objective_score: float, cpo: bool) -> Competency:
    """Objectives met; work delivered throughout, finished once started, capacity used;
    prices moved deliberately; for a CPO, the portfolio steered throughout.

    An idle roadmap scores 0 on delivery and on capacity used; never touching a price is
    neither deliberate nor erratic (0.5); moving it earns 1 − 5·mean |Δp/p|. A CPO's AI PMs
    run the roadmaps and prices whatever the CPO does, so a CPO is judged on objectives,
    steering (bets, incubation, themes, sunsets: :func:`_spread`) and the lines' delivery.
    """
    started = {i for r in records for i in r.started}
    shipped = {i for r in records for i in r.shipped}
    finish = len(shipped & started) / len(started) if started else 0.0
    used = sum(r.feature_points for r in records)
    wasted = sum(r.idle for r in records)
    utilisation = used / (used + wasted) if used + wasted > 0 else 0.0
    moves = [r.price_change for r in records]
    churn_price = mean(moves)
    steady = clip(1.0 - 5.0 * churn_price, 0.0, 1.0) if any(moves) else 0.5
    delivery = _spread([bool(r.shipped) for r in records])
    if cpo:
        steering = _spread([r.steered for r in records])
        return Competency(
            _mean([objective_score / 100.0, steering, delivery]),
            [
                say("scoring.strategy.objectives", score=number(objective_score, 0)),
                say(
                    "scoring.strategy.steered",
                    steered=sum(r.steered for r in records),
                    quarters=len(records),
                ),
                say("scoring.strategy.lines_shipped", shipped=len(shipped), quarters=len(records)),
            ],
        )
    return Competency(
        _mean([objective_score / 100.0, delivery, finish, utilisation, steady]),
        [
            say("scoring.strategy.objectives", score=number(objective_score, 0)),
            say(
                "scoring.strategy.shipped",
                count=len(shipped),
                shipped=len(shipped),
                quarters=len(records),
            ),
            say("scoring.strategy.finished", finished=len(shipped & started), started=len(started)),
            say("scoring.strategy.capacity", share=pct(utilisation, 0)),
            say("scoring.strategy.price_moves", move=pct(churn_price, 1))
            if any(moves)
            else say("scoring.strategy.prices_unchanged"),
        ],
    )


def _customer_empathy(records: Sequence[Record]) -> Competency:
    """Final satisfaction, share of the category won or lost, time spent with customers."""
    first, last = records[0].kpis, records[-1].kpis
    satisfaction = float(last.get("satisfaction", 0.0))
    won = float(last.get("share", 0.0)) - float(first.get("share", 0.0))
    contact = [r.studies > 0 for r in records]
    return Competency(
        _mean(
            [
                clip(satisfaction, 0, 1),
                clip(0.5 + 5.0 * won, 0, 1),
                _spread(contact),
            ]
        ),
        [
            say("scoring.empathy.satisfaction", value=number(satisfaction, 2)),
            say("scoring.empathy.share", change=signed(won * 100, 1)),
            say("scoring.empathy.research", active=sum(contact), quarters=len(records)),
        ],
    )


def _leadership(records: Sequence[Record], pm_skill: tuple[float, float] | None) -> Competency:
    """Morale, psychological safety, people kept, care invested (culture initiatives,
    mentoring) and (CPO) the AI PMs' growth."""
    last = records[-1].kpis
    morale = [float(r.kpis.get("morale", 0.0)) for r in records]
    safety0 = float(records[0].kpis.get("safety", 0.0))
    safety1 = float(last.get("safety", 0.0))
    leavers = sum(r.leavers for r in records)
    heads = mean([r.kpis.get("headcount", 0.0) for r in records]) or 1.0
    cared = [r.initiatives > 0 or r.mentoring > 0 for r in records]
    care = sum(r.initiatives + (1 if r.mentoring > 0 else 0) for r in records)
    parts = [
        clip((mean(morale) - 0.3) / 0.5, 0, 1),
        clip(0.5 + 2.5 * (safety1 - safety0), 0, 1),
        clip(1.0 - 2.0 * leavers / heads, 0, 1),
        _spread(cared),
    ]
    evidence = [
        say(
            "scoring.leadership.morale",
            mean=number(float(np.mean(morale)), 2),
            lowest=number(min(morale), 2),
        ),
        say("scoring.leadership.safety", before=number(safety0, 2), after=number(safety1, 2)),
        say(
            "scoring.leadership.leavers", count=leavers, leavers=leavers, headcount=number(heads, 0)
        ),
        say("scoring.leadership.care", care=care),
    ]
    if pm_skill is not None:
        parts.append(clip(0.5 + 5.0 * (pm_skill[1] - pm_skill[0]), 0, 1))
        evidence.append(
            say(
                "scoring.leadership.pm_skill",
                before=number(pm_skill[0], 2),
                after=number(pm_skill[1], 2),
            )
        )
    return Competency(_mean(parts), evidence)


def _collaboration(e: Evidence) -> Competency:
    """Working with colleagues: requests answered rather than ignored, promises kept (a
    promise not made cannot be broken, so over-promising costs), trust kept or earned.

    With nothing asked or promised yet a part is neither good nor bad (0.5).
    """
    answered = e.answered / e.asked if e.asked else 0.5
    closed = e.kept + e.broken
    kept = e.kept / closed if closed else 0.5
    trust = clip(0.5 + 2.5 * (e.trust - e.trust_start), 0, 1)
    return Competency(
        _mean([answered, kept, trust]),
        [
            say("scoring.collaboration.answered", answered=e.answered, asked=e.asked),
            say(
                "scoring.collaboration.promises",
                kept=e.kept,
                promised=e.promised,
                broken=e.broken,
                negotiated=e.negotiated,
            ),
            say(
                "scoring.collaboration.trust",
                before=number(e.trust_start, 2),
                after=number(e.trust, 2),
            ),
        ],
    )
