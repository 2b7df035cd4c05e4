"""Each product line in words: what its PM plans, what it shipped, and why.

A CPO runs lines through AI PMs and needs to see what each one is doing. Two stories are
told here, both from facts :mod:`engine.company` gathers, with the scenario's names (never
ids):

* :func:`plan_reasons` — before a quarter is played: the plan's items in order with their
  estimated effort against the line's feature capacity, which are expected to ship, and
  why the plan looks as it does (over capacity, blocked items, debt drag, a novice PM...);
* :func:`result_reasons` and :func:`shipped_words` — after it: what shipped and what it
  changed, and, when nothing did, why not (debt work, blocked, work in progress, an empty
  roadmap...).

Everything is estimated the way the PM sees it (authored efforts, not the hidden true ones),
except what shipped, whose true effects are public once it is in the product.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from engine.decisions import CapacitySplit, Names
from engine.formatting import exact, number, pct, signed
from engine.phrases import say
from engine.report import LineResult, ProductResult, TurnReport
from engine.roadmap import RoadmapState, Shipped, WorkOutcome, estimated_remaining
from engine.scenario import BacklogItem

DEBT_DRAG = 0.67  # below this debt factor g, technical debt is named as slowing features
DEBT_HEAVY = 0.3  # a debt share at least this is named as where the time goes
ROUGH_SKILL = 0.5  # an AI PM below this skill is named as estimating roughly
SLACK = 0.5  # effort points below which a gap or leftover is not worth a word


@dataclass(frozen=True)
class LineKpis:
    """One line's market numbers after a quarter (money per quarter)."""

    customers: float
    share: float  # of every in-market customer
    revenue: float
    contribution: float  # revenue − serving − marketing − the line's payroll
    satisfaction: float


@dataclass(frozen=True)
class PlannedItem:
    """One item of a line's plan for the quarter, as the PM estimates it."""

    id: str
    name: str
    remaining: float  # estimated effort still to do
    ships: bool  # expected to finish this quarter (on the estimates)
    waits_for: tuple[str, ...] = ()  # names of dependencies not shipped by then


@dataclass(frozen=True)
class LinePlan:
    """What a line will do in the quarter about to be played, and where it stands."""

    product: str
    name: str
    pm: str  # the PM's name ("" without one)
    style: str  # the PM's style id ("" without one)
    theme: str  # the CPO's theme id for the line ("" for none)
    pm_skill: float
    start_skill: float
    headcount: int
    tech_debt: float
    items: tuple[PlannedItem, ...]
    planned: float  # estimated effort the plan commits
    capacity: float  # feature points available with this split (after incubation)
    split: CapacitySplit
    research: tuple[str, ...]  # studies in words: "Interviews of Schools"
    price: float  # the price it will charge
    price_before: float
    headline: str  # the plan in one sentence: what ships, or why nothing does
    reasons: tuple[str, ...]  # why the plan looks as it does
    context: tuple[str, ...]  # what slows the line whatever it plans (context_reasons)
    now: LineKpis | None
    before: LineKpis | None = None
    last: LineResult | None = None  # the quarter just played (None before the first)
    sunset: bool = False


@dataclass(frozen=True)
class BetStatus:
    """An innovation bet as it stands, with the draft's funding."""

    id: str
    name: str
    cost: float
    quarters: int
    funded: int  # quarters funded so far
    chance: float  # success chance if it were decided now with the draft's incubation team
    outcome: bool | None  # None while undecided
    funding: bool  # funded in the draft
    unlocks: tuple[str, ...]  # names of the items it reveals


@dataclass(frozen=True)
class Outlook:
    """The CPO's portfolio before a quarter: each line's plan, the bets and incubation."""

    lines: dict[str, LinePlan]
    bets: tuple[BetStatus, ...]
    incubation: int  # engineers the draft puts in incubation
    lent: dict[str, int] = field(default_factory=dict)  # line → engineers lent this quarter
    incubation_text: str = ""
    morale: float = 0.0


