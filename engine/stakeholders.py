"""Colleagues (DESIGN §6, issue 19): goals, trust, requests, promises and their memory.

A player firm's colleagues (:class:`engine.scenario.Stakeholder`: engineering, design,
sales and marketing leads for a PM; the CEO, the CFO and the line PMs for a CPO) bring
requests the scenario authored (:class:`engine.scenario.Request`). A quarter runs:

1. :func:`ask` (end of the quarter before): each colleague brings at most one new request
   whose quarter has come and whose conditions hold (one uniform draw per request template
   and quarter, whatever happens, so the stream never depends on the player); a colleague
   whose promises were broken asks for more (sooner, a larger share, more studies).
2. :func:`respond` (start of the quarter): the player's answers — accept (a promise with a
   due quarter), negotiate (a later date or the smaller scope: agreed when trust is at
   least :func:`need`, else the colleague holds firm and asks again next quarter), decline
   with a reason, or no answer at all (ignored, which costs more trust than a decline).
3. :func:`evaluate` (end of the quarter): every open promise is checked against what the
   firm did (:class:`Facts`); kept and broken promises move trust and queue the request's
   typed effects for the start of the next quarter (:class:`Consequence`), where the
   company applies them through the same :class:`engine.events.World` as events, so they
   act through the market and organisation model and the drivers name them.

Trust also works every quarter through :func:`modifiers`: engineering's moves morale (and
so attrition) and, when low, makes the effort estimates the PM sees optimistic; design's
the quality of shipped items and the cost of research, marketing's how far marketing spend
reaches, sales' the size of the deals it closes, the CFO's the cost of bets and
initiatives, the CEO's psychological safety and line PMs' collaboration. Pure and
deterministic: no I/O, randomness only from the generator given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from engine.formatting import number, signed, signed_pct
from engine.phrases import say
from engine.report import ResponseResult
from engine.scalars import clip, mean
from engine.scenario import (
    PM_COLLEAGUES,
    Ask,
    BetAsk,
    Condition,
    Deal,
    Effect,
    KpiAsk,
    Request,
    ResearchAsk,
    Scenario,
    ShipAsk,
    SplitAsk,
    Stakeholder,
    ThemeAsk,
)
from engine.scoring import Evidence, kpi_key

Answer = Literal["accept", "negotiate", "decline"]
Reason = Literal["market", "capacity", "strategy", "budget"]
REASONS: tuple[str, ...] = ("market", "capacity", "strategy", "budget")
"""Why a request is declined (a decline always gives one)."""

NEGOTIATE_BASE = 0.35
"""Trust a colleague needs to agree to a negotiated request at all ..."""
NEGOTIATE_PER_QUARTER = 0.1
"""... plus this much per quarter of delay asked for ..."""
NEGOTIATE_SMALLER = 0.15
"""... plus this much for the smaller scope."""
PLEASED = 0.05
"""A colleague whose trust rose by at least this much this quarter is pleased (let down when
it fell by as much)."""
MEMORY_SHARE = 0.05
"""Per broken promise, a split ask wants this much more of the capacity ..."""
MEMORY_STUDIES = 1
"""... a research ask this many more studies, and every ask comes due a quarter sooner."""

# What trust does every quarter (0.5 is neutral; each term is linear in trust − 0.5).
ENGINEERING_MORALE = 0.06
"""Morale moves by this × 2·(trust − 0.5) a quarter with engineering's trust."""
CEO_SAFETY = 0.04
"""Psychological safety moves by this × 2·(trust − 0.5) a quarter with the CEO's trust."""
PM_COLLABORATION = 0.04
"""Collaboration moves by this × 2·(trust − 0.5) a quarter with the line PMs' trust."""
DESIGN_QUALITY = 0.03
"""Each shipped item's quality gains this × 2·(trust − 0.5) with design's trust ..."""
DESIGN_RESEARCH_COST = 0.25
"""... and research costs 1 − this × 2·(trust − 0.5) times its price."""
MARKETING_REACH = 0.25
"""Marketing spend works 1 + this × 2·(trust − 0.5) times as well with marketing's trust."""
SALES_DEALS = 0.5
"""Deals close with 1 + this × 2·(trust − 0.5) times the customers with sales' trust."""
ENGINEERING_ESTIMATES = 0.25
"""Below neutral trust, engineering tells the PM what they want to hear: the effort
estimates the PM sees shrink by up to this share (trust 0), though the work stays as big."""
CFO_COSTS = 0.25
"""Bets and culture initiatives cost 1 − this × 2·(trust − 0.5) times their price with the
CFO's trust (budget room)."""


