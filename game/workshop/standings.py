"""What the reveal shows about the teams after a round: where each stands, how it moved since
the round before, and why the biggest moves happened.

Pure functions over the session's leaderboards (:meth:`WorkshopSession.leaderboard`) and the
engine's quarter explanations (``TurnReport.drivers``): nothing here draws or scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.report import Explanation
    from game.workshop.session import WorkshopSession

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Standing:
    """One team after a round, with its changes since the round before (None: no such round)."""

    team: str
    rank: int
    moved: int | None  # places gained (+) or lost (−)
    share: float
    share_change: float | None
    revenue: float
    revenue_change: float | None
    score: float
    score_change: float | None
    grade: str


def standings(
    now: Sequence[Row], before: Sequence[Row] | None, *, ranked: bool = True
) -> list[Standing]:
    """``now``'s leaderboard rows, best first, each with its changes against ``before``.

    Without ``ranked`` the places and scores of ``before`` mean nothing (the start, where
    every team is level): only share and revenue changes are given.
    """
    earlier = {r["team"]: r for r in before or ()}
    out = []
    for r in now:
        b = earlier.get(r["team"])

        def change(key: str, b: Row | None = b, r: Row = r) -> float | None:
            return None if b is None else float(r[key]) - float(b[key])

        out.append(
            Standing(
                team=str(r["team"]),
                rank=int(r["rank"]),
                moved=int(b["rank"]) - int(r["rank"]) if b is not None and ranked else None,
                share=float(r["share"]),
                share_change=change("share"),
                revenue=float(r["revenue"]),
                revenue_change=change("revenue"),
                score=float(r["score"]),
                score_change=change("score") if ranked else None,
                grade=str(r["grade"]),
            )
        )
    return out


def round_standings(session: WorkshopSession, round_: int) -> list[Standing]:
    """The standings after ``round_`` with each team's movement since the round before (after
    round 1: share and revenue against the start only)."""
    now = session.leaderboard(round_)
    before = session.leaderboard(round_ - 1) if round_ >= 1 else None
    return standings(now, before, ranked=round_ > 1)


def biggest_moves(
    session: WorkshopSession, round_: int, limit: int = 4
) -> list[tuple[str, Explanation]]:
    """(team, explanation) of the teams whose share moved most in ``round_``, biggest first:
    each team's largest explained share change in a segment (the engine's own sentence)."""
    if round_ < 1:
        return []
    moves = []
    for team in session.teams:
        report = session.reports(team)[round_]
        firm = session.firm(team)
        own = [e for e in report.drivers if e.firm == firm and e.kpi == "share"]
        if not own:
            continue
        biggest = max(own, key=lambda e: abs(e.change))
        total = report.firms[firm].share - session.reports(team)[round_ - 1].firms[firm].share
        moves.append((abs(total), abs(biggest.change), team, biggest))
    moves.sort(key=lambda m: (-m[0], -m[1], session.teams.index(m[2])))
    return [(team, exp) for _, _, team, exp in moves[:limit]]
