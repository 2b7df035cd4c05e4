"""The organisation model (DESIGN §4): teams, capacity, technical debt, culture and people.

Everything here is a pure function of a small frozen state, the quarter's inputs, the
scenario's ``organisation`` coefficients and (where chance is involved) a numpy Generator.
The simulation calls, once per firm and quarter and in this order:

1. :func:`staff` — hires and layoffs take effect now (hiring cost, severance, a layoff shock
   that depresses morale for several quarters);
2. :func:`start_initiatives` — culture initiatives are paid for now and land after their delay;
3. :func:`capacity` / :func:`allocate` — each line's effort points split into features, debt
   paydown and discovery, with overtime when more work is asked than the team has;
4. (the roadmap spends the feature points, see :mod:`engine.roadmap`);
5. :func:`end_quarter` — debt moves, culture initiatives land, morale relaxes toward its
   target, people leave (binomial attrition), new hires assimilate, leavers are backfilled
   unless hiring is frozen, and breakthrough ideas arrive (Poisson).

The equations are listed in ``docs/model.md`` (organisation section).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from engine.records import evolve
from engine.scalars import clip
from engine.scenario import CULTURE_DIMENSIONS, CultureInitiative, Firm, Organisation

# Model constants that are not (yet) scenario parameters; documented in docs/model.md.
NEW_HIRE_OUTPUT = 0.5  # a new hire delivers half of an experienced engineer
BROOKS_FLOOR = 0.5  # coordination overhead never costs more than half the capacity
MAX_OVERTIME = 0.25  # crunch adds at most 25% to feature delivery
ENTROPY_DEBT = 0.1  # debt added per feature point delivered, however careful the team
RUSH_DEBT = 0.2  # extra debt per feature point when the debt share is below HEALTHY_DEBT_SHARE
HEALTHY_DEBT_SHARE = 0.15
OVERTIME_DEBT = 0.5  # debt per overtime point (crunch code)
QUALITY_PER_POINT = 0.002  # product quality gained per spare discovery/improvement point
MORALE_BASE = 0.6
MORALE_SAFETY = 0.2  # morale target per unit of safety above 0.5
MORALE_WIN = 0.03  # per item shipped, capped at MORALE_WIN_CAP
MORALE_WIN_CAP = 0.09
MORALE_OVERLOAD = 0.3  # per unit of load above capacity, capped at MORALE_OVERLOAD_CAP
MORALE_OVERLOAD_CAP = 0.35
MORALE_DEBT = 0.1  # times D/(D + D50): working in rotten code is demoralising
MORALE_RATE = 0.4  # fraction of the gap to the target closed per quarter
LAYOFF_SHOCK_BASE = 0.05  # morale target drop from any layoff ...
LAYOFF_SHOCK_SCALE = 0.6  # ... plus this times the fraction of people laid off
LAYOFF_SHOCK_DECAY = 0.6  # fraction of the shock still felt next quarter
LAYOFF_SAFETY = 0.05  # psychological safety lost per layoff round
ATTRITION_CAP = 0.5


@dataclass(frozen=True)
class Team:
    """One product line's engineering team."""

    product: str
    experienced: int
    cohorts: tuple[int, ...]  # new hires by quarters left before they count as experienced
    tech_debt: float
    pm_skill: float = 0.5

    @property
    def new_hires(self) -> int:
        """Engineers still assimilating."""
        return sum(self.cohorts)

    @property
    def headcount(self) -> int:
        """Everyone on the team."""
        return self.experienced + self.new_hires


@dataclass(frozen=True)
class Pending:
    """A culture initiative paid for and waiting to land."""

    initiative: str
    lands: int  # the quarter at whose end the effects are applied
    effects: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class OrgState:
    """One firm's organisation: culture, teams and initiatives in flight."""

    firm: str
    culture: Mapping[str, float]
    teams: Mapping[str, Team]
    pending: tuple[Pending, ...] = ()
    layoff_shock: float = 0.0
    leavers_total: int = 0

    @property
    def headcount(self) -> int:
        """People across every line."""
        return sum(t.headcount for t in self.teams.values())


