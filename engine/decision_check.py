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
from dataclasses import dataclass, field
from typing import Literal

from engine import organisation, roadmap
from engine.decisions import Decisions, ProductDecision
from engine.formatting import money_full
from engine.organisation import OrgState
from engine.roadmap import RoadmapState
from engine.scenario import Role, Scenario


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a decision, and where."""

    where: str  # e.g. "products.teamboard.roadmap"
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


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
    params = scenario.organisation
    segments = set(scenario.segment_ids())
    backlog = {b.id: b for b in scenario.backlog}
    methods = {m.id: m for m in scenario.research}
    spend = 0.0
    if pd.price is not None and (not math.isfinite(pd.price) or pd.price <= 0):
        out.append(Problem(f"{where}.price", f"price must be above zero (got {pd.price})"))
    for seg, amount in pd.marketing.items():
        if seg not in segments:
            out.append(Problem(f"{where}.marketing", f"unknown segment '{seg}'"))
        if not math.isfinite(amount) or amount < 0:
            out.append(
                Problem(
                    f"{where}.marketing.{seg}", f"marketing spend cannot be negative ({amount})"
                )
            )
        else:
            spend += amount

    seen: set[str] = set()
    done = ctx.roadmap.shipped_ids()
    for item_id in pd.roadmap:
        if item_id in seen:
            out.append(Problem(f"{where}.roadmap", f"'{item_id}' is listed twice"))
            continue
        seen.add(item_id)
        item = backlog.get(item_id)
        if item is None:
            out.append(Problem(f"{where}.roadmap", f"unknown backlog item '{item_id}'"))
            continue
        if item.product != pid:
            out.append(
                Problem(f"{where}.roadmap", f"'{item_id}' belongs to {item.product}, not {pid}")
            )
            continue
        state = ctx.roadmap.items.get(item_id)
        if state is None or not state.visible:
            out.append(Problem(f"{where}.roadmap", f"unknown backlog item '{item_id}'"))
            continue
        if state.shipped is not None:
            out.append(
                Problem(f"{where}.roadmap", f"'{item_id}' already shipped in Q{state.shipped}")
            )
            continue
        missing = [d for d in item.depends_on if d not in done and d not in seen]
        if missing:
            out.append(
                Problem(
                    f"{where}.roadmap",
                    f"'{item_id}' depends on {', '.join(repr(m) for m in missing)}, which has "
                    "not shipped and is not earlier in this roadmap",
                )
            )

    team = ctx.org.teams.get(pid)
    research_effort = 0.0
    for i, order in enumerate(pd.research):
        method = methods.get(order.method)
        if method is None:
            out.append(
                Problem(f"{where}.research.{i}", f"unknown research method '{order.method}'")
            )
        else:
            spend += method.cost
            research_effort += method.effort
        if order.segment not in segments:
            out.append(Problem(f"{where}.research.{i}", f"unknown segment '{order.segment}'"))

    if team is None:
        if pd.hires or pd.layoffs:
            out.append(Problem(f"{where}", "this product has no team to hire into or lay off"))
        return spend
    if pd.hires and decisions.hiring_freeze:
        out.append(Problem(f"{where}.hires", f"cannot hire {pd.hires} during a hiring freeze"))
    if pd.layoffs > team.headcount:
        out.append(
            Problem(
                f"{where}.layoffs",
                f"cannot lay off {pd.layoffs}: the team has {team.headcount} people",
            )
        )
    spend += pd.hires * params.hiring_cost + min(pd.layoffs, team.headcount) * params.severance

    split = pd.split
    available = organisation.feature_points(team, ctx.org.culture, split.features, params)
    valid = [
        i
        for i in pd.roadmap
        if i in backlog and backlog[i].product == pid and ctx.roadmap.items.get(i) is not None
    ]
    committed = roadmap.committed_effort(valid, ctx.roadmap, backlog, available)
    if committed > available + 1e-6:
        out.append(
            Problem(
                f"{where}.roadmap",
                f"over capacity by {committed - available:.0f} points ({committed:.0f} planned, "
                f"{available:.0f} available for features): crunch costs morale and adds debt",
                "warning",
            )
        )
    discovery = organisation.capacity(team, ctx.org.culture, params) * split.discovery
    if research_effort > discovery + 1e-6:
        out.append(
            Problem(
                f"{where}.research",
                f"research needs {research_effort:.0f} points but discovery has "
                f"{discovery:.0f}: the team will be over capacity",
                "warning",
            )
        )
    return spend


def check(decisions: Decisions, ctx: Context, scenario: Scenario) -> list[Problem]:
    """Every problem with ``decisions`` for this firm's current state, errors first."""
    out: list[Problem] = []
    firm = next(f for f in scenario.firms if f.id == ctx.firm)
    own = {p.id for p in firm.products}
    all_products = {p.id for _, p in scenario.products()}
    spend = 0.0
    for pid, pd in decisions.products.items():
        if pid not in all_products:
            out.append(Problem(f"products.{pid}", f"unknown product '{pid}'"))
        elif pid not in own:
            out.append(Problem(f"products.{pid}", f"'{pid}' is another firm's product"))
        elif pid not in ctx.lines:
            out.append(
                Problem(f"products.{pid}", f"'{pid}' is not a line you run as {ctx.role.upper()}")
            )
        else:
            spend += _line(pid, pd, decisions, ctx, scenario, out)

    initiatives = {i.id: i for i in scenario.initiatives}
    for ini in decisions.initiatives:
        if ini not in initiatives:
            out.append(Problem("initiatives", f"unknown culture initiative '{ini}'"))
        else:
            spend += initiatives[ini].cost
    if len(set(decisions.initiatives)) < len(decisions.initiatives):
        out.append(Problem("initiatives", "an initiative is listed twice"))

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
                out.append(Problem(name, f"only a CPO decides {name}; you are playing the PM"))
    else:
        spend += _portfolio(decisions, ctx, scenario, out)

    if spend > max(0.0, ctx.cash) + 1e-6:
        out.append(
            Problem(
                "spend",
                f"this quarter's spending ({money_full(spend, scenario.currency)}) is beyond the "
                f"cash available ({money_full(ctx.cash, scenario.currency)}): the firm will borrow "
                "and its cash will go negative",
                "warning",
            )
        )
    return sorted(out, key=lambda p: p.severity != "error")


