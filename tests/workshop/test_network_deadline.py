"""``workshop host --deadline MINUTES``: each round closes that long after it opens, and the
facilitator may still move or remove the open round's deadline."""

from __future__ import annotations

import time
from typing import Any

from network_play import request, wait_for
from workshop_script import create_session

from game.workshop.host import Host, HostThread

SID = "ws-deadline"


def test_the_facilitator_can_remove_a_deadline_the_host_set(monkeypatch: Any) -> None:
    monkeypatch.setattr(Host, "poll", 0.05)
    session = create_session("shared", session_id=SID)
    fac = session.join_codes()[""]
    thread = HostThread(Host(SID, deadline_minutes=10), "127.0.0.1", 0)
    try:
        assert thread.wait_ready(30), thread.error
        port = int(thread.host.addresses[0].rsplit(":", 1)[1])

        def deadline() -> Any:
            status, found = request(port, "GET", "/api/facilitator", None, fac)
            assert status == 200, found
            return found["deadline"]

        opened = wait_for(deadline, 30, "the round's deadline")
        assert 9 * 60 < opened - time.time() <= 10 * 60
        status, answer = request(port, "POST", "/api/facilitator/deadline", {"minutes": None}, fac)
        assert status == 200 and answer == {"deadline": None}
        time.sleep(Host.poll * 10)  # the host looks at the file many times meanwhile
        assert deadline() is None  # removed it stays
        assert session.deadline() is None
        status, answer = request(port, "POST", "/api/facilitator/deadline", {"minutes": 3}, fac)
        assert status == 200
        time.sleep(Host.poll * 10)
        assert deadline() == answer["deadline"]  # moved it stays

        status, _ = request(port, "POST", "/api/facilitator/resolve", {"keep_course": True}, fac)
        assert status == 200
        # The next round closes ten minutes after it opened.
        later = wait_for(deadline, 30, "round 2's deadline")
        assert 9 * 60 < later - time.time() <= 10 * 60
        assert session.current_round == 2 and session.deadline() == later
    finally:
        thread.stop()
        session.close()
