"""Why a KPI changed: exact one-factor-at-a-time decompositions with sentences.

Share. The expected-share model evaluates, on a fixed sample of each segment's in-market
customers (after this quarter's entry, before choice), the share a product should end the
quarter with: stayers keep their product, re-choosers pick by the mixed logit
(E_j = mean_i[(1 − r_i)·1{current_i = j} + r_i·P_ij], the same kernels as the market).
Swapping the market inputs from the start of the quarter to the end one factor at a time
(events, segment drift, the firm's price, its position and quality, its awareness, then
everyone else's moves) gives each factor's size; the sizes telescope, so with

    churn = E(start) − sample share last quarter   (customers moving anyway, new entrants)
    chance = Δ actual share − (E(end) − sample share last quarter)

the drivers add up exactly to the change in share (in points). ``chance`` is which
customers the draw happened to move, plus the (small) change in how well the fixed sample
mirrors the whole population.

Revenue. ΔR = Σ_j (p_j' − p_j)·q_j  [price]  +  Σ_j p_j'·(q_j' − q_j)  [volume].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np

from engine import market, phrases
from engine.formatting import money_full, number, pct, points_size, signed, signed_money_full
from engine.phrases import in_sentence, say
from engine.quarter import QuarterContext
from engine.report import Driver, Explanation, TurnReport
from engine.scenario import Choice
from engine.state import SimState

MIN_SENTENCE = 0.05
"""Share drivers smaller than this many points are not named in the summary."""
MIN_REVENUE_SHARE = 0.005
"""Revenue drivers smaller than this fraction of revenue are not named in the summary."""
MIN_SATISFACTION = 0.001
"""Satisfaction drivers smaller than this (on the 0..1 scale) are not named."""
TOP = 3
"""Drivers named in the one-line summary."""


@dataclass(frozen=True)
class MarketInputs:
    """Everything choice depends on that a quarter can change (S segments, J products)."""

    ideal: np.ndarray
    weights: np.ndarray
    price_sensitivity: np.ndarray
    attributes: np.ndarray
    quality: np.ndarray
    brand: np.ndarray
    price: np.ndarray
    active: np.ndarray
    aware: tuple[np.ndarray, ...]

    @classmethod
    def capture(cls, state: SimState, rows: list[np.ndarray]) -> MarketInputs:
        """Copy the current inputs; awareness only for the sample ``rows`` per segment.

        Sample columns are copied with ``take`` / ``compress`` throughout this module: the
        same values as fancy indexing, several times faster on these short, wide arrays."""
        ps = state.products
        return cls(
            ideal=np.array([s.ideal for s in state.segments]),
            weights=np.array([s.weights for s in state.segments]),
            price_sensitivity=np.array([s.price_sensitivity for s in state.segments]),
            attributes=np.array([p.attributes for p in ps]).reshape(len(ps), -1),
            quality=np.array([p.quality for p in ps], dtype=float),
            brand=np.array([p.brand for p in ps], dtype=float),
            price=np.array([p.price for p in ps], dtype=float),
            active=np.array([p.active for p in ps], dtype=bool),
            aware=tuple(
                s.population.aware.take(r, axis=1)
                for s, r in zip(state.segments, rows, strict=True)
            ),
        )

    def take(
        self, other: MarketInputs, factor: str, mask: np.ndarray | None = None
    ) -> MarketInputs:
        """These inputs with ``factor`` taken from ``other`` (for the products in ``mask``)."""
        m = np.ones(len(self.price), dtype=bool) if mask is None else mask
        if factor == "drift":
            return replace(
                self,
                ideal=other.ideal,
                weights=other.weights,
                price_sensitivity=other.price_sensitivity,
            )
        if factor == "price":
            return replace(self, price=np.where(m, other.price, self.price))
        if factor == "attributes":
            return replace(
                self,
                attributes=np.where(m[:, None], other.attributes, self.attributes),
                quality=np.where(m, other.quality, self.quality),
                brand=np.where(m, other.brand, self.brand),
            )
        if factor == "awareness":
            return replace(
                self,
                active=np.where(m, other.active, self.active),
                aware=tuple(
                    _with_rows(a1, a2, m) for a1, a2 in zip(self.aware, other.aware, strict=True)
                ),
            )
        raise ValueError(f"unknown factor '{factor}'")

    def key(self) -> bytes:
        """Every input's bytes: two inputs with the same key give the same expected shares
        (one dictionary lookup per variant instead of comparing it with every other). The
        awareness flags go in eight to a byte: they are most of the bytes to hash."""
        arrays = (
            self.price,
            self.attributes,
            self.quality,
            self.brand,
            self.active,
            self.ideal,
            self.weights,
            self.price_sensitivity,
            *(np.packbits(a) for a in self.aware),
        )
        return b"".join(np.ascontiguousarray(a).tobytes() for a in arrays)


def _with_rows(mine: np.ndarray, other: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``mine`` with the ``rows`` (a product mask) taken from ``other``: the same as
    ``np.where(rows[:, None], other, mine)``, copied a row at a time (much faster)."""
    out = mine.copy()
    out[rows] = other[rows]
    return out


