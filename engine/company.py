"""The player firms' side of a quarter: organisation, roadmap, discovery, events, portfolio.

:class:`Company` is owned by :class:`engine.simulation.Simulation` and called at fixed
points of its quarter, with the simulation's :class:`engine.quarter.QuarterContext`:

* :meth:`Company.prepare` — in the CPO role, the AI PMs fill each line's decisions (price,
  marketing, roadmap, split, research) following the CPO's theme, with their skill;
* :meth:`Company.check` — every problem with the decisions (:mod:`engine.decision_check`);
  errors raise :class:`DecisionError`, warnings go into the report;
* :meth:`Company.events` — due events are applied to the market and the organisation;
* :meth:`Company.operate` — sunset, mentoring, staffing, initiatives, research, bets, roadmap
  work, debt, culture, morale, attrition and breakthroughs; shipped items move product
  attributes and quality, and every cost lands in ``firm.other_costs`` before the economics;
* :meth:`Company.record` — the organisation results, events and objective status are put in
  the quarter's report and the KPIs kept for scoring.

Random streams (subsystem, quarter, firm index[, purpose]): roadmap truth ``roadmap`` at
quarter 0; ``organisation`` (0: people, 1: bets, 2: AI PMs); ``research``; ``events``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np

from engine import (
    awareness,
    decision_check,
    events,
    organisation,
    phrases,
    portfolio,
    research,
    roadmap,
    scoring,
    stakeholders,
)
from engine import lines as story
from engine.decisions import Decisions, Names, ProductDecision, study
from engine.memo import per_scenario
from engine.phrases import say
from engine.population import NO_PRODUCT
from engine.quarter import QuarterContext
from engine.records import evolve
from engine.report import (
    ColleagueResult,
    LineResult,
    OrgResult,
    PeopleResult,
    PromiseResult,
    RequestResult,
    TurnReport,
)
from engine.scalars import clip, mean
from engine.scenario import BacklogItem, CultureShock, Effect, Organisation, Product
from engine.state import ProductState


class DecisionError(ValueError):
    """Decisions the simulation refuses; ``problems`` lists every one of them."""

    def __init__(self, problems: list[decision_check.Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class Book:
    """Everything the company side keeps about one player firm."""

    index: int
    org: organisation.OrgState
    roadmap: roadmap.RoadmapState
    belief: research.Belief
    prior_error: float
    lines: list[str]
    bets: portfolio.BetState = field(default_factory=portfolio.BetState)
    start_prices: dict[str, float] = field(default_factory=dict)
    start_skill: float = 0.5
    kpis: list[dict[str, float]] = field(default_factory=list)
    records: list[scoring.Record] = field(default_factory=list)
    cumulative_profit: float = 0.0
    quarter: OrgResult | None = None
    start_kpis: dict[str, float] = field(default_factory=dict)
    people: stakeholders.PeopleState = field(
        default_factory=lambda: stakeholders.PeopleState(colleagues={}, lines=())
    )
    facts: list[stakeholders.Facts] = field(default_factory=list)  # what promises are checked on
    mods: stakeholders.Modifiers = field(
        default_factory=stakeholders.Modifiers
    )  # trust at work now
    item_views: dict[tuple[str, float, float, float], portfolio.ItemView] = field(
        default_factory=dict
    )  # (item, PM skill, progress, honesty) -> the item as the PM sees it (see _item_view)


@dataclass(frozen=True)
class _Opening:
    """What a player firm's :class:`Book` starts from that no seed changes: built once per
    (scenario, role) and shared by its playthroughs (every part immutable)."""

    firm: str
    lines: tuple[str, ...]  # the lines it runs in the role, in scenario order
    products: tuple[str, ...]  # all its products
    org: organisation.OrgState
    belief: research.Belief
    prior_error: float
    prices: Mapping[str, float]  # each product's starting price
    skill: float  # the lines' mean PM skill


@dataclass(frozen=True)
class OrgView:
    """What the player (or a bot) may see of their own organisation before deciding."""

    role: str
    culture: Mapping[str, float]
    lines: Mapping[str, portfolio.LineView]
    pm_styles: Mapping[str, str]
    headcount: int
    initiatives_running: tuple[str, ...]
    bets_resolved: Mapping[str, bool]
    people: PeopleResult | None = None  # colleagues, their open requests and promises now


class Company:
    """The organisation side of every player firm in one simulation."""

    def __init__(self, ctx: QuarterContext, words: bool = True) -> None:
        """``words=False`` (headless batch runs) leaves out what only a person reads each
        quarter: the objectives' status in the quarter's report and the lines' stories.
        Every number, decision and score stays the same."""
        sc = ctx.scenario
        self.words = words
        self.scenario = sc
        self.role = ctx.role
        self.fired: frozenset[str] = frozenset()
        self.injected: list[str] = []
        self.event_log: list[dict[str, object]] = []
        self.warnings: dict[str, list[str]] = {}
        self.books: dict[str, Book] = {}
        self.names = per_scenario(sc, ("names", phrases.language()), lambda: Names.of(sc))
        found = decision_check.lookups(sc)  # the scenario's records by id, built once
        self.backlog = found.backlog
        self.specs = found.products  # every product by id
        self.research_methods = tuple(sc.research)  # what every line view offers (immutable)
        openings = per_scenario(sc, ("openings", ctx.role), lambda: self._openings(ctx))
        for i, start in enumerate(openings):
            lines = list(start.lines)
            self.books[start.firm] = Book(
                index=i,
                org=start.org,
                roadmap=roadmap.initial_state(sc, lines, ctx.streams.generator("roadmap", 0, i)),
                belief=start.belief,
                prior_error=start.prior_error,
                lines=lines,
                start_prices=dict(start.prices),
                start_skill=start.skill,
                people=stakeholders.initial_state(sc, ctx.role, lines, start.products),
            )

    def _openings(self, ctx: QuarterContext) -> tuple[_Opening, ...]:
        """Each player firm's seed-free start (``ctx`` at quarter 0: the truth the prior
        belief is measured against is the scenario's own)."""
        sc = ctx.scenario
        out = []
        for firm in sc.player_firms():
            lines = [p.id for p in firm.products if ctx.role in p.roles and p.team is not None]
            org = organisation.initial_state(firm, sc.organisation)
            org = evolve(org, teams={k: v for k, v in org.teams.items() if k in lines})
            belief = research.prior(sc, firm.id)
            truth = self._truth(ctx, firm.id)
            out.append(
                _Opening(
                    firm=firm.id,
                    lines=tuple(lines),
                    products=tuple(p.id for p in firm.products),
                    org=org,
                    belief=belief,
                    prior_error=research.error(belief, truth).overall,
                    prices=MappingProxyType({p.id: p.price for p in firm.products}),
                    skill=_mean_skill(org, lines),
                )
            )
        return tuple(out)

    def run_rate_costs(self, firm: str) -> dict[str, float]:
        """The organisation's costs of one quarter at the starting run-rate (payroll), for the
        quarter-0 report; empty for a firm no player runs."""
        book = self.books.get(firm)
        if book is None:
            return {}
        return {"payroll": organisation.salary_cost(book.org, self.scenario.organisation)}

    def start(self, ctx: QuarterContext, report: TurnReport) -> None:
        """Keep each player firm's quarter-0 KPIs: where objectives start from."""
        for firm, book in self.books.items():
            book.start_kpis = self._kpis(report, firm, book)
            if book.people.active:
                for person in book.people.colleagues.values():
                    person.timeline.append(person.trust)
                rng = ctx.streams.generator("people", 0, book.index, 0)
                stakeholders.ask(book.people, 1, book.start_kpis, rng)
                report.people[firm] = self._people_result(firm, book)

    # ------------------------------------------------------------------ views
    def _truth(self, ctx: QuarterContext, firm: str) -> research.Truth:
        st = ctx.state
        attrs = ctx.attribute_ids
        return research.Truth(  # tolist(): the same floats as float() of each element
            ideals={s.id: dict(zip(attrs, s.ideal.tolist(), strict=True)) for s in st.segments},
            weights={s.id: dict(zip(attrs, s.weights.tolist(), strict=True)) for s in st.segments},
            price_sensitivity={s.id: float(s.price_sensitivity) for s in st.segments},
            competitors={
                p.id: dict(zip(attrs, p.attributes.tolist(), strict=True))
                for p in st.products
                if p.firm != firm
            },
        )

    def line_view(self, ctx: QuarterContext, firm: str, line: str) -> portfolio.LineView:
        """What the PM of ``line`` sees now."""
        book = self.books[firm]
        st = ctx.state
        product = st.products[st.product_index(line)]
        team = book.org.teams[line]
        params = self.scenario.organisation
        backlog = self.backlog
        honesty = stakeholders.modifiers(book.people).estimates if book.people.active else 1.0
        items = []
        states = book.roadmap.items
        for item_id in book.roadmap.open_ids():
            s = states[item_id]
            if s.product != line:
                continue
            key = (item_id, team.pm_skill, s.progress, honesty)
            view = book.item_views.get(key)
            if view is None:
                view = book.item_views[key] = _item_view(s, backlog[item_id], key[1], honesty)
            items.append(view)
        last = ctx.history[-1].products.get(line)
        return portfolio.LineView(
            product=line,
            quarter=st.quarter + 1,
            quarters=self.scenario.quarters,
            price=float(product.price),
            start_price=book.start_prices[line],
            attributes=dict(zip(ctx.attribute_ids, product.attributes.tolist(), strict=True)),
            marketing=dict(zip(ctx.segment_ids, product.marketing.tolist(), strict=True)),
            start_marketing=dict(ctx.history[0].products[line].marketing_by_segment),
            customers=dict(last.customers_by_segment) if last else {},
            potential={s.id: s.size * s.spec.reference_price for s in st.segments},
            belief=book.belief,
            items=items,
            shipped=frozenset(book.roadmap.shipped_ids()),
            capacity=organisation.capacity(team, book.org.culture, params),
            feature_rate=organisation.feature_points(team, book.org.culture, 1.0, params),
            tech_debt=team.tech_debt,
            debt_half=params.debt_half,
            research=self.research_methods,
            cash=float(st.firms[firm].cash),
            skill=team.pm_skill,
        )

    def view(self, ctx: QuarterContext, firm: str) -> OrgView | None:
        """The organisation view of a player firm (None for AI firms)."""
        book = self.books.get(firm)
        if book is None:
            return None
        styles = {}
        for line in book.lines:  # the firm's lines, in scenario order
            team = self._spec(line).team
            if team and team.pm:
                styles[line] = team.pm.style
        return OrgView(
            role=self.role,
            culture=dict(book.org.culture),
            lines={line: self.line_view(ctx, firm, line) for line in book.lines},
            pm_styles=styles,
            headcount=book.org.headcount,
            initiatives_running=tuple(p.initiative for p in book.org.pending),
            bets_resolved=dict(book.bets.resolved),
            people=self._people_result(firm, book) if book.people.active else None,
        )

    # ------------------------------------------------------------------ decisions
    def prepare(
        self, ctx: QuarterContext, decisions_by_firm: Mapping[str, Decisions], quarter: int
    ) -> dict[str, Decisions]:
        """Fill in the AI PMs' line decisions when the player is CPO (see :meth:`_planned`)."""
        out = dict(decisions_by_firm)
        if self.role != "cpo":
            return out
        for firm, book in self.books.items():
            dec = out.get(firm) or Decisions()
            out[firm] = dec.model_copy(update={"products": self._planned(ctx, book, dec, quarter)})
        return out

    def _planned(
        self, ctx: QuarterContext, book: Book, dec: Decisions, quarter: int
    ) -> dict[str, ProductDecision]:
        """Each line's decision as it will be played.

        As CPO the AI PM decides every line field the CPO left unset; a field the CPO set
        explicitly (hires and layoffs, or an override such as a price) is kept as the CPO
        gave it. As PM the player's own decisions are played as they are.
        """
        products = dict(dec.products)
        if self.role != "cpo":
            return products
        rng = ctx.streams.generator("organisation", quarter, book.index, 2)
        for line in book.lines:
            if line in dec.sunset:
                continue
            policy = self._policy(book, dec, line)
            planned = portfolio.plan_line(self.line_view(ctx, book.org.firm, line), policy, rng)
            own = products.get(line) or ProductDecision()
            products[line] = planned.model_copy(
                update={f: getattr(own, f) for f in own.model_fields_set}
            )
        return products

    def _policy(self, book: Book, dec: Decisions, line: str) -> portfolio.Policy:
        """The AI PM's policy for ``line``: its style, the CPO's theme, its skill now."""
        team = self._spec(line).team
        style = team.pm.style if team and team.pm else "builder"
        return portfolio.policy_for(dec.themes.get(line), style, book.org.teams[line].pm_skill)

    def _spec(self, line: str) -> Product:
        """The scenario's product ``line``."""
        return self.specs[line]

    def outlook(self, ctx: QuarterContext, firm: str, dec: Decisions) -> story.Outlook:
        """The portfolio before the quarter is played with ``dec``: each line's plan (the AI
        PMs' as they will play it) with its reasons and numbers, the bets and incubation."""
        book = self._after_colleagues(self.books[firm], ctx.state.quarter + 1)
        products = self._planned(ctx, book, dec, ctx.state.quarter + 1)
        engineers = portfolio.incubating(dec.incubation, dec.bets, book.bets.resolved)
        lent = _lend(book.org, book.lines, engineers)
        plans = {
            line: self._line_plan(ctx, book, dec, line, products.get(line), lent)
            for line in book.lines
        }
        return story.Outlook(
            lines=plans,
            bets=self._bet_status(book, dec),
            incubation=dec.incubation,
            lent=lent,
            incubation_text=story.incubation_words(dec.incubation, engineers, lent, self.names),
            morale=float(book.org.culture["morale"]),
        )

    def _after_colleagues(self, book: Book, quarter: int) -> Book:
        """``book`` as the colleagues' phase will leave its culture at the start of ``quarter``
        (trust's culture shifts, then the queued reactions' culture changes), for the outlook:
        the plan shown is the plan played. A copy; ``book`` is not changed."""
        if not book.people.active:
            return book
        org = book.org
        for dim, change in stakeholders.modifiers(book.people).culture.items():
            org = organisation.shift_culture(org, dim, change)
        for c in book.people.pending:
            if c.quarter <= quarter:
                for eff in c.effects:
                    if isinstance(eff, CultureShock) and eff.firm in ("player", book.org.firm):
                        org = organisation.shift_culture(org, eff.dimension, eff.change)
        return replace(book, org=org)

    def _line_plan(
        self,
        ctx: QuarterContext,
        book: Book,
        dec: Decisions,
        line: str,
        pd: ProductDecision | None,
        lent: Mapping[str, int],
    ) -> story.LinePlan:
        """One line's plan (``pd``, as it will be played), its reasons and where it stands."""
        pd = pd or ProductDecision()
        team = book.org.teams[line]
        spec = self._spec(line)
        pm = spec.team.pm if spec.team else None
        facts = self._facts(book.org, book.roadmap, line, pd, lent.get(line, 0))
        items = story.planned_items(
            facts.roadmap, book.roadmap, self.backlog, facts.available, self.names
        )
        open_ids = [i for i in book.roadmap.open_ids() if book.roadmap.items[i].product == line]
        sunset = line in dec.sunset
        reasons = (
            [say("company.sunset")]
            if sunset
            else story.plan_reasons(
                facts,
                items,
                story.left_out(open_ids, facts.roadmap, book.roadmap, self.backlog, self.names),
            )
        )
        price = float(ctx.state.products[ctx.state.product_index(line)].price)
        n = self.names
        history = ctx.history
        return story.LinePlan(
            product=line,
            name=spec.name,
            pm=pm.name if pm else "",
            style=pm.style if pm else "",
            theme=dec.themes.get(line, ""),
            pm_skill=team.pm_skill,
            start_skill=pm.skill if pm else team.pm_skill,
            headcount=team.headcount,
            tech_debt=team.tech_debt,
            items=() if sunset else items,
            planned=facts.planned,
            capacity=facts.available,
            split=pd.split,
            research=tuple(study(n, r.method, r.segment) for r in pd.research),
            price=price if pd.price is None else float(pd.price),
            price_before=price,
            headline=reasons[0] if sunset else story.headline(items, reasons, facts.available),
            reasons=tuple(reasons),
            context=() if sunset else tuple(story.context_reasons(facts)),
            now=self._line_kpis(history[-1], book.org.firm, line),
            before=self._line_kpis(history[-2], book.org.firm, line) if len(history) > 1 else None,
            last=_last_result(history[-1], book.org.firm, line),
            sunset=sunset,
        )

    def _facts(
        self,
        org: organisation.OrgState,
        state: roadmap.RoadmapState,
        line: str,
        pd: ProductDecision,
        lent: int,
    ) -> story.LineFacts:
        """What ``line``'s plan and quarter are told from, with ``state`` before the work."""
        params = self.scenario.organisation
        team = org.teams[line]
        available = organisation.feature_points(
            _working(team, lent), org.culture, pd.split.features, params
        )
        plan = [i for i in pd.roadmap if i in state.items]
        ai = self.role == "cpo"
        return story.LineFacts(
            roadmap=plan,
            split=pd.split,
            planned=roadmap.committed_effort(plan, state, self.backlog, available),
            available=available,
            tech_debt=team.tech_debt,
            debt_factor=organisation.debt_factor(team.tech_debt, params),
            lent=lent,
            skill=team.pm_skill,
            ai=ai,
            naive=ai and team.pm_skill < portfolio.NAIVE_SKILL,
        )

    def _line_kpis(self, report: TurnReport, firm: str, line: str) -> story.LineKpis | None:
        """``line``'s market numbers in ``report``, its payroll at that quarter's headcount."""
        result = _last_result(report, firm, line)
        team = self._spec(line).team
        heads = result.headcount if result else (team.engineers + team.new_hires if team else 0)
        return story.line_kpis(report, line, heads, self.scenario.organisation.salary)

    def _bet_status(self, book: Book, dec: Decisions) -> tuple[story.BetStatus, ...]:
        """Every bet as it stands: quarters funded, outcome, chance with the draft's team."""
        culture = book.org.culture
        out = []
        for bet in self.scenario.bets:
            mine = [i for i in bet.unlocks if i in book.roadmap.items]
            out.append(
                story.BetStatus(
                    id=bet.id,
                    name=bet.name,
                    cost=bet.cost,
                    quarters=bet.quarters,
                    funded=book.bets.funded.get(bet.id, 0),
                    chance=portfolio.bet_chance(
                        bet, culture["innovation"], culture["capability"], dec.incubation
                    ),
                    outcome=book.bets.resolved.get(bet.id),
                    funding=bet.id in dec.bets and bet.id not in book.bets.resolved,
                    unlocks=tuple(self.names.items.get(i, i) for i in mine),
                )
            )
        return tuple(out)

    def context(self, ctx: QuarterContext, firm: str) -> decision_check.Context:
        """What the decision check needs to know about ``firm`` now."""
        book = self.books[firm]
        return decision_check.Context(
            role=self.role,  # type: ignore[arg-type]
            firm=firm,
            cash=float(ctx.state.firms[firm].cash),
            org=book.org,
            roadmap=book.roadmap,
            lines=tuple(book.lines),
            resolved_bets=frozenset(book.bets.resolved),
            requests={
                k: o for k, o in book.people.open.items() if o.asked == ctx.state.quarter + 1
            },
            trust={k: c.trust for k, c in book.people.colleagues.items()},
        )

    def problems(
        self, ctx: QuarterContext, firm: str, decisions: Decisions
    ) -> list[decision_check.Problem]:
        """Every problem with ``decisions`` for a player firm (errors first)."""
        return decision_check.check(decisions, self.context(ctx, firm), self.scenario)

    def check(self, ctx: QuarterContext, decisions_by_firm: Mapping[str, Decisions]) -> None:
        """Raise DecisionError listing every error; keep the warnings for the report."""
        errors: list[decision_check.Problem] = []
        self.warnings = {}
        for firm, dec in decisions_by_firm.items():
            if firm not in self.books:
                continue
            found = self.problems(ctx, firm, dec)
            errors += [evolve(p, where=f"{firm}.{p.where}") for p in found if p.severity == "error"]
            self.warnings[firm] = [
                decision_check.in_words(p, self.scenario) for p in found if p.severity == "warning"
            ]
        if errors:
            raise DecisionError(errors)

    # ------------------------------------------------------------------ events
    def inject(self, event_id: str) -> None:
        """Queue an event (by id) to happen at the start of the next quarter."""
        if event_id not in {e.id for e in self.scenario.events}:
            raise ValueError(f"unknown event '{event_id}'")
        self.injected.append(event_id)

    def events(self, ctx: QuarterContext, quarter: int) -> list[dict[str, object]]:
        """Apply the events due this quarter; return them with what each effect did."""
        if not self.injected and not any(
            e.probability is not None or e.quarter == quarter for e in self.scenario.events
        ):  # nothing can happen: no stream to make (each quarter's stream stands alone)
            self.event_log = []
            return []
        rng = ctx.streams.generator("events", quarter)
        due, self.fired = events.due(self.scenario, quarter, self.fired, self.injected, rng)
        injected = set(self.injected)
        self.injected = []
        world = _World(ctx, self, rng)
        log = []
        for event in due:
            log.append(
                {
                    "id": event.id,
                    "title": event.title,
                    "text": event.text,
                    "source": "injected"
                    if event.id in injected
                    else ("scheduled" if event.quarter == quarter else "random"),
                    "effects": events.apply(event, world, self.scenario),
                }
            )
        self.event_log = log
        return log

    # ------------------------------------------------------------------ colleagues
    def colleagues(
        self, ctx: QuarterContext, decisions_by_firm: Mapping[str, Decisions], quarter: int
    ) -> list[dict[str, object]]:
        """The colleagues' phase, right after the events: the player's answers to their
        requests are played, the reactions due now (promises kept or broken last quarter,
        declines and silences now) act through the same world as events, and trust does its
        work for the quarter (:func:`engine.stakeholders.modifiers`, with trust as it stood when
        the player decided: the outlook shows the same). Returns the reactions
        as event-log entries (``source`` ``people``), so the drivers name them."""
        out: list[dict[str, object]] = []
        for firm, book in self.books.items():
            if not book.people.active:
                continue
            dec = decisions_by_firm.get(firm) or Decisions()
            replies = {
                key: stakeholders.Reply(r.answer, r.due, r.smaller, r.reason)
                for key, r in dec.responses.items()
            }
            book.mods = stakeholders.modifiers(book.people)  # trust as the player saw it
            now = stakeholders.due_now(book.people, quarter)
            now += stakeholders.respond(book.people, replies, quarter)
            rng = ctx.streams.generator("people", quarter, book.index, 1) if now else None
            world = _World(ctx, self, rng)  # type: ignore[arg-type]
            for dim, change in book.mods.culture.items():
                world.culture(firm, dim, change)
            for line in book.lines:
                ctx.state.products[ctx.state.product_index(line)].reach = book.mods.reach
            applied = []
            for c in now:
                effects = [_own(eff, firm) for eff in c.effects]
                out.append(
                    {
                        "id": c.stakeholder,
                        "title": c.title,
                        "text": "",
                        "source": "people",
                        "effects": events.apply_effects(effects, world, self.scenario),
                        "deals": any(getattr(e, "type", "") == "deal" for e in effects),
                    }
                )
                applied.append(c.title)
            book.people.applied = applied
        self.event_log = [*self.event_log, *out]
        return out

    # ------------------------------------------------------------------ the quarter
    def operate(
        self, ctx: QuarterContext, decisions_by_firm: Mapping[str, Decisions], quarter: int
    ) -> None:
        """Run every player firm's organisation for the quarter (before the market moves)."""
        for firm, book in self.books.items():
            dec = decisions_by_firm.get(firm) or Decisions()  # made only when missing
            self._operate(ctx, firm, book, dec, quarter)

    def _operate(self, ctx: QuarterContext, firm: str, book: Book, dec: Decisions, q: int) -> None:
        """One player firm's organisation quarter, phase by phase.

        The phases run in a fixed order (it fixes the random draws and the order of the
        cost lines): sunset, mentoring, staffing, initiatives, research, bets, roadmap work,
        end of quarter (payroll, debt, culture, morale, attrition), breakthroughs, results.
        """
        params = self.scenario.organisation
        costs = ctx.state.firms[firm].other_costs
        rng = ctx.streams.generator("organisation", q, book.index, 0)
        for line in dec.sunset:
            self._sunset(ctx, book, line)
        org = _mentor(book.org, dec)
        org, staffing = _staff(org, book.lines, dec, params, costs)
        chosen = (
            [i for i in self.scenario.initiatives if i.id in dec.initiatives]
            if dec.initiatives
            else []
        )
        org, ini_cost, ini_effort = organisation.start_initiatives(org, chosen, q)
        _charge(costs, "initiatives", ini_cost * book.mods.costs)
        truth = self._truth(ctx, firm)
        findings, research_effort = self._research(ctx, book, dec, org, truth, q, costs)
        engineers = portfolio.incubating(dec.incubation, dec.bets, book.bets.resolved)
        bets, unlocked = self._bets(ctx, book, dec, org, q, costs)
        extra = _extra_effort(org, book.lines, research_effort, ini_effort)
        work, results = self._work(ctx, book, dec, org, extra, q, engineers)
        _charge(costs, "payroll", organisation.salary_cost(org, params))
        org, out = organisation.end_quarter(org, work, q, dec.hiring_freeze, params, rng)
        _charge(costs, "hiring", out.hiring_cost)
        ideas = _breakthroughs(book, out.breakthroughs)
        book.org = org
        _close_lines(results, org, out)
        done = _FirmQuarter(
            staffing=staffing,
            initiatives=[i.id for i in chosen],
            findings=findings,
            belief_error=research.error(book.belief, truth).overall,
            bets=bets,
            unlocked=unlocked,
            lines=results,
            end=out,
            ideas=ideas,
        )
        book.quarter = _org_result(firm, org, done, self.warnings.get(firm, []))
        book.records.append(_scoring_record(ctx, book, dec, done))
        if book.people.active:
            book.facts.append(_facts(book, dec, done, q))

    def _research(
        self,
        ctx: QuarterContext,
        book: Book,
        dec: Decisions,
        org: organisation.OrgState,
        truth: research.Truth,
        q: int,
        costs: dict[str, float],
    ) -> tuple[list[research.Finding], dict[str, float]]:
        """Discovery: age the belief, then fold in this quarter's studies.

        Returns the findings and the research effort each line spends.
        """
        belief = research.age(book.belief)
        methods = decision_check.lookups(self.scenario).methods  # by id, built once
        r_rng = None  # made on the first study: most quarters have none
        findings = []
        research_effort: dict[str, float] = {}
        for line, pd in dec.products.items():
            for order in pd.research:
                method = methods[order.method]
                if r_rng is None:
                    r_rng = ctx.streams.generator("research", q, book.index)
                belief, finding = research.study(
                    belief, method, order.segment, truth, org.culture["customer_focus"], r_rng
                )
                findings.append(finding)
                _charge(costs, "research", method.cost * book.mods.research_cost)
                research_effort[line] = research_effort.get(line, 0.0) + method.effort
        book.belief = belief
        return findings, research_effort

    def _bets(
        self,
        ctx: QuarterContext,
        book: Book,
        dec: Decisions,
        org: organisation.OrgState,
        q: int,
        costs: dict[str, float],
    ) -> tuple[list[tuple[str, bool, list[str]]], list[str]]:
        """Innovation bets (CPO): fund, resolve, unlock; returns the outcomes and new items."""
        if not dec.bets:  # most quarters (and every PM's): nothing funded, nothing changes
            return [], []
        book.bets, bet_cost, outcomes = portfolio.resolve_bets(
            book.bets,
            dec.bets,
            decision_check.lookups(self.scenario).bets,
            org.culture["innovation"],
            org.culture["capability"],
            dec.incubation,
            ctx.streams.generator("organisation", q, book.index, 1),
        )
        _charge(costs, "bets", bet_cost * book.mods.costs)
        unlocked: list[str] = []
        for _, ok, items in outcomes:
            if ok:
                book.roadmap, new = roadmap.reveal(book.roadmap, items)
                unlocked += new
        return outcomes, unlocked

    def _work(
        self,
        ctx: QuarterContext,
        book: Book,
        dec: Decisions,
        org: organisation.OrgState,
        extra: dict[str, float],
        q: int,
        engineers: int,
    ) -> tuple[dict[str, organisation.TeamWork], dict[str, LineResult]]:
        """Roadmap work on every line: capacity, split, shipping; returns work and results.

        ``extra`` is the effort each line owes to research and culture initiatives;
        ``engineers`` work in incubation this quarter (lent by the lines).
        """
        params = self.scenario.organisation
        lent = _lend(org, book.lines, engineers)
        work: dict[str, organisation.TeamWork] = {}
        results: dict[str, LineResult] = {}
        for line in book.lines:
            pd = dec.products.get(line) or ProductDecision()
            team = org.teams[line]
            facts = self._facts(org, book.roadmap, line, pd, lent.get(line, 0))
            split = (pd.split.features, pd.split.debt, pd.split.discovery)
            alloc = organisation.allocate(
                _working(team, lent.get(line, 0)),
                org.culture,
                split,
                facts.planned,
                extra[line],
                params,
            )
            book.roadmap, done = roadmap.work(
                book.roadmap, list(facts.roadmap), alloc.features, self.backlog, q
            )
            product = ctx.state.products[ctx.state.product_index(line)]
            _ship(ctx, product, done.shipped, book.mods.shipped_quality)
            w = organisation.TeamWork(
                alloc,
                shipped=len(done.shipped),
                item_debt=sum(s.debt for s in done.shipped),
                debt_share=pd.split.debt,
            )
            product.quality = clip(
                product.quality + organisation.quality_change(team, w, params), 0, 1
            )
            work[line] = w
            results[line] = _line_result(line, team, alloc, done)
            self._tell(results[line], facts, done, book.roadmap)
        return work, results

    def _tell(
        self,
        result: LineResult,
        facts: story.LineFacts,
        done: roadmap.WorkOutcome,
        state: roadmap.RoadmapState,
    ) -> None:
        """Put the line's plan as played and its quarter in words into ``result``."""
        result.roadmap = list(facts.roadmap)
        split = facts.split  # its three fields, as model_dump() gives them, without pydantic
        result.split = {
            "features": split.features,
            "debt": split.debt,
            "discovery": split.discovery,
        }
        result.planned = round(facts.planned, 3)
        result.available = round(facts.available, 3)
        result.lent = facts.lent
        result.effects = {s.id: dict(s.effects) for s in done.shipped}
        if not self.words:
            return
        result.shipped_text = story.shipped_words(done.shipped, self.names)
        result.reasons = story.result_reasons(facts, done, state, self.backlog, self.names)
        result.context = story.context_reasons(facts)

    def _sunset(self, ctx: QuarterContext, book: Book, line: str) -> None:
        """Withdraw a line from the market; its engineers join the largest remaining line."""
        st = ctx.state
        product = st.products[st.product_index(line)]
        product.active = False
        product.marketing = np.zeros_like(product.marketing)
        book.lines = [li for li in book.lines if li != line]
        teams = dict(book.org.teams)
        gone = teams.pop(line)
        if book.lines:
            target = max(book.lines, key=lambda li: (teams[li].headcount, li))
            t = teams[target]
            teams[target] = evolve(
                t,
                experienced=t.experienced + gone.experienced,
                cohorts=tuple(a + b for a, b in zip(t.cohorts, gone.cohorts, strict=True)),
            )
        book.org = evolve(book.org, teams=teams)

    # ------------------------------------------------------------------ report & score
    def record(self, ctx: QuarterContext, report: TurnReport) -> None:
        """Attach organisation results, events and objective status to ``report``."""
        report.events = list(self.event_log)
        self.event_log = []
        for firm, book in self.books.items():
            if book.quarter is None:
                continue
            book.cumulative_profit += report.firms[firm].profit
            kpis = self._kpis(report, firm, book)
            book.kpis.append(kpis)
            rec = book.records[-1]
            fr = report.firms[firm]
            book.records[-1] = evolve(rec, kpis=kpis, actual=(fr.revenue, fr.share))
            if book.people.active:
                self._people_quarter(ctx, firm, book, kpis, report)
            if self.words:
                book.quarter.objectives = [_objective_dict(r) for r in self.objectives(ctx, firm)]
            report.organisation[firm] = book.quarter
            book.quarter = None

    def _people_quarter(
        self,
        ctx: QuarterContext,
        firm: str,
        book: Book,
        kpis: dict[str, float],
        report: TurnReport,
    ) -> None:
        """End of a quarter with colleagues: promises checked, next quarter's requests asked,
        and the colleagues' part of the report and of the scorecard's evidence."""
        q = report.quarter
        book.facts[-1] = evolve(book.facts[-1], kpis=kpis)
        stakeholders.evaluate(book.people, book.facts, q)
        if q < self.scenario.quarters:
            stakeholders.ask(
                book.people, q + 1, kpis, ctx.streams.generator("people", q, book.index, 0)
            )
        result = self._people_result(firm, book)
        report.people[firm] = result
        book.records[-1] = evolve(book.records[-1], people=stakeholders.evidence(book.people))

    def _people_result(self, firm: str, book: Book) -> PeopleResult:
        """The colleagues' part of a quarter's report for ``firm``."""
        st = book.people
        return PeopleResult(
            firm=firm,
            colleagues=[
                ColleagueResult(
                    id=c.spec.id,
                    role=c.spec.role,
                    name=c.spec.name,
                    goal=c.spec.goal,
                    line=stakeholders.line_of(st, c.spec),
                    trust=round(c.trust, 4),
                    trust_before=round(c.trust_before, 4),
                    mood=stakeholders.mood(c),
                    kept=c.kept,
                    broken=c.broken,
                    declined=c.declined,
                    ignored=c.ignored,
                    why=list(c.why),
                )
                for c in st.colleagues.values()
            ],
            requests=[self._request_result(o) for o in st.open.values()],
            responses=list(st.responses),
            promises=[
                PromiseResult(
                    key=p.key,
                    stakeholder=p.stakeholder,
                    text=p.text,
                    ask=stakeholders.ask_dict(p.ask),
                    since=p.since,
                    due=p.due,
                    smaller=p.smaller,
                    status=p.status,
                    closed=p.closed,
                    progress=p.progress,
                )
                for p in st.promises
            ],
            consequences=list(st.applied),
            notes=stakeholders.notes(st, book.mods),
        )

    def _request_result(self, o: stakeholders.Open) -> RequestResult:
        """An open request with what would follow each answer, in words."""
        req = o.request

        def words(effects: list) -> list[str]:  # type: ignore[type-arg]
            return [c.text for c in events.effect_changes(effects, self.scenario)]

        return RequestResult(
            key=o.key,
            stakeholder=o.stakeholder,
            text=o.text,
            ask=stakeholders.ask_dict(o.ask),
            asked=o.asked,
            due=o.due,
            negotiable=req.negotiable,
            smaller=req.smaller.text if req.smaller else "",
            held=o.held,
            if_kept=words(req.kept),
            if_broken=words(req.broken),
            if_declined=words(req.declined),
        )

    def _kpis(self, report: TurnReport, firm: str, book: Book) -> dict[str, float]:
        """The firm's KPI mapping after ``report`` (quarter 0: before anything was played)."""
        fr = report.firms[firm]
        o = book.quarter
        debt = o.tech_debt if o else sum(t.tech_debt for t in book.org.teams.values())
        heads = o.headcount if o else book.org.headcount
        k: dict[str, float] = {
            "revenue": fr.revenue,
            "profit": fr.profit,
            "cumulative_profit": book.cumulative_profit,
            "cash": fr.cash,
            "customers": fr.customers,
            "share": fr.share,
            "satisfaction": fr.satisfaction,
            "nps": fr.nps,
            "tech_debt": debt,
            "headcount": float(heads),
            "attrition": (o.leavers if o else 0) / max(1, heads),
            "pm_skill": _mean_skill(book.org, book.lines),
        }
        for dim in ("morale", "safety", "customer_focus", "innovation", "collaboration"):
            k[dim] = float(book.org.culture[dim])
        k["capability"] = float(book.org.culture["capability"])
        for seg, share in fr.share_by_segment.items():
            k[f"share:{seg}"] = share
        own = [p for p in report.products.values() if p.firm == firm]
        k["quality"] = mean([p.quality for p in own]) if own else 0.0
        for p in own:
            k[f"revenue@{p.id}"] = p.revenue
            k[f"customers@{p.id}"] = p.customers
            k[f"satisfaction@{p.id}"] = p.satisfaction
            k[f"quality@{p.id}"] = p.quality
            k[f"share@{p.id}"] = story.line_share(report, p.id)
            for seg, share in p.share_by_segment.items():
                k[f"share@{p.id}:{seg}"] = share
                k[f"customers@{p.id}:{seg}"] = p.customers_by_segment[seg]
            if p.id in book.org.teams:
                k[f"tech_debt@{p.id}"] = book.org.teams[p.id].tech_debt
                k[f"pm_skill@{p.id}"] = book.org.teams[p.id].pm_skill
        for seg, c in _by_segment(own).items():
            k[f"customers:{seg}"] = c
        pairs = [(r.forecast, r.actual) for r in book.records[:-1] if r.forecast is not None]
        rec = book.records[-1] if book.records else None
        if rec is not None and rec.forecast is not None:
            pairs.append((rec.forecast, (fr.revenue, fr.share)))
        k["forecast_error"] = scoring.calibration(pairs).revenue_error
        if book.people.active:
            k["trust"] = mean([c.trust for c in book.people.colleagues.values()])
        return k

    def _money_scale(self, ctx: QuarterContext, firm: str) -> float:
        return max(1.0, ctx.history[0].firms[firm].revenue)

    def objectives(self, ctx: QuarterContext, firm: str) -> list[scoring.ObjectiveResult]:
        """Every objective's status after the quarters played so far.

        An objective about one product line counts only for the player firm running it (in a
        shared-market workshop each team's clone of a line has its own copy of the objective).
        """
        book = self.books[firm]
        scale = self._money_scale(ctx, firm)
        others = {p.id for f in self.scenario.player_firms() if f.id != firm for p in f.products}
        return [
            scoring.evaluate(
                o,
                book.kpis,
                self.scenario.quarters,
                scale,
                scoring.start_value(o, book.start_kpis, self.scenario.quarters),
            )
            for o in self.scenario.objectives
            if o.product not in others and self.role in o.roles
        ]

    def scorecard(self, ctx: QuarterContext, firm: str) -> dict[str, object]:
        """Score 0-100, grade, objectives and competencies after the quarters played."""
        book = self.books[firm]
        results = self.objectives(ctx, firm)
        points = scoring.score(results)
        skill = (
            (book.start_skill, _mean_skill(book.org, book.lines)) if self.role == "cpo" else None
        )
        comps = scoring.competencies(
            book.records, points, len(self.scenario.segments), book.prior_error, skill
        )
        final = scoring.final_score(points, [c.score for c in comps.values()])
        return {
            "score": round(final, 2),
            "grade": scoring.grade(final),
            "objective_score": round(points, 2),
            "objectives": [_objective_dict(r) for r in results],
            "competencies": {
                name: {"score": round(c.score, 1), "evidence": c.evidence}
                for name, c in comps.items()
            },
        }


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class _FirmQuarter:
    """What one player firm's organisation did this quarter, gathered phase by phase."""

    staffing: organisation.StaffingOutcome
    initiatives: list[str]
    findings: list[research.Finding]
    belief_error: float
    bets: list[tuple[str, bool, list[str]]]
    unlocked: list[str]
    lines: dict[str, LineResult]
    end: organisation.OrgOutcome
    ideas: list[str]

    @property
    def shipped(self) -> list[str]:
        """Every item shipped this quarter, line by line."""
        return [i for r in self.lines.values() for i in r.shipped]


