"""The debrief report (DESIGN §6): one played game turned into a lesson, as plain data.

:func:`build_report` replays the game (scenario, seed, role, decision log) and gathers what a
trainee keeps and a facilitator projects: the final score and grade, each objective and when
it was settled, the KPI history against the rivals, the decision timeline, turning points
(the quarters where a decision or an event moved share most, read from the engine's
drivers), believed against true segment needs over time, forecast calibration, the
competency scorecard, a comparison with every built-in bot on the same seed (luck against
skill), a what-if takeover by the best bot, discussion prompts and, when the player had
colleagues, the relationships (:mod:`engine.relationships`). During play,
:func:`reflection_prompt` asks one short question after each quarter (a fitting discussion
question of the scenario, else one made from the quarter's drivers). No rendering, no I/O:
figures and files are made from ``DebriefReport.to_dict()`` by ``game.report_*``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from engine import scoring
from engine.bots import BOTS
from engine.decisions import Decisions, describe
from engine.formatting import money_full, number
from engine.phrases import say
from engine.relationships import Relationships, relationships
from engine.report import TurnReport, share_impact
from engine.scenario import Scenario
from engine.whatif import Log, Playthrough, WhatIf, bot_name, replay, style, what_if

TURNING_FACTORS = ("price", "attributes", "awareness", "events", "competitors", "drift")
"""Share drivers that are a decision or an event (churn and chance are neither)."""
TURNING_POINTS = 4
"""Turning points listed (at most one per quarter)."""
SPREAD_SEEDS = 4
"""Other seeds the closest bot replays the player's strategy on (luck band)."""
CULTURE = ("morale", "safety", "customer_focus", "innovation", "collaboration", "capability")


@dataclass
class ObjectiveLine:
    """One objective at the end, and the quarter it was settled (met for good or missed)."""

    id: str
    description: str
    status: str
    value: float | None
    credit: float
    weight: float
    evidence: str
    settled: int | None  # first quarter from which the status stayed met/missed
    first_met: int | None  # first quarter the KPI was on target


@dataclass
class TimelineEntry:
    """One quarter of the game: what the player decided and what happened around it."""

    quarter: int
    decisions: list[str]
    events: list[str]
    shipped: list[str]
    rivals: list[str]
    warnings: list[str]


@dataclass
class TurningPoint:
    """A quarter where a decision or an event moved share most."""

    quarter: int
    segment: str
    factor: str
    size: float  # share points as a fraction (0.02 = 2 points)
    change: float  # the segment's whole share change that quarter
    impact: float  # |size| × the segment's part of all in-category customers
    summary: str
    cause: str  # the driver's own sentence
    decisions: list[str]


@dataclass
class BotRun:
    """A built-in bot's game on the same seed."""

    bot: str
    score: float
    grade: str
    share: float
    cumulative_profit: float
    distance: float  # how unlike the player's style (0 = same)
    share_history: list[float]


@dataclass
class Comparison:
    """Luck against skill: the player among the bots, and the closest bot across seeds."""

    player_score: float
    bots: list[BotRun]
    rank: int  # 1 = better than every bot
    beaten: list[str]  # bots the player out-scored
    closest: str
    spread_seeds: list[int]
    spread_scores: list[float]  # the closest bot's score on each spread seed
    sentences: list[str]


