"""Several teams in one market: the *shared market* scenario and the team ↔ firm id mapping.

In a workshop's *shared market* every team runs a rival copy of the scenario's player firm.
:func:`shared_market` derives that scenario from the authored one, as a pure function:

* the player firm is cloned once per team; the firm, its products, the backlog items of its
  products, and the objectives about one of its products get the suffix ``_<team>``
  (``teamboard`` → ``teamboard_a``), dependencies and bet unlocks follow their items;
* cash, culture and engineering teams are cloned (every team starts the same company);
* starting customers are divided equally, so the market holds as many buyers as authored;
  starting awareness is split through its paid goodwill (each clone gets 1/N of the goodwill
  and of the installed base), so the clones together advertise as much as the original did;
* events that touch the player firm's products or name the player firm touch every clone;
* the player firm's colleagues (``stakeholders``) are cloned once per team (``sales`` →
  ``sales_a``), each tied to its team's clone of their line (by default the firm's first
  line), so every team's firm has its own colleagues with their own trust and promises; what
  their requests ask for, wait for and bring that names the player firm, its products or
  their items names the team's clones instead.

Teams write their decision sheets with the scenario's own ids; :class:`TeamMap` renames a
team's decisions into its clone's ids (and the engine's messages back), so a sheet reads the
same in both workshop modes: answers to colleagues are keyed ``sales.northwind`` on a sheet
and ``sales_a.northwind`` in the market. In *parallel* mode no derivation is needed: each
team plays the authored scenario in its own simulation with the same seed.

Hidden truths of cloned backlog items (true effort and effects) are drawn independently for
each team, as they would be for real rivals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import awareness as aw
from engine.decisions import Decisions
from engine.scenario import (
    BacklogItem,
    Event,
    Firm,
    InnovationBet,
    Objective,
    Scenario,
    Stakeholder,
)

TEAM_ID = re.compile(r"^[a-z][a-z0-9]{0,7}$")
"""A team id: a short lower-case slug (it becomes a suffix of firm and product ids)."""
ID_LENGTH = 40


def clone_id(base: str, team: str) -> str:
    """``base`` suffixed with ``_team``, cut to the scenario id length limit."""
    suffix = f"_{team}"
    return base[: ID_LENGTH - len(suffix)] + suffix


def team_ids(names: Sequence[str]) -> list[str]:
    """Short unique team ids for display names: their slug when usable, else ``t1``, ``t2``...

    ``["Team A", "Team B"]`` gives ``["teama", "teamb"]``; names whose slugs clash or are
    empty all get positional ids so the mapping stays stable and readable.
    """
    slugs = [re.sub(r"[^a-z0-9]", "", n.lower())[:8] for n in names]
    if len(set(slugs)) == len(slugs) and all(TEAM_ID.match(s) for s in slugs):
        return slugs
    return [f"t{i + 1}" for i in range(len(names))]


def player_firm(scenario: Scenario) -> Firm:
    """The scenario's one player firm (workshops need exactly one to clone)."""
    firms = scenario.player_firms()
    if len(firms) != 1:
        raise ValueError(
            f"scenario '{scenario.id}' has {len(firms)} player firms; a workshop needs exactly one"
        )
    return firms[0]


