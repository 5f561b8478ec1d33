"""Incremental library builds: ``leaflet build content/ -o out/`` rebuilds only what changed.

A leaflet is rebuilt when its *build key* changes: the bytes of its content file, the build
options, the bundled fonts and the leaflet version. The state (``out/.leaflet-state.json``)
records each output's key, its size and mtime (an output changed or deleted by hand is rebuilt),
and a digest per section so that the summary can say which sections an edit touched. The state
is written atomically and a lock file serialises builds into the same folder; a build killed half
way leaves whole PDFs (they are written atomically) and the next build repairs the state.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from leaflet.build import build_leaflet, write_atomically
from leaflet.errors import Diagnostic, LeafletError, OutputError
from leaflet.jobs.bookkeeping import hold_lock, output_is_current, tool_digest
from leaflet.loaders import MONOGRAPH_SUFFIXES, load_monograph
from leaflet.model import Block, BulletList, Monograph, Paragraph, Section
from leaflet.options import BuildOptions

STATE_NAME = ".leaflet-state.json"
LOCK_NAME = ".leaflet-state.lock"
STATE_FORMAT = 1
SAVE_EVERY_SECONDS = 2.0
"""A long build saves its state this often, so that a killed build loses little work."""


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


@dataclass(frozen=True)
class _Outcome:
    """What building one leaflet gave, in a form a worker process can send back."""

    sections: dict[str, str] | None = None
    warnings: tuple[Diagnostic, ...] = ()
    error: LeafletError | None = None
    crash: str | None = None
    trace: str | None = None
    """The formatted traceback of a crash, for ``--verbose``."""


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
) -> LibraryReport:
    """Build the leaflets of ``pairs`` (source, output inside ``folder``) whose inputs changed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            Diagnostic(
                str(folder), f"cannot create the output folder: {exc.strerror}", hint="choose a folder you can write to"
            )
        ) from None
    report = LibraryReport()
    with _locked(folder):
        state = _load_state(folder)
        identity = build_identity(options)
        todo: list[tuple[Path, Path, str]] = []
        for source, target in pairs:
            key = build_key(source, identity)
            entry = state.get(_relative(target, folder))
            if not force and key is not None and output_is_current(entry, key, target):
                report.unchanged.append(target)
            else:
                todo.append((source, target, key or ""))
        _run_builds(todo, folder, options, state, report, jobs=jobs, on_warning=on_warning, on_progress=on_progress)
        _find_orphans(state, folder, prune, report)
        if todo or report.pruned or not (folder / STATE_NAME).exists():
            _save_state(folder, state)
    return report


