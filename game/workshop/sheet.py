"""Decision sheets: the YAML file a team fills in for one round of a workshop.

A sheet names its session, team and round, then holds the team's ``Decisions`` under
``decisions:`` with the scenario's own ids (the same sheet format in shared and parallel
mode). :func:`template` writes a commented sheet pre-filled from the team's current state
(prices, marketing, last roadmap and split) with the colleagues' open requests and the
answers given (``responses``, keyed ``<colleague>.<request>`` as the scenario names them);
:func:`read_sheet` reads a sheet file (a small
regular UTF-8 file only: never a pipe or a device) and :func:`parse_sheet` reads it with the
scenario loader's bounded YAML reader (:mod:`engine.yaml_positions`: the same size, nesting
and value-count limits, no alias expanded into a message) and names every problem at once:
malformed YAML (with its line), a sheet for another session, team or round, unknown fields
and badly typed values (a boolean is never a number). The engine's own check (unknown items,
layoffs beyond the team, a split over 100%, every field's bound, ...) runs on submission.

In a company workshop each seat has its own sheet (:func:`seat_template`, with ``seat:`` in
the header): the CPO's holds the portfolio decisions and a ``direction`` block (each line's
budget and one-line strategy); a PM's holds its own line's fields (``null``: the line's AI PM
decides) and a ``share`` block (studies shared with the CPO, a note).
:func:`parse_seat_sheet` reads one back as the seat's decisions and company part, naming
every problem at once, and :func:`submit_seat_sheet` hands it in
(:meth:`WorkshopSession.submit_seat`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from engine.company_mode import BUDGET_MAX, NOTE_MAX, STRATEGY_MAX, Direction, Seat, Share
from engine.decision_check import parse
from engine.decisions import CapacitySplit, Decisions
from engine.formatting import money_cents, money_full
from engine.loader import MAX_BYTES
from engine.report import PeopleResult
from engine.yaml_positions import YamlProblem, read_yaml
from game.escaping import terminal
from game.workshop.company_seats import CompanyPart, seat_words
from game.workshop.session import TeamView, WorkshopError, WorkshopSession
from game.workshop.wire import answer_problems
from game.workshop.words import phrase

SHEET_KEYS = ("session", "team", "round", "decisions")
MAX_SHARED = 50  # studies a PM may share in one hand-in (engine.company_mode.Share)


def _v(value: Any) -> str:
    """A value in YAML flow style (JSON is valid YAML for these plain values)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


@dataclass(frozen=True)
class _Desk:
    """What a sheet is written from: whose it is, what they see and where they start."""

    team: str
    view: TeamView
    role: str  # the decisions the sheet holds: pm (a line's) or cpo (the portfolio's)
    last: Decisions  # where the decisions start (authored ids)
    seat: str | None = None  # a company's seat (cpo, pm:LINE), None for a team's sheet

    @property
    def local(self) -> dict[str, str]:
        """Product id in the team's market -> the scenario's id."""
        return {clone: authored for authored, clone in self.view.products.items()}


def template(session: WorkshopSession, team: str) -> str:
    """A commented decision sheet for ``team`` and the open round, pre-filled from its state."""
    team = session.team(team)
    desk = _Desk(team, session.team_view(team), session.info.role, session.next_draft(team))
    submit = f"crossroads workshop submit {session.id} --team {_v(team)} --decisions FILE.yaml"
    lines = _head(session, desk, f"Team {team}", submit)
    lines += _products(session, desk)
    lines += _firm_fields(session, desk)
    return "\n".join(lines) + "\n"


def _head(session: WorkshopSession, desk: _Desk, who: str, submit: str) -> list[str]:
    """The sheet's opening comments and its header keys, up to ``decisions:``."""
    sc = session.scenario
    view = desk.view
    cash = money_full(view.firm.cash, sc.currency)
    return [
        f"# Crossroads decision sheet: {sc.title}",
        f"# {who}, round {view.round} of {view.rounds} "
        f"({'company' if desk.seat else session.info.role.upper()}, "
        f"{session.mode} market). Cash now {cash}.",
        "# Edit the values, keep the structure, then hand the file in:",
        f"#   {submit}",
        "# Anything you leave null or delete is your AI PM's to decide. Money is per quarter."
        if desk.seat is not None and desk.role == "pm"
        else "# Anything you delete keeps its current value. Money is per quarter.",
        f"session: {_v(session.id)}",
        f"team: {_v(desk.team)}",
        *([f"seat: {_v(desk.seat)}"] if desk.seat is not None else []),
        f"round: {view.round}",
        "decisions:",
    ]