@dataclass
class DebriefReport:
    """Everything the debrief shows, as plain data (``to_dict()`` is JSON-ready)."""

    scenario: str
    title: str
    role: str
    seed: int
    firm: str
    firm_name: str
    currency: str
    quarters_played: int
    quarters: int
    source: str  # "played" or "bot:<name>"
    score: float
    grade: str
    objective_score: float
    objectives: list[ObjectiveLine]
    competencies: dict[str, dict[str, Any]]
    kpis: list[dict[str, float]]  # the player's KPIs per quarter 0..T
    firms: dict[str, dict[str, Any]]  # every firm: name, controller, share[], revenue[]
    segments: dict[str, str]  # id -> name
    attributes: dict[str, str]  # id -> name
    timeline: list[TimelineEntry]
    turning_points: list[TurningPoint]
    beliefs: list[dict[str, Any]]  # per quarter: believed (mean, sd) and true ideal
    calibration: dict[str, Any]
    comparison: Comparison | None
    what_if: dict[str, Any] | None
    prompts: list[dict[str, str | None]]
    decisions: list[dict[str, Any]] = field(default_factory=list)  # the log, as JSON
    relationships: Relationships | None = None  # only when the firm had colleagues

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dict; ``relationships`` only when the firm had colleagues
        (a game without them reads as it always did)."""
        out = asdict(self)
        if self.relationships is None:
            del out["relationships"]
        return out


# --------------------------------------------------------------------------- KPIs


def kpi_rows(play: Playthrough) -> list[dict[str, float]]:
    """The player firm's KPIs per quarter 0..T (quarter 0: the starting position)."""
    rows = []
    cumulative = 0.0
    for rep in play.history:
        fr = rep.firms[play.firm]
        org = rep.organisation.get(play.firm)
        if rep.quarter:
            cumulative += fr.profit
        row = {
            "quarter": float(rep.quarter),
            "revenue": fr.revenue,
            "profit": fr.profit,
            "cumulative_profit": cumulative,
            "cash": fr.cash,
            "customers": fr.customers,
            "share": fr.share,
            "satisfaction": fr.satisfaction,
            "nps": fr.nps,
            "marketing": fr.marketing,
        }
        for seg, share in fr.share_by_segment.items():
            row[f"share:{seg}"] = share
        if org is None:
            row.update({c: play.culture0.get(c, 0.0) for c in CULTURE})
            row.update(
                tech_debt=play.debt0,
                headcount=float(play.headcount0),
                belief_error=play.belief_error0,
            )
        else:
            row.update({c: float(getattr(org, c)) for c in CULTURE})
            row.update(
                tech_debt=org.tech_debt,
                headcount=float(org.headcount),
                belief_error=org.belief_error,
            )
        rows.append({k: float(v) for k, v in row.items()})
    return rows


def firm_series(history: Sequence[TurnReport]) -> dict[str, dict[str, Any]]:
    """Every firm's share and revenue per quarter (for charts against the rivals)."""
    return {
        fid: {
            "name": f.name,
            "controller": f.controller,
            "share": [float(r.firms[fid].share) for r in history],
            "revenue": [float(r.firms[fid].revenue) for r in history],
        }
        for fid, f in history[0].firms.items()
    }


# --------------------------------------------------------------------------- objectives


def objective_lines(
    card: dict[str, Any], history: Sequence[TurnReport], firm: str
) -> list[ObjectiveLine]:
    """The final objectives with the quarter each was settled and first on target."""
    per_quarter = [r.organisation[firm].objectives for r in history[1:] if firm in r.organisation]
    out = []
    for i, o in enumerate(card["objectives"]):
        statuses = [q[i]["status"] for q in per_quarter if i < len(q)]
        settled = None
        for q in range(len(statuses), 0, -1):
            if statuses[q - 1] not in ("met", "missed") or statuses[q - 1] != statuses[-1]:
                break
            settled = q
        first_met = next((q + 1 for q, s in enumerate(statuses) if s in ("met", "on_track")), None)
        out.append(
            ObjectiveLine(
                id=o["id"],
                description=o["description"],
                status=o["status"],
                value=o["value"],
                credit=o["credit"],
                weight=o["weight"],
                evidence=o["evidence"],
                settled=settled,
                first_met=first_met,
            )
        )
    return out


# --------------------------------------------------------------------------- timeline


def timeline(play: Playthrough, scenario: Scenario) -> list[TimelineEntry]:
    """Per quarter: the player's decisions, events, items shipped and rivals' moves."""
    items = {b.id: b.name for b in scenario.backlog}
    out = []
    previous: Decisions | None = None
    for q, decisions in enumerate(play.log, start=1):
        dec = decisions.get(play.firm, Decisions())
        rep = play.history[q]
        org = rep.organisation.get(play.firm)
        out.append(
            TimelineEntry(
                quarter=q,
                decisions=describe(scenario, dec, play.history[q - 1], previous),
                events=[str(e["title"]) for e in rep.events],
                shipped=[items.get(i, i) for i in (org.shipped if org else [])],
                rivals=[m.text for m in rep.competitor_moves],
                warnings=list(org.warnings) if org else [],
            )
        )
        previous = dec
    return out


