"""Order batches: ``leaflet orders ORDERS.csv -o OUTDIR`` makes one packet per CSV row.

Consumes a CSV (read by :mod:`leaflet.orders.csv_rows`: header ``order_id, order_pdf, monographs, patient,
rx, dispensed, directions, pharmacy``; ``monographs`` separated by ``;``, paths relative to the CSV)
and returns an :class:`OrdersReport`, having written ``OUTDIR/<order_id>.pdf`` for every good row. Rows are
streamed (never all held), a bad row is reported against its CSV line and order id and the batch
carries on, and nothing a row says about its patient reaches a message.

Each leaflet is laid out once per worker process (cached by the monograph's digest and the build
options) and only its band is drawn per order. A packet is remade when its *key* changes: the row's
fields, the digests of its order PDF and monographs, the bundled fonts and leaflet's version. The
state (``OUTDIR/.leaflet-orders.json``, owner-only, written atomically under
``OUTDIR/.leaflet-orders.lock``) records each packet's key, size and mtime.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import re
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.errors import Diagnostic, LeafletError, OptionsError, OutputError
from leaflet.jobs.bookkeeping import hold_lock, output_is_current, tool_digest
from leaflet.options import BuildOptions
from leaflet.orders.csv_rows import COLUMNS, check_header, count_rows, open_csv
from leaflet.personalise.patient import PatientDetails, patient_details

if TYPE_CHECKING:
    from leaflet.pdf.parts import LeafletTemplate

STATE_NAME = ".leaflet-orders.json"
LOCK_NAME = ".leaflet-orders.lock"
STATE_FORMAT = 1
SAFE_ORDER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
"""An order id is the packet's file name: letters, digits, ``.``, ``_``, ``-``; no path, no dot first."""
SAVE_EVERY_SECONDS = 2.0
CHUNK_SIZE = 8
"""Orders a worker makes in one task: packets are written while the next is made (see make_packets)."""
CHUNKS_IN_FLIGHT_PER_JOB = 2
"""Chunks queued per worker process: enough to keep them busy, few enough to keep memory flat."""
LEAFLET_CACHE_SIZE = 32
"""Built leaflets kept per process (a batch usually uses a handful of monographs)."""


@dataclass(frozen=True)
class OrderJob:
    """One row, validated: what a worker needs to make its packet."""

    order_id: str
    line: int
    where: str
    """``orders.csv:LINE``: where problems about the row are reported."""
    order_pdf: Path
    monographs: tuple[tuple[Path, str], ...]
    """Each monograph with the digest of its bytes."""
    patient: PatientDetails | None
    target: Path
    key: str


@dataclass
class OrdersReport:
    """What a batch did, by order id; failures carry diagnostics naming the CSV line and order id."""

    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Diagnostic] = field(default_factory=list)
    crashed: list[Diagnostic] = field(default_factory=list)
    """Rows that hit a bug in leaflet (the exception's type only: its text might quote a patient)."""


@dataclass(frozen=True)
class _Outcome:
    warnings: tuple[Diagnostic, ...] = ()
    error: tuple[Diagnostic, ...] = ()
    crash: str | None = None


