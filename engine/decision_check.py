"""Decision validation: every problem with a firm's decisions, at once, in plain words.

:func:`check` never changes a decision. Errors make a decision unplayable (an unknown item, a
negative price, an unmet dependency); warnings describe a legal choice with a consequence the
player should see before committing (asking the team for more work than it has costs morale
and adds debt; spending beyond the cash in the bank makes the firm borrow). The simulation
refuses decisions with errors and plays decisions with warnings as given: nothing is silently
clipped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from engine import organisation, roadmap
from engine.decisions import (
    HIRES_MAX_MULTIPLE,
    HIRES_MIN_CAP,
    MARKETING_MAX_MULTIPLE,
    MARKETING_MIN_CAP,
    PRICE_MAX_MULTIPLE,
    TEAM_MAX,
    Decisions,
    ProductDecision,
)
from engine.formatting import count, money_full, number, pct
from engine.memo import per_scenario
from engine.organisation import OrgState
from engine.phrases import ENGLISH, say
from engine.roadmap import RoadmapState
from engine.scenario import (
    BacklogItem,
    CultureInitiative,
    Firm,
    InnovationBet,
    Product,
    ResearchMethod,
    Role,
    Scenario,
)
from engine.stakeholders import Open, need


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a decision, and where."""

    where: str  # e.g. "products.teamboard.roadmap"
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class Lookups:
    """A scenario's records by id, as the check looks them up (see :func:`lookups`)."""

    firms: Mapping[str, Firm]
    own: Mapping[str, frozenset[str]]  # each firm's product ids
    products: Mapping[str, Product]  # every firm's
    backlog: Mapping[str, BacklogItem]
    item_names: Mapping[str, str]  # backlog item id -> name, as the load warning names them
    segments: frozenset[str]
    methods: Mapping[str, ResearchMethod]
    initiatives: Mapping[str, CultureInitiative]
    bets: Mapping[str, InnovationBet]


def lookups(scenario: Scenario) -> Lookups:
    """``scenario``'s records by id, built once per scenario (a scenario is frozen) rather
    than on every check: a simulation checks each firm's decisions every quarter."""
    return per_scenario(scenario, "lookups", lambda: _lookups(scenario))


def _lookups(scenario: Scenario) -> Lookups:
    return Lookups(
        firms={f.id: f for f in scenario.firms},
        own={f.id: frozenset(p.id for p in f.products) for f in scenario.firms},
        products={p.id: p for _, p in scenario.products()},
        backlog={b.id: b for b in scenario.backlog},
        item_names={b.id: b.name for b in scenario.backlog},
        segments=frozenset(scenario.segment_ids()),
        methods={m.id: m for m in scenario.research},
        initiatives={i.id: i for i in scenario.initiatives},
        bets={b.id: b for b in scenario.bets},
    )


def field_words(part: str) -> str:
    """A decision field as a person names it (where a problem is): "split" is "capacity
    split"; a part that is no field (a segment id, an order's number) is shown as given."""
    key = f"checks.field.{part}"
    return say(key) if key in ENGLISH else part.replace("_", " ")


def in_words(problem: Problem, scenario: Scenario) -> str:
    """A problem for a person: "Teamboard roadmap: over capacity…", never an internal path."""
    products = lookups(scenario).products
    words = [
        products[part].name if part in products else field_words(part)
        for part in problem.where.split(".")
        if part and part != "products"
    ]
    if not words:
        return problem.message
    label = " ".join(words)
    return f"{label[:1].upper()}{label[1:]}: {problem.message}"


@dataclass(frozen=True)
class Context:
    """What the check needs to know about the firm's current state."""

    role: Role
    firm: str
    cash: float
    org: OrgState
    roadmap: RoadmapState
    lines: tuple[str, ...]  # product lines the role controls (not sunset)
    resolved_bets: frozenset[str] = field(default_factory=frozenset)
    requests: Mapping[str, Open] = field(default_factory=dict)  # colleagues' open requests
    trust: Mapping[str, float] = field(default_factory=dict)  # each colleague's trust now


