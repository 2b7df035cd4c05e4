"""Company mode (issue 20): one company, a CPO seat and one PM seat per product line.

The engine plays a company in the ``cpo`` role, where every line is run by a PM: a line whose
seat is an AI is planned by its AI PM (:mod:`engine.portfolio`), a line whose seat is a
person (or a bot standing in for one) plays the PM's own decisions, field for field
(:meth:`engine.company.Company.prepare` keeps every field a decision sets). This module is
the layer between the seats and that engine:

* :class:`Seat` names a seat (``cpo`` or ``pm:<line>``) and who sits in it;
* :class:`Direction` is what the CPO gives each line besides the engine's portfolio
  decisions: a spending budget for the quarter and a one-line strategy (the theme is the
  engine's ``Decisions.themes``);
* :class:`PmTurn` is a PM's quarter: the line's decision and what the PM shares with the CPO
  (studies of this or earlier quarters, with a short note);
* :func:`combine` makes the company's :class:`~engine.decisions.Decisions` from the seats'
  turns and flags what falls outside the CPO's limits (to both seats);
* :func:`visible_studies` and :func:`seat_belief` give each seat the research it may see:
  a PM's studies are that PM's until shared; the CPO sees what was shared;
* :func:`agreement` is the alignment evidence: did each PM's moves follow the CPO's theme.

Pure: no I/O; the seats' turns and the reports are all it reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.decisions import Decisions, Number, ProductDecision
from engine.report import TurnReport
from engine.research import Belief, Finding, age, fold, prior
from engine.scenario import Scenario

if TYPE_CHECKING:
    from engine.simulation import Simulation
    from engine.view import FirmView

STRATEGY_MAX = 200
"""Characters in a line's one-line strategy."""
NOTE_MAX = 200
"""Characters in a PM's note to the CPO."""
BUDGET_MAX = 1e10
"""The largest budget a CPO may give a line for a quarter."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


@dataclass(frozen=True)
class Seat:
    """A seat at the company's table: the CPO, or the PM of one line."""

    role: Literal["cpo", "pm"]
    line: str | None = None

    @property
    def id(self) -> str:
        """``cpo`` or ``pm:<line>``."""
        return "cpo" if self.role == "cpo" else f"pm:{self.line}"

    @classmethod
    def parse(cls, text: str, lines: Sequence[str]) -> Seat:
        """A seat from ``cpo`` or ``pm:<line>``; ValueError in words otherwise."""
        if text == "cpo":
            return cls("cpo")
        kind, _, line = text.partition(":")
        if kind != "pm" or not line:
            raise ValueError(
                f"a seat is 'cpo' or 'pm:LINE' (lines: {', '.join(lines)}), not {text!r}"
            )
        if line not in lines:
            raise ValueError(f"no line '{line}' in this company (lines: {', '.join(lines)})")
        return cls("pm", line)


def seats(lines: Iterable[str]) -> list[Seat]:
    """Every seat of a company running ``lines``: the CPO first, then one PM per line."""
    return [Seat("cpo"), *(Seat("pm", line) for line in lines)]


class Direction(_Data):
    """What the CPO gives a line for the quarter beyond the engine's decisions."""

    budget: Number | None = Field(
        default=None,
        ge=0,
        le=BUDGET_MAX,
        description="Money the line may spend this quarter on marketing and research (None: "
        "no limit). Unit: money.",
    )
    strategy: str = Field(
        default="", max_length=STRATEGY_MAX, description="The line's strategy in one line."
    )


class CpoTurn(_Data):
    """The CPO's quarter: the engine's portfolio decisions and each line's direction."""

    decisions: Decisions = Field(default_factory=Decisions)
    direction: dict[str, Direction] = Field(default_factory=dict)


class StudyRef(_Data):
    """One study a PM ran: the quarter, the method and the segment."""

    quarter: int = Field(ge=1, le=99)
    method: str
    segment: str


