"""Processes for the network workshop tests: a host, team clients and CLI commands.

Everything runs on 127.0.0.1 with bounded waits. :class:`Processes` starts every child and
kills whatever is still running when a test ends. A team client is this file run as a
script (``python network_play.py team URL CODE``): a long-lived process holding one
:class:`~game.workshop.client.HostClient`, told what to do by JSON lines on its stdin and
answering with one JSON line each, like a team's copy of Crossroads that stays open for the
whole session.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import queue
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
START_S = 60.0  # a child's start-up (imports) on a busy two-core machine
ANSWER_S = 60.0  # one request or command
CODE_LINE = re.compile(r"^(.+) ([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})$")


def child_env() -> dict[str, str]:
    """The environment of every child: this test's CROSSROADS_HOME, headless, this tree."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.setdefault("SDL_VIDEODRIVER", "dummy")
    env.setdefault("SDL_AUDIODRIVER", "dummy")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def free_port() -> int:
    """A TCP port nothing listens on now (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], Any], timeout: float, what: str, every: float = 0.05) -> Any:
    """Poll ``check`` until it returns something truthy (returned), or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


class Lines:
    """The lines a pipe delivers, read by a thread so that every read can have a deadline."""

    def __init__(self, pipe: IO[str]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self.closed = False
        threading.Thread(target=self._pump, args=(pipe,), daemon=True).start()

    def _pump(self, pipe: IO[str]) -> None:
        with contextlib.suppress(ValueError, OSError):
            for line in pipe:
                self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def next(self, timeout: float) -> str | None:
        """The next line (None once the pipe is closed); AssertionError after ``timeout``."""
        if self.closed:
            return None
        try:
            line = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line within {timeout:.0f} s") from None
        if line is None:
            self.closed = True
        else:
            self.seen.append(line)
        return line

    def text(self) -> str:
        """Everything read so far."""
        return "\n".join(self.seen)


class Child:
    """One child process with its stdout read line by line and its stderr kept."""

    def __init__(self, argv: list[str], stdin: bool = False) -> None:
        self.argv = argv
        self.name = " ".join(Path(a).name if a == __file__ else a for a in argv[1:6])
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=child_env(),
        )
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.out = Lines(self.proc.stdout)
        self.err = Lines(self.proc.stderr)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def line(self, timeout: float = ANSWER_S) -> str:
        """The next stdout line; AssertionError (with stderr) if the child ended instead."""
        try:
            line = self.out.next(timeout)
        except AssertionError:
            raise AssertionError(f"{self.name}: {self.why()}") from None
        if line is None:
            raise AssertionError(f"{self.name} ended: {self.why()}")
        return line

    def why(self) -> str:
        """What the child said on stderr so far (for a failure message)."""
        time.sleep(0.1)
        return f"exit {self.proc.poll()}; stderr: {self.err.text()[-2000:]}"

    def kill(self) -> None:
        """SIGKILL (``kill -9``) and reap."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)

    def finish(self, timeout: float = ANSWER_S) -> tuple[int, str, str]:
        """Wait for a command to end: (exit code, stdout, stderr)."""
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"{self.name} did not finish in {timeout:.0f} s") from None
        deadline = time.monotonic() + 10
        for lines in (self.out, self.err):
            while not lines.closed and time.monotonic() < deadline:
                lines.next(max(0.1, deadline - time.monotonic()))
        return code, self.out.text(), self.err.text()


class HostProcess(Child):
    """``crossroads workshop host ID --bind 127.0.0.1 --port P`` with its codes read."""

    def __init__(self, session_id: str, port: int) -> None:
        super().__init__(
            [
                sys.executable,
                "-m",
                "game.cli",
                "workshop",
                "host",
                session_id,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
            ]
        )
        self.port = port
        self.url = f"127.0.0.1:{port}"
        first = self.line(START_S)
        assert first == f"hosting {session_id}: teams join at {self.url}", first
        fac = self.line()
        assert fac.startswith("facilitator code: "), fac
        self.facilitator = fac.removeprefix("facilitator code: ")
        self.codes: dict[str, str] = {}
        while not (line := self.line()).startswith("Ctrl+C"):
            m = CODE_LINE.fullmatch(line)
            assert m is not None, line
            self.codes[m.group(1)] = m.group(2)


class TeamProcess(Child):
    """A team's client process (this file as a script), driven by JSON lines."""

    def __init__(self, url: str, code: str) -> None:
        super().__init__([sys.executable, __file__, "team", url, code], stdin=True)

    def ready(self) -> TeamProcess:
        """Wait until the client has started (imports done, connection pool open)."""
        assert self.ask(do="ping", timeout=START_S) == {"pong": True}
        return self

    def tell(self, **command: Any) -> None:
        """Send a command without waiting for its answer."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def answer(self, timeout: float = ANSWER_S) -> dict[str, Any]:
        """The next JSON line the client printed."""
        found = json.loads(self.line(timeout))
        assert isinstance(found, dict)
        return found

    def ask(self, timeout: float = ANSWER_S, **command: Any) -> dict[str, Any]:
        """Send a command and return its answer."""
        self.tell(**command)
        return self.answer(timeout)


class Processes:
    """Every child a test starts; :meth:`close` kills those still running."""

    def __init__(self) -> None:
        self.children: list[Child] = []

    def host(self, session_id: str, port: int) -> HostProcess:
        return self._keep(HostProcess(session_id, port))

    def team(self, url: str, code: str) -> TeamProcess:
        """A team client, started and ready."""
        return self._keep(TeamProcess(url, code)).ready()

    def teams(self, url: str, codes: dict[str, str]) -> dict[str, TeamProcess]:
        """A client per team, started side by side (their start-ups overlap)."""
        started = {team: self._keep(TeamProcess(url, code)) for team, code in codes.items()}
        return {team: process.ready() for team, process in started.items()}

    def cli(self, *args: str) -> Child:
        """Start ``crossroads ARGS`` (finish it with :meth:`Child.finish`)."""
        return self._keep(Child([sys.executable, "-m", "game.cli", *args]))

    def run(self, *args: str, timeout: float = ANSWER_S) -> tuple[int, str, str]:
        """Run ``crossroads ARGS`` to its end: (exit code, stdout, stderr)."""
        return self.cli(*args).finish(timeout)

    def _keep(self, child: Any) -> Any:
        self.children.append(child)
        return child

    def close(self) -> None:
        for child in self.children:
            with contextlib.suppress(Exception):
                child.kill()
            for pipe in (child.proc.stdin, child.proc.stdout, child.proc.stderr):
                with contextlib.suppress(Exception):
                    if pipe is not None:
                        pipe.close()


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a session file (read-only): equal snapshots mean the
    file holds exactly the same data."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in sorted(tables)
            if t != "sqlite_sequence"
        }
    finally:
        db.close()


# ---------------------------------------------------------------------- a host in this process
@contextlib.contextmanager
def thread_host(session_id: str) -> Iterator[Any]:
    """The session served by a :class:`~game.workshop.host.HostThread` on 127.0.0.1 (a free
    port); yields the thread (``.host.addresses[0]`` is its address)."""
    from game.workshop.host import Host, HostThread

    thread = HostThread(Host(session_id), "127.0.0.1", 0)
    try:
        assert thread.wait_ready(START_S), thread.error
        yield thread
    finally:
        thread.stop()


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | dict[str, Any] | None = None,
    code: str | None = None,
    source: str = "127.0.0.1",
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """One plain HTTP request from ``source`` (any 127.x.y.z address): (status, JSON or
    bytes). ``body`` may be any bytes at all."""
    sent = dict(headers or {})
    if code is not None:
        sent["Authorization"] = f"Bearer {code}"
    if isinstance(body, dict):
        body = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=ANSWER_S, source_address=(source, 0)
    )
    try:
        conn.request(method, path, body=body, headers=sent)
        answer = conn.getresponse()
        raw = answer.read()
    finally:
        conn.close()
    try:
        return answer.status, json.loads(raw)
    except ValueError:
        return answer.status, raw


def one_line(answer: Any) -> str:
    """The refusal's reason, checked to be one short line of words, never a traceback."""
    assert isinstance(answer, dict), answer
    error = answer.get("error")
    assert isinstance(error, str) and error, answer
    assert "\n" not in error and "Traceback" not in error and len(error) <= 300, error
    return error


