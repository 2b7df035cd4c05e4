"""Line planning, AI product managers and the CPO's portfolio levers (DESIGN §5).

:func:`plan_line` turns a :class:`LineView` (what a PM can see about one product line) and a
:class:`Policy` into that line's :class:`~engine.decisions.ProductDecision`. The bots and the
AI PMs who run lines for a CPO both use it, so "what a good PM does" is written once:

* research: buy studies of the segments that matter most, first where the belief is vaguest;
* prioritise: score each open item by its *believed* value — the utility gain it brings each
  segment under the firm's believed ideals and weights, weighted by the segment's revenue
  potential (``potential``) or by the line's current customers (``retention``) — or naively by
  the sum of its estimated effects (``naive``); divide by effort; skill adds noise;
* commit items in that order (dependencies first, work in progress first) until the feature
  capacity is full, letting the last item spill over;
* split capacity so debt is paid down toward a target, and price/marketing move as the policy
  says.

:func:`policy_for` maps an AI PM's theme, style and skill to a policy. :func:`mentor` raises a
PM's skill (faster under high psychological safety) and :func:`resolve_bets` funds innovation
bets, whose success chance scales with innovation × capability.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from engine.decisions import CapacitySplit, ProductDecision, ResearchOrder, Theme
from engine.records import evolve
from engine.research import PRIOR_IDEAL, PRIOR_PRICE_CV, PRIOR_WEIGHT_CV, Belief
from engine.scalars import clip, mean
from engine.scenario import MIN_PRICE, InnovationBet, ResearchMethod

MENTOR_RATE = 0.25  # skill gained per quarter at full mentoring time, safety 0.5, skill 0
DEBT_VALUE = 0.002  # believed utility per point of debt removed (for refactor items)
QUALITY_VALUE = 1.0  # believed utility per unit of quality
TRUST_GAP = 0.15  # where the ideal is unknown, assume it lies this far beyond the product
NAIVE_SKILL = 0.3  # below this skill a PM cannot use research and prioritises naively


@dataclass(frozen=True)
class ItemView:
    """An open backlog item as the PM sees it."""

    id: str
    remaining: float  # estimated effort still to do
    effects: Mapping[str, float]  # estimated attribute effects
    depends_on: tuple[str, ...]
    quality: float = 0.0
    debt: float = 0.0
    in_progress: bool = False


@dataclass(frozen=True)
class LineView:
    """What a PM sees about one product line before deciding a quarter."""

    product: str
    quarter: int
    quarters: int
    price: float
    start_price: float
    attributes: Mapping[str, float]
    marketing: Mapping[str, float]
    start_marketing: Mapping[str, float]  # spend per segment at quarter 0
    customers: Mapping[str, float]  # by segment
    potential: Mapping[str, float]  # revenue potential by segment (size × reference price)
    belief: Belief
    items: Sequence[ItemView]
    shipped: frozenset[str]
    capacity: float  # total effort points E
    feature_rate: float  # feature points per unit of feature share (E × g × collaboration)
    tech_debt: float
    debt_half: float
    research: Sequence[ResearchMethod]
    cash: float
    skill: float = 0.5


@dataclass(frozen=True)
class Policy:
    """How a PM runs a line: research habits, prioritisation, split, price and marketing."""

    studies: int = 1  # research studies per quarter while researching
    research_every: int = 2  # after the first two quarters, research every N quarters (0: never)
    value: Literal["potential", "retention", "naive"] = "potential"
    discovery: float = 0.1
    debt_target: float | None = 0.4  # keep debt near this × D50 (None: no debt work)
    fill: float = 1.0  # share of feature capacity committed
    price_step: float = 0.0  # relative price change per quarter
    price_band: tuple[float, float] = (0.7, 1.4)  # limits relative to the starting price
    marketing: float = 1.0  # multiplier on the line's quarter-0 marketing spend
    quality_bonus: float = 1.0  # extra weight on quality and debt items
    noise: float = 0.0  # σ of the log-normal noise on item scores (skill)


def confidence(view: LineView) -> dict[str, float]:
    """Per segment, how well the firm knows its ideal: c = 1 − ideal vagueness, 0..1."""
    return {seg: clip(1.0 - _need(view, seg, "ideals"), 0.0, 1.0) for seg in view.belief.ideals}


Basis = list[tuple[float, float, Mapping[str, float], Mapping[str, float]]]
"""What a line's items are valued against, per segment: its share of the weighting, the
confidence c in its ideal, and each attribute's believed ideal x̂ and importance (means)."""


