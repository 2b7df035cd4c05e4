"""End-of-session files: leaderboard and decisions CSV, the JSON export, per-team reports.

Used by ``crossroads workshop export`` and by the facilitator's end-of-session screen. Every
number comes from replaying the session's log (:class:`WorkshopSession`).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from engine.decisions import Decisions
from engine.teams import TeamMap
from game.escaping import csv_writer
from game.saves import write_atomic
from game.translation import language
from game.workshop.company_seats import CompanyRound, seat_words
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
    if session.company:
        done.paths += _company_files(session, out)
    if session.mode == "shared":
        done.note = phrase("ws_errors.debrief_note")
    return done


def _company_files(session: WorkshopSession, out: Path) -> list[Path]:
    """A company workshop's seat files: ``seats.csv``, ``flags.csv`` and, per company,
    ``teams/<team>-company.json`` and ``teams/<team>-company.html``."""
    files = {out / "seats.csv": seats_csv(session), out / "flags.csv": flags_csv(session)}
    for team in session.teams:
        report = company_report(session, team)
        stem = out / "teams" / f"{session.team_ids[team]}-company"
        files[stem.with_suffix(".json")] = json.dumps(
            report, indent=2, ensure_ascii=False, allow_nan=False
        )
        files[stem.with_suffix(".html")] = company_html(session, team, report)
    for path, text in files.items():
        write_atomic(path, text)
    return list(files)


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


# ---------------------------------------------------------------------- company workshops
def company_report(session: WorkshopSession, team: str) -> dict[str, Any]:
    """A company's seats: each round's seat turns, flags and missing seats (the scenario's
    ids), each seat's scorecard (:meth:`WorkshopSession.company_scorecards`) and the
    conversation between the seats (:meth:`WorkshopSession.company_conversation`), in words."""
    m = session.worlds().maps[session.team(team)]
    names = session.lines
    cards = session.company_scorecards(team)
    return {
        "seats_by_round": [
            {
                "round": i,
                "seats": _seat_turns(r),
                "flags": [{"line": f.line, "kind": f.kind, "text": f.text} for f in r.flags],
                "missing": list(r.missing),
            }
            for i, r in enumerate(session.company_log(team).rounds, start=1)
        ],
        "seat_scorecards": {_local_seat(m, seat): card for seat, card in cards["seats"].items()},
        "conversation": [
            {
                "quarter": line.quarter,
                "seat": _local_seat(m, line.seat),
                "who": seat_words(_local_seat(m, line.seat), names),
                "text": m.local_text(line.text),
            }
            for line in session.company_conversation(team)
        ],
    }


def _seat_turns(r: CompanyRound) -> dict[str, Any]:
    """Each seat's turn of a company's round as JSON data (``cpo``, ``pm:LINE``): the seats
    that handed in and the CPO's turn as played (kept course included)."""
    out: dict[str, Any] = {"cpo": r.cpo.model_dump(mode="json", exclude_unset=True)}
    for line, turn in r.pms.items():
        out[f"pm:{line}"] = turn.model_dump(mode="json", exclude_unset=True)
    return out


def _local_seat(m: TeamMap, seat: str) -> str:
    """A seat id (``cpo``, ``pm:LINE``) with the line in the scenario's own id."""
    kind, colon, line = seat.partition(":")
    return f"{kind}{colon}{m.local_id(line)}" if colon else seat


def seats_csv(session: WorkshopSession) -> str:
    """Every company seat's turn per resolved round, one field per row: round, team, seat,
    handed in (False: the CPO kept course, or the line's AI PM planned it), field, value."""
    buf = io.StringIO()
    writer = csv_writer(buf, lineterminator="\n")
    writer.writerow(["round", "team", "seat", "handed_in", "field", "value"])
    for team in session.teams:
        for i, r in enumerate(session.company_log(team).rounds, start=1):
            turns = _seat_turns(r)
            for seat in session.seat_ids():
                handed = seat not in r.missing
                rows = _flatten(turns.get(seat, {})) or [("", "")]
                writer.writerows([i, team, seat, handed, k, v] for k, v in rows)
    return buf.getvalue()


def flags_csv(session: WorkshopSession) -> str:
    """Every flag raised in a company's rounds: round, team, line, kind, text."""
    buf = io.StringIO()
    writer = csv_writer(buf, lineterminator="\n")
    writer.writerow(["round", "team", "line", "kind", "text"])
    for team in session.teams:
        for i, r in enumerate(session.company_log(team).rounds, start=1):
            writer.writerows([i, team, f.line, f.kind, f.text] for f in r.flags)
    return buf.getvalue()


def company_html(session: WorkshopSession, team: str, report: dict[str, Any]) -> str:
    """A printable page of a company's seats: each seat's part of the score and the
    conversation between the seats, quarter by quarter (every text escaped)."""
    from game.report_export import CSS, STATUS_WORDS
    from game.translation import t

    names = session.lines
    cards = []
    for seat, card in report["seat_scorecards"].items():
        evidence = "".join(f"<li>{escape(e)}</li>" for e in card.get("evidence", []))
        goals = "".join(
            f"<li>{escape(str(o.get('description') or o.get('id', '')))}: "
            f"<span class='{escape(str(o.get('status', '')))}'>"
            f"{escape(STATUS_WORDS.get(o.get('status', ''), str(o.get('status', ''))))}</span></li>"
            for o in card.get("objectives", [])
        )
        cards.append(
            f"<section class='keep'><h3>{escape(seat_words(seat, names))}</h3>"
            f"<ul class='tight'>{evidence}</ul>"
            + (
                f"<p class='muted'>{escape(t('ws_companies.export_goals'))}</p>"
                f"<ul class='tight'>{goals}</ul>"
                if goals
                else ""
            )
            + "</section>"
        )
    rows = (
        "".join(
            f"<tr><td class='num'>Q{line['quarter']}</td><td>{escape(line['who'])}</td>"
            f"<td>{escape(line['text'])}</td></tr>"
            for line in report["conversation"]
        )
        or f"<tr><td colspan='3' class='muted'>{escape(t('ws_companies.export_quiet'))}</td></tr>"
    )
    title = t("ws_companies.export_title", team=team, scenario=session.scenario.title)
    return (
        f"<!doctype html><html lang='{escape(language())}'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{escape(title)}</h1>"
        f"<p class='meta'>{escape(t('ws_companies.export_meta', id=session.id))}</p>"
        f"<h2>{escape(t('ws_companies.export_seats'))}</h2>{''.join(cards)}"
        f"<h2>{escape(t('ws_companies.export_conversation'))}</h2>"
        f"<table><tr><th>{escape(t('ws_companies.export_quarter'))}</th>"
        f"<th>{escape(t('ws_companies.export_seat'))}</th>"
        f"<th>{escape(t('ws_companies.export_said'))}</th></tr>{rows}</table>"
        "</main></body></html>\n"
    )
