"""What the host and the session keep between requests (benchmarks/workshop_lan.py measures
why): replays, leaderboards, team packages and desks are reused only while the session file
says nothing changed, and one look at the file pushes the status for many hand-ins."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from workshop_script import TEAMS, create_session

from engine.decisions import Decisions, ProductDecision
from game.workshop import wire
from game.workshop.client import HostClient, new_receipt
from game.workshop.host import Host, HostThread
from game.workshop.session import WorkshopSession, workshops_dir


def _priced(price: float) -> Decisions:
    return Decisions(products={"teamboard": ProductDecision(price=price)})


def _hand_in_all(session: WorkshopSession, price: float = 300) -> None:
    for team in TEAMS:
        session.submit(team, _priced(price))


def test_hand_ins_do_not_replay_the_resolved_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    session = create_session("shared")
    _hand_in_all(session)
    session.resolve()
    session.worlds()
    digests: list[int] = []
    real = WorkshopSession._round_digest
    monkeypatch.setattr(
        WorkshopSession, "_round_digest", lambda s, r: digests.append(r) or real(s, r)
    )
    before = session.worlds()
    _hand_in_all(session, 280)  # checked against the worlds: the resolved round is not re-read
    assert session.worlds() is before and digests == []
    session.resolve()
    assert session.worlds() is before and 1 in digests  # looked at again once it moved


def test_a_rewind_elsewhere_replays_and_the_leaderboard_follows() -> None:
    session = create_session("shared")
    _hand_in_all(session)
    session.resolve()
    board = session.leaderboard()
    board[0]["score"] = -1  # a caller's copy: the cache is not changed through it
    assert session.leaderboard()[0]["score"] != -1
    other = WorkshopSession.open(session.id)  # the facilitator's window, say
    other.rewind()
    other.submit(TEAMS[0], _priced(150))
    other.resolve()
    fresh = WorkshopSession.open(session.id)
    assert session.leaderboard() == fresh.leaderboard() == other.leaderboard()
    assert session.leaderboard(0) == fresh.leaderboard(0)
    assert session.decisions(1)[TEAMS[0]].products["teamboard"].price == 150


def _host(session: WorkshopSession) -> Host:
    host = Host(session.id, workshops_dir())
    host._open()
    return host


def test_a_package_is_made_again_only_when_what_it_shows_changed() -> None:
    session = create_session("shared")
    host = _host(session)
    team = TEAMS[0]
    first = host._package_text(team)
    assert host._package_text(team) is first  # nothing changed: the same text
    assert first == wire.dump(host._package(team))
    host._s().keep_draft(team, _priced(250))  # a kept draft is part of the package
    kept = host._package_text(team)
    assert kept != first
    assert json.loads(kept)["draft"] == wire.decisions_json(_priced(250))
    session.submit(TEAMS[1], _priced(300))  # another copy of the session writes the file
    assert host._package_text(team) == wire.dump(host._package(team))
    _hand_in_all(session)
    session.resolve()
    after = host._package_text(team)
    assert after == wire.dump(host._package(team))
    assert json.loads(after)["round"] == 2


def test_a_desk_follows_a_rewind_made_elsewhere() -> None:
    session = create_session("shared")
    _hand_in_all(session)
    session.resolve()
    host = _host(session)
    host._check(TEAMS[0], {})
    session.rewind()
    session.submit(TEAMS[0], _priced(150))
    session.resolve()  # as many rounds resolved as before, but other results
    host._check(TEAMS[0], {})
    assert host._desk(TEAMS[0])._sim is host._s().worlds().sims[TEAMS[0]]


def test_one_look_pushes_many_hand_ins_each_acknowledged_after_its_push(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = create_session("shared")
    codes = session.join_codes()
    session.close()
    looks: list[int] = []
    real = Host._look
    monkeypatch.setattr(Host, "_look", lambda h, *a: looks.append(1) or real(h, *a))
    thread = HostThread(Host(session.id, workshops_dir()), "127.0.0.1", 0)
    assert thread.wait_ready(), thread.error
    host = thread.host

    async def play() -> dict[str, Any]:
        clients = [HostClient(host.addresses[0], codes[t]) for t in TEAMS]
        seen: list[list[dict[str, Any]]] = [[] for _ in TEAMS]

        async def listen(i: int) -> None:
            async for status in clients[i].live():
                seen[i].append(status)

        tasks = [asyncio.create_task(listen(i)) for i in range(len(TEAMS))]
        while not all(seen):
            await asyncio.sleep(0.01)
        looks.clear()

        async def hand_in(i: int) -> bool:
            await clients[i].submit(_priced(300 + i), new_receipt())
            return host.handed_in[TEAMS[i]]  # acknowledged once the host's look has it

        acks = await asyncio.gather(*(hand_in(i) for i in range(len(TEAMS)) for _ in range(3)))
        while any(s[-1]["handed_in"] < len(TEAMS) for s in seen):  # pushed to everyone
            await asyncio.sleep(0.01)
        for task in tasks:
            task.cancel()
        for client in clients:
            await client.close()
        return {"acks": acks, "looks": len(looks), "last": [s[-1] for s in seen]}

    try:
        found = asyncio.run(asyncio.wait_for(play(), 60))
    finally:
        thread.stop()
    assert all(found["acks"])
    assert all(s["handed_in"] == len(TEAMS) and s["submitted"] for s in found["last"])
    assert found["looks"] < 3 * len(TEAMS)  # several hand-ins share one look