def _mentor(org: organisation.OrgState, dec: Decisions) -> organisation.OrgState:
    """Mentoring: the CPO's time raises each mentored PM's skill (more with safety)."""
    if not dec.mentoring:
        return org
    teams = dict(org.teams)
    for line, time in dec.mentoring.items():
        if line in teams:
            skill = portfolio.mentor(teams[line].pm_skill, time, org.culture["safety"])
            teams[line] = evolve(teams[line], pm_skill=skill)
    return evolve(org, teams=teams)


def _staff(
    org: organisation.OrgState,
    lines: list[str],
    dec: Decisions,
    params: Organisation,
    costs: dict[str, float],
) -> tuple[organisation.OrgState, organisation.StaffingOutcome]:
    """Hires and layoffs on the firm's lines take effect now; charges hiring and severance."""
    orders = {
        line: (pd.hires, pd.layoffs)
        for line, pd in dec.products.items()
        if line in lines and (pd.hires or pd.layoffs)
    }
    org, staffing = organisation.staff(org, orders, params)
    _charge(costs, "hiring", sum(staffing.hired.values()) * params.hiring_cost)
    _charge(costs, "severance", sum(staffing.laid_off.values()) * params.severance)
    return org, staffing


def _extra_effort(
    org: organisation.OrgState,
    lines: list[str],
    research_effort: Mapping[str, float],
    initiative_effort: float,
) -> dict[str, float]:
    """Effort each line owes besides its roadmap: its studies and its share of initiatives."""
    heads = sum(org.teams[line].headcount for line in lines) or 1
    return {
        line: research_effort.get(line, 0.0) + initiative_effort * org.teams[line].headcount / heads
        for line in lines
    }


