"""Batches on Celery with Redis: the executor of ``--engine celery`` and the worker's task (issue 14.3).

A batch is sent as tasks of a few jobs each (:func:`leaflet.jobs.runners.chunked`), as JSON
(:mod:`leaflet.jobs.wire`): the jobs' paths, digests, options and, for orders, the row's patient
details, never a PDF. A worker runs them as a local batch does (:func:`leaflet.jobs.runners.run_chunk`):
each output is written to a temporary file beside it and renamed into place, so OUT must be storage
every worker sees at the same path; the task returns the outcomes only (no file data).

Nothing is lost when a worker dies: tasks are acknowledged late and given back when their worker
process is killed (``task_reject_on_worker_lost``); those of a worker that vanished whole go to another
after the broker's visibility timeout. Work is never done twice for nothing: each job's output digest
and outcome are noted in Redis once written (:class:`_Ledger`), and a job whose output is still there
with that digest is not run again. Jobs are deterministic, so a job run twice writes the same bytes. A
task that keeps killing its worker is run a job at a time from its second delivery, and from its third
the job it was running is reported as crashed (killed, or out of memory), as a local pool does.

The broker holds the patient details of the orders in flight: keep it private (a loopback or private
address, a password). Nothing here configures a process-global Celery application: each executor and
worker builds its own (:func:`celery_app`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import time
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from celery import Celery, Task
from kombu.exceptions import OperationalError
from kombu.utils.url import maybe_sanitize_url
from redis import Redis
from redis.exceptions import RedisError

from leaflet.errors import Diagnostic, OptionsError
from leaflet.jobs.model import Job, Outcome
from leaflet.jobs.runners import WorkerDiedError, chunked, run_chunk
from leaflet.jobs.wire import from_wire, to_wire

_LOG = logging.getLogger("leaflet.jobs")
J = TypeVar("J", bound=Job)
TASK_NAME = "leaflet.run_jobs"
QUEUE = "leaflet"
VISIBILITY_TIMEOUT_S = 300.0
"""Seconds after which a task taken by a worker that vanished goes to another (Redis transport)."""
CONNECT_TIMEOUT_S = 5.0
"""Longest wait for the broker to answer a connection (an unreachable broker is an error, not a hang)."""
TASK_TIMEOUT_S = 3600.0
"""Longest wait for one task's outcomes before the batch gives up on it."""
COMMAND_TIMEOUT_S = 30.0
"""Longest wait for one Redis command of a batch (a broker that hangs rather than refuses)."""
RESULT_KEY = "celery-task-meta-"
"""Where Celery's Redis result backend stores a task's result (``RedisBackend.task_keyprefix``)."""
POLL_FIRST_S, POLL_MAX_S = 0.002, 0.05
"""The first and the longest pause between two looks at the oldest task's result."""
CHUNKS_IN_FLIGHT = 32
"""Tasks sent ahead of the oldest one not yet done: enough for many workers, little memory in Redis."""
LEDGER_TTL_S = 24 * 3600
"""How long a job's done record (some 450 bytes of Redis memory for a packet) is kept in Redis: long
enough for a batch to be re-sent after its sender died, short enough that nightly batches do not pile up."""
RECORD = "leaflet:done:"
DELIVERIES = "leaflet:deliveries:"
CULPRITS = "leaflet:culprits:"


def celery_app(broker: str, *, visibility_timeout: float = VISIBILITY_TIMEOUT_S, results: bool = True) -> Celery:
    """A Celery application of ``broker`` (also the result backend, where ``results``: a worker's), with
    leaflet's task; never the process's current or default app."""
    app = Celery("leaflet", broker=broker, backend=broker if results else None, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        broker_connection_retry_on_startup=False,
        broker_connection_timeout=CONNECT_TIMEOUT_S,
        broker_transport_options={
            "visibility_timeout": visibility_timeout,
            # look for the tasks of vanished workers a few times per timeout (kombu's default: every 100 s)
            "unacked_restore_interval": max(1, min(10, round(visibility_timeout / 4))),
            "unacked_restore_throttle": 1,
            "socket_connect_timeout": CONNECT_TIMEOUT_S,
        },
        redis_socket_connect_timeout=CONNECT_TIMEOUT_S,
        result_expires=24 * 3600,
    )
    app.task(
        name=TASK_NAME,
        bind=True,
        autoretry_for=(RedisError,),  # the ledger's Redis went away for a moment
        retry_backoff=True,
        max_retries=5,
    )(run_task)
    return app


def run_task(task: Task, jobs: list) -> list:
    """The worker's task: run ``jobs`` (as :mod:`leaflet.jobs.wire` sends them), write their outputs,
    return their outcomes (without file data)."""
    ledger = _Ledger(task.app.backend.client, task.request.id or "")
    outcomes = ledger.run([from_wire(job) for job in jobs])
    return [to_wire(outcome) for outcome in outcomes]


