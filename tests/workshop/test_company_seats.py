"""Company workshops (issue 20): every team a company, every seat handing in on its own, in
one shared market or in parallel worlds, over the session and over the network."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from engine.company_mode import CpoTurn, PmTurn, combine
from engine.decisions import Decisions
from engine.simulation import Simulation
from engine.teams import TeamMap, shared_market
from game.paths import find_scenario
from game.workshop.client import HostClient, RemoteError
from game.workshop.company_seats import key_words, seat_key, split_key
from game.workshop.host import Host, HostThread
from game.workshop.session import WorkshopError, WorkshopSession, workshops_dir

TEAMS = ["Alpha", "Beta"]
STUDY = {"method": "interviews", "segment": "schools"}
RESOLUTION = 60


def _company(mode: str = "shared", rounds: int = 3) -> WorkshopSession:
    path = find_scenario("portfolio")
    assert path is not None
    return WorkshopSession.create(
        path.read_text(),
        teams=list(TEAMS),
        mode=mode,
        rounds=rounds,
        seed=11,
        resolution=RESOLUTION,
        company=True,
    )


def _turns(s: WorkshopSession, team: str, quarter: int) -> dict[str, dict[str, Any]]:
    """Every seat's hand-in for one company and one round (different per team and round)."""
    classroom, tutor, _ = list(s.lines)
    bump = 1.0 + 0.05 * quarter + (0.1 if team == "Beta" else 0.0)
    share = {"studies": [{"quarter": 1, **STUDY}], "note": "Schools want reports"}
    return {
        "cpo": {
            "decisions": {"themes": {classroom: "growth", tutor: "profit"}},
            "company": {
                "direction": {classroom: {"budget": 40000.0, "strategy": "Win the schools"}}
            },
        },
        f"pm:{classroom}": {
            "decisions": {
                "products": {
                    classroom: {
                        "price": round(9.0 * bump, 2),
                        **({"research": [STUDY]} if quarter == 1 else {}),
                    }
                }
            },
            "company": {"share": share if quarter == 2 else None},
        },
        f"pm:{tutor}": {"decisions": {"products": {tutor: {"price": round(14.0 * bump, 2)}}}},
    }


def _hand_in_everything(s: WorkshopSession, quarter: int) -> None:
    for team in TEAMS:
        for seat, body in _turns(s, team, quarter).items():
            s.submit_seat(team, seat, body["decisions"], body.get("company"))


def test_every_seat_has_its_own_code_and_the_company_waits_for_all_its_seats() -> None:
    s = _company()
    assert s.seat_ids() == ["cpo", "pm:classroom", "pm:tutor", "pm:exam_prep"]
    codes = s.join_codes()
    assert set(codes) == {*s.seat_keys(), ""} and len(set(codes.values())) == 9
    assert key_words(seat_key("Alpha", "pm:tutor"), s.lines) == "Alpha — PM of Quill Tutor"
    assert split_key(seat_key("Alpha", "cpo")) == ("Alpha", "cpo")
    body = _turns(s, "Alpha", 1)["cpo"]
    s.submit_seat("Alpha", "cpo", body["decisions"], body["company"])
    assert s.seat_status()["Alpha"] == {
        "cpo": True,
        "pm:classroom": False,
        "pm:tutor": False,
        "pm:exam_prep": False,
    }
    assert s.waiting_for() == TEAMS  # a company has handed in once every seat has
    with pytest.raises(WorkshopError):
        s.resolve()
    result = s.resolve(keep_course=True)  # Beta's CPO keeps course; AI PMs plan the rest
    assert "Beta — CPO" in result.kept_course and "Alpha — CPO" not in result.kept_course
    assert "Alpha — PM of Quill Tutor" in result.kept_course


