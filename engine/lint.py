"""Lint a validated scenario: settings that do nothing, can never happen or look out of scale.

A scenario that loads is *valid*; it can still say things the engine will ignore (a
``segment`` on a morale objective), schedule what can never happen (an event with no
trigger), or start the market somewhere no author meant (a price 100× the segment's
reference price). :func:`lint` finds these and returns one :class:`LintWarning` per finding,
each with a code from :data:`CODES`, the field path it belongs to (named by ids as the
loader's errors are) and, given the file's :class:`~engine.yaml_positions.Reading`, the line
and column the author wrote it at.

Quarter-0 facts (each objective's starting KPI, each firm's starting revenue and profit) come
from the engine itself: a :class:`~engine.simulation.Simulation` is built per role and never
stepped. Pure: no file is read or written.

A warning is silenced by the ``lint: {ignore: [W104], reason: ...}`` block of the item it
belongs to or of any item around it (the top level silences a code in the whole file).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from engine.formatting import count, money_full
from engine.kpis import KPIS
from engine.loader import Problem, field_name, where
from engine.scenario import Loc, Objective, Scenario
from engine.scoring import evaluate, kpi_key, start_value
from engine.simulation import Simulation
from engine.yaml_positions import Reading

CODES: dict[str, str] = {
    "W001": "a lint.ignore names a code that does not exist",
    "W002": "a lint.ignore silences nothing here (stale)",
    "W101": "an objective's segment or product is a breakdown its KPI lacks (never measured)",
    "W102": "an objective names a product no player runs in one of its roles",
    "W103": "an objective's KPI cannot be influenced in one of its roles",
    "W104": "a goal (mode at/final) is already met at quarter 0, so it scores as a guardrail",
    "W105": "an objective's 'by' has no effect with mode: final",
    "W201": "an event can never happen (no quarter, no probability, not in the inject deck)",
    "W202": "a random event's window starts after the last quarter",
    "W203": "'earliest'/'latest' have no effect on an event that is not random",
    "W301": "a bet unlocks an item that is visible from the start",
    "W302": "bets in a scenario without the cpo role are never funded",
    "W401": "a price is 10× or more away from the segment's reference price",
    "W402": "starting customers are off by the segment's resolution (rounded to synthetic ones)",
    "W403": "an AI firm's marketing budget exceeds its starting revenue",
    "W404": "a player firm runs out of cash within two quarters at its starting run-rate",
    "W501": "a backlog item is for a product no player line runs",
    "W502": "a backlog item changes nothing when shipped",
    "W503": "a product exists only in roles the scenario is not played in",
    "W504": "a team on an AI firm's product (AI firms have no organisation)",
}
"""Every warning code and what it means (docs/authoring_intro.md explains each)."""

PRICE_RATIO = 10.0
"""A price this many times above (or below 1/this of) the reference price is flagged."""
ROUNDING = 0.1
"""Starting customers that change by more than this fraction when seated are flagged."""
RUNWAY_QUARTERS = 2
"""A player firm whose cash lasts fewer quarters than this at its starting run-rate is flagged."""
ROLE_LEVERS: dict[str, tuple[str, str]] = {
    "pm_skill": ("cpo", "mentoring, the only lever on PM skill, is a CPO decision"),
}
"""KPIs only one role can move: KPI → (role, why)."""


@dataclass(frozen=True)
class LintWarning:
    """One lint finding: its code, where (field path and, when known, line and column), what."""

    code: str
    loc: Loc
    message: str
    field: str = ""
    line: int = 0
    col: int = 0

    def text(self, file: str) -> str:
        """``file:line:col: path: warning W104: message``, as validate prints it."""
        return str(Problem(file, self.line, self.col, self.field, self.text_body()))

    def text_body(self) -> str:
        """``warning W104: message``."""
        return f"warning {self.code}: {self.message}"


@dataclass
class _Start:
    """Quarter-0 facts of a scenario, per role: player firms' KPIs and firms' money."""

    kpis: dict[str, dict[str, dict[str, float]]]  # role → player firm → KPI key → value
    revenue: dict[str, float]  # firm → starting revenue per quarter (largest over roles)
    profit: dict[str, float]  # player firm → starting profit per quarter (smallest over roles)

    @classmethod
    def of(cls, s: Scenario) -> _Start:
        """Build each role's simulation at quarter 0 (nothing is played)."""
        kpis: dict[str, dict[str, dict[str, float]]] = {}
        revenue: dict[str, float] = {}
        profit: dict[str, float] = {}
        for role in s.roles:
            sim = Simulation(s, role=role, explain=False)
            kpis[role] = {f: dict(b.start_kpis) for f, b in sim.company.books.items()}
            for fid, fr in sim.history[0].firms.items():
                revenue[fid] = max(revenue.get(fid, 0.0), fr.revenue)
                if fr.controller == "player":
                    profit[fid] = min(profit.get(fid, fr.profit), fr.profit)
        return cls(kpis, revenue, profit)