def value_basis(view: LineView, weighting: str) -> Basis:
    """The :data:`Basis` of ``view`` under ``weighting`` (``potential`` or ``retention``),
    read off the belief once for every item valued on the view."""
    b = view.belief
    weights = view.customers if weighting == "retention" else view.potential
    total = sum(weights.values()) or 1.0
    known = confidence(view)
    return [
        (
            w / total,
            known[seg],
            {attr: e.mean for attr, e in b.ideals[seg].items()},
            {attr: e.mean for attr, e in b.weights[seg].items()},
        )
        for seg, w in weights.items()
    ]


def believed_value(
    item: ItemView, view: LineView, weighting: str, basis: Basis | None = None
) -> float:
    """Believed utility gain of shipping ``item``, averaged over segments.

    Where the firm knows a segment's ideal (confidence c = 1 − ideal vagueness), the gain is
    w·[(z − x̂)² − (z + e − x̂)²]; where it does not, the PM trusts the backlog and assumes
    the ideal lies TRUST_GAP beyond the product in the direction the item moves it. The two
    are blended by c, so research replaces the backlog's optimism with knowledge. ``basis``
    is :func:`value_basis` of ``view`` when the caller values many items on one view.
    """
    if weighting == "naive":
        return sum(max(0.0, e) for e in item.effects.values()) + max(0.0, item.quality)
    gain = 0.0
    basis = value_basis(view, weighting) if basis is None else basis
    # per attribute the item moves: (attribute, z, z after the item, the trusted gain)
    moves = []
    for attr, effect in item.effects.items():
        z = view.attributes[attr]
        new = min(1.0, max(0.0, z + effect))
        moves.append((attr, z, new, 2 * TRUST_GAP * abs(effect) - effect**2))
    for share, c, ideals, importance in basis:
        for attr, z, new, trusted in moves:
            x = ideals[attr]
            gain_known = (z - x) ** 2 - (new - x) ** 2
            blend = c * gain_known + (1.0 - c) * trusted
            gain += share * importance[attr] * blend
    return gain


def _score(
    item: ItemView,
    view: LineView,
    policy: Policy,
    rng: np.random.Generator,
    basis: Basis,
) -> float:
    value = believed_value(item, view, policy.value, basis)
    if policy.value != "naive":
        value += policy.quality_bonus * (QUALITY_VALUE * item.quality - DEBT_VALUE * item.debt)
    noise = float(np.exp(policy.noise * rng.standard_normal())) if policy.noise else 1.0
    return value * noise / max(item.remaining, 1.0)


def prioritise(
    view: LineView, policy: Policy, split: CapacitySplit, rng: np.random.Generator
) -> list[str]:
    """Roadmap for this quarter: best items first, dependencies before dependants."""
    items = {i.id: i for i in view.items}
    basis = [] if policy.value == "naive" else value_basis(view, policy.value)
    scores = {i.id: _score(i, view, policy, rng, basis) for i in view.items}
    order = sorted(items, key=lambda i: (not items[i].in_progress, -scores[i]))
    budget = policy.fill * view.feature_rate * split.features
    plan: list[str] = []
    planned = 0.0

    def closure(item_id: str, seen: list[str]) -> list[str] | None:
        if item_id in view.shipped or item_id in plan or item_id in seen:
            return seen
        item = items.get(item_id)
        if item is None:
            return None  # a dependency the PM cannot build (hidden or another line's)
        for dep in item.depends_on:
            if closure(dep, seen) is None:
                return None
        seen.append(item_id)
        return seen

    for item_id in order:
        if planned >= budget:
            break
        if scores[item_id] <= 0 and not items[item_id].in_progress:
            continue
        chain = closure(item_id, [])
        if not chain:
            continue
        for i in chain:
            plan.append(i)
            planned += items[i].remaining
    return plan