def _cohorts(new_hires: int, assimilation: int) -> tuple[int, ...]:
    if assimilation == 0:
        return ()
    return (0,) * (assimilation - 1) + (new_hires,)


def initial_state(firm: Firm, params: Organisation) -> OrgState:
    """The organisation at quarter 0 from the scenario's firm block."""
    teams: dict[str, Team] = {}
    for product in firm.products:
        if product.team is None:
            continue
        t = product.team
        experienced = t.engineers + (t.new_hires if params.assimilation == 0 else 0)
        teams[product.id] = Team(
            product=product.id,
            experienced=experienced,
            cohorts=_cohorts(t.new_hires, params.assimilation),
            tech_debt=t.tech_debt,
            pm_skill=t.pm.skill if t.pm else 0.5,
        )
    culture = {d: float(getattr(firm.culture, d)) for d in CULTURE_DIMENSIONS}
    return OrgState(firm=firm.id, culture=culture, teams=teams)


# --------------------------------------------------------------------------- capacity


def debt_factor(debt: float, params: Organisation) -> float:
    """g = 1/(1 + D/D50): the share of effort that turns into delivery under debt D."""
    return 1.0 / (1.0 + max(0.0, debt) / params.debt_half)


def brooks_factor(headcount: int, params: Organisation) -> float:
    """1 − brooks·team size, floored at BROOKS_FLOOR: coordination overhead."""
    return max(BROOKS_FLOOR, 1.0 - params.brooks * headcount)


def capacity(team: Team, culture: Mapping[str, float], params: Organisation) -> float:
    """E = (experienced + ½·new hires) × productivity × morale^0.5 × capability × Brooks."""
    new = team.new_hires  # summed once: the headcount is experienced + new hires
    people = team.experienced + NEW_HIRE_OUTPUT * new
    return (
        people
        * params.productivity
        * math.sqrt(max(0.0, culture["morale"]))
        * culture["capability"]
        * brooks_factor(team.experienced + new, params)
    )


@dataclass(frozen=True)
class Allocation:
    """How a line's effort points are spent this quarter."""

    capacity: float
    features: float  # feature points delivered, after debt drag, collaboration and overtime
    debt: float  # debt points paid down
    discovery: float  # discovery points left after research and initiatives
    overtime: float  # extra feature points squeezed out by crunch
    load: float  # work asked ÷ capacity (1 = exactly full)


def collaboration_factor(culture: Mapping[str, float]) -> float:
    """0.7 + 0.5·collaboration: 1.0 at collaboration 0.6, more when functions work together."""
    return 0.7 + 0.5 * culture["collaboration"]


def feature_points(
    team: Team, culture: Mapping[str, float], feature_share: float, params: Organisation
) -> float:
    """Feature points a line delivers without crunch: E × features share × g(D) × collaboration.

    This is the "capacity bar" a player fills with roadmap items.
    """
    return (
        capacity(team, culture, params)
        * feature_share
        * debt_factor(team.tech_debt, params)
        * collaboration_factor(culture)
    )


def allocate(
    team: Team,
    culture: Mapping[str, float],
    split: tuple[float, float, float],
    feature_ask: float,
    discovery_ask: float,
    params: Organisation,
) -> Allocation:
    """Split capacity into features/debt/discovery and work out load and overtime.

    ``feature_ask`` is the estimated effort the roadmap commits to this quarter (see
    :func:`engine.roadmap.committed_effort`) and ``discovery_ask`` the effort of research and
    culture initiatives. Asking more than the team has is allowed (a warning, never clipped):
    load above 1 costs morale and debt, and squeezes out up to MAX_OVERTIME extra features.
    """
    total = capacity(team, culture, params)
    f_share, d_share, x_share = split
    collab = collaboration_factor(culture)
    f_pts = feature_points(team, culture, f_share, params)
    d_pts = total * d_share * collab
    x_pts = total * x_share
    available = f_pts + d_pts + x_pts
    asked = feature_ask + discovery_ask + d_pts
    load = asked / available if available > 0 else (0.0 if asked == 0 else 2.0)
    crunch = min(MAX_OVERTIME, 0.5 * max(0.0, load - 1.0))
    overtime = min(max(0.0, feature_ask - f_pts), f_pts * crunch)
    return Allocation(
        capacity=total,
        features=f_pts + overtime,
        debt=d_pts,
        discovery=max(0.0, x_pts - discovery_ask),
        overtime=overtime,
        load=load,
    )


