"""Where balance playthroughs run: this process, a local process pool, or a Dask cluster.

The balance lab (``crossroads balance``, with or without ``--sweep``) plays many (variant,
bot, seed) triples. :func:`plan` groups them into :class:`Batch` es, one variant × one bot ×
a run of seeds, so a task is worth sending (several per worker slot, for balance and a moving
progress bar); a :class:`Backend` runs them and delivers each as it finishes, and
:func:`play_variants` hands each variant's runs on, in the order asked, once its last batch
is in (:func:`play` collects them all). Every backend runs the same :func:`play_batch` on the
same batches, and a playthrough depends only on its scenario, bot and seed, so the results
are identical on every backend.

- :class:`InProcess`: one batch after another here (``--workers 1``).
- :class:`ProcessPool`: a :class:`~concurrent.futures.ProcessPoolExecutor`; the :class:`Job`
  (scenario, role, resolution, variants) goes to each worker once, by the pool initializer.
- :class:`DaskCluster`: an existing Dask scheduler (``--cluster tcp://HOST:8786``) or a
  ``LocalCluster`` started for the run (``--cluster local``), through ``distributed.Client``;
  the job is scattered to every worker once (broadcast). Needs ``crossroads[cluster]``.

Ctrl-C (KeyboardInterrupt) cancels the pending batches and shuts the pool or cluster down
before it propagates. How to run a cluster and its security: docs/authoring.md.
"""

from __future__ import annotations

import contextlib
import logging
import math
import multiprocessing
import re
import signal
import threading
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from engine.balance import play_run
from game.allocator import keep_freed_memory

if TYPE_CHECKING:
    from engine.balance import Run
    from engine.scenario import Scenario
    from engine.sweep import Assignment

BATCHES_PER_SLOT = 6
"""Batches per worker slot: enough to balance the load and move the progress bar, few enough
that sending them costs little."""
MAX_BATCH = 100
"""Seeds per batch at most (about a second of work at the balance resolution)."""
CONNECT_TIMEOUT = 5
"""Seconds to reach a Dask scheduler and find a worker on it before giving up."""
INSTALL_HINT = 'pip install "crossroads[cluster]"'
_ADDRESS = re.compile(r"^(tcp|tls|ws|wss|inproc|ucx)://[^\s/]+:[0-9]{1,5}$")

Progress = Callable[[int, int, int], None]
"""Called with (playthroughs done, batches done, batches in all) after every batch."""
Deliver = Callable[[int, "list[Run]"], None]
"""Called by a backend with a batch's index and its runs, in whatever order they finish."""


@dataclass(frozen=True)
class Job:
    """What every batch of one balance run shares; sent to each worker once.

    ``variants`` holds, per combination of a sweep, the values it sets (see
    :mod:`engine.sweep`); a plain balance run has one variant setting nothing.
    """

    scenario: Scenario
    role: str
    resolution: int | None
    variants: tuple[tuple[Assignment, ...], ...] = ((),)
    token: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass(frozen=True)
class Batch:
    """One task: a variant (its index in the job), a bot and the seeds to play it on."""

    variant: int
    bot: str
    seeds: tuple[int, ...]


class BackendError(Exception):
    """A backend that cannot start or run: a one-line message and the exit code to use."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- playing

_VARIANTS: OrderedDict[tuple[str, int], Scenario] = OrderedDict()
_CACHED_VARIANTS = 8
_VARIANTS_LOCK = threading.Lock()


def _scenario(job: Job, index: int) -> Scenario:
    """The job's variant ``index``, built once per worker (batches of a variant come in a row)."""
    from engine.sweep import variant

    key = (job.token, index)
    with _VARIANTS_LOCK:  # a Dask worker may run batches in several threads
        if key not in _VARIANTS:
            _VARIANTS[key] = variant(job.scenario, job.variants[index])
            while len(_VARIANTS) > _CACHED_VARIANTS:
                _VARIANTS.popitem(last=False)
        _VARIANTS.move_to_end(key)
        return _VARIANTS[key]


def play_batch(job: Job, batch: Batch) -> list[Run]:
    """Play one batch: its bot on each of its seeds, on its variant of the job's scenario."""
    keep_freed_memory()  # on every backend's worker (idempotent, two C calls)
    scenario = _scenario(job, batch.variant)
    return [play_run(scenario, job.role, batch.bot, s, job.resolution) for s in batch.seeds]


