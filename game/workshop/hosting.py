"""The facilitator's window hosting its open session on the network.

:class:`Hosting` owns the :class:`~game.workshop.host.HostThread` started by "Host on the
network" in the facilitator's round view. It lives on the App (``app.hosting``), never on a
screen, so it survives the reveal and results screens and every rebuild; the App stops it
once no screen shows its session any more (back to the menu, the title screen) and when the
window closes, so no thread ever serves a session the facilitator has left.

Starting never blocks the window: the host opens its own connection to the session file in
its thread, and :attr:`Hosting.state` says when it listens (or why it could not, in words).
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from game.workshop import DEFAULT_PORT
from game.workshop.host import Host, HostThread, TeamLink

BIND = "0.0.0.0"
"""Where the window listens: every address of this computer (tests use 127.0.0.1)."""
PORTS: tuple[int, ...] = tuple(range(DEFAULT_PORT, DEFAULT_PORT + 5))
"""The ports tried in turn: the first free one is used (0: any free port, for tests)."""

State = Literal["starting", "serving", "failed", "stopped"]


def port_taken(bind: str, port: int) -> bool:
    """True when another program already listens on ``port`` (a port just freed is not).

    Any other problem (an address that is not this computer's...) is left to the host,
    which reports it in words.
    """
    if port == 0:
        return False
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            if os.name != "nt":  # as the host listens: connections closing do not count
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((bind or "0.0.0.0", port))
    except OSError as exc:
        return exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1))
    return False


def free_port(bind: str, ports: Sequence[int]) -> tuple[int | None, str]:
    """The first of ``ports`` nobody listens on, or (None, why not in words)."""
    for port in ports:
        if not port_taken(bind, port):
            return port, ""
    from game.workshop.words import phrase

    if len(ports) == 1:
        return None, phrase("ws_errors.port_taken", port=ports[0])
    return None, phrase("ws_errors.ports_taken", first=ports[0], last=ports[-1])


class Hosting:
    """One session served on the network from the facilitator's window."""

    def __init__(
        self,
        session_id: str,
        folder: Path | None = None,
        bind: str | None = None,
        ports: Sequence[int] | None = None,
    ) -> None:
        self.session_id = session_id
        self.folder = folder
        self.bind = BIND if bind is None else bind
        self.ports = tuple(PORTS if ports is None else ports)
        self.thread: HostThread | None = None
        self._error = ""
        self._stopped = False

    def start(self) -> None:
        """Start serving in the background on the first free port (see :attr:`state`)."""
        port, why = free_port(self.bind, self.ports)
        if port is None:
            self._error = why
            return
        try:
            self.thread = HostThread(Host(self.session_id, self.folder), self.bind, port)
        except Exception as exc:  # a thread that cannot start: said in words, never raised
            from game.workshop.words import phrase

            self._error = phrase("ws_errors.could_not_start", reason=str(exc))

    @property
    def state(self) -> State:
        """``starting``, ``serving``, ``failed`` (see :attr:`error`) or ``stopped``."""
        if self._stopped:
            return "stopped"
        if self._error or (self.thread is not None and self.thread.error):
            return "failed"
        if self.thread is None or not self.thread.ready:
            return "starting"
        return "serving"

    @property
    def error(self) -> str:
        """Why the host could not start, in words ("" when it did)."""
        return self._error or (self.thread.error if self.thread is not None else None) or ""

    @property
    def addresses(self) -> list[str]:
        """What teams type to reach the host, LAN first (empty until it serves)."""
        if self.state != "serving" or self.thread is None:
            return []
        return list(self.thread.host.addresses)

    def links(self) -> list[TeamLink]:
        """Each team's join code, connection and hand-in (empty until it serves)."""
        if self.state != "serving" or self.thread is None:
            return []
        return self.thread.host.links()

    def serves(self, session_id: str) -> bool:
        """True while this hosting is for ``session_id`` and has not been stopped."""
        return self.session_id == session_id and not self._stopped

    def in_use(self, scenes: Iterable[object]) -> bool:
        """True while some screen still shows the hosted session (the round view, a reveal,
        a team's hub, the end screen)."""
        from game.workshop.session import WorkshopSession

        for scene in scenes:
            session = getattr(scene, "session", None)
            if isinstance(session, WorkshopSession) and session.id == self.session_id:
                return True
        return False

    def stop(self) -> None:
        """Stop serving: close every connection, free the port, close the host's session."""
        self._stopped = True
        if self.thread is not None:
            with contextlib.suppress(Exception):  # a stuck loop: the daemon thread dies with us
                self.thread.stop()