def _ship(
    ctx: QuarterContext, product: ProductState, shipped: list[roadmap.Shipped], bonus: float
) -> None:
    """Shipped items move the product's attributes and quality by their true effects (and
    each item's quality by ``bonus``: what design's trust adds or takes away)."""
    for s in shipped:
        for attr, change in s.effects.items():
            k = ctx.attribute_ids.index(attr)
            product.attributes[k] = clip(product.attributes[k] + change, 0, 1)
        quality = s.quality + bonus if bonus else s.quality
        product.quality = clip(product.quality + quality, 0.0, 1.0)


def _line_result(
    line: str, team: organisation.Team, alloc: organisation.Allocation, done: roadmap.WorkOutcome
) -> LineResult:
    """The report of one line's work (people figures are completed by :func:`_close_lines`)."""
    return LineResult(
        product=line,
        headcount=team.headcount,
        new_hires=team.new_hires,
        capacity=alloc.capacity,
        feature_points=alloc.features,
        overtime=alloc.overtime,
        idle=done.idle,
        load=alloc.load,
        tech_debt=team.tech_debt,
        pm_skill=team.pm_skill,
        shipped=[s.id for s in done.shipped],
        progress={i: round(v, 3) for i, v in done.progressed.items()},
        blocked=done.blocked,
    )


