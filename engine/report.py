"""What one quarter produced: typed, JSON-serialisable results (the single source of metrics).

Shares are fractions of a segment's in-market customers (those who have entered the
category, including those currently buying nothing), so a segment's shares sum to at most 1.
Money is per quarter in the scenario currency. ``to_dict()`` returns plain JSON types.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class FirmResult:
    """A firm's quarter: money, customers, share and how happy its customers are."""

    id: str
    name: str
    controller: str
    revenue: float
    costs: dict[str, float]
    profit: float
    cash: float
    customers: float
    share: float
    share_by_segment: dict[str, float]
    satisfaction: float
    nps: float
    marketing: float


@dataclass
class ProductResult:
    """A product's quarter: price, position, customers and awareness per segment."""

    id: str
    name: str
    firm: str
    price: float
    unit_cost: float
    quality: float
    attributes: dict[str, float]
    revenue: float
    customers: float
    customers_by_segment: dict[str, float]
    share_by_segment: dict[str, float]
    awareness_by_segment: dict[str, float]
    marketing_by_segment: dict[str, float]
    satisfaction: float
    chosen_by_segment: dict[str, float] = field(default_factory=dict)
    """Of the segment's choosers this quarter (``SegmentResult.choosers``), those who chose
    this product (new customers and users who looked around and stayed): its sales."""


@dataclass
class SegmentResult:
    """A segment's quarter: size, how many are in the category, flows in and out."""

    id: str
    name: str
    size: float
    in_market: float
    buyers: float
    entered: float
    churned: float
    ideal: dict[str, float]
    joined: float = 0.0
    """People the segment's growth added this quarter (outside the category: they enter
    through Bass)."""
    left: float = 0.0
    """People who left the segment as it shrank, in proportion across states."""
    left_customers: float = 0.0
    """Of ``left``, those who were some product's customers."""
    choosers: float = 0.0
    """People who chose this quarter: newcomers, non-buyers taking a fresh look and users
    whose churn triggered (price moves reach the installed base through them)."""


@dataclass
class Driver:
    """One cause of a KPI change with its signed size (share points, or money)."""

    factor: str
    size: float
    text: str


@dataclass
class Explanation:
    """Why a firm's KPI changed: drivers that add up to ``change``, largest first."""

    firm: str
    kpi: str
    segment: str | None
    before: float
    after: float
    change: float
    drivers: list[Driver]
    summary: str


@dataclass
class CompetitorMove:
    """What an AI rival did this quarter, in numbers and in words (the news feed)."""

    firm: str
    product: str
    archetype: str
    price_before: float
    price_after: float
    attribute_changes: dict[str, float]
    marketing: float
    text: str


@dataclass
class LineResult:
    """One product line's engineering quarter (player firms)."""

    product: str
    headcount: int
    new_hires: int
    capacity: float  # total effort points E
    feature_points: float  # delivered on the roadmap, including overtime
    overtime: float
    idle: float  # feature points with no workable roadmap item (wasted)
    load: float  # work asked ÷ capacity
    tech_debt: float
    pm_skill: float
    shipped: list[str]
    progress: dict[str, float]  # effort put into each item this quarter
    blocked: dict[str, list[str]]  # item -> dependencies not yet shipped
    leavers: int = 0
    roadmap: list[str] = field(default_factory=list)  # the order worked to this quarter
    split: dict[str, float] = field(default_factory=dict)  # features / debt / discovery
    planned: float = 0.0  # estimated effort the roadmap committed
    available: float = 0.0  # feature points without crunch (engineers lent taken out)
    lent: int = 0  # engineers lent to the incubation team this quarter
    effects: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per shipped item: the attribute changes it made (its true effects)."""
    shipped_text: list[str] = field(default_factory=list)
    """Each shipped item and what it changed, in words (names, never ids)."""
    reasons: list[str] = field(default_factory=list)
    """Why the quarter went as it did, in words: why nothing shipped, work in progress,
    what is blocked, over capacity, unused feature points (see engine.lines)."""
    context: list[str] = field(default_factory=list)
    """What slowed the line whatever it planned, in words: technical debt, time spent on
    debt, engineers lent to incubation, a novice PM (see engine.lines)."""


@dataclass
class OrgResult:
    """A player firm's organisation after the quarter: culture, people, work, discovery."""

    firm: str
    morale: float
    safety: float
    customer_focus: float
    innovation: float
    collaboration: float
    capability: float
    tech_debt: float
    headcount: int
    capacity: float
    shipped: list[str]
    lines: dict[str, LineResult]
    hired: int
    laid_off: int
    leavers: int
    backfilled: int
    attrition_rate: float
    morale_target: float
    initiatives_started: list[str]
    initiatives_landed: list[str]
    breakthroughs: list[str]  # backlog items revealed by breakthrough ideas
    bets: list[dict[str, Any]]
    unlocked: list[str]  # backlog items unlocked by successful bets
    research: list[dict[str, Any]]  # raw findings of this quarter's studies
    belief_error: float  # believed-vs-true market error after this quarter's research
    warnings: list[str]  # decision warnings (over capacity, ...) played as given
    objectives: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ColleagueResult:
    """One colleague after the quarter: who they are, their trust, and why it moved."""

    id: str
    role: str
    name: str
    goal: str
    line: str | None
    trust: float
    trust_before: float
    mood: str  # pleased | let_down | steady
    kept: int
    broken: int
    declined: int
    ignored: int
    why: list[str] = field(default_factory=list)


