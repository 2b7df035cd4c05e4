"""Replays and what-ifs: rebuild a game from its decisions, or hand it to a bot from quarter k.

A game is a pure function of (scenario, seed, role, decisions), so a debrief never needs a
saved simulation state: :func:`replay` plays the logged decisions again, optionally letting a
built-in bot take over after quarter ``k`` (bots get the same streams as
:func:`engine.bots.play`, so a takeover from quarter 0 *is* a plain bot run).
:func:`what_if` compares such a takeover with the game as played and says the difference in
words ("Had you ... after Q4, the balanced policy reached 31.0% share instead of your 22.0%").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.bots import BOTS, make_bot
from engine.decisions import Decisions
from engine.formatting import money_full, number, pct
from engine.phrases import ENGLISH, say
from engine.report import TurnReport
from engine.scenario import Scenario
from engine.simulation import Simulation

Log = Sequence[dict[str, Decisions]]
"""Decisions per quarter (quarter 1 first), keyed by player firm id: a save's decision log."""


class _Ways(Mapping[str, str]):
    """Bot name -> ``whatif.way.<name>``, looked up in the player's language when read."""

    def __getitem__(self, bot: str) -> str:
        if bot not in BOTS or f"whatif.way.{bot}" not in ENGLISH:
            raise KeyError(bot)
        return say(f"whatif.way.{bot}")

    def __iter__(self) -> Iterator[str]:
        return (b for b in BOTS if f"whatif.way.{b}" in ENGLISH)

    def __len__(self) -> int:
        return sum(1 for _ in self)


BOT_WAYS: Mapping[str, str] = _Ways()
"""What each bot does, as a past participle phrase that reads after "Had you ..." (in the
language :func:`engine.phrases.use` chose)."""


def bot_name(bot: str) -> str:
    """A built-in bot's name in words ("greedy share"; ``whatif.bot.<name>``)."""
    key = f"whatif.bot.{bot}"
    return say(key) if key in ENGLISH else bot.replace("_", " ")


Believed = dict[str, dict[str, tuple[float, float]]]
"""segment -> attribute -> (believed mean, sd)."""


@dataclass
class Playthrough:
    """A replayed game: the simulation at its end, the decisions played and the beliefs held."""

    sim: Simulation
    firm: str
    log: list[dict[str, Decisions]]
    beliefs: list[Believed] = field(default_factory=list)  # per quarter 0..T
    culture0: dict[str, float] = field(default_factory=dict)  # culture before quarter 1
    debt0: float = 0.0
    headcount0: int = 0
    belief_error0: float = 0.0
    bot_from: int | None = None  # quarter after which a bot decided (None: never)

    @property
    def history(self) -> list[TurnReport]:
        """Quarter reports 0..T of the game."""
        return self.sim.history

    def scorecard(self) -> dict[str, Any]:
        """The engine's scorecard of the firm after the quarters played."""
        return self.sim.scorecard(self.firm)


def _believed(sim: Simulation, firm: str) -> Believed:
    book = sim.company.books[firm]
    return {
        seg: {a: (e.mean, e.sd) for a, e in attrs.items()}
        for seg, attrs in book.belief.ideals.items()
    }