def _products(session: WorkshopSession, desk: _Desk) -> list[str]:
    """``products``: each line's fields for a PM; for a CPO, the lines as comments."""
    sc = session.scenario
    cur = sc.currency
    org = desk.view.firm.organisation
    if desk.role == "cpo" and desk.seat is None:
        lines = [
            "  # Your AI product managers decide each line's price, marketing and roadmap;",
            "  # a field you set under 'products' overrides your PM for that line.",
            "  products: {}",
        ]
    elif desk.role == "cpo":
        lines = [
            "  # Your PMs decide each line's price, marketing and roadmap (a line nobody plays:",
            "  # its AI PM). Staffing is yours: hires and layoffs under 'products', by line.",
            "  products: {}",
        ]
    else:
        lines = ["  products:"]
    for clone, lv in org.lines.items() if org else []:
        pid = desk.local.get(clone, clone)
        product = desk.view.firm.products[clone]
        if desk.role == "cpo":
            lines.append(f"  #   {pid}: {product.name}, price {money_cents(product.price, cur)}")
            continue
        prev = desk.last.products.get(pid)
        open_items = {local_item(session, desk.team, i.id): i for i in lv.items}
        roadmap = [i for i in (prev.roadmap if prev else []) if i in open_items]
        split = prev.split if prev else CapacitySplit()
        fields: list[tuple[str, Any, str]] = [
            (
                "price",
                round(product.price, 2),
                f"per customer per quarter (unit cost {money_cents(product.unit_cost, cur)})",
            ),
            ("marketing", {s: round(v) for s, v in product.marketing.items()}, "spend per segment"),
            ("roadmap", roadmap, "open items in priority order, see below"),
            ("split", split.model_dump(), "of capacity, must add up to 1"),
            ("research", [], f"e.g. [{{method: survey, segment: {sc.segments[0].id}}}]"),
        ]
        lines.append(f"    {pid}:  # {product.name}")
        if desk.seat is None:
            fields += [("hires", 0, ""), ("layoffs", 0, "")]
            lines += [
                f"      {name}: {_v(value)}" + (f"  # {note}" if note else "")
                for name, value, note in fields
            ]
        else:  # a PM's seat: what the PM leaves null is planned by the line's AI PM
            chosen = prev.model_dump(mode="json", include=prev.model_fields_set) if prev else {}
            lines += [_pm_field(name, value, note, chosen) for name, value, note in fields]
            lines.append(
                "      # hires and layoffs are the CPO's call (a PM's are flagged, not played)"
            )
        lines.append(
            f"      # capacity {lv.capacity:.0f} points; features get {lv.feature_rate:.0f} × "
            f"split.features; tech debt {lv.tech_debt:.0f}"
        )
        for item_id, item in open_items.items():
            effects = ", ".join(f"{a} {v:+.2f}" for a, v in item.effects.items()) or "no effects"
            needs = [local_item(session, desk.team, d) for d in item.depends_on]
            deps = f"; needs {', '.join(needs)}" if needs else ""
            busy = " (in progress)" if item.in_progress else ""
            lines.append(
                f"      #   {item_id}: ~{item.remaining:.0f} points, {effects}{deps}{busy}"
            )
    if sc.research and desk.role != "cpo":
        methods = ", ".join(f"{m.id} ({money_full(m.cost, cur)})" for m in sc.research)
        lines.append(f"  # research methods: {methods}")
    lines.append(f"  # segments: {', '.join(s.id for s in sc.segments)}")
    return lines