def parse(
    data: Decisions | Mapping[str, Any], where: str = ""
) -> tuple[Decisions | None, list[Problem]]:
    """Well-formed ``Decisions`` from plain data, or every shape problem in words.

    The one place a pydantic error becomes text for a player: ``where`` prefixes each
    location (e.g. ``decisions`` for a decision sheet).
    """
    if isinstance(data, Decisions):
        data = data.model_dump(exclude_unset=True)
    try:
        return Decisions.model_validate(data), []
    except ValidationError as exc:
        return None, [_shape_problem(err, where) for err in exc.errors()]


_BOUND_ERRORS = ("less_than_equal", "greater_than_equal", "less_than", "greater_than")
_FRACTIONS = ("share", "features", "debt", "discovery")


def _is_fraction(loc: tuple[Any, ...]) -> bool:
    """True for a decision field that is a fraction shown as a percentage (0..1)."""
    return bool(loc) and (loc[-1] in _FRACTIONS or loc[0] == "mentoring")


def _shape_problem(err: Any, prefix: str) -> Problem:
    """One pydantic error as a :class:`Problem` ('where: message')."""
    loc = ".".join(str(x) for x in (*([prefix] if prefix else []), *err["loc"]))
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = say("checks.unknown_field")
    elif err["type"] in _BOUND_ERRORS and _is_fraction(err["loc"]):
        value = err.get("input")
        if isinstance(value, int | float):
            msg = say("checks.fraction_got", got=pct(value, 0))
        else:
            msg = say("checks.fraction")
    return Problem(loc, msg)


def _line(
    pid: str,
    pd: ProductDecision,
    decisions: Decisions,
    ctx: Context,
    scenario: Scenario,
    out: list[Problem],
) -> float:
    """Check one product's decisions; return the money they commit."""
    where = f"products.{pid}"
    spend = _line_market(where, pid, pd, ctx, scenario, out)
    _line_roadmap(where, pid, pd, ctx, scenario, out)
    research_spend, research_effort = _line_research(where, pd, scenario, out)
    spend += research_spend
    team = ctx.org.teams.get(pid)
    if team is None:
        if pd.hires or pd.layoffs:
            out.append(Problem(f"{where}", say("checks.no_team")))
        return spend
    spend += _line_people(where, pd, decisions, team, scenario, out)
    _line_capacity(where, pid, pd, team, research_effort, ctx, scenario, out)
    return spend


def marketing_cap(ctx: Context, scenario: Scenario) -> float:
    """The most a firm may spend on marketing to one segment in a quarter (see decisions)."""
    firm = lookups(scenario).firms.get(ctx.firm)
    start = firm.cash if firm is not None else 0.0
    return MARKETING_MAX_MULTIPLE * max(ctx.cash, start, MARKETING_MIN_CAP / MARKETING_MAX_MULTIPLE)


def _line_market(
    where: str,
    pid: str,
    pd: ProductDecision,
    ctx: Context,
    scenario: Scenario,
    out: list[Problem],
) -> float:
    """Price and marketing spend, each within its bound; returns the marketing money."""
    found = lookups(scenario)
    segments = found.segments
    cur = scenario.currency
    spend = 0.0
    if pd.price is not None and (not math.isfinite(pd.price) or pd.price <= 0):
        out.append(Problem(f"{where}.price", say("checks.price_not_positive", price=pd.price)))
    elif pd.price is not None:
        product = found.products.get(pid)
        start = product.price if product is not None else None
        if start is not None and pd.price > PRICE_MAX_MULTIPLE * start:
            out.append(
                Problem(
                    f"{where}.price",
                    say(
                        "checks.price_too_high",
                        price=money_full(pd.price, cur),
                        multiple=number(PRICE_MAX_MULTIPLE, 0),
                        start=money_full(start, cur),
                        most=money_full(PRICE_MAX_MULTIPLE * start, cur),
                    ),
                )
            )
    cap = marketing_cap(ctx, scenario)
    for seg, amount in pd.marketing.items():
        if seg not in segments:
            out.append(Problem(f"{where}.marketing", say("checks.unknown_segment", segment=seg)))
        if not math.isfinite(amount) or amount < 0:
            out.append(
                Problem(f"{where}.marketing.{seg}", say("checks.marketing_negative", amount=amount))
            )
        elif amount > cap:
            out.append(
                Problem(
                    f"{where}.marketing.{seg}",
                    say(
                        "checks.marketing_too_high",
                        amount=money_full(amount, cur),
                        cap=money_full(cap, cur),
                        multiple=number(MARKETING_MAX_MULTIPLE, 0),
                    ),
                )
            )
        else:
            spend += amount
    return spend


