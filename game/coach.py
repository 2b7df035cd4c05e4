"""The tutorial coach: what to say when, as plain rules (no pygame, testable on their own).

Three levels, chosen when a solo game starts (and by the facilitator for a workshop):

* ``guided``: the first quarter is a walkthrough, one step at a time (research → roadmap →
  price → End quarter). Each step names a real control of the hub for the overlay to
  highlight (a tab button until its tab is open, then a control on it) and is done when the
  trainee does the thing, or presses Next. From quarter 2 on, the ``hints`` notes.
* ``hints``: no walkthrough; at the start of every later quarter a short note says what
  changed last quarter (the engine's largest driver) and suggests one thing worth trying,
  chosen by rules from the state (no research yet, empty roadmap, over capacity, …).
* ``none``: the coach stays quiet.

The rules read :class:`Facts`, gathered from a desk by :func:`facts_of`; the overlay widget
(:mod:`game.widgets.coach_overlay`) draws what they say. Every number comes from the engine's
report, view or checks; nothing here computes a simulation result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from engine.formatting import number, pct, points
from engine.phrases import Words
from engine.report import share_impact
from game.scenes.glossary import lower_in_sentence
from game.translation import t, words

if TYPE_CHECKING:
    from engine.decisions import Decisions
    from engine.report import Driver, Explanation, TurnReport
    from engine.scenario import Scenario
    from game.desk import Desk

Level = Literal["guided", "hints", "none"]
LEVELS: tuple[Level, ...] = ("guided", "hints", "none")
LEVEL_NAMES: Words[str] = words("coach.level", LEVELS)
"""Each level's name in the language in use ("Hints only")."""
LEVEL_TIPS: Words[str] = words("coach.level_tip", LEVELS)
"""What each level does, in words (a tooltip)."""
LOW_AWARENESS = 0.3
"""Awareness below this in a segment the objectives name is worth a hint."""
MIN_POINTS = 0.005
"""A share change smaller than this (half a point) is not worth pointing out."""


def default_level(scenario: Scenario) -> Level:
    """Guided for an introductory scenario, off for the others."""
    return "guided" if scenario.difficulty == "intro" else "none"


def next_level(level: str) -> Level:
    """The level after ``level`` in :data:`LEVELS` (for a button that cycles through them)."""
    i = LEVELS.index(level) if level in LEVELS else -1
    return LEVELS[(i + 1) % len(LEVELS)]


def level_of(value: object) -> Level:
    """A stored level, or ``none`` for anything that is not one (old or damaged files)."""
    return value if isinstance(value, str) and value in LEVELS else "none"  # type: ignore[return-value]


# --------------------------------------------------------------------------- the facts


@dataclass(frozen=True)
class Facts:
    """What the coach's rules look at, as plain data."""

    role: str
    quarter: int  # the quarter being decided (1-based)
    firm: str
    report: TurnReport  # the latest quarter's report (quarter 0: the starting position)
    segments: dict[str, str]  # id -> name, in scenario order
    uncertainty: dict[str, float]  # segment id -> largest sd of the believed ideal
    studies: int  # research studies that came back so far
    study: str  # name of the study that reveals what a segment wants ('' if none)
    priority: tuple[str, ...]  # segments the objectives name, first named first
    roadmap_empty: bool  # a PM line has nothing planned on its roadmap
    items_left: bool  # the backlog still has items to build
    warnings: tuple[str, ...]  # the draft's warnings in words
    currency: str = "$"
    awareness: dict[str, float] = field(default_factory=dict)  # segment -> own best awareness
    submit: str = "End quarter"  # what the hub's hand-in button says
    solo: bool | None = None  # a solo game (None: told by ``submit``, "End quarter" is solo)

    @property
    def plays_itself(self) -> bool:
        """True when the hand-in plays the quarter at once (a solo game, not a workshop)."""
        return self.submit == "End quarter" if self.solo is None else self.solo

    def least_known(self) -> str:
        """The segment the firm knows least (largest belief sd); objectives break ties."""
        order = list(self.priority) + [s for s in self.segments if s not in self.priority]
        return max(order, key=lambda s: (round(self.uncertainty.get(s, 0.0), 3), -order.index(s)))