@dataclass(frozen=True)
class LineFacts:
    """What a line's story is told from (gathered by :mod:`engine.company`)."""

    roadmap: Sequence[str]  # the order played (or to be played)
    split: CapacitySplit
    planned: float  # estimated effort the roadmap commits
    available: float  # feature points without crunch (engineers lent taken out)
    tech_debt: float
    debt_factor: float
    lent: int
    skill: float
    ai: bool  # run by an AI PM (a CPO's line)
    naive: bool = False  # the AI PM ranks naively (too new to use research)


# --------------------------------------------------------------------------- numbers


def contribution(product: ProductResult, headcount: int, salary: float) -> float:
    """A line's profit contribution: revenue − serving − marketing − its team's payroll
    (shared costs — research, bets, hiring, initiatives — are the firm's)."""
    marketing = sum(product.marketing_by_segment.values())
    serving = product.customers * product.unit_cost
    return product.revenue - serving - marketing - headcount * salary


def line_share(report: TurnReport, product: str) -> float:
    """A product's share of every in-market customer."""
    in_market = sum(s.in_market for s in report.segments.values())
    return report.products[product].customers / max(1e-9, in_market)


def line_kpis(report: TurnReport, product: str, headcount: int, salary: float) -> LineKpis | None:
    """A line's market numbers in ``report`` (None when the report does not list it)."""
    p = report.products.get(product)
    if p is None:
        return None
    return LineKpis(
        customers=p.customers,
        share=line_share(report, product),
        revenue=p.revenue,
        contribution=contribution(p, headcount, salary),
        satisfaction=p.satisfaction,
    )


def incubation_words(team: int, engineers: int, lent: Mapping[str, int], names: Names) -> str:
    """The incubation team this quarter in words: ``team`` engineers set aside by the CPO,
    ``engineers`` of them working on a funded bet, ``lent`` by each line."""
    if not team:
        return say("lines.incubation.none")
    if not engineers:
        return say("lines.incubation.unfunded", count=team)
    moved = sum(lent.values())
    given = ", ".join(f"{names.products.get(li, li)} {k}" for li, k in lent.items())
    short = say("lines.incubation.short", moved=moved, engineers=engineers)
    return say(
        "lines.incubation.working",
        count=moved,
        lenders=given or say("lines.incubation.no_line"),
        short=short if moved < engineers else "",
    )


# --------------------------------------------------------------------------- the plan


def planned_items(
    roadmap: Sequence[str],
    state: RoadmapState,
    backlog: Mapping[str, BacklogItem],
    available: float,
    names: Names,
) -> tuple[PlannedItem, ...]:
    """The plan's open items in order, walked on the estimates like :func:`roadmap.work`:
    which would finish with ``available`` feature points and which wait for a dependency."""
    done = set(state.shipped_ids())
    left = available
    out = []
    for item_id in roadmap:
        s = state.items.get(item_id)
        if s is None or not s.visible or s.shipped is not None:
            continue
        item = backlog[item_id]
        remaining = estimated_remaining(s, item)
        missing = tuple(names.items.get(d, d) for d in item.depends_on if d not in done)
        ships = not missing and left > 0 and remaining <= left + 1e-9
        if not missing:
            left = max(0.0, left - remaining)
        if ships:
            done.add(item_id)
        out.append(
            PlannedItem(item_id, names.items.get(item_id, item_id), remaining, ships, missing)
        )
    return tuple(out)