def turning_points(
    play: Playthrough, entries: Sequence[TimelineEntry], limit: int = TURNING_POINTS
) -> list[TurningPoint]:
    """The quarters where a decision or event moved a segment's share most (one per quarter).

    Candidates are the share drivers of the player firm whose factor is a decision or an
    event (:data:`TURNING_FACTORS`), ranked by their effect on overall share (segment points
    × the segment's part of the market); returned in quarter order.
    """
    best: dict[int, TurningPoint] = {}
    for rep in play.history[1:]:
        total = max(sum(s.in_market for s in rep.segments.values()), 1e-9)
        for ex in rep.drivers:
            if ex.firm != play.firm or ex.kpi != "share" or ex.segment is None:
                continue
            for d in ex.drivers:
                if d.factor not in TURNING_FACTORS:
                    continue
                impact = abs(d.size) * rep.segments[ex.segment].in_market / total
                held = best.get(rep.quarter)
                if impact > 0 and (held is None or impact > held.impact):
                    best[rep.quarter] = TurningPoint(
                        quarter=rep.quarter,
                        segment=ex.segment,
                        factor=d.factor,
                        size=d.size,
                        change=ex.change,
                        impact=impact,
                        summary=ex.summary,
                        cause=d.text,
                        decisions=entries[rep.quarter - 1].decisions
                        if rep.quarter - 1 < len(entries)
                        else [],
                    )
    top = sorted(best, key=lambda q: -best[q].impact)[:limit]
    return [best[q] for q in sorted(top)]


# --------------------------------------------------------------------------- beliefs


def belief_rows(play: Playthrough) -> list[dict[str, Any]]:
    """Per quarter 0..T: each segment's believed ideal (mean, sd) and true ideal."""
    rows = []
    for rep, believed in zip(play.history, play.beliefs, strict=True):
        org = rep.organisation.get(play.firm)
        rows.append(
            {
                "quarter": rep.quarter,
                "error": org.belief_error if org else play.belief_error0,
                "segments": {
                    seg: {
                        attr: {
                            "believed": mean,
                            "sd": sd,
                            "true": rep.segments[seg].ideal[attr],
                        }
                        for attr, (mean, sd) in attrs.items()
                    }
                    for seg, attrs in believed.items()
                },
            }
        )
    return rows


def calibration(play: Playthrough) -> dict[str, Any]:
    """The player's forecasts against what happened, quarter by quarter, and in summary."""
    rows = []
    for q, decisions in enumerate(play.log, start=1):
        dec = decisions.get(play.firm)
        if dec is None or dec.forecast is None:
            continue
        fr = play.history[q].firms[play.firm]
        rows.append(
            {
                "quarter": q,
                "forecast_revenue": dec.forecast.revenue,
                "revenue": fr.revenue,
                "forecast_share": dec.forecast.share,
                "share": fr.share,
            }
        )
    cal = scoring.calibration(
        [((r["forecast_revenue"], r["forecast_share"]), (r["revenue"], r["share"])) for r in rows]
    )
    return {**asdict(cal), "forecasts": rows}


# --------------------------------------------------------------------------- bots


def _style_vector(history: Sequence[TurnReport], firm: str) -> np.ndarray:
    s = style(history, firm)
    quarters = max(1, len(history) - 1)
    start = max(history[0].firms[firm].marketing, 1.0)
    return np.array(
        [
            s.studies / quarters,
            s.price,
            s.marketing / start,
            s.shipped / quarters,
            s.initiatives / quarters,
        ]
    )


