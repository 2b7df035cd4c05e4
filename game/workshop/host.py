"""The facilitator's copy of Crossroads as a host: a workshop session served on the LAN.

``crossroads workshop host ID`` (or "Host on the network" in the facilitator's round view)
serves one session over HTTP and WebSocket with aiohttp. Each team's copy of Crossroads
joins with its team's join code and plays in the same hub as a solo player, bound to a
:class:`~game.workshop.remote_desk.RemoteDesk`; the facilitator's code reads every team's
hand-in state and can play the round.

The SQLite session file stays the single source of truth: every request is answered from
it by one worker thread that owns a :class:`WorkshopSession`, and a hand-in is acknowledged
only after its transaction committed. Another copy of the session (the facilitator's
window, or ``crossroads workshop resolve`` in a terminal) may change the file at any time;
the host notices within :attr:`Host.poll` seconds and pushes the new status to every
connected team. Requests are JSON checked by :mod:`game.workshop.wire`; a code only ever
reads or writes its own team; wrong codes are refused and slowed down per address.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import WSMsgType, web

from engine.company_mode import Seat
from engine.decisions import Decisions
from game.workshop import DEFAULT_PORT, wire
from game.workshop.company_seats import seat_decisions, seat_key, split_key
from game.workshop.session import WorkshopError, WorkshopSession
from game.workshop.store import FACILITATOR
from game.workshop.words import phrase

T = TypeVar("T")
FREE_FAILURES = 5  # wrong codes from one address before it is slowed down
FAILURE_WINDOW_S = 600.0
WRONG_CODE_DELAY_S = 0.25  # every wrong code costs the sender this long
SEEN_S = 20.0  # a team that made a request this recently counts as connected
HEARTBEAT_S = 10.0
PUSH_WAIT_S = 5.0  # a change's answer waits at most this long for its status to be pushed


class Refused(Exception):
    """A request refused with an HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems or []


@dataclass
class Throttle:
    """Wrong codes per address: after :data:`FREE_FAILURES`, each further try waits twice as
    long as the last (up to a minute) before the host even looks at it."""

    failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    def wait(self, address: str, now: float) -> float:
        """Seconds ``address`` must still wait before its next try (0: go ahead)."""
        count, last = self.failures.get(address, (0, 0.0))
        if now - last > FAILURE_WINDOW_S:
            self.failures.pop(address, None)
            return 0.0
        if count < FREE_FAILURES:
            return 0.0
        return max(0.0, last + min(2.0 ** (count - FREE_FAILURES), 60.0) - now)

    def failed(self, address: str, now: float) -> None:
        """Count one wrong code from ``address``."""
        count, last = self.failures.get(address, (0, 0.0))
        if now - last > FAILURE_WINDOW_S:
            count = 0
        self.failures[address] = (count + 1, now)
        if len(self.failures) > 10_000:  # a flood of addresses: forget the oldest half
            for key, _ in sorted(self.failures.items(), key=lambda kv: kv[1][1])[:5_000]:
                del self.failures[key]

    def succeeded(self, address: str) -> None:
        """A right code clears the address's count."""
        self.failures.pop(address, None)


@dataclass(frozen=True)
class TeamLink:
    """What the facilitator sees of one team's connection."""

    team: str
    code: str
    connected: bool
    handed_in: bool