def _lean(trust: float) -> float:
    """Trust as −1 (none) … 0 (neutral, 0.5) … +1 (full)."""
    return 2.0 * (trust - 0.5)


# --------------------------------------------------------------------------- state


@dataclass
class Colleague:
    """One colleague as the game goes: trust and memory of promises."""

    spec: Stakeholder
    trust: float
    trust_before: float = 0.0
    kept: int = 0
    broken: int = 0
    declined: int = 0
    ignored: int = 0
    asked: list[str] = field(default_factory=list)  # request ids asked so far
    why: list[str] = field(default_factory=list)  # this quarter's trust moves, in words
    timeline: list[float] = field(default_factory=list)  # trust at the end of each quarter


@dataclass
class Open:
    """A request waiting for the player's answer this quarter."""

    key: str  # "<stakeholder>.<request>"
    stakeholder: str
    request: Request
    asked: int  # the quarter it must be answered in
    due: int  # the quarter it is due at the end of
    ask: Ask  # as asked (memory may ask for more than the template)
    text: str
    held: bool = False  # asked again after a refused negotiation


@dataclass
class Promise:
    """A commitment: an accepted (or agreed) request and how it ended."""

    key: str
    stakeholder: str
    request: Request
    ask: Ask
    text: str
    since: int  # first quarter that counts
    due: int
    smaller: bool = False
    status: Literal["open", "kept", "broken"] = "open"
    closed: int | None = None
    progress: str = ""


@dataclass(frozen=True)
class Consequence:
    """Effects a colleague's reaction brings, applied at the start of ``quarter``."""

    quarter: int
    stakeholder: str
    title: str
    effects: tuple[Effect, ...]


@dataclass
class PeopleState:
    """A player firm's colleagues, their open requests, promises and queued consequences."""

    colleagues: dict[str, Colleague]
    lines: tuple[str, ...]
    open: dict[str, Open] = field(default_factory=dict)
    promises: list[Promise] = field(default_factory=list)
    pending: list[Consequence] = field(default_factory=list)
    responses: list[ResponseResult] = field(default_factory=list)  # this quarter's
    history: list[ResponseResult] = field(default_factory=list)  # every quarter's
    applied: list[str] = field(default_factory=list)  # consequences applied this quarter

    @property
    def active(self) -> bool:
        """True when the firm has colleagues at all."""
        return bool(self.colleagues)


def initial_state(
    scenario: Scenario, role: str, lines: Sequence[str], products: Sequence[str]
) -> PeopleState:
    """The colleagues a player firm in ``role`` deals with, at their starting trust.

    ``lines`` are the lines the firm runs in this role and ``products`` all its products: a
    colleague tied to a line of another firm (a team's clone in a shared market) is not
    this firm's colleague.
    """
    colleagues = {
        s.id: Colleague(spec=s, trust=s.trust, trust_before=s.trust)
        for s in scenario.stakeholders
        if role in s.plays_in() and (s.product is None or s.product in products)
    }
    return PeopleState(colleagues=colleagues, lines=tuple(lines))


def line_of(state: PeopleState, person: Stakeholder) -> str | None:
    """The line a colleague works with: their own, else (a PM's leads) the firm's first; the
    CEO and the CFO work with the whole portfolio (None)."""
    if person.product is not None and person.product in state.lines:
        return person.product
    if person.role not in PM_COLLEAGUES:
        return None
    return state.lines[0] if state.lines else None


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class Facts:
    """What the firm did and where it stands after one quarter (for checking promises)."""

    quarter: int
    shipped: frozenset[str]  # every item shipped so far
    studies: tuple[tuple[str, str], ...]  # (method, segment) of this quarter's studies
    splits: Mapping[str, Mapping[str, float]]  # line -> {"debt": .., "discovery": ..}
    themes: Mapping[str, str]
    bets: frozenset[str]  # bets funded this quarter
    kpis: Mapping[str, float]