@dataclass(frozen=True)
class SegmentSample:
    """The in-market sample customers of one segment, frozen before choice."""

    in_market: np.ndarray  # bool over the sample rows
    rows: np.ndarray  # population rows of the in-market sample customers
    weight: float  # real customers one sample customer stands for
    offset: np.ndarray
    weight_mult: np.ndarray
    alpha_mult: np.ndarray
    theta: np.ndarray
    current: np.ndarray
    fresh: np.ndarray
    installed_share: np.ndarray  # (J,) installed_j / M_s
    reference_price: float
    switching_cost: float
    outside_utility: float
    reconsider: float


@dataclass(frozen=True)
class ExplainSample:
    """Per-segment samples used by the expected-share model this quarter."""

    segments: tuple[SegmentSample, ...]

    @classmethod
    def capture(
        cls, state: SimState, rows: list[np.ndarray], installed: np.ndarray | None = None
    ) -> ExplainSample:
        """The in-market customers among the sample ``rows`` now (``installed``:
        ``state.installed()``, when the caller has it already)."""
        installed = state.installed() if installed is None else installed
        out = []
        for s, (seg, r) in enumerate(zip(state.segments, rows, strict=True)):
            pop = seg.population
            inside = pop.in_market[r]
            rr = r.compress(inside)
            out.append(
                SegmentSample(
                    in_market=inside,
                    rows=rr,
                    weight=seg.scale * pop.alive / max(len(r), 1),
                    offset=pop.offset.take(rr, axis=1),
                    weight_mult=pop.weight_mult.take(rr, axis=1),
                    alpha_mult=pop.alpha_mult.take(rr),
                    theta=pop.theta.take(rr),
                    current=pop.current.take(rr),
                    fresh=pop.fresh.take(rr),
                    installed_share=installed[s] / seg.size,
                    reference_price=seg.spec.reference_price,
                    switching_cost=seg.spec.switching_cost,
                    outside_utility=seg.spec.outside_utility,
                    reconsider=seg.spec.reconsider,
                )
            )
        return cls(tuple(out))


def sample_shares(state: SimState, rows: list[np.ndarray]) -> np.ndarray:
    """Share of in-market customers per product on the sample rows now, shape S×J."""
    n_prod = len(state.products)
    out = np.zeros((len(state.segments), n_prod))
    for s, (seg, r) in enumerate(zip(state.segments, rows, strict=True)):
        pop = seg.population
        inside = r.compress(pop.in_market.take(r))
        cur = pop.current.take(inside)
        if inside.size:
            out[s] = np.bincount(cur[cur >= 0], minlength=n_prod)[:n_prod] / inside.size
    return out


@dataclass(frozen=True)
class Expectation:
    """The expected-share model's answer for one set of market inputs (S segments × J)."""

    shares: np.ndarray  # expected share of in-market customers
    satisfaction: np.ndarray  # Σ satisfaction of the sample's end-of-quarter users of j
    satisfaction_start: np.ndarray | None  # the same for the start-of-quarter users, under
    # the first variant's inputs only (None for other inputs: nobody asks, it would cost)
    chosen: np.ndarray  # expected choosers of j, per sample customer (Σ r_i·P_ij / n)
    choosing: np.ndarray  # (S,) expected choosers per sample customer (Σ r_i / n)