# --------------------------------------------------------------------------- staffing


@dataclass(frozen=True)
class StaffingOutcome:
    """What hiring and layoffs did now."""

    hired: dict[str, int] = field(default_factory=dict)
    laid_off: dict[str, int] = field(default_factory=dict)
    cost: float = 0.0  # hiring cost + severance, this quarter


def staff(
    state: OrgState,
    orders: Mapping[str, tuple[int, int]],
    params: Organisation,
) -> tuple[OrgState, StaffingOutcome]:
    """Apply (hires, layoffs) per line now. Layoffs take new hires first, then experienced.

    The orders are assumed checked (:mod:`engine.decision_check` refuses layoffs beyond
    headcount and hires under a freeze).
    """
    if not orders:  # most quarters: nobody hired or laid off, nothing changes
        return state, StaffingOutcome()
    teams = dict(state.teams)
    hired: dict[str, int] = {}
    laid: dict[str, int] = {}
    before = state.headcount
    for product, (hires, layoffs) in orders.items():
        team = teams[product]
        cohorts = list(team.cohorts)
        experienced = team.experienced
        if hires:
            if params.assimilation == 0:
                experienced += hires
            else:
                cohorts[-1] += hires
            hired[product] = hires
        cut = min(layoffs, experienced + sum(cohorts))
        if cut:
            left = cut
            for i in range(len(cohorts) - 1, -1, -1):
                take = min(left, cohorts[i])
                cohorts[i] -= take
                left -= take
            experienced -= left
            laid[product] = cut
        teams[product] = evolve(team, experienced=experienced, cohorts=tuple(cohorts))
    n_laid = sum(laid.values())
    shock = state.layoff_shock
    culture = dict(state.culture)
    if n_laid:
        shock += LAYOFF_SHOCK_BASE + LAYOFF_SHOCK_SCALE * n_laid / max(1, before)
        culture["safety"] = max(0.0, culture["safety"] - LAYOFF_SAFETY)
        culture["morale"] = max(0.0, culture["morale"] - shock * MORALE_RATE)
    cost = sum(hired.values()) * params.hiring_cost + n_laid * params.severance
    new = evolve(state, teams=teams, layoff_shock=shock, culture=culture)
    return new, StaffingOutcome(hired=hired, laid_off=laid, cost=cost)


def salary_cost(state: OrgState, params: Organisation) -> float:
    """Quarterly payroll of everyone currently employed."""
    return state.headcount * params.salary


# --------------------------------------------------------------------------- initiatives


def start_initiatives(
    state: OrgState, initiatives: list[CultureInitiative], quarter: int
) -> tuple[OrgState, float, float]:
    """Queue initiatives started in ``quarter``; return (state, money cost, effort used)."""
    if not initiatives:  # most quarters: nothing started, nothing changes
        return state, 0, 0
    pending = list(state.pending)
    for ini in initiatives:
        pending.append(
            Pending(
                initiative=ini.id,
                lands=quarter + ini.delay,
                effects=tuple(sorted(ini.effects.items())),
            )
        )
    cost = sum(i.cost for i in initiatives)
    effort = sum(i.effort for i in initiatives)
    return evolve(state, pending=tuple(pending)), cost, effort


# --------------------------------------------------------------------------- end of quarter


@dataclass(frozen=True)
class TeamWork:
    """What one line did this quarter, as the organisation needs to know it."""

    allocation: Allocation
    shipped: int = 0  # items shipped
    item_debt: float = 0.0  # debt carried by shipped items (negative for refactors)
    debt_share: float = 0.2