@dataclass(frozen=True)
class TeamMap:
    """How one team's ids in the authored scenario map to its clone in the shared market."""

    team: str
    firm: str
    products: Mapping[str, str]  # authored product id -> clone id
    items: Mapping[str, str]  # authored backlog item id -> clone id
    colleagues: Mapping[str, str] = field(default_factory=dict)  # authored colleague -> clone

    @classmethod
    def of(cls, scenario: Scenario, team: str) -> TeamMap:
        """The mapping of ``team`` for the authored ``scenario``."""
        firm = player_firm(scenario)
        own = {p.id for p in firm.products}
        return cls(
            team=team,
            firm=clone_id(firm.id, team),
            products={p.id: clone_id(p.id, team) for p in firm.products},
            items={b.id: clone_id(b.id, team) for b in scenario.backlog if b.product in own},
            colleagues={s.id: clone_id(s.id, team) for s in _own_colleagues(scenario, own)},
        )

    @classmethod
    def identity(cls, scenario: Scenario) -> TeamMap:
        """The mapping of a team playing the authored firm itself (parallel mode)."""
        firm = player_firm(scenario)
        own = {p.id for p in firm.products}
        return cls(
            team="",
            firm=firm.id,
            products={p.id: p.id for p in firm.products},
            items={b.id: b.id for b in scenario.backlog if b.product in own},
            colleagues={s.id: s.id for s in _own_colleagues(scenario, own)},
        )

    def _p(self, pid: str) -> str:
        return self.products.get(pid, pid)

    def _answer_key(self, key: str) -> str:
        """A ``<colleague>.<request>`` answer key with the colleague in the market's id."""
        person, dot, request = key.partition(".")
        return f"{self.colleagues.get(person, person)}{dot}{request}"

    def to_market(self, dec: Decisions) -> Decisions:
        """A team's decisions (authored ids) in its clone's ids."""
        # Only fields the team set are touched: which line fields a CPO set decides what the
        # AI PMs fill in, so a rename must not mark a field as set.
        products = {}
        for pid, pd in dec.products.items():
            if "roadmap" in pd.model_fields_set:
                pd = pd.model_copy(update={"roadmap": [self.items.get(i, i) for i in pd.roadmap]})
            products[self._p(pid)] = pd
        renamed: dict[str, Any] = {
            "products": products,
            "themes": {self._p(k): v for k, v in dec.themes.items()},
            "mentoring": {self._p(k): v for k, v in dec.mentoring.items()},
            "sunset": [self._p(k) for k in dec.sunset],
            "responses": {self._answer_key(k): v for k, v in dec.responses.items()},
        }
        return dec.model_copy(
            update={k: v for k, v in renamed.items() if k in dec.model_fields_set}
        )

    def to_team(self, dec: Decisions) -> Decisions:
        """The reverse of :meth:`to_market`: clone ids back to the authored ones."""
        back = TeamMap(
            self.team,
            self.firm,
            {v: k for k, v in self.products.items()},
            {v: k for k, v in self.items.items()},
            {v: k for k, v in self.colleagues.items()},
        )
        return back.to_market(dec)

    def local_id(self, market_id: str) -> str:
        """The authored id of a clone product, item or colleague (other ids unchanged)."""
        for table in (self.products, self.items, self.colleagues):
            for authored, clone in table.items():
                if clone == market_id:
                    return authored
        return market_id

    def local_key(self, market_key: str) -> str:
        """An answer key of the market (``sales_a.northwind``) as a sheet writes it."""
        back = {clone: authored for authored, clone in self.colleagues.items()}
        person, dot, request = market_key.partition(".")
        return f"{back.get(person, person)}{dot}{request}"

    def local_text(self, text: str) -> str:
        """``text`` (an engine message) with the clone's ids replaced by the authored ones."""
        pairs = sorted(
            [*self.products.items(), *self.items.items(), *self.colleagues.items()],
            key=lambda kv: -len(kv[1]),
        )
        for authored, clone in pairs:
            if authored != clone:
                text = re.sub(rf"\b{re.escape(clone)}\b", authored, text)
        return text


def _split_awareness(
    scenario: Scenario, customers: Mapping[str, float], awareness: Mapping[str, float], n: int
) -> dict[str, float]:
    """Awareness of one of ``n`` clones: 1/n of the paid goodwill and of the installed base."""
    sizes = {s.id: s.size for s in scenario.segments}
    adv = scenario.advertising
    out = {}
    for seg, a in awareness.items():
        installed = np.array([customers.get(seg, 0.0) / sizes[seg]])
        goodwill = aw.starting_goodwill(np.array([a]), installed, adv)
        out[seg] = float(aw.awareness_target(goodwill / n, installed / n, adv)[0])
    return out


def _with_label(name: str, label: str, limit: int = 60) -> str:
    tail = f" ({label})"
    return name[: max(1, limit - len(tail))] + tail


def shared_market(
    scenario: Scenario, teams: Sequence[str], names: Mapping[str, str] | None = None
) -> Scenario:
    """The scenario with its player firm cloned once per team id (see the module docstring).

    ``names`` gives display labels per team id (default: the id). Raises ValueError for an
    unusable team list or a scenario without exactly one player firm.
    """
    if not teams:
        raise ValueError("a shared market needs at least one team")
    bad = [t for t in teams if not TEAM_ID.match(t)]
    if bad:
        raise ValueError(f"team ids must be short lower-case slugs, not {', '.join(bad)}")
    if len(set(teams)) != len(teams):
        raise ValueError("team ids must be unique")
    names = names or {}
    firm = player_firm(scenario)
    n = len(teams)
    maps = {t: TeamMap.of(scenario, t) for t in teams}
    own = set(maps[teams[0]].products)
    owned_items = set(maps[teams[0]].items)
    data = scenario.model_dump()

    firms: list[dict[str, Any]] = []
    for f in data["firms"]:
        if f["id"] != firm.id:
            firms.append(f)
            continue
        for t in teams:
            m, label = maps[t], names.get(t, t)
            clone = {**f, "id": m.firm, "name": _with_label(f["name"], label)}
            clone["products"] = [
                {
                    **p,
                    "id": m.products[p["id"]],
                    "name": _with_label(p["name"], label),
                    "customers": {s: c / n for s, c in p["customers"].items()},
                    "awareness": _split_awareness(scenario, p["customers"], p["awareness"], n),
                }
                for p in f["products"]
            ]
            firms.append(clone)

    def item(b: dict[str, Any], m: TeamMap) -> dict[str, Any]:
        deps = [m.items.get(d, d) for d in b["depends_on"]]
        return {
            **b,
            "id": m.items[b["id"]],
            "product": m.products[b["product"]],
            "depends_on": deps,
        }

    def objective(o: dict[str, Any], m: TeamMap) -> dict[str, Any]:
        return {**o, "id": clone_id(o["id"], m.team), "product": m.products[o["product"]]}

    backlog = _per_team(data["backlog"], lambda b: b["id"] in owned_items, item, maps)
    objectives = _per_team(data["objectives"], lambda o: o["product"] in own, objective, maps)
    for bet in data["bets"]:
        bet["unlocks"] = [
            clone for u in bet["unlocks"] for clone in _each(u, owned_items, maps, "items")
        ]

    # Built element by element: a workshop may hold more firms' items and objectives than
    # an author may write by hand, so only each element is validated, not the list lengths.
    events = [_shared_event(e, firm.id, own, maps) for e in scenario.events]
    return scenario.model_copy(
        update={
            "firms": [Firm.model_validate(f) for f in firms],
            "backlog": [BacklogItem.model_validate(b) for b in backlog],
            "bets": [InnovationBet.model_validate(b) for b in data["bets"]],
            "objectives": [Objective.model_validate(o) for o in objectives],
            "events": events,
            "stakeholders": _shared_people(scenario, data["stakeholders"], maps),
        }
    )


