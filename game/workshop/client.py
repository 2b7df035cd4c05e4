"""A team's (or the facilitator's) side of a network workshop: talking to a host.

:class:`HostClient` is the asyncio client (aiohttp) the scripted commands use directly;
:class:`Link` runs one in a background thread for the window, so the network never runs
on the UI thread: a screen starts a call and polls its future, and the link keeps a live
status stream open, retrying with backoff when the connection is lost. Every refusal or
network failure is a :class:`RemoteError` with a one-line reason for a person.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import random
import secrets
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import aiohttp

from engine.decisions import Decisions
from game.workshop import wire
from game.workshop.words import phrase

T = TypeVar("T")
TIMEOUT_S = 15.0
BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
MAX_ANSWER = 8 * 1024 * 1024  # a team package is ~100 kB; nothing a host sends is bigger
# Closing the live stream waits at most 10 s (aiohttp 3.10+ takes a ClientWSTimeout; a bare
# float is deprecated there, and the only form older versions know).
_WS_TIMEOUT: Any = (
    aiohttp.ClientWSTimeout(ws_close=10.0) if hasattr(aiohttp, "ClientWSTimeout") else 10.0
)


class RemoteError(Exception):
    """The host refused (``status`` >= 400) or could not be reached (``status`` 0)."""

    def __init__(self, message: str, status: int = 0, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.problems = problems or []

    @property
    def unreachable(self) -> bool:
        """True when the host did not answer (worth retrying), False when it refused."""
        return self.status == 0


def new_receipt() -> str:
    """A fresh hand-in id: a retry of the same hand-in sends the same one."""
    return secrets.token_urlsafe(16)


class HostClient:
    """One code's requests to one host (use ``async with``)."""

    def __init__(self, url: str, code: str, timeout: float = TIMEOUT_S) -> None:
        self.url = wire.normalise_url(url)
        self.code = wire.normalise_code(code)
        self.timeout = timeout
        self._http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> HostClient:
        self._http = aiohttp.ClientSession(
            headers={"Authorization": f"Bearer {self.code}"},
            timeout=aiohttp.ClientTimeout(total=self.timeout, connect=min(self.timeout, 5.0)),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the connection pool."""
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One request; the answer's JSON, or :class:`RemoteError` in words."""
        if self._http is None:
            await self.__aenter__()
        assert self._http is not None
        data = None if body is None else wire.dump(body)
        headers = {"Content-Type": "application/json"} if data is not None else None
        try:
            async with self._http.request(
                method, self.url + path, data=data, headers=headers
            ) as answer:
                raw = await _read_capped(answer)
                status = answer.status
        except TimeoutError:
            raise RemoteError(phrase("ws_errors.no_answer_in_time", url=self.url)) from None
        except aiohttp.ClientError as exc:
            raise RemoteError(_unreachable(self.url, exc)) from None
        if len(raw) > MAX_ANSWER:
            raise RemoteError(phrase("ws_errors.answer_too_large"), status)
        try:
            found = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise RemoteError(
                phrase("ws_errors.not_crossroads", url=self.url, status=status),
                status or 502,
            ) from None
        if status >= 400:
            error = found.get("error") if isinstance(found, dict) else None
            problems = found.get("problems") if isinstance(found, dict) else None
            raise RemoteError(
                str(error or phrase("ws_errors.refused_http", status=status))[:300],
                status,
                [str(p)[:300] for p in problems] if isinstance(problems, list) else [],
            )
        return found

    # ------------------------------------------------------------------ the protocol
    async def hello(self) -> dict[str, Any]:
        """Who the host is (session, scenario), without a code."""
        found = await self.call("GET", "/api/hello")
        if not isinstance(found, dict) or found.get("app") != "crossroads":
            raise RemoteError(f"{self.url} is not a Crossroads workshop host", 502)
        return found

    async def package(self) -> wire.Package:
        """The team's hub for the open round."""
        try:
            return wire.unpack(await self.call("GET", "/api/team"))
        except wire.WireError as exc:
            raise RemoteError(str(exc), 502) from None

    async def status(self) -> dict[str, Any]:
        """The round's progress (the facilitator's code: every team's)."""
        return _mapping(await self.call("GET", "/api/status"))

    async def keep_draft(self, decisions: Decisions, company: dict[str, Any] | None = None) -> None:
        """Keep the unfinished draft on the host (a company seat's with its ``company``
        part: the CPO's direction, a PM's share)."""
        await self.call("PUT", "/api/draft", _body(decisions, company))

    async def check(
        self, decisions: Decisions, company: dict[str, Any] | None = None
    ) -> tuple[list[Any], Any]:
        """(problems, outlook) of a draft by the engine on the host (a company seat's: the
        flags among the problems, as warnings where ``company``)."""
        found = _mapping(await self.call("POST", "/api/check", _body(decisions, company)))
        try:
            problems = wire.from_json("problem", found.get("problems"))
            outlook = found.get("outlook")
            return problems, None if outlook is None else wire.from_json("outlook", outlook)
        except wire.WireError as exc:
            raise RemoteError(str(exc), 502) from None

    async def preview(self, decisions: Decisions) -> Any:
        """The price preview of a draft (None: not offered); ValueError when refused."""
        found = _mapping(
            await self.call("POST", "/api/preview", {"decisions": wire.decisions_json(decisions)})
        )
        if found.get("error"):
            raise ValueError(str(found["error"])[:300])
        preview = found.get("preview")
        try:
            return None if preview is None else wire.from_json("preview", preview)
        except wire.WireError as exc:
            raise RemoteError(str(exc), 502) from None

    async def submit(
        self, decisions: Decisions, receipt: str, company: dict[str, Any] | None = None
    ) -> tuple[int, list[str]]:
        """Hand in; (round, warnings) once the host has the decisions on disk."""
        body = {"id": receipt, **_body(decisions, company)}
        return _ack(await self.call("POST", "/api/submit", body))

    async def sheet(self) -> tuple[int, str]:
        """(round, text) of the team's pre-filled decision sheet."""
        found = _mapping(await self.call("GET", "/api/sheet"))
        return int(found.get("round", 0)), str(found.get("sheet", ""))

    async def submit_sheet(self, text: str, receipt: str) -> tuple[int, list[str]]:
        """Hand in a decision sheet's text; (round, warnings) once it is on disk."""
        return _ack(await self.call("POST", "/api/sheet", {"id": receipt, "sheet": text}))

    async def resolve(self, keep_course: bool = False) -> dict[str, Any]:
        """Play the open round (the facilitator's code)."""
        body = {"keep_course": keep_course}
        return _mapping(await self.call("POST", "/api/facilitator/resolve", body))

    async def set_deadline(self, minutes: float | None) -> float | None:
        """Close hand-in ``minutes`` from now, or never (the facilitator's code)."""
        found = _mapping(await self.call("POST", "/api/facilitator/deadline", {"minutes": minutes}))
        at = found.get("deadline")
        return None if at is None else float(at)

    async def live(self) -> AsyncIterator[dict[str, Any]]:
        """Status messages as the host pushes them (ends when the connection drops)."""
        if self._http is None:
            await self.__aenter__()
        assert self._http is not None
        try:
            async with self._http.ws_connect(
                self.url + "/api/live", heartbeat=10.0, max_msg_size=64 * 1024, timeout=_WS_TIMEOUT
            ) as ws:
                async for msg in ws:
                    if msg.type != aiohttp.WSMsgType.TEXT:
                        break
                    with contextlib.suppress(json.JSONDecodeError, RemoteError):
                        yield _mapping(json.loads(msg.data))
        except aiohttp.WSServerHandshakeError as exc:
            if exc.status in (401, 403, 429):
                raise RemoteError(phrase("ws_errors.code_refused"), exc.status) from None
            raise RemoteError(_unreachable(self.url, exc)) from None
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise RemoteError(_unreachable(self.url, exc)) from None


async def submit_until_acknowledged(
    client: HostClient,
    send: Callable[[str], Awaitable[tuple[int, list[str]]]],
    attempts: int = 5,
    receipt: str | None = None,
) -> tuple[int, list[str]]:
    """Hand in with one id, retrying only while the host cannot be reached (a retry after a
    lost acknowledgement is recognised by the host and recorded once). ``receipt``: the id
    of a hand-in tried before (the window keeps it until the host acknowledges)."""
    receipt = receipt or new_receipt()
    for attempt in range(attempts):
        try:
            return await send(receipt)
        except RemoteError as exc:
            if not exc.unreachable or attempt == attempts - 1:
                raise
            await asyncio.sleep(BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)])
    raise AssertionError("unreachable")