def _line_roadmap(
    where: str,
    pid: str,
    pd: ProductDecision,
    ctx: Context,
    scenario: Scenario,
    out: list[Problem],
) -> None:
    """Every roadmap item: known, this line's, visible, not shipped, dependencies met."""
    found = lookups(scenario)
    backlog, products = found.backlog, found.products
    seen: set[str] = set()
    done = ctx.roadmap.shipped_ids()

    def name(item_id: str) -> str:  # a person reads names; an unknown id is shown as given
        return backlog[item_id].name if item_id in backlog else f"'{item_id}'"

    def line_name(product: str) -> str:
        return products[product].name if product in products else product

    for item_id in pd.roadmap:
        if item_id in seen:
            out.append(Problem(f"{where}.roadmap", say("checks.listed_twice", item=name(item_id))))
            continue
        seen.add(item_id)
        item = backlog.get(item_id)
        state = ctx.roadmap.items.get(item_id)
        if item is None or (item.product == pid and (state is None or not state.visible)):
            out.append(Problem(f"{where}.roadmap", say("checks.unknown_item", item=item_id)))
        elif item.product != pid:
            owner, line = line_name(item.product), line_name(pid)
            out.append(
                Problem(
                    f"{where}.roadmap",
                    say("checks.other_line", item=item.name, owner=owner, line=line),
                )
            )
        elif state is not None and state.shipped is not None:
            out.append(
                Problem(
                    f"{where}.roadmap",
                    say("checks.shipped", item=item.name, quarter=state.shipped),
                )
            )
        else:
            missing = [d for d in item.depends_on if d not in done and d not in seen]
            if missing:
                out.append(
                    Problem(
                        f"{where}.roadmap",
                        say(
                            "checks.depends",
                            item=item.name,
                            deps=", ".join(name(m) for m in missing),
                        ),
                    )
                )


def _line_research(
    where: str, pd: ProductDecision, scenario: Scenario, out: list[Problem]
) -> tuple[float, float]:
    """Research orders; returns (money, discovery effort) they commit."""
    found = lookups(scenario)
    segments, methods = found.segments, found.methods
    spend = effort = 0.0
    most = len(methods) * len(segments)
    if len(pd.research) > most:
        out.append(
            Problem(
                f"{where}.research",
                say("checks.research_orders", orders=len(pd.research), most=most),
            )
        )
        return spend, effort
    for i, order in enumerate(pd.research):
        method = methods.get(order.method)
        if method is None:
            out.append(
                Problem(f"{where}.research.{i}", say("checks.unknown_method", method=order.method))
            )
        else:
            spend += method.cost
            effort += method.effort
        if order.segment not in segments:
            out.append(
                Problem(
                    f"{where}.research.{i}", say("checks.unknown_segment", segment=order.segment)
                )
            )
    return spend, effort


