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

from engine.formatting import exact, number, pct, points
from engine.kpis import KPIS, REPORT_HISTORY
from engine.phrases import Words
from game.escaping import csv_writer
from game.saves import write_atomic
from game.translation import language, t, words

if TYPE_CHECKING:
    from engine.debrief import DebriefReport
    from engine.whatif import WhatIf
    from game.report_figures import Figure
    from game.session import Session


COMPETENCY_NAMES = Words(
    # collaboration: the fifth, scored only with colleagues (issue 19)
    (
        "market_understanding",
        "strategic_thinking",
        "customer_empathy",
        "leadership",
        "collaboration",
    ),
    lambda key: t(
        "debrief_people.competency" if key == "collaboration" else f"report.competency.{key}"
    ),
)
STATUS_WORDS = words("report.status", ("met", "missed", "on_track", "behind", "pending"))
BOT_LABELS = words(
    "report.bot",
    ("balanced", "customer_centric", "profit", "greedy_share", "feature_factory", "hold", "random"),
)
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


def bot_label(bot: str) -> str:
    """A built-in bot's short name in the current language ("greedy share"); an unknown bot
    by its id with spaces."""
    return BOT_LABELS.get(bot) or bot.replace("_", " ")


def _q(q: int) -> str:
    """A quarter's short label as HTML: Q3."""
    return _h("report.quarter", quarter=q)


def _h(key: str, /, count: int | None = None, **markup: Any) -> str:
    """The translation ``key`` as HTML: its own text escaped, the placeholders filled with
    ``markup`` as given (callers pass escaped text or HTML they built)."""
    tokens = {name: f"\x00{i}\x00" for i, name in enumerate(markup)}
    plural = {} if count is None else {"count": count}
    text = escape(t(key, **plural, **tokens), quote=False)
    for name, token in tokens.items():
        text = text.replace(token, str(markup[name]))
    return text


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
        who = escape(t("report.played_by_you"))
    elif source.startswith("bot:"):
        who = _h("report.played_by_bot", bot=escape(bot_label(source[4:])))
    else:
        who = escape(f"({source})")
    meta = _h(
        "report.meta",
        firm=escape(r["firm_name"]),
        role=escape(r["role"].upper()),
        seed=r["seed"],
        played=r["quarters_played"],
        quarters=r["quarters"],
        who=who,
    )
    return (
        '<header class="top"><div>'
        f"<h1>{_h('report.title', title=escape(r['title']))}</h1>"
        f'<p class="meta">{meta}'
        "</p></div>"
        f'<div class="score" id="score" data-value="{float(r["score"])!r}">'
        f'<div class="points">{number(r["score"], 0)}</div>'
        f'<div class="grade">{_h("report.grade", grade=escape(r["grade"]))}</div>'
        f'<div class="sub">'
        f"{_h('report.objective_score', score=number(r['objective_score'], 0))}</div></div>"
        "</header>"
    )


def _th(key: str, num: bool = False) -> str:
    """A table heading cell with the text ``key`` (``num``: a right-aligned number column)."""
    return f"<th class='num'>{_h(key)}</th>" if num else f"<th>{_h(key)}</th>"


def _objectives(r: dict[str, Any]) -> str:
    rows = []
    for o in r["objectives"]:
        status = o["status"]
        when = _q(o["settled"]) if o["settled"] else "–"
        first = _q(o["first_met"]) if o["first_met"] else _h("report.never")
        rows.append(
            f'<tr data-objective="{escape(o["id"])}"><td>{escape(o["description"])}</td>'
            f'<td class="{escape(status)}">{escape(STATUS_WORDS.get(status, status))}</td>'
            f"<td>{escape(o['evidence'])}</td><td class='num'>{when}</td>"
            f"<td class='num'>{first}</td>"
            f"<td class='num' data-value='{float(o['credit'])!r}'>{pct(o['credit'], 0)}</td>"
            f"<td class='num'>{exact(o['weight'])}</td></tr>"
        )
    return (
        f'<section id="objectives"><h2>{_h("report.objectives.heading")}</h2><table><thead><tr>'
        + _th("report.objectives.objective")
        + _th("report.objectives.result")
        + _th("report.objectives.evidence")
        + _th("report.objectives.decided", num=True)
        + _th("report.objectives.first_met", num=True)
        + _th("report.objectives.credit", num=True)
        + _th("report.objectives.weight", num=True)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        f'<p class="muted">{_h("report.objectives.score_rule")}</p></section>'
    )