class Share(_Data):
    """What a PM shares with the CPO this quarter: studies and a short note."""

    studies: list[StudyRef] = Field(default_factory=list, max_length=50)
    note: str = Field(default="", max_length=NOTE_MAX)


class PmTurn(_Data):
    """A PM's quarter: the line's decision and what is shared with the CPO."""

    decision: ProductDecision = Field(default_factory=ProductDecision)
    share: Share | None = None


@dataclass(frozen=True)
class Flag:
    """A PM decision outside the CPO's limits, shown to both seats."""

    line: str
    kind: str  # over_budget | hires | layoffs
    text: str


def line_spend(pd: ProductDecision, scenario: Scenario) -> float:
    """What a line's decision spends this quarter: marketing in every segment and studies."""
    costs = {m.id: m.cost for m in scenario.research}
    return float(sum(pd.marketing.values())) + sum(costs.get(o.method, 0.0) for o in pd.research)


def combine(
    scenario: Scenario, cpo: CpoTurn, pms: Mapping[str, PmTurn]
) -> tuple[Decisions, list[Flag]]:
    """The company's decisions from the seats' turns, and the flags for both seats.

    Each human PM's line decision is played as given (fields it leaves unset fall to the AI
    PM); a line without a PM turn is the AI PM's. The CPO's own line fields (hires and
    layoffs) are kept: staffing is the CPO's call, so a PM's hires or layoffs are flagged and
    dropped. A line whose decision spends beyond the CPO's budget is flagged, and played as
    the PM chose (the flag is a conversation, not a veto).
    """
    from engine.formatting import money_full
    from engine.phrases import say

    products = dict(cpo.decisions.products)
    flags: list[Flag] = []
    names = {p.id: p.name for _, p in scenario.products()}
    for line, turn in pms.items():
        pd = turn.decision
        name = names.get(line, line)
        own = {f: getattr(pd, f) for f in pd.model_fields_set if f not in ("hires", "layoffs")}
        for staffing in ("hires", "layoffs"):
            if getattr(pd, staffing):
                flags.append(Flag(line, staffing, say(f"company_mode.flag.{staffing}", line=name)))
        cpo_line = products.get(line, ProductDecision())
        keep = {f: getattr(cpo_line, f) for f in cpo_line.model_fields_set}
        products[line] = ProductDecision(**{**own, **keep})
        budget = cpo.direction.get(line, Direction()).budget
        spend = line_spend(pd, scenario)
        if budget is not None and spend > budget + 1e-6:
            cur = scenario.currency
            flags.append(
                Flag(
                    line,
                    "over_budget",
                    say(
                        "company_mode.flag.over_budget",
                        line=name,
                        spend=money_full(spend, cur),
                        budget=money_full(budget, cur),
                    ),
                )
            )
    dec = cpo.decisions.model_copy(update={"products": products}) if products else cpo.decisions
    return dec, flags


# --------------------------------------------------------------------------- research


def studies_of(report: TurnReport, firm: str) -> list[dict[str, Any]]:
    """The raw findings the firm's studies gave in ``report``'s quarter."""
    org = report.organisation.get(firm)
    return list(org.research) if org is not None else []


def studies_run(history: Sequence[TurnReport], firm: str) -> set[tuple[int, str, str]]:
    """(quarter, method, segment) of every study the firm ran (its PM seats' and AI PMs')."""
    return {
        (r.quarter, f["method"], f["segment"]) for r in history[1:] for f in studies_of(r, firm)
    }


def visible_studies(
    seat: Seat,
    orders: Mapping[int, Mapping[str, Sequence[tuple[str, str]]]],
    shared: Iterable[StudyRef],
    ran: Iterable[tuple[int, str, str]] = (),
) -> set[tuple[int, str, str]]:
    """(quarter, method, segment) of the studies ``seat`` may see.

    ``orders`` is, per quarter, each PM seat's studies as ordered (method, segment); ``ran``
    every study the firm ran (:func:`studies_run`). A PM sees their own line's studies and
    every shared one; the CPO sees the shared ones and what the AI PMs learnt (an AI PM
    shares every study with the CPO: it is the process a person in the seat may skip).
    """
    seen = {(s.quarter, s.method, s.segment) for s in shared}
    if seat.role == "pm":
        for quarter, by_line in orders.items():
            for method, segment in by_line.get(seat.line or "", ()):
                seen.add((quarter, method, segment))
    else:
        by_seats = {
            (quarter, method, segment)
            for quarter, by_line in orders.items()
            for pairs in by_line.values()
            for method, segment in pairs
        }
        seen |= set(ran) - by_seats
    return seen