@pytest.mark.parametrize("mode", ["shared", "parallel"])
def test_a_company_round_is_its_seats_turns_combined_as_the_engine_plays_them(mode: str) -> None:
    s = _company(mode)
    for quarter in (1, 2):  # the exam-prep PM never hands in: its AI PM plans that line
        _hand_in_everything(s, quarter)
        s.resolve(keep_course=True)
    # the engine driven directly: each company's seats' turns combined, then played
    scenario = s.scenario
    if mode == "shared":
        ids = list(s.team_ids.values())
        sims = dict.fromkeys(
            TEAMS,
            Simulation(
                shared_market(scenario, ids, s.team_ids_names()),
                seed=11,
                role="cpo",
                resolution=RESOLUTION,
            ),
        )
        maps = {t: TeamMap.of(scenario, s.team_ids[t]) for t in TEAMS}
    else:
        sims = {t: Simulation(scenario, seed=11, role="cpo", resolution=RESOLUTION) for t in TEAMS}
        maps = {t: TeamMap.identity(scenario) for t in TEAMS}
    for quarter in (1, 2):
        played = {}
        for t in TEAMS:
            turns = _turns(s, t, quarter)
            cpo = CpoTurn(
                decisions=Decisions.model_validate(turns["cpo"]["decisions"]),
                direction=turns["cpo"]["company"]["direction"],
            )
            pms = {
                seat[3:]: PmTurn(
                    decision=Decisions.model_validate(body["decisions"]).products[seat[3:]]
                )
                for seat, body in turns.items()
                if seat != "cpo"
            }
            played[t] = maps[t].to_market(combine(scenario, cpo, pms)[0])
        if mode == "shared":
            sims[TEAMS[0]].step({maps[t].firm: played[t] for t in TEAMS})
        else:
            for t in TEAMS:
                sims[t].step({maps[t].firm: played[t]})
    for t in TEAMS:
        got = [r.to_dict() for r in s.reports(t)]
        want = [r.to_dict() for r in sims[t].history]
        assert json.dumps(got, sort_keys=True) == json.dumps(want, sort_keys=True)
    assert s.company_log("Alpha").rounds[0].missing == ["pm:exam_prep"]


def test_a_pms_research_is_its_own_until_shared_with_the_cpo() -> None:
    s = _company()
    _hand_in_everything(s, 1)
    s.resolve(keep_course=True)

    def seen(seat: str) -> list[tuple[str, str]]:
        last = s.seat_view("Alpha", seat).history[-1]
        org = last.organisation[s.firm("Alpha")]
        return [(f["method"], f["segment"]) for f in org.research]

    assert seen("pm:classroom") == [("interviews", "schools")]
    assert seen("pm:tutor") == []  # the tutor's PM (a person) ran none
    ai = seen("cpo")  # the exam-prep AI PM shares what it learns with the CPO...
    assert ai and ("interviews", "schools") not in ai  # ...the classroom PM has not (yet)
    cpo_lines = s.seat_view("Alpha", "cpo").organisation.lines
    pm_lines = s.seat_view("Alpha", "pm:classroom").organisation.lines
    pm_belief = next(iter(pm_lines.values())).belief
    assert pm_belief.studies == 1 and pm_belief.segments_studied == {"schools"}
    assert all(v.belief.studies == len(ai) for v in cpo_lines.values())
    part = s.company_part("Alpha", "pm:classroom")
    assert [(x.quarter, x.method, x.segment) for x in part.studies] == [
        (1, "interviews", "schools")
    ]
    _hand_in_everything(s, 2)  # round 2: the PM shares the round-1 study, with a note
    s.resolve(keep_course=True)
    cpo_view = s.seat_view("Alpha", "cpo")
    first = cpo_view.history[1].organisation[s.firm("Alpha")]
    assert ("interviews", "schools") in [(f["method"], f["segment"]) for f in first.research]
    assert next(iter(cpo_view.organisation.lines.values())).belief.studies > len(ai)
    cpo = s.company_part("Alpha", "cpo")
    assert [(x.line, x.quarter) for x in cpo.shared] == [("classroom", 1)]
    assert [n.text for n in cpo.notes] == ["Schools want reports"]
    assert s.company_part("Alpha", "pm:tutor").shared == []  # another PM's share is not theirs


