"""A company game's debrief as data, and its export: one HTML page and two CSV files.

:func:`company_report` gathers what the company debrief shows (the company's scorecard,
each seat's part of it with who sat there, the conversation between seats) from a finished
:class:`~game.company_session.CompanySession`, with every name and seat already in words; the
screen (:mod:`game.scenes.company_debrief`) and the export read the same data. The numbers are
the engine's (:func:`engine.company_mode.scorecards`, :func:`engine.company_mode.conversation`);
nothing here computes a result.

The page reuses the solo report's page, style sheet and translation helpers
(:mod:`game.report_export`); every authored or typed text (a person's name, a PM's note) is
escaped for HTML, and the CSV cells go through :func:`game.escaping.csv_writer`.
"""

from __future__ import annotations

import io
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.formatting import number, pct
from game.escaping import csv_writer
from game.report_export import STATUS_WORDS, _h, _th, html_page, write_shared

if TYPE_CHECKING:
    from game.company_session import CompanySession

CONVERSATION_FIELDS = ("quarter", "seat", "seat_title", "who", "flag", "text")
SEAT_FIELDS = (
    "seat",
    "seat_title",
    "who",
    "score",
    "grade",
    "objectives_met",
    "objectives",
    "aligned",
    "themed",
    "shared_studies",
    "notes",
)


def company_report(session: CompanySession) -> dict[str, Any]:
    """The company debrief as plain data: the company's card, each seat (title, who sat
    there, its card or None for a line its AI PM played all game) and the conversation."""
    cards = session.scorecards()
    flags = {(q.report.quarter, f.text) for q in session.seat_turns() for f in q.flags}
    firm = session.scenario.player_firms()[0]
    return {
        "title": session.scenario.title,
        "scenario": session.scenario.id,
        "firm_name": firm.name,
        "seed": session.seed,
        "quarters": session.scenario.quarters,
        "played": len(session.played),
        "company": cards["company"],
        "seats": [
            {
                "id": seat.id,
                "title": session.seat_title(seat.id),
                "who": session.who(seat.id),
                "person": seat.id in session.people,
                "card": cards["seats"].get(seat.id),
            }
            for seat in session.table
        ],
        "conversation": [
            {
                "quarter": line.quarter,
                "seat": line.seat,
                "seat_title": session.seat_title(line.seat),
                "who": session.who(line.seat),
                "flag": (line.quarter, line.text) in flags,
                "text": line.text,
            }
            for line in session.conversation()
        ],
    }


def met_count(objectives: list[dict[str, Any]]) -> int:
    """How many of ``objectives`` were met."""
    return sum(1 for o in objectives if o.get("status") == "met")


# --------------------------------------------------------------------------- HTML


