"""What a firm decides in one quarter: the only input the simulation takes from players.

``Decisions`` is plain data (pydantic, JSON-serialisable). A PM fills the per-product fields
of their line; a CPO fills the portfolio fields and the AI PMs fill the per-product ones.
Fields left at their defaults mean "keep things as they are". Validation against the current
state (capacity, cash, dependencies) is done by the engine, which returns every problem in
words rather than clipping anything silently.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from engine.formatting import money_full, pct, signed_pct
from engine.phrases import say, table
from engine.report import TurnReport
from engine.scenario import Scenario

Theme = Literal["growth", "retention", "profit", "quality"]


_THEMES = ("growth", "retention", "profit", "quality")
THEME_NAMES: Mapping[str, str] = table("decisions.theme", _THEMES)
"""A theme as a player reads it."""
THEME_AIMS: Mapping[str, str] = table("decisions.theme_aim", _THEMES)
"""What an AI PM does under each theme (engine.portfolio.THEMES in words)."""


def _no_bool(value: Any) -> Any:
    """Refuse a boolean where a number is expected (YAML reads ``yes``/``true`` as one)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, not the boolean {str(value).lower()}")
    return value


Number = Annotated[float, BeforeValidator(_no_bool)]
"""A finite number (an int is accepted); a boolean is refused."""
Count = Annotated[int, BeforeValidator(_no_bool)]
"""A whole number; a boolean is refused."""

# Upper bounds of the decision fields, checked (with the firm's state) by
# engine.decision_check.check; documented here so every field's description can name them.
PRICE_MAX_MULTIPLE = 100.0
"""A price is at most this multiple of the product's starting (quarter-0) price."""
MARKETING_MAX_MULTIPLE = 100.0
"""Marketing per segment is at most this multiple of the firm's cash (now or at quarter 0,
whichever is larger; at least MARKETING_MIN_CAP)."""
MARKETING_MIN_CAP = 1_000_000.0
"""The marketing bound never falls below this (a firm that starts in debt may still market)."""
HIRES_MAX_MULTIPLE = 2
"""Hires per line and quarter are at most this multiple of the line's headcount ..."""
HIRES_MIN_CAP = 10
"""... or this many, whichever is larger ..."""
TEAM_MAX = 5_000
"""... and a line's team may not grow beyond this many people (the scenario's own team limit)."""
FORECAST_REVENUE_MAX = 1e15
"""A revenue forecast is at most this (a thousand times the largest money a scenario holds)."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class CapacitySplit(_Data):
    """How a line's engineering capacity is divided this quarter (fractions summing to 1)."""

    features: Number = Field(default=0.7, ge=0, le=1, description="Roadmap items.")
    debt: Number = Field(default=0.2, ge=0, le=1, description="Technical-debt paydown.")
    discovery: Number = Field(
        default=0.1, ge=0, le=1, description="Discovery/improvement (research, quality)."
    )

    @model_validator(mode="after")
    def _sums_to_one(self) -> CapacitySplit:
        total = self.features + self.debt + self.discovery
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"capacity split must add up to 100% (it adds up to {total:.0%})")
        return self


class ResearchOrder(_Data):
    """Buy one research method for one segment this quarter."""

    method: str
    segment: str


class ProductDecision(_Data):
    """Line-level decisions for one product (made by the PM, human or AI)."""

    price: Number | None = Field(
        default=None,
        description="New price per customer per quarter; None keeps the price. Above zero and "
        f"at most {PRICE_MAX_MULTIPLE:.0f}× the product's starting price.",
    )
    marketing: dict[str, Number] = Field(
        default_factory=dict,
        description="Marketing spend per segment id this quarter. Unit: money. At least zero "
        f"and, per segment, at most {MARKETING_MAX_MULTIPLE:.0f}× the firm's cash (now or at "
        f"the start, whichever is larger; never less than {MARKETING_MIN_CAP:,.0f}).",
    )
    roadmap: list[str] = Field(
        default_factory=list,
        description="Backlog item ids to work on, in priority order (work in progress on an "
        "item not listed is paused, not lost).",
    )
    split: CapacitySplit = Field(default_factory=CapacitySplit)
    research: list[ResearchOrder] = Field(
        default_factory=list,
        description="Studies to buy this quarter: at most one per research method and segment.",
    )
    hires: Count = Field(
        default=0,
        ge=0,
        description="Engineers to hire into this line: at most "
        f"{HIRES_MAX_MULTIPLE}× its headcount (or {HIRES_MIN_CAP}, whichever is larger), and "
        f"the team may not grow beyond {TEAM_MAX:,} people.",
    )
    layoffs: Count = Field(
        default=0, ge=0, description="Engineers to let go from this line: at most its headcount."
    )


