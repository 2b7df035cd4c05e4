"""What a network workshop sends over the wire: JSON in, JSON out, every field checked.

The host and its team clients exchange plain JSON only (nothing received is ever executed
or unpickled). Requests are pydantic models that forbid unknown fields and bound every
string and number; engine objects a team may see (its firm view, organisation view,
outlook and price preview) travel as JSON made and read by pydantic ``TypeAdapter``\\s of
the engine's own dataclasses, so a client rebuilds exactly what a hot-seat team sees.
Decisions travel in the scenario's own ids (as in a decision sheet); views in the ids of
the team's market (see :class:`~engine.teams.TeamMap`).

Colleagues (``engine.stakeholders``) travel the same way: the team's own colleagues, open
requests and promises in its organisation view and its reports (never another team's), and
its answers in its decisions' ``responses``, keyed ``<colleague>.<request>``. Both
directions are bounded: answer keys by :func:`answer_problems`, what a host sends of the
colleagues by :func:`people_problems`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from functools import cache, lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from engine.decision_check import Problem
from engine.decisions import Decisions
from engine.scenario import Scenario
from engine.teams import TeamMap
from game.workshop.company_seats import CompanyPart
from game.workshop.words import phrase

MAX_BODY = 256 * 1024  # a decision set is a few kB; a sheet at most this
MAX_SHEET = 200_000
MAX_SCENARIO = 2_000_000  # engine.loader.MAX_BYTES
CODE = re.compile(r"[2-9A-HJKMNP-Z]{8}")
RECEIPT = r"^[A-Za-z0-9_-]{8,64}$"
ANSWER_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}\.[a-z][a-z0-9_]{0,39}")
"""An answer's key: ``<colleague>.<request>``, both scenario ids."""
MAX_ANSWERS = 50
"""Answers in one set of decisions (a scenario has at most 12 colleagues, each waiting for
an answer to one request at a time)."""
MAX_PEOPLE_TEXT = 4000
"""Longest text a host may send about colleagues (a request is at most 300 characters)."""
MAX_PEOPLE_ITEMS = 500
"""Most entries of any list or mapping a host may send about colleagues."""


class WireError(ValueError):
    """A request or an answer that is not what the protocol says, in words."""


# ---------------------------------------------------------------------- codes and addresses
def normalise_code(text: str) -> str:
    """A join code as stored: capitals, no spaces or dashes (``abcd-2345`` -> ``ABCD2345``)."""
    return re.sub(r"[\s-]", "", text).upper()[:32]


def shown_code(code: str) -> str:
    """A join code as printed for people: ``ABCD-2345``."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def normalise_url(text: str, default_port: int = 8765) -> str:
    """The host's base URL from what a person typed: ``192.168.1.20``, ``host:8765`` or a
    full ``http://`` address. Raises :class:`WireError` in words for anything else."""
    raw = text.strip()
    if not raw:
        raise WireError(phrase("ws_errors.type_address"))
    if "://" not in raw:
        raw = "http://" + raw
    m = re.fullmatch(r"(https?)://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?/?", raw)
    if m is None:
        raise WireError(phrase("ws_errors.not_an_address", text=text.strip()[:60]))
    port = int(m.group(3) or default_port)
    if not 0 < port < 65536:
        raise WireError(phrase("ws_errors.bad_port", port=port))
    return f"{m.group(1)}://{m.group(2)}:{port}"


# ---------------------------------------------------------------------- requests
class Request(BaseModel):
    """Every request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


def answer_problems(decisions: Mapping[str, Any], where: str = "decisions") -> list[str]:
    """What is wrong with the shape of the answers to colleagues in plain decision data
    (their number and keys; the engine checks each answer against the open requests)."""
    answers = decisions.get("responses")
    if answers is None:
        return []
    at = f"{where}.responses"
    if not isinstance(answers, Mapping):
        return [phrase("workshop_people.answers_mapping", where=at)]
    if len(answers) > MAX_ANSWERS:
        return [phrase("workshop_people.too_many_answers", where=at, most=MAX_ANSWERS)]
    return [
        phrase("workshop_people.bad_answer_key", where=at, name=_cut(key))
        for key in answers
        if not isinstance(key, str) or not ANSWER_KEY.fullmatch(key)
    ]


def _cut(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "..."


class DecisionsBody(Request):
    """A draft to check, preview or keep: decisions in the scenario's own ids (a company
    seat's also its ``company`` part: the CPO's direction or a PM's share)."""

    decisions: dict[str, Any]
    company: dict[str, Any] | None = None

    @field_validator("decisions")
    @classmethod
    def answers_fit(cls, decisions: dict[str, Any]) -> dict[str, Any]:
        """Refuse answers to colleagues that are too many or under keys that are no key."""
        problems = answer_problems(decisions)
        if problems:
            raise ValueError(problems[0])
        return decisions