def _line_people(
    where: str,
    pd: ProductDecision,
    decisions: Decisions,
    team: organisation.Team,
    scenario: Scenario,
    out: list[Problem],
) -> float:
    """Hires and layoffs; returns what they cost this quarter."""
    params = scenario.organisation
    heads = team.headcount  # a sum over the team's cohorts: worked out once
    if pd.hires and decisions.hiring_freeze:
        out.append(Problem(f"{where}.hires", say("checks.hiring_freeze", hires=pd.hires)))
    most = max(HIRES_MIN_CAP, HIRES_MAX_MULTIPLE * heads)
    room = max(0, TEAM_MAX - heads)
    if pd.hires > min(most, room):
        why = (
            say(
                "checks.hires_rate",
                hires=pd.hires,
                most=most,
                multiple=HIRES_MAX_MULTIPLE,
                team=heads,
                floor=HIRES_MIN_CAP,
            )
            if most <= room
            else say("checks.hires_size", hires=pd.hires, limit=count(TEAM_MAX), team=heads)
        )
        out.append(Problem(f"{where}.hires", why))
        return min(pd.layoffs, heads) * params.severance
    if pd.layoffs > heads:
        out.append(
            Problem(
                f"{where}.layoffs",
                say("checks.layoffs", layoffs=pd.layoffs, team=heads),
            )
        )
    return pd.hires * params.hiring_cost + min(pd.layoffs, heads) * params.severance


def _line_capacity(
    where: str,
    pid: str,
    pd: ProductDecision,
    team: organisation.Team,
    research_effort: float,
    ctx: Context,
    scenario: Scenario,
    out: list[Problem],
) -> None:
    """Warnings when the roadmap or the research asks for more than the team has."""
    params = scenario.organisation
    found = lookups(scenario)
    backlog = found.backlog
    split = pd.split
    available = organisation.feature_points(team, ctx.org.culture, split.features, params)
    valid = [
        i
        for i in pd.roadmap
        if i in backlog and backlog[i].product == pid and ctx.roadmap.items.get(i) is not None
    ]
    load = roadmap.plan_load(valid, ctx.roadmap, backlog, available)
    idle = load.planned <= 0 and load.available >= 1.0 and not load.overrun
    if load.crunch > 1e-6 or idle:
        out.append(
            Problem(f"{where}.roadmap", roadmap.load_words(load, found.item_names), "warning")
        )
    discovery = organisation.capacity(team, ctx.org.culture, params) * split.discovery
    if research_effort > discovery + 1e-6:
        out.append(
            Problem(
                f"{where}.research",
                say(
                    "checks.research_effort",
                    needs=number(research_effort, 0),
                    has=number(discovery, 0),
                ),
                "warning",
            )
        )


def check(decisions: Decisions, ctx: Context, scenario: Scenario) -> list[Problem]:
    """Every problem with ``decisions`` for this firm's current state, errors first."""
    out: list[Problem] = []
    found = lookups(scenario)
    own = found.own[ctx.firm]
    all_products = found.products
    spend = 0.0
    for pid, pd in decisions.products.items():
        if pid not in all_products:
            out.append(Problem(f"products.{pid}", say("checks.unknown_product", product=pid)))
        elif pid not in own:
            out.append(Problem(f"products.{pid}", say("checks.rival_product", product=pid)))
        elif pid not in ctx.lines:
            out.append(
                Problem(
                    f"products.{pid}",
                    say("checks.not_your_line", product=pid, role=ctx.role.upper()),
                )
            )
        else:
            spend += _line(pid, pd, decisions, ctx, scenario, out)

    initiatives = found.initiatives
    for ini in decisions.initiatives:
        if ini not in initiatives:
            out.append(Problem("initiatives", say("checks.unknown_initiative", initiative=ini)))
        else:
            spend += initiatives[ini].cost
    if len(set(decisions.initiatives)) < len(decisions.initiatives):
        out.append(Problem("initiatives", say("checks.initiative_twice")))

    cpo_fields = {
        "themes": decisions.themes,
        "mentoring": decisions.mentoring,
        "bets": decisions.bets,
        "incubation": decisions.incubation,
        "sunset": decisions.sunset,
    }
    if ctx.role == "pm":
        for name, value in cpo_fields.items():
            if value:
                out.append(Problem(name, say(f"checks.cpo_only.{name}")))
    else:
        spend += _portfolio(decisions, ctx, scenario, out)

    _responses(decisions, ctx, out)
    if spend > max(0.0, ctx.cash) + 1e-6:
        out.append(
            Problem(
                "spend",
                say(
                    "checks.overspend",
                    spend=money_full(spend, scenario.currency),
                    cash=money_full(ctx.cash, scenario.currency),
                ),
                "warning",
            )
        )
    return sorted(out, key=lambda p: p.severity != "error") if out else out