def replay(
    scenario: Scenario,
    seed: int,
    role: str,
    log: Log,
    *,
    bot: str | None = None,
    from_quarter: int | None = None,
    turns: int | None = None,
    resolution: int | None = None,
    injected: Sequence[Sequence[str]] = (),
) -> Playthrough:
    """Play ``log`` for ``from_quarter`` quarters (default: all of it), then ``bot`` to ``turns``.

    ``turns`` defaults to the scenario's length when a bot takes over, else to the log's
    length. ``injected[q]`` names the events a facilitator injected at the start of quarter
    q + 1; they happen whoever decides. Raises ValueError in words for an unknown bot or an
    impossible quarter.
    """
    k = len(log) if from_quarter is None else from_quarter
    if not 0 <= k <= len(log):
        raise ValueError(f"the game has {len(log)} played quarters; cannot start at Q{k}")
    if bot is not None and bot not in BOTS:
        raise ValueError(f"unknown bot '{bot}' (known: {', '.join(sorted(BOTS))})")
    end = turns if turns is not None else (scenario.quarters if bot else len(log))
    if not k <= end <= scenario.quarters or (bot is None and end > len(log)):
        raise ValueError(f"cannot play to Q{end}")
    sim = Simulation(scenario, seed=seed, role=role, resolution=resolution)
    players = [f.id for f in scenario.player_firms()]
    firm = players[0]
    book = sim.company.books[firm]
    play = Playthrough(
        sim=sim,
        firm=firm,
        log=[],
        beliefs=[_believed(sim, firm)],
        culture0=dict(book.org.culture),
        debt0=float(sum(t.tech_debt for t in book.org.teams.values())),
        headcount0=int(book.org.headcount),
        belief_error0=float(book.prior_error),
        bot_from=k if bot else None,
    )
    bots = {}
    for q in range(end):
        if q < k:
            decisions = dict(log[q])
        else:
            if not bots:
                bots = {
                    f: make_bot(str(bot), sim.streams.generator("bots", 0, i))
                    for i, f in enumerate(players)
                }
            decisions = {f: b.decide(sim.view(f)) for f, b in bots.items()}
        sim.step(decisions, inject=injected[q] if q < len(injected) else ())
        play.log.append(decisions)
        play.beliefs.append(_believed(sim, firm))
    return play


# --------------------------------------------------------------------------- comparing games


@dataclass(frozen=True)
class Outcome:
    """Where a game ended, in the numbers a what-if compares."""

    score: float
    grade: str
    share: float
    revenue: float
    cumulative_profit: float
    satisfaction: float
    morale: float


@dataclass(frozen=True)
class Style:
    """How a firm played quarters k+1..T, measured from the reports (works for PM and CPO)."""

    studies: int
    price: float  # mean price of its lines relative to their starting price
    marketing: float  # mean marketing spend per quarter
    shipped: int
    initiatives: int


def outcome(play: Playthrough) -> Outcome:
    """The final numbers of a playthrough."""
    card = play.scorecard()
    last = play.history[-1]
    fr = last.firms[play.firm]
    org = last.organisation.get(play.firm)
    return Outcome(
        score=float(card["score"]),
        grade=str(card["grade"]),
        share=fr.share,
        revenue=fr.revenue,
        cumulative_profit=float(sum(r.firms[play.firm].profit for r in play.history[1:])),
        satisfaction=fr.satisfaction,
        morale=org.morale if org else play.culture0.get("morale", 0.0),
    )


def style(history: Sequence[TurnReport], firm: str, after: int = 0) -> Style:
    """How ``firm`` played the quarters after ``after`` (from the quarter reports)."""
    start = history[0]
    quarters = [r for r in history[1:] if r.quarter > after]
    own = [pid for pid, p in start.products.items() if p.firm == firm]
    ratios = [
        r.products[p].price / max(start.products[p].price, 1e-9)
        for r in quarters
        for p in own
        if p in r.products
    ]
    orgs = [r.organisation[firm] for r in quarters if firm in r.organisation]
    return Style(
        studies=sum(len(o.research) for o in orgs),
        price=float(np.mean(ratios)) if ratios else 1.0,
        marketing=float(np.mean([r.firms[firm].marketing for r in quarters])) if quarters else 0.0,
        shipped=sum(len(o.shipped) for o in orgs),
        initiatives=sum(len(o.initiatives_started) for o in orgs),
    )


@dataclass(frozen=True)
class WhatIf:
    """A bot's takeover after quarter ``from_quarter`` against the game as played."""

    from_quarter: int
    bot: str
    yours: Outcome
    theirs: Outcome
    your_style: Style
    their_style: Style
    sentences: list[str]
    share: list[float]  # the bot's overall share per quarter 0..T (for a chart)


