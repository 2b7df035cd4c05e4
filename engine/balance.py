"""The balance lab: play every bot over many seeds and judge whether a scenario is fair.

A *run* is one playthrough of one bot on one seed (:func:`play_run`). :func:`balance_report`
aggregates a set of runs (every bot on the same seeds) into per-bot score distributions,
objective hit rates and final KPIs, the gap between the best bot and ``random``, the share of
score variance due to luck versus strategy, the runaway-leader risk and the warnings an author
must look at before a workshop. Running the (bot, seed) pairs in parallel is the caller's job
(``game/commands/balance.py``); this module has no I/O and no process pool.

Definitions (the thresholds are the constants below):

- *best bot*: the highest mean score; bots are ranked by mean score (ties by name).
- *luck share*: a two-way decomposition without replication of the bot × seed score matrix.
  The total sum of squares splits into strategy (between bots' means), seed (between seeds'
  means: a kind or harsh market for everyone) and interaction (a seed that suits one bot and
  not another). Luck is everything that is not strategy: (seed + interaction) / total.
- *runaway leader*: at the end of a run the firm with the largest overall share leads by more
  than RUNAWAY_LEAD share points over the second, or holds more than RUNAWAY_SHARE of the
  market. The risk is the fraction of all runs where that happens.
- warnings (``--strict`` turns them into a failure):
  ``random_close``: the mean of ``random`` is within RANDOM_GAP points of the best bot's;
  ``unreachable_objective``: no bot meets the objective in at least UNREACHABLE_RATE of the
  seeds (the best bot's hit rate is below it);
  ``dominant_bot``: one bot other than REFERENCE_BOT scores highest on every seed and its
  median margin over the runner-up on those seeds is at least DOMINANT_MARGIN points;
  ``feature_factory_first``: ``feature_factory`` has the best mean score;
  ``hold_passes``: ``hold`` (doing nothing) scores above HOLD_CEILING on average (a D or
  better: inaction must not earn a pass);
  ``hold_close``: the best bot beats ``hold`` by less than HOLD_GAP points;
  ``takeover_cheap``: ``balanced`` handing over to ``hold`` halfway (TAKEOVER, played on
  the same seeds) loses less than TAKEOVER_COST points: the second half must matter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from engine import kpis as kpi_registry
from engine.bots import play, play_takeover
from engine.scenario import Scenario
from engine.simulation import Simulation

BALANCE_RESOLUTION = 500
"""Synthetic customers per segment in balance runs (scenarios default to 20 000): a run is
about 3× faster and the bot ranking matches the full resolution (see docs/authoring.md)."""
RANDOM_GAP = 10.0
UNREACHABLE_RATE = 0.3
DOMINANT_MARGIN = 10.0
REFERENCE_BOT = "balanced"
"""The bot that plays the way the game teaches (research, deliberate roadmap and price,
forecasts, care for the team all game): it *should* win every seed, so ``dominant_bot`` is
about any other, single-minded strategy."""
HOLD_CEILING = 45.0
HOLD_GAP = 30.0
TAKEOVER_COST = 10.0
TAKEOVER = "balanced>hold"
"""The takeover run: ``balanced`` until halfway (quarters // 2 + 1), then ``hold``."""
RUNAWAY_LEAD = 0.25
RUNAWAY_SHARE = 0.6
KPIS = kpi_registry.BALANCE
"""Final KPIs reported per bot: share and revenue of the last quarter, profit summed over the
game, morale and technical debt of the organisation at the end."""


@dataclass(frozen=True)
class Run:
    """One bot's playthrough on one seed: its score, objectives met and final KPIs."""

    bot: str
    seed: int
    score: float
    objectives: dict[str, bool]
    kpis: dict[str, float]
    leader: str  # the firm with the largest overall share at the end
    lead: float  # its lead over the second firm, in share (0..1)
    top_share: float


def takeover_quarter(scenario: Scenario) -> int:
    """The quarter ``hold`` takes over in the TAKEOVER run: the second half of the game."""
    return scenario.quarters // 2 + 1


def seeds_for(scenario: Scenario, runs: int) -> list[int]:
    """The ``runs`` seeds a balance check plays: the scenario's seed and the ones after it."""
    return [scenario.seed + i for i in range(runs)]


def play_run(
    scenario: Scenario,
    role: str,
    bot: str,
    seed: int,
    resolution: int | None = BALANCE_RESOLUTION,
) -> Run:
    """Play ``bot`` through the whole scenario on ``seed`` (no explanations) and summarise it."""
    sim = Simulation(scenario, seed=seed, role=role, resolution=resolution, explain=False)
    if bot == TAKEOVER:
        play_takeover(sim, "balanced", takeover_quarter(scenario), "hold")
    else:
        play(sim, bot)
    player = scenario.player_firms()[0].id
    card = sim.scorecard(player)
    last = sim.history[-1]
    mine = last.firms[player]
    org = last.organisation.get(player)
    shares = sorted(((f.share, f.id) for f in last.firms.values()), reverse=True)
    second = shares[1][0] if len(shares) > 1 else 0.0
    return Run(
        bot=bot,
        seed=seed,
        score=float(card["score"]),
        objectives={o["id"]: o["status"] == "met" for o in card["objectives"]},
        kpis={
            "score": float(card["score"]),
            "share": mine.share,
            "revenue": mine.revenue,
            "cumulative_profit": float(sum(r.firms[player].profit for r in sim.history[1:])),
            "morale": float(org.morale) if org else float("nan"),
            "tech_debt": float(org.tech_debt) if org else float("nan"),
        },
        leader=shares[0][1],
        lead=shares[0][0] - second,
        top_share=shares[0][0],
    )


@dataclass(frozen=True)
class Distribution:
    """Mean and the 10th, 50th and 90th percentiles of a sample."""

    mean: float
    p10: float
    p50: float
    p90: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Distribution:
        """The distribution of ``values`` (NaN everywhere when there are none)."""
        arr = np.asarray(values, dtype=float)
        if not arr.size or not np.isfinite(arr).any():
            return cls(*([float("nan")] * 4))
        p10, p50, p90 = np.nanpercentile(arr, [10, 50, 90])
        return cls(float(np.nanmean(arr)), float(p10), float(p50), float(p90))


@dataclass(frozen=True)
class BotSummary:
    """One bot over every seed."""

    bot: str
    rank: int
    kpis: dict[str, Distribution]  # "score" and every final KPI
    objectives: dict[str, float]  # hit rate 0..1 per objective id
    wins: int  # seeds on which this bot scored highest

    @property
    def score(self) -> Distribution:
        """The score distribution."""
        return self.kpis["score"]


@dataclass(frozen=True)
class Warning:
    """A balance problem: a code, a sentence, and whether ``--strict`` fails on it."""

    code: str
    message: str


@dataclass(frozen=True)
class BalanceReport:
    """Everything the balance lab found, ready to print or dump as JSON."""

    scenario: str
    role: str
    seeds: int
    resolution: int | None
    bots: list[BotSummary]  # best first
    best: str
    random_gap: float | None  # best mean − random mean (None without random)
    variance: dict[str, float]  # shares of the total: strategy, seed, interaction, luck
    runaway: dict[str, Any]
    objective_any: dict[str, float]  # fraction of seeds on which at least one bot met it
    takeover: dict[str, float] | None = None  # see _takeover; None without TAKEOVER runs
    warnings: list[Warning] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (NaN becomes None)."""
        return _json_safe(asdict(self))


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def variance_shares(scores: np.ndarray) -> dict[str, float]:
    """Shares of the score variance of a (bots × seeds) matrix: strategy, seed, interaction.

    Two-way decomposition without replication: SS_total = SS_bots + SS_seeds + SS_residual.
    ``luck`` is seed + interaction, i.e. 1 − strategy. All zero when every score is equal.
    """
    grand = scores.mean()
    total = float(((scores - grand) ** 2).sum())
    if total <= 0.0:
        return {"strategy": 0.0, "seed": 0.0, "interaction": 0.0, "luck": 0.0}
    n_bots, n_seeds = scores.shape
    strategy = n_seeds * float(((scores.mean(axis=1) - grand) ** 2).sum()) / total
    seed = n_bots * float(((scores.mean(axis=0) - grand) ** 2).sum()) / total
    interaction = max(0.0, 1.0 - strategy - seed)
    return {
        "strategy": strategy,
        "seed": seed,
        "interaction": interaction,
        "luck": seed + interaction,
    }


def balance_report(
    scenario: Scenario, role: str, runs: Sequence[Run], resolution: int | None
) -> BalanceReport:
    """Aggregate runs (every bot on the same seeds) into the balance report.

    TAKEOVER runs, if any, are kept apart (they are not a strategy of their own): they give
    the report's ``takeover`` figures. Raises ValueError when the other runs do not form a
    complete bot × seed grid.
    """
    handovers = [r for r in runs if r.bot == TAKEOVER]
    runs = [r for r in runs if r.bot != TAKEOVER]
    bots = sorted({r.bot for r in runs})
    seeds = sorted({r.seed for r in runs})
    grid = {(r.bot, r.seed): r for r in runs}
    if not runs or len(grid) != len(bots) * len(seeds) or len(runs) != len(grid):
        raise ValueError("balance runs must be every bot on every seed exactly once")
    scores = np.array([[grid[b, s].score for s in seeds] for b in bots])
    winners = [bots[i] for i in np.argmax(scores, axis=0)]  # ties: the first name
    objective_ids = [o.id for o in scenario.objectives if role in o.roles]

    means = {b: float(scores[i].mean()) for i, b in enumerate(bots)}
    summaries = []
    for rank, bot in enumerate(sorted(bots, key=lambda b: (-means[b], b)), start=1):
        mine = [grid[bot, s] for s in seeds]
        summaries.append(
            BotSummary(
                bot=bot,
                rank=rank,
                kpis={k: Distribution.of([r.kpis[k] for r in mine]) for k in KPIS},
                objectives={
                    o: float(np.mean([r.objectives.get(o, False) for r in mine]))
                    for o in objective_ids
                },
                wins=winners.count(bot),
            )
        )
    best = summaries[0]
    by_name = {s.bot: s for s in summaries}
    random_gap = best.score.mean - by_name["random"].score.mean if "random" in by_name else None
    objective_any = {
        o: float(np.mean([any(grid[b, s].objectives.get(o, False) for b in bots) for s in seeds]))
        for o in objective_ids
    }
    report = BalanceReport(
        scenario=scenario.id,
        role=role,
        seeds=len(seeds),
        resolution=resolution,
        bots=summaries,
        best=best.bot,
        random_gap=random_gap,
        variance=variance_shares(scores),
        runaway=_runaway(runs, scenario),
        objective_any=objective_any,
        takeover=_takeover(handovers, grid, scenario),
    )
    report.warnings.extend(_warnings(report, scores, bots, scenario))
    return report


def _takeover(
    handovers: Sequence[Run], grid: dict[tuple[str, int], Run], scenario: Scenario
) -> dict[str, float] | None:
    """``balanced`` against itself handing over to ``hold`` halfway, on the seeds both played:
    the quarter hold takes over, both means and the cost (balanced − takeover)."""
    pairs = [(grid[("balanced", r.seed)].score, r.score) for r in handovers]
    pairs = [p for r, p in zip(handovers, pairs, strict=True) if ("balanced", r.seed) in grid]
    if not pairs:
        return None
    full, handed = (float(np.mean(x)) for x in zip(*pairs, strict=True))
    return {
        "from_quarter": takeover_quarter(scenario),
        "balanced": full,
        "takeover": handed,
        "cost": full - handed,
    }


def _runaway(runs: Sequence[Run], scenario: Scenario) -> dict[str, Any]:
    """How often one firm runs away with the market, and who leads at the end."""
    runaway = [r.lead > RUNAWAY_LEAD or r.top_share > RUNAWAY_SHARE for r in runs]
    names = {f.id: f.name for f in scenario.firms}
    leaders: dict[str, float] = {}
    for r in runs:
        leaders[r.leader] = leaders.get(r.leader, 0.0) + 1.0 / len(runs)
    return {
        "rate": float(np.mean(runaway)),
        "lead": asdict(Distribution.of([r.lead for r in runs])),
        "leaders": {names.get(k, k): v for k, v in sorted(leaders.items(), key=lambda x: -x[1])},
        "threshold_lead": RUNAWAY_LEAD,
        "threshold_share": RUNAWAY_SHARE,
    }


def _warnings(
    report: BalanceReport, scores: np.ndarray, bots: list[str], scenario: Scenario
) -> list[Warning]:
    found = []
    best = report.bots[0]
    if report.random_gap is not None and best.bot != "random" and report.random_gap < RANDOM_GAP:
        found.append(
            Warning(
                "random_close",
                f"random scores within {RANDOM_GAP:.0f} points of the best bot "
                f"({best.bot}): gap {report.random_gap:.1f}",
            )
        )
    elif best.bot == "random":
        found.append(Warning("random_close", "random has the best mean score of every bot"))
    descriptions = {o.id: o.description for o in scenario.objectives if report.role in o.roles}
    for oid in descriptions:
        top = max(report.bots, key=lambda s: (s.objectives[oid], s.bot))
        if top.objectives[oid] < UNREACHABLE_RATE:
            found.append(
                Warning(
                    "unreachable_objective",
                    f"objective '{oid}' ({descriptions[oid]}) is met by no bot in "
                    f"{UNREACHABLE_RATE:.0%} of seeds (best: {top.bot}, {top.objectives[oid]:.0%})",
                )
            )
    if best.bot != REFERENCE_BOT and best.wins == report.seeds and len(bots) > 1:
        ordered = np.sort(scores, axis=0)
        margin = float(np.median(ordered[-1] - ordered[-2]))
        if margin >= DOMINANT_MARGIN:
            found.append(
                Warning(
                    "dominant_bot",
                    f"{best.bot} scores highest on every seed, by a median "
                    f"{margin:.1f} points over the runner-up",
                )
            )
    if best.bot == "feature_factory":
        found.append(Warning("feature_factory_first", "feature_factory has the best mean score"))
    return found + _inaction_warnings(report)


def _inaction_warnings(report: BalanceReport) -> list[Warning]:
    """Doing nothing must fail, and stopping halfway must cost (hold_passes, hold_close,
    takeover_cheap)."""
    found = []
    by_name = {s.bot: s for s in report.bots}
    hold = by_name.get("hold")
    if hold is not None and hold.score.mean > HOLD_CEILING:
        found.append(
            Warning(
                "hold_passes",
                f"hold (doing nothing) scores {hold.score.mean:.1f} on average, above "
                f"{HOLD_CEILING:.0f}: inaction earns a passing grade",
            )
        )
    best = report.bots[0]
    if hold is not None and best.bot != "hold" and best.score.mean - hold.score.mean < HOLD_GAP:
        found.append(
            Warning(
                "hold_close",
                f"the best bot ({best.bot}) beats hold by {best.score.mean - hold.score.mean:.1f}"
                f" points, less than {HOLD_GAP:.0f}",
            )
        )
    if report.takeover is not None and report.takeover["cost"] < TAKEOVER_COST:
        found.append(
            Warning(
                "takeover_cheap",
                f"balanced handing over to hold from Q{report.takeover['from_quarter']:.0f} "
                f"loses {report.takeover['cost']:.1f} points, less than {TAKEOVER_COST:.0f}: "
                "the second half of the game hardly matters",
            )
        )
    return found