def _item_view(
    state: roadmap.ItemState, item: BacklogItem, skill: float, honesty: float
) -> portfolio.ItemView:
    """An open item as a PM of ``skill`` sees it, their estimates times ``honesty``.

    The draws behind the estimates are fixed at reset, so the view changes only with the PM's
    skill, the item's progress and the honesty: a book keeps each one (``item_views``) rather
    than working the same estimates out (one np.exp per attribute) every quarter.
    """
    return portfolio.ItemView(
        id=state.id,
        remaining=roadmap.estimated_remaining(state, item) * honesty,
        effects=roadmap.estimated_effects(state, item, skill),
        depends_on=tuple(item.depends_on),
        quality=item.quality,
        debt=item.debt,
        in_progress=state.progress > 0,
    )


def _breakthroughs(book: Book, count: int) -> list[str]:
    """Reveal up to ``count`` hidden breakthrough items of the firm's lines; returns them."""
    ideas: list[str] = []
    for _ in range(count):
        hidden = [
            i
            for i in roadmap.hidden_breakthroughs(book.roadmap)
            if book.roadmap.items[i].product in book.lines
        ]
        if not hidden:
            break
        book.roadmap, new = roadmap.reveal(book.roadmap, hidden[:1])
        ideas += new
    return ideas


def _close_lines(
    results: dict[str, LineResult], org: organisation.OrgState, out: organisation.OrgOutcome
) -> None:
    """Put each line's end-of-quarter debt, headcount, new hires and leavers in its result."""
    for line, r in results.items():
        team = org.teams[line]
        r.tech_debt = team.tech_debt
        r.headcount = team.headcount
        r.new_hires = team.new_hires
        r.leavers = out.leavers.get(line, 0)


