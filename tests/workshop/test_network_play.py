"""A network workshop end to end: a host process and four team client processes on 127.0.0.1.

Every team is its own long-lived process talking to ``crossroads workshop host`` over HTTP;
the facilitator plays each round over HTTP with the facilitator's code. The results the
teams and the facilitator receive, and the session file's replay, must equal the engine
driven directly with the same decisions (``shared_market`` + one ``Simulation``, or one
``Simulation`` per team), exactly. Then: a team client killed mid-round rejoins with its
kept draft or its hand-in, and a host killed with SIGKILL restarts on the same port having
lost no acknowledged hand-in while a team's live status stream reconnects by itself.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from functools import cache
from typing import Any

import pytest
from network_play import Processes, free_port, snapshot, wait_for
from pydantic import TypeAdapter
from workshop_script import ROUNDS, TEAMS, Reference, create_session, tutorial

from engine.company import OrgView
from engine.decisions import Decisions
from engine.kpis import LEADERBOARD
from engine.view import FirmView
from game.workshop import wire
from game.workshop.client import HostClient, Link
from game.workshop.session import WorkshopSession, session_path

SHEET_TEAMS = ("Alpha", "Bravo")  # edit the host's YAML sheet; the others hand in JSON


def _json(data: Any) -> Any:
    """``data`` as it comes out of JSON (what a client receives)."""
    return json.loads(wire.dump(data))


def _facilitator(url: str, code: str, method: str, path: str, body: Any = None) -> Any:
    async def go() -> Any:
        async with HostClient(url, code) as client:
            return await client.call(method, path, body)

    return asyncio.run(go())


def _varied(ref: Reference, round_: int) -> dict[str, dict[str, Any]]:
    """Each team's bot decisions, with prices and marketing moved per team and round, so no
    two teams and no two rounds hand in the same thing (scenario ids, as JSON)."""
    out = {}
    for i, (team, dec) in enumerate(ref.decide().items()):
        data = dec.model_dump(mode="json", exclude_unset=True)
        for line in data.get("products", {}).values():
            if line.get("price") is not None:
                line["price"] = round(line["price"] * (1 + 0.04 * ((i + round_) % 3 - 1)), 2)
            line["marketing"] = {
                s: float(round(v * (0.8 + 0.15 * round_) + 100 * i))
                for s, v in line.get("marketing", {}).items()
            }
        out[team] = data
    return out


def _board(ref: Reference, round_: int) -> list[dict[str, Any]]:
    """The leaderboard as the engine gives it directly: each team's scorecard and its
    firm's results (this quarter's, or the book's running totals), best score first."""
    rows = []
    for team in TEAMS:
        sim, m = ref.sims[team], ref.maps[team]
        card = sim.scorecard(m.firm)
        book = sim.company.books[m.firm]
        result = sim.history[-1].firms[m.firm]
        row = {
            "team": team,
            "firm": m.firm,
            "round": round_,
            "score": card["score"],
            "grade": card["grade"],
            "objective_score": card["objective_score"],
        }
        for k in LEADERBOARD:
            row[k] = getattr(result, k) if hasattr(result, k) else book.kpis[-1].get(k, 0.0)
        rows.append(row)
    rows.sort(key=lambda r: (-r["score"], -r["cumulative_profit"], TEAMS.index(r["team"])))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return _json(rows)