class Forecast(_Data):
    """The player's forecast for next quarter, graded for calibration."""

    revenue: Number = Field(
        ge=0,
        le=FORECAST_REVENUE_MAX,
        description="Expected firm revenue next quarter. Unit: money. At most "
        f"{FORECAST_REVENUE_MAX:.0e}.",
    )
    share: Number = Field(ge=0, le=1, description="Expected overall market share next quarter.")


class RequestResponse(_Data):
    """The player's answer to a colleague's request (``engine.stakeholders``)."""

    answer: Literal["accept", "negotiate", "decline"] = Field(
        description="Accept (a promise), negotiate (a later date or the smaller scope) or "
        "decline (with a reason)."
    )
    due: Count | None = Field(
        default=None,
        ge=1,
        le=99,
        description="Negotiate: the quarter offered instead (at most the request's due "
        "quarter plus what the colleague may agree to).",
    )
    smaller: bool = Field(default=False, description="Negotiate: offer the smaller scope.")
    reason: Literal["market", "capacity", "strategy", "budget"] | None = Field(
        default=None, description="Decline: why (the market, capacity, strategy, budget)."
    )


class Decisions(_Data):
    """Everything one firm decides for one quarter."""

    products: dict[str, ProductDecision] = Field(
        default_factory=dict, description="Per product id; a missing product keeps its course."
    )
    forecast: Forecast | None = None
    initiatives: list[str] = Field(
        default_factory=list, description="Culture initiative ids to start this quarter."
    )
    hiring_freeze: bool = Field(default=False, description="No hiring and no backfill.")
    # ---- CPO portfolio decisions
    themes: dict[str, Theme] = Field(
        default_factory=dict, description="Theme per product line, followed by its AI PM."
    )
    mentoring: dict[str, Number] = Field(
        default_factory=dict,
        description="Share of the CPO's time (0..1, summing to at most 1) per line's PM.",
    )
    bets: list[str] = Field(default_factory=list, description="Innovation bet ids to fund.")
    incubation: Count = Field(
        default=0,
        ge=0,
        description="Engineers moved into the incubation line for bets: at most the firm's "
        "headcount.",
    )
    sunset: list[str] = Field(default_factory=list, description="Product lines to sunset.")
    # ---- colleagues
    responses: dict[str, RequestResponse] = Field(
        default_factory=dict,
        description="Answers to this quarter's requests from colleagues, per request key "
        "('<colleague>.<request>'); a request left unanswered is ignored.",
    )


# --------------------------------------------------------------------------- carry forward

STANDING_LINE_FIELDS = ("price", "marketing", "split", "roadmap")
"""Line choices that stand until changed: a price, a marketing plan, a split, a roadmap."""
STANDING_FIRM_FIELDS = ("hiring_freeze", "themes", "mentoring", "bets", "incubation")
"""Firm choices that stand: a freeze, themes, mentoring, the incubation team's size, and bets
still being funded.

An innovation bet is funded quarter after quarter until it resolves (``InnovationBet.quarters``),
so a bet in progress stands; a bet once decided drops out. The incubation team stands like a
freeze: its engineers work on whichever bets are funded, and stay on their lines in a quarter
with none (:func:`engine.portfolio.incubating`). Everything else is one-off and starts empty
each quarter: research studies, hires, layoffs, culture initiatives, sunsets, the forecast and
the answers to colleagues' requests.
"""