@dataclass(frozen=True)
class OrgOutcome:
    """What changed in the organisation at the end of a quarter, for the report."""

    landed: list[str] = field(default_factory=list)
    leavers: dict[str, int] = field(default_factory=dict)
    backfilled: dict[str, int] = field(default_factory=dict)
    attrition_rate: float = 0.0
    morale_target: float = 0.0
    quality_change: dict[str, float] = field(default_factory=dict)
    debt_change: dict[str, float] = field(default_factory=dict)
    breakthroughs: int = 0
    hiring_cost: float = 0.0


def debt_after(team: Team, work: TeamWork) -> float:
    """New debt: entropy and rush debt from feature work, crunch debt, item debt, paydown."""
    a = work.allocation
    rush = RUSH_DEBT * max(0.0, 1.0 - work.debt_share / HEALTHY_DEBT_SHARE)
    added = (a.features - a.overtime) * (ENTROPY_DEBT + rush) + a.overtime * OVERTIME_DEBT
    return max(0.0, team.tech_debt + added + work.item_debt - a.debt)


def quality_change(team: Team, work: TeamWork, params: Organisation) -> float:
    """Debt above D50/2 erodes product quality; spare improvement points restore it."""
    drag = params.debt_quality_drag * max(0.0, team.tech_debt - params.debt_half / 2)
    return QUALITY_PER_POINT * work.allocation.discovery - drag


def morale_target(
    culture: Mapping[str, float],
    load: float,
    shipped: int,
    debt_pressure: float,
    layoff_shock: float,
) -> float:
    """Where morale is heading: safety and wins lift it; overload, debt and layoffs sink it."""
    target = (
        MORALE_BASE
        + MORALE_SAFETY * (culture["safety"] - 0.5)
        + min(MORALE_WIN_CAP, MORALE_WIN * shipped)
        - min(MORALE_OVERLOAD_CAP, MORALE_OVERLOAD * max(0.0, load - 1.0))
        - MORALE_DEBT * debt_pressure
        - layoff_shock
    )
    return clip(target, 0.0, 1.0)


def attrition_rate(morale: float, params: Organisation) -> float:
    """base·exp(γ(0.6 − morale)), capped at ATTRITION_CAP."""
    return min(
        ATTRITION_CAP, params.attrition_base * math.exp(params.attrition_gamma * (0.6 - morale))
    )


def breakthrough_rate(culture: Mapping[str, float], params: Organisation) -> float:
    """Poisson rate of breakthrough ideas: rate × innovation × safety × capability."""
    return (
        params.breakthrough_rate * culture["innovation"] * culture["safety"] * culture["capability"]
    )


def end_quarter(
    state: OrgState,
    work: Mapping[str, TeamWork],
    quarter: int,
    freeze: bool,
    params: Organisation,
    rng: np.random.Generator,
) -> tuple[OrgState, OrgOutcome]:
    """Close the quarter: debt, culture, morale, attrition, assimilation, backfill, ideas."""
    culture = dict(state.culture)
    teams = dict(state.teams)
    quality, debt_change = _move_debt(teams, work, params)
    landed, pending = _land_initiatives(state.pending, culture, quarter)
    target = _relax_morale(culture, teams, work, state.layoff_shock, params)
    rate = attrition_rate(culture["morale"], params)
    leavers, backfilled = _turnover(teams, rate, freeze, rng)
    ideas = int(rng.poisson(breakthrough_rate(culture, params)))
    new = evolve(
        state,
        culture=culture,
        teams=teams,
        pending=tuple(pending),
        layoff_shock=state.layoff_shock * LAYOFF_SHOCK_DECAY,
        leavers_total=state.leavers_total + sum(leavers.values()),
    )
    return new, OrgOutcome(
        landed=landed,
        leavers=leavers,
        backfilled=backfilled,
        attrition_rate=rate,
        morale_target=target,
        quality_change=quality,
        debt_change=debt_change,
        breakthroughs=ideas,
        hiring_cost=sum(backfilled.values()) * params.hiring_cost,
    )