@cache
def _set_keys() -> frozenset[str]:
    """Fields of a team's view that are sets: JSON lists whose order is the sending
    process's set order (string hashing differs between processes), not information."""
    keys: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if any(o.get("uniqueItems") for o in [prop, *prop.get("anyOf", [])]):
                    keys.add(name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for kind in (FirmView, OrgView):
        walk(TypeAdapter(kind).json_schema(mode="serialization"))
    assert keys, "the views have set fields (shipped items, segments studied)"
    return frozenset(keys)


def _canonical(data: Any, key: str = "") -> Any:
    """JSON data with every set-valued list sorted."""
    if isinstance(data, dict):
        return {k: _canonical(v, k) for k, v in data.items()}
    if isinstance(data, list):
        items = [_canonical(v) for v in data]
        return sorted(items, key=repr) if key in _set_keys() else items
    return data


def _team_firm(ref: Reference, team: str) -> Any:
    """The firm a team may see, from the engine: its own organisation and explanations only."""
    sim, m = ref.sims[team], ref.maps[team]
    view = sim.view(m.firm)
    view.history = [
        replace(
            r,
            organisation={k: v for k, v in r.organisation.items() if k == m.firm},
            drivers=[d for d in r.drivers if d.firm == m.firm],
        )
        for r in view.history
    ]
    firm = wire.to_json("firm", view)
    firm.pop("scenario", None)
    firm["organisation"] = wire.to_json("org", view.organisation)
    return _json(firm)


@pytest.mark.parametrize("mode", ["shared", "parallel"])
def test_four_team_processes_play_three_rounds_like_the_engine(mode: str, procs: Processes) -> None:
    sid = f"ws-net-{mode}"
    create_session(mode, session_id=sid).close()
    host = procs.host(sid, free_port())
    assert set(host.codes) == set(TEAMS)
    teams = procs.teams(host.url, {t: host.codes[t] for t in TEAMS})
    ref = Reference(tutorial(), mode)

    for round_ in range(1, ROUNDS + 1):
        decisions = _varied(ref, round_)
        if round_ == 1:  # a team's window keeps a draft and checks it before handing in
            assert teams["Charlie"].ask(do="draft", decisions=decisions["Charlie"]) == {
                "kept": True
            }
            checked = teams["Charlie"].ask(do="check", decisions=decisions["Charlie"])
            assert checked["outlook"] is True, checked
        for team, process in teams.items():  # every team at once, as in a room
            process.tell(do="sheet" if team in SHEET_TEAMS else "submit", decisions=decisions[team])
        for team, process in teams.items():
            ack = process.answer()
            assert ack.get("round") == round_, (team, ack)
            if team in SHEET_TEAMS:
                assert ack["sheet"] == {"session": sid, "team": team, "round": round_}
        # The host recorded exactly what each team sent, once.
        recorded = WorkshopSession.open(sid)
        subs = recorded.store.all_submissions(round_)
        assert sorted(s.team for s in subs) == sorted(TEAMS)
        assert {s.team: s.decisions for s in subs} == decisions
        inject = ["viral_post"] if round_ == 2 else []
        for event in inject:  # another copy of the session changes the file while it is hosted
            recorded.inject(event)
        recorded.close()

        ref.step({t: Decisions.model_validate(d) for t, d in decisions.items()}, inject)
        done = _facilitator(
            host.url, host.facilitator, "POST", "/api/facilitator/resolve", {"keep_course": False}
        )
        assert done["round"] == round_ and done["kept_course"] == []
        assert done["finished"] == (round_ == ROUNDS)
        assert done["leaderboard"] == _board(ref, round_)

    # What each team's client receives equals what the engine shows that team.
    for team, process in teams.items():
        got = process.ask(do="package")
        raw = got["raw"]
        assert raw["team"] == team and raw["finished"] is True and raw["round"] == ROUNDS + 1
        assert _canonical(raw["firm"]) == _canonical(_team_firm(ref, team))
        assert raw["scorecard"] == _json(ref.sims[team].scorecard(ref.maps[team].firm))
        assert raw["leaderboard"] == _board(ref, ROUNDS)
        assert got["draft"] == decisions[team]  # the last round's hand-in
    # The session file replays to the very same quarter reports.
    replayed = WorkshopSession.open(sid)
    for team in TEAMS:
        ours = [json.dumps(r.to_dict(), sort_keys=True) for r in replayed.reports(team)]
        engine = [json.dumps(r.to_dict(), sort_keys=True) for r in ref.sims[team].history]
        assert ours == engine
    replayed.close()
    # Teams really played their own strategies.
    assert len({row["cash"] for row in _board(ref, ROUNDS)}) == len(TEAMS)


def test_a_killed_team_client_rejoins_with_its_draft_or_its_hand_in(procs: Processes) -> None:
    sid = "ws-net-rejoin"
    create_session("parallel", session_id=sid).close()
    host = procs.host(sid, free_port())
    draft = {
        "products": {
            "teamboard": {"price": 333.0, "marketing": {"smb": 2500.0}, "roadmap": ["api"]}
        },
        "hiring_freeze": True,
    }
    handed = {"products": {"teamboard": {"price": 275.5, "roadmap": ["refactor", "api", "sso"]}}}

    alpha, bravo = procs.teams(host.url, {t: host.codes[t] for t in ("Alpha", "Bravo")}).values()
    assert alpha.ask(do="draft", decisions=draft) == {"kept": True}
    ack = bravo.ask(do="submit", decisions=handed)
    assert ack.get("round") == 1, ack
    alpha.kill()  # kill -9 in the middle of the round
    bravo.kill()

    alpha_again, bravo_again = procs.teams(
        host.url, {t: host.codes[t] for t in ("Alpha", "Bravo")}
    ).values()
    got = alpha_again.ask(do="package")
    assert got["draft"] == draft  # package().draft: the kept draft, as the team left it
    assert got["raw"]["submitted"] is False
    got = bravo_again.ask(do="package")
    assert got["raw"]["submitted"] is True
    assert got["draft"] == handed  # its hand-in is where its draft starts
    status = bravo_again.ask(do="status")
    assert status["submitted"] is True and status["team"] == "Bravo"
    assert status["handed_in"] == 1 and status["round"] == 1
    # A newer draft replaces the kept one; nothing else changed.
    newer = {"products": {"teamboard": {"price": 301.0}}}
    assert alpha_again.ask(do="draft", decisions=newer) == {"kept": True}
    assert alpha_again.ask(do="package")["draft"] == newer


def test_a_host_killed_mid_round_restarts_without_losing_a_hand_in(procs: Processes) -> None:
    sid = "ws-net-restart"
    create_session("shared", session_id=sid).close()
    port = free_port()
    host = procs.host(sid, port)
    url, fac = host.url, host.facilitator

    link = Link(url, host.codes["Charlie"])  # the team's window: a live status stream
    try:
        link.watch()
        wait_for(lambda: link.state == "connected" and link.status, 30, "the live stream")
        assert link.status is not None and link.status["handed_in"] == 0

        clients = procs.teams(url, host.codes)
        alpha, bravo, charlie, delta = (clients[t] for t in TEAMS)
        assert (
            alpha.ask(do="sheet", decisions={"products": {"teamboard": {"price": 290.0}}})["round"]
            == 1
        )
        assert (
            bravo.ask(do="submit", decisions={"products": {"teamboard": {"price": 310.0}}})["round"]
            == 1
        )
        charlie_draft = {"products": {"teamboard": {"price": 299.0, "roadmap": ["api", "sso"]}}}
        assert charlie.ask(do="draft", decisions=charlie_draft) == {"kept": True}
        wait_for(lambda: (link.status or {}).get("handed_in") == 2, 30, "the pushed status")

        # Delta hands in again and again; the host is killed while it does.
        delta.tell(do="storm", count=400, price=200.0, product="teamboard")
        acks = [delta.answer() for _ in range(3)]
        host.kill()
        while "ack" in (last := delta.answer()):
            acks.append(last)
        assert "error" in last and last["status"] == 0, last  # the host is gone
        acked = {a["price"] for a in acks}
        before = snapshot(session_path(sid))
        wait_for(lambda: link.state == "lost", 30, "the stream to notice")

        again = procs.host(sid, port)  # the same port, the same codes
        assert (again.codes, again.facilitator) == (host.codes, fac)
        code, out, err = procs.run("workshop", "status", "--host", url, "--code", fac)
        assert code == 0, err
        assert "round 1 of 3, 3 of 4 teams handed in" in out
        for team in ("Alpha", "Bravo", "Delta"):
            assert f"  {team}: handed in" in out, out
        assert "  Charlie: not yet" in out, out

        # Nothing acknowledged was lost: every acknowledged hand-in is in the file.
        after = WorkshopSession.open(sid)
        stored = [s for s in after.store.all_submissions(1) if s.team == "Delta"]
        prices = {s.decisions["products"]["teamboard"]["price"] for s in stored}
        assert acked <= prices
        assert len(stored) <= len(acked) + 1  # at most one on disk but not yet acknowledged
        assert after.submitted() == {"Alpha": True, "Bravo": True, "Charlie": False, "Delta": True}
        assert snapshot(session_path(sid)) == before  # the restart itself wrote nothing
        after.close()

        # The team's stream reconnected by itself and shows the file as it is (its backoff
        # grows while the host is down: up to 15 s between tries).
        wait_for(lambda: link.state == "connected", 60, "the stream to reconnect")
        wait_for(lambda: (link.status or {}).get("handed_in") == 3, 30, "the status after restart")
        # Charlie's client (its connection to the old host is dead) carries on.
        got = charlie.ask(do="package")
        assert got["draft"] == charlie_draft  # the kept draft survived the crash
        ack = charlie.ask(do="submit", decisions=charlie_draft)
        assert ack.get("round") == 1, ack
        wait_for(lambda: (link.status or {}).get("handed_in") == 4, 30, "Charlie's hand-in")
        done = _facilitator(url, fac, "POST", "/api/facilitator/resolve", {})
        assert done["round"] == 1 and done["kept_course"] == []
        wait_for(lambda: (link.status or {}).get("round") == 2, 30, "round 2 on the stream")
    finally:
        link.close()
