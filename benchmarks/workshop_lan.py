"""Network workshop benchmark (issue 15): a host and its team clients on loopback; prints figures,
never asserts them.

    python benchmarks/workshop_lan.py [--teams 30] [--rounds 1] [--json]
        [--mode shared|parallel] [--session-teams N] [--resolution N] [--in-process]
        [--timeout SECONDS]

It creates a temporary session of the bundled tutorial (shared market by default, every quarter
as a round, ``--resolution`` synthetic customers per segment: 2 000 by default, a tenth of the
scenario's, so a round resolves in about a tenth of a second) and serves it with
``game.workshop.host.serve`` in a separate Python process on 127.0.0.1 (``--in-process``:
a :class:`~game.workshop.host.HostThread` in this process instead). ``--teams`` team clients
(:class:`~game.workshop.client.HostClient`, one connection pool each) join: each fetches its
team package (``GET /api/team``) and keeps a live status WebSocket open (``/api/live``).
A session holds at most 12 teams, so the clients share the teams'
codes in turn — at 30 clients, three copies of the game per team, as several laptops of one
team would. Then, per round:

- every client hands in at once (``asyncio.gather`` of ``POST /api/submit``, each with its
  own hand-in id and a slightly different price); ``submit`` is the time from sending the
  request to the acknowledgement (the host answers only once the hand-in is on disk);
- the facilitator's code resolves the round (``POST /api/facilitator/resolve``): ``resolve``
  is that request's time; ``push`` is, per client, the time from sending the resolve until
  its WebSocket delivered a status showing the round resolved; ``reveal`` is the time until
  it has also fetched its new package (``GET /api/team``, the answer's last byte). The max of
  ``reveal`` is "reveal to every client". Reading a package (JSON, then ``wire.unpack``) is
  timed apart, one client after another, as each laptop would read its own.

Also printed: ``join`` (each client's first package while all of them join at once), the
host's CPU time per phase (Linux; robust when other work shares the machine) and the load
average at the start. Latencies are in milliseconds; p50/p95 are nearest-rank percentiles
over every client and round. Targets (issue 15): submit p95 <= 100 ms, reveal to every client
<= 1 s. The whole run is bounded by ``--timeout`` (120 s): past it the benchmark stops the
host and fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from engine.decisions import Decisions  # noqa: E402
from game.paths import find_scenario  # noqa: E402
from game.workshop import wire  # noqa: E402
from game.workshop.client import HostClient, RemoteError, new_receipt  # noqa: E402
from game.workshop.session import MAX_TEAMS, WorkshopSession  # noqa: E402

SESSION = "bench-lan"
RESOLUTION = 2_000
TARGET_SUBMIT_P95_MS = 100.0
TARGET_REVEAL_MS = 1_000.0
SHARED_TEAMS = 12  # the most a session holds (game.workshop.session.MAX_TEAMS)
SETTLE_S = 10.0  # at most this long for every client to see the last hand-in before resolving

HOST_SCRIPT = """
import sys
from pathlib import Path
sys.path[:0] = {paths!r}
from game.workshop.host import serve

def announce(host):
    print("LISTENING " + host.addresses[0], flush=True)

serve({session!r}, "127.0.0.1", 0, folder=Path({folder!r}), announce=announce)
"""


def pct(values: list[float], q: float) -> float:
    """The nearest-rank ``q`` percentile (0 < q <= 1) of ``values``."""
    ranked = sorted(values)
    return ranked[max(0, math.ceil(q * len(ranked)) - 1)]


def summary(values: list[float]) -> dict[str, float]:
    """p50, p95 and max of latencies in seconds, as milliseconds."""
    return {
        k: round(v * 1000, 1)
        for k, v in {"p50": pct(values, 0.5), "p95": pct(values, 0.95), "max": max(values)}.items()
    }


# ---------------------------------------------------------------------- the session
def make_session(folder: Path, teams: int, mode: str, resolution: int) -> dict[str, str]:
    """Create the benchmark's session in ``folder``; its join codes (facilitator: ``""``)."""
    path = find_scenario("tutorial")
    assert path is not None, "the bundled tutorial is missing"
    session = WorkshopSession.create(
        path.read_text(encoding="utf-8"),
        teams=[f"Team {i + 1:02d}" for i in range(teams)],
        mode=mode,  # type: ignore[arg-type]
        resolution=resolution,
        folder=folder,
        session_id=SESSION,
    )
    try:
        return session.join_codes()
    finally:
        session.close()