def seat_belief(
    scenario: Scenario,
    firm: str,
    history: Sequence[TurnReport],
    visible: set[tuple[int, str, str]],
) -> Belief:
    """The belief a seat holds: the firm's prior, aged every quarter, with the findings it
    may see folded in (in the order the firm ran them, as the firm's own belief is built)."""
    belief = prior(scenario, firm)
    for report in history[1:]:
        belief = age(belief)
        for finding in studies_of(report, firm):
            if (report.quarter, finding["method"], finding["segment"]) in visible:
                belief = fold(belief, Finding(**finding))
    return belief


def seat_report(report: TurnReport, firm: str, visible: set[tuple[int, str, str]]) -> TurnReport:
    """``report`` with only the study findings of ``firm`` a seat may see (``visible``)."""
    from dataclasses import replace

    org = report.organisation.get(firm)
    if org is None or not org.research:
        return report
    kept = [f for f in org.research if (report.quarter, f["method"], f["segment"]) in visible]
    if len(kept) == len(org.research):
        return report
    return replace(report, organisation={**report.organisation, firm: replace(org, research=kept)})


def seat_view(
    view: FirmView, seat: Seat, line_id: str, belief: Belief, visible: set[tuple[int, str, str]]
) -> FirmView:
    """The firm view as ``seat`` sees it: a PM's line only (``line_id``: its id in the view),
    the seat's own belief in every line, only the findings it may see in the reports."""
    from dataclasses import replace

    if seat.role == "pm":
        view = pm_view(view, line_id)
    org = view.organisation
    lines = {k: replace(v, belief=belief) for k, v in org.lines.items()}
    return replace(
        view,
        organisation=replace(org, lines=lines),
        history=[seat_report(r, view.firm, visible) for r in view.history],
    )


# --------------------------------------------------------------------------- alignment


THEME_MOVES: Mapping[str, tuple[int, int]] = {
    "growth": (-1, 1),
    "profit": (1, -1),
    "retention": (0, 0),
    "quality": (0, 0),
}
"""Per theme, the price move and marketing move it calls for (−1 down, +1 up, 0 either)."""


def agreement(theme: str | None, before: ProductDecision, after: ProductDecision) -> bool | None:
    """Did a PM's price and marketing moves follow the CPO's theme? None: no theme given."""
    if theme is None:
        return None
    price_dir, marketing_dir = THEME_MOVES.get(theme, (0, 0))

    def moved(old: float | None, new: float | None) -> int:
        if old is None or new is None or abs(new - old) <= 1e-9 * max(1.0, abs(old)):
            return 0
        return 1 if new > old else -1

    p = moved(before.price, after.price)
    m = moved(sum(before.marketing.values()), sum(after.marketing.values()))
    return (price_dir == 0 or p in (0, price_dir)) and (
        marketing_dir == 0 or m in (0, marketing_dir)
    )


# --------------------------------------------------------------------------- bots in seats

AI = "ai"
"""A PM seat left to the line's AI PM (the scenario's PM profile)."""


@dataclass(frozen=True)
class SeatTurns:
    """One company quarter as played: each seat's turn, the flags, and the report."""

    cpo: CpoTurn
    pms: Mapping[str, PmTurn]
    flags: list[Flag]
    report: TurnReport

    def to_dict(self) -> dict[str, Any]:
        """Each seat's decisions and the flags as plain JSON data (the report separately)."""
        out: dict[str, Any] = {"cpo": self.cpo.model_dump(mode="json", exclude_unset=True)}
        for line, turn in self.pms.items():
            out[f"pm:{line}"] = turn.model_dump(mode="json", exclude_unset=True)
        return {
            "seats": out,
            "flags": [{"line": f.line, "kind": f.kind, "text": f.text} for f in self.flags],
        }