def _shared_people(
    scenario: Scenario, people: list[dict[str, Any]], maps: Mapping[str, TeamMap]
) -> list[Stakeholder]:
    """The colleagues with every one of the player firm's cloned once per team (more than an
    author may write: each is validated, not the list)."""
    firm = player_firm(scenario)
    mine = {s.id for s in _own_colleagues(scenario, {p.id for p in firm.products})}
    first = _first_line(firm)
    rows = _per_team(
        people,
        lambda s: s["id"] in mine,
        lambda s, m: _colleague(s, m, firm.id, first),
        maps,
    )
    return [Stakeholder.model_validate(s) for s in rows]


def _own_colleagues(scenario: Scenario, own: set[str]) -> list[Stakeholder]:
    """The colleagues of the player firm: those with no line of their own or one of its."""
    return [s for s in scenario.stakeholders if s.product is None or s.product in own]


def _first_line(firm: Firm) -> str:
    """The product a colleague without a line of their own works with: the firm's first line
    (the first product with a team; the engine picks the same one)."""
    return next((p.id for p in firm.products if p.team is not None), firm.products[0].id)


def _colleague(person: dict[str, Any], m: TeamMap, firm: str, first: str) -> dict[str, Any]:
    """A colleague's clone for one team: their id suffixed, tied to the team's clone of their
    line, and every request naming the team's clones (asks, conditions, effects)."""

    def refs(d: dict[str, Any] | None) -> dict[str, Any] | None:
        if d is None:
            return None
        out = dict(d)
        if out.get("product") is not None:
            out["product"] = m.products.get(out["product"], out["product"])
        if out.get("type") == "ship":
            out["item"] = m.items.get(out["item"], out["item"])
        if out.get("firm") == firm:
            out["firm"] = m.firm
        return out

    requests = []
    for r in person["requests"]:
        smaller = r["smaller"]
        requests.append(
            {
                **r,
                "ask": refs(r["ask"]),
                "smaller": None if smaller is None else {**smaller, "ask": refs(smaller["ask"])},
                "when": [refs(c) for c in r["when"]],
                **{part: [refs(e) for e in r[part]] for part in ("kept", "broken", "declined")},
            }
        )
    return {
        **person,
        "id": m.colleagues[person["id"]],
        "product": m.products[person["product"] or first],
        "requests": requests,
    }


def _per_team(
    rows: list[dict[str, Any]],
    owned: Callable[[dict[str, Any]], bool],
    clone: Callable[[dict[str, Any], TeamMap], dict[str, Any]],
    maps: Mapping[str, TeamMap],
) -> list[dict[str, Any]]:
    """``rows`` with every row the player firm owns replaced by one clone per team."""
    out = []
    for row in rows:
        out.extend([clone(row, m) for m in maps.values()] if owned(row) else [row])
    return out


def _each(value: str, owned: set[str], maps: Mapping[str, TeamMap], table: str) -> list[str]:
    if value not in owned:
        return [value]
    return [getattr(m, table)[value] for m in maps.values()]


def _shared_event(event: Event, firm: str, own: set[str], maps: Mapping[str, TeamMap]) -> Event:
    """``event`` with every effect on the player firm or its products applied to each clone.

    The result may hold more effects than an author may write: it is built, not parsed.
    """
    effects = []
    for eff in event.effects:
        product = getattr(eff, "product", None)
        ref = getattr(eff, "firm", None)
        per_team = product in own or ref == firm
        if per_team and ref in (firm, "player", "all") and hasattr(eff, "firm"):
            for m in maps.values():
                update: dict[str, Any] = {"firm": m.firm}
                if product is not None:
                    update["product"] = m.products[product]
                effects.append(eff.model_copy(update=update))
        elif product in own:
            effects.extend(
                eff.model_copy(update={"product": m.products[product]}) for m in maps.values()
            )
        else:
            effects.append(eff)
    return event.model_copy(update={"effects": effects})