def test_flags_are_live_against_the_other_seats_turns_and_a_pm_sees_only_its_line() -> None:
    s = _company()
    classroom = "classroom"
    body = _turns(s, "Alpha", 1)["cpo"]
    s.keep_seat_draft("Alpha", "cpo", body["decisions"], body["company"])  # not handed in
    pm = s.company_part("Alpha", f"pm:{classroom}")
    assert pm.themes == {classroom: "growth"} and pm.direction[classroom].budget == 40000.0
    assert set(pm.lines) == set(s.lines)
    spend = {"products": {classroom: {"marketing": {"schools": 90000.0}}}}
    found = s.seat_problems("Alpha", f"pm:{classroom}", spend)
    flags = [p for p in found if p.where == "company"]
    assert len(flags) == 1 and flags[0].severity == "warning" and "budget" in flags[0].message
    warned = s.submit_seat("Alpha", f"pm:{classroom}", spend)  # handed in: flagged, played
    assert flags[0].message in warned and not any(w.startswith("Company") for w in warned)
    hires = {"products": {classroom: {"hires": 2}}}
    assert any("hire" in p.message for p in s.seat_problems("Alpha", f"pm:{classroom}", hires))
    view = s.seat_view("Alpha", f"pm:{classroom}")
    assert list(view.organisation.lines) == [s.worlds().maps["Alpha"].products[classroom]]
    assert view.role == "pm"
    # another PM's decisions never reach a PM: its own line only is kept from a hand-in
    s.submit_seat("Alpha", "pm:tutor", {"products": {classroom: {"price": 1.0}, "tutor": {}}})
    assert s.seat_turns(1)["Alpha"]["pm:tutor"].decision.price is None


def test_bad_seats_and_extras_are_refused_in_words() -> None:
    s = _company()
    with pytest.raises(WorkshopError, match="No such seat"):
        s.submit_seat("Alpha", "pm:nowhere", {})
    with pytest.raises(WorkshopError, match="company part"):
        s.submit_seat("Alpha", "cpo", {}, {"direction": {"classroom": {"budget": -5}}})
    with pytest.raises(WorkshopError, match="company part"):
        s.submit_seat("Alpha", "pm:tutor", {}, {"share": {"note": "x" * 5000}})
    with pytest.raises(WorkshopError, match="company part"):
        s.keep_seat_draft("Alpha", "cpo", {}, {"surprise": 1})
    pm_only = find_scenario("price_war")
    assert pm_only is not None
    with pytest.raises(WorkshopError, match="CPO role"):
        WorkshopSession.create(pm_only.read_text(), teams=TEAMS, mode="shared", company=True)
    plain = WorkshopSession.create(pm_only.read_text(), teams=TEAMS, mode="shared")
    with pytest.raises(WorkshopError, match="not companies"):
        plain.submit_seat("Alpha", "cpo", {})


# ---------------------------------------------------------------------- over the network
@pytest.fixture
def hosted() -> Iterator[tuple[WorkshopSession, HostThread]]:
    s = _company(rounds=2)
    thread = HostThread(Host(s.id, workshops_dir()), "127.0.0.1", 0)
    assert thread.wait_ready(), thread.error
    try:
        yield s, thread
    finally:
        thread.stop()