async def _read_capped(answer: aiohttp.ClientResponse) -> bytes:
    """The whole body of an answer, read to its end but never more than :data:`MAX_ANSWER`
    bytes plus one (``content.read(n)`` returns only what has arrived so far)."""
    if answer.content_length is not None and answer.content_length > MAX_ANSWER:
        return b"x" * (MAX_ANSWER + 1)  # refused without reading it
    parts: list[bytes] = []
    size = 0
    async for chunk in answer.content.iter_chunked(64 * 1024):
        parts.append(chunk)
        size += len(chunk)
        if size > MAX_ANSWER:
            break
    return b"".join(parts)


def _body(decisions: Decisions, company: dict[str, Any] | None) -> dict[str, Any]:
    """A request body with the decisions and, for a company seat, its company part."""
    body: dict[str, Any] = {"decisions": wire.decisions_json(decisions)}
    if company is not None:
        body["company"] = company
    return body


def _mapping(found: Any) -> dict[str, Any]:
    if not isinstance(found, dict):
        raise RemoteError(phrase("ws_errors.does_not_fit"), 502)
    return found


def _ack(found: Any) -> tuple[int, list[str]]:
    found = _mapping(found)
    if found.get("ok") is not True:
        raise RemoteError(phrase("ws_errors.not_acknowledged"), 502)
    warnings = found.get("warnings")
    return int(found.get("round", 0)), [str(w)[:300] for w in (warnings or [])]


