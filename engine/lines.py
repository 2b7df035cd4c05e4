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
        return "No engineers in incubation: the bets get no extra chance from a team."
    if not engineers:
        return (
            f"{_people(team)} set aside for incubation, but no bet is being funded: "
            f"{'it stays on its line' if team == 1 else 'they stay on their lines'} this quarter."
        )
    moved = sum(lent.values())
    given = ", ".join(f"{names.products.get(li, li)} {k}" for li, k in lent.items())
    short = f" (only {moved} of {engineers} could be spared)" if moved < engineers else ""
    verb = "works" if moved == 1 else "work"
    return (
        f"{_people(moved)} {verb} in incubation this quarter, lent by {given or 'no line'}"
        f"{short}; each adds a tenth to the funded bets' chances."
    )


def _people(n: int) -> str:
    """Engineers counted in words: "1 engineer", "3 engineers"."""
    return f"{n} engineer{'' if n == 1 else 's'}"


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
            out.append(
                "nothing to build: this line's backlog is empty, so its feature capacity "
                "will go unused"
            )
        else:
            unused = f"its {facts.available:.0f} feature points will go unused"
            out.append(f"nothing planned{'' if facts.ai else ' (the roadmap is empty)'}: {unused}")
    elif not any(i.ships for i in items):
        first = next((i for i in items if not i.waits_for), None)
        if first is not None:
            out.append(f"nothing expected to ship this quarter: {_pace(first, facts.available)}")
    out += _over_capacity(facts, "will crunch")
    out += [f"blocked: {i.name} waits for {', '.join(i.waits_for)}" for i in items if i.waits_for]
    spare = facts.available - facts.planned
    if items and spare > SLACK and facts.ai:
        out.append(f"{spare:.0f} feature points are left unplanned")
    out += [text for text, waits in left_out if waits or (facts.ai and spare > SLACK)]
    return out


def headline(items: Sequence[PlannedItem], reasons: Sequence[str], rate: float) -> str:
    """A plan in one short sentence: what is expected to ship, else why nothing will."""
    ships = [i.name for i in items if i.ships]
    if ships:
        return f"expected to ship: {', '.join(ships)}"
    first = next((i for i in items if not i.waits_for), None)
    if first is not None and rate >= SLACK:
        n = _quarters(first, rate)
        plural = "" if n == 1 else "s"
        return f"nothing ships this quarter ({first.name} takes {n} quarter{plural} at this pace)"
    return reasons[0] if reasons else "nothing planned"


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
            out.append(
                (f"{name} is left out: the PM expects too little from it for its effort", False)
            )
    blocked = [
        (f"blocked: {_listed(items)} wait{'s' if len(items) == 1 else ''} for {missing}", True)
        for missing, items in waiting.items()
    ]
    return blocked + out


def _listed(words: Sequence[str]) -> str:
    """Names listed in words: "A", "A and B", "A, B and C"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


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
        return f"{name} ({names.products.get(other.product, other.product)}'s backlog)"
    s = state.items.get(dep)
    if s is None or not s.visible:
        return f"{name} (not available yet)"
    return name


def _quarters(item: PlannedItem, rate: float) -> int:
    """Quarters an item takes at ``rate`` feature points a quarter (at least one)."""
    return max(1, math.ceil(item.remaining / rate - 1e-9))


def _pace(item: PlannedItem, rate: float) -> str:
    """How long an item takes at ``rate`` feature points a quarter."""
    if rate < SLACK:
        return (
            f"{item.name} needs about {item.remaining:.0f} points and the line has no feature time"
        )
    quarters = _quarters(item, rate)
    return (
        f"{item.name} needs about {item.remaining:.0f} more points and the line has "
        f"{rate:.0f} feature points a quarter, so it takes {quarters} quarter"
        f"{'' if quarters == 1 else 's'} at this pace"
    )


def _over_capacity(facts: LineFacts, crunch: str) -> list[str]:
    """The over-capacity sentence when the roadmap commits more than the line has."""
    if facts.planned <= facts.available + SLACK:
        return []
    over = facts.planned - facts.available
    return [
        f"over capacity by {over:.0f} of {facts.available:.0f} feature points: the team "
        f"{crunch} (overtime costs morale and adds technical debt)"
    ]


def context_reasons(facts: LineFacts) -> list[str]:
    """What slows a line whatever it plans: debt, time on debt, lent engineers, the PM."""
    out = []
    if facts.debt_factor < DEBT_DRAG:
        out.append(
            f"technical debt ({facts.tech_debt:.0f} points) slows feature work to "
            f"{facts.debt_factor:.0%} of full speed"
        )
    if facts.split.debt >= DEBT_HEAVY:
        out.append(f"{facts.split.debt:.0%} of the team's time goes to paying down technical debt")
    if facts.lent:
        people = "engineer is" if facts.lent == 1 else "engineers are"
        out.append(f"{facts.lent} {people} lent to the incubation team this quarter")
    if facts.ai and facts.naive:
        out.append(
            f"the PM is new (skill {facts.skill:.2f}) and picks items naively, by the size of "
            "their estimated effects, without using research"
        )
    elif facts.ai and facts.skill < ROUGH_SKILL:
        out.append(
            f"the PM's estimates are rough (skill {facts.skill:.2f}): priorities may be off; "
            "mentoring sharpens them"
        )
    return out


# --------------------------------------------------------------------------- the quarter


def shipped_words(shipped: Sequence[Shipped], names: Names) -> list[str]:
    """Each shipped item with what it changed: "Teacher dashboard: Institution tools +0.08"."""
    out = []
    for s in shipped:
        parts = [
            f"{names.attributes.get(a, a)} {v:+.2f}"
            for a, v in s.effects.items()
            if abs(v) >= 0.005
        ]
        if s.quality:
            parts.append(f"quality {s.quality:+.2f}")
        if s.debt < 0:
            parts.append(f"pays down {-s.debt:.0f} points of debt")
        elif s.debt > 0:
            parts.append(f"adds {s.debt:.0f} points of debt")
        what = ", ".join(parts) or "no visible change"
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
        f"blocked: {names.items.get(i, i)} waits for {', '.join(names.items.get(d, d) for d in ds)}"
        for i, ds in done.blocked.items()
    ]
    out += _over_capacity(facts, "crunched")
    if done.idle > SLACK:
        out.append(
            f"{done.idle:.0f} feature points went unused: nothing workable was left on the roadmap"
        )
    return out


def _why_nothing(facts: LineFacts, done: WorkOutcome) -> str:
    """The headline of a quarter that shipped nothing."""
    if not facts.roadmap:
        return "nothing shipped: nothing was on the roadmap"
    if facts.split.debt > 0 and facts.split.debt >= facts.split.features:
        return (
            f"nothing shipped: the team spent the quarter mostly on technical debt "
            f"({facts.split.debt:.0%} of its time, {facts.split.features:.0%} on features)"
        )
    if done.blocked and not done.progressed:
        return "nothing shipped: everything on the roadmap was blocked"
    if facts.available < SLACK:
        return "nothing shipped: the team had no time for features"
    return "nothing shipped: the work in progress is not finished yet"


def _progress(name: str, progress: float, item: BacklogItem) -> str:
    """An unfinished item's progress against its estimate."""
    if progress > item.effort + SLACK:
        return (
            f"{name} is taking longer than estimated: {progress:.0f} points in, "
            f"estimated {item.effort:g}"
        )
    return f"{name} in progress: {progress:.0f} of an estimated {item.effort:g} points done"
