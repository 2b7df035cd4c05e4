"""Headless players: strategies that turn a :class:`FirmView` into :class:`Decisions`.

``BOTS`` maps a bot name to a factory taking a random generator (a bot may not touch any
other randomness, so a playthrough stays a pure function of scenario, seed and bot).
Adding a bot is one class and one entry in ``BOTS``. :func:`play` runs a whole game.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, get_args

import numpy as np

from engine.colleague_bots import WEIGH, Manner, answers, keep_promises
from engine.decisions import TEAM_MAX, Decisions, Forecast, ProductDecision, Theme
from engine.portfolio import Policy, plan_line
from engine.report import TurnReport
from engine.scenario import MIN_PRICE, CultureInitiative
from engine.simulation import Simulation
from engine.view import FirmView

RANDOM_PRICE_STEP = 0.15
"""The random bot moves each price by up to ±15% a quarter."""
RANDOM_MARKETING_STEP = 0.5
"""The random bot scales each marketing spend by 1 ± 0.5 ..."""
RANDOM_MARKETING_EXTRA = 5_000.0
"""... and adds between −½ and +½ of this (floored at zero), so a spend of zero can grow
again. The term is centred so the expected spend does not drift: an always-positive term
made random a steady marketing ramp worth about 10 points on some scenarios (balance lab)."""
HIRING_QUARTERS = 4
"""Bots that grow headcount (CPO role) hire in the first four quarters only."""
RANDOM_PRIORITY_NOISE = 3.0
"""σ of the log-normal noise on item scores: the random bot's roadmap order is near-random."""
CULTURE_BUDGET = 0.1
"""Bots spend at most this share of their cash a quarter on initiatives and bets together."""
CULTURE_EFFORT = 0.25
"""... and give at most this share of the firm's capacity a quarter to initiatives."""

Aim = Mapping[str, float]
"""What a bot wants from a culture initiative: a weight per culture dimension."""


def pick_initiative(
    initiatives: Sequence[CultureInitiative],
    aim: Aim,
    budget: float,
    effort: float,
    started: set[str],
) -> CultureInitiative | None:
    """The initiative not yet ``started`` whose effects best serve ``aim``, if any is affordable.

    An initiative's value is the weighted sum of its authored effects (ties: larger total
    effect, then cheaper, then id), so bots read what a scenario offers instead of knowing ids.
    One that lowers any culture dimension is a trap (stack ranking) and is never chosen; nor is
    one costing more than ``budget`` money or ``effort`` capacity, or worth nothing to ``aim``.
    """
    best: tuple[float, float, float, str] | None = None
    chosen = None
    for ini in initiatives:
        if ini.id in started or ini.cost > budget or ini.effort > effort:
            continue
        if min(ini.effects.values()) < 0:
            continue
        value = sum(aim.get(dim, 0.0) * change for dim, change in ini.effects.items())
        if value <= 0:
            continue
        key = (value, sum(ini.effects.values()), -ini.cost, ini.id)
        if best is None or key > best:
            best, chosen = key, ini
    return chosen


def _started(view: FirmView) -> set[str]:
    """Initiatives this firm has started in earlier quarters (from its own reports)."""
    return {
        ini
        for report in view.history
        if (org := report.organisation.get(view.firm)) is not None
        for ini in org.initiatives_started
    }


class Bot(Protocol):
    """Anything that decides a quarter for one firm from what that firm can see."""

    def decide(self, view: FirmView) -> Decisions:
        """This quarter's decisions for ``view.firm``."""
        ...


class HoldBot:
    """Keeps every price and the current marketing spend: the do-nothing baseline (it never
    answers a colleague either)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def decide(self, view: FirmView) -> Decisions:
        return Decisions(
            products={
                pid: ProductDecision(price=p.price, marketing=dict(p.marketing))
                for pid, p in view.products.items()
            }
        )


class RandomBot:
    """Moves prices by up to ±15% and marketing by up to ±50% (± a little) each quarter, and
    answers colleagues at random (without working to keep what it promised)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def decide(self, view: FirmView) -> Decisions:
        decisions = self._decide(view)
        replies = answers(view, Manner("random", keeps=False), self.rng)
        return decisions.model_copy(update={"responses": replies}) if replies else decisions

    def _decide(self, view: FirmView) -> Decisions:
        products = {}
        for pid, p in view.products.items():
            step = self.rng.uniform(-RANDOM_PRICE_STEP, RANDOM_PRICE_STEP)
            marketing = {
                seg: max(
                    0.0,
                    float(
                        round(
                            spend
                            * self.rng.uniform(1 - RANDOM_MARKETING_STEP, 1 + RANDOM_MARKETING_STEP)
                            + self.rng.uniform(-RANDOM_MARKETING_EXTRA, RANDOM_MARKETING_EXTRA) / 2,
                            -2,
                        )
                    ),
                )
                for seg, spend in p.marketing.items()
            }
            products[pid] = ProductDecision(
                price=max(float(round(p.price * (1.0 + step), 2)), MIN_PRICE), marketing=marketing
            )
        org = view.organisation
        if org is None:
            return Decisions(products=products)
        if org.role == "cpo":
            themes = list(get_args(Theme))
            return Decisions(
                themes={line: themes[int(self.rng.integers(len(themes)))] for line in org.lines},
                mentoring={
                    line: round(float(self.rng.uniform(0, 1 / len(org.lines))), 3)
                    for line in org.lines
                },
            )
        for line, lv in org.lines.items():
            plan = plan_line(lv, self._line_policy(), self.rng)
            products[line] = products[line].model_copy(
                update={"roadmap": plan.roadmap, "split": plan.split, "research": plan.research}
            )
        return Decisions(products=products)

    def _line_policy(self) -> Policy:
        """A different random way of running a line each quarter (items in random order)."""
        return Policy(
            value="naive",
            noise=RANDOM_PRIORITY_NOISE,
            studies=int(self.rng.integers(0, 2)),
            research_every=1,
            discovery=round(float(self.rng.uniform(0.0, 0.3)), 2),
            debt_target=None if self.rng.random() < 0.3 else float(self.rng.uniform(0.2, 1.0)),
            fill=float(self.rng.uniform(0.5, 1.5)),
        )