def _unreachable(url: str, exc: BaseException) -> str:
    text = str(exc)
    # aiohttp words a refused connection as "Connect call failed": look at the OS error.
    refused = isinstance(getattr(exc, "os_error", None), ConnectionRefusedError)
    if refused or "refused" in text.lower():
        return phrase("ws_errors.nothing_answers", url=url)
    return phrase("ws_errors.cannot_reach", url=url, reason=text[:120] or type(exc).__name__)


class Link:
    """A host connection for the window: calls run in a background event loop thread.

    :meth:`call` returns a :class:`concurrent.futures.Future` a screen polls each frame.
    Once :meth:`watch` is called, a live status stream is kept open: ``state`` says whether
    it is ``connecting``, ``connected`` or ``lost`` (with ``retry_at``), ``status`` is the
    last status the host pushed and ``version`` counts them.
    """

    def __init__(self, url: str, code: str) -> None:
        self.client = HostClient(url, code)
        self.state = "connecting"
        self.reason = ""
        self.retry_at = 0.0
        self.status: dict[str, Any] | None = None
        self.version = 0
        self.refused = False  # the host refused the code: retrying would not help
        self._loop = asyncio.new_event_loop()
        self._watcher: concurrent.futures.Future[None] | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="link")
        self._thread.start()

    @property
    def url(self) -> str:
        """The host's base URL."""
        return self.client.url

    def call(self, fn: Callable[[HostClient], Awaitable[T]]) -> concurrent.futures.Future[T]:
        """Run ``fn(client)`` in the link's thread; the future holds its result or error."""
        return asyncio.run_coroutine_threadsafe(_call(fn, self.client), self._loop)

    def watch(self) -> None:
        """Keep a live status stream open from now on (reconnecting with backoff)."""
        if self._watcher is None:
            self._watcher = asyncio.run_coroutine_threadsafe(self._watch(), self._loop)

    def retry_now(self) -> None:
        """Skip the wait before the next reconnection attempt."""
        self.retry_at = time.time()

    async def _watch(self) -> None:
        failures = 0
        while True:
            self.state = "connecting"
            try:
                async for status in self.client.live():
                    self.state, self.reason, failures = "connected", "", 0
                    self.status = status
                    self.version += 1
                self.reason = phrase("ws_errors.host_closed")
            except RemoteError as exc:
                self.reason = exc.message
                self.refused = exc.status in (401, 403)
            except Exception as exc:  # never let the watcher die: show it and retry
                self.reason = phrase("ws_errors.connection_problem", reason=str(exc))[:200]
            self.state = "lost"
            wait = BACKOFF_S[min(failures, len(BACKOFF_S) - 1)] * random.uniform(0.8, 1.2)
            failures += 1
            self.retry_at = time.time() + wait
            while time.time() < self.retry_at:
                await asyncio.sleep(0.1)

    def close(self) -> None:
        """Stop the link's thread (open calls are abandoned)."""
        if self._loop.is_closed():
            return

        async def shut() -> None:
            # The watcher and open calls end first (cancelled), so none is left pending.
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self.client.close()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shut(), self._loop).result(2.0)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(2.0)


async def _call(fn: Callable[[HostClient], Awaitable[T]], client: HostClient) -> T:
    return await fn(client)