def _org_result(
    firm: str, org: organisation.OrgState, done: _FirmQuarter, warnings: list[str]
) -> OrgResult:
    """The organisation part of the quarter's report for one player firm."""
    out = done.end
    return OrgResult(
        firm=firm,
        morale=org.culture["morale"],
        safety=org.culture["safety"],
        customer_focus=org.culture["customer_focus"],
        innovation=org.culture["innovation"],
        collaboration=org.culture["collaboration"],
        capability=org.culture["capability"],
        tech_debt=sum(t.tech_debt for t in org.teams.values()),
        headcount=org.headcount,
        capacity=sum(r.capacity for r in done.lines.values()),
        shipped=done.shipped,
        lines=done.lines,
        hired=sum(done.staffing.hired.values()),
        laid_off=sum(done.staffing.laid_off.values()),
        leavers=sum(out.leavers.values()),
        backfilled=sum(out.backfilled.values()),
        attrition_rate=out.attrition_rate,
        morale_target=out.morale_target,
        initiatives_started=done.initiatives,
        initiatives_landed=out.landed,
        breakthroughs=done.ideas,
        bets=[{"bet": b, "success": ok, "unlocked": items} for b, ok, items in done.bets],
        unlocked=done.unlocked,
        research=[_finding(f) for f in done.findings],
        belief_error=done.belief_error,
        warnings=warnings,
    )


