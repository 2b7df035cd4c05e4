"""Colleagues in workshops (issue 19): each team has its own colleagues, answers them through
its desk, a decision sheet or the network, and never sees another team's.

The fixture is the tutorial with a sales lead asking for single sign-on (the Northwind deal)
in quarter 1 and an engineering lead asking for debt time from quarter 2.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from engine.decisions import Decisions
from engine.loader import load_scenario
from engine.scenario import Scenario, reference_problems
from engine.simulation import Simulation
from engine.teams import TeamMap, shared_market
from game.workshop import wire
from game.workshop.client import HostClient, Link, RemoteError
from game.workshop.export import team_report
from game.workshop.host import Host, HostThread
from game.workshop.remote_desk import RemoteDesk
from game.workshop.session import WorkshopError, WorkshopSession, workshops_dir
from game.workshop.sheet import parse_sheet, template
from game.workshop.team_desk import TeamDesk

FIXTURE = Path(__file__).parent.parent / "fixtures" / "people" / "deal.yaml"
TEAMS = ["Alpha", "Bravo"]
SEED = 5
RESOLUTION = 100
ACCEPT = {"answer": "accept"}
DECLINE = {"answer": "decline", "reason": "capacity"}


def deal() -> Scenario:
    return load_scenario(FIXTURE)


def new_session(mode: str, rounds: int = 3, text: str | None = None) -> WorkshopSession:
    return WorkshopSession.create(
        text or FIXTURE.read_text(),
        teams=TEAMS,
        mode=mode,  # type: ignore[arg-type]
        seed=SEED,
        rounds=rounds,
        resolution=RESOLUTION,
    )


def answers(**by_key: dict[str, object]) -> Decisions:
    """Decisions that only answer colleagues (keys with '__' for '.')."""
    return Decisions.model_validate(
        {"responses": {k.replace("__", "."): v for k, v in by_key.items()}}
    )


# ---------------------------------------------------------------------- the shared market
def test_each_team_gets_its_own_colleagues_naming_its_own_clones() -> None:
    base = deal()
    shared = shared_market(base, ["a", "b"])
    assert reference_problems(shared) == []
    by_id = {s.id: s for s in shared.stakeholders}
    assert set(by_id) == {"sales_a", "sales_b", "eng_a", "eng_b"}
    for t in ("a", "b"):
        sales, eng = by_id[f"sales_{t}"], by_id[f"eng_{t}"]
        assert (sales.product, eng.product) == (f"teamboard_{t}", f"teamboard_{t}")
        northwind = sales.requests[0]
        assert northwind.ask.item == f"sso_{t}"  # type: ignore[union-attr]
        assert {e.product for e in northwind.kept} == {f"teamboard_{t}"}  # type: ignore[union-attr]
        assert northwind.text == base.stakeholders[0].requests[0].text
        assert eng.requests[0].kept[0].firm == f"player_{t}"  # type: ignore[union-attr]
    sim = Simulation(shared, seed=SEED, resolution=RESOLUTION)
    for t in ("a", "b"):
        people = sim.view(f"player_{t}").organisation.people
        assert [c.id for c in people.colleagues] == [f"sales_{t}", f"eng_{t}"]
        assert [r.key for r in people.requests] == [f"sales_{t}.northwind"]


def test_team_map_renames_answers_both_ways() -> None:
    m = TeamMap.of(deal(), "b")
    dec = answers(sales__northwind=ACCEPT)
    market = m.to_market(dec)
    assert list(market.responses) == ["sales_b.northwind"]
    assert m.to_team(market) == dec
    assert m.to_market(market) == market
    assert "responses" not in m.to_market(Decisions()).model_fields_set
    assert m.local_key("sales_b.northwind") == "sales.northwind"
    assert m.local_id("eng_b") == "eng"
    assert m.local_text("no colleague waits on 'x' (open requests: sales_b.northwind)") == (
        "no colleague waits on 'x' (open requests: sales.northwind)"
    )
    same = TeamMap.identity(deal())
    assert same.to_market(dec) == dec and same.colleagues == {"sales": "sales", "eng": "eng"}


def test_two_teams_answer_differently_and_each_matches_its_own_single_firm_game() -> None:
    session = new_session("shared")
    session.submit("Alpha", answers(sales__northwind=ACCEPT))
    session.submit("Bravo", answers(sales__northwind=DECLINE))
    session.resolve()
    solo = {}
    for team, answer in (("Alpha", ACCEPT), ("Bravo", DECLINE)):
        sim = Simulation(deal(), seed=SEED, resolution=RESOLUTION)
        solo[team] = sim.step({"player": answers(sales__northwind=answer)}).people["player"]
    for team in TEAMS:
        firm, m = session.firm(team), session.worlds().maps[team]
        mine = session.reports(team)[-1].people[firm]
        ref = solo[team]
        # The colleagues' side of the quarter is the single-firm game's, in the clone's ids.
        assert [(m.local_key(r.key), r.outcome) for r in mine.responses] == [
            (r.key, r.outcome) for r in ref.responses
        ]
        assert [(m.local_id(c.id), c.trust) for c in mine.colleagues] == [
            (c.id, c.trust) for c in ref.colleagues
        ]
        assert [m.local_key(p.key) for p in mine.promises] == [p.key for p in ref.promises]
    alpha = session.reports("Alpha")[-1].people[session.firm("Alpha")]
    bravo = session.reports("Bravo")[-1].people[session.firm("Bravo")]
    assert [r.outcome for r in alpha.responses] == ["accepted"]
    assert [r.outcome for r in bravo.responses] == ["declined"]
    assert alpha.colleagues[0].trust > bravo.colleagues[0].trust
    session.close()


def test_a_team_sees_only_its_own_colleagues_and_their_reactions() -> None:
    # A decline costs a little cash at once: Bravo's colleague reacts this very round.
    text = FIXTURE.read_text().replace(
        "        kept_text: Northwind signed",
        "        declined:\n          - {type: cash, change: -1000}\n"
        "        kept_text: Northwind signed",
    )
    session = new_session("shared", text=text)
    session.submit("Alpha", answers(sales__northwind=ACCEPT))
    session.submit("Bravo", answers(sales__northwind=DECLINE))
    session.resolve()
    market = session.reports("Alpha")[-1]
    assert [e["id"] for e in market.events if e.get("source") == "people"] == ["sales_bravo"]
    assert [e["id"] for e in session.team_view("Bravo").firm.history[-1].events] == ["sales_bravo"]
    assert session.team_view("Alpha").firm.history[-1].events == []
    for team in TEAMS:
        firm = session.firm(team)
        view = session.team_view(team).firm
        assert view.organisation.people.firm == firm
        for report in view.history:
            assert set(report.people) == {firm}
            mine = {c.id for c in report.people[firm].colleagues}
            assert all(e["id"] in mine for e in report.events if e.get("source") == "people"), (
                report.events
            )
    # Both firms' colleagues are in the market's report; the team views hold one each.
    assert len(session.reports("Alpha")[-1].people) == 2
    session.close()


# ---------------------------------------------------------------------- hot-seat
@pytest.mark.parametrize("mode", ["shared", "parallel"])
def test_a_hot_seat_team_accepts_a_request_at_its_desk(mode: str) -> None:
    session = new_session(mode)
    desk = TeamDesk(session, "Alpha")
    people = desk.org().people
    assert people is not None and len(people.requests) == 1
    key = people.requests[0].key  # in the ids of the team's market, as every tab reads it
    desk.draft.responses = Decisions.model_validate({"responses": {key: ACCEPT}}).responses
    errors, _ = desk.problems()
    assert errors == []
    assert any("Northwind" in line for line in desk.summary())
    assert desk.authored().responses["sales.northwind"].answer == "accept"
    desk.hand_in()
    session.submit("Bravo", Decisions())
    session.resolve()
    after = TeamDesk(session, "Alpha").org().people
    assert [p.key for p in after.promises] == [key]
    last = TeamDesk(session, "Alpha").history()[-1].people[desk.firm_id]
    assert [(r.key, r.outcome) for r in last.responses] == [(key, "accepted")]
    bravo = TeamDesk(session, "Bravo").history()[-1].people[session.firm("Bravo")]
    assert [r.outcome for r in bravo.responses] == ["ignored"]  # no answer at all
    session.close()


def test_a_wrong_answer_is_refused_in_the_teams_own_ids() -> None:
    session = new_session("shared")
    with pytest.raises(WorkshopError) as refused:
        session.submit("Alpha", answers(sales__nowhere=ACCEPT))
    text = " ".join(refused.value.problems)
    assert "sales.northwind" in text and "sales_alpha" not in text
    with pytest.raises(WorkshopError):
        session.submit("Alpha", answers(sales__northwind={"answer": "decline"}))  # no reason
    assert session.submitted()["Alpha"] is False
    session.close()


# ---------------------------------------------------------------------- decision sheets
def test_a_sheet_lists_the_requests_and_carries_the_answers() -> None:
    session = new_session("shared")
    sheet = template(session, "Alpha")
    assert "#   sales.northwind: Dana Okafor (sales): Northwind will sign" in sheet
    assert "  responses: {}" in sheet and "sales_alpha" not in sheet
    filled = sheet.replace(
        "  responses: {}",
        "  responses:\n    sales.northwind: {answer: negotiate, due: 7}\n    eng.later: null",
    )
    decisions = parse_sheet(filled, "the sheet", session, "Alpha")
    assert decisions.model_dump(mode="json", exclude_unset=True)["responses"] == {
        "sales.northwind": {"answer": "negotiate", "due": 7}
    }
    session.submit("Alpha", decisions)
    again = template(session, "Alpha")  # the hand-in's answers are on the next sheet
    assert '  responses: {"sales.northwind": {"answer": "negotiate", "due": 7}}' in again
    assert parse_sheet(again, "the sheet", session, "Alpha") == decisions
    session.close()


@pytest.mark.parametrize(
    ("responses", "expected"),
    [
        ("[accept]", "must map each request's key"),
        ("{Sales Northwind: {answer: accept}}", "'Sales Northwind' is not a request's key"),
        ("{sales.northwind: {answer: maybe}}", "decisions.responses.sales.northwind.answer"),
        ("{sales.northwind: {answer: accept, when: soon}}", "sales.northwind.when"),
    ],
)
def test_bad_answers_on_a_sheet_are_named(responses: str, expected: str) -> None:
    session = new_session("parallel")
    sheet = template(session, "Alpha").replace("  responses: {}", f"  responses: {responses}")
    sheet = sheet.replace("hiring_freeze: false", "hiring_freeze: maybe")  # named as well
    with pytest.raises(WorkshopError) as refused:
        parse_sheet(sheet, "the sheet", session, "Alpha")
    problems = " | ".join(refused.value.problems)
    assert expected in problems
    assert "hiring_freeze" in problems  # every problem at once
    session.close()


# ---------------------------------------------------------------------- export
def test_the_team_export_holds_its_colleagues_trust_and_promises() -> None:
    session = new_session("shared")
    session.submit("Alpha", answers(sales__northwind=ACCEPT))
    session.submit("Bravo", answers(sales__northwind=DECLINE))
    session.resolve()
    alpha, bravo = team_report(session, "Alpha"), team_report(session, "Bravo")
    json.dumps(alpha, allow_nan=False)
    assert [q["quarter"] for q in alpha["colleagues_by_quarter"]] == [0, 1]
    assert set(alpha["colleagues_by_quarter"][1]["colleagues"]) == {"sales", "eng"}
    a1 = alpha["colleagues_by_quarter"][1]["colleagues"]["sales"]
    b1 = bravo["colleagues_by_quarter"][1]["colleagues"]["sales"]
    assert a1["trust"] > b1["trust"] and (a1["kept"], a1["broken"]) == (0, 0)
    session.close()


# ---------------------------------------------------------------------- the wire
def _package(url: str, code: str) -> wire.Package:
    async def fetch() -> wire.Package:
        async with HostClient(url, code) as client:
            return await client.package()

    return asyncio.run(fetch())


@pytest.fixture
def hosted() -> Iterator[tuple[WorkshopSession, HostThread]]:
    session = new_session("shared")
    thread = HostThread(Host(session.id, workshops_dir()), "127.0.0.1", 0)
    assert thread.wait_ready(), thread.error
    yield session, thread
    thread.stop()
    session.close()


def test_a_network_team_answers_a_request_and_the_host_plays_it(
    hosted: tuple[WorkshopSession, HostThread],
) -> None:
    session, thread = hosted
    url, codes = thread.host.addresses[0], session.join_codes()
    link = Link(url, codes["Alpha"])
    try:
        desk = RemoteDesk(_package(url, codes["Alpha"]), link, local=False)
        people = desk.org().people
        assert people is not None and desk.map.colleagues == {
            "sales": "sales_alpha",
            "eng": "eng_alpha",
        }
        key = people.requests[0].key
        assert key == "sales_alpha.northwind"
        desk.draft.responses = Decisions.model_validate({"responses": {key: ACCEPT}}).responses
        round_, _ = desk.hand_in().result(30)
        assert round_ == 1
    finally:
        link.close()
    recorded = session.store.submissions(1)["Alpha"].decisions
    assert recorded["responses"] == {"sales.northwind": {"answer": "accept"}}  # authored ids
    session.submit("Bravo", Decisions())
    session.resolve()
    firm = session.firm("Alpha")
    host_side = session.reports("Alpha")[-1].people[firm]
    assert [(r.key, r.outcome) for r in host_side.responses] == [(key, "accepted")]
    again = _package(url, codes["Alpha"])  # what the team's client now shows
    assert again.firm.history[-1].people[firm] == host_side
    assert [p.key for p in again.firm.organisation.people.promises] == [key]
    other = _package(url, codes["Bravo"])  # another team never receives Alpha's colleagues
    text = wire.dump(wire.pack(other))
    assert "sales_alpha" not in text and set(other.firm.history[-1].people) == {
        session.firm("Bravo")
    }


@pytest.mark.parametrize(
    "responses",
    [
        ["sales.northwind"],
        {"x" * 5000: ACCEPT},
        {"Sales.Northwind": ACCEPT},
        {"sales": ACCEPT},
        {f"c{i}.r": ACCEPT for i in range(wire.MAX_ANSWERS + 1)},
    ],
)
def test_hostile_answers_are_refused_by_the_host_and_change_nothing(
    hosted: tuple[WorkshopSession, HostThread], responses: object
) -> None:
    session, thread = hosted
    mark = session.store.change_mark()

    async def send() -> None:
        async with HostClient(thread.host.addresses[0], session.join_codes()["Alpha"]) as c:
            await c.call(
                "POST", "/api/submit", {"id": "hostile-0001", "decisions": {"responses": responses}}
            )

    with pytest.raises(RemoteError) as refused:
        asyncio.run(send())
    assert refused.value.status == 400
    assert "responses" in refused.value.message
    assert session.store.change_mark() == mark


def _packed(session: WorkshopSession, team: str) -> dict[str, object]:
    host = Host(session.id, workshops_dir())
    host._session = session  # the package as the host makes it, without serving it
    return json.loads(wire.dump(host._package(team)))


def test_a_package_carries_the_teams_colleagues_and_hostile_ones_are_refused() -> None:
    session = new_session("shared")
    data = _packed(session, "Alpha")
    package = wire.unpack(data)
    assert package.firm.organisation.people == session.team_view("Alpha").firm.organisation.people

    def spoiled(change: object) -> dict[str, object]:
        copy = json.loads(json.dumps(data))
        change(copy["firm"]["organisation"]["people"])  # type: ignore[operator]
        return copy

    def other_firm(p: dict) -> None:  # type: ignore[type-arg]
        p["firm"] = "player_bravo"

    def long_text(p: dict) -> None:  # type: ignore[type-arg]
        p["requests"][0]["text"] = "x" * (wire.MAX_PEOPLE_TEXT + 1)

    def trust(p: dict) -> None:  # type: ignore[type-arg]
        p["colleagues"][0]["trust"] = 7.0

    def key(p: dict) -> None:  # type: ignore[type-arg]
        p["requests"][0]["key"] = "<script>"

    def many(p: dict) -> None:  # type: ignore[type-arg]
        p["colleagues"][0]["why"] = ["x"] * (wire.MAX_PEOPLE_ITEMS + 1)

    def not_a_list(p: dict) -> None:  # type: ignore[type-arg]
        p["requests"] = "everything"

    for change in (other_firm, long_text, trust, key, many, not_a_list):
        with pytest.raises(wire.WireError, match="does not fit"):
            wire.unpack(spoiled(change))
    history = json.loads(json.dumps(data))
    people = history["firm"]["history"][0]["people"]
    people["player_bravo"] = replace_firm(people["player_alpha"], "player_bravo")
    with pytest.raises(wire.WireError, match="another firm"):
        wire.unpack(history)
    session.close()


def replace_firm(people: dict, firm: str) -> dict:  # type: ignore[type-arg]
    return {**people, "firm": firm}


def test_problems_are_named_in_words() -> None:
    good = Simulation(deal(), seed=SEED, resolution=RESOLUTION).view("player").organisation.people
    assert wire.people_problems(good, "player") == []
    assert wire.people_problems(None, "player") == []
    bad = replace(good, notes={"x": float("nan")})
    assert wire.people_problems(bad, "player") == ["a number at people.notes.x is not finite"]
    assert wire.answer_problems({"responses": {"a.b": {}}}) == []


def test_a_hosts_english_refusal_of_an_answer_is_shown_in_the_teams_language() -> None:
    from game.translation import set_language
    from game.workshop.words import shown

    english = str(wire.answer_problems({"responses": {"Sales": ACCEPT}})[0])
    assert english.startswith("decisions.responses: 'Sales' is not a request's key")
    set_language("de")
    try:
        assert shown(english).startswith("decisions.responses: 'Sales' ist kein Schlüssel")
    finally:
        set_language("en")
