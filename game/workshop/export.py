"""End-of-session files: leaderboard and decisions CSV, the JSON export, per-team reports.

Used by ``crossroads workshop export`` and by the facilitator's end-of-session screen. Every
number comes from replaying the session's log (:class:`WorkshopSession`).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.decisions import Decisions
from game.escaping import csv_writer
from game.saves import write_atomic
from game.workshop.session import WorkshopSession
from game.workshop.words import phrase


@dataclass
class Exported:
    """What :func:`export_session` wrote, and why a debrief report may be missing."""

    paths: list[Path] = field(default_factory=list)
    debriefs: int = 0
    note: str = ""


def leaderboard_csv(session: WorkshopSession) -> str:
    """The leaderboard, one row per team, best first."""
    board = session.leaderboard()
    buf = io.StringIO()
    writer = csv_writer(buf, lineterminator="\n")
    writer.writerow(list(board[0]))
    writer.writerows(list(row.values()) for row in board)
    return buf.getvalue()


def decisions_csv(session: WorkshopSession) -> str:
    """Every submitted sheet, one decision field per row: round, team, field, value."""
    buf = io.StringIO()
    writer = csv_writer(buf, lineterminator="\n")
    writer.writerow(["round", "team", "field", "value"])
    for r in range(1, min(session.current_round, session.info.rounds) + 1):
        for team, dec in sorted(session.decisions(r).items()):
            for key, value in _flatten(dec.model_dump(mode="json", exclude_unset=True)):
                writer.writerow([r, team, key, value])
    return buf.getvalue()


def team_report(session: WorkshopSession, team: str) -> dict[str, Any]:
    """A team's scorecard, KPIs per quarter and the decisions it played (keep-course too);
    with colleagues, each one's trust and promises kept and broken per quarter."""
    firm = session.firm(team)
    out = {
        "team": team,
        "firm": firm,
        "scorecard": session.scorecard(team),
        "kpis_by_quarter": session.worlds().sims[team].company.books[firm].kpis,
        "decisions_by_round": [
            d.model_dump(mode="json", exclude_unset=True) for d in session.played(team)
        ],
    }
    colleagues = colleagues_by_quarter(session, team)
    if colleagues:
        out["colleagues_by_quarter"] = colleagues
    return out


def colleagues_by_quarter(session: WorkshopSession, team: str) -> list[dict[str, Any]]:
    """Per quarter (0 first), the team's colleagues by the scenario's ids: trust and promises
    kept and broken so far (empty when the scenario has no colleagues)."""
    firm = session.firm(team)
    m = session.worlds().maps[session.team(team)]
    out = []
    for report in session.reports(team):
        people = report.people.get(firm)
        if people is None:
            continue
        out.append(
            {
                "quarter": report.quarter,
                "colleagues": {
                    m.local_id(c.id): {"trust": c.trust, "kept": c.kept, "broken": c.broken}
                    for c in people.colleagues
                },
            }
        )
    return out


def export_session(session: WorkshopSession, out: Path, compare_bots: bool = False) -> Exported:
    """Write every end-of-session file into the folder ``out``.

    ``leaderboard.csv``, ``decisions.csv``, ``session.json`` (the human-readable export) and
    ``teams/<team>-scorecard.json``; in parallel mode also each team's debrief report
    (``teams/<team>.html`` with its CSV and JSON), replaying the team's decisions and the
    events the facilitator injected, so the report shows the game the team played.
    """
    out.mkdir(parents=True, exist_ok=True)
    done = Exported()
    files = {
        "leaderboard.csv": leaderboard_csv(session),
        "decisions.csv": decisions_csv(session),
        "session.json": json.dumps(session.export(), indent=2, ensure_ascii=False, allow_nan=False),
    }
    for name, text in files.items():
        write_atomic(out / name, text)
        done.paths.append(out / name)
    teams = out / "teams"
    teams.mkdir(exist_ok=True)
    for team in session.teams:
        tid = session.team_ids[team]
        path = teams / f"{tid}-scorecard.json"
        write_atomic(
            path,
            json.dumps(team_report(session, team), indent=2, ensure_ascii=False, allow_nan=False),
        )
        done.paths.append(path)
        played = session.played(team)
        if session.mode == "parallel" and played:
            written = _debrief(session, team, played, teams / f"{tid}.html", compare_bots)
            done.paths += written
            done.debriefs += bool(written)
    if session.mode == "shared":
        done.note = phrase("ws_errors.debrief_note")
    return done


def _debrief(
    session: WorkshopSession, team: str, played: list[Decisions], html: Path, compare_bots: bool
) -> list[Path]:
    """Write the debrief report of a parallel-mode team (its own one-firm game)."""
    try:
        from engine.debrief import build_report
        from game.report_export import write_report
    except ImportError:  # the debrief exports are optional in a trimmed install
        return []
    info = session.info
    firm = session.firm(team)
    report = build_report(
        session.scenario,
        info.seed,
        info.role,
        [{firm: d} for d in played],
        source=f"workshop {info.id}, team {team}",
        injected=[session.store.injects(r) for r in range(1, len(played) + 1)],
        bots=None if compare_bots else [],
        resolution=session.resolution,
    )
    return write_report(report.to_dict(), html, data=True)


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested decision data as (dotted field, value) pairs; plain lists joined by spaces."""
    if isinstance(value, dict):
        items: list[tuple[str, Any]] = []
        for k, v in value.items():
            items += _flatten(v, f"{prefix}.{k}" if prefix else str(k))
        return items
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        items = []
        for i, v in enumerate(value):
            items += _flatten(v, f"{prefix}.{i}")
        return items
    if isinstance(value, list):
        return [(prefix, " ".join(map(str, value)))]
    return [(prefix, value)]