def describe(
    scenario: Scenario,
    k: int,
    bot: str,
    yours: Outcome,
    theirs: Outcome,
    mine: Style,
    its: Style,
) -> list[str]:
    """The what-if in words: what the bot would have done and what it reached."""
    cur = scenario.currency
    way = BOT_WAYS[bot] if bot in BOT_WAYS else say("whatif.way.unknown", bot=bot)
    first = say(
        "whatif.outcome",
        way=way,
        when=say("whatif.from_start") if k == 0 else say("whatif.after", quarter=k),
        bot=bot_name(bot),
        their_share=pct(theirs.share),
        your_share=pct(yours.share),
        their_profit=money_full(theirs.cumulative_profit, cur),
        your_profit=money_full(yours.cumulative_profit, cur),
        their_score=number(theirs.score, 0),
        their_grade=theirs.grade,
        your_score=number(yours.score, 0),
        your_grade=yours.grade,
    )
    diffs = []
    if its.studies != mine.studies:
        diffs.append(
            say("whatif.studies", count=its.studies, theirs=its.studies, yours=mine.studies)
        )
    if abs(its.price - mine.price) >= 0.02:
        key = "whatif.priced_lower" if its.price < mine.price else "whatif.priced_higher"
        gap = abs(its.price - mine.price) / max(mine.price, 1e-9)
        diffs.append(say(key, gap=pct(gap, 0)))
    if abs(its.marketing - mine.marketing) >= 0.05 * max(mine.marketing, 1.0):
        more = its.marketing > mine.marketing
        gap = abs(its.marketing - mine.marketing)
        key = "whatif.marketing_more" if more else "whatif.marketing_less"
        diffs.append(say(key, amount=money_full(gap, cur)))
    if its.shipped != mine.shipped:
        diffs.append(
            say("whatif.shipped", count=its.shipped, theirs=its.shipped, yours=mine.shipped)
        )
    if its.initiatives != mine.initiatives:
        diffs.append(
            say(
                "whatif.initiatives",
                count=its.initiatives,
                theirs=its.initiatives,
                yours=mine.initiatives,
            )
        )
    out = [first]
    if diffs:
        if k == 0:
            out.append(say("whatif.whole_game", differences=join(diffs)))
        else:
            out.append(say("whatif.from_quarter", quarter=k + 1, differences=join(diffs)))
    else:
        out.append(say("whatif.same"))
    return out


def join(parts: Sequence[str]) -> str:
    """Phrases as one list in words: "a, b and c" (``whatif.and`` joins the last two)."""
    if len(parts) == 1:
        return parts[0]
    return say("whatif.and", first=", ".join(parts[:-1]), last=parts[-1])


def what_if(
    scenario: Scenario,
    seed: int,
    role: str,
    log: Log,
    from_quarter: int,
    bot: str,
    *,
    resolution: int | None = None,
    played: Playthrough | None = None,
    injected: Sequence[Sequence[str]] = (),
) -> WhatIf:
    """Replay the game with ``bot`` deciding every quarter after ``from_quarter``; compare.

    ``played`` (the replay of ``log`` as played) may be passed to save one replay;
    ``injected`` as in :func:`replay`.
    """
    played = played or replay(scenario, seed, role, log, resolution=resolution, injected=injected)
    if from_quarter >= len(played.log):
        raise ValueError(
            f"the what-if must start before the last played quarter (Q{len(played.log)})"
        )
    alt = replay(
        scenario,
        seed,
        role,
        log,
        bot=bot,
        from_quarter=from_quarter,
        turns=len(played.log),
        resolution=resolution,
        injected=injected,
    )
    yours, theirs = outcome(played), outcome(alt)
    mine = style(played.history, played.firm, from_quarter)
    its = style(alt.history, alt.firm, from_quarter)
    return WhatIf(
        from_quarter=from_quarter,
        bot=bot,
        yours=yours,
        theirs=theirs,
        your_style=mine,
        their_style=its,
        sentences=describe(scenario, from_quarter, bot, yours, theirs, mine, its),
        share=[r.firms[alt.firm].share for r in alt.history],
    )