def plan_reasons(
    facts: LineFacts, items: Sequence[PlannedItem], left_out: Sequence[tuple[str, bool]]
) -> list[str]:
    """Why a line's plan for the quarter looks as it does, most important first.

    ``left_out`` are the line's open items not in the plan, in words (:func:`left_out`):
    those waiting for a dependency are always told, the others when an AI PM leaves feature
    capacity unplanned.
    What slows the line whatever it plans is told by :func:`context_reasons`.
    """
    out: list[str] = []
    if not items:
        if not left_out:
            out.append(say("lines.plan.empty_backlog"))
        else:
            key = "lines.plan.nothing_planned" if facts.ai else "lines.plan.empty_roadmap"
            out.append(say(key, points=number(facts.available, 0)))
    elif not any(i.ships for i in items):
        first = next((i for i in items if not i.waits_for), None)
        if first is not None:
            out.append(say("lines.plan.nothing_ships", pace=_pace(first, facts.available)))
    out += _over_capacity(facts, "lines.over_capacity.plan")
    out += [_blocked(i.name, i.waits_for) for i in items if i.waits_for]
    spare = facts.available - facts.planned
    if items and spare > SLACK and facts.ai:
        out.append(say("lines.plan.unplanned", points=number(spare, 0)))
    out += [text for text, waits in left_out if waits or (facts.ai and spare > SLACK)]
    return out


def headline(items: Sequence[PlannedItem], reasons: Sequence[str], rate: float) -> str:
    """A plan in one short sentence: what is expected to ship, else why nothing will."""
    ships = [i.name for i in items if i.ships]
    if ships:
        return say("lines.headline.ships", items=", ".join(ships))
    first = next((i for i in items if not i.waits_for), None)
    if first is not None and rate >= SLACK:
        return say("lines.headline.slow", item=first.name, count=_quarters(first, rate))
    return reasons[0] if reasons else say("lines.headline.nothing")


def left_out(
    open_ids: Sequence[str],
    roadmap: Collection[str],
    state: RoadmapState,
    backlog: Mapping[str, BacklogItem],
    names: Names,
) -> list[tuple[str, bool]]:
    """The line's open items not on the roadmap, in words, and whether they wait for a
    dependency (an unshipped item, maybe another line's or one not yet revealed); items
    waiting for the same ones are told together."""
    done = state.shipped_ids()
    waiting: dict[str, list[str]] = {}
    out = []
    for item_id in open_ids:
        if item_id in roadmap:
            continue
        item = backlog[item_id]
        name = names.items.get(item_id, item_id)
        missing = [
            _dependency(d, item, state, backlog, names) for d in item.depends_on if d not in done
        ]
        if missing:
            waiting.setdefault(", ".join(missing), []).append(name)
        else:
            out.append((say("lines.left_out", item=name), False))
    blocked = [
        (
            say("lines.blocked_items", count=len(items), items=_listed(items), deps=missing),
            True,
        )
        for missing, items in waiting.items()
    ]
    return blocked + out


def _listed(words: Sequence[str]) -> str:
    """Names listed in words: "A", "A and B", "A, B and C"."""
    if len(words) == 1:
        return words[0]
    return say("lines.and_list", items=", ".join(words[:-1]), last=words[-1])


def _blocked(name: str, deps: Sequence[str]) -> str:
    """An item waiting for its dependencies: "blocked: A waits for B, C"."""
    return say("lines.blocked", item=name, deps=", ".join(deps))


def _dependency(
    dep: str,
    item: BacklogItem,
    state: RoadmapState,
    backlog: Mapping[str, BacklogItem],
    names: Names,
) -> str:
    """A dependency's name, with where it is when that is not on the item's own backlog."""
    name = names.items.get(dep, dep)
    other = backlog.get(dep)
    if other is not None and other.product != item.product:
        return say(
            "lines.dependency.other_line",
            item=name,
            product=names.products.get(other.product, other.product),
        )
    s = state.items.get(dep)
    if s is None or not s.visible:
        return say("lines.dependency.hidden", item=name)
    return name


def _quarters(item: PlannedItem, rate: float) -> int:
    """Quarters an item takes at ``rate`` feature points a quarter (at least one)."""
    return max(1, math.ceil(item.remaining / rate - 1e-9))


def _pace(item: PlannedItem, rate: float) -> str:
    """How long an item takes at ``rate`` feature points a quarter."""
    if rate < SLACK:
        return say("lines.pace.no_time", item=item.name, points=number(item.remaining, 0))
    return say(
        "lines.pace.quarters",
        item=item.name,
        points=number(item.remaining, 0),
        rate=number(rate, 0),
        count=_quarters(item, rate),
    )