def test_a_cpo_and_two_pms_play_a_company_round_from_their_own_machines(
    hosted: tuple[WorkshopSession, HostThread],
) -> None:
    s, thread = hosted
    url = thread.host.addresses[0]
    codes = s.join_codes()
    classroom, tutor = "classroom", "tutor"
    turns = _turns(s, "Alpha", 1)

    async def play() -> dict[str, Any]:
        cpo = HostClient(url, codes[seat_key("Alpha", "cpo")])
        pm1 = HostClient(url, codes[seat_key("Alpha", f"pm:{classroom}")])
        pm2 = HostClient(url, codes[seat_key("Alpha", f"pm:{tutor}")])
        boss = HostClient(url, codes[""])
        async with cpo, pm1, pm2, boss:
            mine = await cpo.package()
            assert mine.company is not None and mine.company.seat == "cpo"
            assert mine.session["role"] == "cpo" and mine.team == "Alpha"
            theirs = await pm1.package()
            assert theirs.company is not None and theirs.session["role"] == "pm"
            assert list(theirs.firm.products) == [theirs.map.products[classroom]]
            assert theirs.company.direction == {}
            # the CPO drafts a direction: the PM sees it at once, before the CPO hands in
            cpo_turn = Decisions.model_validate(turns["cpo"]["decisions"])
            await cpo.keep_draft(cpo_turn, turns["cpo"]["company"])
            status = await pm1.status()
            assert status["themes"] == {classroom: "growth"}
            assert status["direction"][classroom]["strategy"] == "Win the schools"
            seen = await pm1.package()
            assert seen.company is not None and seen.company.direction[classroom].budget == 40000
            # a PM over the CPO's budget is flagged as it drafts
            over = Decisions.model_validate(
                {"products": {classroom: {"marketing": {"schools": 90000.0}}}}
            )
            problems, outlook = await pm1.check(over)
            assert outlook is None
            assert [p.where for p in problems if p.severity == "warning"] == ["company"]
            with pytest.raises(RemoteError) as refused:
                await pm1.check(over, {"share": {"note": 7}})
            assert refused.value.status in (400, 409)
            no_preview = await pm1.call("POST", "/api/preview", {"decisions": {}, "company": None})
            assert no_preview["preview"] is None and "preview" in no_preview["error"]
            # everyone hands in from their own machine
            await cpo.submit(cpo_turn, "alpha-cpo-0001", turns["cpo"]["company"])
            for client, seat in ((pm1, f"pm:{classroom}"), (pm2, f"pm:{tutor}")):
                body = turns[seat]
                decisions = Decisions.model_validate(body["decisions"])
                await client.submit(decisions, f"alpha-{seat[3:]}-01", body.get("company"))
            again = await cpo.submit(cpo_turn, "alpha-cpo-0001", turns["cpo"]["company"])
            assert again[0] == 1  # a retry is acknowledged, recorded once
            links = await boss.status()
            handed = {link["team"]: link["handed_in"] for link in links["team_links"]}
            assert handed[seat_key("Alpha", "cpo")] and not handed[seat_key("Beta", "cpo")]
            assert len(handed) == 8
            return await boss.resolve(keep_course=True)

    answer = asyncio.run(play())
    assert answer["round"] == 1
    # the host's session file replays to the same company round as the engine combines it
    s2 = WorkshopSession.open(s.id)
    played = s2.company_log("Alpha").rounds[0]
    assert played.cpo.direction["classroom"].strategy == "Win the schools"
    assert set(played.pms) == {classroom, tutor} and played.missing == ["pm:exam_prep"]
    assert len(s2.store.all_submissions(1)) == 3
    want = combine(s2.scenario, played.cpo, played.pms)[0]
    assert s2.played("Alpha")[0] == want


def test_a_pm_hears_the_cpos_direction_live_as_the_cpo_drafts_it(
    hosted: tuple[WorkshopSession, HostThread],
) -> None:
    s, thread = hosted
    url = thread.host.addresses[0]
    codes = s.join_codes()
    cpo_extra = {"direction": {"tutor": {"budget": 12000.0, "strategy": "Fewer, better"}}}

    async def listen() -> list[dict[str, Any]]:
        cpo = HostClient(url, codes[seat_key("Beta", "cpo")])
        pm = HostClient(url, codes[seat_key("Beta", "pm:tutor")])
        heard: list[dict[str, Any]] = []
        async with cpo, pm:
            stream = pm.live()
            heard.append(await asyncio.wait_for(anext(stream), 10))
            await cpo.keep_draft(
                Decisions.model_validate({"themes": {"tutor": "quality"}}), cpo_extra
            )
            while "Fewer, better" not in json.dumps(heard[-1]):
                heard.append(await asyncio.wait_for(anext(stream), 10))
            await stream.aclose()
        return heard

    heard = asyncio.run(listen())
    assert heard[0]["direction"] == {} and heard[0]["seats"]["pm:tutor"] is False
    assert heard[-1]["themes"] == {"tutor": "quality"}
    assert heard[-1]["direction"]["tutor"] == {"budget": 12000.0, "strategy": "Fewer, better"}
    assert set(heard[-1]["seats"]) == set(s.seat_ids())


def test_a_company_hands_in_by_seat_never_as_a_whole_team() -> None:
    s = _company()
    with pytest.raises(WorkshopError, match="each seat"):
        s.submit("Alpha", {"themes": {"tutor": "growth"}})
    with pytest.raises(WorkshopError, match="each seat"):
        s.keep_draft("Alpha", {})
    assert s.store.all_submissions(1) == []