def _pm_field(name: str, now: Any, note: str, chosen: dict[str, Any]) -> str:
    """A line field on a PM seat's sheet: the PM's own choice, or null (the AI PM decides)
    with the value as it stands now."""
    if name in chosen:
        return f"      {name}: {_v(chosen[name])}  # {note}"
    return f"      {name}: null  # null: your AI PM decides (now {_v(now)}); {note}"


def _firm_fields(session: WorkshopSession, desk: _Desk) -> list[str]:
    """The firm-wide fields (forecast, culture, hiring freeze, colleagues' requests) and, for
    a CPO, the portfolio's (themes, mentoring, bets, incubation, sunsets)."""
    sc = session.scenario
    cur = sc.currency
    last = desk.last
    org = desk.view.firm.organisation
    lines = [
        "  forecast: null  # e.g. {revenue: 300000, share: 0.12} for next quarter",
        "  initiatives: []  # culture initiatives to start: "
        + (", ".join(f"{i.id} ({money_full(i.cost, cur)})" for i in sc.initiatives) or "none"),
        f"  hiring_freeze: {_v(last.hiring_freeze)}",
    ]
    lines += _requests(session, desk.team, org.people if org else None, last)
    if desk.role == "cpo":
        pids = [desk.local.get(c, c) for c in (org.lines if org else [])]
        lines += [
            f"  themes: {_v(dict(last.themes))}  # per line: growth, retention, profit, quality"
            f" (lines: {', '.join(pids)})",
            f"  mentoring: {_v(dict(last.mentoring))}  # share of your time per line, total ≤ 1",
            "  bets: []  # innovation bets to fund: "
            + (", ".join(f"{b.id} ({money_full(b.cost, cur)})" for b in sc.bets) or "none"),
            f"  incubation: {last.incubation}  # engineers lent to the bets",
            "  sunset: []  # lines to withdraw from the market",
        ]
    return lines


def _requests(
    session: WorkshopSession, team: str, people: PeopleResult | None, last: Decisions
) -> list[str]:
    """The sheet's ``responses``: the colleagues' open requests as comments (keys as the team
    writes them), what an answer looks like, and the answers already given this round."""
    if people is None or not people.requests:
        return []
    m = session.worlds().maps[team]
    names = {c.id: f"{c.name} ({c.role})" for c in people.colleagues}
    out = ["  # Your colleagues ask; answer each under 'responses' by its key (one left out is"]
    out.append("  # ignored, which costs more trust than a decline):")
    for r in people.requests:
        may = f", may move {r.negotiable} quarter(s) later" if r.negotiable else ""
        smaller = f", smaller: {r.smaller}" if r.smaller else ""
        out.append(
            f"  #   {m.local_key(r.key)}: {names.get(r.stakeholder, r.stakeholder)}: "
            f"{m.local_text(r.text)} (due end of Q{r.due}{may}{smaller})"
        )
    out += [
        "  #   answers: {answer: accept} | {answer: negotiate, due: 6, smaller: true}",
        "  #            | {answer: decline, reason: market|capacity|strategy|budget}",
    ]
    open_keys = {m.local_key(r.key) for r in people.requests}
    given = {k: v.model_dump(exclude_defaults=True) for k, v in last.responses.items()}
    out.append(f"  responses: {_v({k: v for k, v in given.items() if k in open_keys})}")
    return out


def local_item(session: WorkshopSession, team: str, market_id: str) -> str:
    """A backlog item id as the team writes it (the scenario's id)."""
    return session.worlds().maps[session.team(team)].local_id(market_id)


def read_sheet(path: Path) -> str:
    """The text of the sheet file at ``path``; WorkshopError (one line) if it is not a regular
    UTF-8 file of at most :data:`engine.loader.MAX_BYTES` (a pipe or a device is never read;
    :mod:`game.files` checks the type and size first)."""
    from game.files import FileRefused, read_text

    try:
        return read_text(path, MAX_BYTES)
    except FileRefused as exc:
        raise WorkshopError(f"{exc}; nothing was recorded") from None


def _shown(value: Any) -> str:
    """A sheet value for a message: short, never a whole (possibly aliased) structure."""
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "..."


