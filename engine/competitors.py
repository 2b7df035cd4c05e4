"""AI rivals: six archetypes that move price, position and marketing on what they observe.

A rival sees what a real company could see: every product's posted price, public
attributes and quality (now and in past quarters), and the published quarter reports
(customers, shares and awareness per segment). It does not see individual customers. Where
an archetype needs to know what a segment wants, it commissions research: each quarter it
gets the segment's ideal with noise ``RESEARCH_NOISE`` (and the best-response rival the
weights and price sensitivity with log-normal noise), from the competitors' random stream.

All rivals decide on the same snapshot (the market after the players' decisions) and their
moves are applied together, so the order of firms in the file does not matter. An archetype's
``marketing`` is the firm's budget per quarter: it is split over the firm's active products
(by customers, with a floor) and each product's part over segments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine import market
from engine.formatting import money_full, pct, signed
from engine.phrases import in_sentence, say
from engine.population import lognormal_multipliers
from engine.quarter import QuarterContext
from engine.report import CompetitorMove, TurnReport
from engine.scalars import mean, pairwise_sum
from engine.scenario import (
    BestResponse,
    FastFollower,
    Incumbent,
    Innovator,
    Niche,
    PriceFollower,
)
from engine.scenario import Product as ProductSpec
from engine.state import FirmState, ProductState

RESEARCH_NOISE = 0.05
"""σ of a rival's quarterly estimate of a segment ideal (0..1 scale)."""
PRICE_NEWS = 0.005
"""Smallest relative price change the news feed mentions (half a percent)."""
SPEND_FLOOR = 0.1
"""Marketing floor: every product and segment weighs at least this share of the average."""
PRICE_STEPS = (0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15)
"""Price multipliers a best-response rival considers."""
FOCUS_MULTIPLE = 3.0
"""A best-response rival's focused R&D moves one attribute by this many ``improvement``s."""


@dataclass
class Plan:
    """A rival's intended move for one product."""

    price: float
    attributes: np.ndarray
    marketing: np.ndarray
    note: str = ""  # why, in words ("following Planly")
    waiting: bool = False  # the rival chose to wait: the note is told even with no change


@dataclass
class Observer:
    """What one AI firm can observe this quarter (public data only)."""

    ctx: QuarterContext
    firm: FirmState
    quarter: int
    stream: Callable[[], np.random.Generator]  # the quarter's competitors' stream, shared
    words: bool = True  # False: no notes (nobody reads the news feed of a batch run)
    _customers: dict[int, list[float]] = field(default_factory=dict, repr=False)

    def note(self, key: str, **fields: object) -> str:
        """The phrase ``key`` as a plan's note ("" when nobody reads the words)."""
        return say(key, **fields) if self.words else ""

    @property
    def rng(self) -> np.random.Generator:
        """The competitors' random stream of the quarter (made when first drawn from)."""
        return self.stream()

    @property
    def last(self) -> TurnReport:
        return self.ctx.history[-1]

    def price_at(self, j: int, quarter: int) -> float:
        """Posted price of product j in ``quarter`` (this quarter: as posted now)."""
        if quarter >= self.quarter:
            return float(self.ctx.state.products[j].price)
        return float(self.ctx.market_history.prices[max(quarter, 0)][j])

    def attributes_at(self, j: int, quarter: int) -> np.ndarray:
        """Public attributes of product j in ``quarter``."""
        if quarter >= self.quarter:
            return self.ctx.state.products[j].attributes.copy()
        return self.ctx.market_history.attributes[max(quarter, 0)][j].copy()

    def rivals(self) -> list[int]:
        """Indices of other firms' active products."""
        return [
            j for j, p in enumerate(self.ctx.state.products) if p.firm != self.firm.id and p.active
        ]

    def customers(self, j: int) -> list[float]:
        """Last reported customers of product j per segment, as plain floats (kept per
        quarter: do not edit). A handful of numbers, where numpy's per-call cost dominates:
        sums are :func:`pairwise_sum` (numpy's, bit for bit), the first largest is found as
        ``np.argmax`` finds it (:func:`_first_max`)."""
        known = self._customers.get(j)
        if known is None:
            product = self.ctx.state.products[j]
            by_seg = self.last.products[product.id].customers_by_segment
            known = [float(by_seg[s]) for s in self.ctx.segment_ids]
            self._customers[j] = known
        return known

    def main_segment(self, j: int) -> int:
        """The segment where product j has most customers (or the largest market)."""
        cust = self.customers(j)
        if pairwise_sum(cust) > 0:
            return _first_max(cust)
        return _first_max([self.last.segments[s].in_market for s in self.ctx.segment_ids])

    def believed_ideal(self, s: int) -> np.ndarray:
        """A research estimate of segment s's ideal point."""
        true = self.ctx.state.segments[s].ideal
        noisy = true + self.rng.standard_normal(true.shape) * RESEARCH_NOISE
        return np.clip(noisy, 0.0, 1.0)


