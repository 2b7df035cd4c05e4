"""Discovery (DESIGN §4-§5): research methods return noisy measurements of the market.

Each firm keeps a *believed* market beside the true one: for every segment an estimate (mean
and standard deviation) of the ideal point and the weight of each attribute and of the price
sensitivity, and for every rival product an estimate of its attributes. Beliefs start at a
vague prior (ideals 0.5 ± 0.25, weights and price sensitivity at the scenario-wide average
± 60% / 40%, rival attributes 0.5 ± 0.25).

A research order (method, segment) measures each thing the method ``reveals`` once, with
standard deviation σ = noise × (1.5 − customer_focus) on the 0..1 scale (weights and price
sensitivity: relative to their scenario-wide average). A measurement updates the belief as an
independent Gaussian observation (precision-weighted mean), so buying the same method twice
shrinks the uncertainty like two independent samples. Beliefs go stale: each quarter their
standard deviation grows by a little (the market drifts), never above the prior.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from engine.records import evolve
from engine.scalars import mean
from engine.scenario import ResearchMethod, Scenario

PRIOR_IDEAL = (0.5, 0.25)
PRIOR_WEIGHT_CV = 0.6
PRIOR_PRICE_CV = 0.4
STALENESS = 0.02  # sd added per quarter (0..1 scale; relative for weights and price)


@dataclass(frozen=True)
class Estimate:
    """A believed value with its uncertainty (one standard deviation)."""

    mean: float
    sd: float

    def combine(self, value: float, sd: float) -> Estimate:
        """Precision-weighted update with an independent measurement ``value`` ± ``sd``."""
        p0, p1 = 1.0 / self.sd**2, 1.0 / sd**2
        return Estimate((self.mean * p0 + value * p1) / (p0 + p1), (p0 + p1) ** -0.5)


Table = Mapping[str, Mapping[str, Estimate]]


@dataclass(frozen=True)
class Belief:
    """What one firm believes about the market."""

    ideals: Table  # segment -> attribute -> estimate
    weights: Table  # segment -> attribute -> estimate
    price_sensitivity: Mapping[str, Estimate]  # segment -> estimate
    competitors: Table  # rival product -> attribute -> estimate
    weight_scale: float
    price_scale: float
    studies: int = 0
    segments_studied: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Truth:
    """The true market the research measures (built by the simulation each quarter)."""

    ideals: Mapping[str, Mapping[str, float]]
    weights: Mapping[str, Mapping[str, float]]
    price_sensitivity: Mapping[str, float]
    competitors: Mapping[str, Mapping[str, float]]


def truth_at_start(scenario: Scenario, firm: str) -> Truth:
    """The true market at quarter 0, as authored (for tests and the first quarter)."""
    return Truth(
        ideals={s.id: dict(s.ideal) for s in scenario.segments},
        weights={s.id: dict(s.weights) for s in scenario.segments},
        price_sensitivity={s.id: s.price_sensitivity for s in scenario.segments},
        competitors={p.id: dict(p.attributes) for f, p in scenario.products() if f.id != firm},
    )


def prior(scenario: Scenario, firm: str) -> Belief:
    """The vague belief a firm starts with."""
    attrs = scenario.attribute_ids()
    w_scale = float(np.mean([w for s in scenario.segments for w in s.weights.values()])) or 1.0
    p_scale = float(np.mean([s.price_sensitivity for s in scenario.segments]))
    ideal = Estimate(*PRIOR_IDEAL)
    weight = Estimate(w_scale, PRIOR_WEIGHT_CV * w_scale)
    return Belief(
        ideals={s.id: dict.fromkeys(attrs, ideal) for s in scenario.segments},
        weights={s.id: dict.fromkeys(attrs, weight) for s in scenario.segments},
        price_sensitivity={
            s.id: Estimate(p_scale, PRIOR_PRICE_CV * p_scale) for s in scenario.segments
        },
        competitors={
            p.id: dict.fromkeys(attrs, ideal) for f, p in scenario.products() if f.id != firm
        },
        weight_scale=w_scale,
        price_scale=p_scale,
    )


def noise(method: ResearchMethod, customer_focus: float) -> float:
    """Measurement σ of one study: the method's noise × (1.5 − customer focus)."""
    return method.noise * (1.5 - customer_focus)


@dataclass
class Finding:
    """One study's raw result (value ± sd per thing measured), shown to the player."""

    method: str
    segment: str
    sd: float
    ideals: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    price_sensitivity: float | None = None
    competitors: dict[str, dict[str, float]] = field(default_factory=dict)


def _measure(truth: Mapping[str, float], sd: float, rng: np.random.Generator) -> dict[str, float]:
    """One noisy measurement of every value in ``truth`` (keys in sorted order)."""
    keys = sorted(truth)
    draws = rng.standard_normal(len(keys))
    return {k: float(truth[k] + sd * z) for k, z in zip(keys, draws, strict=True)}


def _folded(
    current: Mapping[str, Estimate], seen: Mapping[str, float], sd: float
) -> dict[str, Estimate]:
    """``current`` with each measured value in ``seen`` combined in (sd ``sd``)."""
    return {k: current[k].combine(seen[k], sd) if k in seen else current[k] for k in current}


