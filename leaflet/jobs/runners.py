"""Executors: run jobs (:mod:`leaflet.jobs.model`) here or in a pool of processes, results in order.

An executor takes an iterable of jobs (streamed: never all held) and yields each job with its
:class:`Outcome`, in the order given. Jobs travel in chunks (:func:`run_chunk` runs one: each job's
files are written by a thread while the next job runs), with a bounded number of chunks in flight,
so memory stays flat on large batches.

* :class:`InProcessExecutor`: a loop in this process (``--jobs 1``);
* :class:`PoolExecutor`: ``N`` worker processes. A worker keeps no folder lock of its parent (the
  lock's descriptor is closed in the child as it is forked, :mod:`leaflet.jobs.lock`), and asks the
  kernel to kill it when its parent dies (``PR_SET_PDEATHSIG`` on Linux, else a thread watching the
  parent's pid), so that a run killed by ``timeout``, systemd or the OOM killer leaves no worker
  writing and no folder locked (issue 10, item 1).

:class:`leaflet.jobs.celery_engine.CeleryExecutor` (``--engine celery``) has the same ``map``: it sends a
chunk of jobs as one task to Celery workers, which run it with ``run_chunk``, and yields the outcomes in
order; the jobs themselves do not change.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import logging
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from leaflet.errors import LeafletError
from leaflet.jobs.model import Job, Outcome, OutputFile, run_guarded

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

_LOG = logging.getLogger("leaflet.jobs")
J = TypeVar("J", bound=Job)
CHUNKS_IN_FLIGHT_PER_PROCESS = 2
"""Chunks queued per worker process: enough to keep them busy, few enough to keep memory flat."""
PR_SET_PDEATHSIG = 1
"""``prctl`` option (linux/prctl.h): the signal a process receives when its parent dies."""
SIGKILL_ON_LINUX = 9
"""SIGKILL's number in the Linux ABI, the only system with ``prctl``. Named here rather than imported from
:mod:`signal`: no signal handler is installed anywhere in the library, only this request to the kernel,
made by a worker process about itself."""
WATCH_PARENT_SECONDS = 0.5
DEFAULT_START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
"""``fork`` on Linux: a worker starts with what the parent has loaded (the fonts, parsed for checking
the patients' names: 0.7 s of processor time a worker under ``spawn``). The folder locks this process
holds are closed in the child as it is forked (:mod:`leaflet.jobs.lock`). (``multiprocessing`` is not
asked: it loads only when a pool starts, so that a single build does not pay for it.)"""


class Executor(Protocol):
    """Runs jobs and yields each with its outcome, in the order given."""

    def map(self, jobs: Iterable[J]) -> Iterator[tuple[J, Outcome]]: ...


class InProcessExecutor:
    """Runs the jobs in this process, a chunk at a time (files written while the next job runs)."""

    def __init__(self, *, chunk_size: int = 8) -> None:
        self.chunk_size = chunk_size

    def map(self, jobs: Iterable[J]) -> Iterator[tuple[J, Outcome]]:
        for chunk in chunked(jobs, self.chunk_size):
            yield from zip(chunk, run_chunk(chunk), strict=True)


class PoolExecutor:
    """Runs the jobs in ``processes`` fresh worker processes, ``chunk_size`` jobs a task.

    A worker that dies (killed, or out of memory: ``BrokenProcessPool``) takes no other job down: a new
    pool takes over and the jobs that were in flight run again one at a time, so that a worker dying
    again names its job, which is that job's crash (issue 10: one bad row is that row's error).
    """

    def __init__(self, processes: int, *, chunk_size: int = 8, start_method: str = DEFAULT_START_METHOD) -> None:
        self.processes = processes
        self.chunk_size = chunk_size
        self.start_method = start_method

    def map(self, jobs: Iterable[J]) -> Iterator[tuple[J, Outcome]]:
        pool = _Pool(self.processes, self.start_method)
        limit = self.processes * CHUNKS_IN_FLIGHT_PER_PROCESS
        pending: deque[tuple[list[J], Future[list[Outcome]]]] = deque()
        try:
            for chunk in chunked(jobs, self.chunk_size):
                pending.append((chunk, pool.submit(chunk)))
                if len(pending) >= limit:
                    yield from _collect(pending, pool)
            while pending:
                yield from _collect(pending, pool)
        finally:
            pool.shutdown()


class _Pool:
    """A process pool that can be started again after a worker died."""

    def __init__(self, processes: int, start_method: str) -> None:
        self.processes, self.start_method = processes, start_method
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing  # process pools load only when one starts
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context(self.start_method)
        return ProcessPoolExecutor(
            self.processes, mp_context=context, initializer=start_worker, initargs=(os.getpid(),)
        )

    def submit(self, chunk: list[J]) -> Future[list[Outcome]]:
        return self.pool.submit(run_chunk, chunk)

    def restart(self) -> None:
        self.shutdown()
        self.pool = self._start()

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _collect(pending: deque[tuple[list[J], Future[list[Outcome]]]], pool: _Pool) -> Iterator[tuple[J, Outcome]]:
    """The outcomes of the oldest chunk; after a worker died, those of every job in flight, run again."""
    from concurrent.futures.process import BrokenProcessPool

    chunk, future = pending[0]
    try:
        outcomes = future.result()
    except BrokenProcessPool:
        in_flight = [job for chunk, _ in pending for job in chunk]
        _LOG.warning("a worker process died; running the %d jobs in flight again, one at a time", len(in_flight))
        pending.clear()
        pool.restart()
        yield from _one_at_a_time(in_flight, pool)
        return
    pending.popleft()
    yield from zip(chunk, outcomes, strict=True)


def _one_at_a_time(jobs: list[J], pool: _Pool) -> Iterator[tuple[J, Outcome]]:
    """Each job run alone: a worker dying now is this job's doing, and its crash."""
    from concurrent.futures.process import BrokenProcessPool

    for job in jobs:
        try:
            [outcome] = pool.submit([job]).result()
        except BrokenProcessPool:
            pool.restart()
            outcome = Outcome.crashed(
                WorkerDiedError("its worker process died (killed, or out of memory)"), private=False
            )
        yield job, outcome