def pm_view(view: FirmView, line: str) -> FirmView:
    """A firm view as the PM of ``line`` sees it: their line only, in the ``pm`` role."""
    from dataclasses import replace

    org = view.organisation
    return replace(
        view,
        role="pm",
        products={k: v for k, v in view.products.items() if k == line},
        organisation=replace(org, role="pm", lines={line: org.lines[line]}),
    )


def play(sim: Simulation, bots: Mapping[str, str], turns: int | None = None) -> list[SeatTurns]:
    """Play ``turns`` company quarters (default: to the end) with a bot in every seat.

    ``bots`` maps a seat id (``cpo``, ``pm:<line>``) to a bot name, or to :data:`AI` for a
    PM seat the line's AI PM keeps; the company is the scenario's first player firm, played
    in the ``cpo`` role. Each seat's bot has its own stream (subsystem ``bots``, index 1 + its
    place at the table), so the same seed and bots give the same game.
    """
    from engine.bots import make_bot

    if sim.role != "cpo":
        raise ValueError("company mode plays the scenario's cpo role")
    firm = sim.scenario.player_firms()[0].id
    table = seats(sim.company.books[firm].lines)
    players = {
        s.id: make_bot(bots[s.id], sim.streams.generator("bots", 0, 1 + i))
        for i, s in enumerate(table)
        if bots.get(s.id, AI) != AI
    }
    if "cpo" not in players:
        raise ValueError("the cpo seat needs a bot")
    remaining = sim.scenario.quarters - sim.state.quarter
    turns = remaining if turns is None else turns
    out = []
    for _ in range(turns):
        view = sim.view(firm)
        cpo = CpoTurn(decisions=players["cpo"].decide(view))
        pms = {}
        for seat in table[1:]:
            bot = players.get(seat.id)
            line = seat.line or ""
            if bot is None or line not in view.organisation.lines:
                continue
            decided = bot.decide(pm_view(view, line))
            pms[line] = PmTurn(decision=decided.products.get(line, ProductDecision()))
        decisions, flags = combine(sim.scenario, cpo, pms)
        report = sim.step({firm: decisions})
        out.append(SeatTurns(cpo, pms, flags, report))
    return out


# --------------------------------------------------------------------------- scoring


PEOPLE_KPIS = frozenset(
    {"pm_skill", "morale", "safety", "customer_focus", "innovation", "collaboration"}
    | {"capability", "headcount", "attrition", "trust"}
)
"""Objectives about people: the CPO's, even when they name one line (a PM's skill)."""


def alignment(
    history: Sequence[TurnReport], turns: Sequence[SeatTurns], line: str
) -> tuple[int, int]:
    """(quarters the PM of ``line`` followed the CPO's theme, quarters with a theme), over the
    quarters that line was played by its PM seat (an AI PM follows the theme by design)."""
    agreed = themed = 0
    for i, turn in enumerate(turns):
        if line not in turn.pms:
            continue
        before, after = history[i].products.get(line), turn.report.products.get(line)
        if before is None or after is None:
            continue
        verdict = agreement(
            turn.cpo.decisions.themes.get(line),
            ProductDecision(price=before.price, marketing=dict(before.marketing_by_segment)),
            ProductDecision(price=after.price, marketing=dict(after.marketing_by_segment)),
        )
        if verdict is not None:
            themed += 1
            agreed += verdict
    return agreed, themed