Found = Iterator[tuple[str, Loc, str]]
LintCheck = Callable[[Scenario, _Start], Found]


def _named(kpi: str) -> str:
    """A KPI's name in an authoring message (English, whatever the player's language)."""
    return KPIS[kpi].english_label


def lint(scenario: Scenario, reading: Reading | None = None) -> list[LintWarning]:
    """Every lint warning of a validated scenario that no ``lint.ignore`` silences.

    ``reading`` (what :func:`engine.yaml_positions.read_yaml` made of the file) gives each
    warning the author's line and column; without it they are 0.
    """
    start = _Start.of(scenario)
    found = [f for check in CHECKS for f in check(scenario, start)]
    kept, used = [], set()
    for code, loc, message in found:
        silencer = _silencer(scenario, loc, code)
        if silencer is None:
            kept.append((code, loc, message))
        else:
            used.add((silencer, code))
    kept += _silences(scenario, used)
    data = scenario.model_dump() if reading is None else None
    out = []
    for code, loc, message in kept:
        name, line, col = where(reading, loc) if reading else (field_name(data, loc), 0, 0)
        out.append(LintWarning(code, loc, message, name, line, col))
    return sorted(out, key=lambda w: (w.line, w.col, w.field, w.code))


# --------------------------------------------------------------------------- silencing


def _along(scenario: Scenario, loc: Loc) -> Iterator[tuple[Loc, Any]]:
    """Each model on the way to ``loc`` (the scenario first) with its own path."""
    node: Any = scenario
    yield (), node
    for n, el in enumerate(loc):
        if isinstance(el, int):
            node = node[el] if isinstance(node, list) and el < len(node) else None
        else:
            node = getattr(node, el, None)
        if node is None:
            return
        if isinstance(node, BaseModel):
            yield loc[: n + 1], node


def _silencer(scenario: Scenario, loc: Loc, code: str) -> Loc | None:
    """The path of the innermost item around ``loc`` whose ``lint.ignore`` has ``code``."""
    found = None
    for path, node in _along(scenario, loc):
        settings = getattr(node, "lint", None)
        if settings is not None and code in settings.ignore:
            found = path
    return found


def _silences(scenario: Scenario, used: set[tuple[Loc, str]]) -> list[tuple[str, Loc, str]]:
    """W001/W002: every ``lint.ignore`` entry that is no code or that silenced nothing."""
    out = []
    for path, settings in _lint_blocks(scenario):
        for i, code in enumerate(settings.ignore):
            loc = (*path, "lint", "ignore", i)
            if code not in CODES:
                out.append(("W001", loc, f"no lint warning has the code {code}: remove it"))
            elif (path, code) not in used:
                out.append(("W002", loc, f"{code} does not fire here any more: remove it"))
    return out


def _lint_blocks(scenario: Scenario) -> Iterator[tuple[Loc, Any]]:
    """Every ``lint`` block of the scenario with the path of the item that holds it."""

    def walk(node: Any, path: Loc) -> Iterator[tuple[Loc, Any]]:
        if isinstance(node, list):
            for i, entry in enumerate(node):
                yield from walk(entry, (*path, i))
        elif isinstance(node, BaseModel):
            if getattr(node, "lint", None) is not None:
                yield path, node.lint
            for name in type(node).model_fields:
                if name != "lint":
                    yield from walk(getattr(node, name), (*path, name))

    yield from walk(scenario, ())