def _move_debt(
    teams: dict[str, Team], work: Mapping[str, TeamWork], params: Organisation
) -> tuple[dict[str, float], dict[str, float]]:
    """Each working line's debt moves (``teams`` updated in place); returns quality, debt change."""
    quality: dict[str, float] = {}
    debt_change: dict[str, float] = {}
    for product, w in work.items():
        team = teams[product]
        quality[product] = quality_change(team, w, params)
        new_debt = debt_after(team, w)
        debt_change[product] = new_debt - team.tech_debt
        teams[product] = evolve(team, tech_debt=new_debt)
    return quality, debt_change


def _land_initiatives(
    pending: tuple[Pending, ...], culture: dict[str, float], quarter: int
) -> tuple[list[str], list[Pending]]:
    """Culture initiatives due by ``quarter`` land on ``culture`` (in place).

    Returns the ids that landed and the initiatives still pending.
    """
    landed: list[str] = []
    waiting: list[Pending] = []
    for p in pending:
        if p.lands <= quarter:
            for dim, change in p.effects:
                culture[dim] = clip(culture[dim] + change, 0.0, 1.0)
            landed.append(p.initiative)
        else:
            waiting.append(p)
    return landed, waiting


def _relax_morale(
    culture: dict[str, float],
    teams: Mapping[str, Team],
    work: Mapping[str, TeamWork],
    layoff_shock: float,
    params: Organisation,
) -> float:
    """Morale relaxes toward a target set by this quarter's experience; returns the target."""
    heads = {p: t.headcount for p, t in teams.items()}
    working = sum(heads[p] for p in work) or 1
    load = sum(w.allocation.load * heads[p] for p, w in work.items()) / working
    people = sum(heads.values()) or 1
    shipped = sum(w.shipped for w in work.values())
    pressure = (
        sum(heads[p] * (1.0 - debt_factor(t.tech_debt, params)) for p, t in teams.items()) / people
    )
    target = morale_target(culture, load, shipped, pressure, layoff_shock)
    culture["morale"] = clip(
        culture["morale"] + MORALE_RATE * (target - culture["morale"]), 0.0, 1.0
    )
    return target


def _turnover(
    teams: dict[str, Team], rate: float, freeze: bool, rng: np.random.Generator
) -> tuple[dict[str, int], dict[str, int]]:
    """People leave (binomial), new hires assimilate, leavers are backfilled unless frozen.

    ``teams`` is updated in place, line by line in sorted order (which fixes the draws);
    returns the leavers and the backfilled hires per line.
    """
    leavers: dict[str, int] = {}
    backfilled: dict[str, int] = {}
    for product in sorted(teams):
        team = teams[product]
        # one call for the team: the same draws, in the same order, as one call per group
        draws = rng.binomial([team.experienced, *team.cohorts], rate).tolist()
        gone_exp = draws[0]
        cohorts = [c - g for c, g in zip(team.cohorts, draws[1:], strict=True)]
        gone = gone_exp + team.new_hires - sum(cohorts)
        experienced = team.experienced - gone_exp
        if cohorts:
            experienced += cohorts[0]
            cohorts = [*cohorts[1:], 0]
        if gone and not freeze:
            if cohorts:
                cohorts[-1] += gone
            else:
                experienced += gone
            backfilled[product] = gone
        if gone:
            leavers[product] = gone
        teams[product] = evolve(team, experienced=experienced, cohorts=tuple(cohorts))
    return leavers, backfilled


def shift_culture(state: OrgState, dimension: str, change: float) -> OrgState:
    """Move one culture dimension (an event or a CPO action), clipped to [0, 1]."""
    culture = dict(state.culture)
    culture[dimension] = clip(culture[dimension] + change, 0.0, 1.0)
    return evolve(state, culture=culture)


def adjust_team(
    state: OrgState, product: str, *, headcount: int = 0, debt: float = 0.0
) -> OrgState:
    """Add/remove experienced engineers or debt on one line (events). Never below zero."""
    team = state.teams[product]
    team = evolve(
        team,
        experienced=max(0, team.experienced + headcount),
        tech_debt=max(0.0, team.tech_debt + debt),
    )
    return evolve(state, teams={**state.teams, product: team})