# --------------------------------------------------------------------------- asking


def ask(
    state: PeopleState,
    quarter: int,
    kpis: Mapping[str, float],
    rng: np.random.Generator | None,
) -> None:
    """Bring this quarter's new requests (``quarter`` is the quarter they must be answered in).

    Every request template not yet asked draws one uniform number (in file order) when the
    firm has colleagues, whatever happens next; a colleague brings the first eligible one
    (window, conditions, chance) unless they already wait for an answer.
    """
    waiting = {o.stakeholder for o in state.open.values()}
    for person in state.colleagues.values():
        spec = person.spec
        chosen: Request | None = None
        for req in spec.requests:
            if req.id in person.asked:
                continue
            u = float(rng.random()) if rng is not None else 0.0
            if chosen is not None or spec.id in waiting:
                continue
            if not req.earliest <= quarter <= req.latest:
                continue
            if not all(_holds(c, kpis) for c in req.when) or u >= req.chance:
                continue
            chosen = req
        if chosen is None:
            continue
        person.asked.append(chosen.id)
        wanted = _remembered(chosen.ask, person.broken)
        due = quarter + max(1, chosen.due_in - person.broken) - 1
        text = chosen.text
        if person.broken:
            text = say("people.remembers", text=text, count=person.broken)
        key = f"{spec.id}.{chosen.id}"
        state.open[key] = Open(key, spec.id, chosen, quarter, due, wanted, text)


def _holds(cond: Condition | KpiAsk, kpis: Mapping[str, float]) -> bool:
    """Is a KPI condition (or a KPI ask) met by ``kpis``? A KPI not measured is not met."""
    value = kpis.get(kpi_key(cond.kpi, cond.segment, cond.product))
    if value is None or not np.isfinite(value):
        return False
    target = cond.value if isinstance(cond, Condition) else cond.target
    return value >= target if cond.op == ">=" else value <= target


def _remembered(wanted: Ask, broken: int) -> Ask:
    """What a colleague asks for after ``broken`` broken promises: more of it."""
    if not broken:
        return wanted
    if isinstance(wanted, SplitAsk):
        return wanted.model_copy(update={"share": min(1.0, wanted.share + MEMORY_SHARE * broken)})
    if isinstance(wanted, ResearchAsk):
        return wanted.model_copy(update={"count": wanted.count + MEMORY_STUDIES * broken})
    return wanted


def need(extra: int, smaller: bool) -> float:
    """The trust a colleague needs to agree to ``extra`` quarters and (or) the smaller scope."""
    return (
        NEGOTIATE_BASE
        + NEGOTIATE_PER_QUARTER * max(0, extra)
        + (NEGOTIATE_SMALLER if smaller else 0.0)
    )


# --------------------------------------------------------------------------- answering


@dataclass(frozen=True)
class Reply:
    """A player's answer to one request (:class:`engine.decisions.RequestResponse`, as data)."""

    answer: Answer
    due: int | None = None
    smaller: bool = False
    reason: str | None = None


def respond(state: PeopleState, replies: Mapping[str, Reply], quarter: int) -> list[Consequence]:
    """Play the answers to this quarter's open requests; returns the consequences due now
    (a decline's or a silence's). Requests nobody answered are ignored."""
    state.responses = []
    now: list[Consequence] = []
    for c in state.colleagues.values():
        c.trust_before, c.why = c.trust, []
    for key, req in list(state.open.items()):
        if req.asked != quarter:
            continue
        del state.open[key]
        reply = replies.get(key)
        if reply is None or reply.answer == "decline":
            now += _turned_down(state, req, reply, quarter)
        elif reply.answer == "accept":
            state.promises.append(_promise(req, req.due, False))
            _answered(state, req, "accept", "accepted", req.due)
        else:
            _negotiate(state, req, reply, quarter)
    state.history += state.responses
    return now


def _answered(
    state: PeopleState,
    req: Open,
    answer: str,
    outcome: str,
    due: int | None,
    smaller: bool = False,
    reason: str | None = None,
    words: str | None = None,
    need_: str = "",
    about: str | None = None,
) -> None:
    """Note what became of an answer (the report's ``responses``); ``about`` words what was
    agreed when it is not the request as asked (the smaller scope)."""
    person = state.colleagues[req.stakeholder]
    key = words or f"people.response.{outcome}"
    text = say(key, who=_who(person), text=about or req.text, due=due or req.due, need=need_)
    state.responses.append(
        ResponseResult(req.key, req.stakeholder, answer, outcome, due, smaller, reason, text)
    )