def compare_bots(
    scenario: Scenario,
    seed: int,
    role: str,
    played: Playthrough,
    bots: Sequence[str],
    spread_seeds: int,
    resolution: int | None,
    injected: Sequence[Sequence[str]] = (),
) -> Comparison:
    """Every bot on the same seed; the bot that played most like the player across seeds.

    Injected events (see :func:`build_report`) happen in every bot game too.
    """
    turns = len(played.log)
    me = played.scorecard()["score"]

    def bot_game(bot: str, on_seed: int) -> Playthrough:
        return replay(
            scenario,
            on_seed,
            role,
            [],
            bot=bot,
            turns=turns,
            resolution=resolution,
            injected=injected,
        )

    runs = {b: bot_game(b, seed) for b in bots}
    mine = _style_vector(played.history, played.firm)
    vectors = {b: _style_vector(p.history, p.firm) for b, p in runs.items()}
    allv = np.array([mine, *vectors.values()])
    scale = np.maximum(allv.max(axis=0) - allv.min(axis=0), 1e-9)
    results = []
    for b, p in runs.items():
        card = p.scorecard()
        results.append(
            BotRun(
                bot=b,
                score=float(card["score"]),
                grade=str(card["grade"]),
                share=p.history[-1].firms[p.firm].share,
                cumulative_profit=float(sum(r.firms[p.firm].profit for r in p.history[1:])),
                distance=float(np.linalg.norm((vectors[b] - mine) / scale)),
                share_history=[r.firms[p.firm].share for r in p.history],
            )
        )
    closest = min(results, key=lambda r: (r.distance, r.bot)).bot
    seeds = [seed + 1 + i for i in range(spread_seeds)]
    spread = [float(bot_game(closest, s).scorecard()["score"]) for s in seeds]
    beaten = sorted(r.bot for r in results if me > r.score)
    rank = 1 + sum(r.score >= me for r in results)
    return Comparison(
        player_score=float(me),
        bots=results,
        rank=rank,
        beaten=beaten,
        closest=closest,
        spread_seeds=seeds,
        spread_scores=spread,
        sentences=_comparison_sentences(me, results, closest, spread),
    )


def _comparison_sentences(
    me: float, bots: Sequence[BotRun], closest: str, spread: Sequence[float]
) -> list[str]:
    scores = [b.score for b in bots]
    lo, hi = min(scores), max(scores)
    best = max(bots, key=lambda b: b.score)
    scored = {
        "bots": len(bots),
        "low": number(lo, 0),
        "high": number(hi, 0),
        "score": number(me, 0),
        "beaten": sum(me > s for s in scores),
    }
    if me < hi:
        first = say(
            "lessons.bots_scored_best",
            best=bot_name(best.bot),
            best_score=number(best.score, 0),
            **scored,
        )
    else:
        first = say("lessons.bots_scored", **scored)
    out = [first]
    if spread:
        out.append(
            say(
                "lessons.closest",
                count=len(spread),
                bot=bot_name(closest),
                seeds=len(spread),
                low=number(min(spread), 0),
                high=number(max(spread), 0),
                mean=number(float(np.mean(spread)), 0),
            )
        )
    return out


# --------------------------------------------------------------------------- prompts


def prompts(scenario: Scenario, points: Sequence[TurningPoint]) -> list[dict[str, str | None]]:
    """The scenario's discussion questions, then one about the biggest turning point."""
    out: list[dict[str, str | None]] = [
        {"question": p.question, "competency": p.competency} for p in scenario.debrief
    ]
    if points:
        t = max(points, key=lambda p: p.impact)
        seg = next((s.name for s in scenario.segments if s.id == t.segment), t.segment)
        question = say(
            "lessons.turning_point.lifted" if t.size > 0 else "lessons.turning_point.cost",
            quarter=t.quarter,
            cause=t.cause,
            points=number(abs(t.size) * 100, 1),
            segment=seg,
        )
        out.append({"question": question, "competency": "strategic_thinking"})
    return out


# --------------------------------------------------------------------------- reflection

REFLECT_MIN_POINTS = 0.01
"""A segment's share must move at least this much (a point) to be asked about."""
RIVAL_PRICE_MOVE = 0.03
"""A rival's price move this large (3%) makes the quarter one about rivals."""
MORALE_MOVE = 0.05
"""A morale change this large makes the quarter one about the team."""