# ---------------------------------------------------------------------- the host
class HostProcess:
    """``game.workshop.host.serve`` in a child Python process, listening on 127.0.0.1."""

    kind = "separate process (python -c ... game.workshop.host.serve)"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.proc: asyncio.subprocess.Process | None = None
        self.log = folder / "host-stderr.txt"

    async def start(self) -> str:
        script = HOST_SCRIPT.format(paths=[str(ROOT)], session=SESSION, folder=str(self.folder))
        env = {**os.environ, "CROSSROADS_HOME": str(self.folder)}
        with self.log.open("wb") as err:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-c", script, stdout=subprocess.PIPE, stderr=err, env=env
            )
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), 30.0)
        if not line.startswith(b"LISTENING "):
            raise RuntimeError(f"the host did not start: {self.errors() or line!r}")
        return line.decode().split()[1]

    def cpu(self) -> float | None:
        """CPU seconds the host process has used so far (Linux only; else None)."""
        if self.proc is None:
            return None
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def errors(self) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text(encoding="utf-8", errors="replace").strip()[-2000:]
        return ""

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), 5.0)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            await self.proc.wait()


class HostInThread:
    """A :class:`HostThread` in this process (``--in-process``)."""

    kind = "in-process HostThread"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.thread: Any = None

    async def start(self) -> str:
        from game.workshop.host import Host, HostThread

        os.environ["CROSSROADS_HOME"] = str(self.folder)
        self.thread = HostThread(Host(SESSION, self.folder), "127.0.0.1", 0)
        ready = await asyncio.to_thread(self.thread.wait_ready, 30.0)
        if not ready:
            raise RuntimeError(f"the host did not start: {self.thread.error}")
        return self.thread.host.addresses[0]

    def cpu(self) -> float | None:
        return None  # the clients share this process

    def errors(self) -> str:
        return ""

    async def stop(self) -> None:
        if self.thread is not None:
            await asyncio.to_thread(self.thread.stop)


# ---------------------------------------------------------------------- a team client
@dataclass
class Team:
    """One copy of the game on a team's laptop: a client, its live stream, its package."""

    index: int
    client: HostClient
    package: wire.Package | None = None
    want: int = 0  # the resolved count the client is waiting to be told about
    told: asyncio.Future[float] | None = None
    statuses: list[dict[str, Any]] = field(default_factory=list)
    first: asyncio.Future[None] | None = None
    raw: bytes = b""
    error: str = ""
    task: asyncio.Task[None] | None = None

    async def join(self) -> float:
        """Fetch the package and open the live stream (until its first status)."""
        loop = asyncio.get_running_loop()
        self.first = loop.create_future()
        start = time.perf_counter()
        await self.fetch()
        took = time.perf_counter() - start
        self.task = asyncio.create_task(self._listen())
        await self.first
        return took

    async def fetch(self) -> None:
        """``GET /api/team``: the answer's bytes (:meth:`unpack` reads them, untimed: on a
        team's own laptop it would not wait for the other clients to read theirs).

        Read raw here (not with ``HostClient.package``) so that reading it is timed apart."""
        if self.client._http is None:
            await self.client.__aenter__()
        http = self.client._http
        assert http is not None
        async with http.get(self.client.url + "/api/team") as answer:
            body = await answer.read()
            if answer.status != 200:
                raise RuntimeError(f"client {self.index}: HTTP {answer.status} {body[:200]!r}")
        self.raw = body

    def unpack(self) -> float:
        """Read the package of the last fetch (JSON, then checked by ``wire.unpack`` as
        ``HostClient.package`` does); seconds it took."""
        start = time.perf_counter()
        self.package = wire.unpack(json.loads(self.raw))
        took = time.perf_counter() - start
        if self.want and self.package.round != self.want + 1 and not self.package.finished:
            raise RuntimeError(f"client {self.index} got round {self.package.round} after resolve")
        return took

    async def _listen(self) -> None:
        try:
            async for status in self.client.live():
                now = time.perf_counter()
                self.statuses.append(status)
                if self.first is not None and not self.first.done():
                    self.first.set_result(None)
                told = self.told
                if told is not None and not told.done() and status.get("resolved", 0) >= self.want:
                    told.set_result(now)
            self.error = "the host closed the live connection"
        except RemoteError as exc:
            self.error = exc.message
        for fut in (self.first, self.told):
            if fut is not None and not fut.done():
                fut.set_exception(RuntimeError(f"client {self.index}: {self.error}"))

    def decisions(self) -> Decisions:
        """The package's draft with this client's own price for the first line (the one a
        PM runs in the tutorial), in scenario ids."""
        assert self.package is not None
        p = self.package
        data = wire.decisions_json(p.draft)
        authored, local = next(iter(p.map.products.items()))
        price = p.firm.products[local].price * (0.9 + 0.01 * (self.index % 20))
        data.setdefault("products", {}).setdefault(authored, {})["price"] = round(price, 2)
        return Decisions.model_validate(data)

    async def submit(self, decisions: Decisions) -> float:
        """Hand in; seconds from sending the request to the acknowledgement."""
        receipt = new_receipt()
        start = time.perf_counter()
        try:
            await self.client.submit(decisions, receipt)
        except RemoteError as exc:
            raise RuntimeError(f"{exc.message}: {exc.problems}") from None
        return time.perf_counter() - start

    def expect(self, resolved: int) -> None:
        """Wait for a status showing ``resolved`` rounds resolved (from now on)."""
        self.want = resolved
        self.told = asyncio.get_running_loop().create_future()

    async def reveal(self, sent: float) -> tuple[float, float]:
        """(push, reveal): seconds from ``sent`` to the pushed status and to the new package."""
        assert self.told is not None
        told = await self.told
        await self.fetch()
        return told - sent, time.perf_counter() - sent

    def handed_in(self) -> int:
        return int(self.statuses[-1].get("handed_in", 0)) if self.statuses else 0