def _first_max(values: list[float]) -> int:
    """Index of the first largest of ``values`` (``np.argmax`` of numbers, never NaN)."""
    return values.index(max(values))


def _toward(current: np.ndarray, target: np.ndarray, distance: float) -> np.ndarray:
    """Move ``current`` up to ``distance`` (Euclidean) toward ``target``."""
    gap = target - current
    norm = float(np.linalg.norm(gap))
    if norm <= distance or norm == 0.0:
        return target.copy()
    return current + gap * (distance / norm)


def _routine_attribute(obs: Observer, z: np.ndarray) -> int:
    """The attribute routine R&D works on: the largest gap to the best rival value (the
    weakest attribute when it leads everywhere or has no rival)."""
    own = z.tolist()  # plain floats: a handful of attributes, where numpy calls cost most
    rivals = obs.rivals()
    if rivals:
        products = obs.ctx.state.products
        theirs = [products[j].attributes.tolist() for j in rivals]
        best = [max(col) for col in zip(*theirs, strict=True)]
        gaps = [b - x for b, x in zip(best, own, strict=True)]
        top = max(gaps)
        if top > 0:
            return gaps.index(top)  # the first largest, as np.argmax
    return own.index(min(own))  # the first smallest, as np.argmin


def _routine(obs: Observer, product: ProductState, step: float) -> np.ndarray:
    """Routine R&D: +``step`` on the attribute with the largest gap to the best rival."""
    z = product.attributes.copy()
    if step <= 0:
        return z
    k = _routine_attribute(obs, z)
    z[k] = min(1.0, z[k] + step)
    return z


def capped_routine(z: np.ndarray, ideal: np.ndarray, k: int, step: float) -> np.ndarray:
    """Routine R&D of ``step`` on attribute ``k`` that never passes ``ideal`` (nor 1).

    z_k ← min(z_k + step, max(z_k, ideal_k), 1). If that changes nothing, the same gain goes
    to the attribute with the largest shortfall ideal − z instead (again capped at the
    ideal), so a rival that targets an ideal never overshoots it through routine work.
    """
    out = z.copy()
    if step <= 0:
        return out
    for attr in (k, int(np.argmax(ideal - z))):
        new = min(out[attr] + step, max(out[attr], ideal[attr]), 1.0)
        if new != out[attr]:
            out[attr] = new
            break
    return out


def _spread_marketing(obs: Observer, j: int, total: float, focus: int | None) -> np.ndarray:
    """Split ``total`` over segments by customers (a floor keeps a presence everywhere)."""
    n_seg = len(obs.ctx.segment_ids)
    if focus is not None:
        out = np.zeros(n_seg)
        out[focus] = total
        return out
    return np.array([total * w for w in _weights(obs.customers(j))])


def _weights(customers: list[float]) -> list[float]:
    """Shares proportional to customers plus a floor of ``SPEND_FLOOR`` of the average (at
    least of one customer), so a part with no customers still gets something. Plain floats:
    numpy's sum of a few numbers, bit for bit (engine.scalars), without its per-call cost."""
    floor = SPEND_FLOOR * max(mean(customers), 1.0)
    weight = [c + floor for c in customers]
    total = pairwise_sum(weight)
    return [w / total for w in weight]


def split_budget(obs: Observer, products: list[int], total: float) -> dict[int, float]:
    """The firm's marketing budget per active product: by customers, with the same floor.

    The parts add up to ``total``: ``marketing`` is what the firm spends, however many
    products it has.
    """
    if not products:
        return {}
    customers = [pairwise_sum(obs.customers(j)) for j in products]
    parts = _weights(customers)
    return {j: total * part for j, part in zip(products, parts, strict=True)}