class Host:
    """One workshop session served on the network (see the module docstring)."""

    poll = 0.2  # seconds between looks at the session file for changes made elsewhere

    def __init__(
        self,
        session_id: str,
        folder: Path | None = None,
        deadline_minutes: float | None = None,
    ) -> None:
        self.session_id = session_id
        self.folder = folder
        self.deadline_minutes = deadline_minutes
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="workshop-host")
        self._session: WorkshopSession | None = None
        self._codes: dict[str, str] = {}  # code -> team ("" for the facilitator)
        self._throttle = Throttle()
        self._sockets: dict[str, set[web.WebSocketResponse]] = {}
        self._seen: dict[str, float] = {}
        self._mark: tuple[int, ...] = ()
        self._runner: web.AppRunner | None = None
        self._watch: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()  # a change made through this host: look at once
        self._pushed = asyncio.Condition()
        self._changes = 0  # changes made through this host
        self._told = 0  # how many of them the last look (and push) took in
        self._hand_ins: list[tuple[str, str, dict[str, Any], asyncio.Future[Any]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._desks: dict[str, tuple[Any, int, Any]] = {}  # team -> (worlds, rounds, desk)
        self._packages: dict[str, tuple[Any, str]] = {}  # team -> (what it shows, its JSON)
        self._deadlined: int | None = None  # the round --deadline was last applied to
        self._text: str | None = None
        self._last_trouble = ""
        self.addresses: list[str] = []
        self.handed_in: dict[str, bool] = {}
        self.round = 0
        self.rounds = 0

    # ------------------------------------------------------------------ the worker thread
    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in the one thread that owns the session (never in the event loop)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, partial(fn, *args))

    def _s(self) -> WorkshopSession:
        assert self._session is not None, "the host has not started"
        return self._session

    def _open(self) -> dict[str, str]:
        self._session = WorkshopSession.open(self.session_id, self.folder)
        return self._session.join_codes()

    # ------------------------------------------------------------------ lifecycle
    def app(self) -> web.Application:
        """The aiohttp application (every route)."""
        app = web.Application(client_max_size=wire.MAX_BODY, middlewares=[self._errors])
        app.add_routes(
            [
                web.get("/api/hello", self.hello),
                web.get("/api/team", self.team),
                web.get("/api/status", self.status),
                web.put("/api/draft", self.draft),
                web.post("/api/check", self.check),
                web.post("/api/preview", self.preview),
                web.post("/api/submit", self.submit),
                web.get("/api/sheet", self.sheet),
                web.post("/api/sheet", self.submit_sheet),
                web.get("/api/live", self.live),
                web.get("/api/facilitator", self.facilitator),
                web.post("/api/facilitator/resolve", self.resolve),
                web.post("/api/facilitator/deadline", self.deadline),
            ]
        )
        return app

    async def start(self, bind: str = "0.0.0.0", port: int = DEFAULT_PORT) -> list[str]:
        """Open the session, listen on ``bind:port`` and return the addresses to type.

        Raises :class:`WorkshopError` in words (no such session, port in use...)."""
        codes = await self._run(self._open)
        self._codes = {code: team for team, code in codes.items()}
        await self._refresh_mark()
        runner = web.AppRunner(self.app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, bind, port, reuse_address=True)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise WorkshopError(_listen_problem(bind, port, exc)) from None
        self._runner = runner
        real_port = port or _bound_port(runner)
        self.addresses = lan_addresses(bind, real_port)
        self._watch = asyncio.create_task(self._watch_store())
        return self.addresses

    async def stop(self) -> None:
        """Close every connection, stop listening and close the session file."""
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            async with self._pushed:  # no answer waits for a push that will not come
                self._told = self._changes
                self._pushed.notify_all()
        for sockets in list(self._sockets.values()):
            for ws in list(sockets):
                await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._run(self._session.close)
        self._pool.shutdown(wait=False)

    # ------------------------------------------------------------------ who is asking
    def _who(self, request: web.Request) -> str:
        """The team a request's code belongs to ("" for the facilitator)."""
        auth = request.headers.get("Authorization", "")
        code = wire.normalise_code(auth.removeprefix("Bearer ").strip())
        address = request.remote or "?"
        now = time.monotonic()
        wait = self._throttle.wait(address, now)
        if wait > 0:
            raise Refused(429, phrase("ws_errors.too_many_codes", seconds=int(wait) + 1))
        team = self._codes.get(code) if wire.CODE.fullmatch(code) else None
        if team is None:
            self._throttle.failed(address, now)
            raise Refused(401, phrase("ws_errors.wrong_code"))
        self._throttle.succeeded(address)
        if team != FACILITATOR:
            self._seen[team] = time.monotonic()
        return team

    def _team(self, request: web.Request) -> str:
        team = self._who(request)
        if team == FACILITATOR:
            raise Refused(403, phrase("ws_errors.facilitator_code"))
        return team

    def _facilitator(self, request: web.Request) -> None:
        if self._who(request) != FACILITATOR:
            raise Refused(403, phrase("ws_errors.facilitator_only"))

    @web.middleware
    async def _errors(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Every refusal as JSON with a one-line reason; never a traceback to a client."""
        try:
            return await handler(request)
        except Refused as exc:
            if exc.status == 401:
                await asyncio.sleep(WRONG_CODE_DELAY_S)
            return _json({"error": exc.message, "problems": exc.problems}, exc.status)
        except wire.WireError as exc:
            return _json({"error": str(exc), "problems": []}, 400)
        except WorkshopError as exc:
            return _json({"error": exc.message, "problems": list(exc.problems)}, 409)
        except web.HTTPRequestEntityTooLarge:
            limit = wire.MAX_BODY // 1024
            return _json({"error": phrase("ws_errors.over_limit", limit=limit)}, 413)
        except web.HTTPException as exc:
            return _json({"error": exc.reason or "refused", "problems": []}, exc.status)
        except Exception as exc:  # a bug of ours: one line here, a clear refusal there
            print(f"workshop host: {request.path} failed: {exc!r}"[:300], file=sys.stderr)
            return _json({"error": phrase("ws_errors.internal")}, 500)

    async def _body(self, request: web.Request, model: type[wire.Request]) -> Any:
        if request.content_length is not None and request.content_length > wire.MAX_BODY:
            raise Refused(413, phrase("ws_errors.over_limit", limit=wire.MAX_BODY // 1024))
        return wire.read_body(await request.read(), model)

    # ------------------------------------------------------------------ team routes
    async def hello(self, request: web.Request) -> web.Response:
        """Who this host is (no code needed): the join screen shows it before joining."""
        s = self._s()
        return _json(
            {
                "app": "crossroads",
                "session": s.id,
                "scenario": s.scenario.title,
                "mode": s.mode,
                "role": s.info.role,
            }
        )

    async def team(self, request: web.Request) -> web.Response:
        """The team's package: everything its hub shows for the open round."""
        team = self._team(request)
        return _json_text(await self._run(self._package_text, team))

    async def status(self, request: web.Request) -> web.Response:
        """The round's progress as the team may see it."""
        if self._who(request) == FACILITATOR:
            return _json(await self._run(self._facilitator_status))
        team = self._team(request)
        return _json(await self._run(self._status, team))

    async def draft(self, request: web.Request) -> web.Response:
        """Keep the team's unfinished draft on the host."""
        team = self._team(request)
        body = await self._body(request, wire.DecisionsBody)
        await self._run(self._keep_draft, team, body.decisions, body.company)
        return _json({"ok": True})

    async def check(self, request: web.Request) -> web.Response:
        """The engine's check and outlook of a draft (nothing is recorded)."""
        team = self._team(request)
        body = await self._body(request, wire.DecisionsBody)
        return _json(await self._run(self._check, team, body.decisions, body.company))

    async def preview(self, request: web.Request) -> web.Response:
        """The expected effect of a draft's prices and marketing on the team's next round."""
        team = self._team(request)
        body = await self._body(request, wire.DecisionsBody)
        return _json(await self._run(self._preview, team, body.decisions))

    async def submit(self, request: web.Request) -> web.Response:
        """Hand in; acknowledged only once the decisions are on disk."""
        team = self._team(request)
        body = await self._body(request, wire.SubmitBody)
        decisions = body.decisions
        if split_key(team)[1] is not None:  # a company seat: its turn beside the decisions
            decisions = {"decisions": body.decisions, "company": body.company}
        answer = await self._hand_in(team, body.id, decisions)
        await self._announce()
        return _json(answer)

    async def _hand_in(self, team: str, receipt: str, decisions: dict[str, Any]) -> Any:
        """Record a hand-in: those that arrive while others are being written are written
        together, in one transaction (one sync to disk for all, not one each)."""
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._hand_ins.append((team, receipt, decisions, answer))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_hand_ins())
        return await answer

    async def _write_hand_ins(self) -> None:
        while self._hand_ins:
            batch, self._hand_ins = self._hand_ins, []
            try:
                found = await self._run(self._submit_many, [h[:3] for h in batch])
            except Exception as exc:  # the worker could not even start: each is refused
                found = [exc] * len(batch)
            for (*_, answer), result in zip(batch, found, strict=True):
                if answer.done():  # its client went away
                    continue
                if isinstance(result, Exception):
                    answer.set_exception(result)
                else:
                    answer.set_result(result)

    async def sheet(self, request: web.Request) -> web.Response:
        """The team's pre-filled decision sheet for the open round."""
        team = self._team(request)
        return _json(await self._run(self._sheet, team))

    async def submit_sheet(self, request: web.Request) -> web.Response:
        """Hand in a decision sheet's text (the same checks as ``workshop submit``)."""
        team = self._team(request)
        body = await self._body(request, wire.SheetBody)
        answer = await self._run(self._submit_sheet, team, body.id, body.sheet)
        await self._announce()
        return _json(answer)

    async def live(self, request: web.Request) -> web.StreamResponse:
        """A WebSocket of status messages: one at once, then one whenever anything changes."""
        team = self._who(request)
        ws = web.WebSocketResponse(heartbeat=HEARTBEAT_S, max_msg_size=4096)
        await ws.prepare(request)
        key = team if team != FACILITATOR else "*facilitator*"
        self._sockets.setdefault(key, set()).add(ws)
        try:
            await ws.send_str(wire.dump(await self._run(self._status_of, key)))
            async for msg in ws:  # clients say nothing; anything they send is ignored
                if msg.type == WSMsgType.ERROR:
                    break
        finally:
            self._sockets.get(key, set()).discard(ws)
            if team != FACILITATOR:
                self._seen[team] = time.monotonic()
        return ws

    # ------------------------------------------------------------------ facilitator routes
    async def facilitator(self, request: web.Request) -> web.Response:
        """Every team's hand-in and connection (the facilitator's code only)."""
        self._facilitator(request)
        return _json(await self._run(self._facilitator_status))

    async def resolve(self, request: web.Request) -> web.Response:
        """Play the open round (the facilitator's code only)."""
        self._facilitator(request)
        body = await self._body(request, wire.ResolveBody)
        answer = await self._run(self._resolve, body.keep_course)
        await self._announce()
        return _json(answer)

    async def deadline(self, request: web.Request) -> web.Response:
        """Set or remove the open round's deadline (the facilitator's code only)."""
        self._facilitator(request)
        body = await self._body(request, wire.DeadlineBody)
        at = await self._run(self._s().set_deadline, body.minutes)
        await self._announce()
        return _json({"deadline": at})

    # ------------------------------------------------------------------ in the worker
    def _state(self) -> dict[str, Any]:
        """What every status says of the session, read from the file once."""
        s = self._s()
        resolved = s.resolved
        finished = resolved >= s.info.rounds
        return {
            "session": s.id,
            "round": min(resolved + 1, s.info.rounds),
            "rounds": s.info.rounds,
            "resolved": resolved,
            "finished": finished,
            "submitted": s.submitted() if not finished else {},
            "teams": s.teams,
            "deadline": s.deadline(),
            "now": time.time(),
            # a company workshop: each seat's hand-in, by seat key
            "seats": {
                seat_key(t, seat): done
                for t, by_seat in (s.seat_status().items() if s.company and not finished else ())
                for seat, done in by_seat.items()
            },
        }

    def _status(self, team: str, state: dict[str, Any] | None = None) -> dict[str, Any]:
        st = state or self._state()
        submitted = st["submitted"]
        name, seat = split_key(team)
        out = {
            "session": st["session"],
            "team": name,
            "round": st["round"],
            "rounds": st["rounds"],
            "resolved": st["resolved"],
            "finished": st["finished"],
            "submitted": bool(submitted.get(team)),
            "handed_in": sum(submitted.values()),
            "teams": len(st["teams"]),
            "deadline": st["deadline"],
            "now": st["now"],
        }
        if seat is not None:  # a company seat: its own hand-in, its company's seats, the
            # CPO's direction as it stands (a PM's hub shows it as the CPO changes it)
            out["submitted"] = bool(st["seats"].get(team))
            out["seats"] = {
                split_key(k)[1]: v for k, v in st["seats"].items() if split_key(k)[0] == name
            }
            if not st["finished"]:
                part = self._s().company_part(name, seat)
                out["themes"] = part.themes
                out["direction"] = {k: v.model_dump(mode="json") for k, v in part.direction.items()}
        return out

    def _status_of(self, key: str, state: dict[str, Any] | None = None) -> dict[str, Any]:
        if key == "*facilitator*":
            return self._facilitator_status(state)
        return self._status(key, state)

    def _facilitator_status(self, state: dict[str, Any] | None = None) -> dict[str, Any]:
        st = state or self._state()
        status = self._status("", st)
        status.pop("team")
        status.pop("submitted")
        submitted = st["submitted"] if not st["finished"] else {}
        if self._s().company:  # one link per seat
            submitted = st["seats"]
        keys = self._s().seat_keys() if self._s().company else st["teams"]
        status["team_links"] = [
            {"team": t, "connected": self.connected(t), "handed_in": submitted.get(t, False)}
            for t in keys
        ]
        return status

    def _package_text(self, team: str) -> str:
        """The team's package as JSON text, made again only when the session file changed
        (its change mark) or the team kept another draft: several copies of one team, and
        every client coming back after a lost connection, ask for the same package."""
        s = self._s()
        name, seat = split_key(team)
        keys = [team] if seat is None else [seat_key(name, k) for k in s.seat_ids()]
        key = (s.store.change_mark(), [s.store.draft(k, s.current_round) for k in keys])
        cached = self._packages.get(team)
        if cached is None or cached[0] != key:
            cached = self._packages[team] = (key, wire.dump(self._package(team)))
        return cached[1]

    def _source(self) -> str:
        """The session's scenario text (read once: a session's copy never changes)."""
        if self._text is None:
            self._text = self._s().store.scenario_text()
        return self._text

    def _package(self, team: str) -> dict[str, Any]:
        name, seat = split_key(team)
        if seat is not None:
            return self._seat_package(name, seat)
        s = self._s()
        view = s.team_view(team)
        m = s.worlds().maps[team]
        kept = s.kept_draft(team) if not s.finished else None
        package = wire.Package(
            session={
                "id": s.id,
                "scenario_id": s.info.scenario_id,
                "mode": s.mode,
                "role": s.info.role,
                "coach": s.info.coach,
            },
            team=team,
            round=view.round,  # rounds + 1 once the session is over (as current_round)
            rounds=view.rounds,
            finished=s.finished,
            submitted=view.submitted,
            scenario=s.worlds().sims[team].scenario,
            source=self._source(),
            market_teams=list(s.team_ids_names().items()) if s.mode == "shared" else [],
            map=m,
            firm=view.firm,
            scorecard=view.scorecard,
            draft=kept
            or (s.next_draft(team) if not s.finished else s.last_decisions(team))
            or Decisions(),
            previous=s.last_decisions(team),
            leaderboard=s.leaderboard() if s.resolved else [],
            deadline=s.deadline(),
        )
        return wire.pack(package)

    def _seat_package(self, team: str, seat: str) -> dict[str, Any]:
        """A company seat's package: the seat's own view, decisions and company part."""
        s = self._s()
        view = s.team_view(team)
        w = s.worlds()
        role = "cpo" if seat == "cpo" else "pm"
        if s.finished:
            draft = seat_decisions(
                Seat.parse(seat, list(s.lines)), s.last_decisions(team) or Decisions()
            )
        else:
            draft = s.seat_draft(team, seat)[0]
        last = w.company[team].rounds[-1] if w.company[team].rounds else None
        previous = None
        if last is not None and seat == "cpo":
            previous = last.cpo.decisions
        elif last is not None and seat[3:] in last.pms:
            previous = Decisions(products={seat[3:]: last.pms[seat[3:]].decision})
        package = wire.Package(
            session={
                "id": s.id,
                "scenario_id": s.info.scenario_id,
                "mode": s.mode,
                "role": role,
                "coach": s.info.coach,
                "company": True,
            },
            team=team,
            round=view.round,
            rounds=view.rounds,
            finished=s.finished,
            submitted=s.seat_status().get(team, {}).get(seat, False) and not s.finished,
            scenario=w.sims[team].scenario,
            source=self._source(),
            market_teams=list(s.team_ids_names().items()) if s.mode == "shared" else [],
            map=w.maps[team],
            firm=s.seat_view(team, seat),
            scorecard=view.scorecard,
            draft=draft,
            previous=previous,
            leaderboard=s.leaderboard() if s.resolved else [],
            deadline=s.deadline(),
            company=s.company_part(team, seat),
        )
        return wire.pack(package)

    def _desk(self, team: str) -> Any:
        """The team's desk at the open round (rebuilt once a round is played or rewound)."""
        from game.workshop.team_desk import TeamDesk

        s = self._s()
        w = s.worlds()  # a new object after a rewind, here or in another copy of the session
        cached = self._desks.get(team)
        if cached is None or cached[0] is not w or cached[1] != len(w.played):
            self._desks[team] = (w, len(w.played), TeamDesk(s, team))
        return self._desks[team][2]

    def _parsed(self, decisions: dict[str, Any]) -> Any:
        from engine.decision_check import parse

        parsed, shape = parse(decisions)
        if parsed is None:
            raise WorkshopError(
                phrase("ws_errors.not_well_formed", what=phrase("ws_errors.the_decisions")),
                [str(p) for p in shape],
            )
        return parsed

    def _check(
        self, team: str, decisions: dict[str, Any], company: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        from engine.decision_check import parse

        name, seat = split_key(team)
        if seat is not None:
            return self._check_seat(name, seat, decisions, company)
        parsed, shape = parse(decisions)
        desk = self._desk(team)
        if parsed is None:
            return {"problems": wire.to_json("problem", shape), "outlook": None}
        market = desk.map.to_market(parsed)
        return {
            "problems": wire.to_json("problem", desk.engine_problems(market)),
            "outlook": wire.to_json("outlook", desk.engine_outlook(market)),
        }

    def _check_seat(
        self, team: str, seat: str, decisions: dict[str, Any], company: dict[str, Any] | None
    ) -> dict[str, Any]:
        """A company seat's check: its problems as played and the live flags; the CPO's
        portfolio outlook (a PM sees only its line, so no outlook of the others)."""
        from engine.decision_check import parse

        s = self._s()
        parsed, shape = parse(decisions)
        if parsed is None:
            return {"problems": wire.to_json("problem", shape), "outlook": None}
        problems = s.seat_problems(team, seat, parsed, company)
        outlook = None
        if seat == "cpo":
            w = s.worlds()
            sim, m = w.sims[team], w.maps[team]
            outlook = wire.to_json("outlook", sim.outlook(m.firm, m.to_market(parsed)))
        return {"problems": wire.to_json("problem", problems), "outlook": outlook}

    def _keep_draft(
        self, team: str, decisions: dict[str, Any], company: dict[str, Any] | None
    ) -> None:
        name, seat = split_key(team)
        if seat is None:
            self._s().keep_draft(team, decisions)
        else:
            self._s().keep_seat_draft(name, seat, decisions, company)

    def _preview(self, team: str, decisions: dict[str, Any]) -> dict[str, Any]:
        if split_key(team)[1] is not None:
            return {"preview": None, "error": phrase("ws_errors.no_company_preview")}
        desk = self._desk(team)
        market = desk.map.to_market(self._parsed(decisions))
        try:
            found = desk.preview(market)
        except ValueError as exc:
            return {"preview": None, "error": str(exc)}
        return {"preview": None if found is None else wire.to_json("preview", found)}

    def _submit(self, team: str, receipt: str, decisions: dict[str, Any]) -> dict[str, Any]:
        s = self._s()
        warnings = s.submit(team, decisions, receipt_id=receipt)
        return self._acknowledgement(receipt, warnings)

    def _acknowledgement(self, receipt: str, warnings: list[str]) -> dict[str, Any]:
        s = self._s()
        # The round the hand-in is recorded in, from its receipt: a retry that arrives after
        # that round was resolved is acknowledged for it, never for the round now open.
        recorded = s.store.receipt(receipt)
        round_ = recorded[1] if recorded is not None else s.current_round
        return {"ok": True, "round": round_, "warnings": warnings}

    def _sheet(self, team: str) -> dict[str, Any]:
        from game.workshop.sheet import seat_template, template

        s = self._s()
        name, seat = split_key(team)
        if s.finished:
            raise WorkshopError(phrase("ws_errors.session_ended", rounds=s.info.rounds))
        text = template(s, team) if seat is None else seat_template(s, name, seat)
        return {"round": s.current_round, "sheet": text}

    def _submit_many(self, hand_ins: list[tuple[str, str, dict[str, Any]]]) -> list[Any]:
        """:meth:`_submit` of each ``(team, receipt, decisions)``, written together."""
        found = self._s().submit_many([(t, decisions, r) for t, r, decisions in hand_ins])
        return [
            f if isinstance(f, Exception) else self._acknowledgement(receipt, f)
            for (_, receipt, _), f in zip(hand_ins, found, strict=True)
        ]

    def _submit_sheet(self, team: str, receipt: str, text: str) -> dict[str, Any]:
        from game.workshop.sheet import parse_seat_sheet, parse_sheet

        s = self._s()
        name, seat = split_key(team)
        if seat is not None:  # a company seat's sheet: its decisions and its company part
            if s.store.receipt(receipt) is None:
                decisions, extra = parse_seat_sheet(text, "the sheet", s, name, seat)
                body = {"decisions": wire.decisions_json(decisions), "company": extra}
            else:
                body = {"decisions": {}, "company": None}  # a retry: from the receipt
            return self._submit(team, receipt, body)
        if s.store.receipt(receipt) is None:
            decisions = parse_sheet(text, "the sheet", s, team)
        else:
            decisions = Decisions()  # a retry: acknowledged from the receipt
        return self._submit(team, receipt, wire.decisions_json(decisions))

    def _resolve(self, keep_course: bool) -> dict[str, Any]:
        s = self._s()
        result = s.resolve(keep_course=keep_course)
        return {
            "round": result.round,
            "kept_course": result.kept_course,
            "finished": s.finished,
            "leaderboard": s.leaderboard(),
        }

    def _look(
        self, last: tuple[int, ...] = (), keys: tuple[str, ...] = ()
    ) -> tuple[tuple[int, ...], dict[str, bool], int, int, dict[str, str]]:
        """The file's change mark, what the facilitator's screen shows and, when the mark is
        not ``last``, the status text for each of ``keys`` (live connections)."""
        s = self._s()
        mark = _change_mark(s)
        round_ = s.current_round
        if self.deadline_minutes is not None and not s.finished and self._deadlined != round_:
            if s.deadline() is None:  # every round closes this long after it opens...
                s.set_deadline(self.deadline_minutes)
                mark = _change_mark(s)
            self._deadlined = round_  # ...once: the facilitator may then move or remove it
        state = self._state()
        submitted = state["submitted"] if not state["finished"] else dict.fromkeys(s.teams, False)
        if s.company:  # the facilitator's links are the seats'
            submitted = state["seats"] or dict.fromkeys(s.seat_keys(), False)
        texts = {}
        if mark != last:
            texts = {key: wire.dump(self._status_of(key, state)) for key in keys}
        return mark, submitted, state["round"], state["rounds"], texts

    # ------------------------------------------------------------------ live status
    def connected(self, team: str) -> bool:
        """True while the team has a live connection or asked something very recently."""
        if self._sockets.get(team):
            return True
        seen = self._seen.get(team)
        return seen is not None and time.monotonic() - seen < SEEN_S

    def links(self) -> list[TeamLink]:
        """Each team's code, connection and hand-in (safe to call from another thread)."""
        codes = {team: code for code, team in self._codes.items() if team != FACILITATOR}
        return [
            TeamLink(t, codes.get(t, ""), self.connected(t), self.handed_in.get(t, False))
            for t in codes
        ]

    def facilitator_code(self) -> str:
        """The facilitator's own code."""
        return next((c for c, t in self._codes.items() if t == FACILITATOR), "")

    async def _refresh_mark(self) -> bool:
        """Look at the file; when it changed, push the new status to every live connection."""
        keys = tuple(key for key, sockets in self._sockets.items() if sockets)
        mark, submitted, round_, rounds, texts = await self._run(self._look, self._mark, keys)
        self.handed_in, self.round, self.rounds = submitted, round_, rounds
        changed = mark != self._mark
        self._mark = mark
        if changed:
            await self._broadcast(texts)
        return changed

    async def _watch_store(self) -> None:
        """Notice changes made by anyone (this host, the facilitator's window, a terminal):
        every :attr:`poll` seconds, and at once when woken by :meth:`_announce`. One look
        (one turn of the worker) serves every change made since the last one."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll)
            self._wake.clear()
            upto = self._changes
            try:
                await self._refresh_mark()
            except Exception as exc:  # a busy or locked file, or a bug: say so, look again
                self._trouble(exc)
            finally:
                async with self._pushed:
                    self._told = max(self._told, upto)
                    self._pushed.notify_all()

    def _trouble(self, exc: BaseException) -> None:
        """One line on the host's terminal when a look at the file failed (not repeated)."""
        line = f"workshop host: could not read the session file: {exc}"[:300]
        if line != self._last_trouble:
            print(line, file=sys.stderr)
            self._last_trouble = line

    async def _announce(self) -> None:
        """Push the new status at once after a change made through this host: returns once
        a look that began after the change has pushed it (bounded by :data:`PUSH_WAIT_S`)."""
        self._changes += 1
        change = self._changes
        self._wake.set()
        with contextlib.suppress(TimeoutError):
            async with self._pushed:
                await asyncio.wait_for(
                    self._pushed.wait_for(lambda: self._told >= change), PUSH_WAIT_S
                )

    async def _broadcast(self, texts: dict[str, str]) -> None:
        for key, text in texts.items():
            for ws in list(self._sockets.get(key, ())):
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await ws.send_str(text)


def _change_mark(s: WorkshopSession) -> tuple[int, ...]:
    """What the live status of anyone may show changed: the file's change mark, and in a
    company workshop the drafts too (a seat's status shows the CPO's direction as drafted)."""
    mark = s.store.change_mark()
    return (*mark, *s.store.draft_mark()) if s.company else mark


def _json(data: Any, status: int = 200) -> web.Response:
    return _json_text(wire.dump(data), status)


def _json_text(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="application/json")


def _bound_port(runner: web.AppRunner) -> int:
    for site in runner.sites:
        server = getattr(site, "_server", None)
        if server is not None and server.sockets:
            return int(server.sockets[0].getsockname()[1])
    return 0


def _listen_problem(bind: str, port: int, exc: OSError) -> str:
    text = str(exc).lower()
    if "in use" in text or getattr(exc, "errno", None) in (48, 98, 10048):
        return phrase("ws_errors.port_in_use", port=port)
    if "assign" in text or "not available" in text:
        return phrase("ws_errors.not_our_address", bind=bind)
    if "permission" in text or "access" in text:
        return phrase("ws_errors.port_not_allowed", port=port)
    return phrase("ws_errors.cannot_listen", bind=bind, port=port, reason=str(exc))


def lan_addresses(bind: str, port: int) -> list[str]:
    """The addresses teams can type to reach this host (LAN first, never a guess)."""
    if bind not in ("0.0.0.0", "::", ""):
        return [f"{bind}:{port}"]
    found: list[str] = []
    # Connecting a UDP socket sends nothing; it only picks the outgoing interface.
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))
        found.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    usable = []
    for a in dict.fromkeys(found):
        with contextlib.suppress(ValueError):
            ip = ipaddress.ip_address(a)
            if not ip.is_loopback and not ip.is_unspecified and not ip.is_link_local:
                usable.append(f"{a}:{port}")
    return usable or [f"127.0.0.1:{port}"]