class WorkerDiedError(Exception):
    """The worker process running a job died (killed, or out of memory) while it ran alone."""


def make_executor(processes: int, *, chunk_size: int, broker: str | None = None) -> Executor:
    """The executor for ``--jobs processes``: this process for 1, else a pool; the Celery workers of
    ``broker`` when one is given (``--engine celery``)."""
    if broker is not None:
        from leaflet.jobs.celery_engine import CeleryExecutor  # celery loads only for --engine celery

        return CeleryExecutor(broker, chunk_size=chunk_size)
    if processes <= 1:
        return InProcessExecutor(chunk_size=chunk_size)
    return PoolExecutor(processes, chunk_size=chunk_size)


def chunked(items: Iterable[J], size: int) -> Iterator[list[J]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def run_chunk(jobs: Sequence[Job], *, on_written: Callable[[Job, Outcome], None] | None = None) -> list[Outcome]:
    """Run ``jobs`` in order, each job's files written (and synced) by a thread while the next runs:
    the sync waits on the disk, not the processor. Every write has finished when this returns, and the
    outcomes carry no file data back. A chunk of one job (a single build) writes without a thread.
    ``on_written(job, outcome)`` is called once a job's files are written (its outcome still holds them)."""
    if len(jobs) == 1:
        outcome = run_guarded(jobs[0])
        return [_written_now(jobs[0], outcome, on_written)]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as writer:
        made = []
        for job in jobs:
            outcome = run_guarded(job)
            write = writer.submit(write_files, outcome.files, job, outcome, on_written) if outcome.files else None
            made.append((outcome.without_files(), write))
        return [_written(outcome, write) for outcome, write in made]


def write_files(
    files: tuple[OutputFile, ...],
    job: Job | None = None,
    outcome: Outcome | None = None,
    on_written: Callable[[Job, Outcome], None] | None = None,
) -> None:
    from leaflet.build import write_atomically

    for file in files:
        write_atomically(file.path, file.data, mode=file.mode)
    if on_written is not None and job is not None and outcome is not None:
        on_written(job, outcome)


def _written_now(job: Job, outcome: Outcome, on_written: Callable[[Job, Outcome], None] | None) -> Outcome:
    """``outcome`` with its files written here and now (or the write's failure)."""
    if not outcome.files:
        return outcome
    try:
        write_files(outcome.files, job, outcome, on_written)
    except LeafletError as error:
        return Outcome.failed(error, warnings=outcome.warnings)
    except Exception as exc:  # a bug: only its type (the path or text could name a patient)
        return Outcome.crashed(exc, private=True, warnings=outcome.warnings)
    return outcome.without_files()


def _written(outcome: Outcome, write: Future[None] | None) -> Outcome:
    """``outcome`` once its files are written, or the write's failure if it failed."""
    if write is None:
        return outcome
    try:
        write.result()
    except LeafletError as error:
        return Outcome.failed(error, warnings=outcome.warnings)
    except Exception as exc:  # a bug: only its type (the path or text could name a patient)
        return Outcome.crashed(exc, private=True, warnings=outcome.warnings)
    return outcome


def start_worker(parent: int) -> None:
    """Initialise a worker process: it dies with its parent ``parent``, whatever kills the parent."""
    if not _ask_kernel_for_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="leaflet-parent-watch").start()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _ask_kernel_for_death_signal() -> bool:
    """``prctl(PR_SET_PDEATHSIG, SIGKILL)`` on Linux; False where it cannot be had."""
    if not sys.platform.startswith("linux"):
        return False
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, SIGKILL_ON_LINUX, 0, 0, 0) == 0
    return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_PARENT_SECONDS)
    os._exit(1)