def run_orders(
    csv_path: Path,
    outdir: Path,
    *,
    jobs: int = 1,
    paper: str = "auto",
    on_warning: Callable[[Diagnostic], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> OrdersReport:
    """Make the packet of every row of ``csv_path`` in ``outdir`` whose inputs changed."""
    if jobs < 1:
        raise OptionsError(Diagnostic("--jobs", f"{jobs} processes", hint="use 1 or more"))
    total = count_rows(csv_path)
    _make_folder(outdir)
    report = OrdersReport()
    sink = on_warning or (lambda diagnostic: None)
    progress = on_progress or (lambda done, total: None)
    with _locked(outdir):
        state = _load_state(outdir)
        planner = _Planner(csv_path, outdir, state, report, lambda: progress(_counted(report), total))
        saved_at = time.monotonic()
        for job, outcome in _outcomes(planner.jobs(), jobs, paper):
            for diagnostic in outcome.warnings:
                sink(_about_row(job, diagnostic))
            if outcome.error:
                report.failed.extend(_about_row(job, diagnostic) for diagnostic in outcome.error)
                state.pop(job.order_id, None)
            elif outcome.crash is not None:
                report.crashed.append(_row_diagnostic(job, f"internal error: {outcome.crash} (a bug in leaflet)"))
            else:
                report.done.append(job.order_id)
                stat = job.target.stat()
                state[job.order_id] = {"key": job.key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
            progress(_counted(report), total)
            if time.monotonic() - saved_at > SAVE_EVERY_SECONDS:
                _save_state(outdir, state)
                saved_at = time.monotonic()
        _save_state(outdir, state)
    return report


def _counted(report: OrdersReport) -> int:
    return len(report.done) + len(report.skipped) + len(report.failed) + len(report.crashed)


class _Planner:
    """Streams the CSV's rows into jobs, recording bad rows and current packets in the report."""

    def __init__(
        self, csv_path: Path, outdir: Path, state: dict, report: OrdersReport, tick: Callable[[], None]
    ) -> None:
        self.csv_path, self.outdir, self.state, self.report, self.tick = csv_path, outdir, state, report, tick
        self.base = csv_path.parent
        self.identity = tool_digest()
        self.digests: dict[tuple[Path, int, int], str] = {}
        self.seen: dict[str, int] = {}

    def jobs(self) -> Iterator[OrderJob]:
        with open_csv(self.csv_path) as reader:
            check_header(self.csv_path, reader.fieldnames)
            line = reader.line_num
            for row in reader:
                first, line = line + 1, reader.line_num
                try:
                    job = self._plan(row, first)
                except LeafletError as error:
                    self.report.failed.extend(error.diagnostics)
                    self.tick()
                    continue
                if job is None:
                    self.tick()
                    continue
                yield job

    def _plan(self, row: dict, line: int) -> OrderJob | None:
        where = f"{self.csv_path}:{line}"
        order_id = (row.get("order_id") or "").strip()
        if None in row or any(row.get(name) is None for name in COLUMNS):
            raise _row_error(where, order_id, "has a different number of fields from the header")
        if not SAFE_ORDER_ID.match(order_id):
            raise _row_error(
                where, "", "the order id is not a safe file name", hint="use letters, digits, '.', '_' and '-'"
            )
        if order_id in self.seen:
            raise _row_error(where, order_id, f"the order id repeats the one on line {self.seen[order_id]}")
        self.seen[order_id] = line
        order_pdf, monographs = self._paths(row, where, order_id)
        patient = _patient(row, where, order_id)
        inputs = [(order_pdf, self._digest(order_pdf, where, order_id, keep=False))]
        inputs += [(path, self._digest(path, where, order_id)) for path in monographs]
        fields = json.dumps([row[name] for name in COLUMNS], ensure_ascii=False)
        key = hashlib.sha256(f"{self.identity}\0{fields}\0{inputs!r}".encode()).hexdigest()
        target = self.outdir / f"{order_id}.pdf"
        if output_is_current(self.state.get(order_id), key, target):
            self.report.skipped.append(order_id)
            return None
        return OrderJob(order_id, line, where, order_pdf, tuple(inputs[1:]), patient, target, key)

    def _paths(self, row: dict, where: str, order_id: str) -> tuple[Path, list[Path]]:
        order_pdf = row["order_pdf"].strip()
        monographs = [name.strip() for name in row["monographs"].split(";") if name.strip()]
        if not order_pdf:
            raise _row_error(where, order_id, "no order_pdf given")
        if not monographs:
            raise _row_error(where, order_id, "no monographs given", hint="separate several with ';'")
        return self.base / order_pdf, [self.base / name for name in monographs]

    def _digest(self, path: Path, where: str, order_id: str, *, keep: bool = True) -> str:
        """The digest of the file at ``path``; kept for the next rows when ``keep`` (monographs repeat
        from row to row; an order PDF is usually used once, and keeping them would grow with the batch)."""
        try:
            stat = path.stat()
            cached = self.digests.get((path, stat.st_mtime_ns, stat.st_size))
            if cached is None:
                cached = hashlib.sha256(path.read_bytes()).hexdigest()
                if keep:
                    self.digests[(path, stat.st_mtime_ns, stat.st_size)] = cached
        except OSError as exc:
            raise _row_error(where, order_id, f"{path}: cannot be read: {exc.strerror}") from None
        return cached


def _patient(row: dict, where: str, order_id: str) -> PatientDetails | None:
    """The row's patient details, validated; errors name the row, never the details."""
    try:
        return patient_details(
            where=where,
            patient=row["patient"],
            rx=row["rx"],
            dispensed=row["dispensed"],
            directions=row["directions"],
            pharmacy=row["pharmacy"],
        )
    except LeafletError as error:
        raise type(error)([_prefixed(d, order_id) for d in error.diagnostics]) from None


def _outcomes(planned: Iterator[OrderJob], jobs: int, paper: str) -> Iterator[tuple[OrderJob, _Outcome]]:
    """Make each packet, here or in ``jobs`` processes, a chunk of orders at a time, with a bounded
    number of chunks in flight."""
    chunks = _chunked(planned, CHUNK_SIZE)
    if jobs <= 1:
        for chunk in chunks:
            yield from zip(chunk, make_packets(chunk, paper), strict=True)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[tuple[list[OrderJob], Future[list[_Outcome]]]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(make_packets, chunk, paper)))
            if len(pending) >= jobs * CHUNKS_IN_FLIGHT_PER_JOB:
                done, future = pending.popleft()
                yield from zip(done, future.result(), strict=True)
        while pending:
            done, future = pending.popleft()
            yield from zip(done, future.result(), strict=True)


def _chunked(jobs: Iterator[OrderJob], size: int) -> Iterator[list[OrderJob]]:
    while chunk := list(itertools.islice(jobs, size)):
        yield chunk


def make_packets(jobs: list[OrderJob], paper: str) -> list[_Outcome]:
    """Make and write the packets of ``jobs``: a failure making or writing one packet is part of its
    outcome, and the others are made.

    Each packet is written (and synced to disk) by a thread while the next one is made: the sync
    waits on the disk, not the processor. Every write has finished when this returns.
    """
    from leaflet.orders.attach import write_packet  # pypdf loads in the worker

    with ThreadPoolExecutor(max_workers=1) as writer:
        made = []
        for job in jobs:
            outcome, packet = _make_packet(job, paper)
            made.append((outcome, None if packet is None else writer.submit(write_packet, job.target, packet)))
        return [_written(outcome, write) for outcome, write in made]


def _make_packet(job: OrderJob, paper: str) -> tuple[_Outcome, bytes | None]:
    """One order's packet (or why there is none)."""
    from leaflet.orders.attach import attach_leaflets

    warnings: list[Diagnostic] = []
    try:
        packet = attach_leaflets(
            job.order_pdf,
            [path for path, _ in job.monographs],
            paper=paper,  # type: ignore[arg-type]
            on_warning=warnings.append,
            patient=job.patient,
            order_label=job.where,
            order_ref=job.order_id,
            leaflet_builder=partial(_cached_leaflet, dict(job.monographs)),
        )
    except LeafletError as error:
        return _Outcome(warnings=tuple(warnings), error=error.diagnostics), None
    except Exception as exc:  # a bug: only its type, as its text could quote the patient's details
        return _Outcome(warnings=tuple(warnings), crash=type(exc).__name__), None
    return _Outcome(warnings=tuple(warnings)), packet


def _written(outcome: _Outcome, write: Future[None] | None) -> _Outcome:
    """``outcome`` once its packet's write has finished, with the write's failure if it failed."""
    if write is None:
        return outcome
    try:
        write.result()
    except LeafletError as error:
        return _Outcome(warnings=outcome.warnings, error=error.diagnostics)
    except Exception as exc:  # a bug: only its type
        return _Outcome(warnings=outcome.warnings, crash=type(exc).__name__)
    return outcome


_LEAFLETS: OrderedDict[tuple[str, BuildOptions], LeafletTemplate] = OrderedDict()


def _cached_leaflet(
    digests: dict[Path, str], path: Path, options: BuildOptions, on_warning: Callable
) -> LeafletTemplate:
    """The leaflet of ``path`` with ``options``, laid out once per process for the same bytes."""
    from leaflet.orders import attach as orders

    key = (digests.get(path) or hashlib.sha256(path.read_bytes()).hexdigest(), options)
    template = _LEAFLETS.get(key)
    if template is None:
        template = orders.build_monograph_template(path, options, on_warning)
        _LEAFLETS[key] = template
        if len(_LEAFLETS) > LEAFLET_CACHE_SIZE:
            _LEAFLETS.popitem(last=False)
    return template


def _about_row(job: OrderJob, diagnostic: Diagnostic) -> Diagnostic:
    """``diagnostic`` re-addressed to the row: the CSV line, the order id, then what it was about."""
    if diagnostic.path == job.where:
        return _prefixed(diagnostic, job.order_id)
    return _row_diagnostic(job, f"{diagnostic.location()}: {diagnostic.message}", hint=diagnostic.hint)


def _row_diagnostic(job: OrderJob, message: str, *, hint: str | None = None) -> Diagnostic:
    path, line = job.where.rsplit(":", 1)
    return Diagnostic(path, f"order {job.order_id}: {message}", line=int(line), hint=hint)


def _prefixed(diagnostic: Diagnostic, order_id: str) -> Diagnostic:
    path, line = diagnostic.path.rsplit(":", 1)
    message = f"order {order_id}: {diagnostic.message}" if order_id else diagnostic.message
    return Diagnostic(path, message, line=int(line), hint=diagnostic.hint)


def _row_error(where: str, order_id: str, message: str, *, hint: str | None = None) -> OptionsError:
    return OptionsError(_prefixed(Diagnostic(where, message, hint=hint), order_id))


def _make_folder(folder: Path) -> None:
    """Make the output folder (and its parents), or raise :class:`OutputError` saying why not."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(Diagnostic(str(folder), "is a file, not a folder", hint="give -o a folder for the packets"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocking = next((parent for parent in folder.parents if parent.exists() and not parent.is_dir()), None)
        message = (
            f"cannot be made: {blocking} is a file, not a folder"
            if blocking is not None
            else f"cannot be made: {exc.strerror}"
        )
        raise OutputError(Diagnostic(str(folder), message, hint="give -o a folder path you can write to")) from None


def _load_state(folder: Path) -> dict[str, dict]:
    try:
        data = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT or not isinstance(data.get("packets"), dict):
        return {}
    return data["packets"]


def _save_state(folder: Path, state: dict[str, dict]) -> None:
    from leaflet.orders.attach import write_packet  # owner-only, atomic: the keys are digests of patient details

    text = json.dumps({"format": STATE_FORMAT, "packets": state}, indent=0, sort_keys=True)
    write_packet(folder / STATE_NAME, text.encode("utf-8"))


def _locked(folder: Path) -> contextlib.AbstractContextManager[None]:
    """Hold the folder's lock: a second batch into the same folder waits for the first."""
    return hold_lock(folder / LOCK_NAME)