class SubmitBody(DecisionsBody):
    """A hand-in: its id (a retry sends the same id) and the decisions."""

    id: Annotated[str, Field(pattern=RECEIPT)]


class SheetBody(Request):
    """A hand-in as a decision sheet's text (the same checks as ``workshop submit``)."""

    id: Annotated[str, Field(pattern=RECEIPT)]
    sheet: Annotated[str, Field(max_length=MAX_SHEET)]


class ResolveBody(Request):
    """The facilitator plays the open round."""

    keep_course: bool = False


class DeadlineBody(Request):
    """The facilitator closes hand-in ``minutes`` from now (None: no deadline)."""

    minutes: Annotated[float, Field(gt=0, le=24 * 60, allow_inf_nan=False)] | None = None


def read_body(raw: bytes, model: type[Request]) -> Request:
    """Parse and check a request body; :class:`WireError` in words when it is refused."""
    if len(raw) > MAX_BODY:
        raise WireError(f"the request is over the limit of {MAX_BODY // 1024} KiB")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise WireError(f"the request is not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(data, dict):
        raise WireError("the request must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "request"
        raise WireError(f"{where}: {first['msg']}"[:200]) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def dump(data: Any) -> str:
    """JSON text of an answer (finite numbers only)."""
    return json.dumps(data, allow_nan=False, separators=(",", ":"))


def decisions_json(decisions: Decisions) -> dict[str, Any]:
    """Decisions as the wire and the store carry them: only the choices made."""
    return decisions.model_dump(mode="json", exclude_unset=True)


# ---------------------------------------------------------------------- engine objects
@cache
def _adapter(kind: str) -> TypeAdapter[Any]:
    from engine.company import OrgView
    from engine.lines import Outlook
    from engine.preview import Preview
    from engine.view import FirmView

    kinds: dict[str, Any] = {
        "firm": FirmView,
        "org": OrgView,
        "outlook": Outlook,
        "preview": Preview,
        "map": TeamMap,
        "problem": list[Problem],
    }
    return TypeAdapter(kinds[kind])


def to_json(kind: str, obj: Any) -> Any:
    """An engine object a team may see, as JSON data (``kind``: firm, org, outlook, preview,
    map or problem)."""
    return _adapter(kind).dump_python(obj, mode="json")


def from_json(kind: str, data: Any) -> Any:
    """The engine object back from :func:`to_json` data; :class:`WireError` if it is not."""
    try:
        return _adapter(kind).validate_python(data)
    except ValidationError as exc:
        raise WireError(
            phrase("ws_errors.sent_does_not_fit", kind=kind, reason=exc.errors()[0]["msg"])
        ) from None


def people_problems(people: Any, firm: str) -> list[str]:
    """What is wrong with the colleagues a host sent for a team's ``firm``: another firm's
    colleagues, texts or lists over the bounds, numbers that are not finite, trust outside
    0..1, request keys that are not ``<colleague>.<request>``."""
    if people is None:
        return []
    if people.firm != firm:
        return [phrase("workshop_people.not_your_colleagues", firm=_cut(people.firm))]
    problems: list[str] = []
    _bounded(people, "people", problems)
    for c in people.colleagues:
        if not (0.0 <= c.trust <= 1.0 and 0.0 <= c.trust_before <= 1.0):
            problems.append(phrase("workshop_people.bad_trust", colleague=_cut(c.id)))
    for r in [*people.requests, *people.responses, *people.promises]:
        if not ANSWER_KEY.fullmatch(r.key):
            problems.append(phrase("workshop_people.bad_request_key", name=_cut(r.key)))
    return problems


def _bounded(value: Any, where: str, problems: list[str]) -> None:
    """Add a problem for each text, list or number in ``value`` outside the wire's bounds."""
    if problems:
        return  # the first is enough to refuse the package
    if isinstance(value, str):
        if len(value) > MAX_PEOPLE_TEXT:
            problems.append(phrase("workshop_people.too_long", where=where))
    elif isinstance(value, float):
        if not math.isfinite(value):
            problems.append(phrase("workshop_people.not_finite", where=where))
    elif isinstance(value, list | tuple | dict):
        if len(value) > MAX_PEOPLE_ITEMS:
            problems.append(phrase("workshop_people.too_many", where=where))
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        for k, v in pairs:
            _bounded(k, where, problems)
            _bounded(v, f"{where}.{k}", problems)
    elif is_dataclass(value):
        for f in fields(value):
            _bounded(getattr(value, f.name), f"{where}.{f.name}", problems)


@dataclass
class Package:
    """Everything a team's client needs to show its hub for the open round."""

    session: dict[str, Any]  # id, scenario_id, mode, role, coach
    team: str
    round: int
    rounds: int
    finished: bool
    submitted: bool
    scenario: Scenario  # the team's market (its own firm under its market id)
    source: str  # the session's scenario text, exactly as stored
    market_teams: list[tuple[str, str]]  # (team id, name) of a shared market; [] parallel
    map: TeamMap
    firm: Any  # engine.view.FirmView, organisation included
    scorecard: dict[str, Any]
    draft: Decisions  # where the team's draft starts (scenario ids)
    previous: Decisions | None  # what the team played last round (scenario ids)
    leaderboard: list[dict[str, Any]]
    deadline: float | None
    company: CompanyPart | None = None  # a company seat's: its seat, direction, flags, shares


def pack(p: Package) -> dict[str, Any]:
    """A package as JSON data."""
    firm = to_json("firm", p.firm)
    firm.pop("scenario", None)  # sent once, below
    firm["organisation"] = to_json("org", p.firm.organisation)
    return {
        "session": p.session,
        "team": p.team,
        "round": p.round,
        "rounds": p.rounds,
        "finished": p.finished,
        "submitted": p.submitted,
        # The market is rebuilt by the client exactly as the host built it: the scenario's
        # text through the same loader, then the same shared-market clone (a shared market
        # may hold more items than an author may write, so it is never re-validated whole).
        "source": p.source,
        "market_teams": [list(t) for t in p.market_teams],
        "map": to_json("map", p.map),
        "firm": firm,
        "scorecard": p.scorecard,
        "draft": decisions_json(p.draft),
        "previous": None if p.previous is None else decisions_json(p.previous),
        "leaderboard": p.leaderboard,
        "deadline": p.deadline,
        "company": None if p.company is None else p.company.model_dump(mode="json"),
    }


@lru_cache(maxsize=2)
def market(source: str, teams: tuple[tuple[str, str], ...]) -> Scenario:
    """The team's market from the session's scenario text: the scenario itself (parallel
    worlds) or its shared market of ``teams`` (id, name). Remembered: it is the same every
    round. :class:`WireError` when the text does not load."""
    from engine.loader import ScenarioError, load_scenario_text
    from engine.teams import shared_market

    if len(source) > MAX_SCENARIO:
        raise WireError(phrase("ws_errors.scenario_too_large"))
    try:
        from game.translation import language  # the author's text in the team's language

        authored = load_scenario_text(source, "the workshop's scenario", language=language())
        if not teams:
            return authored
        return shared_market(authored, [i for i, _ in teams], dict(teams))
    except ScenarioError as exc:
        raise WireError(
            phrase("ws_errors.scenario_does_not_load", reason=str(exc.problems[0]))
        ) from None
    except ValueError as exc:
        raise WireError(phrase("ws_errors.market_not_rebuilt", reason=str(exc))) from None


def unpack(data: Any) -> Package:
    """A package from the host's JSON; :class:`WireError` when it does not fit."""
    try:
        teams = [(str(i), str(n)) for i, n in data["market_teams"]]
        scenario = market(str(data["source"]), tuple(teams))
        firm_data = dict(data["firm"])
        org = from_json("org", firm_data.pop("organisation"))
        firm = from_json("firm", {**firm_data, "scenario": scenario, "organisation": None})
        firm.organisation = org
        team_map = from_json("map", data["map"])
        sent = [org.people, *(p for r in firm.history for p in r.people.values())]
        for people in sent:
            found = people_problems(people, team_map.firm)
            if found:
                raise WireError(phrase("ws_errors.package_does_not_fit", reason=found[0]))
        previous = data["previous"]
        deadline = data["deadline"]
        company = data.get("company")
        return Package(
            session=dict(data["session"]),
            team=str(data["team"]),
            round=int(data["round"]),
            rounds=int(data["rounds"]),
            finished=bool(data["finished"]),
            submitted=bool(data["submitted"]),
            scenario=scenario,
            source=str(data["source"]),
            market_teams=teams,
            map=team_map,
            firm=firm,
            scorecard=dict(data["scorecard"]),
            draft=Decisions.model_validate(data["draft"]),
            previous=None if previous is None else Decisions.model_validate(previous),
            leaderboard=list(data["leaderboard"]),
            deadline=None if deadline is None else float(deadline),
            company=None if company is None else CompanyPart.model_validate(company),
        )
    except WireError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise WireError(phrase("ws_errors.package_does_not_fit", reason=str(exc))[:200]) from None