def _scoring_record(
    ctx: QuarterContext, book: Book, dec: Decisions, done: _FirmQuarter
) -> scoring.Record:
    """The quarter's evidence for the competencies (KPIs are filled in by ``record``)."""
    started = tuple(i for r in done.lines.values() for i in r.progress)
    return scoring.Record(
        kpis={},
        studies=len(done.findings),
        segments_studied=tuple(sorted({f.segment for f in done.findings})),
        belief_error=done.belief_error,
        forecast=(dec.forecast.revenue, dec.forecast.share) if dec.forecast else None,
        started=started,
        shipped=tuple(done.shipped),
        price_change=_price_change(ctx, dec, book),
        leavers=sum(done.end.leavers.values()),
        initiatives=len(done.initiatives),
        steered=_steered(book, dec),
        feature_points=float(sum(r.feature_points for r in done.lines.values())),
        idle=float(sum(r.idle for r in done.lines.values())),
        mentoring=float(sum(dec.mentoring.values())),
        themes=dict(dec.themes),
    )


def _facts(book: Book, dec: Decisions, done: _FirmQuarter, q: int) -> stakeholders.Facts:
    """What the firm did this quarter, for checking its promises (KPIs added by ``record``)."""
    splits = {}
    for line in book.lines:
        split = (dec.products.get(line) or ProductDecision()).split
        splits[line] = {"debt": split.debt, "discovery": split.discovery}
    return stakeholders.Facts(
        quarter=q,
        shipped=frozenset(book.roadmap.shipped_ids()),
        studies=tuple((f.method, f.segment) for f in done.findings),
        splits=splits,
        themes=dict(dec.themes),
        bets=frozenset(dec.bets),
        kpis={},
    )


