"""Incremental library builds: ``leaflet build content/ -o out/`` rebuilds only what changed.

A leaflet is rebuilt when its *build key* changes: the bytes of its content file, the build
options, the bundled fonts and the leaflet version. The state (``out/.leaflet-state.json``)
records each output's key, its size and mtime (an output changed or deleted by hand is rebuilt),
and a digest per section so that the summary can say which sections an edit touched. The state
is written atomically and a lock file serialises builds into the same folder; a build killed half
way leaves whole PDFs (they are written atomically) and the next build repairs the state.

Each leaflet to build is a :class:`LeafletJob`, run by the executors of :mod:`leaflet.jobs.runners`
(this process for ``--jobs 1``, else a process pool); the state file and lock are those of
:mod:`leaflet.jobs.state`.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from leaflet.errors import Diagnostic, LeafletError, OutputError
from leaflet.files import Confiner, FileRefusedError, read_regular
from leaflet.jobs.leaflet_job import LeafletJob
from leaflet.jobs.model import Outcome
from leaflet.jobs.runners import make_executor
from leaflet.jobs.state import Saver, StateFile, file_entry, open_folder, output_is_current, tool_digest
from leaflet.loaders import MONOGRAPH_SUFFIXES
from leaflet.loaders.source_text import MAX_BYTES
from leaflet.options import BuildOptions
from leaflet.text.user_fonts import font_file_digest

STATE_NAME = ".leaflet-state.json"
LOCK_NAME = ".leaflet-state.lock"
MAX_CHUNK = 16
"""Most leaflets sent to a worker process in one task."""


@dataclass(frozen=True)
class Changes:
    """What an edit did to a leaflet's sections (by heading path)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()
    new: bool = False
    """The leaflet had not been built into this folder before."""

    def describe(self) -> str:
        if self.new:
            return "new leaflet"
        parts = [
            f"{label} {', '.join(map(repr, names))}"
            for label, names in (("added", self.added), ("removed", self.removed), ("edited", self.edited))
            if names
        ]
        return "; ".join(parts) or "no section changed (options, fonts, version or layout-only edit)"


@dataclass
class LibraryReport:
    """What an incremental build did."""

    rebuilt: list[tuple[Path, Path, Changes]] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, LeafletError]] = field(default_factory=list)
    crashed: list[tuple[Path, str]] = field(default_factory=list)
    """Inputs that hit a bug in leaflet: the message (workers cannot send the exception itself)."""
    orphans: list[Path] = field(default_factory=list)
    """Outputs whose content file has disappeared (removed only with ``prune``)."""
    pruned: list[Path] = field(default_factory=list)
    traces: list[str] = field(default_factory=list)
    """Tracebacks of the crashes, in the same order (shown with ``--verbose``)."""


def library_state(folder: Path) -> StateFile:
    """The state of a library folder: ``.leaflet-state.json``, entries under ``outputs``."""
    return StateFile(folder, STATE_NAME, LOCK_NAME, "outputs", is_sound=_is_sound_entry)