# --------------------------------------------------------------------------- objectives


def _objective_roles(s: Scenario, roles: list[str]) -> list[str]:
    """The roles an objective is scored in that the scenario is played in."""
    return [r for r in roles if r in s.roles]


def _owners(s: Scenario) -> dict[str, tuple[str, str, list[str]]]:
    """Product id → (firm id, controller, roles it exists in)."""
    return {p.id: (f.id, f.controller, list(p.roles)) for f, p in s.products()}


def _objective_measured(s: Scenario, start: _Start) -> Found:
    """W101, W102: an objective whose KPI key no player firm has is never measured or met."""
    owners = _owners(s)
    for i, obj in enumerate(s.objectives):
        loc: Loc = ("objectives", i)
        roles = _objective_roles(s, obj.roles)
        if obj.product in owners:
            firm, controller, offered = owners[obj.product]
            if controller != "player":
                yield (
                    "W102",
                    (*loc, "product"),
                    (
                        f"'{obj.product}' belongs to the AI firm '{firm}': no player runs it, so "
                        "this objective is never measured; name a player's product"
                    ),
                )
                continue
            missing = [r for r in roles if r not in offered]
            roles = [r for r in roles if r in offered]
            if missing:
                yield (
                    "W102",
                    (*loc, "product"),
                    (
                        f"'{obj.product}' is not offered in role '{missing[0]}', so this objective "
                        f"is never met there; set roles: [{', '.join(roles)}] on the objective"
                    ),
                )
        if roles:
            yield from _unmeasured(obj, loc, start.kpis[roles[0]])


def _unmeasured(obj: Objective, loc: Loc, books: dict[str, dict[str, float]]) -> Found:
    """W101 when no player firm has the objective's KPI key (segment or product on a KPI
    that has no such breakdown)."""
    key = kpi_key(obj.kpi, obj.segment, obj.product)
    if not books or any(key in k for k in books.values()):
        return
    kpis = next(iter(books.values()))
    if obj.segment is not None and kpi_key(obj.kpi, None, obj.product) in kpis:
        extra, what = "segment", "per segment"
    elif obj.product is not None and kpi_key(obj.kpi, obj.segment, None) in kpis:
        extra, what = "product", "per product"
    else:
        extra, what = ("segment" if obj.segment else "product"), "in this breakdown"
    yield (
        "W101",
        (*loc, extra),
        (
            f"{_named(obj.kpi)} is not measured {what}: as written the objective is never "
            f"met; remove '{extra}'"
        ),
    )


def _objective_roles_levers(s: Scenario, start: _Start) -> Found:
    """W103: a KPI only another role can move (PM skill without mentoring)."""
    for i, obj in enumerate(s.objectives):
        lever = ROLE_LEVERS.get(obj.kpi)
        if lever is None:
            continue
        role, why = lever
        blind = [r for r in _objective_roles(s, obj.roles) if r != role]
        if blind:
            yield (
                "W103",
                ("objectives", i, "roles"),
                (
                    f"in role '{blind[0]}' nothing moves {_named(obj.kpi)} ({why}); set "
                    f"roles: [{role}]"
                ),
            )


def _objective_already_met(s: Scenario, start: _Start) -> Found:
    """W104: a goal met before anything is played scores as a guardrail (earns nothing)."""
    for i, obj in enumerate(s.objectives):
        if obj.mode == "always":
            continue  # a guardrail by intent
        for role in _objective_roles(s, obj.roles):
            values = [start_value(obj, k, s.quarters) for k in start.kpis[role].values()]
            met = [v for v in values if v is not None and _guardrail(obj, v, s.quarters)]
            if met:
                shown = KPIS[obj.kpi].format(met[0], s.currency)
                yield (
                    "W104",
                    ("objectives", i, "target"),
                    (
                        f"already met at quarter 0 ({_named(obj.kpi)} {shown}), so it scores "
                        "as a guardrail that earns nothing when kept; for a goal move the target "
                        "past the start; for a guardrail write mode: always, or silence W104 "
                        "with the reason"
                    ),
                )
                break