def facts_of(desk: Desk, submit: str = "End quarter", solo: bool | None = None) -> Facts:
    """The facts of a desk now (its view, draft warnings, scenario and latest report);
    ``submit`` is what the hub's hand-in button says, ``solo`` whether it plays the quarter
    at once (None: told by ``submit``)."""
    s = desk.scenario
    report = desk.history()[-1]
    belief = desk.belief()
    lines = desk.org().lines
    mine = [p.id for p in desk.products()]
    _, warnings = desk.problems()
    study = next((m.name for m in s.research if "ideals" in m.reveals), "")
    priority = tuple(dict.fromkeys(o.segment for o in s.objectives if o.segment is not None))
    drafts = [desk.draft.products.get(pid) for pid in mine]
    return Facts(
        role=desk.role,
        quarter=desk.quarter,
        firm=desk.firm_id,
        report=report,
        segments={g.id: g.name for g in s.segments},
        uncertainty={
            g.id: max((e.sd for e in belief.ideals[g.id].values()), default=0.0) for g in s.segments
        },
        studies=belief.studies,
        study=study,
        priority=priority,
        roadmap_empty=desk.role == "pm" and all(d is None or not d.roadmap for d in drafts),
        items_left=any(lines[pid].items for pid in mine if pid in lines),
        warnings=tuple(warnings),
        currency=s.currency,
        awareness={
            g.id: max(
                (report.products[p].awareness_by_segment.get(g.id, 0.0) for p in mine),
                default=0.0,
            )
            for g in s.segments
        },
        submit=submit,
        solo=solo,
    )


# --------------------------------------------------------------------------- the walkthrough


@dataclass(frozen=True)
class Step:
    """One step of the guided first quarter."""

    id: str
    tab: str  # title of the hub tab it happens on ('' for the top bar)
    target: str  # anchor name of the control to highlight once the tab is open
    title: str
    text: str


def walkthrough(facts: Facts) -> list[Step]:
    """The guided first quarter's steps for the role (research, roadmap, price, end)."""
    segment = facts.segments.get(facts.least_known(), "")
    team = "" if facts.plays_itself else "_team"
    end = Step(
        "end",
        "",
        "hub:submit",
        t(f"coach.step.end_title{team}"),
        t(f"coach.step.end_text{team}", submit=facts.submit),
    )
    if facts.role != "pm":
        return [
            Step(
                "market",
                "Market",
                "market:map",
                t("coach.step.market_title"),
                t("coach.step.market_text"),
            ),
            end,
        ]
    study = facts.study or t("coach.step.a_study")
    return [
        Step(
            "research",
            "Research",
            f"research:{facts.least_known()}",
            t("coach.step.research_title"),
            t("coach.step.research_text", study=study, segment=segment),
        ),
        Step(
            "roadmap",
            "Roadmap",
            "roadmap:add",
            t("coach.step.roadmap_title"),
            t("coach.step.roadmap_text"),
        ),
        Step(
            "price",
            "Pricing & marketing",
            "pricing:price",
            t("coach.step.price_title"),
            t("coach.step.price_text"),
        ),
        end,
    ]


def step_done(step: Step, start: Decisions, draft: Decisions, quarter: int, tab: str) -> bool:
    """True once the trainee did what ``step`` asks (``start``: the draft when it began)."""
    if step.id == "end":
        return quarter > 1
    if step.id == "market":
        return tab == "Market"
    for pid, b in draft.products.items():
        a = start.products.get(pid) or type(b)()  # a line not drafted yet: its defaults
        if step.id == "research" and b.research:
            return True
        if step.id == "roadmap" and a.roadmap != b.roadmap:
            return True
        if step.id == "price" and (a.price, a.marketing) != (b.price, b.marketing):
            return True
    return False


