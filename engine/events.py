"""Events (DESIGN §5): scheduled, drawn from a random pool, or injected by a facilitator.

:func:`due` decides which events happen at the start of a quarter: scheduled ones
(``quarter``), random-pool ones (``probability`` per quarter between ``earliest`` and
``latest``, at most once per game; one uniform draw per pool event per quarter whatever the
state, so the stream never depends on what already fired) and injected ones (by id, through
the API). :func:`apply` applies an event's typed effects through a :class:`World` the
simulation provides, and returns one line per effect for the TurnReport (in the language
:func:`engine.phrases.use` chose: the ``events`` namespace);
:func:`describe` gives the same lines without applying anything (the facilitator's deck).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from engine.formatting import count, signed, signed_count, signed_money_full, signed_pct
from engine.phrases import ENGLISH, say
from engine.scenario import (
    Awareness,
    Cash,
    CultureShock,
    Deal,
    Effect,
    Event,
    Headcount,
    IdealShift,
    PriceSensitivity,
    ProductAttribute,
    ProductPrice,
    ProductQuality,
    Scenario,
    SegmentGrowth,
    SegmentSize,
    TechDebt,
    UnitCost,
    WeightShift,
)


class World(Protocol):
    """What an event may change. The simulation implements it over its own state."""

    def segment_size(self, segment: str, change: float) -> None: ...
    def segment_growth(self, segment: str, change: float) -> None: ...
    def price_sensitivity(self, segment: str, change: float) -> None: ...
    def ideal_shift(self, segment: str, attribute: str, change: float) -> None: ...
    def weight_shift(self, segment: str, attribute: str, change: float) -> None: ...
    def product_attribute(self, product: str, attribute: str, change: float) -> None: ...
    def product_quality(self, product: str, change: float) -> None: ...
    def product_price(self, product: str, change: float) -> None: ...
    def unit_cost(self, product: str, change: float) -> None: ...
    def awareness(self, product: str, segment: str, change: float) -> None: ...
    def culture(self, firm: str, dimension: str, change: float) -> None: ...
    def headcount(self, firm: str, product: str, change: int) -> None: ...
    def tech_debt(self, firm: str, product: str, change: float) -> None: ...
    def cash(self, firm: str, change: float) -> None: ...
    def deal(self, product: str, segment: str, customers: float) -> None: ...


def due(
    scenario: Scenario,
    quarter: int,
    fired: frozenset[str],
    injected: Iterable[str],
    rng: np.random.Generator,
) -> tuple[list[Event], frozenset[str]]:
    """Events happening at the start of ``quarter`` and the updated set of fired ids.

    Raises KeyError naming an injected id that is not an event of the scenario.
    """
    by_id = {e.id: e for e in scenario.events}
    pool = [e for e in scenario.events if e.probability is not None]
    draws = rng.random(len(pool)).tolist()  # Python floats: the same values, cheaper to compare
    out: list[Event] = [e for e in scenario.events if e.quarter == quarter]
    for event, u in zip(pool, draws, strict=True):
        if (
            event.id not in fired
            and event.earliest <= quarter <= event.latest
            and u < (event.probability or 0.0)
        ):
            out.append(event)
    for event_id in injected:
        if event_id not in by_id:
            raise KeyError(f"unknown event '{event_id}'")
        if by_id[event_id] not in out:
            out.append(by_id[event_id])
    return out, fired | {e.id for e in out}


def firms_for(ref: str, scenario: Scenario) -> list[str]:
    """Firm ids an effect's ``firm`` names: one id, 'player' (every player firm) or 'all'."""
    if ref == "all":
        return [f.id for f in scenario.firms]
    if ref == "player":
        return [f.id for f in scenario.player_firms()]
    return [ref]


def _line(scenario: Scenario, firm: str, product: str | None) -> str | None:
    owner = next(f for f in scenario.firms if f.id == firm)
    staffed = [p.id for p in owner.products if p.team is not None]
    if product is None:
        return staffed[0] if staffed else None
    return product if product in staffed else None


@dataclass(frozen=True)
class Change:
    """One thing an effect does: to which firm and product line (where it names one), in words."""

    effect: Effect
    text: str
    firm: str | None = None
    line: str | None = None


def changes(
    event: Event, scenario: Scenario, firm_names: Mapping[str, str] | None = None
) -> list[Change]:
    """Everything ``event`` would do, in order, without doing it.

    A firm-wide effect (culture, headcount, debt, cash) is one change per firm it names
    (``player`` and ``all`` name several); headcount and debt skip a firm with no staffed
    line. ``firm_names`` overrides how firms are named (a workshop deck says "Each team").
    """
    return effect_changes(event.effects, scenario, firm_names)