def _header_problems(
    data: dict[str, Any], session: WorkshopSession, team: str, seat: str | None = None
) -> list[str]:
    """Unknown or missing keys and a sheet for another session, team, seat or round."""
    keys = SHEET_KEYS if seat is None else _seat_keys(seat)
    problems = [
        f"unknown key '{_shown(k)}' (a sheet has {', '.join(keys)})" for k in data if k not in keys
    ]
    problems += [f"missing '{k}'" for k in keys if k not in data and k in (*SHEET_KEYS, "seat")]
    if "session" in data and data["session"] != session.id:
        shown = _shown(data["session"])
        problems.append(f"this sheet is for session '{shown}', not '{session.id}'")
    named = data.get("team")
    if "team" in data and (isinstance(named, bool) or not isinstance(named, str | int)):
        problems.append(f"team must be the team's name, not {_shown(named)}")
    elif "team" in data and str(named).casefold() != team.casefold():
        problems.append(f"this sheet is for team {_shown(named)}, not {team}")
    if seat is not None and "seat" in data and data["seat"] != seat:
        problems.append(
            phrase("ws_companies.sheet_other_seat", got=_shown(data["seat"]), seat=seat)
        )
    round_ = data.get("round")
    if "round" in data and (not isinstance(round_, int) or isinstance(round_, bool)):
        problems.append(f"round must be a whole number, not {_shown(round_)}")
    elif "round" in data and round_ != session.current_round:
        if session.finished:
            problems.append(f"the session has ended after round {session.info.rounds}")
        else:
            problems.append(
                f"this sheet is for round {round_}, but round {session.current_round} is open"
            )
    return problems


def _read(text: str, refuse: str) -> tuple[dict[str, Any], list[str]]:
    """A sheet's YAML mapping and the reader's problems; WorkshopError (``refuse``) when it is
    too long, not YAML or not a mapping."""
    if len(text) > MAX_BYTES:
        raise WorkshopError(refuse, [f"the sheet is over the limit of {MAX_BYTES:,} characters"])
    try:
        reading = read_yaml(text)
    except YamlProblem as exc:
        what = exc.message
        if what.startswith("YAML syntax error: "):
            what = f"not valid YAML ({what.removeprefix('YAML syntax error: ')})"
        raise WorkshopError(refuse, [f"line {exc.line}, column {exc.col}: {what}"]) from None
    data = reading.data
    if not isinstance(data, dict):
        raise WorkshopError(
            refuse, ["a decision sheet is a mapping with session, team, round and decisions"]
        )
    return data, [f"line {line}: {message}" for _, line, _, message in reading.problems]


def _decisions(data: dict[str, Any], problems: list[str]) -> Decisions | None:
    """The sheet's ``decisions`` as well-formed Decisions (None when they are not); each
    problem is added to ``problems``."""
    decisions = data.get("decisions")
    if decisions is None:
        decisions = {}
    if not isinstance(decisions, dict):
        problems.append("'decisions' must be a mapping")
        decisions = {}
    decisions = _drop_nulls(decisions)
    answers = answer_problems(decisions)
    problems += answers
    if answers:  # said once: the rest is still checked
        decisions = {k: v for k, v in decisions.items() if k != "responses"}
    parsed, shape = parse(decisions, "decisions")
    problems += [str(p) for p in shape]
    return parsed


def parse_sheet(text: str, source: str, session: WorkshopSession, team: str) -> Decisions:
    """The decisions of a sheet for ``team`` and the open round; WorkshopError lists problems."""
    team = session.team(team)
    refuse = f"{source} was refused; nothing was recorded"
    data, problems = _read(text, refuse)
    problems += _header_problems(data, session, team)
    parsed = _decisions(data, problems)
    if problems or parsed is None:
        raise WorkshopError(refuse, problems)
    return parsed


def _drop_nulls(decisions: dict[str, Any]) -> dict[str, Any]:
    """Top-level and per-product ``null`` values mean 'not given' (keep as it is); a ``null``
    answer to a colleague means no answer."""
    out = {k: v for k, v in decisions.items() if v is not None}
    products = out.get("products")
    if isinstance(products, dict):
        out["products"] = {
            pid: {k: v for k, v in pd.items() if v is not None} if isinstance(pd, dict) else pd
            for pid, pd in products.items()
        }
    answers = out.get("responses")
    if isinstance(answers, dict):
        out["responses"] = {k: v for k, v in answers.items() if v is not None}
    return out