class _Ledger:
    """What the workers have done, in Redis: the digest of each job's written output, and its outcome."""

    def __init__(self, client: Any, task_id: str) -> None:
        self.client, self.task_id = client, task_id

    def run(self, jobs: list[Job]) -> list[Outcome]:
        """The outcome of every job: noted before and its output intact, else run now."""
        delivery = self._count(DELIVERIES)
        outcomes: list[Outcome | None] = [self.recall(job) for job in jobs]
        todo = [index for index, outcome in enumerate(outcomes) if outcome is None]
        if delivery == 1:  # the usual case: a chunk, written while the next job runs
            made = run_chunk([jobs[index] for index in todo], on_written=self.note) if todo else []
            for index, outcome in zip(todo, made, strict=True):
                outcomes[index] = outcome
            return [outcome for outcome in outcomes if outcome is not None]
        culprits = self._culprits(todo) if delivery > 2 else set()
        for index in todo:  # one job at a time: a worker dying again names the job that killed it
            if index in culprits:
                died = WorkerDiedError("its worker process died (killed, or out of memory) three times")
                outcomes[index] = Outcome.crashed(died, private=False)
            else:
                [outcomes[index]] = run_chunk([jobs[index]], on_written=self.note)
        return [outcome for outcome in outcomes if outcome is not None]

    def recall(self, job: Job) -> Outcome | None:
        """The noted outcome of ``job`` if every file it wrote still has the digest noted."""
        name = _record_name(job)
        raw = self.client.get(name) if name else None
        if raw is None:
            return None
        record = json.loads(raw)
        if any(_file_digest(Path(path)) != digest for path, digest in record["files"]):
            return None
        outcome: Outcome = from_wire(record["outcome"])
        return outcome

    def note(self, job: Job, outcome: Outcome) -> None:
        """Note that ``job`` is done: its files' digests (they are written) and its outcome."""
        name = _record_name(job)
        if name and outcome.status == "done":
            files = [[str(file.path), hashlib.sha256(file.data).hexdigest()] for file in outcome.files]
            record = {"files": files, "outcome": to_wire(outcome.without_files())}
            self.client.set(name, json.dumps(record), ex=LEDGER_TTL_S)

    def _count(self, prefix: str) -> int:
        """How many times this task has been delivered, this time included."""
        count = int(self.client.incr(prefix + self.task_id))
        self.client.expire(prefix + self.task_id, LEDGER_TTL_S)
        return count

    def _culprits(self, todo: list[int]) -> set[int]:
        """The jobs a worker died running, twice: those found before, and the first one left now."""
        name = CULPRITS + self.task_id
        known = {int(index) for index in self.client.smembers(name)}
        first = next((index for index in todo if index not in known), None)
        if first is not None:
            self.client.sadd(name, first)
            self.client.expire(name, LEDGER_TTL_S)
            known.add(first)
        return known


def _record_name(job: Job) -> str | None:
    """The Redis key of ``job``'s record: a digest of the whole job (inputs' digests, options, target);
    None for a job with no build key (its input could not be read: nothing to skip)."""
    if not getattr(job, "key", ""):
        return None
    text = json.dumps(to_wire(job), sort_keys=True, ensure_ascii=False)
    return RECORD + hashlib.sha256(text.encode()).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class CeleryExecutor:
    """Runs jobs on the Celery workers of ``broker``, ``chunk_size`` jobs a task; outcomes in job order.

    Results are read by polling their Redis keys (a GET on the oldest task, a few ms apart) rather than
    through Celery's result consumer, whose pub/sub connection retries for long after Redis is gone: a
    broker lost mid-batch is then ``broker-unreachable`` within seconds, not a hang."""

    def __init__(self, broker: str, *, chunk_size: int = 8, in_flight: int = CHUNKS_IN_FLIGHT) -> None:
        self.broker = broker
        self.chunk_size = chunk_size
        self.in_flight = in_flight

    def map(self, jobs: Iterable[J]) -> Iterator[tuple[J, Outcome]]:
        app = celery_app(self.broker, results=False)
        client = redis_client(self.broker)
        pending: deque[tuple[list[J], str]] = deque()
        try:
            check_broker(app, client, self.broker)
            for number, chunk in enumerate(chunked(jobs, self.chunk_size)):
                if number == 0:  # a batch with nothing to do needs no worker
                    _warn_without_workers(app)
                pending.append((chunk, _send(app, chunk, broker=self.broker)))
                if len(pending) >= self.in_flight:
                    yield from _collect(client, *pending.popleft(), broker=self.broker)
            while pending:
                yield from _collect(client, *pending.popleft(), broker=self.broker)
        finally:
            _revoke(app, client, [task_id for _, task_id in pending])
            client.close()
            app.close()


def redis_client(broker: str) -> Redis:
    """A Redis client of ``broker`` whose connections and commands give up after a few seconds."""
    return Redis.from_url(broker, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=COMMAND_TIMEOUT_S)


def _send(app: Celery, chunk: list[J], *, broker: str) -> str:
    retry = {"max_retries": 3, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 2}
    try:
        result = app.send_task(
            TASK_NAME,
            args=([to_wire(job) for job in chunk],),
            argsrepr=f"({len(chunk)} jobs)",  # what Celery logs and shows monitors instead of the patient details
            retry=True,
            retry_policy=retry,
        )
    except (OperationalError, RedisError, OSError) as exc:
        raise _unreachable(broker, exc) from None
    return str(result.id)