def _leader(obs: Observer, segment: int | None) -> int | None:
    """The rival product with the most customers (in ``segment``, or overall)."""
    rivals = obs.rivals()
    if not rivals:
        return None
    counts = [
        obs.customers(j)[segment] if segment is not None else pairwise_sum(obs.customers(j))
        for j in rivals
    ]
    return rivals[_first_max(counts)]


def margin_price(price: float, unit_cost: float, target: float, max_step: float) -> float:
    """Next quarter's price: toward p* = unit_cost/(1 − target), by at most ``max_step``.

    With no unit cost every price has margin 1, and a target of 1 or more has no price: the
    price holds.
    """
    if unit_cost <= 0.0 or target >= 1.0:
        return price
    goal = unit_cost / (1.0 - target)
    return min(max(goal, price * (1.0 - max_step)), price * (1.0 + max_step))


def _spec(obs: Observer, product_id: str) -> ProductSpec | None:
    """The product as the scenario file gives it at quarter 0 (None if it is not there)."""
    return next((p for _, p in obs.ctx.scenario.products() if p.id == product_id), None)


def _margin_note(obs: Observer, change: float, cost_change: float, target: float) -> str:
    """Why the incumbent moved its price: a cost change it passes on, or its target."""
    if abs(change) < PRICE_NEWS or not obs.words:
        return ""
    if cost_change * change > 0:
        key = "rivals.note.costs_up" if cost_change > 0 else "rivals.note.costs_down"
        return obs.note(key, target=pct(target, 0))
    return obs.note("rivals.note.margin_target", target=pct(target, 0))


def _incumbent(obs: Observer, j: int, ai: Incumbent, budget: float) -> Plan:
    product = obs.ctx.state.products[j]
    spec = _spec(obs, product.id)
    target = ai.margin_target
    if target is None and spec is not None:
        target = (spec.price - spec.unit_cost) / spec.price
    price, note = product.price, ""
    if target is not None:
        price = margin_price(product.price, product.unit_cost, target, ai.max_price_step)
        start_cost = spec.unit_cost if spec is not None else product.unit_cost
        note = _margin_note(
            obs, price / product.price - 1.0, product.unit_cost - start_cost, target
        )
    return Plan(
        price,
        _routine(obs, product, ai.improvement),
        _spread_marketing(obs, j, budget, None),
        note,
    )


def _price_follower(obs: Observer, j: int, ai: PriceFollower, budget: float) -> Plan:
    product = obs.ctx.state.products[j]
    leader = _leader(obs, obs.main_segment(j))
    price = product.price
    note = ""
    then = obs.quarter - ai.lag
    if leader is not None and then - 1 >= 0:
        move = obs.price_at(leader, then) / obs.price_at(leader, then - 1) - 1.0
        price *= max(0.05, 1.0 + ai.rho * move)
        if move != 0:
            note = obs.note("rivals.note.following", product=obs.ctx.state.products[leader].name)
    return Plan(
        price,
        _routine(obs, product, ai.improvement),
        _spread_marketing(obs, j, budget, None),
        note,
    )


def _fast_follower(obs: Observer, j: int, ai: FastFollower, budget: float) -> Plan:
    product = obs.ctx.state.products[j]
    leader = _leader(obs, None)
    z = _routine(obs, product, ai.improvement)
    note = ""
    then = obs.quarter - ai.lag
    if leader is not None and then - 1 >= 0:
        gain = obs.attributes_at(leader, then) - obs.attributes_at(leader, then - 1)
        copied = ai.copy_fraction * np.maximum(gain, 0.0)
        if copied.any():
            z = np.clip(z + copied, 0.0, 1.0)
            note = obs.note("rivals.note.copying", product=obs.ctx.state.products[leader].name)
    return Plan(product.price, z, _spread_marketing(obs, j, budget, None), note)


def _innovator(obs: Observer, j: int, ai: Innovator, budget: float) -> Plan:
    product = obs.ctx.state.products[j]
    unserved = [
        obs.last.segments[s].in_market - obs.last.segments[s].buyers for s in obs.ctx.segment_ids
    ]
    target = int(np.argmax(unserved))
    ideal = obs.believed_ideal(target)
    jump = obs.rng.random() < ai.jump_probability
    z = _toward(product.attributes, ideal, ai.jump_size if jump else ai.step)
    z = capped_routine(z, ideal, _routine_attribute(obs, z), ai.improvement)
    name = obs.ctx.state.segments[target].name
    note = obs.note("rivals.note.leap" if jump else "rivals.note.toward", segment=name)
    marketing = 0.5 * _spread_marketing(obs, j, budget, target)
    marketing += 0.5 * _spread_marketing(obs, j, budget, None)
    return Plan(product.price, z, marketing, note)