# ---------------------------------------------------------------------- a company's seats
def _seat_keys(seat: str) -> tuple[str, ...]:
    """The keys of a seat's sheet: a team's, the seat, and the CPO's direction or the PM's
    share with the CPO."""
    return (*SHEET_KEYS[:2], "seat", *SHEET_KEYS[2:], "direction" if seat == "cpo" else "share")


def _seat(session: WorkshopSession, seat: str) -> Seat:
    """The seat ``seat`` (cpo, pm:LINE) of this session's companies; WorkshopError if none."""
    lines = [s.partition(":")[2] for s in session.seat_ids() if s != "cpo"]
    try:
        return Seat.parse(seat, lines)
    except ValueError:
        raise WorkshopError(
            phrase(
                "ws_companies.sheet_no_seat", seat=_shown(seat), seats=", ".join(session.seat_ids())
            )
        ) from None


def seat_template(session: WorkshopSession, team: str, seat: str) -> str:
    """A commented decision sheet for one seat of a company and the open round: the CPO's
    (portfolio decisions and each line's budget and strategy) or a PM's (its line's decisions,
    the studies to share and a note to the CPO), pre-filled from where the seat stands."""
    team = session.team(team)
    place = _seat(session, seat)
    part = session.company_part(team, seat)
    draft, extra = session.seat_draft(team, seat)
    view = replace(session.team_view(team), firm=session.seat_view(team, seat))
    desk = _Desk(team, view, place.role, draft, seat)
    names = dict(part.lines)
    who = f"Company {team}, {seat_words(seat, names)}"
    submit = (
        f"crossroads workshop submit {session.id} --team {_v(team)} --seat {seat} "
        "--decisions FILE.yaml"
    )
    lines = _head(session, desk, who, submit)
    lines += _products(session, desk)
    if place.role == "cpo":
        lines += _firm_fields(session, desk)
        direction = {k: Direction(**v) for k, v in extra.get("direction", {}).items()}
        lines += _direction_lines(part, direction, session.scenario.currency)
    else:
        share = Share(**extra["share"]) if extra.get("share") else Share()
        lines += _share_lines(part, place.line or "", share, session.scenario.currency)
    return "\n".join(lines) + "\n"


def _flag_lines(part: CompanyPart) -> list[str]:
    """Last round's flags as comments (text quoted: a name never ends the comment)."""
    names = part.lines
    if not part.flags:
        return ["# No flags last round: every decision was within the CPO's limits."]
    return ["# Flags last round (both seats see them):"] + [
        f"#   {names.get(f.line, f.line)}: {_v(f.text)}" for f in part.flags
    ]


def _direction_lines(
    part: CompanyPart, direction: dict[str, Direction], currency: str
) -> list[str]:
    """The CPO's ``direction`` block pre-filled from ``direction`` (the seat's draft), with
    what the PMs shared and the flags."""
    names = part.lines
    top = money_full(BUDGET_MAX, currency)
    lines = [
        "# Each line's direction for the quarter: budget = what the line may spend on marketing",
        f"# and research (null: no limit; 0 to {top}); strategy = one line, at most",
        f"# {STRATEGY_MAX} characters. A PM who spends past the budget is flagged, not stopped.",
        "direction:",
    ]
    for line, name in names.items():
        d = direction.get(line) or Direction()
        value = {"budget": d.budget, "strategy": d.strategy}
        lines.append(f"  {line}: {_v(value)}  # {name}")
    shared = [
        f"Q{s.quarter} {s.method} of {s.segment} ({names.get(s.line, s.line)})" for s in part.shared
    ]
    said = "; ".join(shared) if shared else "no studies"
    lines.append(f"# Shared with you so far: {terminal(said)}")  # a line break never escapes
    for note in part.notes:
        lines.append(
            f"#   note Q{note.quarter} from {names.get(note.line, note.line)}: {_v(note.text)}"
        )
    handed = [seat_words(s, names) for s, done in part.handed_in.items() if done]
    if handed:
        lines.append(f"# Handed in this round: {', '.join(handed)}")
    return lines + _flag_lines(part)