def _responses(decisions: Decisions, ctx: Context, out: list[Problem]) -> None:
    """Answers go to open requests: a negotiation offers something the colleague may agree
    to (a warning when their trust is too low to agree), a decline says why."""
    for key, reply in decisions.responses.items():
        where = f"responses.{key}"
        req = ctx.requests.get(key)
        if req is None:
            listed = ", ".join(sorted(ctx.requests)) or say("checks.no_requests")
            out.append(Problem(where, say("checks.unknown_request", request=key, open=listed)))
            continue
        if reply.answer == "decline":
            if reply.reason is None:
                out.append(Problem(where, say("checks.decline_reason")))
            continue
        if reply.answer == "accept":
            if reply.due is not None or reply.smaller:
                out.append(Problem(where, say("checks.accept_as_asked", due=req.due)))
            continue
        smaller = reply.smaller
        if smaller and req.request.smaller is None:
            out.append(Problem(where, say("checks.no_smaller")))
            continue
        due = req.due if reply.due is None else reply.due
        latest = req.due + req.request.negotiable
        if due < req.due or (due == req.due and not smaller):
            out.append(Problem(where, say("checks.negotiate_later", due=req.due)))
        elif due > latest:
            out.append(Problem(where, say("checks.negotiate_latest", latest=latest)))
        else:
            needed = need(due - req.due, smaller)
            trust = ctx.trust.get(req.stakeholder, 0.0)
            if trust + 1e-9 < needed:
                out.append(
                    Problem(
                        where,
                        say(
                            "checks.negotiate_refused",
                            trust=number(trust, 2),
                            need=number(needed, 2),
                        ),
                        "warning",
                    )
                )


def _portfolio(decisions: Decisions, ctx: Context, scenario: Scenario, out: list[Problem]) -> float:
    """Check the CPO's portfolio fields; return the money they commit."""
    for line in decisions.themes:
        if line not in ctx.lines:
            out.append(Problem("themes", say("checks.unknown_line", line=line)))
    total = 0.0
    for line, share in decisions.mentoring.items():
        if line not in ctx.lines:
            out.append(Problem("mentoring", say("checks.unknown_line", line=line)))
        if not math.isfinite(share) or share < 0 or share > 1:
            out.append(Problem(f"mentoring.{line}", say("checks.mentoring_share", share=share)))
        else:
            total += share
    if total > 1 + 1e-9:
        out.append(Problem("mentoring", say("checks.mentoring_total", total=pct(total, 0))))
    bets = lookups(scenario).bets
    spend = 0.0
    for bet in decisions.bets:
        if bet not in bets:
            out.append(Problem("bets", say("checks.unknown_bet", bet=bet)))
        elif bet in ctx.resolved_bets:
            out.append(Problem("bets", say("checks.bet_decided", bet=bets[bet].name)))
        else:
            spend += bets[bet].cost
    if decisions.incubation > ctx.org.headcount:
        out.append(
            Problem(
                "incubation",
                say(
                    "checks.incubation",
                    engineers=decisions.incubation,
                    headcount=ctx.org.headcount,
                ),
            )
        )
    for line in decisions.sunset:
        if line not in ctx.lines:
            out.append(Problem("sunset", say("checks.unknown_line", line=line)))
    if decisions.sunset and set(ctx.lines) <= set(decisions.sunset):
        out.append(Problem("sunset", say("checks.sunset_all")))
    return spend