def _own(eff: Effect, firm: str) -> Effect:
    """A colleague's effect on "the player" means their own firm, not every player firm."""
    if getattr(eff, "firm", None) == "player":
        return eff.model_copy(update={"firm": firm})
    return eff


def _steered(book: Book, dec: Decisions) -> bool:
    """Did the CPO steer the portfolio this quarter: a bet funded, engineers lent to the
    incubation line, a line sunset, or themes that differ from last quarter's?"""
    before = book.records[-1].themes if book.records else {}
    return bool(dec.bets or dec.incubation or dec.sunset or dec.themes != before)


def _charge(costs: dict[str, float], name: str, amount: float) -> None:
    if amount:
        costs[name] = costs.get(name, 0.0) + float(amount)


def _mean_skill(org: organisation.OrgState, lines: list[str]) -> float:
    skills = [org.teams[line].pm_skill for line in lines if line in org.teams]
    return mean(skills) if skills else 0.0


def _last_result(report: TurnReport, firm: str, line: str) -> LineResult | None:
    """``line``'s result in ``report`` (None in the starting report or for another firm)."""
    org = report.organisation.get(firm)
    return org.lines.get(line) if org else None


def _working(team: organisation.Team, lent: int) -> organisation.Team:
    """The team that works on its line this quarter: ``lent`` engineers are in incubation."""
    if not lent:
        return team
    return evolve(team, experienced=max(0, team.experienced - lent))