class Coach:
    """One game's coach: its level and how far the walkthrough got (kept by the desk)."""

    def __init__(self, level: str = "none") -> None:
        self.level: Level = level_of(level)
        self.index = 0  # the walkthrough step on show
        self.skipped = False  # "Skip coach" pressed: no walkthrough for this game
        self.dismissed: set[int] = set()  # quarters whose note was closed
        self._start: Decisions | None = None

    def set_level(self, level: str) -> None:
        """Change the level mid-game (the walkthrough starts over if it is turned back on)."""
        self.level = level_of(level)
        self.skipped = False
        self.dismissed.clear()

    def guiding(self, quarter: int) -> bool:
        """True while the guided walkthrough of quarter 1 runs."""
        return self.level == "guided" and quarter == 1 and not self.skipped

    def step(self, facts: Facts, draft: Decisions, tab: str) -> Step | None:
        """The walkthrough step to show now (steps already done are passed), or None."""
        if not self.guiding(facts.quarter):
            return None
        steps = walkthrough(facts)
        if self._start is None:
            self._start = draft.model_copy(deep=True)
        while self.index < len(steps) and step_done(
            steps[self.index], self._start, draft, facts.quarter, tab
        ):
            self.index += 1
        return steps[self.index] if self.index < len(steps) else None

    def position(self, facts: Facts) -> tuple[int, int]:
        """(step number, of how many) for the panel's title."""
        return self.index + 1, len(walkthrough(facts))

    def next(self) -> None:
        """Move on without doing the step."""
        self.index += 1

    def skip(self) -> None:
        """Stop the walkthrough for this game (the later notes follow the level)."""
        self.skipped = True

    def note(self, facts: Facts) -> Note | None:
        """The start-of-quarter note, unless the level is off, it is quarter 1 or it was closed."""
        if self.level == "none" or facts.quarter <= 1 or facts.quarter in self.dismissed:
            return None
        return quarter_note(facts)

    def dismiss(self, quarter: int) -> None:
        """Close the note of ``quarter``."""
        self.dismissed.add(quarter)


# --------------------------------------------------------------------------- later quarters


@dataclass(frozen=True)
class Note:
    """The start-of-quarter note: what changed last quarter and one thing worth trying."""

    changed: str
    suggestion: str


def quarter_note(facts: Facts) -> Note:
    """What changed (the largest share move and its biggest driver) and a suggestion."""
    return Note(changed=what_changed(facts), suggestion=suggestion(facts))


def what_changed(facts: Facts) -> str:
    """The latest quarter's weightiest share move (points × the segment's customers, as the
    engine's :func:`~engine.report.share_impact`) in words, with its biggest driver."""
    report = facts.report
    shares = [
        e
        for e in report.drivers
        if e.firm == facts.firm and e.kpi == "share" and e.segment is not None
    ]
    big = max(shares, key=lambda e: share_impact(report, e), default=None)
    if big is None or abs(big.change) < MIN_POINTS:
        return t("coach.changed.barely")
    name = facts.segments.get(big.segment or "", big.segment or "")
    verb = "rose" if big.change > 0 else "fell"
    cause = _biggest(big)
    moved = {"segment": name, "points": number(abs(big.change) * 100, 1)}
    if cause is None:
        return t(f"coach.changed.{verb}", **moved)
    return t(f"coach.changed.{verb}_from", cause=cause.text, size=points(cause.size, 1), **moved)


def _biggest(explanation: Explanation) -> Driver | None:
    """The driver that moved the KPI most (the engine lists them largest first)."""
    drivers = [d for d in explanation.drivers if d.size != 0]
    return max(drivers, key=lambda d: abs(d.size), default=None)