def _turned_down(
    state: PeopleState, req: Open, reply: Reply | None, quarter: int
) -> list[Consequence]:
    """A decline (with its reason) or no answer at all: trust falls, the request's
    ``declined`` effects follow now."""
    person = state.colleagues[req.stakeholder]
    ignored = reply is None
    outcome = "ignored" if ignored else "declined"
    rule = req.request.trust
    _move(person, rule.ignored if ignored else rule.declined, f"people.why.{outcome}", req)
    if ignored:
        person.ignored += 1
    else:
        person.declined += 1
    reason = None if reply is None else reply.reason
    _answered(state, req, "none" if ignored else "decline", outcome, None, reason=reason)
    if not req.request.declined:
        return []
    title = say(f"people.title.{outcome}", who=_who(person), text=req.text)
    return [Consequence(quarter, person.spec.id, title, tuple(req.request.declined))]


def _negotiate(state: PeopleState, req: Open, reply: Reply, quarter: int) -> None:
    """A later date or the smaller scope: agreed when the colleague's trust is at least
    :func:`need`; else they hold firm and ask again next quarter (as good as a decline when
    the request falls due now)."""
    person = state.colleagues[req.stakeholder]
    due = reply.due if reply.due is not None else req.due
    smaller = reply.smaller and req.request.smaller is not None
    needed = need(due - req.due, smaller)
    if person.trust + 1e-9 >= needed:
        promise = _promise(req, due, smaller)
        state.promises.append(promise)
        words = "people.response.agreed_smaller" if smaller else "people.response.agreed"
        _answered(state, req, "negotiate", "agreed", due, smaller, words=words, about=promise.text)
        return
    if req.due > quarter:  # they hold firm: the same request, due as before
        state.open[req.key] = Open(
            req.key, req.stakeholder, req.request, quarter + 1, req.due, req.ask, req.text, True
        )
    else:  # no time left to ask again: as good as declined
        _move(person, req.request.trust.declined, "people.why.declined", req)
        person.declined += 1
    _answered(state, req, "negotiate", "refused", due, smaller, need_=number(needed, 2))


def _promise(req: Open, due: int, smaller: bool) -> Promise:
    """The promise an accepted (or agreed) request becomes."""
    scope = req.request.smaller
    wanted = scope.ask if smaller and scope is not None else req.ask
    text = scope.text if smaller and scope is not None else req.text
    return Promise(req.key, req.stakeholder, req.request, wanted, text, req.asked, due, smaller)


def _move(person: Colleague, change: float, key: str, about: Open | Promise) -> None:
    """Move a colleague's trust (kept within 0..1) and say why."""
    person.trust = clip(person.trust + change, 0.0, 1.0)
    person.why.append(say(key, text=about.text))


def _who(person: Colleague) -> str:
    """ "Sales (Dana Okafor)"."""
    return named(person.spec.role, person.spec.name)


def named(role: str, name: str) -> str:
    """A colleague as every screen and sentence names them: "Sales (Dana Okafor)"."""
    return say("people.who", role=role_name(role), name=name)


def role_name(role: str) -> str:
    """A colleague's role in words ("Engineering", "CFO")."""
    return say(f"people.role.{role}")


# --------------------------------------------------------------------------- promises


