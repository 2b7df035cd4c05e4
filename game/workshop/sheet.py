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
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.decision_check import parse
from engine.decisions import CapacitySplit, Decisions
from engine.formatting import money_cents, money_full
from engine.loader import MAX_BYTES
from engine.report import PeopleResult
from engine.yaml_positions import YamlProblem, read_yaml
from game.workshop.session import TeamView, WorkshopError, WorkshopSession
from game.workshop.wire import answer_problems

SHEET_KEYS = ("session", "team", "round", "decisions")


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
        f"# {who}, round {view.round} of {view.rounds} ({session.info.role.upper()}, "
        f"{session.mode} market). Cash now {cash}.",
        "# Edit the values, keep the structure, then hand the file in:",
        f"#   {submit}",
        "# Anything you delete keeps its current value. Money is per quarter.",
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
        lines += [
            f"    {pid}:  # {product.name}",
            f"      price: {round(product.price, 2)}  # per customer per quarter "
            f"(unit cost {money_cents(product.unit_cost, cur)})",
            f"      marketing: {_v({s: round(v) for s, v in product.marketing.items()})}"
            "  # spend per segment",
            f"      roadmap: {_v(roadmap)}  # open items in priority order, see below",
            f"      split: {_v(split.model_dump())}  # of capacity, must add up to 1",
            f"      research: []  # e.g. [{{method: survey, segment: {sc.segments[0].id}}}]",
            "      hires: 0",
            "      layoffs: 0",
            f"      # capacity {lv.capacity:.0f} points; features get {lv.feature_rate:.0f} × "
            f"split.features; tech debt {lv.tech_debt:.0f}",
        ]
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


def _header_problems(data: dict[str, Any], session: WorkshopSession, team: str) -> list[str]:
    """Unknown or missing keys and a sheet for another session, team or round."""
    problems = [
        f"unknown key '{_shown(k)}' (a sheet has {', '.join(SHEET_KEYS)})"
        for k in data
        if k not in SHEET_KEYS
    ]
    problems += [f"missing '{k}'" for k in SHEET_KEYS if k not in data]
    if "session" in data and data["session"] != session.id:
        shown = _shown(data["session"])
        problems.append(f"this sheet is for session '{shown}', not '{session.id}'")
    named = data.get("team")
    if "team" in data and (isinstance(named, bool) or not isinstance(named, str | int)):
        problems.append(f"team must be the team's name, not {_shown(named)}")
    elif "team" in data and str(named).casefold() != team.casefold():
        problems.append(f"this sheet is for team {_shown(named)}, not {team}")
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


def parse_sheet(text: str, source: str, session: WorkshopSession, team: str) -> Decisions:
    """The decisions of a sheet for ``team`` and the open round; WorkshopError lists problems."""
    team = session.team(team)
    refuse = f"{source} was refused; nothing was recorded"
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
    problems = [f"line {line}: {message}" for _, line, _, message in reading.problems]
    problems += _header_problems(data, session, team)
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