@pytest.mark.parametrize("mode", ["shared", "parallel"])
def test_each_company_is_scored_per_seat_and_told_as_a_conversation(mode: str) -> None:
    s = _company(mode)
    for quarter in (1, 2):
        _hand_in_everything(s, quarter)
        s.resolve(keep_course=True)
    cards = s.company_scorecards("Alpha")
    assert cards["company"] == s.scorecard("Alpha")
    seats = cards["seats"]
    assert set(seats) == {
        "cpo",
        "pm:" + s.worlds().maps["Alpha"].products["classroom"],
        "pm:" + s.worlds().maps["Alpha"].products["tutor"],
    }
    by_line = {k.split(":")[1].split("_")[0]: v for k, v in seats.items() if k != "cpo"}
    # classroom was told "growth" (price down), tutor "profit" (price up); both PMs raised
    # their prices from Q1 to Q2, and moved from the starting price as it happened to be
    first = s.reports("Alpha")[0].products
    ids = s.worlds().maps["Alpha"].products
    classroom_q1 = first[ids["classroom"]].price >= 9.45
    tutor_q1 = first[ids["tutor"]].price <= 14.7
    assert (by_line["classroom"]["aligned"], by_line["classroom"]["themed"]) == (classroom_q1, 2)
    assert (by_line["tutor"]["aligned"], by_line["tutor"]["themed"]) == (tutor_q1 + 1, 2)
    assert by_line["classroom"]["shared_studies"] == 1 and seats["cpo"]["notes"] == 1
    words = [line.text for line in s.company_conversation("Alpha")]
    assert any("Win the schools" in w for w in words)
    assert any("Schools want reports" in w for w in words)


def test_the_cli_makes_and_takes_a_seats_sheet(
    capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    from game.cli import main

    s = _company()
    assert main(["workshop", "sheet", s.id, "--team", "Alpha"]) == 1
    assert "give --seat (cpo, pm:classroom" in capsys.readouterr().err
    out = tmp_path / "tutor.yaml"
    assert (
        main(["workshop", "sheet", s.id, "--team", "Alpha", "--seat", "pm:tutor", "-o", str(out)])
        == 0
    )
    sheet = out.read_text()
    assert "--seat pm:tutor" in sheet
    assert (
        main(
            [
                "workshop",
                "submit",
                s.id,
                "--team",
                "Alpha",
                "--seat",
                "pm:tutor",
                "--decisions",
                str(out),
            ]
        )
        == 0
    )
    assert "recorded Alpha's pm:tutor decisions for round 1" in capsys.readouterr().out
    assert WorkshopSession.open(s.id).seat_status()["Alpha"]["pm:tutor"] is True
    assert main(["workshop", "status", s.id]) == 0
    assert "round 1, Alpha: cpo …, pm:classroom …, pm:tutor ✓" in capsys.readouterr().out


def test_a_seat_hands_in_its_sheet_over_the_network(
    hosted: tuple[WorkshopSession, HostThread],
) -> None:
    s, thread = hosted
    url = thread.host.addresses[0]
    code = s.join_codes()[seat_key("Alpha", "cpo")]

    async def work() -> tuple[str, tuple[int, list[str]], tuple[int, list[str]]]:
        async with HostClient(url, code) as cpo:
            _, text = await cpo.sheet()
            filled = text.replace('"strategy": ""', '"strategy": "Grow the schools"', 1)
            first = await cpo.submit_sheet(filled, "sheet-cpo-0001")
            again = await cpo.submit_sheet(filled, "sheet-cpo-0001")
            return filled, first, again

    filled, first, again = asyncio.run(work())
    assert "Grow the schools" in filled and first[0] == again[0] == 1
    turn = WorkshopSession.open(s.id).seat_turns(1)["Alpha"]["cpo"]
    assert isinstance(turn, CpoTurn)
    assert turn.direction["classroom"].strategy == "Grow the schools"
    assert len(s.store.all_submissions(1)) == 1  # the retry was recorded once
