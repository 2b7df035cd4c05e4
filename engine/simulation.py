"""The simulation API: ``Simulation(scenario, seed, role)``, ``reset()``, ``step(decisions)``.

A quarter is a fixed sequence of phases (see :meth:`Simulation.step`):

0. decisions checked (``company.prepare``/``check`` and the market's own check): every
   problem is named at once, nothing is clipped
1. events (``company.events``: scheduled, random or injected events edit the state; the
   explanation snapshot ``after_events`` is taken right after, so their market effect is
   reported as the ``events`` driver)
2. decisions applied: price and marketing per product here; every other ``Decisions``
   field is kept in ``state.decisions[firm]`` and played by ``company.operate``
   (organisation, roadmap, research, bets), which may edit ``product.attributes`` and
   ``quality`` and adds to ``firm.other_costs``
3. competitors (AI archetypes move on what they can observe)
4. segment dynamics (growth and ideal drift)
5. awareness (adstock goodwill + word of mouth)
6. entry (Bass)
7. choice and churn (mixed logit, one inverse-CDF draw per customer)
8. economics (revenue, costs, profit, cash; satisfaction and NPS)
9. explanations (drivers of share and revenue changes; skipped when ``explain=False``)
10. report (``TurnReport``; ``company.record`` adds organisation results; appended to
    ``history``)

Randomness comes from :class:`engine.rng.SeedStreams`: each phase draws from its own
subsystem's stream for the quarter, so the same seed and decisions give identical reports.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import awareness as aw
from engine import market
from engine.adoption import bass_step
from engine.company import Company
from engine.competitors import decide_competitors
from engine.decision_check import Problem
from engine.decisions import Decisions
from engine.explain import ExplainSample, MarketInputs, explain_quarter, sample_shares
from engine.history import MarketHistory
from engine.lines import Outlook
from engine.memo import per_scenario
from engine.population import NO_PRODUCT, Population, draw_population, side_by_side
from engine.quarter import QuarterContext
from engine.report import (
    CompetitorMove,
    FirmResult,
    ProductResult,
    SegmentResult,
    TurnReport,
)
from engine.rng import SeedStreams
from engine.scalars import pairwise_sum
from engine.scenario import Firm, Product, Scenario
from engine.state import FirmState, ProductState, SegmentState, SimState, customer_terms
from engine.view import FirmView

Probe = Callable[[QuarterContext, ExplainSample, MarketInputs], None]
"""A look at the market just before choice: context, explanation sample, market inputs."""
EXPLAIN_SAMPLE = 2000
"""Synthetic customers per segment the expected-share model (explanations) looks at."""
NPS_PROMOTER_GAP = 1.0
"""Utility lead over the best alternative above which a customer counts as a promoter."""


@dataclass(frozen=True)
class _Products:
    """The products' offer arrays, built once for all segments."""

    attributes: np.ndarray
    quality: np.ndarray
    brand: np.ndarray
    price: np.ndarray

    @classmethod
    def of(cls, products: list[ProductState]) -> _Products:
        """Stack every product's attributes, quality, brand and price."""
        return cls(
            np.array([p.attributes for p in products]),
            np.array([p.quality for p in products]),
            np.array([p.brand for p in products]),
            np.array([p.price for p in products]),
        )


@dataclass(frozen=True)
class _Loyalty:
    """Per product: Σ satisfaction, promoters and detractors among its customers."""

    satisfaction: np.ndarray
    promoters: np.ndarray
    detractors: np.ndarray


@dataclass(frozen=True)
class _InMarket:
    """Every segment's in-market customers side by side (segment 0's first, each in row
    order), so a per-customer kernel runs once over all segments instead of once per
    segment, and per-segment counts come from one ``bincount`` over ``labels``."""

    insides: list[np.ndarray]  # per segment: its in-market rows
    sizes: list[int]  # per segment: how many
    labels: np.ndarray  # per customer: its segment's index
    known: dict[str, np.ndarray] = field(default_factory=dict)
    """Arrays gathered already, by population name, as the population holds them now
    (whatever changes the population, choice, updates or drops them)."""

    @classmethod
    def of(cls, segments: Sequence[SegmentState]) -> _InMarket:
        """The in-market customers of ``segments`` now."""
        insides = [seg.population.in_market.nonzero()[0] for seg in segments]
        sizes = [inside.size for inside in insides]
        labels = np.repeat(np.arange(len(sizes)), sizes)
        return cls(insides, sizes, labels)

    def gather(self, segments: Sequence[SegmentState], name: str) -> np.ndarray:
        """The population array ``name`` of every in-market customer (customers last; not
        to be written to: it may be the one :attr:`known` holds)."""
        if name not in self.known:
            parts = [  # take: numpy's fancy indexing of columns is several times slower
                getattr(seg.population, name).take(inside, axis=-1)
                for seg, inside in zip(segments, self.insides, strict=True)
            ]
            self.known[name] = side_by_side(parts)
        return self.known[name]

    def per_segment(self, mask: np.ndarray) -> np.ndarray:
        """How many customers of each segment ``mask`` holds (int64, one per segment)."""
        return np.bincount(self.labels[mask], minlength=len(self.sizes))