def _portfolio(decisions: Decisions, ctx: Context, scenario: Scenario, out: list[Problem]) -> float:
    """Check the CPO's portfolio fields; return the money they commit."""
    for line in decisions.themes:
        if line not in ctx.lines:
            out.append(Problem("themes", f"unknown product line '{line}'"))
    total = 0.0
    for line, share in decisions.mentoring.items():
        if line not in ctx.lines:
            out.append(Problem("mentoring", f"unknown product line '{line}'"))
        if not math.isfinite(share) or share < 0 or share > 1:
            out.append(Problem(f"mentoring.{line}", f"time must be between 0% and 100% ({share})"))
        else:
            total += share
    if total > 1 + 1e-9:
        out.append(Problem("mentoring", f"mentoring time adds up to {total:.0%}, more than 100%"))
    bets = {b.id: b for b in scenario.bets}
    spend = 0.0
    for bet in decisions.bets:
        if bet not in bets:
            out.append(Problem("bets", f"unknown innovation bet '{bet}'"))
        elif bet in ctx.resolved_bets:
            out.append(Problem("bets", f"bet '{bet}' has already been decided"))
        else:
            spend += bets[bet].cost
    if decisions.incubation > ctx.org.headcount:
        out.append(
            Problem(
                "incubation",
                f"cannot move {decisions.incubation} engineers to incubation: the firm has "
                f"{ctx.org.headcount}",
            )
        )
    for line in decisions.sunset:
        if line not in ctx.lines:
            out.append(Problem("sunset", f"unknown product line '{line}'"))
    if decisions.sunset and set(ctx.lines) <= set(decisions.sunset):
        out.append(Problem("sunset", "cannot sunset every product line"))
    return spend
