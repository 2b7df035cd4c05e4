"""Working with colleagues, looked back on (issue 19): the debrief's relationships.

:func:`relationships` reads a played game's quarter reports (``TurnReport.people``, written by
:mod:`engine.stakeholders`) and gathers what the debrief shows about the player's colleagues:
each colleague's trust at the end of every quarter (quarter 0 is the start), every promise
made with its outcome, and the relationship's turning points (a promise kept or broken, a
request declined or left without an answer) with what trust did that quarter. ``None`` when
the firm had no colleagues, so a game without them debriefs as it always did. Plain data,
no I/O: the debrief screen and the report draw from ``DebriefReport.to_dict()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.formatting import pct
from engine.phrases import say
from engine.report import ColleagueResult, TurnReport
from engine.stakeholders import named, role_name

MOMENTS = ("kept", "broken", "declined", "ignored")
"""What makes a relationship's turning point: a promise kept or broken, a request declined
or not answered (an accepted or negotiated request is the promise, counted when it closes)."""


@dataclass
class TrustLine:
    """One colleague and their trust in the player at the end of every quarter."""

    id: str
    role: str
    role_name: str  # the role in words ("Sales")
    name: str
    who: str  # "Sales (Dana Okafor)"
    goal: str
    trust: list[float]  # quarter 0 (the start) .. the last quarter played
    kept: int
    broken: int
    declined: int
    ignored: int


@dataclass
class PromiseLine:
    """A promise the player made to a colleague and what became of it."""

    key: str
    stakeholder: str
    who: str  # "Sales (Dana Okafor)"
    text: str
    made: int  # the quarter it was made in
    due: int  # due at the end of this quarter
    smaller: bool  # the smaller scope was agreed
    outcome: str  # kept | broken | open
    closed: int | None  # the quarter it was kept or broken
    progress: str  # where it stood at the end, in words


@dataclass
class RelationshipPoint:
    """A quarter where something happened between the player and a colleague."""

    quarter: int
    stakeholder: str
    who: str
    kind: str  # kept | broken | declined | ignored
    change: float  # the colleague's trust change that quarter
    text: str  # what happened, in words


@dataclass
class Relationships:
    """The debrief's relationships: trust over time, promises and turning points."""

    colleagues: list[TrustLine]
    promises: list[PromiseLine]
    turning_points: list[RelationshipPoint]
    sentences: list[str]  # the story in short: promises kept, trust gained or lost


def _who(c: ColleagueResult) -> str:
    return named(c.role, c.name)


def trust_lines(history: Sequence[TurnReport], firm: str) -> list[TrustLine]:
    """Each colleague's trust at the end of quarters 0..T, with their final tallies."""
    last = history[-1].people[firm].colleagues
    lines = []
    for c in last:
        trust = [next(x.trust for x in r.people[firm].colleagues if x.id == c.id) for r in history]
        lines.append(
            TrustLine(
                id=c.id,
                role=c.role,
                role_name=role_name(c.role),
                name=c.name,
                who=_who(c),
                goal=c.goal,
                trust=trust,
                kept=c.kept,
                broken=c.broken,
                declined=c.declined,
                ignored=c.ignored,
            )
        )
    return lines


def promise_lines(history: Sequence[TurnReport], firm: str) -> list[PromiseLine]:
    """Every promise made in the game, in the order made, with its outcome at the end."""
    people = history[-1].people[firm]
    who = {c.id: _who(c) for c in people.colleagues}
    return [
        PromiseLine(
            key=p.key,
            stakeholder=p.stakeholder,
            who=who.get(p.stakeholder, p.stakeholder),
            text=p.text,
            made=p.since,
            due=p.due,
            smaller=p.smaller,
            outcome=p.status,
            closed=p.closed,
            progress=p.progress,
        )
        for p in sorted(people.promises, key=lambda p: (p.since, p.key))
    ]


def turning_points(
    history: Sequence[TurnReport], firm: str, lines: Sequence[TrustLine]
) -> list[RelationshipPoint]:
    """Promises kept or broken and requests declined or ignored, in quarter order, each with
    the colleague's trust change that quarter."""
    trust = {line.id: line.trust for line in lines}
    colleagues = {c.id: c for c in history[-1].people[firm].colleagues}
    found: list[tuple[int, str, str, str]] = []  # quarter, colleague, kind, text
    for rep in history[1:]:
        for r in rep.people[firm].responses:
            if r.outcome in ("declined", "ignored"):
                found.append((rep.quarter, r.stakeholder, r.outcome, r.text))
    for p in history[-1].people[firm].promises:
        if p.status in ("kept", "broken") and p.closed is not None:
            c = colleagues[p.stakeholder]
            found.append(
                (
                    p.closed,
                    p.stakeholder,
                    p.status,
                    say(f"relationships.{p.status}", who=_who(c), text=p.text),
                )
            )
    points = []
    for quarter, who_id, kind, text in sorted(found, key=lambda x: (x[0], MOMENTS.index(x[2]))):
        line = trust[who_id]
        points.append(
            RelationshipPoint(
                quarter=quarter,
                stakeholder=who_id,
                who=_who(colleagues[who_id]),
                kind=kind,
                change=line[quarter] - line[quarter - 1] if quarter < len(line) else 0.0,
                text=text,
            )
        )
    return points


def summary(lines: Sequence[TrustLine], promises: Sequence[PromiseLine]) -> list[str]:
    """The relationships in a few sentences: promises made and kept, each colleague's trust
    from the start to the end."""
    out = []
    if promises:
        out.append(
            say(
                "relationships.promises",
                count=len(promises),
                kept=sum(p.outcome == "kept" for p in promises),
                broken=sum(p.outcome == "broken" for p in promises),
                open=sum(p.outcome == "open" for p in promises),
            )
        )
    else:
        out.append(say("relationships.no_promises"))
    for line in lines:
        start, end = line.trust[0], line.trust[-1]
        key = "rose" if end > start + 1e-9 else "fell" if end < start - 1e-9 else "held"
        out.append(
            say(
                f"relationships.trust_{key}",
                role=line.role_name,
                name=line.name,
                start=pct(start, 0),
                end=pct(end, 0),
            )
        )
    return out


def relationships(history: Sequence[TurnReport], firm: str) -> Relationships | None:
    """The game's relationships with colleagues, or None when the firm had none."""
    if not history or firm not in history[-1].people:
        return None
    lines = trust_lines(history, firm)
    promises = promise_lines(history, firm)
    return Relationships(
        colleagues=lines,
        promises=promises,
        turning_points=turning_points(history, firm, lines),
        sentences=summary(lines, promises),
    )