@dataclass(frozen=True)
class _Layout:
    """What a playthrough's set-up takes from its scenario and role alone, the same for every
    seed: built once per (scenario, role) by :meth:`of` and shared by every playthrough of a
    batch. Its arrays are read-only; a simulation copies those it edits in place (product
    attributes, segment ideals and weights)."""

    product_specs: Mapping[str, Product]  # id -> the file's product (first wins)
    firms: tuple[tuple[Firm, tuple[Product, ...]], ...]  # each firm with its products in play
    attributes: tuple[np.ndarray, ...]  # per product in play, in file order
    ideal: tuple[np.ndarray, ...]  # per segment, in attribute order
    weights: tuple[np.ndarray, ...]  # per segment
    drift: np.ndarray  # S×K: each segment's ideal drift per quarter
    drift_noise: np.ndarray  # S×1: each segment's drift noise σ
    awareness: tuple[np.ndarray, ...]  # per segment: each product's starting awareness
    offers: tuple[market.Offer, ...]  # per segment: the starting offer (nothing installed)
    point_costs: np.ndarray  # per segment: spend that buys a goodwill point at the start

    @staticmethod
    def of(scenario: Scenario, role: str) -> _Layout:
        """``scenario``'s layout for ``role``, built on its first use."""
        return per_scenario(scenario, ("layout", role), lambda: _Layout._build(scenario, role))

    @staticmethod
    def _build(sc: Scenario, role: str) -> _Layout:
        attrs = sc.attribute_ids()
        specs: dict[str, Product] = {}
        for _, spec in sc.products():
            specs.setdefault(spec.id, spec)
        firms = tuple((f, tuple(p for p in f.products if role in p.roles)) for f in sc.firms)
        playing = [spec for _, products in firms for spec in products]
        starts = [specs[p.id] for p in playing]

        def frozen(values: list[float] | list[list[float]]) -> np.ndarray:
            out = np.array(values)
            out.setflags(write=False)
            return out

        offers = []
        for seg in sc.segments if playing else ():
            offer = market.make_offer(
                np.array([[p.attributes[a] for a in attrs] for p in playing]),
                np.array([p.quality for p in playing]),
                np.array([p.brand for p in playing]),
                np.array([p.price for p in playing]),
                np.zeros(len(playing)),
                seg.reference_price,
                sc.choice,
            )
            for array in (offer.attributes, offer.constant, offer.log_price):
                array.setflags(write=False)
            offers.append(offer)
        segs = sc.segments
        return _Layout(
            product_specs=specs,
            firms=firms,
            attributes=tuple(frozen([p.attributes[a] for a in attrs]) for p in playing),
            ideal=tuple(frozen([s.ideal[a] for a in attrs]) for s in segs),
            weights=tuple(frozen([s.weights[a] for a in attrs]) for s in segs),
            drift=frozen([[s.drift.get(a, 0.0) for a in attrs] for s in segs]),
            drift_noise=frozen([[s.drift_noise] for s in segs]),
            awareness=tuple(frozen([p.awareness.get(s.id, 0.0) for p in starts]) for s in segs),
            offers=tuple(offers),
            point_costs=frozen([aw.point_cost(sc.advertising, s.size, s.media_cost) for s in segs]),
        )