# ---------------------------------------------------------------------- the run
class Cpu:
    """The host's CPU time per phase, in ms (robust when other work shares the machine)."""

    def __init__(self, host: HostProcess | HostInThread) -> None:
        self.host = host
        self.last = host.cpu()
        self.used: dict[str, float] | None = None if self.last is None else {}

    def add(self, phase: str | None) -> None:
        """Count the CPU used since the last call towards ``phase`` (None: towards nothing)."""
        now = self.host.cpu()
        if self.used is not None and now is not None and self.last is not None and phase:
            self.used[phase] = round(self.used.get(phase, 0.0) + (now - self.last) * 1000)
        self.last = now


async def timed(work: Any) -> tuple[Any, float]:
    """``await work`` and the moment it finished."""
    found = await work
    return found, time.perf_counter()


async def settle(teams: list[Team], count: int) -> None:
    """Until every client's last pushed status shows ``count`` hand-ins (bounded)."""
    end = time.perf_counter() + SETTLE_S
    while time.perf_counter() < end and any(t.handed_in() < count for t in teams):
        await asyncio.sleep(0.01)


async def bench(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    load = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    top = SHARED_TEAMS if args.mode == "shared" else MAX_TEAMS
    session_teams = args.session_teams or min(args.teams, top)
    codes = make_session(folder, session_teams, args.mode, args.resolution)
    names = [t for t in codes if t != ""]
    host = HostInThread(folder) if args.in_process else HostProcess(folder)
    address = await host.start()
    teams: list[Team] = []
    facilitator = HostClient(address, codes[""], timeout=60.0)
    try:
        hello = await facilitator.hello()
        teams = [
            Team(i, HostClient(address, codes[names[i % len(names)]], timeout=60.0))
            for i in range(args.teams)
        ]
        cpu = Cpu(host)
        join = await asyncio.gather(*(t.join() for t in teams))
        cpu.add("join")
        unpacks = [t.unpack() for t in teams]  # one after another: no client waits on another
        submits: list[float] = []
        resolves: list[float] = []
        pushes: list[float] = []
        reveals: list[float] = []
        rounds = []
        for r in range(1, args.rounds + 1):
            decisions = [t.decisions() for t in teams]
            cpu.add(None)
            took = await asyncio.gather(
                *(t.submit(d) for t, d in zip(teams, decisions, strict=True))
            )
            status = await facilitator.status()
            if status.get("handed_in") != session_teams:
                raise RuntimeError(f"the host counts {status.get('handed_in')} hand-ins")
            await settle(teams, session_teams)
            cpu.add("submit")
            for t in teams:
                t.expect(r)
            cpu.add(None)
            sent = time.perf_counter()
            resolving = asyncio.create_task(timed(facilitator.resolve()))
            seen = await asyncio.gather(*(t.reveal(sent) for t in teams))
            answer, answered = await resolving
            cpu.add("reveal")
            unpacks += [t.unpack() for t in teams]
            resolve_s = answered - sent
            if answer.get("round") != r:
                raise RuntimeError(f"the host resolved {answer.get('round')}, not round {r}")
            submits += took
            resolves.append(resolve_s)
            pushes += [p for p, _ in seen]
            reveals += [v for _, v in seen]
            rounds.append(
                {
                    "round": r,
                    "submit_ms": summary(list(took)),
                    "resolve_ms": round(resolve_s * 1000, 1),
                    "push_ms": summary([p for p, _ in seen]),
                    "reveal_ms": summary([v for _, v in seen]),
                }
            )
    except (RuntimeError, RemoteError) as exc:
        raise RuntimeError(f"{exc}\n{host.errors()}".strip()) from None
    finally:
        for t in teams:
            await t.client.close()
            if t.task is not None:
                t.task.cancel()
        await facilitator.close()
        await host.stop()
    return {
        "host": host.kind,
        "address": address,
        "scenario": hello.get("scenario"),
        "mode": args.mode,
        "resolution": args.resolution,
        "session_teams": session_teams,
        "clients": args.teams,
        "rounds": args.rounds,
        "join_ms": summary(list(join)),
        "submit_ms": summary(submits),
        "resolve_ms": summary(resolves),
        "push_ms": summary(pushes),
        "reveal_ms": summary(reveals),
        "unpack_ms": summary(unpacks),
        "host_cpu_ms": cpu.used,
        "per_round": rounds,
        "targets": {"submit_p95_ms": TARGET_SUBMIT_P95_MS, "reveal_max_ms": TARGET_REVEAL_MS},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load": load,  # other work on the machine (1-minute load average at the start)
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=30, help="team clients (default 30)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds played (default 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--mode", choices=["shared", "parallel"], default="shared")
    parser.add_argument(
        "--session-teams",
        type=int,
        help=f"teams in the session (default: the clients, at most {SHARED_TEAMS} in a shared "
        f"market, {MAX_TEAMS} in parallel worlds)",
    )
    parser.add_argument(
        "--resolution", type=int, default=RESOLUTION, help="customers per segment (default 2000)"
    )
    parser.add_argument(
        "--in-process", action="store_true", help="run the host in a thread of this process"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="hard limit (seconds)")
    args = parser.parse_args()
    if not 2 <= args.teams <= 200:
        parser.error("--teams is between 2 and 200 clients")
    if args.session_teams is not None and not 2 <= args.session_teams <= min(MAX_TEAMS, args.teams):
        parser.error(f"--session-teams is between 2 and {MAX_TEAMS}, and at most --teams")
    if not 1 <= args.rounds <= 12:
        parser.error("--rounds is between 1 and 12 (the tutorial's quarters)")
    if not 10 <= args.resolution <= 200_000:
        parser.error("--resolution is between 10 and 200000")
    if not 0 < args.timeout <= 600:
        parser.error("--timeout is between 0 and 600 seconds")
    with tempfile.TemporaryDirectory(prefix="crossroads-lan-") as tmp:
        try:
            figures = asyncio.run(asyncio.wait_for(bench(args, Path(tmp)), args.timeout))
        except TimeoutError:
            print(f"workshop_lan: gave up after {args.timeout:.0f} s", file=sys.stderr)
            return 1
        except (RuntimeError, RemoteError) as exc:
            print(f"workshop_lan: {exc}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(figures, allow_nan=False))
        return 0
    report(figures)
    return 0


def report(f: dict[str, Any]) -> None:
    """The figures as text."""

    def line(name: str, s: dict[str, float], target: str = "") -> None:
        print(
            f"  {name:<26} p50 {s['p50']:7.1f}   p95 {s['p95']:7.1f}   max {s['max']:7.1f} ms"
            + (f"   ({target})" if target else "")
        )

    market = "shared market" if f["mode"] == "shared" else "parallel worlds"
    print(
        f"workshop over loopback: {f['clients']} team clients on {f['session_teams']} teams, "
        f"{f['scenario']} ({market}, resolution {f['resolution']}), {f['rounds']} round(s)"
    )
    m = f["machine"]
    load = "" if m["load"] is None else f", load average {m['load']:.2f} at the start"
    print(f"  host: {f['host']} at {f['address']}; {m['cpus']} CPUs{load}")
    line("join (first package)", f["join_ms"])
    line("submit -> acknowledged", f["submit_ms"], "target p95 <= 100")
    line("resolve request", f["resolve_ms"])
    line("resolve -> status pushed", f["push_ms"])
    line("reveal (package fetched)", f["reveal_ms"], "target: every client <= 1000")
    line("client reads a package", f["unpack_ms"])
    if f["host_cpu_ms"]:
        used = ", ".join(f"{k} {v:.0f} ms" for k, v in f["host_cpu_ms"].items())
        print(f"  host CPU time: {used} (summed over the rounds)")


if __name__ == "__main__":
    raise SystemExit(main())