def _niche(obs: Observer, j: int, ai: Niche, budget: float) -> Plan:
    product = obs.ctx.state.products[j]
    target = obs.ctx.segment_ids.index(ai.target_segment)
    ideal = obs.believed_ideal(target)
    z = _toward(product.attributes, ideal, ai.step)
    z = capped_routine(z, ideal, _routine_attribute(obs, z), ai.improvement)
    note = obs.note("rivals.note.focus", segment=obs.ctx.state.segments[target].name)
    return Plan(product.price, z, _spread_marketing(obs, j, budget, target), note)


Belief = tuple[np.ndarray, np.ndarray, float]
"""A rival's research estimate of one segment: ideal, weights, price sensitivity."""


def expected_profit(
    obs: Observer, j: int, price: float, z: np.ndarray, beliefs: list[Belief]
) -> float:
    """Believed profit of product j at (price, z): representative customer per segment."""
    ctx = obs.ctx
    st = ctx.state
    total = 0.0
    for s, seg in enumerate(st.segments):
        ideal, weights, alpha = beliefs[s]
        seg_report = obs.last.segments[seg.id]
        attrs = np.array([p.attributes for p in st.products])
        prices = np.array([p.price for p in st.products])
        attrs[j] = z
        prices[j] = price
        installed = np.array(
            [obs.last.products[p.id].customers_by_segment[seg.id] for p in st.products]
        )
        offer = market.make_offer(
            attrs,
            np.array([p.quality for p in st.products]),
            np.array([p.brand for p in st.products]),
            prices,
            installed / max(seg_report.size, 1e-9),
            seg.spec.reference_price,
            ctx.scenario.choice,
        )
        util = market.utility_matrix(
            ideal[:, None].astype(np.float32),
            weights[:, None].astype(np.float32),
            np.array([alpha], dtype=np.float32),
            offer,
        )[:, 0]
        aware = np.array(
            [obs.last.products[p.id].awareness_by_segment[seg.id] for p in st.products]
        )
        aware = aware * np.array([p.active for p in st.products])
        ev = aware * np.exp(util.astype(np.float64) - util.max())
        outside = np.exp(seg.spec.outside_utility - float(util.max()))
        total += (
            seg_report.in_market * ev[j] / (outside + ev.sum()) * (price - st.products[j].unit_cost)
        )
    return total


def _best_response(obs: Observer, j: int, ai: BestResponse, budget: float) -> Plan:
    product = obs.ctx.state.products[j]
    marketing = _spread_marketing(obs, j, budget, None)
    if obs.rng.random() < ai.inertia:
        return Plan(
            product.price,
            product.attributes.copy(),
            marketing,
            obs.note("rivals.note.waiting"),
            True,
        )
    beliefs: list[Belief] = []
    for s, seg in enumerate(obs.ctx.state.segments):
        k = len(seg.weights)
        weights = seg.weights * lognormal_multipliers(obs.rng, 0.2, (k,))
        alpha = seg.price_sensitivity * float(lognormal_multipliers(obs.rng, 0.2, (1,))[0])
        beliefs.append((obs.believed_ideal(s), weights, alpha))
    k = len(product.attributes)
    grid = [(m, a) for m in PRICE_STEPS for a in range(-1, k)]
    picks = obs.rng.choice(len(grid), size=min(ai.candidates, len(grid)), replace=False)
    options = [grid[i] for i in sorted(picks)]
    if (1.0, -1) not in options:
        options[0] = (1.0, -1)
    plans = []
    for mult, attr in options:
        z = product.attributes.copy()
        if attr >= 0:
            z[attr] = min(1.0, z[attr] + FOCUS_MULTIPLE * ai.improvement)
        plans.append((product.price * mult, z))
    profits = np.array([expected_profit(obs, j, p, z, beliefs) for p, z in plans])
    base = max(abs(profits[options.index((1.0, -1))]), 1.0)
    logits = (profits - profits.max()) / base / ai.temperature
    probs = np.exp(logits)
    choice = int(obs.rng.choice(len(plans), p=probs / probs.sum()))
    price, z = plans[choice]
    return Plan(price, z, marketing, obs.note("rivals.note.weighed"))