def quarter_themes(report: TurnReport, previous: TurnReport, firm: str) -> list[str]:
    """The competencies a quarter speaks to, most telling first (for matching prompts).

    Research came back: market understanding; a rival moved its price: strategic thinking;
    something shipped: customer empathy; warnings or a morale swing: leadership.
    """
    org = report.organisation.get(firm)
    before = previous.organisation.get(firm)
    themes = []
    if org is not None and org.research:
        themes.append("market_understanding")
    if any(
        m.firm != firm and abs(m.price_after / max(m.price_before, 1e-9) - 1) >= RIVAL_PRICE_MOVE
        for m in report.competitor_moves
    ):
        themes.append("strategic_thinking")
    if org is not None and org.shipped:
        themes.append("customer_empathy")
    swing = abs(org.morale - before.morale) if org is not None and before is not None else 0.0
    if org is not None and (org.warnings or swing >= MORALE_MOVE):
        themes.append("leadership")
    return themes


def reflection_prompt(
    scenario: Scenario,
    history: Sequence[TurnReport],
    firm: str,
    asked: Sequence[str] = (),
) -> dict[str, str | None]:
    """One short question about the latest quarter of ``history``, to answer or skip.

    A discussion question of the scenario's ``debrief`` that fits the quarter (its
    competency is one of :func:`quarter_themes`) and was not ``asked`` before comes first;
    otherwise the question is made from the quarter's weightiest share move (points × the
    segment's customers: "Why do you think Mid-market share fell 4.1 points?", worded
    differently from quarter to quarter, and about another segment than last time when one
    moved nearly as much), or its revenue change when no share moved a point.
    Returns ``question``, ``competency`` and ``source`` ("scenario" or "drivers").
    """
    if len(history) < 2:
        raise ValueError("no quarter has been played yet")
    report, previous = history[-1], history[-2]
    for theme in quarter_themes(report, previous, firm):
        for p in scenario.debrief:
            if p.competency == theme and p.question not in asked:
                return {"question": p.question, "competency": theme, "source": "scenario"}
    return {
        "question": _driver_question(scenario, report, firm, asked),
        "competency": None,
        "source": "drivers",
    }


SHARE_QUESTIONS = 3
"""Questions about a share move (``debrief.share_question.<rose|fell>.<n>``), taken in turn
quarter by quarter (the first is the plainest)."""


def _driver_question(
    scenario: Scenario, report: TurnReport, firm: str, asked: Sequence[str]
) -> str:
    """A question about the quarter's weightiest share move (or its revenue change).

    The segment asked about last time gives way to another that moved at least half as much,
    and the wording changes from quarter to quarter, so the questions do not repeat.
    """
    names = {s.id: s.name for s in scenario.segments}
    shares = sorted(
        (
            e
            for e in report.drivers
            if e.firm == firm and e.kpi == "share" and abs(e.change) >= REFLECT_MIN_POINTS
        ),
        key=lambda e: -share_impact(report, e),
    )
    if shares:
        big = shares[0]
        last = asked[-1] if asked else ""
        others = [e for e in shares[1:] if names.get(e.segment or "", "") not in last]
        repeated = names.get(big.segment or "", "") in last
        if (
            repeated
            and others
            and share_impact(report, others[0]) >= 0.5 * share_impact(report, big)
        ):
            big = others[0]
        name = names.get(big.segment or "", big.segment or "")
        direction = "fell" if big.change < 0 else "rose"
        return say(
            f"lessons.share_question.{direction}.{report.quarter % SHARE_QUESTIONS}",
            name=name,
            Name=name[:1].upper() + name[1:],
            points=number(abs(big.change) * 100, 1),
        )
    revenue = next((e for e in report.drivers if e.firm == firm and e.kpi == "revenue"), None)
    if revenue is not None and abs(revenue.change) >= 0.005 * max(abs(revenue.before), 1.0):
        return say(
            "lessons.revenue_fell" if revenue.change < 0 else "lessons.revenue_rose",
            amount=money_full(abs(revenue.change), scenario.currency),
        )
    return say("lessons.little_moved")


# --------------------------------------------------------------------------- the report