class HostThread:
    """A host running in a background thread (the facilitator's window keeps drawing)."""

    def __init__(self, host: Host, bind: str = "0.0.0.0", port: int = DEFAULT_PORT) -> None:
        self.host = host
        self.error: str | None = None
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._main, args=(bind, port), daemon=True, name="workshop-host-loop"
        )
        self._thread.start()

    def _main(self, bind: str, port: int) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self.host.start(bind, port))
        except WorkshopError as exc:
            self.error = str(exc)
        except Exception as exc:  # shown in words in the facilitator's window
            self.error = phrase("ws_errors.could_not_start", reason=str(exc))
        self._ready.set()
        if self.error is None:
            self._loop.run_forever()
        with contextlib.suppress(Exception):  # a failed start still closes the session file
            self._loop.run_until_complete(self.host.stop())
        self._loop.close()
        self._stopped.set()

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Block until the host listens or failed (``error``); True when it is ready."""
        return self._ready.wait(timeout) and self.error is None

    @property
    def ready(self) -> bool:
        """True once the host has started (or failed: see ``error``)."""
        return self._ready.is_set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving and close the session file (a host still starting is let finish
        starting first, so it never goes on serving after being stopped)."""
        self._ready.wait(timeout)
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nothing to stop
            if self.error is None and not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self._loop.stop)
        self._stopped.wait(timeout)


def serve(
    session_id: str,
    bind: str = "0.0.0.0",
    port: int = DEFAULT_PORT,
    deadline_minutes: float | None = None,
    folder: Path | None = None,
    announce: Callable[[Host], None] | None = None,
) -> None:
    """Serve a session until interrupted (Ctrl+C); ``announce`` is told once it listens."""

    async def main() -> None:
        host = Host(session_id, folder, deadline_minutes)
        await host.start(bind, port)
        if announce is not None:
            announce(host)
        try:
            await asyncio.Event().wait()
        finally:
            await host.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