def _split(view: LineView, policy: Policy, research_effort: float = 0.0) -> CapacitySplit:
    """Debt share steering debt toward the target; discovery big enough for the research."""
    need = research_effort / max(view.capacity, 1.0)
    discovery = round(min(0.5, max(policy.discovery, need + 0.02 if need else 0.0)), 3)
    if policy.debt_target is None:
        return CapacitySplit(features=1.0 - discovery, debt=0.0, discovery=discovery)
    excess = view.tech_debt - policy.debt_target * view.debt_half
    debt = round(clip(0.1 + excess / max(view.capacity, 1.0), 0.05, 0.5), 3)
    return CapacitySplit(features=round(1.0 - debt - discovery, 6), debt=debt, discovery=discovery)


def _need(view: LineView, segment: str, what: str) -> float:
    """How vague the belief about ``what`` in ``segment`` still is (1 = as vague as the prior)."""
    b = view.belief
    if what == "ideals":
        return mean([e.sd for e in b.ideals[segment].values()]) / PRIOR_IDEAL[1]
    if what == "weights":
        sds = [e.sd for e in b.weights[segment].values()]
        return mean(sds) / (PRIOR_WEIGHT_CV * b.weight_scale)
    if what == "price_sensitivity":
        return b.price_sensitivity[segment].sd / (PRIOR_PRICE_CV * b.price_scale)
    return 0.2  # competitor intel: nice to have, never urgent


def _research(view: LineView, policy: Policy) -> list[ResearchOrder]:
    """Study the segments that matter most and are least understood, with the method that
    removes the most vagueness per unit of noise."""
    if policy.research_every == 0 or not view.research or policy.studies == 0:
        return []
    if view.quarter > 2 and (view.quarter - 1) % policy.research_every:
        return []
    weights = view.customers if policy.value == "retention" else view.potential
    total = sum(weights.values()) or 1.0
    needs: dict[tuple[str, str], float] = {}

    def need(seg: str, what: str) -> float:
        """:func:`_need` of each (segment, what) once."""
        if (seg, what) not in needs:
            needs[seg, what] = _need(view, seg, what)
        return needs[seg, what]

    def gain(method: ResearchMethod, seg: str) -> float:
        return sum(need(seg, r) for r in method.reveals) / method.noise

    def urgency(seg: str) -> float:
        return weights[seg] / total * (need(seg, "ideals") + need(seg, "weights"))

    budget = 0.05 * max(view.cash, 0.0)
    orders: list[ResearchOrder] = []
    for seg in sorted(weights, key=lambda s: (-urgency(s), s))[: policy.studies]:
        method = max(view.research, key=lambda m: (gain(m, seg), -m.cost, m.id))
        if method.cost <= budget:
            budget -= method.cost
            orders.append(ResearchOrder(method=method.id, segment=seg))
    return orders


def plan_line(view: LineView, policy: Policy, rng: np.random.Generator) -> ProductDecision:
    """One line's decisions for the quarter under ``policy``."""
    low, high = policy.price_band
    price = clip(
        view.price * (1.0 + policy.price_step), low * view.start_price, high * view.start_price
    )
    research = _research(view, policy)
    effort = {m.id: m.effort for m in view.research} if research else {}
    split = _split(view, policy, sum(effort[o.method] for o in research))
    return ProductDecision(
        price=max(round(price, 2), MIN_PRICE),  # a cent at least: rounding never posts 0
        marketing={s: round(v * policy.marketing, -2) for s, v in view.start_marketing.items()},
        roadmap=prioritise(view, policy, split, rng),
        split=split,
        research=research,
    )


# --------------------------------------------------------------------------- AI PMs