def expected_shares(
    ctx: QuarterContext,
    sample: ExplainSample,
    variants: list[MarketInputs],
    end_current: list[np.ndarray] | None = None,
) -> list[Expectation]:
    """Expected end-of-quarter shares (and users' satisfaction) for each input variant.

    Identical variants are evaluated once, and all distinct ones for every segment go
    through the kernels together (stacked along the customer axis, see :class:`_Stack`), so
    a quarter's explanation costs a few dozen array operations however many segments,
    factors and firms there are. The kernels work customer by customer, so each customer
    gets the numbers a pass over their own segment and variant would.
    ``end_current`` (per segment, the sample's products after choice) selects whose
    satisfaction is summed; by default the start-of-quarter users. The start-of-quarter
    users' satisfaction is also summed under the first variant's inputs.
    """
    distinct, which = _distinct(variants)
    n_prod = len(variants[0].price)
    shape = (len(distinct), len(sample.segments), n_prod)
    shares, sat_end, sat_start = np.zeros(shape), np.zeros(shape), np.zeros(shape[1:])
    chosen, choosing = np.zeros(shape), np.zeros(shape[:2])
    live = [s for s, seg in enumerate(sample.segments) if seg.current.size and n_prod]
    if not live:
        return [
            Expectation(
                shares[k], sat_end[k], sat_start if k == 0 else None, chosen[k], choosing[k]
            )
            for k in which
        ]
    stack = _Stack.of(ctx.scenario.choice, distinct, sample, live)
    util, current, own, aware = stack.util, stack.current, stack.own, stack.aware
    sc, v0 = stack.switching_cost, stack.outside_utility
    gap = market.satisfaction_gap(util, current, aware, sc, v0, own)  # once: churn, then σ
    r = market.rechoice_probability(
        util,
        current,
        stack.tiled([smp.fresh for smp in sample.segments]),
        aware,
        stack.tiled([smp.theta for smp in sample.segments]),
        sc,
        v0,
        ctx.scenario.choice.churn_gap,
        stack.per_customer([smp.reconsider for smp in sample.segments]),
        own,
        gap,
    )
    prob = market.choice_probabilities(util, current, aware, sc, v0)
    picked = prob * r[None, :]
    expected = picked + own * (1.0 - r)[None, :]
    if end_current is None:
        users = start_users = _satisfied_users(gap, current, own)
    else:
        ends = stack.tiled(end_current)
        own_end = market.owners(ends, n_prod)
        end_gap = market.satisfaction_gap(util, ends, stack.known | own_end, sc, v0, own_end)
        users = _satisfied_users(end_gap, ends, own_end)
        first = stack.first  # the first variant is the first copy (``order[0] == 0``); the
        # kernels work customer by customer, so its columns of ``gap`` are its own gaps
        start_users = _satisfied_users(gap[first], current[first], own[:, first])
    for b, s in enumerate(live):
        n, order = sample.segments[s].current.size, stack.orders[b]
        shares[order, s, :] = stack.sums(expected, b).T / n
        chosen[order, s, :] = stack.sums(picked, b).T / n
        choosing[order, s] = stack.sums(r, b) / n
        sat_end[order, s, :] = stack.sums(users, b).T
        sat_start[s] = stack.sums(start_users[:, stack.first], b)[:, 0]
    return [
        Expectation(shares[k], sat_end[k], sat_start if k == 0 else None, chosen[k], choosing[k])
        for k in which
    ]


def _distinct(variants: list[MarketInputs]) -> tuple[list[MarketInputs], list[int]]:
    """The distinct variants in first-seen order, and which of them each variant is."""
    distinct: list[MarketInputs] = []
    seen: dict[bytes, int] = {}
    which = []
    for v in variants:
        k = seen.setdefault(v.key(), len(distinct))
        if k == len(distinct):
            distinct.append(v)
        which.append(k)
    return distinct, which


@dataclass(frozen=True)
class _Stack:
    """Every live segment's sample under every distinct variant, side by side along the
    customer axis, copy by copy: copy c holds every live segment's customers in order
    (``width`` columns; segment block b is columns ``edges[b]:edges[b + 1]`` of the copy),
    and in block b copy c is variant ``orders[b][c]``."""

    copies: int
    width: int  # customers of one copy: every live segment's sample
    edges: list[int]  # segment block boundaries within a copy, (B + 1)
    orders: list[list[int]]
    live: list[int]  # the segments with a block
    util: np.ndarray  # (J, V·width) float32
    known: np.ndarray  # (J, V·width) bool: aware of the (active) product
    current: np.ndarray  # (V·width,)
    own: np.ndarray  # (J, V·width) bool
    aware: np.ndarray  # (J, V·width) bool: known, or the customer's own product
    switching_cost: float | np.ndarray
    outside_utility: float | np.ndarray

    @classmethod
    def of(
        cls, choice: Choice, distinct: list[MarketInputs], sample: ExplainSample, live: list[int]
    ) -> _Stack:
        """Utilities, awareness and current products of segments ``live``."""
        n_prod, copies = len(distinct[0].price), len(distinct)
        segs = [sample.segments[s] for s in live]
        edges = [0, *np.cumsum([seg.current.size for seg in segs]).tolist()]
        width = edges[-1]
        util = np.empty((n_prod, copies * width), dtype=np.float32)
        known = np.empty((n_prod, copies * width), dtype=bool)
        orders = []
        for b, (s, seg) in enumerate(zip(live, segs, strict=True)):
            cols = slice(edges[b], edges[b + 1])  # views of the (J, V, width) arrays' block b
            order = _stacked_utilities(
                distinct, s, seg, choice, util.reshape(n_prod, copies, width)[:, :, cols]
            )
            _stacked_awareness(
                distinct, order, s, seg, known.reshape(n_prod, copies, width)[:, :, cols]
            )
            orders.append(order)
        current = np.tile(np.concatenate([seg.current for seg in segs]), copies)
        own = market.owners(current, n_prod)
        sizes = [seg.current.size for seg in segs]
        # The kernels only ever use the costs as float32: per customer, cast once.
        sc = _spread([seg.switching_cost for seg in segs], sizes, copies)
        v0 = _spread([seg.outside_utility for seg in segs], sizes, copies)
        return cls(
            copies=copies,
            width=width,
            edges=edges,
            orders=orders,
            live=live,
            util=util,
            known=known,
            current=current,
            own=own,
            aware=known | own,  # everyone knows the product they use
            switching_cost=sc if np.isscalar(sc) else sc.astype(np.float32),
            outside_utility=v0 if np.isscalar(v0) else v0.astype(np.float32),
        )

    @property
    def first(self) -> slice:
        """The columns of the first copy."""
        return slice(0, self.width)

    def tiled(self, per_segment: list[np.ndarray]) -> np.ndarray:
        """A per-customer array (one per segment, all of them in order) for every copy."""
        return np.tile(np.concatenate([per_segment[s] for s in self.live]), self.copies)

    def per_customer(self, values: list[float]) -> float | np.ndarray:
        """A segment number (of every segment, in order) for every customer of every copy."""
        sizes = np.diff(self.edges).tolist()
        return _spread([values[s] for s in self.live], sizes, self.copies)

    def sums(self, x: np.ndarray, b: int) -> np.ndarray:
        """Σ over the customers of segment block ``b`` in each copy of ``x`` ((J, N) or (N,),
        N = ``copies``·width or width): (J, V) or (V,)."""
        rows = x.reshape(*x.shape[:-1], -1, self.width)[..., self.edges[b] : self.edges[b + 1]]
        return rows.sum(axis=-1)