def effect_changes(
    effects: Iterable[Effect], scenario: Scenario, firm_names: Mapping[str, str] | None = None
) -> list[Change]:
    """Everything a list of typed effects would do (an event's, or a colleague's reaction's:
    :mod:`engine.stakeholders`), in order, without doing it (see :func:`changes`)."""
    seg = {s.id: s.name for s in scenario.segments}
    attr = {a.id: a.name for a in scenario.attributes}
    prod = {p.id: p.name for _, p in scenario.products()}
    names = {f.id: f.name for f in scenario.firms} | dict(firm_names or {})
    out: list[Change] = []
    for eff in effects:
        match eff:
            case SegmentSize():
                text = say(
                    "events.segment_size", segment=seg[eff.segment], change=signed_pct(eff.change)
                )
            case SegmentGrowth():
                text = say(
                    "events.segment_growth",
                    segment=seg[eff.segment],
                    change=signed_pct(eff.change),
                )
            case PriceSensitivity():
                text = say(
                    "events.price_sensitivity",
                    segment=seg[eff.segment],
                    change=signed_pct(eff.change),
                )
            case IdealShift():
                text = say(
                    "events.ideal_shift",
                    segment=seg[eff.segment],
                    attribute=attr[eff.attribute],
                    change=signed(eff.change),
                )
            case WeightShift():
                text = say(
                    "events.weight_more" if eff.change > 0 else "events.weight_less",
                    segment=seg[eff.segment],
                    attribute=attr[eff.attribute],
                    change=signed(eff.change),
                )
            case ProductAttribute():
                text = say(
                    "events.product_attribute",
                    product=prod[eff.product],
                    attribute=attr[eff.attribute],
                    change=signed(eff.change),
                )
            case ProductQuality():
                text = say(
                    "events.product_quality", product=prod[eff.product], change=signed(eff.change)
                )
            case ProductPrice():
                text = say(
                    "events.product_price", product=prod[eff.product], change=signed_pct(eff.change)
                )
            case UnitCost():
                text = say(
                    "events.unit_cost", product=prod[eff.product], change=signed_pct(eff.change)
                )
            case Awareness():
                text = say(
                    "events.awareness",
                    product=prod[eff.product],
                    segment=seg[eff.segment],
                    change=signed(eff.change * 100, 0),
                )
            case Deal():
                text = say(
                    "events.deal",
                    customers=count(eff.customers),
                    product=prod[eff.product],
                    segment=seg[eff.segment],
                )
            case CultureShock() | Headcount() | TechDebt() | Cash():
                out += _firm_changes(eff, scenario, names, prod)
                continue
        out.append(Change(eff, text))
    return out


def _firm_changes(
    eff: CultureShock | Headcount | TechDebt | Cash,
    scenario: Scenario,
    names: Mapping[str, str],
    prod: Mapping[str, str],
) -> list[Change]:
    """One change per firm a firm-wide effect names (see :func:`changes`)."""
    out = []
    for firm in firms_for(eff.firm, scenario):
        match eff:
            case CultureShock():
                text = say(
                    "events.culture",
                    firm=names[firm],
                    dimension=dimension(eff.dimension),
                    change=signed(eff.change),
                )
                out.append(Change(eff, text, firm))
            case Cash():
                change = signed_money_full(eff.change, scenario.currency)
                out.append(Change(eff, say("events.cash", firm=names[firm], change=change), firm))
            case Headcount() | TechDebt():
                line = _line(scenario, firm, eff.product)
                if line is None:
                    continue
                if isinstance(eff, Headcount):
                    text = say(
                        "events.headcount",
                        count=abs(eff.change),
                        firm=names[firm],
                        line=prod[line],
                        change=signed_count(eff.change),
                    )
                else:
                    text = say(
                        "events.tech_debt",
                        firm=names[firm],
                        line=prod[line],
                        change=signed(eff.change, 0),
                    )
                out.append(Change(eff, text, firm, line))
    return out


def dimension(name: str) -> str:
    """A culture dimension in words ("customer focus"; ``events.dimension.<name>``)."""
    key = f"events.dimension.{name}"
    return say(key) if key in ENGLISH else name.replace("_", " ")


def describe(
    event: Event, scenario: Scenario, firm_names: Mapping[str, str] | None = None
) -> list[str]:
    """What each effect of ``event`` would do, in words, without applying it (the same lines
    :func:`apply` returns): "Small businesses: market size +20%"."""
    return [c.text for c in changes(event, scenario, firm_names)]


def apply(event: Event, world: World, scenario: Scenario) -> list[str]:
    """Apply every effect of ``event`` in order; return what each one did, in words."""
    return apply_effects(event.effects, world, scenario)


def apply_effects(effects: Iterable[Effect], world: World, scenario: Scenario) -> list[str]:
    """Apply typed effects in order; return what each one did, in words."""
    done = effect_changes(effects, scenario)
    for change in done:
        _do(change, world)
    return [c.text for c in done]


def _do(change: Change, world: World) -> None:
    """Apply one change through ``world``."""
    eff, firm, line = change.effect, change.firm or "", change.line or ""
    match eff:
        case SegmentSize():
            world.segment_size(eff.segment, eff.change)
        case SegmentGrowth():
            world.segment_growth(eff.segment, eff.change)
        case PriceSensitivity():
            world.price_sensitivity(eff.segment, eff.change)
        case IdealShift():
            world.ideal_shift(eff.segment, eff.attribute, eff.change)
        case WeightShift():
            world.weight_shift(eff.segment, eff.attribute, eff.change)
        case ProductAttribute():
            world.product_attribute(eff.product, eff.attribute, eff.change)
        case ProductQuality():
            world.product_quality(eff.product, eff.change)
        case ProductPrice():
            world.product_price(eff.product, eff.change)
        case UnitCost():
            world.unit_cost(eff.product, eff.change)
        case Awareness():
            world.awareness(eff.product, eff.segment, eff.change)
        case CultureShock():
            world.culture(firm, eff.dimension, eff.change)
        case Headcount():
            world.headcount(firm, line, eff.change)
        case TechDebt():
            world.tech_debt(firm, line, eff.change)
        case Cash():
            world.cash(firm, eff.change)
        case Deal():
            world.deal(eff.product, eff.segment, eff.customers)