def plan(triples: Sequence[tuple[int, str, int]], slots: int) -> list[Batch]:
    """Batches covering every distinct (variant, bot, seed), several per slot.

    Seeds of one (variant, bot) stay together in the order first asked; a batch holds at most
    MAX_BATCH of them.
    """
    groups: dict[tuple[int, str], dict[int, None]] = {}
    for variant, bot, seed in triples:
        groups.setdefault((variant, bot), {})[seed] = None
    total = sum(len(seeds) for seeds in groups.values())
    size = min(MAX_BATCH, max(1, math.ceil(total / (max(1, slots) * BATCHES_PER_SLOT))))
    return [
        Batch(variant, bot, tuple(seeds[i : i + size]))
        for (variant, bot), found in groups.items()
        for seeds in [list(found)]
        for i in range(0, len(seeds), size)
    ]


def play(
    job: Job,
    triples: Sequence[tuple[int, str, int]],
    backend: Backend,
    progress: Progress | None = None,
) -> list[Run]:
    """Play every (variant, bot, seed) on ``backend``; the runs in the order of ``triples``."""
    found: dict[tuple[int, str, int], Run] = {}

    def keep(variant: int, runs: list[Run]) -> None:
        found.update(((variant, r.bot, r.seed), r) for r in runs)

    play_variants(job, triples, backend, keep, progress)
    return [found[t] for t in triples]


def play_variants(
    job: Job,
    triples: Sequence[tuple[int, str, int]],
    backend: Backend,
    consume: Callable[[int, list[Run]], None],
    progress: Progress | None = None,
) -> None:
    """Play every triple; ``consume(variant, runs)`` gets each variant's runs (in the order
    of ``triples``) as soon as all of them are in, so a big sweep never holds every run."""
    batches = plan(triples, backend.slots)
    backend.run(job, batches, _Collector(triples, batches, consume, progress))


class _Collector:
    """Batches' runs arriving in any order: counted for the progress bar and handed on per
    variant, in the order asked, once the variant's last batch is in."""

    def __init__(
        self,
        triples: Sequence[tuple[int, str, int]],
        batches: Sequence[Batch],
        consume: Callable[[int, list[Run]], None],
        progress: Progress | None,
    ) -> None:
        self.batches, self.consume = batches, consume
        self.progress = progress or (lambda _r, _b, _n: None)
        self.wanted: dict[int, dict[tuple[str, int], None]] = {}
        for variant, bot, seed in triples:
            self.wanted.setdefault(variant, {})[bot, seed] = None
        self.left = Counter(b.variant for b in batches)
        self.found: dict[int, dict[tuple[str, int], Run]] = {}
        self.runs = self.done = 0

    def __call__(self, index: int, runs: list[Run]) -> None:
        """Take the runs of batch ``index``."""
        variant = self.batches[index].variant
        self.found.setdefault(variant, {}).update(((r.bot, r.seed), r) for r in runs)
        self.runs, self.done = self.runs + len(runs), self.done + 1
        self.left[variant] -= 1
        if not self.left[variant]:
            found = self.found.pop(variant)
            self.consume(variant, [found[key] for key in self.wanted[variant]])
        self.progress(self.runs, self.done, len(self.batches))


class Backend(Protocol):
    """Runs batches somewhere and delivers each batch's runs as it finishes."""

    slots: int  # batches it can play at once

    def run(self, job: Job, batches: Sequence[Batch], deliver: Deliver) -> None:
        """Play every batch, delivering each as it finishes; KeyboardInterrupt cancels the
        rest and shuts down first."""
        ...

    def close(self) -> None:
        """Release the processes or the cluster connection."""
        ...


def open_backend(cluster: str | None, workers: int) -> Backend:
    """The backend for ``--cluster`` (None: local) and ``--workers``; BackendError if none."""
    if cluster is not None:
        return DaskCluster(cluster, workers)
    return InProcess() if workers <= 1 else ProcessPool(workers)


# --------------------------------------------------------------------------- backends


class InProcess:
    """Batches played one after another in this process."""

    slots = 1

    def run(self, job: Job, batches: Sequence[Batch], deliver: Deliver) -> None:
        """Play every batch here."""
        for i, batch in enumerate(batches):
            deliver(i, play_batch(job, batch))

    def close(self) -> None:
        """Nothing to release."""


_POOL_JOB: list[Job] = []


