"""The balance lab: play every bot over many seeds and judge whether a scenario is fair.

A *run* is one playthrough of one bot on one seed (:func:`play_run`). :func:`balance_report`
aggregates a set of runs (every bot on the same seeds) into per-bot score distributions,
objective hit rates and final KPIs, the gap between the best bot and ``random``, the share of
score variance due to luck versus strategy, the runaway-leader risk and the warnings an author
must look at before a workshop, and per objective its KPI per bot and a suggested target.
Running the (bot, seed) pairs in parallel is the caller's job
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
  the same seeds) loses less than TAKEOVER_COST points: the second half must matter;
  ``luck_high``: the luck share of the score variance is above LUCK_SHARE.
  Every message ends with what to change.
- notes (NOTE_CODES: printed, never a ``--strict`` failure):
  ``too_easy``: a goal (not met at the start) met by every bot, or by ``hold``, on at least
  EASY_RATE of the seeds;
  ``fingerprint_objective``: one bot meets the objective on at least FINGERPRINT_HIT of the
  seeds and every other bot on at most FINGERPRINT_MISS (three or more bots): it marks one
  style of play rather than judgement.
- *objective KPI*: the value :mod:`engine.scoring` decided the objective on (the quarter
  ``by``, the worst quarter up to ``by`` for ``always``, the end for ``final``; restricted to
  the objective's segment and product), per bot as a :class:`Distribution`.
- *suggested target* (:func:`_suggest`, :func:`reach`): the value REFERENCE_BOT (the
  best bot when it did not play), the player the scenario means to win, reaches on at least
  SUGGEST_RATE of the seeds (its 10th percentile for a ``>=`` objective, its 90th for
  ``<=``), rounded to two significant figures towards easier; for a goal that ``hold`` would
  meet on half its seeds or more, its median instead; none when a goal's target would be
  met at the start. ``unreachable_objective`` also offers a stretch target: the best value
  any bot reaches on UNREACHABLE_RATE of the seeds (its 70th percentile for ``>=``), the
  hardest target that raises no warning.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from engine import kpis as kpi_registry
from engine.bots import play, play_takeover
from engine.scenario import Scenario
from engine.scoring import kpi_key
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
EASY_RATE = 0.9
"""``too_easy``: a goal every bot (or ``hold``) meets on at least this share of seeds."""
FINGERPRINT_HIT = 0.9
FINGERPRINT_MISS = 0.1
"""``fingerprint_objective``: one bot meets it on ≥ FINGERPRINT_HIT of the seeds, every other
bot on ≤ FINGERPRINT_MISS."""
LUCK_SHARE = 0.5
"""``luck_high``: above this share of the score variance the seed explains more of a score
than every difference between the strategies together, so a debrief ranking of players
says more about their seeds than their play."""
NOTE_CODES = frozenset({"too_easy", "fingerprint_objective"})
"""Findings printed as notes, which ``--strict`` ignores. They judge how an objective's target
was set, which an author may mean (a floor every player reaches, a habit only one style
shows; as CPO the AI PMs run the lines whatever the CPO does, so ``hold`` meets line
targets), whereas the warnings judge whether the scenario is fair at all."""
SUGGEST_RATE = 0.9
"""A suggested target is what REFERENCE_BOT reaches on at least this share of the seeds..."""
FALLBACK_RATE = 0.5
"""...or on this share (its median) when ``hold`` would meet the first on half its seeds."""
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
    values: dict[str, float] = field(default_factory=dict)  # objective id -> KPI as scored
    kinds: dict[str, str] = field(default_factory=dict)  # objective id -> goal | guardrail
    starts: dict[str, float] = field(default_factory=dict)  # objective id -> KPI at the start


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
        values={
            o["id"]: float("nan") if o["value"] is None else float(o["value"])
            for o in card["objectives"]
        },
        kinds={o["id"]: str(o["kind"]) for o in card["objectives"]},
        starts={
            o["id"]: float("nan") if o["start"] is None else float(o["start"])
            for o in card["objectives"]
        },
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
class ObjectiveAdvice:
    """One objective over every seed: its KPI as scored per bot and a suggested target."""

    id: str
    description: str
    kpi: str  # the scored KPI's key (engine.scoring.kpi_key), e.g. share:mid
    op: str
    target: float
    due: str  # when it is decided, e.g. "Q8", "every quarter to Q8", "the end"
    kind: str  # goal or guardrail (as most runs found it at the start)
    start: float | None  # the KPI's median value at the start (engine.scoring.start_value)
    values: dict[str, Distribution]  # per bot, best bot first
    suggested: float | None  # None: see no_suggestion
    basis: str  # the bot the suggestion comes from
    suggested_rate: float  # the share of basis's seeds it was chosen to meet
    suggested_hits: dict[str, float]  # per bot: share of seeds meeting the suggested target
    no_suggestion: str  # why there is no suggested target ("" when there is one)
    stretch: float | None = None  # the hardest target some bot meets on UNREACHABLE_RATE
    stretch_basis: str = ""  # that bot


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
    notes: list[Warning] = field(default_factory=list)  # NOTE_CODES: --strict ignores them
    objectives: list[ObjectiveAdvice] = field(default_factory=list)  # the role's, in order

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
        objectives=objective_advice(scenario, role, grid, [b.bot for b in summaries], seeds),
    )
    found = _warnings(report, scores, bots, scenario)
    report.warnings.extend(w for w in found if w.code not in NOTE_CODES)
    report.notes.extend(w for w in found if w.code in NOTE_CODES)
    return report


def reach(values: Sequence[float], op: str, rate: float) -> float | None:
    """The hardest target that ``values`` (one per seed) meet on at least ``rate`` of the
    seeds: an order statistic, so exactly that share meets it. A NaN (not measured) is a miss;
    None when too few values are measured."""
    arr = np.asarray(values, dtype=float)
    need = math.ceil(rate * arr.size - 1e-9)
    finite = np.sort(arr[np.isfinite(arr)])
    if need < 1 or finite.size < need:
        return None
    return float(finite[-need] if op == ">=" else finite[need - 1])


def round_target(value: float, op: str) -> float:
    """``value`` to two significant figures, rounded towards easier (down for ``>=``)."""
    if value == 0.0 or not math.isfinite(value):
        return value
    step = 10.0 ** (math.floor(math.log10(abs(value))) - 1)
    scaled = value / step
    whole = math.floor(scaled + 1e-9) if op == ">=" else math.ceil(scaled - 1e-9)
    return round(whole * step, 12)


def hit_rate(values: Sequence[float], op: str, target: float) -> float:
    """The share of ``values`` that meet ``op target`` (NaN never does; 0 when empty)."""
    arr = np.asarray(values, dtype=float)
    if not arr.size:
        return 0.0
    with np.errstate(invalid="ignore"):
        met = arr >= target if op == ">=" else arr <= target
    return float(np.mean(met & np.isfinite(arr)))


def _due(scenario: Scenario, mode: str, by: int | None) -> str:
    """When an objective is decided, in words."""
    quarter = scenario.quarters if by is None or mode == "final" else by
    if mode == "always":
        return f"in every quarter to Q{quarter}"
    return "at the end" if quarter == scenario.quarters else f"at Q{quarter}"


def harder(target: float, than: float, op: str) -> bool:
    """Whether ``target`` is strictly harder to meet than ``than`` under ``op``."""
    return target > than if op == ">=" else target < than


def _suggest(
    raw: dict[str, list[float]], op: str, basis: str, start: float | None, goal: bool
) -> tuple[float | None, float, str]:
    """(suggested target, share of ``basis``'s seeds meeting it, why there is none).

    ``basis``'s value on SUGGEST_RATE of its seeds; for a goal that ``hold`` would meet that
    on half its seeds or more, ``basis``'s median instead (FALLBACK_RATE). A goal's target must
    be harder than its start, or it would be a guardrail."""
    suggested, rate = None, SUGGEST_RATE
    for rate in (SUGGEST_RATE, FALLBACK_RATE):
        reached = reach(raw[basis], op, rate)
        if reached is None:
            return None, rate, f"{basis} has too few measured values"
        suggested = round_target(reached, op)
        if not goal or "hold" not in raw or hit_rate(raw["hold"], op, suggested) < 0.5:
            break
    if goal and suggested is not None and start is not None and not harder(suggested, start, op):
        return None, rate, f"{basis} does not move it beyond where it starts"
    return suggested, rate, ""


def objective_advice(
    scenario: Scenario,
    role: str,
    grid: dict[tuple[str, int], Run],
    order: Sequence[str],
    seeds: Sequence[int],
) -> list[ObjectiveAdvice]:
    """Per objective of ``role``: its scored KPI per bot (``order``: best bot first), the
    suggested target (:func:`_suggest`) from REFERENCE_BOT (the best bot when it did not
    play) and the stretch target."""
    basis = REFERENCE_BOT if REFERENCE_BOT in order else order[0]
    found = []
    for o in (o for o in scenario.objectives if role in o.roles):
        raw = {b: [grid[b, s].values.get(o.id, float("nan")) for s in seeds] for b in order}
        kinds = [grid[b, s].kinds.get(o.id, "goal") for b in order for s in seeds]
        kind = "guardrail" if 2 * kinds.count("guardrail") > len(kinds) else "goal"
        starts = Distribution.of(
            [grid[b, s].starts.get(o.id, np.nan) for b in order for s in seeds]
        )
        start = starts.p50 if math.isfinite(starts.p50) else None
        suggested, rate, why = _suggest(raw, o.op, basis, start, kind == "goal")
        stretches = [
            (t, b) for b in order if (t := reach(raw[b], o.op, UNREACHABLE_RATE)) is not None
        ]
        stretch = (max if o.op == ">=" else min)(stretches, default=None, key=lambda x: x[0])
        found.append(
            ObjectiveAdvice(
                id=o.id,
                description=o.description,
                kpi=kpi_key(o.kpi, o.segment, o.product),
                op=o.op,
                target=o.target,
                due=_due(scenario, o.mode, o.by),
                kind=kind,
                start=start,
                values={b: Distribution.of(raw[b]) for b in order},
                suggested=suggested,
                basis=basis,
                suggested_rate=rate,
                suggested_hits=(
                    {}
                    if suggested is None
                    else {b: hit_rate(raw[b], o.op, suggested) for b in order}
                ),
                no_suggestion=why,
                stretch=None if stretch is None else round_target(stretch[0], o.op),
                stretch_basis="" if stretch is None else stretch[1],
            )
        )
    return found


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
                f"({best.bot}): gap {report.random_gap:.1f}; {_RANDOM_FIX}",
            )
        )
    elif best.bot == "random":
        found.append(
            Warning("random_close", f"random has the best mean score of every bot; {_RANDOM_FIX}")
        )
    if best.bot != REFERENCE_BOT and best.wins == report.seeds and len(bots) > 1:
        ordered = np.sort(scores, axis=0)
        margin = float(np.median(ordered[-1] - ordered[-2]))
        if margin >= DOMINANT_MARGIN:
            found.append(
                Warning(
                    "dominant_bot",
                    f"{best.bot} scores highest on every seed, by a median "
                    f"{margin:.1f} points over the runner-up: add an objective its single-minded "
                    "style misses (see each objective's table)",
                )
            )
    if best.bot == "feature_factory":
        found.append(
            Warning(
                "feature_factory_first",
                "feature_factory has the best mean score: reward what it skips (research, "
                "discovery, debt work), e.g. a satisfaction or retention goal",
            )
        )
    return (
        found
        + _inaction_warnings(report)
        + [w for a in report.objectives for w in _objective_warnings(report, a, scenario)]
        + _luck_warning(report)
    )


def _ordinal_percentile(op: str, rate: float) -> str:
    """The percentile met on ``rate`` of the seeds, in words: '10th' for ``>=`` at 90%."""
    return f"{round(100 * ((1 - rate) if op == '>=' else rate))}th"


def _objective_warnings(
    report: BalanceReport, advice: ObjectiveAdvice, scenario: Scenario
) -> list[Warning]:
    """unreachable_objective, too_easy and fingerprint_objective for one objective, each
    with the target that would fix it."""
    obj = next(o for o in scenario.objectives if o.id == advice.id)

    def show(value: float) -> str:
        return kpi_registry.KPIS[obj.kpi].format(value, scenario.currency)

    rates = {b.bot: b.objectives[advice.id] for b in report.bots}
    name = f"objective '{advice.id}' ({advice.description})"
    best_hits = advice.suggested_hits.get(advice.basis, 0.0)
    suggestion = (
        ""
        if advice.suggested is None
        else f"{show(advice.suggested)} ({advice.basis} reaches it on {best_hits:.0%} of "
        f"seeds: its {_ordinal_percentile(advice.op, advice.suggested_rate)} percentile"
    )
    found = []
    top = max(report.bots, key=lambda s: (s.objectives[advice.id], s.bot))
    if top.objectives[advice.id] < UNREACHABLE_RATE:
        if advice.stretch is None:
            fix = "no bot has a value for it on enough seeds: check that the KPI is measured"
        else:
            fix = (
                f"ease the target to about {show(advice.stretch)} for a stretch goal "
                f"({advice.stretch_basis} reaches it on {UNREACHABLE_RATE:.0%} of seeds)"
                + (f", or {suggestion}) for one good play meets" if suggestion else "")
                + ", or give it a later `by`"
            )
        found.append(
            Warning(
                "unreachable_objective",
                f"{name} is met by no bot in {UNREACHABLE_RATE:.0%} of seeds "
                f"(best: {top.bot}, {top.objectives[advice.id]:.0%}): {fix}",
            )
        )
    every = min(rates.values()) >= EASY_RATE
    if advice.kind == "goal" and (every or rates.get("hold", 0.0) >= EASY_RATE):
        weakest = "hold" if "hold" in rates else report.bots[-1].bot
        floor = advice.suggested_hits.get(weakest, 1.0)
        if suggestion and floor < 0.5:
            fix = (
                f"tighten the target to about {suggestion}; {weakest} meets it on {floor:.0%})"
                " or give it an earlier `by`"
            )
        else:
            fix = f"no target separates good play from {weakest}"
            if advice.suggested is not None:
                fix += (
                    f" ({advice.basis} reaches {show(advice.suggested)} on {best_hits:.0%} of "
                    f"seeds, {weakest} on {floor:.0%})"
                )
            fix += ": measure something the player's decisions move, or drop it"
        found.append(
            Warning(
                "too_easy",
                f"{name} is met by "
                + (
                    f"every bot on at least {min(rates.values()):.0%}"
                    if every
                    else f"hold (taking no decisions) on {rates['hold']:.0%}"
                )
                + f" of seeds: {fix}",
            )
        )
    return found + _fingerprint(advice, rates, name, show)


def _fingerprint(
    advice: ObjectiveAdvice,
    rates: dict[str, float],
    name: str,
    show: Callable[[float], str],
) -> list[Warning]:
    """fingerprint_objective: one bot meets it (almost) always, every other (almost) never.
    The fix eases the target to the median of the closest other style (not hold or random)
    when that style moves the KPI."""
    owners = [b for b, r in rates.items() if r >= FINGERPRINT_HIT]
    if len(rates) < 3 or len(owners) != 1:
        return []
    owner = owners[0]
    others = [b for b in rates if b != owner]
    if max(rates[b] for b in others) > FINGERPRINT_MISS:
        return []
    styles = [b for b in others if b not in ("hold", "random")] or others
    medians = [(advice.values[b].p50, b) for b in styles if math.isfinite(advice.values[b].p50)]
    closest = (max if advice.op == ">=" else min)(medians, default=None)
    eased = None if closest is None else round_target(closest[0], advice.op)
    if eased is not None and (advice.start is None or harder(eased, advice.start, advice.op)):
        fix = (
            f"ease the target to about {show(eased)} ({closest[1]}'s median, so a second "
            "style meets it on about half the seeds) or reward the outcome through a KPI "
            "several ways of playing move"
        )
    else:
        fix = (
            "no other style moves it from where it starts"
            + ("" if advice.start is None else f" ({show(advice.start)})")
            + f": it checks one habit of {owner} rather than judgement; reward the outcome "
            "that habit serves, or give the objective less weight"
        )
    return [
        Warning(
            "fingerprint_objective",
            f"{name} is a fingerprint of {owner}"
            + (" (the reference player)" if owner == REFERENCE_BOT else "")
            + f": it meets it on {rates[owner]:.0%} of seeds, "
            f"every other bot on at most {max(rates[b] for b in others):.0%}: {fix}",
        )
    ]


def _luck_warning(report: BalanceReport) -> list[Warning]:
    """luck_high: the seed explains more of the score than the strategy (LUCK_SHARE)."""
    v = report.variance
    if v["luck"] <= LUCK_SHARE:
        return []
    if v["seed"] >= v["interaction"]:
        fix = (
            "the market differs from seed to seed for everyone: make random events rarer or "
            "smaller, or segment sizes and growth less volatile"
        )
    else:
        fix = (
            "which strategy does well changes from seed to seed: move targets away from what "
            "the bots reach by chance (see the suggested targets) and rely less on events "
            "that help one style"
        )
    return [
        Warning(
            "luck_high",
            f"luck is {v['luck']:.0%} of the score variance ({v['seed']:.0%} the seed, "
            f"{v['interaction']:.0%} seed × bot), above {LUCK_SHARE:.0%}: {fix}",
        )
    ]


_RANDOM_FIX = "raise goal targets above what random reaches (its p90 in the objective tables)"
_HOLD_FIX = "raise goal targets to the suggested ones, above what hold reaches"


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
                f"{HOLD_CEILING:.0f}: inaction earns a passing grade; {_HOLD_FIX}",
            )
        )
    best = report.bots[0]
    if hold is not None and best.bot != "hold" and best.score.mean - hold.score.mean < HOLD_GAP:
        found.append(
            Warning(
                "hold_close",
                f"the best bot ({best.bot}) beats hold by {best.score.mean - hold.score.mean:.1f}"
                f" points, less than {HOLD_GAP:.0f}; {_HOLD_FIX}",
            )
        )
    if report.takeover is not None and report.takeover["cost"] < TAKEOVER_COST:
        found.append(
            Warning(
                "takeover_cheap",
                f"balanced handing over to hold from Q{report.takeover['from_quarter']:.0f} "
                f"loses {report.takeover['cost']:.1f} points, less than {TAKEOVER_COST:.0f}: "
                "the second half of the game hardly matters; set goals due at the end that "
                "take steady play to reach",
            )
        )
    return found