@dataclass
class RequestResult:
    """A colleague's request waiting for the player's answer next quarter."""

    key: str  # the key an answer is given under: "<colleague>.<request>"
    stakeholder: str
    text: str
    ask: dict[str, Any]
    asked: int  # the quarter it must be answered in
    due: int  # due at the end of this quarter
    negotiable: int  # extra quarters the colleague may agree to
    smaller: str  # the smaller scope in words ("" when there is none)
    held: bool  # asked again after a refused negotiation
    if_kept: list[str] = field(default_factory=list)  # consequences, in words
    if_broken: list[str] = field(default_factory=list)
    if_declined: list[str] = field(default_factory=list)


@dataclass
class ResponseResult:
    """What became of one answer this quarter."""

    key: str
    stakeholder: str
    answer: str  # accept | negotiate | decline | none
    outcome: str  # accepted | agreed | refused | declined | ignored
    due: int | None
    smaller: bool
    reason: str | None
    text: str


@dataclass
class PromiseResult:
    """A promise the player made and where it stands."""

    key: str
    stakeholder: str
    text: str
    ask: dict[str, Any]
    since: int
    due: int
    smaller: bool
    status: str  # open | kept | broken
    closed: int | None
    progress: str


@dataclass
class PeopleResult:
    """A player firm's colleagues after the quarter (``engine.stakeholders``)."""

    firm: str
    colleagues: list[ColleagueResult]
    requests: list[RequestResult]
    responses: list[ResponseResult]
    promises: list[PromiseResult]
    consequences: list[str]  # what colleagues' reactions did at the start of the quarter
    notes: dict[str, str]  # what trust did to the model this quarter, by driver


@dataclass
class TurnReport:
    """Everything the UI, the CLI and the debrief need about one quarter."""

    quarter: int
    firms: dict[str, FirmResult]
    products: dict[str, ProductResult]
    segments: dict[str, SegmentResult]
    events: list[dict[str, Any]] = field(default_factory=list)
    competitor_moves: list[CompetitorMove] = field(default_factory=list)
    drivers: list[Explanation] = field(default_factory=list)
    organisation: dict[str, OrgResult] = field(default_factory=dict)
    people: dict[str, PeopleResult] = field(default_factory=dict)
    """Per player firm with colleagues: trust, requests, answers, promises."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dict (floats, strings, lists, dicts); ``people`` only when a
        firm has colleagues (a scenario without them reads as it always did)."""
        out = asdict(self)
        if not self.people:
            del out["people"]
        return out


def share_impact(report: TurnReport, explanation: Explanation) -> float:
    """How much a segment's share change weighs: its points × the segment's in-category
    customers (a big move in a small segment can matter less than a small one in a big)."""
    seg = report.segments.get(explanation.segment or "")
    return abs(explanation.change) * (seg.in_market if seg is not None else 0.0)