def _spread(values: list[float], sizes: list[int], copies: int) -> float | np.ndarray:
    """A number per segment (of ``sizes`` customers) for every customer of ``copies``
    copies: the number itself if every segment has the same (see market.per_customer)."""
    one = market.per_customer(values, sizes)
    return one if np.isscalar(one) else np.tile(one, copies)


def _stacked_utilities(
    distinct: list[MarketInputs], s: int, seg: SegmentSample, choice: Choice, out: np.ndarray
) -> list[int]:
    """Write segment ``s``'s sample utilities under every distinct variant into ``out``
    (J, V, n) float32; returns ``order`` (copy c is variant ``order[c]``).

    The copies are stacked group by group of the same customer terms, so each group's
    utilities are one matrix product written into a slice.
    """
    n_prod, n, copies = len(distinct[0].price), seg.current.size, len(distinct)
    groups = _by_customer_terms(distinct, s)
    order = [k for ks in groups for k in ks]
    offer = market.make_offer(  # one block of J products per copy (V·J rows)
        np.concatenate([distinct[k].attributes for k in order]),
        np.concatenate([distinct[k].quality for k in order]),
        np.concatenate([distinct[k].brand for k in order]),
        np.concatenate([distinct[k].price for k in order]),
        np.tile(seg.installed_share, copies),
        seg.reference_price,
        choice,
    )
    first = 0
    for ks in groups:
        d = distinct[ks[0]]
        terms = market.people_terms(
            seg.offset,
            seg.weight_mult,
            seg.alpha_mult,
            d.ideal[s].astype(np.float32)[:, None],
            d.weights[s].astype(np.float32)[:, None],
            np.float32(d.price_sensitivity[s]),
        )
        last = first + len(ks)
        rows, which = _distinct_rows(offer, first * n_prod, last * n_prod)
        util = market.utilities(terms, _offer_rows(offer, rows))  # each distinct row once
        out[:, first:last, :] = util[which].reshape(-1, n_prod, n).swapaxes(0, 1)
        first = last
    return order


def _stacked_awareness(
    distinct: list[MarketInputs], order: list[int], s: int, seg: SegmentSample, out: np.ndarray
) -> None:
    """Write who in segment ``s``'s sample knows each active product, copy c under variant
    ``order[c]``, into ``out`` (J, V, n) bool."""
    n_prod = len(distinct[0].price)
    first: dict[int, int] = {}  # by id: variants share their awareness arrays
    arrays = []
    for k in order:
        aware_s = distinct[k].aware[s]
        if first.setdefault(id(aware_s), len(arrays)) == len(arrays):
            arrays.append(aware_s)
    inside = np.concatenate(arrays).compress(seg.in_market, axis=1)  # one pass for all
    for c, k in enumerate(order):
        i = first[id(distinct[k].aware[s])]
        rows = inside[i * n_prod : (i + 1) * n_prod]
        active = distinct[k].active
        if active.all():
            out[:, c, :] = rows
        else:
            np.logical_and(rows, active[:, None], out=out[:, c, :])


def _by_customer_terms(distinct: list[MarketInputs], s: int) -> list[list[int]]:
    """The variants grouped by segment ``s``'s needs (ideal, weights, price sensitivity),
    which give the customers' terms: the indices of each group's members."""
    groups: dict[bytes, list[int]] = {}
    for k, d in enumerate(distinct):
        needs = d.ideal[s].tobytes() + d.weights[s].tobytes() + d.price_sensitivity[s].tobytes()
        groups.setdefault(needs, []).append(k)
    return list(groups.values())