def scorecards(
    scenario: Scenario,
    card: Mapping[str, Any],
    history: Sequence[TurnReport],
    turns: Sequence[SeatTurns],
) -> dict[str, Any]:
    """The company's scorecard (``card``: the engine's, for the firm) and each seat's part.

    A PM seat is judged on the objectives about its line and on following the CPO's theme;
    the CPO seat on the company-wide objectives (portfolio and people goals), on the PMs'
    alignment with its direction and on how much the PMs shared with it.
    """
    from engine.phrases import say

    # a line's goals are the PM's; people goals (a PM's skill, morale, ...) are the CPO's
    by_product = {o.id: None if o.kpi in PEOPLE_KPIS else o.product for o in scenario.objectives}
    objectives = list(card.get("objectives", []))
    lines = sorted({line for t in turns for line in t.pms})
    seats_out: dict[str, Any] = {}
    total_agreed = total_themed = 0
    for line in lines:
        agreed, themed = alignment(history, turns, line)
        total_agreed += agreed
        total_themed += themed
        shared = sum(
            len(t.pms[line].share.studies) for t in turns if line in t.pms and t.pms[line].share
        )
        seats_out[f"pm:{line}"] = {
            "objectives": [o for o in objectives if by_product.get(o["id"]) == line],
            "aligned": agreed,
            "themed": themed,
            "shared_studies": shared,
            "evidence": [
                say("company_mode.evidence.aligned", agreed=agreed, themed=themed),
                say("company_mode.evidence.shared", count=shared),
            ],
        }
    notes = sum(1 for t in turns for p in t.pms.values() if p.share and p.share.note)
    seats_out["cpo"] = {
        "objectives": [o for o in objectives if by_product.get(o["id"]) is None],
        "aligned": total_agreed,
        "themed": total_themed,
        "notes": notes,
        "evidence": [
            say("company_mode.evidence.company_aligned", agreed=total_agreed, themed=total_themed),
            say("company_mode.evidence.notes", count=notes),
        ],
    }
    return {"company": dict(card), "seats": seats_out}


# --------------------------------------------------------------------------- the conversation


@dataclass(frozen=True)
class Line:
    """One thing a seat said or did in a quarter, in words."""

    quarter: int
    seat: str  # cpo | pm:<line>
    text: str


def conversation(
    scenario: Scenario, history: Sequence[TurnReport], turns: Sequence[SeatTurns]
) -> list[Line]:
    """The company's quarters as a conversation between seats, for the debrief: the CPO's
    direction and decisions, each PM's choices and what they shared, the flags raised.

    ``history`` is the quarter reports from quarter 0; ``turns`` the quarters played.
    """
    from engine.decisions import describe
    from engine.formatting import money_full
    from engine.phrases import say

    names = {p.id: p.name for _, p in scenario.products()}
    out: list[Line] = []
    previous: Decisions | None = None
    for i, turn in enumerate(turns):
        q = turn.report.quarter
        cpo = turn.cpo.decisions
        for text in describe(scenario, cpo, history[i], previous, ai_lines=tuple(names)):
            out.append(Line(q, "cpo", text))
        for line, direction in turn.cpo.direction.items():
            if direction.strategy or direction.budget is not None:
                budget = (
                    money_full(direction.budget, scenario.currency)
                    if direction.budget is not None
                    else say("company_mode.no_budget")
                )
                out.append(
                    Line(
                        q,
                        "cpo",
                        say(
                            "company_mode.direction",
                            line=names.get(line, line),
                            budget=budget,
                            strategy=direction.strategy or "—",
                        ),
                    )
                )
        for line, pm in turn.pms.items():
            seat = f"pm:{line}"
            own = Decisions(products={line: pm.decision})
            for text in describe(scenario, own, history[i], None):
                out.append(Line(q, seat, text))
            if pm.share is not None and (pm.share.studies or pm.share.note):
                out.append(
                    Line(
                        q,
                        seat,
                        say(
                            "company_mode.shared",
                            count=len(pm.share.studies),
                            note=pm.share.note or "—",
                        ),
                    )
                )
        for flag in turn.flags:
            out.append(Line(q, f"pm:{flag.line}", flag.text))
        previous = cpo
    return out