class PolicyBot:
    """Runs every line with a :class:`~engine.portfolio.Policy` (PM) or steers the AI PMs (CPO).

    As PM it decides each line itself with :func:`engine.portfolio.plan_line`; as CPO it sets a
    theme per line, mentors the least skilled PMs, funds bets it can afford, and leaves the
    line decisions to the AI PMs. Culture initiatives follow a schedule of (quarter, aim)
    pairs: each quarter it starts the initiative that best serves the aim
    (:func:`pick_initiative`), or none when nothing in the scenario does. Colleagues'
    requests are answered in its ``manner`` (:mod:`engine.colleague_bots`).
    """

    def __init__(
        self,
        rng: np.random.Generator,
        policy: Policy,
        theme: Theme | None = None,
        culture: tuple[tuple[int, Aim], ...] = (),
        mentoring: bool = False,
        bets: bool = False,
        forecast: bool = False,
        freeze: bool = False,
        hires: int = 0,
        manner: Manner = WEIGH,
    ) -> None:
        self.rng = rng
        self.policy = policy
        self.theme = theme
        self.culture = culture
        self.mentoring = mentoring
        self.bets = bets
        self.forecast = forecast
        self.freeze = freeze
        self.hires = hires
        self.manner = manner

    def decide(self, view: FirmView) -> Decisions:
        """This quarter's decisions, then the answers to colleagues and the promises kept."""
        decisions = self._decide(view)
        replies = answers(view, self.manner, self.rng)
        if self.manner.keeps:
            decisions = keep_promises(view, decisions, replies)
        return decisions.model_copy(update={"responses": replies}) if replies else decisions

    def _decide(self, view: FirmView) -> Decisions:
        org = view.organisation
        if org is None:
            return HoldBot(self.rng).decide(view)
        sc = view.scenario
        budget = CULTURE_BUDGET * max(0.0, view.cash)
        initiatives = []
        due = [aim for quarter, aim in self.culture if quarter == view.quarter]
        if due:  # the history walk and the capacity sum only in a quarter an aim is due
            effort = CULTURE_EFFORT * sum(lv.capacity for lv in org.lines.values())
            started = _started(view)
            for aim in due:
                ini = pick_initiative(sc.initiatives, aim, budget, effort, started)
                if ini is not None:
                    initiatives.append(ini.id)
                    started.add(ini.id)
                    budget -= ini.cost
                    effort -= ini.effort
        fields: dict[str, Any] = {"initiatives": initiatives, "hiring_freeze": self.freeze}
        if self.forecast and view.history:
            last = view.last.firms[view.firm]
            fields["forecast"] = Forecast(revenue=last.revenue, share=last.share)
        if org.role == "pm":
            fields["products"] = {
                line: plan_line(lv, self.policy, self.rng) for line, lv in org.lines.items()
            }
            return Decisions(**fields)
        if self.theme is not None:
            fields["themes"] = dict.fromkeys(org.lines, self.theme)
        hires = min(self.hires, max(0, TEAM_MAX - org.headcount))  # never past a team's cap
        if hires and not self.freeze and view.quarter <= HIRING_QUARTERS:
            fields["products"] = {line: ProductDecision(hires=hires) for line in org.lines}
        if self.mentoring and org.lines:
            skills = sorted(org.lines, key=lambda li: (org.lines[li].skill, li))
            shares = (0.6, 0.4) if len(skills) > 1 else (1.0,)
            fields["mentoring"] = dict(zip(skills, shares, strict=False))
        if self.bets:
            funded = []
            for bet in sc.bets:
                if bet.id not in org.bets_resolved and bet.cost <= budget:
                    funded.append(bet.id)
                    budget -= bet.cost
            fields["bets"] = funded
            fields["incubation"] = min(len(funded), org.headcount)
        return Decisions(**fields)


