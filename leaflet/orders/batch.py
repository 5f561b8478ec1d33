"""Order batches: ``leaflet orders ORDERS.csv -o OUTDIR`` makes one packet per CSV row.

Consumes a CSV (read by :mod:`leaflet.orders.csv_rows`: header ``order_id, order_pdf, monographs, patient,
rx, dispensed, directions, pharmacy``; ``monographs`` separated by ``;``, paths relative to the CSV)
and returns an :class:`OrdersReport`, having written ``OUTDIR/<order_id>.pdf`` for every good row. Rows are
streamed (never all held), a bad row is reported against its CSV line and order id and the batch
carries on, and nothing a row says about its patient reaches a message.

Each leaflet is laid out once per worker process (cached by the monograph's digest and the build
options) and only its band is drawn per order. A packet is remade when its *key* changes: the row's
fields, the digests of its order PDF, monographs and FHIR files, the fonts and leaflet's version. The state
(``OUTDIR/.leaflet-orders.json``, owner-only, atomic, under a lock) records each packet's key, size, mtime.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.errors import Diagnostic, FhirError, LeafletError, OptionsError, OutputError
from leaflet.files import Confiner, FileRefusedError, read_regular
from leaflet.jobs.model import Outcome, OutputFile
from leaflet.jobs.runners import make_executor
from leaflet.jobs.state import Saver, StateFile, file_entry, open_folder, output_is_current, tool_digest
from leaflet.options import BuildOptions
from leaflet.orders.csv_rows import COLUMNS, OPTIONAL_COLUMNS, check_header, count_rows, open_csv
from leaflet.orders.languages import monograph_in_language
from leaflet.orders.row_messages import about_file, about_row, row_diagnostic, row_error
from leaflet.personalise.fhir_record import DispenseRecord, details_with_fhir
from leaflet.personalise.patient import PatientDetails

if TYPE_CHECKING:
    from leaflet.pdf.parts import LeafletTemplate

STATE_NAME = ".leaflet-orders.json"
LOCK_NAME = ".leaflet-orders.lock"
SAFE_ORDER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
"""An order id is the packet's file name: letters, digits, ``.``, ``_``, ``-``; no path, no dot first."""
CHUNK_SIZE = 8
"""Orders a worker makes in one task: packets are written while the next is made (see run_chunk)."""
LEAFLET_CACHE_SIZE = 32
"""Built leaflets kept per process (a batch usually uses a handful of monographs)."""


@dataclass(frozen=True)
class OrderJob:
    """One row, validated: what a worker needs to make its packet (a job, :mod:`leaflet.jobs.model`)."""

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
    paper: str = "auto"
    options: BuildOptions = field(default_factory=BuildOptions)
    """The leaflets' options besides paper (the site configuration, columns, large print)."""
    languages: tuple[str, ...] = ()
    """The patient's languages (from the row's FHIR files): a leaflet in none of them is reported."""
    fhir_empty: bool = False
    """The row's FHIR files hold nothing the band prints (reported: the packet is not personalised)."""

    def run(self) -> Outcome:
        """Make the packet (written by the runner, owner-only); failures name the row, never the patient."""
        from leaflet.orders.attach import attach_leaflets  # pypdf loads in the worker

        warnings: list[Diagnostic] = []
        if self.fhir_empty:
            hint = "check they are this order's dispense, prescription and patient"
            message = "the FHIR records hold nothing the band prints; the packet is not personalised"
            warnings.append(Diagnostic(self.where, message, hint=hint, code="fhir-empty"))
        try:
            packet = attach_leaflets(
                self.order_pdf,
                [path for path, _ in self.monographs],
                paper=self.paper,  # type: ignore[arg-type]
                base=self.options,
                on_warning=warnings.append,
                patient=self.patient,
                order_label=self.where,
                order_ref=self.order_id,
                leaflet_builder=partial(_cached_leaflet, dict(self.monographs)),
                languages=self.languages,
            )
        except LeafletError as error:
            return Outcome.failed(error, warnings=warnings)
        except Exception as exc:  # a bug: only its type, as its text could quote the patient's details
            return Outcome.crashed(exc, private=True, warnings=warnings)
        return Outcome.done(warnings=warnings, files=(OutputFile(self.target, packet, mode=0o600),))


@dataclass(frozen=True)
class RowResult:
    """One row's outcome for ``orders --report``: no patient detail, only where, what and why."""

    line: int
    order_id: str
    """'' when the row's id is not a safe one (it is then not repeated anywhere)."""
    status: str
    """``done``, ``skipped`` (its packet is current), ``failed`` (input to fix) or ``crashed`` (a bug)."""
    code: str | None = None
    packet: str | None = None


@dataclass
class OrdersReport:
    """What a batch did, by order id; failures carry diagnostics naming the CSV line and order id."""

    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Diagnostic] = field(default_factory=list)
    crashed: list[Diagnostic] = field(default_factory=list)
    """Rows that hit a bug in leaflet (the exception's type only: its text might quote a patient)."""
    rows: list[RowResult] = field(default_factory=list)
    """Every row's outcome, in the order they were settled."""