def evaluate(state: PeopleState, log: Sequence[Facts], quarter: int) -> None:
    """Check every open promise after ``quarter``; kept and broken ones move trust and queue
    their consequences for the next quarter. Ends the quarter: trust joins the timeline."""
    for promise in state.promises:
        if promise.status != "open":
            continue
        person = state.colleagues[promise.stakeholder]
        seen = [f for f in log if f.quarter >= promise.since]
        kept, failed, progress = _check(promise.ask, seen, state, person.spec)
        if sustained(promise.ask) and not failed and quarter >= promise.due:
            kept = True
        promise.progress = progress
        if kept:
            promise.status, promise.closed = "kept", quarter
            person.kept += 1
            _move(person, promise.request.trust.kept, "people.why.kept", promise)
            effects = _scaled(promise, person, state)
            if effects:
                title = promise.request.kept_text or say("people.kept_default", text=promise.text)
                state.pending.append(
                    Consequence(
                        quarter + 1,
                        person.spec.id,
                        say("people.title.kept", who=_who(person), title=title),
                        effects,
                    )
                )
        elif failed or quarter >= promise.due:
            promise.status, promise.closed = "broken", quarter
            person.broken += 1
            _move(person, promise.request.trust.broken, "people.why.broken", promise)
            if promise.request.broken:
                title = promise.request.broken_text or say(
                    "people.broken_default", text=promise.text
                )
                state.pending.append(
                    Consequence(
                        quarter + 1,
                        person.spec.id,
                        say("people.title.broken", who=_who(person), title=title),
                        tuple(promise.request.broken),
                    )
                )
    for person in state.colleagues.values():
        person.timeline.append(person.trust)


def _check(
    wanted: Ask, seen: Sequence[Facts], state: PeopleState, person: Stakeholder
) -> tuple[bool, bool, str]:
    """(kept, failed for good, progress in words) of an ask over the quarters ``seen``."""
    last = seen[-1]
    match wanted:
        case ShipAsk():
            done = wanted.item in last.shipped
            return done, False, say("people.progress.ship_done" if done else "people.progress.ship")
        case ResearchAsk():
            n = sum(
                1
                for f in seen
                for method, segment in f.studies
                if (wanted.method is None or method == wanted.method)
                and (wanted.segment is None or segment == wanted.segment)
            )
            return (
                n >= wanted.count,
                False,
                say("people.progress.studies", done=n, count=wanted.count),
            )
        case SplitAsk():
            line = wanted.product or line_of(state, person) or ""
            shares = [f.splits.get(line, {}).get(wanted.part, 0.0) for f in seen]
            low = any(s + 1e-9 < wanted.share for s in shares)
            return (
                False,
                low,
                say(
                    "people.progress.split_broken" if low else "people.progress.split",
                    quarters=len(shares),
                ),
            )
        case ThemeAsk():
            off = any(f.themes.get(wanted.product) != wanted.theme for f in seen)
            return (
                False,
                off,
                say(
                    "people.progress.theme_broken" if off else "people.progress.theme",
                    quarters=len(seen),
                ),
            )
        case BetAsk():
            funded = any(wanted.bet in f.bets for f in seen)
            return (
                funded,
                False,
                say("people.progress.bet_done" if funded else "people.progress.bet"),
            )
        case KpiAsk():
            met = _holds(wanted, last.kpis)
            return met, False, say("people.progress.kpi_met" if met else "people.progress.kpi")
    raise TypeError(f"unknown ask {wanted!r}")  # pragma: no cover - the union is closed


def sustained(wanted: Ask) -> bool:
    """True for asks kept by holding a course until the due quarter (split, theme): kept at
    the due quarter when never broken on the way."""
    return isinstance(wanted, SplitAsk | ThemeAsk)


def _scaled(promise: Promise, person: Colleague, state: PeopleState) -> tuple[Effect, ...]:
    """The kept effects: a smaller scope earns its share; sales' trust sizes a deal."""
    share = promise.request.smaller.value if promise.smaller and promise.request.smaller else 1.0
    deals = 1.0 + SALES_DEALS * _lean(role_trust(state, "sales", default=0.5))
    out: list[Effect] = []
    for eff in promise.request.kept:
        factor = share * (deals if isinstance(eff, Deal) else 1.0)
        out.append(_times(eff, factor))
    return tuple(out)


def _times(eff: Effect, factor: float) -> Effect:
    """An effect ``factor`` times as large (whole numbers stay whole)."""
    if factor == 1.0:
        return eff
    if isinstance(eff, Deal):
        return eff.model_copy(update={"customers": eff.customers * factor})
    change = eff.change * factor  # type: ignore[union-attr]
    if isinstance(change, float) and isinstance(eff.change, int):  # type: ignore[union-attr]
        change = round(change)
    return eff.model_copy(update={"change": change})


def due_now(state: PeopleState, quarter: int) -> list[Consequence]:
    """The queued consequences due at the start of ``quarter`` (taken off the queue)."""
    now = [c for c in state.pending if c.quarter <= quarter]
    state.pending = [c for c in state.pending if c.quarter > quarter]
    return now