def carry_forward(
    previous: Decisions | None,
    *,
    lines: Collection[str],
    shipped: Collection[str],
    resolved_bets: Collection[str],
) -> Decisions:
    """Next quarter's starting decisions: last quarter's standing choices, one-offs cleared.

    The one rule for the solo draft and for a workshop team that keeps its course. Only
    fields the player set are carried (a CPO's AI PMs keep deciding what the CPO left to
    them); lines no longer run (``lines``: sunset ones are gone), items already ``shipped``
    and bets already decided (``resolved_bets``) are dropped.
    """
    if previous is None:
        return Decisions()
    products = {}
    for pid, pd in previous.products.items():
        if pid not in lines:
            continue
        keep = {f: getattr(pd, f) for f in STANDING_LINE_FIELDS if f in pd.model_fields_set}
        if "roadmap" in keep:
            keep["roadmap"] = [i for i in pd.roadmap if i not in shipped]
        if "marketing" in keep:
            keep["marketing"] = dict(pd.marketing)
        if keep:
            products[pid] = ProductDecision(**keep)
    firm: dict[str, Any] = {
        f: getattr(previous, f) for f in STANDING_FIRM_FIELDS if f in previous.model_fields_set
    }
    if "themes" in firm:
        firm["themes"] = {k: v for k, v in previous.themes.items() if k in lines}
    if "mentoring" in firm:
        firm["mentoring"] = {k: v for k, v in previous.mentoring.items() if k in lines}
    if "bets" in firm:
        firm["bets"] = [b for b in previous.bets if b not in resolved_bets]
    return Decisions(products=products, **firm) if products else Decisions(**firm)


# --------------------------------------------------------------------------- in words


@dataclass(frozen=True)
class Names:
    """Display names of the ids a decision mentions."""

    products: Mapping[str, str]
    items: Mapping[str, str]
    methods: Mapping[str, str]
    segments: Mapping[str, str]
    initiatives: Mapping[str, str]
    bets: Mapping[str, str]
    attributes: Mapping[str, str] = field(default_factory=dict)
    requests: Mapping[str, str] = field(default_factory=dict)
    """A colleague's request key ("sales.northwind") -> "Sales (Dana Okafor): <request>"."""

    @classmethod
    def of(cls, scenario: Scenario) -> Names:
        """Every name in ``scenario``."""
        return cls(
            products={p.id: p.name for _, p in scenario.products()},
            items={b.id: b.name for b in scenario.backlog},
            methods={m.id: m.name for m in scenario.research},
            segments={s.id: s.name for s in scenario.segments},
            initiatives={i.id: i.name for i in scenario.initiatives},
            bets={b.id: b.name for b in scenario.bets},
            attributes={a.id: a.name for a in scenario.attributes},
            requests={
                f"{person.id}.{req.id}": say(
                    "decisions.request",
                    role=say(f"people.role.{person.role}"),
                    name=person.name,
                    text=req.text,
                )
                for person in scenario.stakeholders
                for req in person.requests
            },
        )


def describe(
    scenario: Scenario,
    dec: Decisions,
    before: TurnReport,
    previous: Decisions | None,
    *,
    full: bool = False,
    ai_lines: Collection[str] = (),
) -> list[str]:
    """One quarter's decisions in short sentences: the one wording every screen and report uses.

    ``before`` is the report the decisions were made after and ``previous`` the decisions of
    the quarter before. By default unchanged standing choices are left out (the debrief's
    timeline); ``full`` states every choice, changed or not (the confirmation before a quarter
    is played or handed in). On ``ai_lines`` (a CPO's lines, run by AI PMs) only what the
    player changed or ordered is stated: the AI PM decides the rest.
    """
    n = Names.of(scenario)
    cur = scenario.currency
    prev = previous or Decisions()
    out: list[str] = []
    for pid, pd in dec.products.items():
        stated = full and pid not in ai_lines
        out += _describe_line(n, cur, pid, pd, before, prev.products.get(pid), stated)
    out += _describe_firm(n, cur, dec, prev, full)
    return out