def _guardrail(obj: Objective, value: float, quarters: int) -> bool:
    """Whether scoring counts ``obj`` as a guardrail when its KPI starts at ``value``."""
    return evaluate(obj, [], quarters, 1.0, value).kind == "guardrail"


def _objective_by(s: Scenario, start: _Start) -> Found:
    """W105: ``by`` is ignored when the objective is judged at the end of the game."""
    for i, obj in enumerate(s.objectives):
        if obj.mode == "final" and obj.by is not None and obj.by != s.quarters:
            yield (
                "W105",
                ("objectives", i, "by"),
                (
                    f"mode: final judges the last quarter ({s.quarters}), not quarter {obj.by}; "
                    "remove 'by' or write mode: at"
                ),
            )


# --------------------------------------------------------------------------- events


def _events(s: Scenario, start: _Start) -> Found:
    """W201-W203: events that never happen and windows that mean nothing."""
    deck = set(s.inject_deck)
    for i, ev in enumerate(s.events):
        loc: Loc = ("events", i)
        random = ev.quarter is None and bool(ev.probability)
        if ev.quarter is None and not ev.probability and ev.id not in deck:
            why = "probability 0" if ev.probability == 0 else "no quarter and no probability"
            yield (
                "W201",
                loc,
                (
                    f"this event can never happen ({why}, not in inject_deck): give it a "
                    "quarter or a probability, or add it to inject_deck"
                ),
            )
        elif random and ev.earliest > s.quarters:
            yield (
                "W202",
                (*loc, "earliest"),
                (
                    f"earliest {ev.earliest} is after the last quarter ({s.quarters}), so it is "
                    f"never drawn; lower it to {s.quarters} or less"
                ),
            )
        window = ev.model_fields_set & {"earliest", "latest"}
        if window and not random:
            field = "earliest" if "earliest" in window else "latest"
            kind = "scheduled" if ev.quarter is not None else "injected only"
            yield (
                "W203",
                (*loc, field),
                (
                    f"'{field}' only applies to random events (probability); this one is {kind}: "
                    f"remove '{field}'"
                ),
            )


# --------------------------------------------------------------------------- bets


def _bets(s: Scenario, start: _Start) -> Found:
    """W301, W302: unlocks of items already visible; bets nobody can fund."""
    visible = {b.id for b in s.backlog if not b.breakthrough}
    for i, bet in enumerate(s.bets):
        if "cpo" not in s.roles:
            yield (
                "W302",
                ("bets", i),
                (
                    "only a CPO funds bets and this scenario is not played as cpo: remove the bet "
                    "or add cpo to roles"
                ),
            )
        for u, item in enumerate(bet.unlocks):
            if item in visible:
                yield (
                    "W301",
                    ("bets", i, "unlocks", u),
                    (
                        f"'{item}' is on the backlog from the start, so unlocking it does nothing; "
                        f"mark the item breakthrough: true or drop it from unlocks"
                    ),
                )


# --------------------------------------------------------------------------- market


def _prices(s: Scenario, start: _Start) -> Found:
    """W401: a price 10× from the reference price of every segment the product sells in."""
    segments = {seg.id: seg for seg in s.segments}
    for fi, firm in enumerate(s.firms):
        for pi, product in enumerate(firm.products):
            market = [
                sid
                for sid in segments
                if product.customers.get(sid, 0) > 0 or product.awareness.get(sid, 0) > 0
            ] or list(segments)
            ratios = {sid: product.price / segments[sid].reference_price for sid in market}
            sid = min(ratios, key=lambda k: abs(math.log(ratios[k])))
            ratio = ratios[sid]
            if ratio >= PRICE_RATIO or ratio <= 1 / PRICE_RATIO:
                ref = money_full(segments[sid].reference_price, s.currency)
                yield (
                    "W401",
                    ("firms", fi, "products", pi, "price"),
                    (
                        f"the price is {_times(ratio)} the reference price of '{sid}' ({ref}), "
                        "the closest of the segments it sells in; at that distance price alone "
                        "decides its share: bring it nearer, or the reference price"
                    ),
                )


