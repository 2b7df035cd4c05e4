"""How headless players deal with colleagues: answer their requests and keep their promises.

A bot's :class:`Manner` says which requests it says yes to and whether it works to keep what
it promised. :func:`answers` turns the open requests of a :class:`~engine.view.FirmView`
into :class:`~engine.decisions.RequestResponse` answers; :func:`keep_promises` bends the
decisions a bot already made so that open promises (and those just made) get done: a
promised item and the items it needs go to the front of the roadmap, a promised share of
debt or discovery time is given, promised studies are bought, a promised theme is set and a
promised bet funded.

The ``weigh`` manner (the ``balanced`` bot) weighs each request against the line's capacity
before the due quarter, net of what it already promised: it accepts what fits, negotiates
a later date or the smaller scope when that fits and the colleague's trust will allow it,
and otherwise declines with the reason. Pure: the answers depend only on the view (and the
generator, for the random manner).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np

from engine.decisions import (
    CapacitySplit,
    Decisions,
    ProductDecision,
    RequestResponse,
    ResearchOrder,
)
from engine.portfolio import LineView
from engine.report import PeopleResult, RequestResult
from engine.stakeholders import REASONS, need
from engine.view import FirmView

Style = Literal["ignore", "random", "yes", "weigh", "favour"]
FIT = 0.6
"""The ``weigh`` manner promises at most this share of a line's feature capacity before a
due quarter (the rest is for the roadmap the market needs)."""
FEATURE_SHARE = 0.7
"""The share of capacity a bot expects to give features when it sizes a promise."""
KPI_REACH = 0.25
"""The ``weigh`` manner promises a KPI within this relative distance of where it stands."""


@dataclass(frozen=True)
class Manner:
    """How a bot treats colleagues.

    ``style``: ``ignore`` never answers; ``random`` answers at random; ``yes`` accepts every
    request; ``weigh`` weighs each against capacity (see the module doc); ``favour`` accepts
    the roles in ``favoured`` and weighs the rest, declining what does not fit with
    ``reason``. ``keeps``: the bot works to keep its promises.
    """

    style: Style = "ignore"
    favoured: tuple[str, ...] = ()
    reason: str = "market"
    keeps: bool = True


WEIGH = Manner("weigh")
"""The default manner: weigh every request (the ``balanced`` bot's)."""


def answers(view: FirmView, manner: Manner, rng: np.random.Generator) -> dict[str, RequestResponse]:
    """The bot's answers to this quarter's requests (empty: nothing asked, or ignored)."""
    people = _people(view)
    if people is None or manner.style == "ignore":
        return {}
    trust = {c.id: c.trust for c in people.colleagues}
    roles = {c.id: c.role for c in people.colleagues}
    out: dict[str, RequestResponse] = {}
    load: dict[str, float] = {}  # feature points already promised per line this quarter
    for req in people.requests:
        if req.asked != view.quarter:
            continue
        if manner.style == "random":
            out[req.key] = _random(req, rng)
        elif manner.style == "yes" or (
            manner.style == "favour" and roles.get(req.stakeholder) in manner.favoured
        ):
            out[req.key] = RequestResponse(answer="accept")
        else:
            out[req.key] = _weigh(view, req, trust.get(req.stakeholder, 0.0), manner, load)
    return out


def _people(view: FirmView) -> PeopleResult | None:
    org = view.organisation
    return None if org is None else org.people


def _random(req: RequestResult, rng: np.random.Generator) -> RequestResponse:
    """Accept, decline (a random reason) or ask for one more quarter, a third each."""
    pick = int(rng.integers(3))
    if pick == 0:
        return RequestResponse(answer="accept")
    if pick == 1 or req.negotiable == 0:
        return RequestResponse(answer="decline", reason=REASONS[int(rng.integers(len(REASONS)))])
    return RequestResponse(answer="negotiate", due=req.due + 1)


def _weigh(
    view: FirmView, req: RequestResult, trust: float, manner: Manner, load: dict[str, float]
) -> RequestResponse:
    """Accept what fits, negotiate what fits later or smaller, decline the rest."""
    options: list[tuple[int, bool]] = [(req.due, False)]
    options += [(req.due + k, False) for k in range(1, req.negotiable + 1)]
    if req.smaller:
        options += [(req.due + k, True) for k in range(req.negotiable + 1)]
    for due, smaller in options:
        ask = req.ask if not smaller else _smaller_ask(view, req)
        fits, line, points = _fits(view, ask, due, load)
        if not fits:
            continue
        if (due, smaller) == (req.due, False):
            load[line] = load.get(line, 0.0) + points
            return RequestResponse(answer="accept")
        if trust + 1e-9 >= need(due - req.due, smaller):
            load[line] = load.get(line, 0.0) + points
            return RequestResponse(answer="negotiate", due=due, smaller=smaller)
    reason = "capacity" if req.ask.get("type") in ("ship", "split", "research") else manner.reason
    return RequestResponse(answer="decline", reason=reason)


def _smaller_ask(view: FirmView, req: RequestResult) -> Mapping[str, Any]:
    """The smaller scope's ask, from the scenario (the report gives its words only)."""
    person, _, rid = req.key.partition(".")
    for s in view.scenario.stakeholders:
        if s.id == person:
            for r in s.requests:
                if r.id == rid and r.smaller is not None:
                    return r.smaller.ask.model_dump()
    return req.ask


def _fits(
    view: FirmView, ask: Mapping[str, Any], due: int, load: Mapping[str, float]
) -> tuple[bool, str, float]:
    """(fits, line, feature points it takes) of an ask due at the end of ``due``."""
    org = view.organisation
    lines: Mapping[str, LineView] = org.lines if org is not None else {}
    line = str(ask.get("product") or next(iter(lines), ""))
    kind = ask.get("type")
    if kind == "ship":
        lv = _line_of_item(lines, str(ask["item"]))
        if lv is None:  # already shipped, or not this firm's: nothing to do
            return True, line, 0.0
        points = _effort(lv, str(ask["item"]))
        quarters = due - view.quarter + 1
        room = FIT * FEATURE_SHARE * lv.feature_rate * quarters - load.get(lv.product, 0.0)
        return points <= room, lv.product, points
    if kind == "split":
        return float(ask["share"]) <= 0.35, line, 0.0
    if kind == "kpi":
        return _kpi_within_reach(view, ask), line, 0.0
    return True, line, 0.0  # research, a theme, a bet: a bot can always do them


def _line_of_item(lines: Mapping[str, LineView], item: str) -> LineView | None:
    for lv in lines.values():
        if any(i.id == item for i in lv.items):
            return lv
    return None


def _effort(lv: LineView, item: str) -> float:
    """Estimated effort to ship ``item`` with the unshipped items it needs."""
    items = {i.id: i for i in lv.items}
    seen: set[str] = set()
    todo = [item]
    total = 0.0
    while todo:
        cur = todo.pop()
        if cur in seen or cur not in items:
            continue
        seen.add(cur)
        total += items[cur].remaining
        todo += list(items[cur].depends_on)
    return total


def _kpi_within_reach(view: FirmView, ask: Mapping[str, Any]) -> bool:
    """Is a KPI target near where the KPI stands (the last report's firm figures)?"""
    firm = view.last.firms[view.firm]
    kpi = str(ask["kpi"])
    segment = ask.get("segment")
    if kpi == "share" and segment:
        value = firm.share_by_segment.get(str(segment), 0.0)
    else:
        value = getattr(firm, kpi, None)
    if not isinstance(value, int | float):
        return False
    target = float(ask["target"])
    gap = (target - value) if ask.get("op", ">=") == ">=" else (value - target)
    return gap <= KPI_REACH * max(abs(target), 1e-9)


# --------------------------------------------------------------------------- keeping promises


def keep_promises(
    view: FirmView, decisions: Decisions, made: Mapping[str, RequestResponse]
) -> Decisions:
    """``decisions`` bent to keep the open promises and those ``made`` this quarter."""
    people = _people(view)
    org = view.organisation
    if people is None or org is None:
        return decisions
    asks = [p.ask for p in people.promises if p.status == "open"]
    asks += [_promised_ask(view, people.requests, key, r) for key, r in made.items()]
    products = dict(decisions.products)
    firm: dict[str, Any] = {}
    for ask in asks:
        if ask is None:
            continue
        kind = ask.get("type")
        if org.role == "cpo" and kind in ("ship", "split", "research"):
            continue  # the AI PMs run the lines: a CPO keeps these through them, or not
        if kind == "ship":
            lv = _line_of_item(org.lines, str(ask["item"]))
            if lv is not None:
                pd = products.get(lv.product, ProductDecision())
                products[lv.product] = _first(pd, lv, str(ask["item"]))
        elif kind == "split":
            line = str(ask.get("product") or next(iter(org.lines), ""))
            if line in org.lines:
                pd = products.get(line, ProductDecision())
                products[line] = _with_share(pd, str(ask["part"]), float(ask["share"]))
        elif kind == "research":
            line = next(iter(org.lines), "")
            pd = products.get(line, ProductDecision())
            products[line] = _with_studies(view, pd, ask)
        elif kind == "theme":
            firm.setdefault("themes", dict(decisions.themes))[str(ask["product"])] = ask["theme"]
        elif kind == "bet" and ask["bet"] not in decisions.bets:
            firm["bets"] = [*firm.get("bets", decisions.bets), ask["bet"]]
    return decisions.model_copy(update={"products": products, **firm})


def _promised_ask(
    view: FirmView, requests: Sequence[RequestResult], key: str, reply: RequestResponse
) -> Mapping[str, Any] | None:
    """What an answer made this quarter promises (None: it promises nothing)."""
    if reply.answer == "decline":
        return None
    req = next((r for r in requests if r.key == key), None)
    if req is None:
        return None
    return _smaller_ask(view, req) if reply.smaller else req.ask


def _first(pd: ProductDecision, lv: LineView, item: str) -> ProductDecision:
    """``item`` and the unshipped items it needs at the front of the roadmap."""
    items = {i.id: i for i in lv.items}
    order: list[str] = []

    def visit(cur: str) -> None:
        if cur in order or cur not in items:
            return
        for dep in items[cur].depends_on:
            visit(dep)
        order.append(cur)

    visit(item)
    rest = [i for i in pd.roadmap if i not in order]
    return pd.model_copy(update={"roadmap": [*order, *rest]})


def _with_share(pd: ProductDecision, part: str, share: float) -> ProductDecision:
    """The split with at least ``share`` of capacity on ``part``, taken from features."""
    s = pd.split
    values = {"features": s.features, "debt": s.debt, "discovery": s.discovery}
    if values[part] >= share:
        return pd
    extra = share - values[part]
    values[part] = share
    values["features"] = max(0.0, values["features"] - extra)
    total = sum(values.values())
    split = CapacitySplit(**{k: round(v / total, 6) for k, v in values.items()})
    fixed = 1.0 - split.debt - split.discovery  # rounding: features take the remainder
    return pd.model_copy(update={"split": split.model_copy(update={"features": fixed})})


def _with_studies(view: FirmView, pd: ProductDecision, ask: Mapping[str, Any]) -> ProductDecision:
    """Promised studies bought this quarter (one per method and segment, as allowed)."""
    methods = [m.id for m in view.scenario.research]
    segments = [s.id for s in view.scenario.segments]
    method = ask.get("method") or (methods[0] if methods else None)
    segment = ask.get("segment") or (segments[0] if segments else None)
    if method is None or segment is None:
        return pd
    orders = list(pd.research)
    if not any(o.method == method and o.segment == segment for o in orders):
        orders.append(ResearchOrder(method=str(method), segment=str(segment)))
    return pd.model_copy(update={"research": orders})


STYLES: tuple[str, ...] = get_args(Style)
"""Every manner's style, for documentation and tests."""