def suggestion(facts: Facts) -> str:
    """One thing worth trying next, by the first rule that applies."""
    marker = t("coach.over_capacity_words")  # the words the engine's capacity warnings use
    over = [w for w in facts.warnings if marker in w]
    if over:
        return t("coach.suggest.over_capacity", detail=over[0].split(": ", 1)[-1])
    least = facts.least_known()
    if facts.role == "pm" and facts.studies == 0 and facts.study:
        return t(
            "coach.suggest.research",
            study=facts.study.lower() if lower_in_sentence() else facts.study,
            segment=facts.segments[least],
            sd=number(facts.uncertainty.get(least, 0.0), 2),
        )
    if facts.role == "pm" and facts.roadmap_empty and facts.items_left:
        return t("coach.suggest.roadmap")
    moved, factor = _price_moves(facts)
    if moved and factor == "price":
        return t("coach.suggest.price", segment=moved)
    if moved:
        return t("coach.suggest.rivals", segment=moved)
    quiet = [s for s in facts.priority if facts.awareness.get(s, 1.0) < LOW_AWARENESS]
    if quiet:
        seg = quiet[0]
        return t(
            "coach.suggest.awareness",
            share=pct(facts.awareness[seg], 0),
            segment=facts.segments[seg],
        )
    return t("coach.suggest.default")


def _price_moves(facts: Facts) -> tuple[str, str]:
    """(segment name, factor) of the largest share move whose biggest driver was the firm's
    price or its rivals' moves; ('', '') when there was none."""
    found = []
    for e in facts.report.drivers:
        if e.firm != facts.firm or e.kpi != "share" or e.segment is None:
            continue
        top = _biggest(e)
        if (
            top is not None
            and abs(e.change) >= 2 * MIN_POINTS
            and top.factor
            in (
                "price",
                "competitors",
            )
        ):
            found.append((abs(e.change), facts.segments.get(e.segment, e.segment), top.factor))
    if not found:
        return "", ""
    _, name, factor = max(found)
    return name, factor


# --------------------------------------------------------------------------- placement

Box = tuple[int, int, int, int]
"""A rectangle as (x, y, width, height) in layout units."""
PLACE_STEP = 20
"""Vertical step between the spots tried for the panel (layout units)."""


def _overlap(a: Box, b: Box) -> int:
    """The area two boxes share."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


def place(target: Box | None, size: tuple[int, int], bounds: Box, obstacles: Sequence[Box]) -> Box:
    """Where the instruction panel goes: inside ``bounds``, never over ``target``, over as
    few ``obstacles`` (other controls and text) as possible, and then as close to the target
    as possible.

    The candidates are the four spots touching the target (below, above, right, left) and a
    grid of spots along the bounds' left edge, right edge and the target's column. Without a
    target the bottom-right corner wins ties.
    """
    w, h = size
    bx, by, bw, bh = bounds
    gap = 10

    def clamp(x: int, y: int) -> Box:
        return (min(max(x, bx), bx + bw - w), min(max(y, by), by + bh - h), w, h)

    spots: list[Box] = []
    columns = [bx + bw - w, bx]
    if target is not None:
        tx, ty, tw, th = target
        spots += [
            clamp(tx, ty + th + gap),
            clamp(tx, ty - h - gap),
            clamp(tx + tw + gap, ty),
            clamp(tx - w - gap, ty),
        ]
        columns.append(tx)
    rows = range(by + bh - h, by - 1, -PLACE_STEP)
    spots += [clamp(x, y) for x in columns for y in rows]
    free = [s for s in spots if target is None or _overlap(s, target) == 0] or spots

    def cost(spot: Box) -> tuple[int, int, int]:
        covered = sum(1 for o in obstacles if _overlap(spot, o) > 0)
        return covered, _distance(spot, target), free.index(spot)

    return min(free, key=cost)


def _distance(a: Box, b: Box | None) -> int:
    """The gap between two boxes (0 when they touch or overlap; 0 without a target)."""
    if b is None:
        return 0
    dx = max(b[0] - (a[0] + a[2]), a[0] - (b[0] + b[2]), 0)
    dy = max(b[1] - (a[1] + a[3]), a[1] - (b[1] + b[3]), 0)
    return dx + dy