def _times(ratio: float) -> str:
    return f"{ratio:.0f}×" if ratio >= 1 else f"1/{1 / ratio:.0f} of"


def _customers(s: Scenario, start: _Start) -> Found:
    """W402: starting customers change when seated as synthetic customers (size/resolution)."""
    segments = {seg.id: seg for seg in s.segments}
    for fi, firm in enumerate(s.firms):
        for pi, product in enumerate(firm.products):
            for sid, wanted in product.customers.items():
                seg = segments[sid]
                scale = seg.size / seg.resolution
                seated = round(wanted / scale) * scale
                if wanted > 0 and abs(seated - wanted) > ROUNDING * wanted:
                    yield (
                        "W402",
                        ("firms", fi, "products", pi, "customers", sid),
                        (
                            f"each synthetic customer of '{sid}' stands for {count(scale)} real "
                            f"ones, so {count(wanted)} starts as {count(seated)}; raise the "
                            "segment's resolution or write a multiple of "
                            f"{count(scale)}"
                        ),
                    )


def _budgets(s: Scenario, start: _Start) -> Found:
    """W403, W404: AI marketing beyond revenue; player cash that runs out at once."""
    for fi, firm in enumerate(s.firms):
        revenue = start.revenue.get(firm.id, 0.0)
        if firm.ai is not None and revenue > 0 and firm.ai.marketing > revenue:
            yield (
                "W403",
                ("firms", fi, "ai", "marketing"),
                (
                    f"{money_full(firm.ai.marketing, s.currency)} a quarter is more than the firm "
                    f"earns at the start ({money_full(revenue, s.currency)}); lower it"
                ),
            )
        profit = start.profit.get(firm.id)
        if profit is not None and profit < 0 and firm.cash < -profit * RUNWAY_QUARTERS:
            yield (
                "W404",
                ("firms", fi, "cash"),
                (
                    f"{money_full(firm.cash, s.currency)} lasts under {RUNWAY_QUARTERS} quarters "
                    f"at the starting loss of {money_full(-profit, s.currency)} a quarter; raise "
                    "cash or the products' margins"
                ),
            )


# --------------------------------------------------------------------------- settings


def _player_lines(s: Scenario) -> set[str]:
    """Products some player firm runs as a line in some role the scenario is played in."""
    return {
        p.id
        for f in s.player_firms()
        for p in f.products
        if p.team is not None and any(r in s.roles for r in p.roles)
    }


def _backlog(s: Scenario, start: _Start) -> Found:
    """W501, W502: items no roadmap can hold, and items that change nothing."""
    lines = _player_lines(s)
    for i, item in enumerate(s.backlog):
        if item.product not in lines:
            yield (
                "W501",
                ("backlog", i, "product"),
                (
                    f"no player runs '{item.product}' as a line, so this item is on no roadmap; "
                    "point it at a player's product or remove it"
                ),
            )
        if not any(item.effects.values()) and not item.quality and not item.debt:
            yield (
                "W502",
                ("backlog", i),
                ("shipping it changes no attribute, quality or debt: give it effects or remove it"),
            )


def _products(s: Scenario, start: _Start) -> Found:
    """W503, W504: products outside the scenario's roles; teams of AI firms (never read)."""
    for fi, firm in enumerate(s.firms):
        for pi, product in enumerate(firm.products):
            loc: Loc = ("firms", fi, "products", pi)
            if not any(r in s.roles for r in product.roles):
                yield (
                    "W503",
                    (*loc, "roles"),
                    (
                        f"offered only as {', '.join(product.roles)} but the scenario is played "
                        f"as {', '.join(s.roles)}, so the product never exists; fix either roles"
                    ),
                )
            if product.team is not None and firm.controller == "ai":
                yield (
                    "W504",
                    (*loc, "team"),
                    ("AI firms have no organisation, so this team is never read: remove it"),
                )


CHECKS: tuple[LintCheck, ...] = (
    _objective_measured,
    _objective_roles_levers,
    _objective_already_met,
    _objective_by,
    _events,
    _bets,
    _prices,
    _customers,
    _budgets,
    _backlog,
    _products,
)
"""Every lint check, in the order :func:`lint` runs them."""
