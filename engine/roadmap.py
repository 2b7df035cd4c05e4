"""Roadmap execution (DESIGN §4): hidden true effort and effects, dependencies, shipping.

At reset every backlog item gets a hidden true effort, log-normal around the author's estimate
(median = estimate, σ = ``effort_uncertainty``), and hidden true attribute effects, log-normal
around the authored effects (mean = authored value, relative σ = ``effect_uncertainty``). The
player sees the authored effort and an *estimate* of the effects whose noise shrinks with the
PM's skill (σ_est = effect_uncertainty·(1 − 0.8·skill)); the standard-normal draws behind the
estimate are fixed at reset, so a skill gain sharpens the same estimate rather than redrawing it.

Each quarter the team spends its feature points on the roadmap in priority order. An item whose
dependencies have not shipped (earlier this quarter counts) gets nothing and is reported
blocked. Progress carries over; an item ships when progress reaches its true effort, and its
true effects, quality change and debt are returned for the simulation to apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from engine.formatting import number
from engine.phrases import say
from engine.records import evolve
from engine.scenario import BacklogItem, Scenario

ESTIMATE_SKILL_GAIN = 0.8  # share of the estimate noise an expert PM (skill 1) removes


@dataclass(frozen=True)
class ItemState:
    """Hidden truth and progress of one backlog item."""

    id: str
    product: str
    true_effort: float
    true_effects: Mapping[str, float]
    estimate_draws: Mapping[str, float]
    visible: bool = True
    progress: float = 0.0
    shipped: int | None = None  # quarter it shipped in


@dataclass(frozen=True)
class RoadmapState:
    """Every backlog item of one firm's products."""

    items: Mapping[str, ItemState]

    def shipped_ids(self) -> set[str]:
        """Ids of items already shipped."""
        return {i for i, s in self.items.items() if s.shipped is not None}

    def open_ids(self) -> list[str]:
        """Visible, unshipped items, in backlog order."""
        return [i for i, s in self.items.items() if s.visible and s.shipped is None]


def initial_state(
    scenario: Scenario, products: Iterable[str], rng: np.random.Generator
) -> RoadmapState:
    """Draw hidden efforts and effects for the backlog items of ``products``.

    Draws are made for every backlog item of the scenario in order (so adding a firm's
    product does not shift another firm's draws) and kept for the listed products.
    """
    mine = set(products)
    attrs = scenario.attribute_ids()
    items: dict[str, ItemState] = {}
    for item in scenario.backlog:
        z_effort = rng.standard_normal()
        z_true = rng.standard_normal(len(attrs))
        z_est = rng.standard_normal(len(attrs))
        if item.product not in mine:
            continue
        s = item.effect_uncertainty
        true = {
            a: float(item.effects[a] * np.exp(s * z_true[k] - s * s / 2))
            for k, a in enumerate(attrs)
            if a in item.effects
        }
        items[item.id] = ItemState(
            id=item.id,
            product=item.product,
            true_effort=float(item.effort * np.exp(item.effort_uncertainty * z_effort)),
            true_effects=true,
            estimate_draws={a: float(z_est[k]) for k, a in enumerate(attrs) if a in item.effects},
            visible=not item.breakthrough,
        )
    return RoadmapState(items=items)


def estimated_effects(state: ItemState, item: BacklogItem, skill: float) -> dict[str, float]:
    """The effects the player (or AI PM) believes the item has, sharper with PM skill."""
    sigma = item.effect_uncertainty * (1.0 - ESTIMATE_SKILL_GAIN * skill)
    return {
        a: float(state.true_effects[a] * np.exp(sigma * state.estimate_draws[a] - sigma**2 / 2))
        for a in state.true_effects
    }


def estimated_remaining(state: ItemState, item: BacklogItem) -> float:
    """Remaining effort as the player sees it: the estimate minus progress, at least 0."""
    return max(0.0, item.effort - state.progress)


def committed_effort(
    roadmap: list[str], state: RoadmapState, backlog: Mapping[str, BacklogItem], available: float
) -> float:
    """Estimated feature effort a roadmap commits to this quarter (:attr:`PlanLoad.committed`)."""
    return plan_load(roadmap, state, backlog, available).committed


@dataclass(frozen=True)
class PlanLoad:
    """A roadmap's estimated load against the quarter's feature points: the one capacity
    figure the roadmap, the team tab and the checks all speak of.

    Every listed item must fit in the quarter except the last, which may carry over into the
    next one; so the commitment is the remaining effort of all but the last item plus as much
    of the last as still fits. It exceeds ``available`` only when the plan cannot even start
    its last item: then the team crunches.
    """

    planned: float  # estimated remaining effort of every listed open item
    committed: float
    available: float  # feature points this quarter
    carry: str | None  # the last item when it will not finish this quarter
    overrun: tuple[str, ...] = ()  # open items past their estimate (what is left is unknown)

    @property
    def crunch(self) -> float:
        """Points committed beyond the feature points (worked as overtime)."""
        return max(0.0, self.committed - self.available)

    @property
    def idle(self) -> float:
        """Feature points with nothing planned for them."""
        return max(0.0, self.available - self.planned)