THEMES: dict[str, dict[str, object]] = {
    "growth": {"price_step": -0.03, "marketing": 1.15, "value": "potential"},
    "retention": {"value": "retention", "debt_target": 0.3, "discovery": 0.15},
    "profit": {"price_step": 0.03, "marketing": 0.85, "research_every": 4},
    "quality": {"debt_target": 0.2, "discovery": 0.2, "quality_bonus": 3.0},
}
STYLES: dict[str, dict[str, object]] = {
    "builder": {"fill": 1.15, "research_every": 0, "discovery": 0.05},
    "analyst": {"studies": 2, "research_every": 2},
    "customer": {"value": "retention", "discovery": 0.15},
    "cautious": {"debt_target": 0.25, "marketing": 0.9},
    "visionary": {"fill": 1.1, "quality_bonus": 0.5},
}


def policy_for(theme: Theme | None, style: str, skill: float) -> Policy:
    """An AI PM's policy: their style, overridden by the CPO's theme; skill sets the noise.

    A novice (skill 0) misjudges item values by a factor of e^±1 (one σ); an expert by e^±0.1.
    Below skill 0.3 a PM does not know how to use research and prioritises naively.
    """
    fields: dict[str, object] = dict(STYLES.get(style, {}))
    if theme is not None:
        fields.update(THEMES[theme])
    if skill < NAIVE_SKILL:
        fields["value"] = "naive"
    fields["noise"] = 1.0 - 0.9 * skill
    return Policy(**fields)  # type: ignore[arg-type]


def mentor(skill: float, time: float, safety: float) -> float:
    """Skill after a quarter of mentoring: + rate × time × (0.5 + safety) × (1 − skill)."""
    return float(min(1.0, skill + MENTOR_RATE * time * (0.5 + safety) * (1.0 - skill)))


# --------------------------------------------------------------------------- bets


@dataclass(frozen=True)
class BetState:
    """Quarters funded and outcomes of a firm's innovation bets."""

    funded: Mapping[str, int] = field(default_factory=dict)
    resolved: Mapping[str, bool] = field(default_factory=dict)


def incubating(engineers: int, funded: Sequence[str], resolved: Collection[str]) -> int:
    """Engineers who work in incubation this quarter: the team the CPO set, while any bet is
    being funded (a bet not yet decided); with none they stay on their lines."""
    return engineers if any(b not in resolved for b in funded) else 0


def bet_chance(bet: InnovationBet, innovation: float, capability: float, incubation: int) -> float:
    """success × (innovation/0.5) × (capability/0.5) × (1 + 0.1·incubation), at most 0.95."""
    chance = bet.success * (innovation / 0.5) * (capability / 0.5) * (1.0 + 0.1 * incubation)
    return float(min(0.95, max(0.0, chance)))


def resolve_bets(
    state: BetState,
    funded: Sequence[str],
    bets: Mapping[str, InnovationBet],
    innovation: float,
    capability: float,
    incubation: int,
    rng: np.random.Generator | None,
) -> tuple[BetState, float, list[tuple[str, bool, list[str]]]]:
    """Fund bets for a quarter; return (state, cost, [(bet, success, unlocked items)]).

    ``rng`` may be None only when nothing is ``funded`` (no bet can be resolved).
    """
    counts = dict(state.funded)
    resolved = dict(state.resolved)
    cost = 0.0
    outcomes: list[tuple[str, bool, list[str]]] = []
    for bet_id in funded:
        if bet_id in resolved:
            continue
        bet = bets[bet_id]
        cost += bet.cost
        counts[bet_id] = counts.get(bet_id, 0) + 1
        if counts[bet_id] >= bet.quarters:
            if rng is None:
                raise ValueError("a funded bet needs a random stream to be resolved")
            ok = bool(rng.random() < bet_chance(bet, innovation, capability, incubation))
            resolved[bet_id] = ok
            outcomes.append((bet_id, ok, list(bet.unlocks) if ok else []))
    return evolve(state, funded=counts, resolved=resolved), cost, outcomes