def run_orders(
    csv_path: Path,
    outdir: Path,
    *,
    jobs: int = 1,
    paper: str = "auto",
    on_warning: Callable[[Diagnostic], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    lock_timeout: float | None = None,
    root: Path | None = None,
    options: BuildOptions | None = None,
    broker: str | None = None,
) -> OrdersReport:
    """Make the packet of every row of ``csv_path`` in ``outdir`` whose inputs changed; the files a row
    names must be inside ``root`` (default: the CSV's folder); leaflets are built with ``options``
    (their paper set by ``paper``); on the Celery workers of ``broker`` when given."""
    if jobs < 1:
        raise OptionsError(Diagnostic("--jobs", f"{jobs} processes", hint="use 1 or more"))
    total = count_rows(csv_path)
    _make_folder(outdir)
    report = OrdersReport()
    sink = on_warning or (lambda diagnostic: None)
    progress = on_progress or (lambda done, total: None)
    state_file = orders_state(outdir)
    with open_folder(state_file, what="batch", recursive=False, on_wait=on_warning, lock_timeout=lock_timeout) as state:
        tick = lambda: progress(_counted(report), total)  # noqa: E731
        planner = _Planner(csv_path, outdir, state, report, tick, paper=paper, root=root, options=options)
        saver = Saver(state_file)
        for job, outcome in make_executor(jobs, chunk_size=CHUNK_SIZE, broker=broker).map(planner.jobs()):
            for diagnostic in outcome.warnings:
                sink(about_row(job, diagnostic))
            if outcome.status == "failed":
                report.failed.extend(about_row(job, diagnostic) for diagnostic in outcome.errors)
                code = outcome.errors[0].code if outcome.errors else "order"
                report.rows.append(RowResult(job.line, job.order_id, "failed", code))
                state.pop(job.order_id, None)
            elif outcome.status == "crashed":
                died = outcome.crash_type == "WorkerDiedError"  # killed, or out of memory: not this row's text
                message = f"internal error: {outcome.crash_message if died else outcome.crash_type} (a bug in leaflet)"
                report.crashed.append(row_diagnostic(job, message))
                report.rows.append(RowResult(job.line, job.order_id, "crashed", "internal"))
            else:
                report.done.append(job.order_id)
                report.rows.append(RowResult(job.line, job.order_id, "done", None, str(job.target)))
                state[job.order_id] = file_entry(job.target, job.key)
            progress(_counted(report), total)
            saver.now_and_then(state)
        state_file.save(state)
    return report


def orders_state(outdir: Path) -> StateFile:
    """The state of a batch's folder: ``.leaflet-orders.json``, owner-only, entries under ``packets``."""
    return StateFile(outdir, STATE_NAME, LOCK_NAME, "packets", private=True, indent=0)


def _counted(report: OrdersReport) -> int:
    return len(report.done) + len(report.skipped) + len(report.failed) + len(report.crashed)


class _Planner:
    """Streams the CSV's rows into jobs, recording bad rows and current packets in the report."""

    def __init__(
        self,
        csv_path: Path,
        outdir: Path,
        state: dict,
        report: OrdersReport,
        tick: Callable[[], None],
        *,
        paper: str,
        root: Path | None,
        options: BuildOptions | None = None,
    ) -> None:
        self.csv_path, self.outdir, self.state, self.report, self.tick = csv_path, outdir, state, report, tick
        from leaflet.loaders.source_text import MAX_BYTES
        from leaflet.pdf.reading import MAX_FILE_BYTES

        self.paper = paper
        self.options = options or BuildOptions()
        self.base = csv_path.parent
        self.confiner = Confiner(root if root is not None else self.base)
        self.limits = MAX_FILE_BYTES, MAX_BYTES
        self.identity = f"{tool_digest()}\0{paper}\0{asdict(self.options)!r}"  # new options: new packets
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
                    order_id = (row.get("order_id") or "").strip()
                    order_id = order_id if SAFE_ORDER_ID.match(order_id) else ""
                    self.report.rows.append(RowResult(first, order_id, "failed", error.diagnostics[0].code))
                    self.tick()
                    continue
                if job is None:
                    self.tick()
                    continue
                yield job

    def _plan(self, row: dict, line: int) -> OrderJob | None:
        where = f"{self.csv_path}:{line}"
        order_id = (row.get("order_id") or "").strip()
        if None in row or any(value is None for value in row.values()):
            raise row_error(where, order_id, "has a different number of fields from the header")
        if not SAFE_ORDER_ID.match(order_id):
            raise row_error(
                where, "", "the order id is not a safe file name", hint="use letters, digits, '.', '_' and '-'"
            )
        if order_id in self.seen:
            raise row_error(where, order_id, f"the order id repeats the one on line {self.seen[order_id]}")
        self.seen[order_id] = line
        order_pdf, monographs = self._paths(row, where, order_id)
        record, fhir_inputs = self._fhir(row, where, order_id)
        patient = _patient(row, where, order_id, record)
        languages = record.languages if record else ()
        monographs = [monograph_in_language(path, languages) for path in monographs]
        order_limit, monograph_limit = self.limits
        real_order, order_digest = self._digest(order_pdf, where, order_id, limit=order_limit, keep=False)
        found = [self._digest(path, where, order_id, limit=monograph_limit) for path in monographs]
        given = [order_pdf, *monographs]  # the key names the paths as the CSV gives them
        inputs = list(zip(given, [order_digest, *(digest for _, digest in found)], strict=True)) + fhir_inputs
        fields = json.dumps([row[name] for name in (*COLUMNS, *OPTIONAL_COLUMNS) if name in row], ensure_ascii=False)
        key = hashlib.sha256(f"{self.identity}\0{fields}\0{inputs!r}".encode()).hexdigest()
        target = self.outdir / f"{order_id}.pdf"
        if output_is_current(self.state.get(order_id), key, target):
            self.report.skipped.append(order_id)
            self.report.rows.append(RowResult(line, order_id, "skipped", None, str(target)))
            return None
        job = OrderJob(order_id, line, where, real_order, tuple(found), patient, target, key, self.paper, self.options)
        return replace(job, languages=languages, fhir_empty=record is not None and patient is None)

    def _fhir(self, row: dict, where: str, order_id: str) -> tuple[DispenseRecord | None, list[tuple[Path, str]]]:
        """The band's values from the row's ``fhir`` files (inside the root, as the other files), and
        each file with the digest of its bytes (for the packet's key)."""
        names = [name.strip() for name in (row.get("fhir") or "").split(";") if name.strip()]
        if not names:
            return None, []
        from leaflet.personalise.fhir import MAX_FHIR_BYTES, fhir_resources
        from leaflet.personalise.fhir_record import dispense_record

        resources, inputs = [], []
        try:
            for name in names:
                path = self.base / name
                try:
                    data = read_regular(self.confiner.resolve(path), limit=MAX_FHIR_BYTES, follow_links=False)
                except FileRefusedError as exc:
                    raise row_error(where, order_id, f"{path}: {exc.reason}", hint=exc.hint) from None
                except OSError as exc:
                    raise row_error(where, order_id, f"{path}: cannot be read: {exc.strerror}") from None
                inputs.append((path, hashlib.sha256(data).hexdigest()))
                resources.extend(fhir_resources(data, str(path)))
            return dispense_record(resources), inputs
        except FhirError as error:
            raise FhirError([about_file(where, order_id, d) for d in error.diagnostics]) from None

    def _paths(self, row: dict, where: str, order_id: str) -> tuple[Path, list[Path]]:
        order_pdf = row["order_pdf"].strip()
        monographs = [name.strip() for name in row["monographs"].split(";") if name.strip()]
        if not order_pdf:
            raise row_error(where, order_id, "no order_pdf given")
        if not monographs:
            raise row_error(where, order_id, "no monographs given", hint="separate several with ';'")
        return self.base / order_pdf, [self.base / name for name in monographs]

    def _digest(self, path: Path, where: str, order_id: str, *, limit: int, keep: bool = True) -> tuple[Path, str]:
        """The file at ``path`` (links resolved, inside the root) and the digest of its bytes, read only
        if it is a regular file of at most ``limit`` bytes (issue 10, items 2 and 3). Digests are kept
        for the next rows when ``keep`` (monographs repeat from row to row; an order PDF is usually used
        once, and keeping them would grow with the batch)."""
        try:
            real = self.confiner.resolve(path)
            info = os.stat(real)
            cached = self.digests.get((real, info.st_mtime_ns, info.st_size))
            if cached is None:
                cached = hashlib.sha256(read_regular(real, limit=limit, follow_links=False)).hexdigest()
                if keep:
                    self.digests[(real, info.st_mtime_ns, info.st_size)] = cached
        except FileRefusedError as exc:
            raise row_error(where, order_id, f"{path}: {exc.reason}", hint=exc.hint) from None
        except OSError as exc:
            raise row_error(where, order_id, f"{path}: cannot be read: {exc.strerror}") from None
        return real, cached


def _patient(row: dict, where: str, order_id: str, record: DispenseRecord | None) -> PatientDetails | None:
    """The row's patient details (its columns, else the ``record`` from its FHIR files), validated;
    errors name the row, never the details."""
    try:
        return details_with_fhir(
            record,
            where=where,
            patient=row["patient"],
            rx=row["rx"],
            dispensed=row["dispensed"],
            directions=row["directions"],
            pharmacy=row["pharmacy"],
        )
    except LeafletError as error:
        raise type(error)([about_file(where, order_id, d) for d in error.diagnostics]) from None


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