def _collect(client: Redis, chunk: list[J], task_id: str, *, broker: str) -> Iterator[tuple[J, Outcome]]:
    meta = _finished(client, task_id, broker=broker)
    outcomes = meta.get("result") if meta.get("status") == "SUCCESS" else None
    if not isinstance(outcomes, list) or len(outcomes) != len(chunk):  # a bug, or a worker of another version
        name = _failure_name(meta)
        outcomes = [to_wire(Outcome("crashed", crash_type=name, crash_message=name))] * len(chunk)
    for job, outcome in zip(chunk, outcomes, strict=True):
        yield job, from_wire(outcome)


def _finished(client: Redis, task_id: str, *, broker: str) -> dict:
    """The result record Celery stored for ``task_id`` once the task has ended (then removed from Redis),
    or ``{}`` when no worker finished it within :data:`TASK_TIMEOUT_S`."""
    key, pause = RESULT_KEY + task_id, POLL_FIRST_S
    deadline = time.monotonic() + TASK_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            raw = client.get(key)
            meta = json.loads(raw) if raw is not None else {}
            if meta.get("status") in ("SUCCESS", "FAILURE", "REVOKED"):
                client.delete(key)
                return dict(meta)
            time.sleep(pause)
            pause = min(2 * pause, POLL_MAX_S)
    except (RedisError, OSError) as exc:
        raise _unreachable(broker, exc) from None
    return {}


def _failure_name(meta: dict) -> str:
    """The name of what went wrong with a task: the exception it raised, its revocation, or the wait."""
    if not meta:
        return "TimeoutError"  # no worker finished it within the hour
    if meta.get("status") == "REVOKED":
        return "TaskRevokedError"
    error = meta.get("result")
    return str(error.get("exc_type") or "Exception") if isinstance(error, dict) else "Exception"


def _revoke(app: Celery, client: Redis, ids: list[str]) -> None:
    """Ask the workers to drop the tasks of a batch that stopped early (interrupted, or failed); not when
    the broker is gone (Celery would retry the broadcast for ever): the tasks then run, their outputs whole."""
    if not ids:
        return
    try:
        client.ping()
        app.control.revoke(ids)
    except Exception as exc:  # the broker is gone too
        _LOG.debug("could not revoke %d tasks: %s", len(ids), exc)


def check_broker(app: Celery, client: Redis, broker: str) -> None:
    """Raise :class:`OptionsError` (``broker-unreachable``) unless the broker answers within
    :data:`CONNECT_TIMEOUT_S` seconds."""
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0.2, timeout=CONNECT_TIMEOUT_S)
        client.ping()
    except Exception as exc:  # kombu's OperationalError, redis' errors, a bad host name
        raise _unreachable(broker, exc) from None


def _unreachable(broker: str, exc: BaseException) -> OptionsError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return OptionsError(
        Diagnostic(
            "--broker",
            f"cannot reach the Redis broker {maybe_sanitize_url(broker)}: {reason}",
            hint="start redis-server there, or check the URL's host, port, database and password",
            code="broker-unreachable",
        )
    )


def _warn_without_workers(app: Celery) -> None:
    if not app.control.ping(timeout=1.0, limit=1):
        _LOG.warning("no worker answers yet; the batch waits for one (start `leaflet worker --broker URL`)")


def check_broker_url(broker: str) -> None:
    """Refuse a ``--broker`` that is not a Redis URL (``redis://``, ``rediss://``, ``redis+socket://``)."""
    if not broker.startswith(("redis://", "rediss://", "redis+socket://")):
        hint = "give a Redis URL: redis://HOST:PORT/DB (redis://:PASSWORD@HOST:PORT/DB)"
        raise OptionsError(Diagnostic("--broker", f"{maybe_sanitize_url(broker)} is not a Redis URL", hint=hint))


def run_worker(broker: str, *, concurrency: int, visibility_timeout: float = VISIBILITY_TIMEOUT_S) -> str:
    """Run a Celery worker of ``broker`` with ``concurrency`` processes until it is stopped (Ctrl-C or
    SIGTERM: the tasks it runs finish first; a second Ctrl-C stops at once, and they go to another
    worker). Returns how it ended: ``stopped`` (SIGTERM), ``interrupted`` (Ctrl-C) or ``failed``."""
    from celery.platforms import EX_FAILURE, EX_OK
    from celery.worker import state

    app = celery_app(broker, visibility_timeout=visibility_timeout)
    check_broker(app, app.backend.client, broker)
    worker = app.Worker(
        hostname=f"leaflet{os.getpid()}@{socket.gethostname()}",
        concurrency=concurrency,
        loglevel="WARNING",
        without_gossip=True,
        without_mingle=True,
        optimization="fair",
    )
    worker.start()
    if state.should_stop == EX_FAILURE:  # Celery's exit status after Ctrl-C
        return "interrupted"
    return "stopped" if worker.exitcode in (None, EX_OK) else "failed"