def build_report(
    scenario: Scenario,
    seed: int,
    role: str,
    log: Log,
    *,
    source: str = "played",
    bots: Sequence[str] | None = None,
    spread_seeds: int = SPREAD_SEEDS,
    resolution: int | None = None,
    injected: Sequence[Sequence[str]] = (),
) -> DebriefReport:
    """The whole debrief of the game ``log`` (decisions per quarter) on ``seed`` as ``role``.

    Replays the game, every bot in ``bots`` (default: all built-in bots) on the same seed,
    the closest bot on ``spread_seeds`` further seeds and one what-if (the best bot, other
    than the one that played, taking over just before the biggest turning point).
    ``resolution`` must match the played game's (None: the scenario's own), else the replay
    is a different game. ``injected[q]`` names the events a facilitator injected at the
    start of quarter q + 1: they happen in the bots' games and the what-if too, so the
    comparison stays on the same market.
    """
    if not log:
        raise ValueError("the game has no played quarters to debrief")
    play = replay(scenario, seed, role, log, resolution=resolution, injected=injected)
    card = play.scorecard()
    firm_name = play.history[0].firms[play.firm].name
    entries = timeline(play, scenario)
    points = turning_points(play, entries)
    names = list(BOTS) if bots is None else list(bots)
    comparison, whatif = None, None
    if names:
        comparison = compare_bots(
            scenario, seed, role, play, names, spread_seeds, resolution, injected
        )
        whatif = _report_what_if(
            scenario,
            seed,
            role,
            log,
            play,
            comparison,
            points,
            source=source,
            resolution=resolution,
            injected=injected,
        )
    return DebriefReport(
        scenario=scenario.id,
        title=scenario.title,
        role=role,
        seed=seed,
        firm=play.firm,
        firm_name=firm_name,
        currency=scenario.currency,
        quarters_played=len(log),
        quarters=scenario.quarters,
        source=source,
        score=float(card["score"]),
        grade=str(card["grade"]),
        objective_score=float(card["objective_score"]),
        objectives=objective_lines(card, play.history, play.firm),
        competencies=card["competencies"],
        kpis=kpi_rows(play),
        firms=firm_series(play.history),
        segments={s.id: s.name for s in scenario.segments},
        attributes={a.id: a.name for a in scenario.attributes},
        timeline=entries,
        turning_points=points,
        beliefs=belief_rows(play),
        calibration=calibration(play),
        comparison=comparison,
        what_if=whatif,
        prompts=prompts(scenario, points),
        decisions=[{f: d.model_dump(mode="json") for f, d in q.items()} for q in play.log],
        relationships=relationships(play.history, play.firm),
    )


def _report_what_if(
    scenario: Scenario,
    seed: int,
    role: str,
    log: Log,
    play: Playthrough,
    comparison: Comparison,
    points: Sequence[TurningPoint],
    *,
    source: str,
    resolution: int | None,
    injected: Sequence[Sequence[str]],
) -> dict[str, Any]:
    """The report's what-if: the best bot other than the one that played (its takeover would
    change nothing) takes over just before the biggest turning point (arguments as given to
    :func:`build_report`)."""
    others = [b for b in comparison.bots if f"bot:{b.bot}" != source] or comparison.bots
    best = max(others, key=lambda b: (b.score, b.bot)).bot
    k = whatif_quarter(points, len(log))
    result = what_if(
        scenario,
        seed,
        role,
        log,
        k,
        best,
        resolution=resolution,
        played=play,
        injected=injected,
    )
    return whatif_dict(result)


def whatif_quarter(points: Sequence[TurningPoint], played: int) -> int:
    """Where the report's what-if starts: just before the biggest turning point, else a third in.

    A takeover from quarter 0 is the plain bot run the comparison already shows, so a
    turning point in Q1 falls back to a third of the way into the game.
    """
    k = max(points, key=lambda p: p.impact).quarter - 1 if points else 0
    return min(k if k > 0 else played // 3, played - 1)


def whatif_dict(result: WhatIf) -> dict[str, Any]:
    """A what-if as plain JSON data."""
    return asdict(result)