def study(
    belief: Belief,
    method: ResearchMethod,
    segment: str,
    truth: Truth,
    customer_focus: float,
    rng: np.random.Generator,
) -> tuple[Belief, Finding]:
    """Run one study of ``segment`` and fold its measurements into the belief."""
    sd = noise(method, customer_focus)
    finding = Finding(method=method.id, segment=segment, sd=sd)
    if "ideals" in method.reveals:
        finding.ideals.update(_measure(truth.ideals[segment], sd, rng))
    if "weights" in method.reveals:
        finding.weights.update(_measure(truth.weights[segment], sd * belief.weight_scale, rng))
    if "price_sensitivity" in method.reveals:
        psd = sd * belief.price_scale
        finding.price_sensitivity = float(
            truth.price_sensitivity[segment] + psd * rng.standard_normal()
        )
    if "competitors" in method.reveals:
        for product in sorted(truth.competitors):
            finding.competitors[product] = _measure(truth.competitors[product], sd, rng)
    return fold(belief, finding), finding


def fold(belief: Belief, finding: Finding) -> Belief:
    """``belief`` with a study's measurements combined in: what :func:`study` does after
    measuring, and how a seat that is shown a study learns from it (:mod:`engine.company_mode`)."""
    seg, sd = finding.segment, finding.sd
    ideals, weights = dict(belief.ideals), dict(belief.weights)
    prices, rivals = dict(belief.price_sensitivity), dict(belief.competitors)
    if finding.ideals:
        ideals[seg] = _folded(belief.ideals[seg], finding.ideals, sd)
    if finding.weights:
        weights[seg] = _folded(belief.weights[seg], finding.weights, sd * belief.weight_scale)
    if finding.price_sensitivity is not None:
        psd = sd * belief.price_scale
        prices[seg] = prices[seg].combine(finding.price_sensitivity, psd)
    for product, seen in finding.competitors.items():
        rivals[product] = _folded(belief.competitors[product], seen, sd)
    return evolve(
        belief,
        ideals=ideals,
        weights=weights,
        price_sensitivity=prices,
        competitors=rivals,
        studies=belief.studies + 1,
        segments_studied=belief.segments_studied | {seg},
    )


def age(belief: Belief) -> Belief:
    """One quarter passes: every estimate grows a little less certain (never above prior).

    An estimate sharper than its prior cap grows to min(cap, hypot(sd, step)); one at the cap
    stays as it is, and one above it (never made here) comes back to it. The hypot of every
    sharp estimate is taken in one numpy call (the same value as one call per estimate), a
    row with every estimate at its cap is kept as it is, and a belief with nothing but such
    rows (one never studied, or studied long ago) is returned as it is.
    """
    w, p = belief.weight_scale, belief.price_scale
    tables: list[tuple[Table, float, float]] = [  # (table, step, cap)
        (belief.ideals, STALENESS, PRIOR_IDEAL[1]),
        (belief.weights, STALENESS * w, PRIOR_WEIGHT_CV * w),
        ({"": belief.price_sensitivity}, STALENESS * p, PRIOR_PRICE_CV * p),
        (belief.competitors, STALENESS, PRIOR_IDEAL[1]),
    ]
    sds: list[float] = []
    steps: list[float] = []
    kept: list[bool] = []  # per row, in the order gathered: every estimate at its cap
    for t, step, cap in tables:
        for row in t.values():
            row_sds = [e.sd for e in row.values()]
            at_cap = row_sds.count(cap) == len(row_sds)
            kept.append(at_cap)
            if not at_cap:
                sharp = [sd for sd in row_sds if sd < cap]
                sds += sharp
                steps += [step] * len(sharp)
    if all(kept):
        return belief
    grown = iter(np.hypot(sds, steps).tolist() if sds else ())  # in the order gathered
    keep = iter(kept)

    def aged(row: Mapping[str, Estimate], cap: float) -> Mapping[str, Estimate]:
        if next(keep):
            return row  # nothing sharp in it: kept as it is
        out = {}
        for a, e in row.items():
            if e.sd < cap:
                out[a] = Estimate(e.mean, min(cap, next(grown)))
            else:
                out[a] = e if e.sd == cap else Estimate(e.mean, cap)
        return out

    def table(t: Table, cap: float) -> dict[str, Mapping[str, Estimate]]:
        return {k: aged(row, cap) for k, row in t.items()}

    ideals, weights, prices, rivals = (table(t, cap) for t, _, cap in tables)
    return evolve(
        belief, ideals=ideals, weights=weights, price_sensitivity=prices[""], competitors=rivals
    )


@dataclass(frozen=True)
class BeliefError:
    """How far the believed market is from the true one (for the debrief)."""

    ideals: float  # mean absolute error, 0..1 attribute scale
    weights: float  # mean absolute error relative to the average weight
    price_sensitivity: float  # mean absolute error relative to the average sensitivity
    competitors: float  # mean absolute error, 0..1 scale

    @property
    def overall(self) -> float:
        """Mean of the four errors: one number for charts and the scorecard."""
        return (self.ideals + self.weights + self.price_sensitivity + self.competitors) / 4


def error(belief: Belief, truth: Truth) -> BeliefError:
    """Believed-vs-true error of a belief."""

    def mae(b: Table, t: Mapping[str, Mapping[str, float]], scale: float) -> float:
        diffs: list[float] = []
        for k, true_row in t.items():  # each row looked up once, in the same order
            row = b[k]
            diffs += [abs(row[a].mean - v) / scale for a, v in true_row.items()]
        return mean(diffs) if diffs else 0.0

    prices = [
        abs(belief.price_sensitivity[s].mean - v) / belief.price_scale
        for s, v in truth.price_sensitivity.items()
    ]
    return BeliefError(
        ideals=mae(belief.ideals, truth.ideals, 1.0),
        weights=mae(belief.weights, truth.weights, belief.weight_scale),
        price_sensitivity=mean(prices) if prices else 0.0,
        competitors=mae(belief.competitors, truth.competitors, 1.0),
    )