def build_library(
    pairs: list[tuple[Path, Path]],
    folder: Path,
    options: BuildOptions,
    *,
    force: bool = False,
    prune: bool = False,
    jobs: int = 1,
    on_warning: Callable[[Diagnostic], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    lock_timeout: float | None = None,
    broker: str | None = None,
) -> LibraryReport:
    """Build the leaflets of ``pairs`` (source, output inside ``folder``) whose inputs changed; on the
    Celery workers of ``broker`` when given (paths must then be the same on every machine)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            Diagnostic(
                str(folder), f"cannot create the output folder: {exc.strerror}", hint="choose a folder you can write to"
            )
        ) from None
    report = LibraryReport()
    state_file = library_state(folder)
    with open_folder(state_file, what="build", recursive=True, on_wait=on_warning, lock_timeout=lock_timeout) as state:
        todo = _plan(pairs, folder, options, state, report, force=force)
        chunk = max(1, min(MAX_CHUNK, len(todo) // (jobs * 4)))
        executor = make_executor(jobs if len(todo) > 1 else 1, chunk_size=chunk, broker=broker)
        _run_builds(
            executor.map(todo), len(todo), folder, state, report, on_warning=on_warning, on_progress=on_progress
        )
        _find_orphans(state, folder, prune, report)
        if todo or report.pruned or not state_file.path.exists():
            state_file.save(state)
    return report


def _plan(
    pairs: list[tuple[Path, Path]],
    folder: Path,
    options: BuildOptions,
    state: dict[str, dict],
    report: LibraryReport,
    *,
    force: bool,
) -> list[LeafletJob]:
    """The leaflets to build: those whose key or output changed (all with ``force``); an output
    whose sub-folder is a link out of ``folder`` fails (issue 10, item 4: never write through a link)."""
    identity = build_identity(options)
    confiner = Confiner(folder)
    todo: list[LeafletJob] = []
    for source, target in pairs:
        try:
            confiner.resolve(target.parent)
        except FileRefusedError:
            problem = Diagnostic(str(target.parent), f"is a link to a folder outside {folder}", hint="remove the link")
            report.failed.append((source, OutputError(problem)))
            continue
        key = build_key(source, identity)
        entry = state.get(_relative(target, folder))
        if not force and key is not None and output_is_current(entry, key, target):
            report.unchanged.append(target)
        else:
            todo.append(LeafletJob(source, target, options, key or ""))
    return todo


def _run_builds(
    outcomes: Iterator[tuple[LeafletJob, Outcome]],
    total: int,
    folder: Path,
    state: dict[str, dict],
    report: LibraryReport,
    *,
    on_warning: Callable[[Diagnostic], None] | None,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    saver = Saver(library_state(folder))
    for done, (job, outcome) in enumerate(outcomes, start=1):
        for diagnostic in outcome.warnings:
            if on_warning is not None:
                on_warning(diagnostic)
        if outcome.status == "failed":
            report.failed.append((job.source, LeafletError(list(outcome.errors))))
        elif outcome.status == "crashed":
            report.crashed.append((job.source, outcome.crash_message or ""))
            report.traces.append(outcome.trace or "")
        else:
            relative = _relative(job.target, folder)
            sections = outcome.result or {}
            report.rebuilt.append((job.source, job.target, _changes(state.get(relative), sections)))
            state[relative] = file_entry(
                job.target,
                job.key,
                source=str(job.source.resolve()),
                sections=sections,
                options=asdict(job.options),  # lets `leaflet check` lay the source out again (pdf-placement)
            )
        if on_progress is not None:
            on_progress(done, total)
        saver.now_and_then(state)


def _changes(old: dict | None, new: dict[str, str]) -> Changes:
    if not old:
        return Changes(new=True)
    before: dict[str, str] = old.get("sections", {})
    return Changes(
        added=tuple(name for name in new if name not in before),
        removed=tuple(name for name in before if name not in new),
        edited=tuple(name for name in new if name in before and before[name] != new[name]),
    )


def build_identity(options: BuildOptions) -> str:
    """What every build key shares: leaflet's version, the bundled fonts, the options and the bytes of the
    user's fonts (an edited font rebuilds)."""
    fonts = font_file_digest(options.fonts) if options.fonts else ""
    return hashlib.sha256(f"{tool_digest()}\0{asdict(options)!r}\0{fonts}".encode()).hexdigest()


def build_key(source: Path, identity: str) -> str | None:
    """The key of a leaflet built from ``source`` under ``identity`` (None if it cannot be read)."""
    try:
        data = read_regular(source, limit=MAX_BYTES)
    except (OSError, FileRefusedError):
        return None  # the build will report it
    return hashlib.sha256(identity.encode() + data).hexdigest()


def _find_orphans(state: dict[str, dict], folder: Path, prune: bool, report: LibraryReport) -> None:
    for relative, entry in sorted(state.items()):
        if Path(entry.get("source", "")).exists():
            continue
        target = folder / relative
        if prune:
            target.unlink(missing_ok=True)
            del state[relative]
            report.pruned.append(target)
        elif target.exists():
            report.orphans.append(target)


def _relative(target: Path, folder: Path) -> str:
    try:
        return target.relative_to(folder).as_posix()  # the usual case: target = folder / name
    except ValueError:
        return target.resolve().relative_to(folder.resolve()).as_posix()


def _is_sound_entry(name: str, entry: object) -> bool:
    """An entry leaflet could have written: a PDF inside the folder, with text source and key.

    Anything else (a damaged or hand-edited state) is dropped, so that it is rebuilt, and so that
    ``--prune`` can never delete a file outside the output folder.
    """
    path = Path(name)
    inside = not path.is_absolute() and ".." not in path.parts and path.suffix == ".pdf"
    return inside and isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("source", "key"))


def snapshot(inputs: list[Path]) -> dict[Path, tuple[int, int]]:
    """The size and mtime of every monograph file under ``inputs`` (to notice edits)."""
    files: dict[Path, tuple[int, int]] = {}
    for item in inputs:
        candidates = item.rglob("*") if item.is_dir() else [item]
        for path in candidates:
            if path.suffix.lower() in MONOGRAPH_SUFFIXES:
                with contextlib.suppress(OSError):
                    stat = path.stat()
                    files[path] = (stat.st_mtime_ns, stat.st_size)
    return files


def wait_for_change(
    inputs: list[Path],
    previous: dict[Path, tuple[int, int]],
    *,
    interval: float = 0.5,
    settle: float = 0.3,
    keep_waiting: Callable[[], bool] = lambda: True,
) -> dict[Path, tuple[int, int]] | None:
    """Poll until a monograph is added, removed or saved, then until the files settle (editors save
    in several steps); returns the new snapshot, or None when ``keep_waiting`` says stop."""
    while keep_waiting():
        time.sleep(interval)
        current = snapshot(inputs)
        if current != previous:
            while keep_waiting():
                time.sleep(settle)
                settled = snapshot(inputs)
                if settled == current:
                    return current
                current = settled
    return None
