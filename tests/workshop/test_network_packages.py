"""Team packages over the wire: a client rebuilds the team's market exactly as the host built
it (however many teams share it), reads answers of any size to their end, and the host's
requests are strict about types."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from engine.decisions import Decisions
from game.paths import find_scenario
from game.workshop import wire
from game.workshop.client import HostClient, RemoteError
from game.workshop.host import Host, HostThread
from game.workshop.session import MAX_TEAMS, WorkshopSession, workshops_dir


def _hosted(mode: str, teams: int, rounds: int) -> tuple[WorkshopSession, HostThread]:
    path = find_scenario("tutorial")
    assert path is not None
    session = WorkshopSession.create(
        path.read_text(),
        teams=[f"Team {i + 1}" for i in range(teams)],
        mode=mode,
        rounds=rounds,
        resolution=100,
    )
    thread = HostThread(Host(session.id, workshops_dir()), "127.0.0.1", 0)
    assert thread.wait_ready(), thread.error
    return session, thread


@pytest.fixture
def stopper() -> Iterator[list[HostThread]]:
    threads: list[HostThread] = []
    yield threads
    for t in threads:
        t.stop()


def _package(url: str, code: str) -> wire.Package:
    async def fetch() -> wire.Package:
        async with HostClient(url, code) as client:
            return await client.package()

    return asyncio.run(fetch())


def test_a_full_shared_market_is_rebuilt_by_the_client_as_the_host_built_it(
    stopper: list[HostThread],
) -> None:
    # Twelve clones of the player firm exceed what an author may write in one file (an event
    # on the player firm gets one effect per team), yet every team can join.
    session, thread = _hosted("shared", MAX_TEAMS, 2)
    stopper.append(thread)
    codes = session.join_codes()
    url = thread.host.addresses[0]
    last = session.teams[-1]
    package = _package(url, codes[last])
    market = session.worlds().sims[last].scenario
    assert package.scenario.model_dump() == market.model_dump()
    assert package.firm.firm == session.worlds().maps[last].firm
    assert package.firm.scenario is package.scenario


def test_packages_of_any_size_are_read_to_their_end(stopper: list[HostThread]) -> None:
    session, thread = _hosted("parallel", 2, 8)
    stopper.append(thread)
    for _ in range(6):  # the history grows every round: the package grows past 64 KiB
        for team in session.teams:
            session.submit(team, Decisions())
        session.resolve()
    codes = session.join_codes()
    url = thread.host.addresses[0]
    package = _package(url, codes[session.teams[0]])
    assert len(wire.dump(wire.pack(package))) > 65_536  # more than one 64 KiB chunk
    assert package.round == 7 and len(package.firm.history) == 7


def test_a_finished_session_says_so(stopper: list[HostThread]) -> None:
    session, thread = _hosted("parallel", 2, 1)
    stopper.append(thread)
    for team in session.teams:
        session.submit(team, Decisions())
    session.resolve()
    package = _package(thread.host.addresses[0], session.join_codes()[session.teams[0]])
    # As the session's own current_round: one past the last once every round is played.
    assert package.finished and package.rounds == 1 and package.round == 2


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/facilitator/resolve", {"keep_course": "yes"}),
        ("/api/facilitator/resolve", {"keep_course": 1}),
        ("/api/facilitator/deadline", {"minutes": "5"}),
    ],
)
def test_requests_are_strict_about_types(
    stopper: list[HostThread], path: str, body: dict[str, object]
) -> None:
    session, thread = _hosted("parallel", 2, 2)
    stopper.append(thread)
    mark = session.store.change_mark()

    async def send() -> None:
        async with HostClient(thread.host.addresses[0], session.join_codes()[""]) as client:
            await client.call("POST", path, body)

    with pytest.raises(RemoteError) as refused:
        asyncio.run(send())
    assert refused.value.status == 400
    assert session.store.change_mark() == mark


def test_a_scenario_that_does_not_load_is_refused_in_words() -> None:
    with pytest.raises(wire.WireError, match="does not load"):
        wire.market("id: [unclosed", ())
    with pytest.raises(wire.WireError, match="size limit"):
        wire.market("x" * (wire.MAX_SCENARIO + 1), ())
