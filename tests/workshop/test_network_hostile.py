"""Hostile requests to a workshop host change nothing, and the host keeps answering.

A host serves a session in which Alpha has handed in and Bravo keeps a draft. Wrong codes,
another team's code, the facilitator's code where a team's is needed (and the other way
round), malformed, fuzzed, oversized and out-of-range bodies, wrong methods and paths are
all refused with a one-line reason, and the session file holds exactly the same rows
afterwards. Repeated wrong codes from one address are slowed down (429, "wait N s").
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from network_play import one_line, request, snapshot, thread_host
from workshop_script import create_session

from game.workshop import host as host_module
from game.workshop.host import Throttle
from game.workshop.session import WorkshopSession, session_path
from game.workshop.sheet import template
from game.workshop.wire import MAX_BODY, RECEIPT

SID = "ws-hostile"
ALPHA_RECEIPT = "alpha-hand-in-0001"
GOOD = {"products": {"teamboard": {"price": 305.0, "roadmap": ["refactor"]}}}
WRONG_CODES = [
    "",
    "ZZZZ-ZZZZ",  # the right shape, nobody's code
    "zzzzzzzz",
    "' OR 1=1 --",
    "éééééééé",
    "A" * 4000,
    "Bearer Bearer",
]
TEAM_ROUTES = [
    ("GET", "/api/team", None),
    ("GET", "/api/status", None),
    ("PUT", "/api/draft", {"decisions": GOOD}),
    ("POST", "/api/check", {"decisions": GOOD}),
    ("POST", "/api/preview", {"decisions": GOOD}),
    ("POST", "/api/submit", {"id": "hostile-0001", "decisions": GOOD}),
    ("GET", "/api/sheet", None),
    ("POST", "/api/sheet", {"id": "hostile-0002", "sheet": "round: 1"}),
]
FACILITATOR_ROUTES = [
    ("GET", "/api/facilitator", None),
    ("POST", "/api/facilitator/resolve", {"keep_course": True}),
    ("POST", "/api/facilitator/deadline", {"minutes": 5}),
]


@dataclass
class Hosted:
    """A hosted session and what the tests need of it."""

    port: int
    codes: dict[str, str]
    session: WorkshopSession  # read in the test's own thread

    @property
    def alpha(self) -> str:
        return self.codes["Alpha"]

    @property
    def bravo(self) -> str:
        return self.codes["Bravo"]

    @property
    def facilitator(self) -> str:
        return self.codes[""]

    def state(self) -> tuple[Any, ...]:
        """Everything in the session file (and its change mark)."""
        return self.session.store.change_mark(), snapshot(session_path(SID))

    def call(
        self, method: str, path: str, body: Any = None, code: str | None = None, **kw: Any
    ) -> tuple[int, Any]:
        return request(self.port, method, path, body, code, **kw)

    def still_answers(self) -> None:
        """The host answers a stranger and a team as before."""
        status, hello = self.call("GET", "/api/hello")
        assert status == 200 and hello["session"] == SID
        status, mine = self.call("GET", "/api/status", code=self.alpha)
        assert status == 200 and mine["team"] == "Alpha" and mine["submitted"] is True


@pytest.fixture
def hosted() -> Iterator[Hosted]:
    session = create_session("shared", session_id=SID)
    session.submit("Alpha", GOOD, receipt_id=ALPHA_RECEIPT)
    session.keep_draft("Bravo", {"products": {"teamboard": {"price": 280.0}}})
    codes = session.join_codes()
    with thread_host(SID) as thread:
        port = int(thread.host.addresses[0].rsplit(":", 1)[1])
        yield Hosted(port, codes, session)
    session.close()


def _refused(answer: tuple[int, Any], status: int | set[int]) -> str:
    allowed = {status} if isinstance(status, int) else status
    assert answer[0] in allowed, answer
    return one_line(answer[1])


async def _from_many_addresses(
    port: int, calls: list[tuple[str, str, Any, str]]
) -> list[tuple[int, Any]]:
    """Send every (method, path, body, code) at once, each from its own 127.0.1.x address
    (so that the per-address slow-down for wrong codes does not get in the way)."""

    async def one(i: int, method: str, path: str, body: Any, code: str) -> tuple[int, Any]:
        connector = aiohttp.TCPConnector(local_addr=(f"127.0.1.{i + 1}", 0))
        timeout = aiohttp.ClientTimeout(total=60)
        async with (
            aiohttp.ClientSession(connector=connector, timeout=timeout) as http,
            http.request(
                method,
                f"http://127.0.0.1:{port}{path}",
                data=None if body is None else json.dumps(body),
                headers={"Authorization": f"Bearer {code}"},
            ) as answer,
        ):
            return answer.status, await answer.json(content_type=None)

    return await asyncio.gather(*(one(i, *c) for i, c in enumerate(calls)))


def test_wrong_codes_are_refused_and_change_nothing(hosted: Hosted) -> None:
    before = hosted.state()
    calls = [(m, p, b, "WRONG-CODE") for m, p, b in TEAM_ROUTES + FACILITATOR_ROUTES]
    calls += [
        ("POST", "/api/submit", {"id": "hostile-0003", "decisions": GOOD}, c) for c in WRONG_CODES
    ]
    calls.append(("GET", "/api/live", None, "ZZZZ-ZZZZ"))  # no WebSocket for a wrong code
    for answer in asyncio.run(_from_many_addresses(hosted.port, calls)):
        assert "not one of this workshop's" in _refused(answer, 401)
    # No code at all.
    assert _refused(
        hosted.call(
            "POST", "/api/submit", {"id": "hostile-0004", "decisions": GOOD}, source="127.0.2.1"
        ),
        401,
    )
    assert hosted.state() == before
    hosted.still_answers()


def test_a_code_only_ever_acts_for_its_own_team(hosted: Hosted) -> None:
    before = hosted.state()
    # Bravo's code reads Bravo, whatever the request says.
    for path, headers in [
        ("/api/team", {}),
        ("/api/team?team=Alpha", {}),
        ("/api/team", {"X-Team": "Alpha"}),
        ("/api/status?team=Alpha", {}),
    ]:
        status, answer = hosted.call("GET", path, code=hosted.bravo, headers=headers)
        assert status == 200 and answer["team"] == "Bravo", answer
        assert answer["submitted"] is False  # Alpha's hand-in is not Bravo's
    status, sheet = hosted.call("GET", "/api/sheet?team=Alpha", code=hosted.bravo)
    assert status == 200 and 'team: "Bravo"' in sheet["sheet"]

    # Alpha's sheet handed in with Bravo's code.
    alpha_sheet = template(hosted.session, "Alpha")
    reason = hosted.call(
        "POST", "/api/sheet", {"id": "bravo-sends-alpha", "sheet": alpha_sheet}, hosted.bravo
    )
    assert _refused(reason, 409) and reason[1]["problems"] == [
        "this sheet is for team Alpha, not Bravo"
    ]
    # Alpha's hand-in id reused with Bravo's code: never Bravo's, and Alpha's is untouched.
    for path, body in [
        ("/api/submit", {"id": ALPHA_RECEIPT, "decisions": {}}),
        ("/api/sheet", {"id": ALPHA_RECEIPT, "sheet": alpha_sheet}),
    ]:
        assert "belongs to another team" in _refused(
            hosted.call("POST", path, body, hosted.bravo), 409
        )
    # A team named in the body is an unknown field.
    body = {"id": "bravo-as-alpha", "decisions": GOOD, "team": "Alpha"}
    assert "team" in _refused(hosted.call("POST", "/api/submit", body, hosted.bravo), 400)

    # The facilitator's code does not play for a team...
    for method, path, body in TEAM_ROUTES:
        if path == "/api/status":
            continue  # the facilitator's status is every team's
        reason = _refused(hosted.call(method, path, body, hosted.facilitator), 403)
        assert reason == "the facilitator's code does not play for a team"
    # ...and a team's code does not facilitate.
    for code in (hosted.alpha, hosted.bravo):
        for method, path, body in FACILITATOR_ROUTES:
            reason = _refused(hosted.call(method, path, body, code), 403)
            assert reason == "only the facilitator's code can do this"
    assert hosted.state() == before
    assert hosted.session.submitted() == {
        "Alpha": True,
        "Bravo": False,
        "Charlie": False,
        "Delta": False,
    }
    hosted.still_answers()


# ---------------------------------------------------------------------- hostile bodies
class Raw(str):
    """JSON text placed into a body as it is (NaN, 1e309, a 5000-digit number, deep nesting)."""


def encode(value: Any) -> bytes:
    """JSON of ``value`` with :class:`Raw` pieces left as they are."""

    def text(v: Any) -> str:
        if isinstance(v, Raw):
            return str(v)
        if isinstance(v, dict):
            return "{" + ",".join(f"{json.dumps(k)}:{text(x)}" for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "[" + ",".join(text(x) for x in v) + "]"
        return json.dumps(v)

    return text(value).encode("utf-8", "surrogatepass")


def _line(**fields: Any) -> dict[str, Any]:
    return {"products": {"teamboard": fields}}


def _deep(depth: int, open_: str = "[", close: str = "]") -> Raw:
    return Raw(open_ * depth + close * depth)


LONG = "x" * 100_000
# Decisions no team may keep even as a draft: not decisions at all.
MALFORMED = [
    Raw("NaN"),
    [],
    "decisions",
    7,
    None,
    {"bonus": 1},
    {"products": []},
    {"products": "teamboard"},
    _line(price=Raw("NaN")),
    _line(price=Raw("Infinity")),
    _line(price=Raw("-Infinity")),
    _line(price=Raw("1e309")),
    _line(price=Raw("-1e999")),
    _line(price=Raw("9" * 5000)),
    _line(price="cheap"),
    _line(price=[300]),
    _line(price={"amount": 300}),
    _line(discount=5),
    _line(marketing=[100, 200]),
    _line(marketing={"smb": "lots"}),
    _line(marketing={"smb": Raw("Infinity")}),
    _line(hires=1.5),
    _line(hires="many"),
    _line(split={"features": 2.0, "debt": 0.0, "discovery": 0.0}),
    _line(split={"features": 0.9, "debt": 0.9, "discovery": 0.9}),
    _line(roadmap=_deep(50)),
    _line(roadmap=_deep(900)),
    _line(roadmap=_deep(5000)),
    _line(roadmap="refactor"),
    _line(research=[{"method": "survey"}]),
    {"products": {"teamboard": _deep(3000, '{"a":', "}")}},
    {"forecast": {"revenue": -1, "share": 2}},
    {"hiring_freeze": [True]},
]
# Well-formed decisions the engine refuses: a team may keep them as a draft, never hand in.
OUT_OF_RANGE = [
    _line(price=-1),
    _line(price=0),
    _line(price=1e308),
    _line(price=-1e308),
    _line(price=10**30),
    _line(marketing={"smb": -5.0}),
    _line(marketing={"smb": 1e300}),
    _line(marketing={"nowhere": 10.0}),
    _line(roadmap=["warp-drive"]),
    _line(roadmap=["sso"]),  # needs the Public API first
    _line(roadmap=[LONG]),
    _line(research=[{"method": "telepathy", "segment": "smb"}]),
    _line(hires=10**9),
    _line(layoffs=10**6),
    {"products": {LONG: {"price": 1.0}}},
    {"initiatives": [LONG]},
    {"products": {"teamboard": {}}, "bets": ["moonshot"]},
]
ODD_IDS = [
    "../../etc/passwd",
    "a b c d e f g",
    "ünïcödé-ïd-0001",
    "x" * 65,
    "short",
    "id\x00zero-byte",
    "<script>alert(1)</script>",
    "%2e%2e%2fetc%2fpasswd",
    "id';DROP TABLE submission;--",
    "\u202eevil-right-to-left",
    LONG,
    "",
    12345678,
    None,
    ["hostile-0005"],
    {"id": "hostile-0005"},
    True,
]
LAUGHS = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def _sheets(good: str) -> list[Any]:
    """Sheets Alpha's code cannot hand in, from Alpha's own good sheet."""

    def sub(pattern: str, new: str) -> str:
        changed = re.sub(pattern, new, good, count=1, flags=re.M)
        assert changed != good, pattern
        return changed

    return [
        sub(r'^team: "Alpha"$', 'team: "Bravo"'),
        sub(r"^round: 1$", "round: 2"),
        sub(r"^round: 1$", "round: 0"),
        sub(r"^round: 1$", 'round: "one"'),
        sub(r'^session: ".*"$', 'session: "ws-other"'),
        sub(r"^      price: [0-9.]+", "      price: -1"),
        sub(r"^      price: [0-9.]+", "      price: .nan"),
        sub(r"^      price: [0-9.]+", "      price: 1.0e+309"),
        sub(r"^      price: [0-9.]+", "      price: cheap"),
        sub(r"^      hires: 0", "      hires: 1000000000"),
        good + "bonus: 1\n",
        good.replace("decisions:", "decisions: *nothing\nplaceholder:", 1),
        "{{{{",
        "- a\n- b\n",
        "\x00\x01\x02",
        LONG,
        "decisions: " + "[" * 5000,
        LAUGHS + f"session: {SID}\nteam: Alpha\nround: 1\ndecisions: *i\n",
        12,
        [good],
        None,
    ]


def _hostile_calls(hosted: Hosted) -> list[tuple[str, str, bytes, str, int | set[int]]]:
    """(method, path, body, code, expected status) of every hostile body we can think of."""
    a, f = hosted.alpha, hosted.facilitator
    rid = "hostile-fuzz-0001"
    calls: list[tuple[str, str, Any, str, int | set[int]]] = []
    for dec in MALFORMED:
        calls += [
            ("POST", "/api/submit", {"id": rid, "decisions": dec}, a, {400, 409}),
            ("PUT", "/api/draft", {"decisions": dec}, a, {400, 409}),
            ("POST", "/api/check", {"decisions": dec}, a, {200, 400}),
            ("POST", "/api/preview", {"decisions": dec}, a, {400, 409}),
        ]
    for dec in OUT_OF_RANGE:
        calls += [
            ("POST", "/api/submit", {"id": rid, "decisions": dec}, a, 409),
            ("POST", "/api/check", {"decisions": dec}, a, 200),
            ("POST", "/api/preview", {"decisions": dec}, a, 200),
        ]
    for rid_ in ODD_IDS:
        calls += [
            ("POST", "/api/submit", {"id": rid_, "decisions": GOOD}, a, 400),
            (
                "POST",
                "/api/sheet",
                {"id": rid_, "sheet": template(hosted.session, "Alpha")},
                a,
                400,
            ),
        ]
    for sheet in _sheets(template(hosted.session, "Alpha")):
        calls.append(("POST", "/api/sheet", {"id": rid, "sheet": sheet}, a, {400, 409}))
    unknown = [
        ("POST", "/api/submit", {"id": rid, "decisions": GOOD, "team": "Bravo"}, a),
        ("POST", "/api/submit", {"id": rid, "decisions": GOOD, "round": 2}, a),
        ("POST", "/api/sheet", {"id": rid, "sheet": "", "decisions": GOOD}, a),
        ("PUT", "/api/draft", {"decisions": GOOD, "team": "Bravo"}, a),
        ("POST", "/api/check", {"decisions": GOOD, "debug": True}, a),
        ("POST", "/api/facilitator/resolve", {"keep_course": True, "round": 1}, f),
        ("POST", "/api/facilitator/deadline", {"minutes": 5, "round": 1}, f),
        ("POST", "/api/submit", {"decisions": GOOD}, a),  # no id
        ("POST", "/api/sheet", {"id": rid}, a),  # no sheet
    ]
    calls += [(*c, 400) for c in unknown]
    for keep in ["maybe", 2, 0.5, None, [], {}, Raw("NaN"), LONG]:
        calls.append(("POST", "/api/facilitator/resolve", {"keep_course": keep}, f, 400))
    for minutes in [
        -1,
        0,
        1441,
        1e308,
        Raw("1e309"),
        Raw("NaN"),
        Raw("-Infinity"),
        "five",
        "Infinity",
        [],
        {},
        LONG,
    ]:
        calls.append(("POST", "/api/facilitator/deadline", {"minutes": minutes}, f, {400, 409}))
    for path in ("/api/submit", "/api/sheet", "/api/draft", "/api/check"):
        method = "PUT" if path == "/api/draft" else "POST"
        for raw in [b"", b"null", b"[]", b'"text"', b"{", b'{"id": "hostile-fuzz', _deep(100_000)]:
            calls.append((method, path, raw, a, 400))
    return [(m, p, b if isinstance(b, bytes) else encode(b), c, s) for m, p, b, c, s in calls]


def test_hostile_bodies_are_refused_and_change_nothing(hosted: Hosted) -> None:
    before = hosted.state()
    for method, path, body, code, expected in _hostile_calls(hosted):
        status, answer = hosted.call(method, path, body, code)
        where = f"{method} {path} {body[:120]!r}"
        allowed = {expected} if isinstance(expected, int) else expected
        assert status in allowed, (where, status, answer)
        if status != 200:
            one_line(answer)
    assert hosted.state() == before
    hosted.still_answers()


def _truncated(body: dict[str, Any]) -> st.SearchStrategy[bytes]:
    text = json.dumps(body).encode()
    return st.integers(0, len(text) - 1).map(lambda n: text[:n])


def _not_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except ValueError:
        return True
    return False


def _no_receipt(text: str) -> bool:
    return re.fullmatch(RECEIPT.strip("^$"), text) is None


def test_fuzzed_bodies_are_refused_and_change_nothing(hosted: Hosted) -> None:
    """Random bytes, truncated JSON, random receipt ids, prices, sheets and JSON values."""
    a = hosted.alpha
    good_sheet = template(hosted.session, "Alpha")
    json_values = st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )
    bad_prices = st.one_of(
        st.floats(max_value=0.0),
        st.floats(min_value=30_000.01),
        st.integers(max_value=0),
        st.integers(min_value=30_001),
        st.text(max_size=10),
    )
    write = st.one_of(
        st.binary(max_size=600).filter(_not_json).map(lambda b: ("POST", "/api/submit", b)),
        _truncated({"id": "hostile-fuzz-0002", "decisions": GOOD}).map(
            lambda b: ("POST", "/api/submit", b)
        ),
        _truncated({"decisions": GOOD}).map(lambda b: ("PUT", "/api/draft", b)),
        st.text(max_size=80)
        .filter(_no_receipt)
        .map(lambda r: ("POST", "/api/submit", encode({"id": r, "decisions": GOOD}))),
        bad_prices.map(
            lambda p: (
                "POST",
                "/api/submit",
                encode({"id": "hostile-fuzz-0003", "decisions": _line(price=p)}),
            )
        ),
        st.text(max_size=400).map(
            lambda t: ("POST", "/api/sheet", encode({"id": "hostile-fuzz-0004", "sheet": t}))
        ),
        st.text(min_size=1, max_size=30)
        .filter(lambda t: t.strip() not in ("", "Alpha", "alpha"))
        .map(
            lambda t: (
                "POST",
                "/api/sheet",
                encode(
                    {
                        "id": "hostile-fuzz-0005",
                        "sheet": good_sheet.replace('team: "Alpha"', f"team: {json.dumps(t)}"),
                    }
                ),
            )
        ),
    )
    read_only = json_values.flatmap(
        lambda v: st.sampled_from(["/api/check", "/api/preview"]).map(
            lambda p: ("POST", p, encode({"decisions": v}))
        )
    )
    before = hosted.state()

    @settings(
        max_examples=160,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(st.one_of(write.map(lambda c: (*c, True)), read_only.map(lambda c: (*c, False))))
    def send(call: tuple[str, str, bytes, bool]) -> None:
        method, path, body, writes = call
        status, answer = hosted.call(method, path, body, a)
        assert status < 500, (path, body[:200], answer)
        if writes:
            assert 400 <= status < 500, (path, body[:200], answer)
        if status != 200:
            one_line(answer)
        assert hosted.session.store.change_mark() == before[0]

    send()
    assert hosted.state() == before
    hosted.still_answers()


def _chunked(port: int, method: str, path: str, code: str, size: int) -> bytes:
    """Send ``size`` bytes in chunks (no Content-Length); the host's first answer bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(
            f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {code}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
        )
        try:
            for _ in range(size // 8192 + 1):
                s.sendall(b"2000\r\n" + b" " * 8192 + b"\r\n")
            s.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the host may answer and close before reading everything
        return s.recv(65536)


def test_huge_bodies_are_refused_with_413(hosted: Hosted) -> None:
    before = hosted.state()
    big = {
        "id": "hostile-huge-0001",
        "decisions": {"products": {"teamboard": {"roadmap": ["x" * 300_000]}}},
    }
    for method, path, code in [
        ("POST", "/api/submit", hosted.alpha),
        ("POST", "/api/sheet", hosted.alpha),
        ("PUT", "/api/draft", hosted.alpha),
        ("POST", "/api/check", hosted.alpha),
        ("POST", "/api/preview", hosted.alpha),
        ("POST", "/api/facilitator/resolve", hosted.facilitator),
        ("POST", "/api/facilitator/deadline", hosted.facilitator),
    ]:
        assert "256 KiB" in _refused(hosted.call(method, path, encode(big), code), 413)
        assert "256 KiB" in _refused(hosted.call(method, path, b"{" * (MAX_BODY + 1), code), 413)
        answer = _chunked(hosted.port, method, path, code, MAX_BODY + 50_000)
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
        assert b"256 KiB" in answer
    assert hosted.state() == before
    hosted.still_answers()


def test_wrong_methods_and_paths_are_refused(hosted: Hosted) -> None:
    before = hosted.state()
    a = hosted.alpha
    for method, path, status in [
        ("GET", "/api/submit", 405),
        ("PUT", "/api/submit", 405),
        ("DELETE", "/api/team", 405),
        ("POST", "/api/hello", 405),
        ("PATCH", "/api/draft", 405),
        ("GET", "/api/facilitator/resolve", 405),
        ("DELETE", "/api/facilitator/deadline", 405),
        ("GET", "/api/nope", 404),
        ("GET", "/", 404),
        ("GET", "/api", 404),
        ("GET", "/api/../../etc/passwd", 404),
        ("GET", "/api/team/..%2f..%2fetc%2fpasswd", 404),
        ("GET", "/%00", 404),
        ("OPTIONS", "/api/team", 405),
    ]:
        _refused(hosted.call(method, path, None, a), {status, 400})
    # A path that walks into the facilitator's routes is still the facilitator's.
    assert _refused(hosted.call("GET", "/api/team/../facilitator", None, a), {403, 404})
    status, _ = hosted.call("BREW", "/api/team", None, a)
    assert 400 <= status < 500
    assert hosted.state() == before
    hosted.still_answers()


def _wait_s(reason: str) -> int:
    found = re.search(r"wait (\d+) s", reason)
    assert found is not None, reason
    return int(found.group(1))


def test_repeated_wrong_codes_from_one_address_are_slowed_down(
    hosted: Hosted, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every wrong code also costs its sender a quarter of a second; without that pause the
    # slow-down window below is left as little as possible to the machine's speed.
    monkeypatch.setattr(host_module, "WRONG_CODE_DELAY_S", 0.0)
    before = hosted.state()
    me = "127.0.0.77"

    def status(code: str, source: str = me) -> tuple[int, Any]:
        return hosted.call("GET", "/api/status", None, code, source=source)

    answers = [status(f"ZZZZ-ZZZ{c}") for c in "23456"]  # the free wrong tries
    assert [s for s, _ in answers] == [401] * 5
    for _ in range(8):  # a machine slower than a window only makes the next one longer
        slowed = status("ZZZZ-ZZZ7")
        if slowed[0] != 401:
            break
    wait = _wait_s(_refused(slowed, 429))
    assert 1 <= wait <= 60
    # While slowed down, even the right code from this address waits...
    assert "wait" in _refused(status(hosted.alpha), 429)
    # ...but other computers are not held up.
    assert status(hosted.bravo, "127.0.0.1")[0] == 200
    time.sleep(wait + 0.2)  # as the message says
    assert status(hosted.alpha)[0] == 200  # and the right code clears the count
    assert status("ZZZZ-ZZZ8")[0] == 401
    assert hosted.state() == before
    hosted.still_answers()


def test_the_slow_down_doubles_up_to_a_minute_and_is_forgotten() -> None:
    throttle = Throttle()
    for n in range(host_module.FREE_FAILURES):
        assert throttle.wait("a", 100.0 + n) == 0.0
        throttle.failed("a", 100.0 + n)
    last = 100.0 + host_module.FREE_FAILURES - 1
    assert throttle.wait("a", last) == 1.0
    assert throttle.wait("b", last) == 0.0  # per address
    waits = []
    for _ in range(9):
        wait = throttle.wait("a", last)
        waits.append(wait)
        last += wait
        throttle.failed("a", last)
    assert waits == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
    assert throttle.wait("a", last + host_module.FAILURE_WINDOW_S + 1) == 0.0  # forgotten
    throttle.failed("c", 0.0)
    throttle.succeeded("c")
    assert "c" not in throttle.failures


def test_live_stream_refuses_wrong_codes_and_ignores_what_clients_say(hosted: Hosted) -> None:
    before = hosted.state()
    url = f"http://127.0.0.1:{hosted.port}/api/live"

    async def go() -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(url, headers={"Authorization": "Bearer ZZZZ-ZZZZ"})
            assert refused.value.status == 401
            ws = await http.ws_connect(url, headers={"Authorization": f"Bearer {hosted.bravo}"})
            first = json.loads((await ws.receive(timeout=30)).data)
            assert first["team"] == "Bravo" and first["submitted"] is False
            await ws.send_str('{"do": "resolve"}')  # clients say nothing that counts
            await ws.send_bytes(b"\x00" * 100)
            await ws.send_str("x" * 10_000)  # over the host's message size: it hangs up
            closing = await ws.receive(timeout=30)
            assert closing.type in (
                aiohttp.WSMsgType.CLOSE,
                aiohttp.WSMsgType.CLOSED,
                aiohttp.WSMsgType.CLOSING,
            )
            await ws.close()

    asyncio.run(go())
    assert hosted.state() == before
    hosted.still_answers()