def _competencies(r: dict[str, Any]) -> str:
    rows = []
    for key, c in r["competencies"].items():
        rows.append(
            f'<tr data-competency="{escape(key)}"><td><b>{escape(COMPETENCY_NAMES.get(key, key))}'
            f"</b></td><td class='num' data-value='{float(c['score'])!r}'>"
            f'<span class="bar" style="width:{max(2, round(c["score"]))}px"></span>'
            f"{number(c['score'], 0)}</td><td>{_list(c['evidence'])}</td></tr>"
        )
    return (
        '<section id="competencies" class="keep">'
        f"<h2>{_h('report.competencies.heading')}</h2><table><thead><tr>"
        + _th("report.competencies.competency")
        + _th("report.competencies.score", num=True)
        + _th("report.competencies.evidence")
        + "</tr></thead><tbody>"
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
        f'<tr data-bot="you"><td><b>{_h("report.comparison.you")}</b></td>'
        f'<td class="num"><b>{escape(number(comp["player_score"], 0))}</b></td>'
        f'<td class="num">{escape(shown(mine["share"], "share"))}</td>'
        f'<td class="num">{escape(shown(mine["cumulative_profit"], "cumulative_profit", cur))}</td>'
        "<td></td></tr>"
    )
    for b in sorted(comp["bots"], key=lambda b: -b["score"]):
        close = _h("report.comparison.closest") if b["bot"] == comp["closest"] else ""
        rows.append(
            f'<tr data-bot="{escape(b["bot"])}"><td>{escape(bot_label(b["bot"]))}</td>'
            f"{_td(b['score'], number(b['score'], 0))}{_cell(b['share'], 'share')}"
            f"{_cell(b['cumulative_profit'], 'cumulative_profit', cur)}<td>{close}</td></tr>"
        )
    return (
        f'<section id="luck-or-skill"><h2>{_h("report.comparison.heading")}</h2>'
        + "".join(f'<p class="lead">{escape(s)}</p>' for s in comp["sentences"])
        + figures.get("score_vs_bots", "")
        + "<table><thead><tr>"
        + _th("report.comparison.player")
        + _th("report.comparison.score", num=True)
        + _th("report.comparison.share", num=True)
        + _th("report.comparison.profit", num=True)
        + "<th></th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


def _what_if(r: dict[str, Any]) -> str:
    w = r["what_if"]
    if not w:
        return ""
    return (
        f'<section id="what-if" class="keep"><h2>{_h("report.what_if.heading")}</h2>'
        '<div class="callout">'
        + "".join(f'<p class="lead">{escape(s)}</p>' for s in w["sentences"])
        + "</div><p class='muted'>"
        + _h("report.what_if.note", quarter=w["from_quarter"])
        + "</p></section>"
    )


def _turning_points(r: dict[str, Any]) -> str:
    segs = r["segments"]
    items = []
    for tp in r["turning_points"]:
        cause = f"<b>{escape(tp['cause'][:1].upper() + tp['cause'][1:])}</b>"
        moved = _h(
            "report.turning.lifted" if tp["size"] > 0 else "report.turning.cost",
            cause=cause,
            points=number(abs(tp["size"]) * 100, 1),
            segment=escape(segs.get(tp["segment"], tp["segment"])),
        )
        items.append(
            f'<tr data-quarter="{tp["quarter"]}"><td class="num"><b>{_q(tp["quarter"])}</b>'
            f"</td><td>{moved}<br>"
            f'<span class="muted">{escape(tp["summary"])}</span></td>'
            f"<td>{_list(tp['decisions'])}</td></tr>"
        )
    if not items:
        body = f"<p>{_h('report.turning.none')}</p>"
    else:
        body = (
            "<table><thead><tr>"
            + _th("report.quarter_heading", num=True)
            + _th("report.turning.moved")
            + _th("report.turning.decided")
            + "</tr></thead><tbody>"
            + "".join(items)
            + "</tbody></table>"
        )
    return (
        f'<section id="turning-points"><h2>{_h("report.turning.heading")}</h2>'
        f"<p>{_h('report.turning.intro')}</p>" + body + "</section>"
    )


def _beliefs(r: dict[str, Any], figures: dict[str, str]) -> str:
    first, last = r["beliefs"][0]["error"], r["beliefs"][-1]["error"]
    cal = r["calibration"]
    cur = r["currency"]
    if cal["count"]:
        rows = "".join(
            f"<tr><td class='num'>{_q(f['quarter'])}</td>"
            f"{_cell(f['forecast_revenue'], 'revenue', cur)}{_cell(f['revenue'], 'revenue', cur)}"
            f"{_cell(f['forecast_share'], 'share')}{_cell(f['share'], 'share')}</tr>"
            for f in cal["forecasts"]
        )
        bias = "optimistic" if cal["revenue_bias"] > 0 else "pessimistic"
        summary = _h(
            f"report.beliefs.forecasts_{bias}",
            count=cal["count"],
            revenue_error=pct(cal["revenue_error"], 0),
            revenue_bias=pct(abs(cal["revenue_bias"]), 0),
            share_error=number(cal["share_error"] * 100, 1),
        )
        forecasts = (
            f"<p>{summary}</p><table id='forecasts'><thead><tr>"
            + _th("report.quarter_heading", num=True)
            + _th("report.beliefs.forecast_revenue", num=True)
            + _th("report.beliefs.revenue", num=True)
            + _th("report.beliefs.forecast_share", num=True)
            + _th("report.beliefs.share", num=True)
            + "</tr></thead><tbody>"
            + rows
            + "</tbody></table>"
        )
    else:
        forecasts = f"<p>{_h('report.beliefs.no_forecasts')}</p>"
    return (
        f'<section id="beliefs"><h2>{_h("report.beliefs.heading")}</h2>'
        f"<p>{_h('report.beliefs.error', first=number(first, 3), last=number(last, 3))}</p>"
        + figures.get("belief_map", "")
        + f"<h3>{_h('report.beliefs.calibration')}</h3>"
        + forecasts
        + "</section>"
    )


def _relationships(r: dict[str, Any], figures: dict[str, str]) -> str:
    """Working with colleagues (only when the firm had them): the story in short, trust per
    quarter (figure and table), every promise with its outcome, and the turning points."""
    rel = r.get("relationships")
    if not rel:
        return ""
    return (
        f'<section id="relationships"><h2>{_h("debrief_people.report.heading")}</h2>'
        f"<p>{_h('debrief_people.report.intro')}</p>"
        + "".join(f'<p class="lead">{escape(s)}</p>' for s in rel["sentences"])
        + figures.get("relationships", "")
        + _trust_table(rel)
        + _promises_table(rel)
        + _relationship_points(rel)
        + "</section>"
    )


def _trust_table(rel: dict[str, Any]) -> str:
    """Each colleague's trust per quarter (Q0: the start), the figure's numbers."""
    people = rel["colleagues"]
    quarters = max((len(c["trust"]) for c in people), default=0)
    head = "".join(f"<th class='num'>{_q(q)}</th>" for q in range(quarters))
    rows = "".join(
        f'<tr data-colleague="{escape(c["id"])}"><td><b>{escape(c["who"])}</b><br>'
        f'<span class="muted">{escape(c["goal"])}</span></td>'
        + "".join(_td(v, pct(v, 0)) for v in c["trust"])
        + "</tr>"
        for c in people
    )
    return (
        f"<h3>{_h('debrief_people.report.trust_heading')}</h3><table id='trust'><thead><tr>"
        + _th("debrief_people.report.colleague")
        + head
        + "</tr></thead><tbody>"
        + rows
        + "</tbody></table>"
    )


OUTCOME_CLASS = {"kept": "met", "broken": "missed"}
"""A promise's outcome styled as an objective's (green kept, orange broken)."""


def _promises_table(rel: dict[str, Any]) -> str:
    """Every promise: to whom, what, made and due, kept or broken and when, where it stood."""
    heading = f"<h3>{_h('debrief_people.report.promises')}</h3>"
    if not rel["promises"]:
        return heading + f"<p>{_h('debrief_people.report.none')}</p>"
    rows = []
    for p in rel["promises"]:
        outcome = p["outcome"]
        rows.append(
            f'<tr data-promise="{escape(p["key"])}" data-outcome="{escape(outcome)}">'
            f"<td>{escape(p['who'])}</td><td>{escape(p['text'])}</td>"
            f"<td class='num'>{_q(p['made'])}</td><td class='num'>{_q(p['due'])}</td>"
            f'<td class="{OUTCOME_CLASS.get(outcome, "")}">'
            f"{_h(f'debrief_people.outcome_word.{outcome}')}</td>"
            f"<td class='num'>{_q(p['closed']) if p['closed'] is not None else '–'}</td>"
            f"<td>{escape(p['progress'])}</td></tr>"
        )
    return (
        heading
        + "<table id='promises'><thead><tr>"
        + _th("debrief_people.report.colleague")
        + _th("debrief_people.report.promise")
        + _th("debrief_people.report.made", num=True)
        + _th("debrief_people.report.due", num=True)
        + _th("debrief_people.report.outcome")
        + _th("debrief_people.report.closed", num=True)
        + _th("debrief_people.report.where")
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _relationship_points(rel: dict[str, Any]) -> str:
    """The quarters that changed a relationship, with the colleague's trust change."""
    heading = f"<h3>{_h('debrief_people.report.turning')}</h3>"
    if not rel["turning_points"]:
        return heading + f"<p>{_h('debrief_people.report.no_turning')}</p>"
    rows = "".join(
        f'<tr data-quarter="{tp["quarter"]}" data-kind="{escape(tp["kind"])}">'
        f"<td class='num'><b>{_q(tp['quarter'])}</b></td><td>{escape(tp['text'])}</td>"
        + _td(tp["change"], t("debrief_people.report.trust_change", change=points(tp["change"], 0)))
        + "</tr>"
        for tp in rel["turning_points"]
    )
    return heading + "<table id='relationship-points'><tbody>" + rows + "</tbody></table>"


def _kpi_table(r: dict[str, Any]) -> str:
    cur = r["currency"]
    head = "".join(f"<th class='num'>{escape(KPIS[k].heading)}</th>" for k in KPI_COLUMNS)
    rows = []
    for row in r["kpis"]:
        cells = "".join(_cell(row[k], k, cur) for k in KPI_COLUMNS)
        rows.append(
            f'<tr data-quarter="{int(row["quarter"])}"><td class="num">'
            f"{_q(int(row['quarter']))}</td>{cells}</tr>"
        )
    return (
        f'<section id="kpi-history"><h2>{_h("report.kpis.heading")}</h2>'
        f"<p class=\"muted\">{_h('report.kpis.note')}</p><table id='kpis'><thead>"
        f"<tr>{_th('report.quarter_heading', num=True)}{head}</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


def _timeline(r: dict[str, Any]) -> str:
    turning = {tp["quarter"] for tp in r["turning_points"]}
    rows = []
    for e in r["timeline"]:
        mark = " ★" if e["quarter"] in turning else ""
        happened = [t("report.timeline.event", what=x) for x in e["events"]]
        happened += [t("report.timeline.shipped", what=x) for x in e["shipped"]]
        happened += [t("report.timeline.warning", what=x) for x in e["warnings"]]
        rows.append(
            f'<tr data-quarter="{e["quarter"]}"><td class="num">'
            f"<b>{_q(e['quarter'])}{mark}</b></td>"
            f"<td>{_list(e['decisions'])}</td><td>{_list(happened)}</td>"
            f"<td>{_list(e['rivals'])}</td></tr>"
        )
    return (
        f'<section id="timeline"><h2>{_h("report.timeline.heading")}</h2>'
        f'<p class="muted">{_h("report.timeline.note")}</p><table><thead><tr>'
        + _th("report.quarter_heading", num=True)
        + _th("report.timeline.decided")
        + _th("report.timeline.happened")
        + _th("report.timeline.rivals")
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


def _prompts(r: dict[str, Any]) -> str:
    items = []
    for p in r["prompts"]:
        tag = COMPETENCY_NAMES.get(p["competency"] or "", "")
        tag_html = f' <span class="muted">({escape(tag)})</span>' if tag else ""
        items.append(f"<li>{escape(p['question'])}{tag_html}</li>")
    return (
        f'<section id="prompts" class="keep"><h2>{_h("report.prompts")}</h2>'
        '<ol class="prompts">' + "".join(items) + "</ol></section>"
    )


def _reflections(r: dict[str, Any]) -> str:
    """The trainee's answers after each quarter beside what happened (only when kept)."""
    rows = r.get("reflections") or []
    if not rows:
        return ""
    items = []
    for x in rows:
        answer = (
            escape(x["answer"])
            if x["answer"]
            else f'<span class="muted">{_h("report.reflections.skipped")}</span>'
        )
        question = _h(
            "report.reflections.question",
            quarter=int(x["quarter"]),
            question=escape(x["question"]),
        )
        items.append(
            f"<li><b>{question}</b><br>{_h('report.reflections.answer', answer=answer)}"
            f'<br><span class="muted">{_h("report.reflections.happened")}</span>'
            f"{_list(x['happened'])}</li>"
        )
    return (
        '<section id="reflections" class="keep">'
        f'<h2>{_h("report.reflections.heading")}</h2><ol class="prompts">'
        + "".join(items)
        + "</ol></section>"
    )


def report_html(report: dict[str, Any], figures: Sequence[Figure]) -> str:
    """The whole report as one self-contained HTML page (figures embedded), in the current
    language (:func:`game.translation.set_language`)."""
    figs = {f.name: _figure(f) for f in figures}
    r = report
    footer = _h(
        "report.footer", scenario=escape(r["scenario"]), seed=r["seed"], role=escape(r["role"])
    )
    body = "".join(
        [
            _header(r),
            _objectives(r),
            f'<section id="market"><h2>{_h("report.market")}</h2>'
            + figs.get("share_revenue", "")
            + "</section>",
            _competencies(r),
            _comparison(r, figs),
            _what_if(r),
            _turning_points(r),
            _beliefs(r, figs),
            _relationships(r, figs),
            f'<section id="culture"><h2>{_h("report.culture")}</h2>'
            + figs.get("culture_debt", "")
            + "</section>",
            _kpi_table(r),
            _timeline(r),
            _prompts(r),
            _reflections(r),
            f"<footer>{footer}</footer>",
        ]
    )
    return html_page(_h("report.title", title=escape(r["title"])), body)


def html_page(title: str, body: str) -> str:
    """A self-contained page in the current language: ``title`` and ``body`` as HTML
    (escaped by the caller), the report's style sheet inline."""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language())}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style>"
        f"</head><body><main>{body}</main></body></html>\n"
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


def trust_csv(report: dict[str, Any]) -> str:
    """Each colleague's trust per quarter (0 = start): one row per quarter, a
    ``trust_<colleague>`` column each (only for a game with colleagues)."""
    people = report["relationships"]["colleagues"]
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["quarter"] + [f"trust_{c['id']}" for c in people])
    for q in range(max((len(c["trust"]) for c in people), default=0)):
        writer.writerow([q] + [c["trust"][q] if q < len(c["trust"]) else "" for c in people])
    return out.getvalue()


PROMISE_FIELDS = (
    "key",
    "stakeholder",
    "who",
    "text",
    "made",
    "due",
    "smaller",
    "outcome",
    "closed",
    "progress",
)


def promises_csv(report: dict[str, Any]) -> str:
    """One row per promise made: to whom, what, made and due, outcome, the quarter it closed."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(PROMISE_FIELDS)
    for p in report["relationships"]["promises"]:
        writer.writerow(["" if p[k] is None else p[k] for k in PROMISE_FIELDS])
    return out.getvalue()


def report_json(report: dict[str, Any]) -> str:
    """The report as indented JSON (the same data the HTML and figures are made from)."""
    return json.dumps(report, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def data_paths(html_path: Path) -> dict[str, Path]:
    """Where the data files of ``report.html`` go: report-kpis.csv, report-decisions.csv,
    report.json beside it (and, for a game with colleagues, report-trust.csv and
    report-promises.csv)."""
    stem = html_path.with_suffix("")
    return {
        "kpis": stem.with_name(f"{stem.name}-kpis.csv"),
        "decisions": stem.with_name(f"{stem.name}-decisions.csv"),
        "trust": stem.with_name(f"{stem.name}-trust.csv"),
        "promises": stem.with_name(f"{stem.name}-promises.csv"),
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
        ]
        if report.get("relationships"):
            files += [
                (paths["trust"], trust_csv(report)),
                (paths["promises"], promises_csv(report)),
            ]
        files.append((paths["json"], report_json(report)))
    return write_shared(files)


def write_shared(files: Sequence[tuple[Path, str]]) -> list[Path]:
    """Write each (path, text) atomically, readable by others (a report is made to be
    shared; the temporary file is 0600); returns the paths written."""
    for path, text in files:
        write_atomic(path, text)
        path.chmod(SHARED_FILE_MODE)
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