def _run_builds(
    todo: list[tuple[Path, Path, str]],
    folder: Path,
    options: BuildOptions,
    state: dict[str, dict],
    report: LibraryReport,
    *,
    jobs: int,
    on_warning: Callable[[Diagnostic], None] | None,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    saved_at = time.monotonic()
    for done, ((source, target, key), outcome) in enumerate(_outcomes(todo, options, jobs), start=1):
        for diagnostic in outcome.warnings:
            if on_warning is not None:
                on_warning(diagnostic)
        if outcome.error is not None:
            report.failed.append((source, outcome.error))
        elif outcome.crash is not None:
            report.crashed.append((source, outcome.crash))
            report.traces.append(outcome.trace or "")
        else:
            relative = _relative(target, folder)
            old = state.get(relative)
            sections = outcome.sections or {}
            report.rebuilt.append((source, target, _changes(old, sections)))
            stat = target.stat()
            state[relative] = {
                "source": str(source.resolve()),
                "key": key,
                "size": stat.st_size,
                "mtime_ns": stat.st_mtime_ns,
                "sections": sections,
                "options": asdict(options),  # lets `leaflet check` lay the source out again (pdf-placement)
            }
        if on_progress is not None:
            on_progress(done, len(todo))
        if time.monotonic() - saved_at > SAVE_EVERY_SECONDS:
            _save_state(folder, state)
            saved_at = time.monotonic()


def _outcomes(
    todo: list[tuple[Path, Path, str]], options: BuildOptions, jobs: int
) -> Iterator[tuple[tuple[Path, Path, str], _Outcome]]:
    """Build each item, in this process or in ``jobs`` worker processes, in order."""
    if jobs <= 1 or len(todo) < 2:
        for item in todo:
            yield item, build_one(item[0], item[1], options)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, min(16, len(todo) // (jobs * 4)))
        results = pool.map(
            build_one, [s for s, _, _ in todo], [t for _, t, _ in todo], [options] * len(todo), chunksize=chunk
        )
        yield from zip(todo, results, strict=True)


def build_one(source: Path, target: Path, options: BuildOptions) -> _Outcome:
    """Build one leaflet; never raises (failures are part of the outcome)."""
    warnings: list[Diagnostic] = []
    try:
        monograph = load_monograph(source, on_warning=warnings.append)
        write_atomically(target, build_leaflet(monograph, options).pdf)
    except LeafletError as error:
        return _Outcome(warnings=tuple(warnings), error=error)
    except Exception as exc:  # a bug: report it against this input, keep the batch going
        return _Outcome(warnings=tuple(warnings), crash=f"{type(exc).__name__}: {exc}", trace=traceback.format_exc())
    return _Outcome(sections=section_digests(monograph), warnings=tuple(warnings))


def section_digests(monograph: Monograph) -> dict[str, str]:
    """A digest of each section's own text, by heading path (``Dosages / Overdose Caution``)."""
    digests: dict[str, str] = {}

    def visit(blocks: tuple[Block, ...], path: str) -> None:
        own = [block for block in blocks if not isinstance(block, Section)]
        digests[path or "(introduction)"] = hashlib.sha256(repr(_texts(own)).encode()).hexdigest()[:16]
        for block in blocks:
            if isinstance(block, Section):
                visit(block.body, f"{path} / {block.heading}" if path else block.heading)

    visit(monograph.body, "")
    digests["(title)"] = hashlib.sha256(repr((monograph.title, monograph.meta)).encode()).hexdigest()[:16]
    return digests


def _texts(blocks: Sequence[Block]) -> list[object]:
    texts: list[object] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.runs)
        elif isinstance(block, BulletList):
            texts.append((block.lead and block.lead.runs, [item.runs for item in block.items]))
    return texts


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
    """What every build key shares: leaflet's version, the bundled fonts and the options."""
    return hashlib.sha256(f"{tool_digest()}\0{asdict(options)!r}".encode()).hexdigest()


def build_key(source: Path, identity: str) -> str | None:
    """The key of a leaflet built from ``source`` under ``identity`` (None if it cannot be read)."""
    try:
        data = source.read_bytes()
    except OSError:
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


def _load_state(folder: Path) -> dict[str, dict]:
    """The recorded state, or an empty one if it is missing or damaged (everything is rebuilt)."""
    try:
        data = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT or not isinstance(data.get("outputs"), dict):
        return {}
    return {name: entry for name, entry in data["outputs"].items() if _is_sound_entry(name, entry)}


def _is_sound_entry(name: str, entry: object) -> bool:
    """An entry leaflet could have written: a PDF inside the folder, with text source and key.

    Anything else (a damaged or hand-edited state) is dropped, so that it is rebuilt, and so that
    ``--prune`` can never delete a file outside the output folder.
    """
    path = Path(name)
    inside = not path.is_absolute() and ".." not in path.parts and path.suffix == ".pdf"
    return inside and isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("source", "key"))


def _save_state(folder: Path, state: dict[str, dict]) -> None:
    text = json.dumps({"format": STATE_FORMAT, "outputs": state}, indent=1, sort_keys=True)
    write_atomically(folder / STATE_NAME, text.encode("utf-8"))


def _locked(folder: Path) -> contextlib.AbstractContextManager[None]:
    """Hold the folder's lock: a second build into the same folder waits for the first."""
    return hold_lock(folder / LOCK_NAME)


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