def _over_capacity(facts: LineFacts, key: str) -> list[str]:
    """The over-capacity sentence (``key``: before or after the quarter) when the roadmap
    commits more than the line has."""
    if facts.planned <= facts.available + SLACK:
        return []
    over = facts.planned - facts.available
    return [say(key, over=number(over, 0), available=number(facts.available, 0))]


def context_reasons(facts: LineFacts) -> list[str]:
    """What slows a line whatever it plans: debt, time on debt, lent engineers, the PM."""
    out = []
    if facts.debt_factor < DEBT_DRAG:
        out.append(
            say(
                "lines.context.debt_drag",
                debt=number(facts.tech_debt, 0),
                speed=pct(facts.debt_factor, 0),
            )
        )
    if facts.split.debt >= DEBT_HEAVY:
        out.append(say("lines.context.debt_time", share=pct(facts.split.debt, 0)))
    if facts.lent:
        out.append(say("lines.context.lent", count=facts.lent))
    if facts.ai and facts.naive:
        out.append(say("lines.context.naive_pm", skill=number(facts.skill)))
    elif facts.ai and facts.skill < ROUGH_SKILL:
        out.append(say("lines.context.rough_pm", skill=number(facts.skill)))
    return out


# --------------------------------------------------------------------------- the quarter


def shipped_words(shipped: Sequence[Shipped], names: Names) -> list[str]:
    """Each shipped item with what it changed: "Teacher dashboard: Institution tools +0.08"."""
    out = []
    for s in shipped:
        parts = [
            f"{names.attributes.get(a, a)} {signed(v)}"
            for a, v in s.effects.items()
            if abs(v) >= 0.005
        ]
        if s.quality:
            parts.append(say("lines.shipped.quality", change=signed(s.quality)))
        if s.debt < 0:
            parts.append(say("lines.shipped.pays_debt", points=number(-s.debt, 0)))
        elif s.debt > 0:
            parts.append(say("lines.shipped.adds_debt", points=number(s.debt, 0)))
        what = ", ".join(parts) or say("lines.shipped.no_change")
        out.append(f"{names.items.get(s.id, s.id)}: {what}")
    return out


def result_reasons(
    facts: LineFacts,
    done: WorkOutcome,
    state: RoadmapState,
    backlog: Mapping[str, BacklogItem],
    names: Names,
) -> list[str]:
    """Why a line's quarter went as it did (``state`` is the roadmap after the work); what
    slowed it whatever it planned is told by :func:`context_reasons`."""
    out: list[str] = []
    if not done.shipped:
        out.append(_why_nothing(facts, done))
    for item_id, spent in done.progressed.items():
        s = state.items[item_id]
        if s.shipped is None and spent > 0:
            out.append(_progress(names.items.get(item_id, item_id), s.progress, backlog[item_id]))
    out += [
        _blocked(names.items.get(i, i), [names.items.get(d, d) for d in ds])
        for i, ds in done.blocked.items()
    ]
    out += _over_capacity(facts, "lines.over_capacity.done")
    if done.idle > SLACK:
        out.append(say("lines.result.idle", points=number(done.idle, 0)))
    return out


def _why_nothing(facts: LineFacts, done: WorkOutcome) -> str:
    """The headline of a quarter that shipped nothing."""
    if not facts.roadmap:
        return say("lines.result.empty_roadmap")
    if facts.split.debt > 0 and facts.split.debt >= facts.split.features:
        return say(
            "lines.result.debt_quarter",
            debt=pct(facts.split.debt, 0),
            features=pct(facts.split.features, 0),
        )
    if done.blocked and not done.progressed:
        return say("lines.result.all_blocked")
    if facts.available < SLACK:
        return say("lines.result.no_feature_time")
    return say("lines.result.in_progress")


def _progress(name: str, progress: float, item: BacklogItem) -> str:
    """An unfinished item's progress against its estimate."""
    key = "lines.progress.late" if progress > item.effort + SLACK else "lines.progress.on_track"
    return say(key, item=name, points=number(progress, 0), estimate=exact(item.effort))