def _policy_bot(policy: Policy, **kwargs: Any) -> Callable[[np.random.Generator], Bot]:
    return lambda rng: PolicyBot(rng, policy, **kwargs)


BOTS: dict[str, Callable[[np.random.Generator], Bot]] = {
    "hold": HoldBot,
    "random": RandomBot,
    # Cuts price and pours money into marketing; builds what it guesses, never researches.
    "greedy_share": _policy_bot(
        Policy(
            studies=0,
            research_every=0,
            discovery=0.05,
            debt_target=0.6,
            fill=1.1,
            price_step=-0.05,
            price_band=(0.7, 1.3),
            marketing=1.4,
        ),
        theme="growth",
        # says yes to whoever brings customers; weighs the rest
        manner=Manner("favour", ("sales", "marketing", "ceo"), "market"),
    ),
    # Raises price, trims marketing and research, freezes hiring.
    "profit": _policy_bot(
        Policy(
            research_every=4,
            discovery=0.05,
            debt_target=0.5,
            price_step=0.04,
            price_band=(0.8, 1.5),
            marketing=0.7,
        ),
        theme="profit",
        freeze=True,
        manner=Manner("favour", ("cfo", "sales"), "budget"),
    ),
    # Researches often, builds for the customers it has, invests in quality.
    "customer_centric": _policy_bot(
        Policy(
            value="retention",
            studies=2,
            research_every=2,
            discovery=0.2,
            debt_target=0.3,
            quality_bonus=2.0,
        ),
        theme="retention",
        # closer to customers first; trust and morale count for half as much
        culture=tuple((q, {"customer_focus": 1.0, "safety": 0.5, "morale": 0.5}) for q in (1, 2)),
        mentoring=True,
        manner=Manner("favour", ("design",), "market"),
    ),
    # Ships as many features as capacity allows: no discovery, no debt work, no research.
    "feature_factory": _policy_bot(
        Policy(value="naive", studies=0, research_every=0, discovery=0.0, debt_target=None),
        theme="growth",
        hires=2,
        # accepts every request and builds what it was going to build anyway
        manner=Manner("yes", keeps=False),
    ),
    # Discovery first, then value/effort prioritisation on what it learned, debt kept in check;
    # holds price and invests half as much again as the starting marketing in awareness.
    "balanced": _policy_bot(
        Policy(studies=3, research_every=2, discovery=0.12, debt_target=0.35, marketing=1.5),
        theme=None,
        # safety first, then customer focus, capability and innovation: one every three
        # quarters, so the team is cared for all game long
        culture=(
            (1, {"safety": 1.0}),
            (4, {"customer_focus": 1.0}),
            (7, {"capability": 1.0}),
            (10, {"innovation": 1.0}),
        ),
        mentoring=True,
        bets=True,
        forecast=True,
    ),
}


def make_bot(name: str, rng: np.random.Generator) -> Bot:
    """The bot called ``name``; a clear ValueError names the known ones otherwise."""
    try:
        factory = BOTS[name]
    except KeyError:
        raise ValueError(f"unknown bot '{name}' (known: {', '.join(sorted(BOTS))})") from None
    return factory(rng)


def play(sim: Simulation, bot: str, turns: int | None = None) -> list[TurnReport]:
    """Play ``turns`` quarters (default: to the end) with ``bot`` running every player firm.

    Each player firm gets its own bot with its own stream (subsystem ``bots``). Returns the
    reports of the quarters played.
    """
    players = [f.id for f in sim.scenario.player_firms()]
    bots = {
        firm: make_bot(bot, sim.streams.generator("bots", 0, i)) for i, firm in enumerate(players)
    }
    remaining = sim.scenario.quarters - sim.state.quarter
    turns = remaining if turns is None else turns
    if not 0 <= turns <= remaining:
        raise ValueError(f"turns must be between 0 and {remaining}, not {turns}")
    reports = []
    for _ in range(turns):
        decisions = {firm: b.decide(sim.view(firm)) for firm, b in bots.items()}
        reports.append(sim.step(decisions))
    return reports


def play_takeover(sim: Simulation, first: str, quarter: int, then: str) -> list[TurnReport]:
    """Play ``first`` up to quarter ``quarter`` − 1, then ``then`` from ``quarter`` to the end.

    ``quarter`` is 1..quarters (1: ``then`` plays the whole game). This is how the balance
    lab checks that the second half matters: a good bot handing over to ``hold`` halfway
    must lose points.
    """
    if not 1 <= quarter <= sim.scenario.quarters:
        raise ValueError(f"the takeover quarter must be between 1 and {sim.scenario.quarters}")
    reports = play(sim, first, max(0, quarter - 1 - sim.state.quarter))
    return reports + play(sim, then)