def _init_pool_worker(job: Job) -> None:
    """Keep the job for this worker's batches; Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _POOL_JOB[:] = [job]


def _pool_batch(batch: Batch) -> list[Run]:
    return play_batch(_POOL_JOB[0], batch)


class ProcessPool:
    """A local process pool with ``workers`` processes, started for each run."""

    def __init__(self, workers: int) -> None:
        self.slots = workers

    def run(self, job: Job, batches: Sequence[Batch], deliver: Deliver) -> None:
        """Play the batches over the pool; on Ctrl-C cancel them and stop the workers."""
        from concurrent.futures import ProcessPoolExecutor, as_completed

        before = set(multiprocessing.active_children())
        pool = ProcessPoolExecutor(
            max_workers=min(self.slots, len(batches)) or 1,
            initializer=_init_pool_worker,
            initargs=(job,),
        )
        try:
            futures = {pool.submit(_pool_batch, b): i for i, b in enumerate(batches)}
            for future in as_completed(futures):
                deliver(futures.pop(future), future.result())  # pop: its runs are let go
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            for child in set(multiprocessing.active_children()) - before:
                child.terminate()
                child.join(timeout=CONNECT_TIMEOUT)
            raise
        pool.shutdown()

    def close(self) -> None:
        """The pool lives only during :meth:`run`."""


class DaskCluster:
    """A Dask distributed cluster: an existing scheduler's address, or ``local``."""

    def __init__(self, address: str, workers: int) -> None:
        if address != "local" and not _ADDRESS.match(address):
            raise BackendError(
                f"--cluster takes 'local' or a scheduler address like tcp://HOST:8786, "
                f"not '{address}'",
                code=2,
            )
        try:
            import distributed
        except ImportError:
            raise BackendError(f"--cluster needs Dask: {INSTALL_HINT}", code=2) from None
        self.cluster: Any = None
        _quiet_dask()
        try:
            if address == "local":
                with _sigint_ignored():  # the workers inherit it: Ctrl-C is this process's
                    self.cluster = distributed.LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.CRITICAL,
                    )
                self.client = distributed.Client(self.cluster, timeout=CONNECT_TIMEOUT)
            else:
                self.client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            self.close()
            where = (
                "start a local Dask cluster"
                if address == "local"
                else f"reach the Dask scheduler at {address}"
            )
            why = _one_line(exc)
            raise BackendError(f"cannot {where} within {CONNECT_TIMEOUT} s: {why}") from None
        self._check_workers(address)
        info = self.client.scheduler_info()
        self.slots = max(1, sum(w.get("nthreads", 1) for w in info["workers"].values()))

    def _check_workers(self, address: str) -> None:
        """A worker must be there and run this version of Crossroads (the same results)."""
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            versions = self.client.run(crossroads_version)
        except (OSError, TimeoutError):
            self.close()
            raise BackendError(
                f"the Dask scheduler at {address} has no worker (none within "
                f"{CONNECT_TIMEOUT} s): start one with 'dask worker {address}'"
            ) from None
        except Exception as exc:  # a worker without Crossroads cannot unpickle the function
            self.close()
            raise BackendError(
                f"a Dask worker cannot run Crossroads ({_one_line(exc)}): install "
                f"crossroads=={crossroads_version()} with the extra on every worker"
            ) from None
        other = {w: v for w, v in versions.items() if v != crossroads_version()}
        if other:
            self.close()
            worker, version = next(iter(other.items()))
            raise BackendError(
                f"{len(other)} Dask worker(s) run another Crossroads (e.g. {worker}: "
                f"{version}; here: {crossroads_version()}): install the same version everywhere"
            )

    def run(self, job: Job, batches: Sequence[Batch], deliver: Deliver) -> None:
        """Scatter the job to every worker once, submit the batches, gather in any order."""
        from concurrent.futures import CancelledError

        import distributed
        from distributed import as_completed

        futures: list[Any] = []
        try:
            shared = self.client.scatter(job, broadcast=True, hash=False)
            futures = [
                self.client.submit(play_batch, shared, b, pure=False, key=f"batch-{job.token}-{i}")
                for i, b in enumerate(batches)
            ]
            index = {f.key: i for i, f in enumerate(futures)}
            for future in as_completed(futures):
                deliver(index[future.key], future.result())
                future.release()  # its runs are delivered: the workers may drop them
        except KeyboardInterrupt:
            self.client.cancel(futures)
            raise
        except (OSError, TimeoutError, CancelledError, distributed.KilledWorker) as exc:
            raise BackendError(f"the cluster failed: {_one_line(exc)}") from None

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this run started it."""
        for part in (getattr(self, "client", None), self.cluster):
            if part is not None:
                part.close()


def _quiet_dask() -> None:
    """Silence Dask's own logging in this process: a lost scheduler is our one line, not its
    tracebacks. Its loggers set their own levels (dask config), so each is set here."""
    for name in list(logging.root.manager.loggerDict):
        if name == "distributed" or name.startswith("distributed."):
            logging.getLogger(name).setLevel(logging.CRITICAL)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored meanwhile (processes started now keep ignoring it), in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def crossroads_version() -> str:
    """The installed Crossroads version (run on every Dask worker to compare)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("crossroads")
    except PackageNotFoundError:
        return "not installed"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