def _share_lines(part: CompanyPart, line: str, share: Share, currency: str) -> list[str]:
    """A PM's ``share`` block pre-filled from ``share`` (the seat's draft), with the CPO's
    direction for its line, the studies it may share and the flags."""
    names = part.lines
    d = part.direction.get(line) or Direction()
    budget = money_full(d.budget, currency) if d.budget is not None else "no limit"
    theme = part.themes.get(line) or "none"
    studies = [s.model_dump() for s in share.studies]
    yours = ", ".join(_v(s.model_dump()) for s in part.studies) or "none yet"
    return [
        f"# From the CPO for {names.get(line, line)}: theme {theme}; budget {budget} for marketing"
        f" and research; strategy {_v(d.strategy) if d.strategy else 'none given'}",
        *_flag_lines(part),
        "# What you share with the CPO: studies you ran (earlier rounds' below, or this",
        f"# round's research orders) and a note of at most {NOTE_MAX} characters.",
        "share:",
        f"  studies: {_v(studies)}",
        f"  # yours to share: {yours}",
        f"  note: {_v(share.note)}",
    ]


def parse_seat_sheet(
    text: str, source: str, session: WorkshopSession, team: str, seat: str
) -> tuple[Decisions, dict[str, Any]]:
    """The decisions and the company part (``{"direction": ...}`` for the CPO, ``{"share":
    ...}`` for a PM, as :meth:`WorkshopSession.submit_seat` takes it) of a seat's sheet;
    WorkshopError lists every problem at once."""
    team = session.team(team)
    place = _seat(session, seat)
    refuse = f"{source} was refused; nothing was recorded"
    data, problems = _read(text, refuse)
    problems += _header_problems(data, session, team, seat)
    if place.role == "pm":
        problems += _pm_scope(data.get("decisions"), place.line or "")
    parsed = _decisions(data, problems)
    if place.role == "cpo":
        extra = {"direction": _direction(data.get("direction"), session, team, problems)}
    else:
        ordered = parsed.products.get(place.line or "") if parsed is not None else None
        now = [(o.method, o.segment) for o in (ordered.research if ordered else [])]
        extra = {"share": _share(data.get("share"), session, team, seat, now, problems)}
    if problems or parsed is None:
        raise WorkshopError(refuse, problems)
    return parsed, {k: v for k, v in extra.items() if v is not None}


def _pm_scope(decisions: Any, line: str) -> list[str]:
    """A PM's sheet decides its own line only: every other field is named."""
    if not isinstance(decisions, dict):
        return []
    out = [
        phrase("ws_companies.sheet_cpo_field", field=_shown(k), line=line)
        for k, v in decisions.items()
        if k != "products" and v is not None
    ]
    products = decisions.get("products")
    if isinstance(products, dict):
        out += [
            phrase("ws_companies.sheet_not_your_line", other=_shown(k), line=line)
            for k in products
            if k != line
        ]
    return out