def _lend(org: organisation.OrgState, lines: list[str], n: int) -> dict[str, int]:
    """Engineers lent to the incubation line this quarter, taken from the largest lines."""
    lent: dict[str, int] = {}
    for _ in range(n):
        free = [li for li in lines if org.teams[li].experienced - lent.get(li, 0) > 0]
        if not free:
            break
        li = max(free, key=lambda x: (org.teams[x].experienced - lent.get(x, 0), x))
        lent[li] = lent.get(li, 0) + 1
    return lent


def _price_change(ctx: QuarterContext, dec: Decisions, book: Book) -> float:
    moves = []
    for line in book.lines:
        pd = dec.products.get(line)
        if pd is None or pd.price is None:
            moves.append(0.0)
            continue
        before = ctx.history[-1].products[line].price
        moves.append(abs(pd.price - before) / max(before, 1e-9))
    return mean(moves) if moves else 0.0


def _by_segment(products: list) -> dict[str, float]:  # type: ignore[type-arg]
    out: dict[str, float] = {}
    for p in products:
        for seg, c in p.customers_by_segment.items():
            out[seg] = out.get(seg, 0.0) + c
    return out


def _finding(f: research.Finding) -> dict[str, object]:
    return {
        "method": f.method,
        "segment": f.segment,
        "sd": round(f.sd, 4),
        "ideals": f.ideals,
        "weights": f.weights,
        "price_sensitivity": f.price_sensitivity,
        "competitors": f.competitors,
    }


def _objective_dict(r: scoring.ObjectiveResult) -> dict[str, object]:
    return {
        "id": r.id,
        "description": r.description,
        "status": r.status,
        "value": r.value if r.value is not None and np.isfinite(r.value) else None,
        "credit": round(r.credit, 4),
        "weight": r.weight,
        "evidence": r.evidence,
        "kind": r.kind,
        "start": r.start if r.start is not None and np.isfinite(r.start) else None,
    }


class _World:
    """events.World over the simulation state and the company's organisation states."""

    def __init__(self, ctx: QuarterContext, company: Company, rng: np.random.Generator) -> None:
        self.ctx, self.company, self.rng = ctx, company, rng
        self.st = ctx.state

    def _seg(self, segment: str):
        return self.st.segments[self.ctx.segment_ids.index(segment)]

    def _product(self, product: str):
        return self.st.products[self.st.product_index(product)]

    def _has(self, product: str) -> bool:
        return any(p.id == product for p in self.st.products)

    def segment_size(self, segment: str, change: float) -> None:
        self._seg(segment).size *= 1.0 + change

    def segment_growth(self, segment: str, change: float) -> None:
        self._seg(segment).growth += change

    def price_sensitivity(self, segment: str, change: float) -> None:
        self._seg(segment).price_sensitivity *= 1.0 + change

    def ideal_shift(self, segment: str, attribute: str, change: float) -> None:
        seg, k = self._seg(segment), self.ctx.attribute_ids.index(attribute)
        seg.ideal[k] = float(np.clip(seg.ideal[k] + change, 0.0, 1.0))

    def weight_shift(self, segment: str, attribute: str, change: float) -> None:
        seg, k = self._seg(segment), self.ctx.attribute_ids.index(attribute)
        seg.weights[k] = max(0.0, float(seg.weights[k] + change))

    def product_attribute(self, product: str, attribute: str, change: float) -> None:
        if self._has(product):
            p, k = self._product(product), self.ctx.attribute_ids.index(attribute)
            p.attributes[k] = float(np.clip(p.attributes[k] + change, 0.0, 1.0))

    def product_quality(self, product: str, change: float) -> None:
        if self._has(product):
            p = self._product(product)
            p.quality = float(np.clip(p.quality + change, 0.0, 1.0))

    def product_price(self, product: str, change: float) -> None:
        if self._has(product):
            self._product(product).price *= 1.0 + change

    def unit_cost(self, product: str, change: float) -> None:
        if self._has(product):
            self._product(product).unit_cost *= 1.0 + change

    def awareness(self, product: str, segment: str, change: float) -> None:
        """Press or a scandal: that fraction of the unaware hear of it (or of the aware, other
        than users, forget it) now, and the product's goodwill moves to match (good news as
        this quarter's ``news`` goodwill, bad news off the stock), so the news then fades as
        goodwill does (see :mod:`engine.awareness`)."""
        if not self._has(product):
            return
        seg = self._seg(segment)
        pop = seg.population
        j = self.st.product_index(product)
        s = self.ctx.segment_ids.index(segment)
        item = self._product(product)
        adv = self.ctx.scenario.advertising
        if change >= 0:
            item.news[s] += awareness.news_goodwill(change, adv)
        else:
            item.goodwill[s] = awareness.damaged_goodwill(float(item.goodwill[s]), change, adv)
        aware = pop.aware[j]
        draws = self.rng.random(aware.size)
        frac = float(aware.sum()) / max(pop.alive, 1)
        if change >= 0:
            p = change / max(1e-9, 1.0 - frac)
            pop.aware[j] = aware | ((draws < p) & ~pop.gone)
        else:
            p = -change / max(1e-9, frac)
            pop.aware[j] = aware & ~((draws < p) & (pop.current != j))

    def culture(self, firm: str, dimension: str, change: float) -> None:
        book = self.company.books.get(firm)
        if book is not None:
            book.org = organisation.shift_culture(book.org, dimension, change)

    def headcount(self, firm: str, product: str, change: int) -> None:
        book = self.company.books.get(firm)
        if book is not None and product in book.org.teams:
            book.org = organisation.adjust_team(book.org, product, headcount=change)

    def tech_debt(self, firm: str, product: str, change: float) -> None:
        book = self.company.books.get(firm)
        if book is not None and product in book.org.teams:
            book.org = organisation.adjust_team(book.org, product, debt=change)

    def cash(self, firm: str, change: float) -> None:
        # through the accounts (a negative cost for a grant), so cash = previous cash + profit
        _charge(self.st.firms[firm].other_costs, "events", -change)

    def deal(self, product: str, segment: str, customers: float) -> None:
        """A deal signs: that many real customers of ``segment`` become ``product``'s, taken
        first from people in the category who buy nothing, then from people new to it (who
        enter the category now); each knows the product. A random draw picks who, so the
        deal does not always take the same synthetic customers. Stops at who is free."""
        if not self._has(product):
            return
        seg = self._seg(segment)
        pop = seg.population
        j = self.st.product_index(product)
        want = round(customers / seg.scale)
        idle = np.flatnonzero(pop.in_market & (pop.current == NO_PRODUCT) & ~pop.gone)
        outside = np.flatnonzero(~pop.in_market & ~pop.gone)
        order = np.concatenate([self.rng.permutation(idle), self.rng.permutation(outside)])
        signed = order[:want]
        pop.in_market[signed] = True
        pop.fresh[signed] = False
        pop.current[signed] = j
        pop.tenure[signed] = 0
        pop.aware[j, signed] = True
