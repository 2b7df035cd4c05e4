"""A hand-in sent again under the same id (its acknowledgement was lost) is recorded once,
and the second answer equals the first, whether it is sent again at once, after the
connection broke before the answer came, or after the round was resolved meanwhile."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from network_play import request, thread_host, wait_for
from workshop_script import create_session

from engine.decisions import Decisions
from game.workshop.client import HostClient, submit_until_acknowledged
from game.workshop.session import WorkshopSession
from game.workshop.sheet import template

SID = "ws-receipts"
DECISIONS = {"products": {"teamboard": {"price": 295.0, "roadmap": ["refactor"]}}}
OTHER = {"products": {"teamboard": {"price": 350.0}}}


@pytest.fixture
def hosted() -> Iterator[tuple[int, dict[str, str], WorkshopSession]]:
    session = create_session("parallel", session_id=SID)
    codes = session.join_codes()
    with thread_host(SID) as thread:
        yield int(thread.host.addresses[0].rsplit(":", 1)[1]), codes, session
    session.close()


def _rows(session: WorkshopSession, round_: int, team: str) -> list[dict[str, Any]]:
    return [s.decisions for s in session.store.all_submissions(round_) if s.team == team]


def test_the_same_hand_in_id_twice_is_recorded_once(hosted: Any) -> None:
    port, codes, session = hosted
    alpha = codes["Alpha"]
    body = {"id": "retry-after-lost-ack-1", "decisions": DECISIONS}
    first = request(port, "POST", "/api/submit", body, alpha)
    assert first[0] == 200 and first[1]["ok"] is True and first[1]["round"] == 1
    again = request(port, "POST", "/api/submit", body, alpha)
    assert again == first
    # Even with other decisions under that id: it is the same hand-in, already on disk.
    changed = request(port, "POST", "/api/submit", {**body, "decisions": OTHER}, alpha)
    assert changed == first
    assert _rows(session, 1, "Alpha") == [DECISIONS]

    # The same for a decision sheet.
    sheet = template(session, "Bravo")
    body = {"id": "retry-after-lost-ack-2", "sheet": sheet}
    first = request(port, "POST", "/api/sheet", body, codes["Bravo"])
    assert first[0] == 200 and first[1]["round"] == 1
    assert request(port, "POST", "/api/sheet", body, codes["Bravo"]) == first
    assert len(_rows(session, 1, "Bravo")) == 1
    assert session.submitted() == {"Alpha": True, "Bravo": True, "Charlie": False, "Delta": False}


def test_a_hand_in_whose_answer_never_arrived_is_acknowledged_by_its_retry(hosted: Any) -> None:
    port, codes, session = hosted
    body = json.dumps({"id": "retry-after-lost-ack-3", "decisions": DECISIONS}).encode()
    # The team's computer sends the hand-in and loses the connection before the answer.
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(
            f"POST /api/submit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {codes['Charlie']}"
            f"\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
    wait_for(lambda: _rows(session, 1, "Charlie"), 30, "the hand-in to be on disk")

    async def retry() -> tuple[int, list[str]]:
        async with HostClient(f"127.0.0.1:{port}", codes["Charlie"]) as client:
            return await client.submit(
                Decisions.model_validate(DECISIONS), "retry-after-lost-ack-3"
            )

    round_, warnings = asyncio.run(retry())
    assert round_ == 1 and warnings == session.check("Charlie", DECISIONS)
    assert _rows(session, 1, "Charlie") == [DECISIONS]


def test_a_retry_after_the_round_was_resolved_answers_as_the_first_time(hosted: Any) -> None:
    """The first answer said round 1; so does the retry once round 2 is open, and round 2
    records nothing (the team has not handed in for it)."""
    port, codes, session = hosted
    body = {"id": "retry-after-lost-ack-4", "decisions": DECISIONS}
    first = request(port, "POST", "/api/submit", body, codes["Delta"])
    assert first[0] == 200 and first[1]["round"] == 1
    sheet = {"id": "retry-after-lost-ack-5", "sheet": template(session, "Charlie")}
    first_sheet = request(port, "POST", "/api/sheet", sheet, codes["Charlie"])
    assert first_sheet[0] == 200 and first_sheet[1]["round"] == 1
    status, done = request(
        port, "POST", "/api/facilitator/resolve", {"keep_course": True}, codes[""]
    )
    assert status == 200 and done["round"] == 1 and done["kept_course"] == ["Alpha", "Bravo"]

    assert request(port, "POST", "/api/submit", body, codes["Delta"]) == first
    assert request(port, "POST", "/api/sheet", sheet, codes["Charlie"]) == first_sheet
    assert session.store.all_submissions(2) == []
    status, mine = request(port, "GET", "/api/status", None, codes["Delta"])
    assert mine["round"] == 2 and mine["submitted"] is False

    async def client_retry() -> tuple[int, list[str]]:  # what `workshop submit --host` prints
        async with HostClient(f"127.0.0.1:{port}", codes["Delta"]) as client:
            return await submit_until_acknowledged(
                client,
                lambda _: client.submit(
                    Decisions.model_validate(DECISIONS), "retry-after-lost-ack-4"
                ),
            )

    assert asyncio.run(client_retry()) == (1, first[1]["warnings"])
    assert _rows(session, 1, "Delta") == [DECISIONS]
    assert len(_rows(session, 1, "Charlie")) == 1