def _direction(
    value: Any, session: WorkshopSession, team: str, problems: list[str]
) -> dict[str, Any] | None:
    """The CPO's ``direction`` from a sheet, each line's budget and strategy checked (every
    problem added to ``problems``); None when the sheet leaves it out."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(phrase("ws_companies.sheet_direction_mapping"))
        return None
    lines = session.company_part(team, "cpo").lines
    out: dict[str, Any] = {}
    for line, entry in value.items():
        where = f"direction.{_shown(line)}"
        if line not in lines:
            problems.append(
                phrase("ws_companies.sheet_no_line", where=where, lines=", ".join(lines))
            )
            continue
        if not isinstance(entry, dict):
            problems.append(phrase("ws_companies.sheet_direction_entry", where=where))
            continue
        problems += [
            phrase(
                "ws_companies.sheet_unknown_field",
                where=f"{where}.{_shown(k)}",
                known="budget, strategy",
            )
            for k in entry
            if k not in ("budget", "strategy")
        ]
        budget, strategy = entry.get("budget"), entry.get("strategy", "")
        if budget is not None and not _number(budget):
            problems.append(
                phrase("ws_companies.sheet_budget_number", where=where, got=_shown(budget))
            )
        elif budget is not None and not 0 <= budget <= BUDGET_MAX:
            problems.append(
                phrase(
                    "ws_companies.sheet_budget_range",
                    where=where,
                    top=money_full(BUDGET_MAX, session.scenario.currency),
                    got=_shown(budget),
                )
            )
        problems += _text_problems(strategy, f"{where}.strategy", STRATEGY_MAX)
        out[line] = {"budget": budget, "strategy": strategy}
    return out


def _share(
    value: Any,
    session: WorkshopSession,
    team: str,
    seat: str,
    ordered: list[tuple[str, str]],
    problems: list[str],
) -> dict[str, Any] | None:
    """A PM's ``share`` from a sheet: studies it ran (earlier rounds', or ``ordered`` this
    round) and a note, checked (every problem added to ``problems``); None when left out."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(phrase("ws_companies.sheet_share_mapping"))
        return None
    problems += [
        phrase(
            "ws_companies.sheet_unknown_field", where=f"share.{_shown(k)}", known="studies, note"
        )
        for k in value
        if k not in ("studies", "note")
    ]
    studies, note = value.get("studies") or [], value.get("note") or ""
    problems += _text_problems(note, "share.note", NOTE_MAX)
    if not isinstance(studies, list):
        problems.append(phrase("ws_companies.sheet_studies_list"))
        return None
    if len(studies) > MAX_SHARED:
        problems.append(
            phrase("ws_companies.sheet_studies_many", count=len(studies), most=MAX_SHARED)
        )
        return None
    round_ = session.current_round
    own = {(s.quarter, s.method, s.segment) for s in session.company_part(team, seat).studies}
    own |= {(round_, method, segment) for method, segment in ordered}
    for i, study in enumerate(studies):
        found = _study(study)
        if found is None:
            problems.append(phrase("ws_companies.sheet_study_shape", where=f"share.studies.{i}"))
        elif found not in own:
            yours = "; ".join(f"Q{q} {m} of {g}" for q, m, g in sorted(own)) or "none"
            problems.append(
                phrase(
                    "ws_companies.sheet_study_not_yours",
                    where=f"share.studies.{i}",
                    quarter=found[0],
                    method=_shown(found[1]),
                    segment=_shown(found[2]),
                    yours=yours,
                )
            )
    return {"studies": studies, "note": note}


def _study(value: Any) -> tuple[int, str, str] | None:
    """(quarter, method, segment) of a shared study as a sheet writes it, or None."""
    if not isinstance(value, dict) or set(value) != {"quarter", "method", "segment"}:
        return None
    q, m, g = value["quarter"], value["method"], value["segment"]
    if (
        isinstance(q, bool)
        or not isinstance(q, int)
        or not isinstance(m, str)
        or not isinstance(g, str)
    ):
        return None
    return q, m, g


def _number(value: Any) -> bool:
    """True for a finite number that is not a boolean."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _text_problems(value: Any, where: str, most: int) -> list[str]:
    """A sheet's free text: a string of at most ``most`` characters."""
    if not isinstance(value, str):
        return [phrase("ws_companies.sheet_text", where=where, got=_shown(value))]
    if len(value) > most:
        return [phrase("ws_companies.sheet_too_long", where=where, length=len(value), most=most)]
    return []


def submit_seat_sheet(
    session: WorkshopSession,
    team: str,
    seat: str,
    text: str,
    source: str,
    receipt_id: str | None = None,
) -> list[str]:
    """Check a seat's filled sheet and hand it in (:meth:`WorkshopSession.submit_seat`);
    returns the warnings. WorkshopError lists every problem, and nothing is recorded."""
    decisions, extra = parse_seat_sheet(text, source, session, team, seat)
    return session.submit_seat(session.team(team), seat, decisions, extra, receipt_id)