_DECIDE: dict[str, Callable[..., Plan]] = {
    "incumbent": _incumbent,
    "price_follower": _price_follower,
    "fast_follower": _fast_follower,
    "innovator": _innovator,
    "niche": _niche,
    "best_response": _best_response,
}


def _describe(ctx: QuarterContext, product: ProductState, plan: Plan, firm_name: str) -> str:
    """The move in one news-feed sentence: "Planly cut its price 15% to $153."."""
    cur = ctx.scenario.currency
    own = product.name == firm_name
    parts = []
    change = plan.price / product.price - 1.0
    whose = "own" if own else "other"
    if abs(change) >= PRICE_NEWS:
        verb = "cut" if change < 0 else "raised"
        parts.append(
            say(
                f"rivals.{verb}.{whose}",
                product=product.name,
                change=pct(abs(change), 0),
                price=money_full(plan.price, cur),
            )
        )
    delta = plan.attributes - product.attributes
    moved = [
        f"{in_sentence(ctx.scenario.attributes[k].name)} {signed(d)}"
        for k, d in enumerate(delta)
        if abs(d) >= 0.005
    ]
    if moved:
        parts.append(
            say(f"rivals.improved.{whose}", product=product.name, changes=", ".join(moved))
        )
    if len(parts) == 2:
        action = say("rivals.both", first=parts[0], second=parts[1])
    else:
        action = parts[0] if parts else say(f"rivals.held.{whose}", product=product.name)
    if plan.note and (parts or plan.waiting):
        return say("rivals.move_why", firm=firm_name, action=action, note=plan.note)
    return say("rivals.move", firm=firm_name, action=action)


def _once(make: Callable[[], np.random.Generator]) -> Callable[[], np.random.Generator]:
    """``make`` called on first use only; later calls return the same generator (a plain
    closure: ``functools.cache`` costs more to build than most quarters draw)."""
    made: list[np.random.Generator] = []

    def stream() -> np.random.Generator:
        if not made:
            made.append(make())
        return made[0]

    return stream


def decide_competitors(
    ctx: QuarterContext,
    quarter: int,
    rng: np.random.Generator | Callable[[], np.random.Generator],
    words: bool = True,
) -> list[CompetitorMove]:
    """Let every AI firm decide on the same snapshot, then apply all moves; returns them.

    Each firm's ``marketing`` budget is split over its active products first
    (:func:`split_budget`), so a firm spends its budget whatever its number of products.
    ``words=False`` (headless batch runs) leaves the moves' news sentences empty; every
    move and number stays the same. ``rng`` may be a function that makes the generator:
    it is then made only if an archetype draws (most archetypes never do).
    """
    st = ctx.state
    stream = _once(rng) if callable(rng) else lambda: rng
    planned: list[tuple[FirmState, int, Plan]] = []
    for firm in st.firms.values():
        if firm.controller != "ai" or firm.archetype is None:
            continue
        obs = Observer(ctx, firm, quarter, stream, words)
        active = [j for j in firm.products if st.products[j].active]
        budgets = split_budget(obs, active, firm.archetype.marketing)
        decide = _DECIDE[firm.archetype.archetype]
        for j in active:
            planned.append((firm, j, decide(obs, j, firm.archetype, budgets[j])))
    moves = []
    for firm, j, plan in planned:
        product = st.products[j]
        text = _describe(ctx, product, plan, firm.name) if words else ""
        delta = plan.attributes - product.attributes
        moves.append(
            CompetitorMove(
                firm=firm.id,
                product=product.id,
                archetype=firm.archetype.archetype if firm.archetype else "",
                price_before=float(product.price),
                price_after=float(plan.price),
                attribute_changes={
                    a: d for a, d in zip(ctx.attribute_ids, delta.tolist(), strict=True) if d != 0
                },
                marketing=float(plan.marketing.sum()),
                text=text,
            )
        )
        product.price = float(plan.price)
        product.attributes = plan.attributes.clip(0.0, 1.0)
        product.marketing = plan.marketing
    return moves
