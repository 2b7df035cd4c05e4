"""What keeps a host quick when every team hands in at once (benchmarks/workshop_lan.py
measures it): hand-ins that arrive together share one transaction and are answered exactly
as one at a time; replays, leaderboards, team packages and desks are reused only while the
session file says nothing changed; one look at the file pushes the status for many hand-ins."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from workshop_script import TEAMS, create_session

from engine.decisions import Decisions, ProductDecision
from game.workshop import wire
from game.workshop.client import HostClient, new_receipt
from game.workshop.host import Host, HostThread
from game.workshop.session import WorkshopError, WorkshopSession, workshops_dir
from game.workshop.store import WorkshopStore


def _priced(price: float) -> Decisions:
    return Decisions(products={"teamboard": ProductDecision(price=price)})


def _hand_in_all(session: WorkshopSession, price: float = 300) -> None:
    for team in TEAMS:
        session.submit(team, _priced(price))


def _answers(found: list[Any]) -> list[Any]:
    return [f"{type(f).__name__}: {f}" if isinstance(f, Exception) else f for f in found]


def test_hand_ins_written_together_are_answered_as_one_at_a_time() -> None:
    together, apart = create_session("shared"), create_session("shared")
    for s in (together, apart):
        s.submit(TEAMS[3], _priced(300), receipt_id="earlier-0001")
    hand_ins: list[tuple[str, Any, str | None]] = [
        (TEAMS[0], _priced(290), "receipt-0001"),
        (TEAMS[1], {"products": {"teamboard": {"prise": 1}}}, "receipt-0002"),  # malformed
        (TEAMS[2], _priced(10_000_000), None),  # refused by the engine's check
        (TEAMS[0], _priced(295), "receipt-0001"),  # a retry: recorded once
        (TEAMS[1], _priced(280), "earlier-0001"),  # another team's hand-in id
        ("Nobody", _priced(280), None),
        (TEAMS[0], _priced(305), None),  # a second hand-in: the latest counts
        (TEAMS[3], _priced(310), "earlier-0001"),  # a retry of one already on disk
    ]
    batch = together.submit_many(hand_ins)
    one_by_one: list[Any] = []
    for team, decisions, receipt in hand_ins:
        try:
            one_by_one.append(apart.submit(team, decisions, receipt_id=receipt))
        except WorkshopError as exc:
            one_by_one.append(exc)
    assert _answers(batch) == _answers(one_by_one)
    assert isinstance(batch[1], WorkshopError) and batch[1].problems
    for s in (together, apart):
        s.store.close()
    rows = [
        [(x.team, x.decisions) for x in WorkshopStore(s.store.path).all_submissions(1)]
        for s in (together, apart)
    ]
    assert rows[0] == rows[1] and len(rows[0]) == 3
    assert WorkshopSession.open(together.id).decisions(1)[TEAMS[0]] == _priced(305)


def test_hand_ins_written_together_are_refused_together_once_the_round_closed() -> None:
    session = create_session("shared")
    _hand_in_all(session)
    other = WorkshopSession.open(session.id)
    other.resolve()  # while these hand-ins were on their way, for round 1
    store = session.store
    found = store.submit_many([(t, 1, {}, (f"late-{t}-0001", [])) for t in TEAMS])
    assert all(f is not None and "not open" in str(f) for f in found)
    assert store.receipt(f"late-{TEAMS[0]}-0001") is None
    assert len(store.all_submissions(1)) == len(TEAMS)


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


def test_hand_ins_arriving_together_share_a_transaction_and_a_look(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = create_session("shared")
    codes = session.join_codes()
    session.close()
    looks: list[int] = []
    batches: list[int] = []
    arrived: list[int] = []
    look, many, hand_in = Host._look, WorkshopStore.submit_many, Host._hand_in
    monkeypatch.setattr(Host, "_look", lambda h, *a: looks.append(1) or look(h, *a))
    monkeypatch.setattr(Host, "_hand_in", lambda h, *a: arrived.append(1) or hand_in(h, *a))
    monkeypatch.setattr(
        WorkshopStore, "submit_many", lambda st, h, *a: batches.append(len(h)) or many(st, h, *a)
    )
    thread = HostThread(Host(session.id, workshops_dir()), "127.0.0.1", 0)
    assert thread.wait_ready(), thread.error
    host = thread.host
    count = 3 * len(TEAMS)

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
        busy = threading.Event()  # the worker is busy until every hand-in has arrived
        host._pool.submit(busy.wait, 30)

        async def send(i: int) -> bool:
            await clients[i % len(TEAMS)].submit(_priced(300 + i), new_receipt())
            return host.handed_in[TEAMS[i % len(TEAMS)]]  # the host's look has it already

        sent = asyncio.gather(*(send(i) for i in range(count)))
        while len(arrived) < count:
            await asyncio.sleep(0.01)
        busy.set()
        acks = await sent
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
    # The first batch went to the busy worker, the rest waited for it and went together:
    # two transactions (two syncs to disk), not twelve.
    assert sum(batches) == count and len(batches) <= 2
    assert found["looks"] <= 3  # one look (and push) after the first, one after the rest