def _objectives_table(objectives: list[dict[str, Any]]) -> str:
    if not objectives:
        return f'<p class="muted">{_h("company_ui.debrief.no_objectives")}</p>'
    rows = "".join(
        f'<tr data-objective="{escape(o["id"])}"><td>{escape(o["description"])}</td>'
        f'<td class="{escape(o["status"])}">{escape(STATUS_WORDS.get(o["status"], o["status"]))}'
        f"</td><td>{escape(o['evidence'])}</td>"
        f"<td class='num' data-value='{float(o['credit'])!r}'>{pct(o['credit'], 0)}</td></tr>"
        for o in objectives
    )
    return (
        "<table><thead><tr>"
        + _th("report.objectives.objective")
        + _th("report.objectives.result")
        + _th("report.objectives.evidence")
        + _th("report.objectives.credit", num=True)
        + f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _header(r: dict[str, Any]) -> str:
    company = r["company"]
    meta = _h(
        "company_ui.report.meta",
        firm=escape(r["firm_name"]),
        seed=r["seed"],
        played=r["played"],
        quarters=r["quarters"],
    )
    return (
        '<header class="top"><div>'
        f"<h1>{_h('company_ui.report.title', title=escape(r['title']))}</h1>"
        f'<p class="meta">{meta}</p></div>'
        f'<div class="score" id="score" data-value="{float(company["score"])!r}">'
        f'<div class="points">{number(company["score"], 0)}</div>'
        f'<div class="grade">{_h("report.grade", grade=escape(str(company["grade"])))}</div>'
        f'<div class="sub">'
        f"{_h('report.objective_score', score=number(company['objective_score'], 0))}</div>"
        "</div></header>"
    )


def _seat(seat: dict[str, Any]) -> str:
    heading = _h("company_ui.report.seat", seat=escape(seat["title"]), who=escape(seat["who"]))
    card = seat["card"]
    if card is None:
        body = f'<p class="muted">{_h("company_ui.debrief.ai_all_game")}</p>'
    else:
        evidence = "".join(f"<li>{escape(e)}</li>" for e in card["evidence"])
        body = _objectives_table(card["objectives"]) + f'<ul class="tight">{evidence}</ul>'
    seat_id = escape(seat["id"])
    return f'<section class="keep" data-seat="{seat_id}"><h3>{heading}</h3>{body}</section>'


def _conversation(r: dict[str, Any]) -> str:
    rows = []
    for line in r["conversation"]:
        flag = f' class="missed">{_h("company_ui.report.flag")}' if line["flag"] else ">"
        rows.append(
            f"<tr><td class='num'>{_h('report.quarter', quarter=line['quarter'])}</td>"
            f"<td>{escape(line['seat_title'])} · {escape(line['who'])}</td>"
            f"<td{flag}</td><td>{escape(line['text'])}</td></tr>"
        )
    if not rows:
        return f'<p class="muted">{_h("company_ui.debrief.nothing_said")}</p>'
    return (
        "<table><thead><tr>"
        + _th("report.quarter_heading", num=True)
        + _th("company_ui.report.who")
        + _th("company_ui.report.flag_heading")
        + _th("company_ui.report.said")
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def company_html(r: dict[str, Any]) -> str:
    """The company debrief as one self-contained HTML page, in the current language."""
    body = "".join(
        [
            _header(r),
            f'<section id="objectives"><h2>{_h("report.objectives.heading")}</h2>'
            + _objectives_table(r["company"]["objectives"])
            + "</section>",
            f'<section id="seats"><h2>{_h("company_ui.report.seats")}</h2>'
            + "".join(_seat(s) for s in r["seats"])
            + "</section>",
            f'<section id="conversation"><h2>{_h("company_ui.report.conversation")}</h2>'
            + _conversation(r)
            + "</section>",
            "<footer>"
            + _h("company_ui.report.footer", scenario=escape(r["scenario"]), seed=r["seed"])
            + "</footer>",
        ]
    )
    return html_page(_h("company_ui.report.title", title=escape(r["title"])), body)


# --------------------------------------------------------------------------- CSV


def conversation_csv(r: dict[str, Any]) -> str:
    """One row per line of the conversation: quarter, seat, who, flag, text."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(CONVERSATION_FIELDS)
    writer.writerows([line[k] for k in CONVERSATION_FIELDS] for line in r["conversation"])
    return out.getvalue()


def seats_csv(r: dict[str, Any]) -> str:
    """The company's score (seat ``company``), then each seat's numbers (empty: not scored)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(SEAT_FIELDS)
    company = r["company"]
    objectives = company["objectives"]
    writer.writerow(
        ["company", r["firm_name"], "", company["score"], company["grade"]]
        + [met_count(objectives), len(objectives)]
        + [""] * 4
    )
    for seat in r["seats"]:
        card = seat["card"] or {}
        objectives = card.get("objectives", [])
        writer.writerow(
            [seat["id"], seat["title"], seat["who"], "", ""]
            + ([met_count(objectives), len(objectives)] if card else ["", ""])
            + [card.get(k, "") for k in ("aligned", "themed", "shared_studies", "notes")]
        )
    return out.getvalue()


def write_company_report(r: dict[str, Any], html_path: Path) -> list[Path]:
    """Write the page and, beside it, ``-conversation.csv`` and ``-seats.csv``; returns the
    paths written (each atomically, readable by others: a report is made to be shared)."""
    stem = html_path.with_suffix("")
    files = [
        (html_path, company_html(r)),
        (stem.with_name(f"{stem.name}-conversation.csv"), conversation_csv(r)),
        (stem.with_name(f"{stem.name}-seats.csv"), seats_csv(r)),
    ]
    return write_shared(files)