class Simulation:
    """A deterministic market simulation of one scenario for one seed and role."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int | None = None,
        role: str = "pm",
        resolution: int | None = None,
        explain: bool = True,
    ) -> None:
        """``explain=False`` is for batch runs that read numbers only (the balance lab): the
        reports leave out the drivers, the objectives' status per quarter, the lines'
        stories and the rivals' news sentences (the final scorecard has every objective),
        and every number stays the same (``tests/goldens/balance_goldens.py``); it runs
        several times faster."""
        if role not in scenario.roles:
            raise ValueError(
                f"scenario '{scenario.id}' cannot be played as '{role}' "
                f"(roles: {', '.join(scenario.roles)})"
            )
        if resolution is not None and resolution < 10:
            raise ValueError("resolution must be at least 10 synthetic customers per segment")
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else int(seed)
        self.role = role
        self.resolution = resolution
        self.explain = explain
        self.attribute_ids = scenario.attribute_ids()
        self.segment_ids = scenario.segment_ids()
        self._layout = _Layout.of(scenario, role)
        self.reset()

    # ------------------------------------------------------------------ set-up
    def reset(self) -> TurnReport:
        """Back to quarter 0; returns the starting position as a quarter-0 report."""
        self.streams = SeedStreams(self.seed)
        self.state, installed = self._initial_state()  # nobody moves until the first quarter
        self._explain_rows = self._sample_rows()
        self.market_history = MarketHistory()
        self.market_history.record(self.state)
        n_seg = len(self.state.segments)
        self._last_churned = np.zeros(n_seg)
        self._last_entered = np.zeros(n_seg)
        self._last_joined = np.zeros(n_seg)
        self._last_left = np.zeros(n_seg)
        self._last_left_customers = np.zeros(n_seg)
        self._last_chosen = np.zeros((n_seg, len(self.state.products)))
        self._last_choosers = np.zeros(n_seg)
        inm = _InMarket.of(self.state.segments)
        utilities = self._utilities(installed, inm)
        self.history: list[TurnReport] = []
        self.company = Company(self.quarter_context(), words=self.explain)
        report = self._report(0, utilities, self._run_rate_economics(), [], installed, inm)
        self.history.append(report)
        self.company.start(self.quarter_context(), report)
        return report

    def quarter_context(self) -> QuarterContext:
        """What the phase modules (company, competitors, explanations, views) may use now."""
        return QuarterContext(
            scenario=self.scenario,
            role=self.role,
            state=self.state,
            streams=self.streams,
            history=self.history,
            market_history=self.market_history,
            attribute_ids=tuple(self.attribute_ids),
            segment_ids=tuple(self.segment_ids),
        )

    def _initial_state(self) -> tuple[SimState, np.ndarray]:
        """The quarter-0 state and its installed base (``state.installed()``)."""
        sc = self.scenario
        layout = self._layout
        rng = self.streams.generator("market", 0)
        products: list[ProductState] = []
        firms: dict[str, FirmState] = {}
        n_seg = len(sc.segments)
        for firm, playing in layout.firms:
            indices = []
            for spec in playing:
                indices.append(len(products))
                products.append(
                    ProductState(
                        id=spec.id,
                        name=spec.name,
                        firm=firm.id,
                        attributes=layout.attributes[len(products)].copy(),
                        quality=spec.quality,
                        brand=spec.brand,
                        price=spec.price,
                        unit_cost=spec.unit_cost,
                        goodwill=np.zeros(n_seg),
                        marketing=np.zeros(n_seg),
                        news=np.zeros(n_seg),
                    )
                )
            firms[firm.id] = FirmState(
                id=firm.id,
                name=firm.name,
                controller=firm.controller,
                archetype=firm.ai,
                cash=firm.cash,
                products=indices,
            )
        segments = []
        n_prod = len(products)
        for s, spec in enumerate(sc.segments):
            n = self.resolution or spec.resolution
            pop = draw_population(spec, n, n_prod, rng)
            seg = SegmentState(
                id=spec.id,
                name=spec.name,
                spec=spec,
                size=spec.size,
                growth=spec.growth,
                ideal=layout.ideal[s].copy(),
                weights=layout.weights[s].copy(),
                price_sensitivity=spec.price_sensitivity,
                population=pop,
                scale=spec.size / n,
            )
            self._seat_starting_customers(s, seg, products, rng)
            segments.append(seg)
        state = SimState(quarter=0, segments=segments, products=products, firms=firms)
        installed = state.installed()
        adv = sc.advertising
        for s, seg in enumerate(segments):
            spec_aw = layout.awareness[s]
            inst_share = installed[s] / seg.size
            goodwill = aw.starting_goodwill(spec_aw, inst_share, adv)
            self._seat_awareness(seg.population, spec_aw, rng)
            for j, product in enumerate(products):
                product.goodwill[s] = goodwill[j]
        costs = layout.point_costs  # the segments' sizes are still the scenario's
        for product in products:
            if firms[product.firm].controller == "player":
                product.marketing = aw.nice_amount(aw.steady_spend(product.goodwill, adv, costs))
        return state, installed

    def _point_cost(self, seg: SegmentState) -> float:
        """Spend that buys one goodwill point in ``seg`` now (per head: grows with M_s)."""
        return aw.point_cost(self.scenario.advertising, seg.size, seg.spec.media_cost)

    def _seat_starting_customers(
        self,
        s: int,
        seg: SegmentState,
        products: list[ProductState],
        rng: np.random.Generator,
    ) -> None:
        """Put the starting in-market customers in place; owners are likelier to fit.

        Every product's starting customers are seated together (:func:`seat_jointly`), so
        no product gets first pick because it comes first in the file.
        """
        pop = seg.population
        n = pop.n
        n_in = min(n, round(seg.spec.in_market * n))
        pop.in_market[rng.permutation(n)[:n_in]] = True
        pop.entry_carry = 0.0
        if not products:
            return
        offer = self._layout.offers[s]  # the products are still the scenario's
        inside = np.flatnonzero(pop.in_market)
        util = market.utilities(seg.customer_terms(inside), offer)
        all_aware = np.ones_like(util, dtype=bool)
        none = np.full(inside.size, NO_PRODUCT, dtype=np.int16)
        prob = market.choice_probabilities(util, none, all_aware, 0.0, seg.spec.outside_utility)
        specs = [self._layout.product_specs[p.id] for p in products]
        wants = np.array([round(spec.customers.get(seg.id, 0.0) / seg.scale) for spec in specs])
        ids = [p.id for p in products]
        log_prob = np.log(prob.astype(np.float64) + 1e-300)
        pop.current[inside] = seat_jointly(log_prob, wants, ids, rng)

    def _seat_awareness(
        self, pop: Population, target: np.ndarray, rng: np.random.Generator
    ) -> None:
        owners = aw.own_customers(pop)
        frac = np.count_nonzero(owners, axis=1) / pop.n  # the mean, without its overhead
        need = np.clip((target - frac) / np.maximum(1.0 - frac, 1e-9), 0.0, 1.0)
        pop.aware[:] = owners | (rng.random(pop.aware.shape) < need[:, None])

    # ------------------------------------------------------------------ helpers
    def _options(self, aware: np.ndarray) -> np.ndarray:
        """``aware`` (J, N) without inactive products: the array itself when every product
        is active (most quarters), so nothing is masked for nothing."""
        active = [p.active for p in self.state.products]
        if all(active):
            return aware
        return aware & np.array(active, dtype=bool)[:, None]

    def market_inputs(self) -> MarketInputs:
        """The choice-relevant part of the state, for the expected-share model."""
        st = self.state
        return MarketInputs.capture(st, self._explain_rows)

    def _utilities(
        self, installed: np.ndarray | None = None, inm: _InMarket | None = None
    ) -> np.ndarray:
        """V (without switching cost) of every segment's in-market customers side by side,
        float32 (J, N) (``installed``: ``state.installed()``, ``inm``: the in-market
        customers, when the caller has them)."""
        st = self.state
        installed = st.installed() if installed is None else installed
        inm = inm or _InMarket.of(st.segments)
        terms = customer_terms(st.segments, inm.insides)  # every segment's, side by side
        p = _Products.of(st.products)  # the same in every segment
        offers = market.make_offer(  # every segment's at once
            p.attributes,
            p.quality,
            p.brand,
            p.price,
            installed / np.array([seg.size for seg in st.segments])[:, None],
            np.array([seg.spec.reference_price for seg in st.segments])[:, None],
            self.scenario.choice,
        )
        return market.utilities(terms, offers, inm.sizes)

    def _sample_rows(self) -> list[np.ndarray]:
        """Fixed, evenly spaced rows of each population for the expected-share model."""
        return [sample_rows(seg.population.n) for seg in self.state.segments]

    def view(self, firm_id: str) -> FirmView:
        """What a player (or bot) controlling ``firm_id`` may see before deciding."""
        if firm_id not in self.state.firms:
            raise ValueError(f"unknown firm '{firm_id}'")
        ctx = self.quarter_context()
        view = FirmView.of(ctx, firm_id)
        view.organisation = self.company.view(ctx, firm_id)
        return view

    def problems(self, firm_id: str, decisions: Decisions) -> list[Problem]:
        """Every problem with a player firm's decisions (errors first), without playing them."""
        if firm_id not in self.company.books:
            raise ValueError(f"'{firm_id}' is not a player firm")
        return self.company.problems(self.quarter_context(), firm_id, decisions)

    def as_played(self, firm_id: str, decisions: Decisions) -> Decisions:
        """``decisions`` as the next quarter will play them: in the CPO role the AI PMs fill
        every line field left to them (nothing is played or changed)."""
        if firm_id not in self.company.books:
            raise ValueError(f"'{firm_id}' is not a player firm")
        quarter = self.state.quarter + 1
        ctx = self.quarter_context()
        return self.company.prepare(ctx, {firm_id: decisions}, quarter)[firm_id]

    def outlook(self, firm_id: str, decisions: Decisions) -> Outlook:
        """A player firm's portfolio before the quarter is played with ``decisions``: each
        line's plan (a CPO's AI PMs plan as they will when it is played) and why, its numbers
        now, the innovation bets and the incubation team. Nothing is played or changed."""
        if firm_id not in self.company.books:
            raise ValueError(f"'{firm_id}' is not a player firm")
        return self.company.outlook(self.quarter_context(), firm_id, decisions)

    def inject(self, event_id: str) -> None:
        """Make the event ``event_id`` happen at the start of the next quarter."""
        self.company.inject(event_id)

    def scorecard(self, firm_id: str | None = None) -> dict[str, Any]:
        """Score 0-100, grade, objectives and competencies of a player firm so far."""
        firm_id = firm_id or self.scenario.player_firms()[0].id
        return self.company.scorecard(self.quarter_context(), firm_id)

    @property
    def finished(self) -> bool:
        """True once the scenario's last quarter has been played."""
        return self.state.quarter >= self.scenario.quarters

    def snapshot(self) -> dict[str, Any]:
        """The market state now as plain JSON data (customers summarised, not listed).

        For tests, debugging and the debrief: two simulations in the same state give equal
        snapshots. Includes hidden truth (segment ideals, goodwill), so never show it to a
        player mid-game.
        """
        st = self.state
        n_prod = len(st.products)
        return {
            "quarter": st.quarter,
            "firms": {
                f.id: {"cash": float(f.cash), "products": [st.products[j].id for j in f.products]}
                for f in st.firms.values()
            },
            "products": {
                p.id: {
                    "firm": p.firm,
                    "active": p.active,
                    "price": float(p.price),
                    "unit_cost": float(p.unit_cost),
                    "quality": float(p.quality),
                    "brand": float(p.brand),
                    "attributes": self._named(p.attributes, self.attribute_ids),
                    "goodwill": self._named(p.goodwill, self.segment_ids),
                    "marketing": self._named(p.marketing, self.segment_ids),
                }
                for p in st.products
            },
            "segments": {
                seg.id: {
                    "size": float(seg.size),
                    "growth": float(seg.growth),
                    "ideal": self._named(seg.ideal, self.attribute_ids),
                    "weights": self._named(seg.weights, self.attribute_ids),
                    "price_sensitivity": float(seg.price_sensitivity),
                    "synthetic_customers": seg.population.alive,
                    "in_market": int(seg.population.in_market.sum()),
                    "users": seg.population.counts(n_prod).tolist(),
                    "aware": seg.population.aware.sum(axis=1).tolist(),
                }
                for seg in st.segments
            },
        }

    # ------------------------------------------------------------------ the quarter
    def step(
        self,
        decisions_by_firm: Mapping[str, Decisions] | None = None,
        inject: Sequence[str] = (),
        probe: Probe | None = None,
    ) -> TurnReport:
        """Play one quarter with the players' decisions; returns (and records) its report.

        ``inject`` names events (by id) a facilitator makes happen at the start of this
        quarter; passing them here (rather than calling :meth:`inject`) keeps them in the
        same record as the decisions, so a replay of (seed, decisions, injections) is exact.
        ``probe`` is called with the market just before choice (the explanation sample and
        inputs), for tools that ask "what would customers do if…" (``engine.calibrate``); it
        must not change them.
        """
        if self.finished:
            raise ValueError(f"the scenario ends after quarter {self.scenario.quarters}")
        for event_id in inject:
            self.company.inject(event_id)
        for seg in self.state.segments:
            seg.population.compact()
        self._explain_rows = self._sample_rows()  # the segments may have grown or shrunk
        looking = self.explain or probe is not None  # does anyone read the explanation sample?
        ctx = self.quarter_context()
        decisions_by_firm = dict(decisions_by_firm or {})
        decisions_by_firm = self.company.prepare(ctx, decisions_by_firm, self.state.quarter + 1)
        self.company.check(ctx, decisions_by_firm)
        self._check_decisions(decisions_by_firm)
        quarter = self.state.quarter + 1
        rng = self.streams.generator("market", quarter)
        if looking:
            before = self.market_inputs()
            start_share = sample_shares(self.state, self._explain_rows)
        happened = self.company.events(ctx, quarter)
        reactions = self.company.colleagues(ctx, decisions_by_firm, quarter)
        happened = [*happened, *reactions]
        deal_share = None
        if looking:
            if any(r["deals"] for r in reactions):  # the deals colleagues closed, measured
                deal_share = sample_shares(self.state, self._explain_rows)
            after_events = self.market_inputs()
        self._apply_decisions(decisions_by_firm)
        self.company.operate(ctx, decisions_by_firm, quarter)
        rivals = functools.partial(self.streams.generator, "competitors", quarter)  # if drawn
        moves = decide_competitors(ctx, quarter, rivals, words=self.explain)
        self._segment_dynamics(rng)
        installed = self.state.installed()  # awareness and entry leave every product's users
        self._awareness(rng, installed)
        self._entry(rng)
        if looking:
            sample = ExplainSample.capture(self.state, self._explain_rows, installed)
            after = self.market_inputs()
            if probe is not None:
                probe(ctx, sample, after)
        inm = _InMarket.of(self.state.segments)  # choice moves nobody in or out of the market
        utilities = self._choose(rng, installed, inm)
        before_choice, installed = installed, self.state.installed()
        utilities = self._end_of_quarter(utilities, before_choice, installed, inm)
        self.state.quarter = quarter  # nothing moves customers until the next quarter
        economics = self._money(charge=True, installed=installed)
        self.market_history.record(self.state)
        report = self._report(quarter, utilities, economics, moves, installed, inm)
        report.events = list(happened)  # named by the events driver
        if self.explain:
            report.drivers = explain_quarter(
                ctx,
                sample,
                start_share,
                (before, after_events, after),
                self.history[-1],
                report,
                deal_share,
            )
        self.company.record(ctx, report)
        self.history.append(report)
        return report

    def _check_decisions(self, decisions_by_firm: Mapping[str, Decisions]) -> None:
        """Refuse decisions for firms no player runs; the firms' own decisions were checked by
        :func:`engine.decision_check.check` (through ``company.check``), the one check."""
        problems = []
        for firm_id in decisions_by_firm:
            firm = self.state.firms.get(firm_id)
            if firm is None:
                problems.append(f"unknown firm '{firm_id}'")
            elif firm.controller != "player":
                problems.append(f"firm '{firm_id}' is run by the computer")
        if problems:
            raise ValueError("; ".join(problems))

    def _apply_decisions(self, decisions_by_firm: Mapping[str, Decisions]) -> None:
        st = self.state
        for firm_id, dec in decisions_by_firm.items():
            for pid, pd in dec.products.items():
                product = st.products[st.product_index(pid)]
                if pd.price is not None:
                    product.price = float(pd.price)
                for seg_id, amount in pd.marketing.items():
                    product.marketing[self.segment_ids.index(seg_id)] = float(amount)
            st.decisions[firm_id] = dec

    def _segment_dynamics(self, rng: np.random.Generator) -> None:
        """Growth of M_s, the people it adds or removes, and drift of the ideal.

        x̄ ← clip(x̄ + v + σ·ε, 0, 1). The synthetic population follows M_s (grown here or
        moved by a market-size event) at a fixed number of real people per synthetic one:
        newcomers join outside the category (they enter through Bass like everyone else); a
        shrinking segment loses people in proportion across states (:meth:`Population.remove`).
        """
        segments = self.state.segments
        normals = []
        for s, seg in enumerate(segments):
            seg.size *= 1.0 + seg.growth
            self._resize(s, seg, rng)
            normals.append(rng.standard_normal(len(self.attribute_ids)))
        # every segment's drift at once (a row each); minimum/maximum: np.clip without its cost
        noise = np.array(normals) * self._layout.drift_noise
        moved = np.array([seg.ideal for seg in segments]) + self._layout.drift + noise
        for seg, ideal in zip(segments, np.minimum(np.maximum(moved, 0.0), 1.0), strict=True):
            seg.ideal = ideal

    def _resize(self, s: int, seg: SegmentState, rng: np.random.Generator) -> None:
        """Add or remove synthetic people so that alive·scale tracks M_s (fractions carried)."""
        pop = seg.population
        change = seg.size / seg.scale - pop.alive + pop.size_carry
        k = int(change)  # toward zero: the rest waits in the carry
        pop.size_carry = change - k
        self._last_joined[s] = max(k, 0) * seg.scale
        self._last_left[s] = self._last_left_customers[s] = 0.0
        if k > 0:
            pop.add(seg.spec, k, rng)
        elif k < 0:
            states = pop.remove(-k, rng)
            self._last_left[s] = states.size * seg.scale
            self._last_left_customers[s] = float((states >= 0).sum()) * seg.scale

    def _awareness(self, rng: np.random.Generator, installed: np.ndarray) -> None:
        """Goodwill and awareness of every product in every segment (``installed``: now)."""
        st = self.state
        adv = self.scenario.advertising
        # product × (goodwill, marketing, news) × segment, every segment at once
        shape = (len(st.products), 3, len(st.segments))
        rows = [(p.goodwill, p.marketing, p.news) for p in st.products]
        tables = np.array(rows, dtype=float).reshape(shape)
        reach = np.array([p.reach for p in st.products], dtype=float)[:, None]
        costs = np.array([self._point_cost(seg) for seg in st.segments])
        goodwill = aw.next_goodwill(tables[:, 0], tables[:, 1] * reach, adv, costs)
        goodwill += tables[:, 2]
        sizes = np.array([seg.size for seg in st.segments])
        targets = aw.awareness_target(goodwill, (installed / sizes[:, None]).T, adv)
        aw.update_awareness([seg.population for seg in st.segments], targets, adv.forgetting, rng)
        for j, product in enumerate(st.products):
            product.goodwill[:] = goodwill[j]
            product.news[:] = 0.0

    def _entry(self, rng: np.random.Generator) -> None:
        """Bass entry over the quarter: F ← bass_step(F) of the people in the segment enter
        (p, q per year; fractions of a synthetic customer carried over)."""
        for s, seg in enumerate(self.state.segments):
            pop = seg.population
            outside = (~(pop.in_market | pop.gone)).nonzero()[0]
            alive = pop.alive
            adopted = (alive - outside.size) / max(alive, 1)
            after = bass_step(adopted, seg.spec.bass_p, seg.spec.bass_q)
            expected = (after - adopted) * alive + pop.entry_carry
            k = min(int(expected), outside.size)
            pop.entry_carry = expected - k if k < outside.size else 0.0
            if k:
                entrants = rng.choice(outside, size=k, replace=False)
                pop.in_market[entrants] = True
                pop.fresh[entrants] = True
            self._last_entered[s] = k * seg.scale

    def _choose(
        self, rng: np.random.Generator, installed: np.ndarray, inm: _InMarket
    ) -> np.ndarray:
        """Churn triggers and re-choice for every in-market customer (``installed``: before
        choice; ``inm``: the in-market customers).

        Returns the utilities before choice; :meth:`_end_of_quarter` moves them to the end
        of the quarter, which satisfaction and NPS are measured on.
        """
        st = self.state
        segments = st.segments
        n_prod = len(st.products)
        utilities = self._utilities(installed, inm)
        current_all = inm.gather(segments, "current")
        aware_all = inm.gather(segments, "aware")
        new_all, movers_all = market.choose_segments(
            utilities,
            current_all,
            inm.gather(segments, "fresh"),
            self._options(aware_all),
            inm.gather(segments, "theta"),
            inm.sizes,
            [seg.spec for seg in segments],
            self.scenario.choice.churn_gap,
            rng,
        )
        scale = np.array([seg.scale for seg in segments])
        changed = new_all != current_all
        self._last_churned[:] = inm.per_segment((current_all >= 0) & changed) * scale
        self._last_choosers[:] = inm.per_segment(movers_all) * scale
        picked = new_all[movers_all]
        took = picked >= 0  # a product, not the outside option
        chosen = np.bincount(
            inm.labels[movers_all[took]] * n_prod + picked[took], minlength=len(segments) * n_prod
        )
        self._last_chosen[:] = chosen.reshape(len(segments), n_prod) * scale[:, None]
        tenure_all = inm.gather(segments, "tenure") + 1
        without = new_all < 0
        tenure_all[changed | without] = 0
        # users know their product: awareness made every user aware of theirs this quarter,
        # so only those who switched to a product can learn one
        switched = changed & ~without
        start = 0
        for seg, inside in zip(segments, inm.insides, strict=True):
            pop = seg.population
            end = start + inside.size
            new_current = new_all[start:end]
            pop.current[inside] = new_current
            pop.tenure[inside] = tenure_all[start:end]
            learnt = switched[start:end]
            pop.aware[new_current[learnt], inside[learnt]] = True
            pop.fresh[:] = False
            start = end
        inm.known.clear()  # the population moved on: keep what is known of it after choice
        inm.known["current"] = new_all
        own = market.owners(new_all, n_prod)
        inm.known["owners"] = own  # not a population array: who uses what, for loyalty
        inm.known["aware"] = aware_all | own  # users know theirs
        return utilities

    def _end_of_quarter(
        self, utilities: np.ndarray, installed: np.ndarray, after: np.ndarray, inm: _InMarket
    ) -> np.ndarray:
        """The utilities after choice (every segment's in-market customers side by side, as
        ``inm`` lists them): only the network term moves (installed bases changed from
        ``installed`` to ``after``), so the pre-choice utilities get
        β_N·(ln(1 + installed′/M) − ln(1 + installed/M)), in place."""
        weight = self.scenario.choice.network_weight
        if weight == 0.0:
            return utilities
        start = 0
        for s, seg in enumerate(self.state.segments):
            shift = weight * (np.log1p(after[s] / seg.size) - np.log1p(installed[s] / seg.size))
            end = start + inm.sizes[s]
            utilities[:, start:end] += shift.astype(np.float32)[:, None]
            start = end
        return utilities

    # ------------------------------------------------------------------ money
    def _run_rate_economics(self) -> dict[str, dict[str, float]]:
        """Quarter-0 figures: one quarter at the starting run-rate of every cost (serving the
        starting customers, marketing at the starting spend — a rival's budget —, payroll),
        without touching cash, so quarter 1 compares like with like."""
        return self._money(charge=False)

    def _marketing_cost(self, firm: FirmState, run_rate: bool) -> float:
        """The quarter's marketing spend; at the run-rate a rival spends its budget."""
        st = self.state
        if run_rate and firm.controller == "ai" and firm.archetype is not None:
            return float(firm.archetype.marketing) if firm.products else 0.0
        # plain floats: numpy's sum of each product's spend, bit for bit (engine.scalars)
        return float(sum(pairwise_sum(st.products[j].marketing.tolist()) for j in firm.products))

    def _money(
        self, charge: bool, installed: np.ndarray | None = None
    ) -> dict[str, dict[str, float]]:
        """Revenue, costs and profit per firm (and per product revenue); charges cash if asked
        (``charge=False``: the quarter-0 run-rate, see :meth:`_run_rate_economics`)."""
        st = self.state
        # plain floats: the same products and sums as numpy's scalars, without their overhead
        customers = (st.installed() if installed is None else installed).sum(axis=0).tolist()
        out: dict[str, dict[str, float]] = {}
        for firm in st.firms.values():
            revenue = sum(customers[j] * st.products[j].price for j in firm.products)
            costs = {
                "serving": float(
                    sum(customers[j] * st.products[j].unit_cost for j in firm.products)
                ),
                "marketing": self._marketing_cost(firm, run_rate=not charge),
            }
            other = firm.other_costs if charge else self.company.run_rate_costs(firm.id)
            for name, amount in other.items():
                costs[name] = costs.get(name, 0.0) + float(amount)
            profit = float(revenue) - sum(costs.values())
            if charge:
                firm.cash += profit
                firm.other_costs = {}
            out[firm.id] = {"revenue": float(revenue), "profit": profit, "costs": costs}
        return out

    # ------------------------------------------------------------------ report
    def _report(
        self,
        quarter: int,
        utilities: np.ndarray,
        economics: dict[str, dict[str, float]],
        moves: list[CompetitorMove],
        installed: np.ndarray | None = None,
        inm: _InMarket | None = None,
    ) -> TurnReport:
        """The quarter's report: products, firms and segments as the market now stands
        (``installed`` and ``inm``, the in-market customers, when the caller has them)."""
        st = self.state
        installed = st.installed() if installed is None else installed
        inm = inm or _InMarket.of(st.segments)
        in_market = [n * seg.scale for n, seg in zip(inm.sizes, st.segments, strict=True)]
        loyalty = self._loyalty(utilities, inm)
        share_seg = installed / np.maximum(in_market, 1e-12)[:, None]
        # plain floats from here on, one tolist per table: per product (the column sums are
        # numpy's sum over segments, bit for bit), per segment × product and per segment
        customers = installed.sum(axis=0).tolist()
        return TurnReport(
            quarter=quarter,
            firms=self._firm_results(customers, share_seg, in_market, loyalty, economics),
            products=self._product_results(customers, installed, share_seg, loyalty),
            segments=self._segment_results(installed, in_market),
            competitor_moves=moves,
        )

    def _loyalty(self, utilities: np.ndarray, inm: _InMarket) -> _Loyalty:
        """Satisfaction, promoters and detractors of each product's customers (real counts;
        ``inm``: the in-market customers). One pass over every segment's customers side by
        side (the segments' switching costs and outside utilities per customer), then each
        segment's sums are scaled to real people and added segment after segment."""
        st = self.state
        segments = st.segments
        n_seg, n_prod = len(segments), len(st.products)
        specs = [seg.spec for seg in segments]
        current = inm.gather(segments, "current")
        gap = market.satisfaction_gap(
            utilities,
            current,
            self._options(inm.gather(segments, "aware")),
            market.per_customer([s.switching_cost for s in specs], inm.sizes),
            market.per_customer([s.outside_utility for s in specs], inm.sizes),
            inm.known.get("owners"),  # after choice: known
        )
        owners = current >= 0
        bins = inm.labels[owners] * n_prod + current[owners]  # (segment, product) pairs
        g = gap[owners]
        # satisfaction, promoters and detractors in one bincount: each sum is its own bin
        n_bins = n_seg * n_prod
        weights = np.concatenate([1.0 / (1.0 + np.exp(-g)), g >= NPS_PROMOTER_GAP, g < 0.0])
        which = np.concatenate([bins, bins + n_bins, bins + 2 * n_bins])
        sums = np.bincount(which, weights, 3 * n_bins).reshape(3, n_seg, n_prod)
        rows = sums * np.array([seg.scale for seg in segments])[:, None]
        total = rows[:, 0].copy()  # Σ per product, scaled, added segment by segment
        for s in range(1, n_seg):
            total += rows[:, s]
        return _Loyalty(total[0], total[1], total[2])

    def _product_results(
        self,
        customers: list[float],
        installed: np.ndarray,
        share_seg: np.ndarray,
        loyalty: _Loyalty,
    ) -> dict[str, ProductResult]:
        """Every product's figures; ``customers`` per product, ``installed`` and ``share_seg``
        segment × product.

        The segment × product tables become per-product lists of plain floats in one
        ``tolist`` each (the same numbers as reading them one by one)."""
        st = self.state
        segment_ids = self.segment_ids
        # the share of each segment's people aware of each product (exact: counts over n),
        # a row at a time (count_nonzero is slow with ``axis=``), then per product
        shares = []
        for seg in st.segments:
            pop = seg.population
            n = pop.n
            shares.append([np.count_nonzero(row) / n for row in pop.aware])
        aware = zip(*shares, strict=True)
        rows = zip(
            st.products,
            customers,
            loyalty.satisfaction.tolist(),
            installed.T.tolist(),
            share_seg.T.tolist(),
            aware,
            self._last_chosen.T.tolist(),
            strict=True,
        )
        products = {}
        for p, cust, satisfaction, by_segment, share, aware_j, chosen in rows:
            products[p.id] = ProductResult(
                id=p.id,
                name=p.name,
                firm=p.firm,
                price=float(p.price),
                unit_cost=float(p.unit_cost),
                quality=float(p.quality),
                attributes=self._named(p.attributes, self.attribute_ids),
                revenue=float(cust * p.price),
                customers=cust,
                customers_by_segment=dict(zip(segment_ids, by_segment, strict=True)),
                share_by_segment=dict(zip(segment_ids, share, strict=True)),
                awareness_by_segment=dict(zip(segment_ids, aware_j, strict=True)),
                marketing_by_segment=self._named(p.marketing, segment_ids),
                satisfaction=satisfaction / cust if cust > 0 else 0.0,
                chosen_by_segment=dict(zip(segment_ids, chosen, strict=True)),
            )
        return products

    def _firm_results(
        self,
        customers: list[float],
        share_seg: np.ndarray,
        in_market: list[float],
        loyalty: _Loyalty,
        economics: dict[str, dict[str, float]],
    ) -> dict[str, FirmResult]:
        """Every firm's figures: its products' customers, shares and loyalty, and its money."""
        st = self.state
        # per product, as plain floats: customers, satisfaction, promoters, detractors and
        # the share in each segment; a firm's figure is numpy's sum over its products, bit
        # for bit (engine.scalars)
        figures = list(
            zip(
                customers,
                loyalty.satisfaction.tolist(),
                loyalty.promoters.tolist(),
                loyalty.detractors.tolist(),
                *share_seg.tolist(),
                strict=True,
            )
        )
        marketing = [pairwise_sum(p.marketing.tolist()) for p in st.products]
        # a numpy scalar, as the array sum it replaces: a firm's share keeps its type (the
        # balance goldens print it)
        total_in = max(np.float64(pairwise_sum(in_market)), 1e-12)
        firms = {}
        for firm in st.firms.values():
            js = firm.products
            mine = [figures[j] for j in js]
            cust, sat, prom, det, *by_segment = (
                [pairwise_sum(column) for column in zip(*mine, strict=True)]
                if mine
                else [0.0] * (4 + len(self.segment_ids))
            )
            econ = economics[firm.id]
            firms[firm.id] = FirmResult(
                id=firm.id,
                name=firm.name,
                controller=firm.controller,
                revenue=econ["revenue"],
                costs=econ["costs"],
                profit=econ["profit"],
                cash=float(firm.cash),
                customers=cust,
                share=cust / total_in,
                share_by_segment=dict(zip(self.segment_ids, by_segment, strict=True)),
                satisfaction=sat / cust if cust > 0 else 0.0,
                nps=100.0 * (prom - det) / cust if cust > 0 else 0.0,
                marketing=float(sum(marketing[j] for j in js)),
            )
        return firms

    def _segment_results(
        self, installed: np.ndarray, in_market: list[float]
    ) -> dict[str, SegmentResult]:
        """Every segment's size, buyers, entries, churn and (hidden) ideal (plain floats:
        the quarter's per-segment arrays read by one tolist each)."""
        flows = zip(
            self.state.segments,
            in_market,
            [pairwise_sum(row) for row in installed.tolist()],  # numpy's row sums
            self._last_entered.tolist(),
            self._last_churned.tolist(),
            self._last_joined.tolist(),
            self._last_left.tolist(),
            self._last_left_customers.tolist(),
            self._last_choosers.tolist(),
            strict=True,
        )
        return {
            seg.id: SegmentResult(
                id=seg.id,
                name=seg.name,
                size=float(seg.size),
                in_market=float(n),
                buyers=buyers,
                entered=entered,
                churned=churned,
                ideal=self._named(seg.ideal, self.attribute_ids),
                joined=joined,
                left=left,
                left_customers=left_customers,
                choosers=choosers,
            )
            for seg, n, buyers, entered, churned, joined, left, left_customers, choosers in flows
        }

    @staticmethod
    def _named(values: np.ndarray | list[float], names: list[str]) -> dict[str, float]:
        return dict(zip(names, np.asarray(values, dtype=float).tolist(), strict=True))