def _distinct_rows(offer: market.Offer, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct products among rows ``first`` to ``last`` (excluded) of a stacked offer
    (most copies change one firm's products only): their rows, and for each row in the
    range the position of its equal among them. A product's utilities depend on its row
    alone, so equal rows need computing once."""
    rows = slice(first, last)
    table = np.column_stack((offer.attributes[rows], offer.constant[rows], offer.log_price[rows]))
    keys = table.view(np.dtype((np.void, table.strides[0]))).ravel()  # a row's bytes
    _, distinct, which = np.unique(keys, return_index=True, return_inverse=True)
    return distinct + first, which


def _offer_rows(offer: market.Offer, rows: np.ndarray) -> market.Offer:
    """The ``rows`` of a stacked offer."""
    return market.Offer(offer.attributes[rows], offer.constant[rows], offer.log_price[rows])


def _satisfied_users(gap: np.ndarray, current: np.ndarray, own: np.ndarray) -> np.ndarray:
    """σ(gap) of each customer (``gap``: their satisfaction gap) on the row of the product
    they use (``own``: owners of ``current``), zero elsewhere: (J, N) float64."""
    happy = gap.astype(np.float64)  # σ(gap) = 1 / (1 + exp(−gap)), finite; in place
    np.negative(happy, out=happy)
    np.exp(happy, out=happy)
    happy += 1.0
    np.divide(1.0, happy, out=happy)
    return own * happy[None, :]  # customers without a product own nothing: zeros


# ---------------------------------------------------------------------- sentences


def _pts(x: float) -> str:
    return signed(x * 100, 1)


@dataclass(frozen=True)
class _Who:
    """Whose driver a phrase names: the player's own ("your price") or a named firm's
    ("Planly's price"; ``whose`` is the firm's name as the language's phrases take it)."""

    own: bool
    whose: str = ""

    def say(self, key: str, /, **values: object) -> str:
        """The phrase ``explain.<key>.own`` or ``explain.<key>.firm``."""
        form = "own" if self.own else "firm"
        return say(f"explain.{key}.{form}", whose=self.whose, **values)


def _who(ctx: QuarterContext, firm_id: str) -> _Who:
    """The player's own phrases for a player firm in a one-player game, else the firm's."""
    firm = ctx.state.firms[firm_id]
    if firm.controller == "player" and len(ctx.scenario.player_firms()) == 1:
        return _Who(own=True)
    name = firm.name
    key = "explain.whose_s" if name.endswith(("s", "S")) else "explain.whose"
    return _Who(own=False, whose=say(key, name=name))


def _price_text(
    ctx: QuarterContext, before: MarketInputs, after: MarketInputs, mask: np.ndarray, who: _Who
) -> str:
    js = np.flatnonzero(mask)
    if js.size == 0:
        return who.say("price.any")
    rel = after.price[js] / before.price[js] - 1.0
    k = int(np.argmax(np.abs(rel)))
    if abs(rel[k]) < 0.005:
        return who.say("price.unchanged")
    return who.say(
        "price.cut" if rel[k] < 0 else "price.rise",
        change=pct(abs(rel[k]), 0),
        product=ctx.state.products[js[k]].name,
    )


def _position_text(
    ctx: QuarterContext, before: MarketInputs, after: MarketInputs, mask: np.ndarray, who: _Who
) -> str:
    delta = (after.attributes - before.attributes)[mask]
    dq = (after.quality - before.quality)[mask]
    if delta.size and np.abs(delta).max() >= 0.005:
        k = int(np.argmax(np.abs(delta).max(axis=0)))
        d = delta[:, k][np.argmax(np.abs(delta[:, k]))]
        return who.say(
            "position.attribute",
            attribute=in_sentence(ctx.scenario.attributes[k].name),
            change=signed(d, 2),
        )
    if dq.size and np.abs(dq).max() >= 0.005:
        return who.say("position.quality", change=signed(dq[np.argmax(np.abs(dq))], 2))
    return who.say("position.unchanged")


def _awareness_text(
    previous: TurnReport, report: TurnReport, firm: str, seg: str, name: str, who: _Who
) -> str:
    """'your awareness in SMB 35% → 41%' (the firm's best-known product)."""
    ids = [p for p, r in report.products.items() if r.firm == firm and p in previous.products]
    if not ids:
        return who.say("awareness.any", segment=name)
    before = max(previous.products[p].awareness_by_segment[seg] for p in ids)
    after = max(report.products[p].awareness_by_segment[seg] for p in ids)
    return who.say("awareness.moved", segment=name, before=pct(before, 0), after=pct(after, 0))


def _drift_text(ctx: QuarterContext, before: MarketInputs, after: MarketInputs, s: int) -> str:
    delta = after.ideal[s] - before.ideal[s]
    k = int(np.argmax(np.abs(delta)))
    return say(
        "explain.drift",
        segment=ctx.state.segments[s].name,
        attribute=in_sentence(ctx.scenario.attributes[k].name),
        change=signed(delta[k], 2),
    )


def _rival_text(ctx: QuarterContext, report: TurnReport, firm_id: str) -> str:
    moves = [m for m in report.competitor_moves if m.firm != firm_id]
    if not moves:
        return say("explain.rivals")
    top = max(
        moves,
        key=lambda m: (
            abs(m.price_after / m.price_before - 1.0)
            + sum(abs(v) for v in m.attribute_changes.values())
        ),
    )
    return say("explain.rivals_example", move=top.text.rstrip("."))


def _explanation(
    firm: str,
    kpi: str,
    segment: str | None,
    label: str,
    before: float,
    after: float,
    drivers: list[Driver],
    unit: str,
    currency: str = "",
) -> Explanation:
    """Rank ``drivers`` and write the summary; ``unit``: "pts" (shares), "sat" or "money"."""
    drivers.sort(key=lambda d: -abs(d.size))
    change = after - before
    if unit == "pts":
        size, floor = points_size(change), MIN_SENTENCE / 100
        fmt = _pts
    elif unit == "sat":
        size, floor = number(abs(change), 3), MIN_SATISFACTION
        fmt = partial(signed, digits=3)
    else:
        size = money_full(abs(change), currency)
        floor = MIN_REVENUE_SHARE * max(abs(before), abs(after))
        fmt = partial(signed_money_full, currency=currency)

    if not any(ch.isdigit() and ch != "0" for ch in size):
        head = say("explain.summary.held", label=label)  # too small to show
    else:
        head = say(
            "explain.summary.rose" if change > 0 else "explain.summary.fell", label=label, size=size
        )
    named = [d for d in drivers if abs(d.size) >= floor and d.size != 0][:TOP]
    if named:
        listed = ", ".join(
            say("explain.summary.driver", text=d.text, size=fmt(d.size)) for d in named
        )
        summary = say("explain.summary.drivers", change=head, drivers=listed)
    else:
        summary = say("explain.summary.plain", change=head)
    return Explanation(
        firm=firm,
        kpi=kpi,
        segment=segment,
        before=before,
        after=after,
        change=change,
        drivers=drivers,
        summary=summary,
    )


def explain_quarter(
    ctx: QuarterContext,
    sample: ExplainSample,
    start_share: np.ndarray,
    snapshots: tuple[MarketInputs, MarketInputs, MarketInputs],
    previous: TurnReport,
    report: TurnReport,
    deal_share: np.ndarray | None = None,
) -> list[Explanation]:
    """Share drivers per firm and segment; revenue and satisfaction drivers per firm.

    ``deal_share`` is the sample's share right after colleagues' deals seated their customers
    (None: no deal this quarter); the deals then get their own driver, named after them.
    """
    start, after_events, end = snapshots
    st = ctx.state
    drifted = after_events.take(end, "drift")
    masks = []
    variants = [start, after_events, drifted, end]
    for firm in st.firms.values():
        mask = np.zeros(len(st.products), dtype=bool)
        mask[firm.products] = True
        priced = drifted.take(end, "price", mask)
        moved = priced.take(end, "attributes", mask)
        masks.append(mask)
        variants += [priced, moved, moved.take(end, "awareness", mask)]
    ends = [
        seg.population.current.take(smp.rows)
        for seg, smp in zip(st.segments, sample.segments, strict=True)
    ]
    x_start, x_events, x_drift, x_end, *x_firm = expected_shares(ctx, sample, variants, ends)
    event_text = (
        say("explain.events_named", titles=", ".join(e["title"] for e in report.events))
        if report.events
        else say("explain.events")
    )
    deals = [e["title"] for e in report.events if e.get("deals")]
    deal_text = say("explain.deals", titles=", ".join(deals)) if deal_share is not None else None
    drifts = tuple(_drift_text(ctx, after_events, end, s) for s in range(len(st.segments)))
    users = _SampleUsers.of(sample, ends, len(st.products))
    out = []
    for i, firm in enumerate(st.firms.values()):
        mask = masks[i]
        who = _who(ctx, firm.id)
        steps = [x_start, x_events, x_drift, *x_firm[3 * i : 3 * i + 3], x_end]
        people = report.people.get(firm.id)
        notes = people.notes if people is not None else {}
        texts = _FirmTexts(
            events=event_text,
            price=_price_text(ctx, after_events, end, mask, who),
            position=_noted(_position_text(ctx, after_events, end, mask, who), notes, "attributes"),
            rivals=_rival_text(ctx, report, firm.id),
            drifts=drifts,
            who=who,
            deals=deal_text,
            notes=notes,
        )
        levels = [start_share, *(x.shares for x in steps)]
        if deal_share is not None:
            levels.insert(1, deal_share)
        out += _shares(ctx, firm.id, mask, levels, texts, previous, report)
        revenue = _revenue(ctx, firm.id, previous, report, who)
        out.append(revenue)
        out.append(_profit(ctx, firm.id, previous, report, revenue.drivers))
        out.append(_cash(ctx, firm.id, previous, report))
        out.append(
            _satisfaction(users, firm.id, mask, steps, texts.satisfaction(), previous, report)
        )
    return out


@dataclass(frozen=True)
class _FirmTexts:
    """The phrases naming one firm's drivers that are the same in every segment."""

    events: str
    price: str
    position: str
    rivals: str
    drifts: tuple[str, ...]  # the segments' drift, the same for every firm
    who: _Who
    deals: str | None = None  # colleagues' deals this quarter, named (None: no deal)
    notes: Mapping[str, str] = field(default_factory=dict)  # what trust did, by driver

    def satisfaction(self) -> list[str]:
        """Texts of the six factor swaps, then of the customer mix (see :func:`_satisfaction`)."""
        return [
            self.events,
            say("explain.changing_needs"),
            self.price,
            self.position,
            say("explain.alternatives"),
            self.rivals,
            self.who.say("customer_mix"),
        ]


def _noted(text: str, notes: Mapping[str, str], factor: str) -> str:
    """A driver's text with what a colleague's trust added to it, if anything."""
    note = notes.get(factor)
    return say("explain.with_note", text=text, note=note) if note else text


def _shares(
    ctx: QuarterContext,
    firm_id: str,
    mask: np.ndarray,
    levels: list[np.ndarray],
    texts: _FirmTexts,
    previous: TurnReport,
    report: TurnReport,
) -> list[Explanation]:
    """One firm's share drivers in every segment.

    ``levels`` are the S×J shares: the sample's last quarter, then the expected share after
    each step (start, events, drift, price, attributes, awareness, end); each driver is the
    change between two neighbouring levels and ``chance`` the rest of the actual change.
    """
    factors: tuple[str, ...] = (
        "churn",
        "events",
        "drift",
        "price",
        "attributes",
        "awareness",
        "competitors",
    )
    if texts.deals is not None:
        factors = ("deals", *factors)
    churn, chance = say("explain.churn"), say("explain.chance")
    firm_levels = np.array(levels)[:, :, mask].sum(axis=2).T.tolist()  # S × levels
    out = []
    for s, seg in enumerate(ctx.state.segments):
        level = firm_levels[s]  # the firm's products' share at each level
        named = [
            churn,
            texts.events,
            texts.drifts[s],
            texts.price,
            texts.position,
            _noted(
                _awareness_text(previous, report, firm_id, seg.id, seg.name, texts.who),
                texts.notes,
                "awareness",
            ),
            texts.rivals,
        ]
        if texts.deals is not None:
            named.insert(0, texts.deals)
        before = previous.firms[firm_id].share_by_segment[seg.id]
        after = report.firms[firm_id].share_by_segment[seg.id]
        drivers = [
            Driver(name, level[k + 1] - level[k], text)
            for k, (name, text) in enumerate(zip(factors, named, strict=True))
        ]
        drivers.append(
            Driver(
                "chance",
                (after - before) - (level[-1] - level[0]),
                chance,
            )
        )
        label = say("explain.label.share", segment=seg.name)
        out.append(_explanation(firm_id, "share", seg.id, label, before, after, drivers, "pts"))
    return out


@dataclass(frozen=True)
class _SampleUsers:
    """The sample's users of each product at the start and the end of the quarter, and the
    real customers one sample customer stands for (per segment)."""

    weights: np.ndarray  # (S,)
    start: np.ndarray  # (S, J) sample users of each product
    end: np.ndarray  # (S, J)

    @classmethod
    def of(cls, sample: ExplainSample, ends: list[np.ndarray], n_prod: int) -> _SampleUsers:
        """Count the users in ``sample`` (start) and in ``ends`` (per segment, after choice)."""

        def counts(currents: list[np.ndarray]) -> np.ndarray:
            return np.array([np.bincount(c + 1, minlength=n_prod + 1)[1:] for c in currents])

        return cls(
            weights=np.array([smp.weight for smp in sample.segments]),
            start=counts([smp.current for smp in sample.segments]),
            end=counts(ends),
        )

    def real(self, counts: np.ndarray, mask: np.ndarray) -> float:
        """Real customers the sample users of the products in ``mask`` stand for."""
        return float(np.dot(self.weights, counts[:, mask].sum(axis=1)))


def _satisfaction(
    users: _SampleUsers,
    firm_id: str,
    mask: np.ndarray,
    steps: list[Expectation],
    texts: list[str],
    previous: TurnReport,
    report: TurnReport,
) -> Explanation:
    """Satisfaction drivers: who the customers are, then the same factor swaps as shares.

    Satisfaction of the sample's end-of-quarter users is evaluated under each step of inputs
    (start, events, drift, price, attributes, awareness, end; ``texts`` name those six steps
    and, last, the customer mix); ``customers`` is the change
    from last quarter's users to this quarter's under the starting inputs; ``other`` is the
    rest (how the sample differs from the whole population).
    """
    weights = users.weights
    users_end = users.real(users.end, mask)
    users_start = users.real(users.start, mask)

    def means(sums: list[np.ndarray], users: float) -> list[float]:
        """Σ over segments of the firm's users' satisfaction sums, weighted, per user."""
        if not users:
            return [0.0] * len(sums)
        return ((np.array(sums)[:, :, mask].sum(axis=2) * weights).sum(axis=1) / users).tolist()

    levels = means([x.satisfaction for x in steps], users_end)
    start = steps[0].satisfaction_start
    assert start is not None  # steps[0] are the first inputs expected_shares was given
    start_users = means([start], users_start)[0]
    before = previous.firms[firm_id].satisfaction
    after = report.firms[firm_id].satisfaction
    factors = ["events", "drift", "price", "attributes", "awareness", "competitors"]
    drivers = [Driver("customers", levels[0] - start_users, texts[-1])]
    drivers += [
        Driver(name, levels[k + 1] - levels[k], text)
        for k, (name, text) in enumerate(zip(factors, texts[:-1], strict=True))
    ]
    drivers.append(
        Driver("other", (after - before) - (levels[-1] - start_users), say("explain.other"))
    )
    label = say("explain.label.satisfaction")
    return _explanation(firm_id, "satisfaction", None, label, before, after, drivers, "sat")


def _revenue(
    ctx: QuarterContext, firm_id: str, previous: TurnReport, report: TurnReport, who: _Who
) -> Explanation:
    """ΔR = Σ (p' − p)·q [price] + Σ p'·(q' − q) [volume] (``who``: the firm's phrases)."""
    ids = [p.id for p in ctx.state.products if p.firm == firm_id]
    price = sum(
        (report.products[i].price - previous.products[i].price) * previous.products[i].customers
        for i in ids
    )
    volume = sum(
        report.products[i].price * (report.products[i].customers - previous.products[i].customers)
        for i in ids
    )
    drivers = [
        Driver("price", float(price), who.say("prices")),
        Driver("volume", float(volume), who.say("customer_numbers")),
    ]
    return _explanation(
        firm_id,
        "revenue",
        None,
        say("explain.label.revenue"),
        previous.firms[firm_id].revenue,
        report.firms[firm_id].revenue,
        drivers,
        "money",
        ctx.scenario.currency,
    )


def cost_words(kind: str) -> str:
    """A cost kind of ``FirmResult.costs`` in words (``explain.cost.<kind>``; an unknown kind
    is shown by its name)."""
    key = f"explain.cost.{kind}"
    return say(key) if key in phrases.ENGLISH else kind


def _profit(
    ctx: QuarterContext,
    firm_id: str,
    previous: TurnReport,
    report: TurnReport,
    revenue: list[Driver],
) -> Explanation:
    """ΔProfit = the ``revenue`` drivers (price, volume) − the change of each kind of cost."""
    before, after = previous.firms[firm_id].costs, report.firms[firm_id].costs
    drivers = [*revenue]
    for kind in sorted(set(before) | set(after)):
        change = after.get(kind, 0.0) - before.get(kind, 0.0)
        drivers.append(Driver(f"cost:{kind}", float(-change), cost_words(kind)))
    return _explanation(
        firm_id,
        "profit",
        None,
        say("explain.label.profit"),
        previous.firms[firm_id].profit,
        report.firms[firm_id].profit,
        drivers,
        "money",
        ctx.scenario.currency,
    )


def _cash(
    ctx: QuarterContext, firm_id: str, previous: TurnReport, report: TurnReport
) -> Explanation:
    """ΔCash = this quarter's revenue − each kind of cost, + what events paid in or took out."""
    firm = report.firms[firm_id]
    revenue = say("explain.revenue")
    drivers = [Driver("revenue", float(firm.revenue), revenue)]
    for kind, amount in sorted(firm.costs.items()):
        drivers.append(Driver(f"cost:{kind}", float(-amount), cost_words(kind)))
    before = previous.firms[firm_id].cash
    other = firm.cash - before - firm.profit
    if abs(other) > 1e-6 * max(1.0, abs(firm.cash)):
        drivers.append(Driver("events", float(other), say("explain.events")))
    else:  # float rounding: keep the drivers adding up exactly
        drivers[0] = Driver("revenue", float(firm.revenue + other), revenue)
    label = say("explain.label.cash")
    return _explanation(
        firm_id, "cash", None, label, before, firm.cash, drivers, "money", ctx.scenario.currency
    )