# --------------------------------------------------------------------------- trust at work


def role_trust(state: PeopleState, role: str, default: float | None = None) -> float | None:
    """Mean trust of the colleagues in ``role`` (``default`` when there are none)."""
    found = [c.trust for c in state.colleagues.values() if c.spec.role == role]
    return mean(found) if found else default


@dataclass(frozen=True)
class Modifiers:
    """What trust does to the model this quarter (1.0 and 0.0 are neutral)."""

    culture: Mapping[str, float] = field(default_factory=dict)  # dimension -> shift
    shipped_quality: float = 0.0  # added to each shipped item's quality
    research_cost: float = 1.0  # × each study's price
    reach: float = 1.0  # × marketing spend's effect on goodwill
    costs: float = 1.0  # × bets' and initiatives' prices
    estimates: float = 1.0  # × the effort estimates the PM sees (below 1: optimistic)

    @property
    def neutral(self) -> bool:
        """True when trust changes nothing (no colleague concerned)."""
        return self == Modifiers()


def modifiers(state: PeopleState) -> Modifiers:
    """This quarter's effects of trust (only roles the firm has colleagues in)."""
    culture: dict[str, float] = {}
    for role, dim, size in (
        ("engineering", "morale", ENGINEERING_MORALE),
        ("ceo", "safety", CEO_SAFETY),
        ("pm", "collaboration", PM_COLLABORATION),
    ):
        trust = role_trust(state, role)
        if trust is not None:
            culture[dim] = size * _lean(trust)
    engineering = role_trust(state, "engineering")
    design = role_trust(state, "design")
    marketing = role_trust(state, "marketing")
    cfo = role_trust(state, "cfo")
    return Modifiers(
        culture=culture,
        shipped_quality=0.0 if design is None else DESIGN_QUALITY * _lean(design),
        research_cost=1.0 if design is None else 1.0 - DESIGN_RESEARCH_COST * _lean(design),
        reach=1.0 if marketing is None else 1.0 + MARKETING_REACH * _lean(marketing),
        costs=1.0 if cfo is None else 1.0 - CFO_COSTS * _lean(cfo),
        estimates=1.0
        if engineering is None
        else 1.0 - ENGINEERING_ESTIMATES * max(0.0, -_lean(engineering)),
    )


def notes(state: PeopleState, mods: Modifiers) -> dict[str, str]:
    """What trust did this quarter, in words, keyed by the driver it shows in."""
    out: dict[str, str] = {}
    people = state.colleagues.values()

    def named(role: str) -> str:
        return ", ".join(_who(c) for c in people if c.spec.role == role)

    if mods.reach != 1.0:
        out["awareness"] = say(
            "people.note.reach", who=named("marketing"), change=signed_pct(mods.reach - 1, 0)
        )
    if mods.shipped_quality:
        out["attributes"] = say(
            "people.note.quality", who=named("design"), change=signed(mods.shipped_quality, 3)
        )
    return out


# --------------------------------------------------------------------------- the report


def mood(person: Colleague) -> str:
    """pleased, let_down or steady this quarter."""
    change = person.trust - person.trust_before
    if change >= PLEASED - 1e-9:
        return "pleased"
    if change <= -PLEASED + 1e-9:
        return "let_down"
    return "steady"


def ask_dict(wanted: Ask) -> dict[str, Any]:
    """An ask as plain JSON data."""
    return wanted.model_dump()


def evidence(state: PeopleState) -> Evidence:
    """The scorecard's evidence of working with colleagues, so far."""
    people = list(state.colleagues.values())
    outcomes = [r.outcome for r in state.history]
    answered = sum(o in ("accepted", "agreed", "declined") for o in outcomes)
    return Evidence(
        asked=sum(o != "refused" for o in outcomes),
        answered=answered,
        promised=len(state.promises),
        kept=sum(p.status == "kept" for p in state.promises),
        broken=sum(p.status == "broken" for p in state.promises),
        negotiated=sum(o == "agreed" for o in outcomes),
        trust_start=mean([c.spec.trust for c in people]) if people else 0.0,
        trust=mean([c.trust for c in people]) if people else 0.0,
    )