@functools.lru_cache(maxsize=256)
def sample_rows(n: int) -> np.ndarray:
    """Evenly spaced rows of a population of ``n`` for the expected-share model (read-only:
    the array is shared by every simulation whose segment has ``n`` rows)."""
    rows = np.unique(np.linspace(0, n - 1, min(n, EXPLAIN_SAMPLE)).astype(np.int64))
    rows.setflags(write=False)
    return rows


def seat_jointly(
    log_prob: np.ndarray, wants: np.ndarray, ids: list[str], rng: np.random.Generator
) -> np.ndarray:
    """Seat ``wants[j]`` customers on each product j at once; returns each customer's product.

    Gumbel keys log P_ij + g_ij rank every (customer, product) pair; in rounds, each free
    customer asks for its best-keyed product that still has seats, and each product takes its
    best-keyed askers up to its seats. The keys are drawn in the order of the product ids, so
    the seating does not depend on the order products appear in the file.
    """
    n_prod, n = log_prob.shape
    by_id = sorted(range(n_prod), key=lambda j: ids[j])
    keys = np.empty_like(log_prob)
    keys[by_id] = log_prob[by_id] + rng.gumbel(size=(n_prod, n))
    seats = np.minimum(np.maximum(wants, 0), n).astype(np.int64)
    out = np.full(n, NO_PRODUCT, dtype=np.int16)
    free = np.ones(n, dtype=bool)
    while seats.sum() > 0 and free.any():
        open_keys = np.where((seats > 0)[:, None] & free[None, :], keys, -np.inf)
        ask = open_keys.argmax(axis=0)
        asking = free & np.isfinite(open_keys.max(axis=0))
        if not asking.any():
            break
        for j in np.flatnonzero(seats > 0):
            askers = np.flatnonzero(asking & (ask == j))
            if askers.size == 0:
                continue
            take = askers
            if take.size > seats[j]:  # else every asker gets a seat
                take = take[np.argsort(-keys[j, take], kind="stable")[: seats[j]]]  # best first
            out[take] = j
            free[take] = False
            seats[j] -= take.size
    return out
