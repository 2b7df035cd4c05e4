"""Debrief exports: one self-contained HTML report, CSV of KPIs and decisions, report JSON.

The HTML embeds its figures as base64 PNG and its style sheet inline, so it opens offline,
makes no network request and prints cleanly (a print style sheet keeps sections and figures
whole). Every number is formatted from the report data; table cells also carry the raw value
in ``data-value`` so tools (and tests) can read it back exactly.

For the UI's Debrief screen: :func:`export_session` writes all four files for a finished
:class:`game.session.Session`; :func:`session_report` builds the report data it shows;
``engine.whatif.what_if`` gives a What-if in words.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.formatting import number
from engine.kpis import KPIS, REPORT_HISTORY
from game.escaping import csv_writer
from game.saves import write_atomic

if TYPE_CHECKING:
    from engine.debrief import DebriefReport
    from engine.whatif import WhatIf
    from game.report_figures import Figure
    from game.session import Session

COMPETENCY_NAMES = {
    "market_understanding": "Market understanding",
    "strategic_thinking": "Strategic thinking",
    "customer_empathy": "Customer empathy",
    "leadership": "Leadership",
}
STATUS_WORDS = {
    "met": "met",
    "missed": "missed",
    "on_track": "on track",
    "behind": "behind",
    "pending": "not measured yet",
}
SHARED_FILE_MODE = 0o644
KPI_COLUMNS: tuple[str, ...] = REPORT_HISTORY
"""KPI history columns (registry ids; headings and formats come from the registry)."""

CSS = """
:root { --ink: #1d2430; --muted: #5b6675; --line: #d5dae1; --you: #0072B2;
        --met: #007a5a; --missed: #b34700; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); background: white; margin: 0; font-size: 17px; line-height: 1.5; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 36px 60px; }
header.top { border-bottom: 4px solid var(--you); padding-bottom: 14px; margin-bottom: 10px;
             display: flex; justify-content: space-between; align-items: flex-end; gap: 24px; }
h1 { font-size: 2.0em; margin: 0 0 4px; }
h2 { font-size: 1.45em; margin: 34px 0 10px; border-bottom: 1px solid var(--line);
     padding-bottom: 4px; }
.meta { color: var(--muted); margin: 0; }
.score { text-align: center; min-width: 170px; }
.score .points { font-size: 3.2em; font-weight: 700; line-height: 1; color: var(--you); }
.score .grade { font-size: 1.25em; font-weight: 700; }
.score .sub { color: var(--muted); font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 0.95em; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left;
         vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.met { color: var(--met); font-weight: 700; }
.missed, .behind { color: var(--missed); font-weight: 700; }
.on_track { color: var(--met); font-weight: 700; }
figure { margin: 14px 0 20px; }
figure img { width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 0.92em; margin-top: 4px; }
.lead { font-size: 1.08em; }
.callout { background: var(--bg); border-left: 5px solid var(--you); padding: 10px 16px;
           margin: 10px 0; }
ul.tight { margin: 4px 0; padding-left: 20px; }
.bar { display: inline-block; height: 12px; background: var(--you); vertical-align: middle;
       margin-right: 8px; border-radius: 2px; }
.muted { color: var(--muted); }
ol.prompts li { margin: 8px 0; font-size: 1.08em; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85em; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, tr, .callout, section.keep { break-inside: avoid; }
  figure img { border: none; }
  a { color: inherit; text-decoration: none; }
}
"""


# --------------------------------------------------------------------------- formatting


def shown(value: float | None, kpi: str, currency: str = "") -> str:
    """A KPI value as the report shows it (the registry's format; "–" if not measured)."""
    return "–" if value is None else KPIS[kpi].format(value, currency)


def _td(value: float | None, text: str) -> str:
    raw = "" if value is None else f' data-value="{float(value)!r}"'
    return f'<td class="num"{raw}>{escape(text)}</td>'


def _cell(value: float | None, kpi: str, currency: str = "") -> str:
    return _td(value, shown(value, kpi, currency))


def _list(items: Sequence[str]) -> str:
    if not items:
        return '<span class="muted">–</span>'
    return '<ul class="tight">' + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _figure(fig: Figure) -> str:
    mime = "image/svg+xml" if fig.format == "svg" else "image/png"
    data = base64.b64encode(fig.data).decode("ascii")
    return (
        f'<figure id="fig-{fig.name}"><img src="data:{mime};base64,{data}" '
        f'alt="{escape(fig.alt)}"><figcaption>{escape(fig.title)}</figcaption></figure>'
    )


# --------------------------------------------------------------------------- sections


def _header(r: dict[str, Any]) -> str:
    source = str(r["source"])
    if source == "played":
        who = "played by you"
    elif source.startswith("bot:"):
        who = f"played by the {source[4:].replace('_', ' ')} bot"
    else:
        who = f"({source})"
    return (
        '<header class="top"><div>'
        f"<h1>Debrief: {escape(r['title'])}</h1>"
        f'<p class="meta">{escape(r["firm_name"])} · role {escape(r["role"].upper())} · '
        f"seed {r['seed']} · {r['quarters_played']} of {r['quarters']} quarters {escape(who)}"
        "</p></div>"
        f'<div class="score" id="score" data-value="{float(r["score"])!r}">'
        f'<div class="points">{r["score"]:.0f}</div>'
        f'<div class="grade">grade {escape(r["grade"])}</div>'
        f'<div class="sub">objectives {r["objective_score"]:.0f}/100</div></div></header>'
    )


def _objectives(r: dict[str, Any]) -> str:
    rows = []
    for o in r["objectives"]:
        status = o["status"]
        when = f"Q{o['settled']}" if o["settled"] else "–"
        first = f"Q{o['first_met']}" if o["first_met"] else "never"
        rows.append(
            f'<tr data-objective="{escape(o["id"])}"><td>{escape(o["description"])}</td>'
            f'<td class="{escape(status)}">{escape(STATUS_WORDS.get(status, status))}</td>'
            f"<td>{escape(o['evidence'])}</td><td class='num'>{when}</td>"
            f"<td class='num'>{first}</td>"
            f"<td class='num' data-value='{float(o['credit'])!r}'>{o['credit']:.0%}</td>"
            f"<td class='num'>{o['weight']:g}</td></tr>"
        )
    return (
        '<section id="objectives"><h2>Objectives</h2><table><thead><tr><th>Objective</th>'
        "<th>Result</th><th>Evidence</th><th class='num'>Decided in</th>"
        "<th class='num'>First on target</th><th class='num'>Credit</th>"
        "<th class='num'>Weight</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        '<p class="muted">The final score is 70% objectives (missed ones earn partial credit for '
        "coming close) and 30% the mean competency score below.</p></section>"
    )


def _competencies(r: dict[str, Any]) -> str:
    rows = []
    for key, c in r["competencies"].items():
        rows.append(
            f'<tr data-competency="{escape(key)}"><td><b>{escape(COMPETENCY_NAMES.get(key, key))}'
            f"</b></td><td class='num' data-value='{float(c['score'])!r}'>"
            f'<span class="bar" style="width:{max(2, round(c["score"]))}px"></span>'
            f"{c['score']:.0f}</td><td>{_list(c['evidence'])}</td></tr>"
        )
    return (
        '<section id="competencies" class="keep"><h2>Competencies</h2><table><thead><tr>'
        "<th>Competency</th><th class='num'>Score</th><th>Evidence</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


def _comparison(r: dict[str, Any], figures: dict[str, str]) -> str:
    comp = r["comparison"]
    if not comp:
        return ""
    cur = r["currency"]
    rows = []
    mine = r["kpis"][-1]
    rows.append(
        '<tr data-bot="you"><td><b>you</b></td>'
        f'<td class="num"><b>{escape(number(comp["player_score"], 0))}</b></td>'
        f'<td class="num">{escape(shown(mine["share"], "share"))}</td>'
        f'<td class="num">{escape(shown(mine["cumulative_profit"], "cumulative_profit", cur))}</td>'
        "<td></td></tr>"
    )
    for b in sorted(comp["bots"], key=lambda b: -b["score"]):
        close = "plays most like you" if b["bot"] == comp["closest"] else ""
        rows.append(
            f'<tr data-bot="{escape(b["bot"])}"><td>{escape(b["bot"].replace("_", " "))}</td>'
            f"{_td(b['score'], number(b['score'], 0))}{_cell(b['share'], 'share')}"
            f"{_cell(b['cumulative_profit'], 'cumulative_profit', cur)}<td>{close}</td></tr>"
        )
    return (
        '<section id="luck-or-skill"><h2>Luck or skill? You against the bots</h2>'
        + "".join(f'<p class="lead">{escape(s)}</p>' for s in comp["sentences"])
        + figures.get("score_vs_bots", "")
        + "<table><thead><tr><th>Player</th><th class='num'>Score</th>"
        "<th class='num'>Final share</th><th class='num'>Cumulative profit</th><th></th></tr>"
        "</thead><tbody>" + "".join(rows) + "</tbody></table></section>"
    )


def _what_if(r: dict[str, Any]) -> str:
    w = r["what_if"]
    if not w:
        return ""
    return (
        '<section id="what-if" class="keep"><h2>What if?</h2><div class="callout">'
        + "".join(f'<p class="lead">{escape(s)}</p>' for s in w["sentences"])
        + "</div><p class='muted'>Same seed, same market luck: only the decisions after "
        f"Q{w['from_quarter']} differ. Try other bots and quarters with "
        "the What-if button of the Debrief screen.</p></section>"
    )


def _turning_points(r: dict[str, Any]) -> str:
    segs = r["segments"]
    items = []
    for t in r["turning_points"]:
        verb = "lifted" if t["size"] > 0 else "cost"
        items.append(
            f'<tr data-quarter="{t["quarter"]}"><td class="num"><b>Q{t["quarter"]}</b></td>'
            f"<td><b>{escape(t['cause'][:1].upper() + t['cause'][1:])}</b> {verb} you "
            f"{abs(t['size']) * 100:.1f} points of share in "
            f"{escape(segs.get(t['segment'], t['segment']))}.<br>"
            f'<span class="muted">{escape(t["summary"])}</span></td>'
            f"<td>{_list(t['decisions'])}</td></tr>"
        )
    if not items:
        body = "<p>No decision or event moved share noticeably in any quarter.</p>"
    else:
        body = (
            "<table><thead><tr><th class='num'>Quarter</th><th>What moved your share</th>"
            "<th>What you decided that quarter</th></tr></thead><tbody>"
            + "".join(items)
            + "</tbody></table>"
        )
    return (
        '<section id="turning-points"><h2>Turning points</h2><p>The quarters where one of '
        "your decisions, a rival's move or an event moved your share the most (from the "
        "engine's drivers; churn and chance left out).</p>" + body + "</section>"
    )


def _beliefs(r: dict[str, Any], figures: dict[str, str]) -> str:
    first, last = r["beliefs"][0]["error"], r["beliefs"][-1]["error"]
    cal = r["calibration"]
    cur = r["currency"]
    if cal["count"]:
        rows = "".join(
            f"<tr><td class='num'>Q{f['quarter']}</td>"
            f"{_cell(f['forecast_revenue'], 'revenue', cur)}{_cell(f['revenue'], 'revenue', cur)}"
            f"{_cell(f['forecast_share'], 'share')}{_cell(f['share'], 'share')}</tr>"
            for f in cal["forecasts"]
        )
        bias = "optimistic" if cal["revenue_bias"] > 0 else "pessimistic"
        forecasts = (
            f"<p>{cal['count']} forecasts: revenue off by {cal['revenue_error']:.0%} on "
            f"average ({bias} by {abs(cal['revenue_bias']):.0%}), share off by "
            f"{cal['share_error'] * 100:.1f} points.</p><table id='forecasts'><thead><tr>"
            "<th class='num'>Quarter</th><th class='num'>Forecast revenue</th>"
            "<th class='num'>Revenue</th><th class='num'>Forecast share</th>"
            "<th class='num'>Share</th></tr></thead><tbody>" + rows + "</tbody></table>"
        )
    else:
        forecasts = "<p>No forecasts were made, so calibration could not be measured.</p>"
    return (
        '<section id="beliefs"><h2>What you believed about customers</h2>'
        f"<p>Your believed-vs-true market error went from {first:.3f} to {last:.3f} "
        "(0 would be a perfect picture of what each segment wants).</p>"
        + figures.get("belief_map", "")
        + "<h3>Forecast calibration</h3>"
        + forecasts
        + "</section>"
    )


def _kpi_table(r: dict[str, Any]) -> str:
    cur = r["currency"]
    head = "".join(f"<th class='num'>{escape(KPIS[k].heading)}</th>" for k in KPI_COLUMNS)
    rows = []
    for row in r["kpis"]:
        cells = "".join(_cell(row[k], k, cur) for k in KPI_COLUMNS)
        rows.append(
            f'<tr data-quarter="{int(row["quarter"])}"><td class="num">'
            f"Q{int(row['quarter'])}</td>{cells}</tr>"
        )
    return (
        '<section id="kpi-history"><h2>KPI history</h2><p class="muted">Q0 is the starting '
        "position (revenue and profit at the starting run-rate).</p><table id='kpis'><thead>"
        f"<tr><th class='num'>Quarter</th>{head}</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


def _timeline(r: dict[str, Any]) -> str:
    turning = {t["quarter"] for t in r["turning_points"]}
    rows = []
    for e in r["timeline"]:
        mark = " ★" if e["quarter"] in turning else ""
        happened = [f"Event: {x}" for x in e["events"]] + [f"Shipped: {x}" for x in e["shipped"]]
        happened += [f"Warning: {x}" for x in e["warnings"]]
        rows.append(
            f'<tr data-quarter="{e["quarter"]}"><td class="num"><b>Q{e["quarter"]}{mark}</b></td>'
            f"<td>{_list(e['decisions'])}</td><td>{_list(happened)}</td>"
            f"<td>{_list(e['rivals'])}</td></tr>"
        )
    return (
        '<section id="timeline"><h2>Decision timeline</h2><p class="muted">Standing choices '
        "are listed when they change; ★ marks a turning point.</p><table><thead><tr>"
        "<th class='num'>Quarter</th><th>You decided</th><th>What happened</th>"
        "<th>Rivals</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></section>"
    )


def _prompts(r: dict[str, Any]) -> str:
    items = []
    for p in r["prompts"]:
        tag = COMPETENCY_NAMES.get(p["competency"] or "", "")
        tag_html = f' <span class="muted">({escape(tag)})</span>' if tag else ""
        items.append(f"<li>{escape(p['question'])}{tag_html}</li>")
    return (
        '<section id="prompts" class="keep"><h2>Talk it through</h2><ol class="prompts">'
        + "".join(items)
        + "</ol></section>"
    )


def _reflections(r: dict[str, Any]) -> str:
    """The trainee's answers after each quarter beside what happened (only when kept)."""
    rows = r.get("reflections") or []
    if not rows:
        return ""
    items = []
    for x in rows:
        answer = escape(x["answer"]) if x["answer"] else '<span class="muted">skipped</span>'
        items.append(
            f"<li><b>Q{int(x['quarter'])}: {escape(x['question'])}</b><br>Your answer: {answer}"
            f'<br><span class="muted">What really happened:</span>{_list(x["happened"])}</li>'
        )
    return (
        '<section id="reflections" class="keep"><h2>Your reflections</h2><ol class="prompts">'
        + "".join(items)
        + "</ol></section>"
    )


def report_html(report: dict[str, Any], figures: Sequence[Figure]) -> str:
    """The whole report as one self-contained HTML page (figures embedded)."""
    figs = {f.name: _figure(f) for f in figures}
    r = report
    body = "".join(
        [
            _header(r),
            _objectives(r),
            '<section id="market"><h2>Your market</h2>'
            + figs.get("share_revenue", "")
            + "</section>",
            _competencies(r),
            _comparison(r, figs),
            _what_if(r),
            _turning_points(r),
            _beliefs(r, figs),
            '<section id="culture"><h2>Culture and technical debt</h2>'
            + figs.get("culture_debt", "")
            + "</section>",
            _kpi_table(r),
            _timeline(r),
            _prompts(r),
            _reflections(r),
            f"<footer>Crossroads debrief · scenario '{escape(r['scenario'])}' · seed "
            f"{r['seed']} · role {escape(r['role'])}. Replaying these decisions on this seed "
            "reproduces every number here.</footer>",
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Debrief: {escape(r['title'])}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


# --------------------------------------------------------------------------- data files


def kpi_csv(report: dict[str, Any]) -> str:
    """The player's KPIs per quarter (0 = start), then each firm's share and revenue."""
    rows = report["kpis"]
    keys = list(rows[0])
    firms = report["firms"]
    extra = [f"share_{f}" for f in firms] + [f"revenue_{f}" for f in firms]
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(keys + extra)
    for q, row in enumerate(rows):
        writer.writerow(
            [int(row[k]) if k == "quarter" else row[k] for k in keys]
            + [firms[f]["share"][q] for f in firms]
            + [firms[f]["revenue"][q] for f in firms]
        )
    return out.getvalue()


DECISION_FIELDS = (
    "quarter",
    "firm",
    "product",
    "price",
    "marketing_total",
    "roadmap",
    "split_features",
    "split_debt",
    "split_discovery",
    "research",
    "hires",
    "layoffs",
    "forecast_revenue",
    "forecast_share",
    "initiatives",
    "hiring_freeze",
    "themes",
    "mentoring",
    "bets",
    "incubation",
    "sunset",
    "summary",
)


def decisions_csv(report: dict[str, Any]) -> str:
    """One row per quarter and product line decided (firm-level fields on every row)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(DECISION_FIELDS)
    for q, (quarter, entry) in enumerate(
        zip(report["decisions"], report["timeline"], strict=True), start=1
    ):
        for firm, d in quarter.items():
            forecast = d.get("forecast") or {}
            firm_cells = [
                forecast.get("revenue", ""),
                forecast.get("share", ""),
                "|".join(d["initiatives"]),
                d["hiring_freeze"],
                "|".join(f"{k}:{v}" for k, v in sorted(d["themes"].items())),
                "|".join(f"{k}:{v}" for k, v in sorted(d["mentoring"].items())),
                "|".join(d["bets"]),
                d["incubation"],
                "|".join(d["sunset"]),
                "; ".join(entry["decisions"]),
            ]
            products = d["products"] or {"": None}
            for pid, p in products.items():
                line = (
                    [
                        "" if p["price"] is None else p["price"],
                        sum(p["marketing"].values()) if p["marketing"] else "",
                        "|".join(p["roadmap"]),
                        p["split"]["features"],
                        p["split"]["debt"],
                        p["split"]["discovery"],
                        "|".join(f"{o['method']}:{o['segment']}" for o in p["research"]),
                        p["hires"],
                        p["layoffs"],
                    ]
                    if p
                    else [""] * 9
                )
                writer.writerow([q, firm, pid, *line, *firm_cells])
    return out.getvalue()


def report_json(report: dict[str, Any]) -> str:
    """The report as indented JSON (the same data the HTML and figures are made from)."""
    return json.dumps(report, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def data_paths(html_path: Path) -> dict[str, Path]:
    """Where the data files of ``report.html`` go: report-kpis.csv, report-decisions.csv,
    report.json beside it."""
    stem = html_path.with_suffix("")
    return {
        "kpis": stem.with_name(f"{stem.name}-kpis.csv"),
        "decisions": stem.with_name(f"{stem.name}-decisions.csv"),
        "json": stem.with_suffix(".json"),
    }


def write_report(
    report: dict[str, Any],
    html_path: Path,
    data: bool = True,
    figures: Sequence[Figure] | None = None,
) -> list[Path]:
    """Write the HTML (and, if ``data``, the CSV and JSON files); figures are rendered in the
    light print look unless given."""
    from game.report_figures import render_all

    files = [(html_path, report_html(report, render_all(report) if figures is None else figures))]
    if data:
        paths = data_paths(html_path)
        files += [
            (paths["kpis"], kpi_csv(report)),
            (paths["decisions"], decisions_csv(report)),
            (paths["json"], report_json(report)),
        ]
    for path, text in files:
        write_atomic(path, text)
        path.chmod(SHARED_FILE_MODE)  # a report is made to be shared (the temp file is 0600)
    return [path for path, _ in files]


# --------------------------------------------------------------------------- the UI's seam


def session_report(session: Session, bots: Sequence[str] | None = None) -> DebriefReport:
    """The debrief of a game in progress or finished (replays it; a few seconds)."""
    from engine.debrief import build_report

    return build_report(session.scenario, session.seed, session.role, session.log, bots=bots)


def reflection_rows(session: Session) -> list[dict[str, Any]]:
    """The game's reflections as report data: quarter, question, answer (None: skipped) and
    what happened that quarter (the firm's explanations, biggest first, as on the results)."""
    history = session.sim.history
    return [
        {
            "quarter": r.quarter,
            "question": r.question,
            "answer": r.answer,
            "happened": [
                e.summary
                for e in sorted(history[r.quarter].drivers, key=lambda e: -abs(e.change))
                if e.firm == session.firm_id
            ],
        }
        for r in sorted(session.reflections.values(), key=lambda r: r.quarter)
        if r.quarter < len(history)
    ]


def export_session(session: Session, html_path: Path) -> list[Path]:
    """Export a game's debrief: HTML + KPI CSV + decisions CSV + JSON; returns the paths.

    Raises ValueError (no quarter played yet) or OSError (cannot write) with a clear message.
    """
    return write_report(session_report(session).to_dict(), html_path, data=True)


def session_what_if(session: Session, from_quarter: int, bot: str) -> WhatIf:
    """``bot`` deciding every quarter after ``from_quarter`` of the session's game, compared
    with the game as played (``.sentences`` says it in words; ``.share`` is for a chart).

    The session's own simulation stands for the game as played, so only the bot's game is
    replayed (about a second).
    """
    from engine.whatif import Playthrough, what_if

    played = Playthrough(sim=session.sim, firm=session.firm_id, log=list(session.log))
    return what_if(
        session.scenario, session.seed, session.role, session.log, from_quarter, bot, played=played
    )