# ---------------------------------------------------------------------- the team client
async def _serve_team(url: str, code: str) -> None:
    """Read commands from stdin and answer each with one JSON line on stdout."""
    import yaml

    from engine.decisions import Decisions
    from game.workshop import wire
    from game.workshop.client import HostClient, RemoteError, submit_until_acknowledged

    loop = asyncio.get_running_loop()

    def say(data: Any) -> None:
        sys.stdout.write(json.dumps(data) + "\n")
        sys.stdout.flush()

    async with HostClient(url, code) as client:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                return
            cmd = json.loads(line)
            do = cmd["do"]
            try:
                if do == "ping":
                    say({"pong": True})
                elif do == "submit":  # JSON decisions, as the window hands in
                    dec = Decisions.model_validate(cmd["decisions"])
                    round_, warnings = await submit_until_acknowledged(
                        client, lambda r, d=dec: client.submit(d, r)
                    )
                    say({"round": round_, "warnings": warnings})
                elif do == "sheet":  # the team's sheet, its decisions rewritten
                    sheet_round, text = await client.sheet()
                    data = yaml.safe_load(text)
                    data["decisions"] = cmd["decisions"]
                    edited = yaml.safe_dump(data, sort_keys=False)
                    round_, warnings = await submit_until_acknowledged(
                        client, lambda r, text=edited: client.submit_sheet(text, r)
                    )
                    say(
                        {
                            "round": round_,
                            "warnings": warnings,
                            "sheet": {k: data[k] for k in ("session", "team", "round")},
                            "sheet_round": sheet_round,
                        }
                    )
                elif do == "draft":
                    await client.keep_draft(Decisions.model_validate(cmd["decisions"]))
                    say({"kept": True})
                elif do == "check":
                    problems, outlook = await client.check(
                        Decisions.model_validate(cmd["decisions"])
                    )
                    say({"problems": len(problems), "outlook": outlook is not None})
                elif do == "package":
                    raw = await client.call("GET", "/api/team")
                    package = wire.unpack(raw)
                    say({"raw": raw, "draft": wire.decisions_json(package.draft)})
                elif do == "status":
                    say(await client.status())
                elif do == "storm":  # hand in again and again, one line per acknowledgement
                    for n in range(int(cmd["count"])):
                        price = float(cmd["price"]) + n
                        dec = Decisions.model_validate(
                            {"products": {cmd["product"]: {"price": price}}}
                        )
                        round_, _ = await client.submit(dec, f"storm-{os.getpid()}-{n:04d}")
                        say({"ack": n, "price": price, "round": round_})
                    say({"done": True})
                else:
                    say({"error": f"unknown command {do}"})
            except RemoteError as exc:
                say({"error": exc.message, "status": exc.status, "problems": exc.problems})


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[1] == "team":
        asyncio.run(_serve_team(argv[2], argv[3]))
        return 0
    print("usage: network_play.py team URL CODE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