def plan_load(
    roadmap: list[str], state: RoadmapState, backlog: Mapping[str, BacklogItem], available: float
) -> PlanLoad:
    """The estimated load of ``roadmap`` (open items only) against ``available`` points."""
    open_items = [i for i in roadmap if i in state.items and state.items[i].shipped is None]
    remaining = {i: estimated_remaining(state.items[i], backlog[i]) for i in open_items}
    return load_of(open_items, remaining, available)


def load_of(items: list[str], remaining: Mapping[str, float], available: float) -> PlanLoad:
    """The load of open ``items`` in priority order, given each one's estimated remaining
    effort: the rule behind :func:`plan_load`, for any view of the estimates."""
    open_items = [i for i in items if i in remaining]
    rems = [remaining[i] for i in open_items]
    overrun = tuple(i for i in open_items if remaining[i] <= 0.0)
    if not rems:
        return PlanLoad(0.0, 0.0, available, None)
    head = sum(rems[:-1])
    committed = head + min(rems[-1], max(0.0, available - head))
    carry = open_items[-1] if head + rems[-1] > available + 1e-9 and head <= available else None
    return PlanLoad(head + rems[-1], committed, available, carry, overrun)


def load_words(load: PlanLoad, names: Mapping[str, str]) -> str:
    """The load in one sentence, the same words on the roadmap bar and in the checks."""
    head = say(
        "roadmap.planned", planned=number(load.planned, 0), available=number(load.available, 0)
    )
    if load.crunch > 1e-6:
        # under one point, one decimal: "over capacity by 0" would contradict the warning
        over = number(load.crunch, 0 if load.crunch >= 0.95 else 1)
        return say("roadmap.crunch", head=head, over=over)
    if load.carry is not None:
        return say("roadmap.carry", head=head, item=names.get(load.carry, load.carry))
    if load.overrun:
        late = ", ".join(names.get(i, i) for i in load.overrun)
        return say("roadmap.overrun", head=head, items=late)
    if load.planned <= 0 and load.available > 0:
        return say("roadmap.nothing", points=number(load.available, 0))
    if load.idle >= 1.0:
        return say("roadmap.idle", head=head, points=number(load.idle, 0))
    return head


@dataclass(frozen=True)
class Shipped:
    """An item that shipped this quarter, with its true consequences."""

    id: str
    product: str
    effects: Mapping[str, float]
    quality: float
    debt: float


@dataclass(frozen=True)
class WorkOutcome:
    """What the roadmap work did this quarter."""

    shipped: list[Shipped] = field(default_factory=list)
    progressed: dict[str, float] = field(default_factory=dict)  # effort put in per item
    blocked: dict[str, list[str]] = field(default_factory=dict)  # item -> unmet dependencies
    idle: float = 0.0  # feature points with nothing (workable) left to spend on


def work(
    state: RoadmapState,
    roadmap: list[str],
    points: float,
    backlog: Mapping[str, BacklogItem],
    quarter: int,
) -> tuple[RoadmapState, WorkOutcome]:
    """Spend ``points`` of feature effort on ``roadmap`` in priority order."""
    items = dict(state.items)
    done = state.shipped_ids()
    shipped: list[Shipped] = []
    progressed: dict[str, float] = {}
    blocked: dict[str, list[str]] = {}
    for item_id in roadmap:
        s = items.get(item_id)
        if s is None or not s.visible or s.shipped is not None:
            continue
        item = backlog[item_id]
        missing = [d for d in item.depends_on if d not in done]
        if missing:
            blocked[item_id] = missing
            continue
        if points <= 0:
            continue
        spend = min(points, s.true_effort - s.progress)
        points -= spend
        progressed[item_id] = spend
        s = evolve(s, progress=s.progress + spend)
        if s.progress >= s.true_effort - 1e-9:
            s = evolve(s, progress=s.true_effort, shipped=quarter)
            done.add(item_id)
            shipped.append(
                Shipped(
                    id=item_id,
                    product=s.product,
                    effects=dict(s.true_effects),
                    quality=item.quality,
                    debt=item.debt,
                )
            )
        items[item_id] = s
    new = RoadmapState(items=items)
    return new, WorkOutcome(
        shipped=shipped, progressed=progressed, blocked=blocked, idle=max(0.0, points)
    )


def reveal(state: RoadmapState, item_ids: Iterable[str]) -> tuple[RoadmapState, list[str]]:
    """Make hidden items visible (a breakthrough idea, a successful bet); return the new ones."""
    items = dict(state.items)
    revealed: list[str] = []
    for i in item_ids:
        if i in items and not items[i].visible:
            items[i] = evolve(items[i], visible=True)
            revealed.append(i)
    return RoadmapState(items=items), revealed


def hidden_breakthroughs(state: RoadmapState) -> list[str]:
    """Breakthrough items not yet revealed, in backlog order."""
    return [i for i, s in state.items.items() if not s.visible]