def _describe_line(
    n: Names,
    cur: str,
    pid: str,
    pd: ProductDecision,
    before: TurnReport,
    old: ProductDecision | None,
    full: bool,
) -> list[str]:
    """One product line's decisions in words."""
    name = n.products.get(pid, pid)
    last = before.products.get(pid)
    old = old or ProductDecision()
    out: list[str] = []
    if pd.price is not None and last and abs(pd.price - last.price) > 0.005 * last.price:
        move = pd.price / last.price - 1.0
        out.append(
            say(
                "decisions.price_change",
                line=name,
                old=money_full(last.price, cur),
                new=money_full(pd.price, cur),
                change=signed_pct(move, 0),
            )
        )
    elif full and last:
        out.append(say("decisions.price_stays", line=name, price=money_full(last.price, cur)))
    if last and (pd.marketing or full):
        was = sum(last.marketing_by_segment.values())
        now = sum((dict(last.marketing_by_segment) | pd.marketing).values())
        if abs(now - was) > 0.05 * max(was, 1.0):
            out.append(
                say(
                    "decisions.marketing_change",
                    line=name,
                    old=money_full(was, cur),
                    new=money_full(now, cur),
                )
            )
        elif full:
            out.append(say("decisions.marketing", line=name, amount=money_full(now, cur)))
    if pd.roadmap and (full or not old.roadmap or pd.roadmap[0] != old.roadmap[0]):
        shown = pd.roadmap if full else pd.roadmap[:3]
        key = "decisions.build" if full else "decisions.roadmap_led"
        out.append(say(key, line=name, items=", ".join(n.items.get(i, i) for i in shown)))
    elif full:
        out.append(say("decisions.empty_roadmap", line=name))
    if pd.split != old.split or (full and "split" in pd.model_fields_set):
        s = pd.split
        out.append(
            say(
                "decisions.split",
                line=name,
                features=pct(s.features, 0),
                debt=pct(s.debt, 0),
                discovery=pct(s.discovery, 0),
            )
        )
    if pd.research:
        studies = ", ".join(study(n, r.method, r.segment) for r in pd.research)
        out.append(say("decisions.research", line=name, studies=studies))
    if pd.hires:
        out.append(say("decisions.hired", line=name, count=pd.hires))
    if pd.layoffs:
        out.append(say("decisions.laid_off", line=name, count=pd.layoffs))
    return out


def study(n: Names, method: str, segment: str) -> str:
    """A research order in words: "Interviews of Schools"."""
    return say(
        "decisions.study",
        method=n.methods.get(method, method),
        segment=n.segments.get(segment, segment),
    )


def _describe_firm(n: Names, cur: str, dec: Decisions, prev: Decisions, full: bool) -> list[str]:
    """The firm-wide decisions in words (forecast, culture, people, portfolio)."""
    out: list[str] = []
    if dec.forecast is not None:
        revenue = money_full(dec.forecast.revenue, cur)
        share = pct(dec.forecast.share, 1)
        out.append(say("decisions.forecast", revenue=revenue, share=share))
    elif full:
        out.append(say("decisions.no_forecast"))
    if dec.initiatives:
        started = ", ".join(n.initiatives.get(i, i) for i in dec.initiatives)
        out.append(say("decisions.started", initiatives=started))
    if dec.hiring_freeze != prev.hiring_freeze or (full and dec.hiring_freeze):
        out.append(say("decisions.freeze" if dec.hiring_freeze else "decisions.freeze_lifted"))
    if dec.themes and (full or dec.themes != prev.themes):
        themes = sorted(
            (n.products.get(k, k), THEME_NAMES.get(v, v)) for k, v in dec.themes.items()
        )
        listed = "; ".join(f"{line}: {theme}" for line, theme in themes)
        out.append(say("decisions.themes", themes=listed))
    if dec.mentoring and (full or dec.mentoring != prev.mentoring):
        shares = ", ".join(
            f"{n.products.get(k, k)} {pct(v, 0)}" for k, v in sorted(dec.mentoring.items())
        )
        out.append(say("decisions.mentoring", lines=shares))
    new_bets = [b for b in dec.bets if full or b not in prev.bets]
    if new_bets:
        out.append(say("decisions.funded", bets=", ".join(n.bets.get(b, b) for b in new_bets)))
    if dec.incubation and (full or dec.incubation != prev.incubation):
        key = "decisions.incubation" if dec.bets else "decisions.incubation_idle"
        out.append(say(key, engineers=dec.incubation))
    if dec.sunset:
        out.append(
            say("decisions.sunset", lines=", ".join(n.products.get(s, s) for s in dec.sunset))
        )
    for key, reply in dec.responses.items():
        request = n.requests.get(key, key)
        if reply.answer == "accept":
            out.append(say("decisions.promise", request=request))
        elif reply.answer == "decline":
            reason = say(f"decisions.reason.{reply.reason}") if reply.reason else ""
            out.append(say("decisions.decline", request=request, reason=reason))
        else:
            offer = say("decisions.offer_smaller") if reply.smaller else ""
            due = say("decisions.offer_due", due=reply.due) if reply.due is not None else ""
            offered = " ".join(x for x in (offer, due) if x)
            out.append(say("decisions.negotiate", request=request, offer=offered))
    return out
