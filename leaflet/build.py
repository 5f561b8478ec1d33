"""Build: the stages in order (load -> check glyphs -> lay out and render -> write), one leaflet
or a batch, with output written atomically.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.errors import Diagnostic, LeafletError, OptionsError, OutputError
from leaflet.files import Confiner, FileRefusedError
from leaflet.loaders import MONOGRAPH_SUFFIXES, WarningSink, load_for_build
from leaflet.model import Monograph
from leaflet.options import BuildOptions, validate_options
from leaflet.text.fonts import check_coverage
from leaflet.text.user_fonts import font_family

if TYPE_CHECKING:
    from leaflet.report import Rendered


def build_leaflet(monograph: Monograph, options: BuildOptions | None = None) -> Rendered:
    """Lay out ``monograph`` into a PDF, after checking every character against the fonts."""
    from leaflet.render import render_pdf  # reportlab loads only when something is built

    options = options or BuildOptions()
    validate_options(options)
    check_coverage(monograph, font_family(options.fonts, monograph.meta.language))
    return render_pdf(monograph, options)


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    The file gets ``mode``, else the old file's permissions, else those the umask allows. A failure
    at any point leaves the previous file at ``path`` as it was and no temporary file. A link at
    ``path`` is replaced by the file, never written through (issue 10, item 4).
    """
    if path.is_dir() and not path.is_symlink():
        raise OutputError(Diagnostic(str(path), "is a folder", hint="give the path of a file to write"))
    folder = path.parent
    blocking = next((parent for parent in (folder, *folder.parents) if parent.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise OutputError(Diagnostic(str(path), f"{blocking} is a file, not a folder", hint="choose another path"))
    mode = _mode_for(path) if mode is None else mode
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(
            Diagnostic(str(path), f"cannot write here: {exc.strerror}", hint="check the folder exists and is writable")
        ) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(Diagnostic(str(path), f"cannot write: {exc.strerror}")) from None
        raise


def _mode_for(path: Path) -> int:
    """Permissions for a new version of ``path``: the old file's, else what the umask allows."""
    try:
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            return info.st_mode & 0o777
    except OSError:
        pass
    return 0o666 & ~_umask()


def _umask() -> int:
    """This process's umask, read without setting it where the system says it (Linux's
    ``/proc/self/status``): ``os.umask`` can only read it by changing it for every thread a moment."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0o077)  # elsewhere: the old way, with the strict mask in force for that moment
    os.umask(umask)
    return umask


def build_file(
    source: Path, output: Path, options: BuildOptions, *, on_warning: WarningSink | None = None, dpi: int | None = None
) -> Rendered:
    """Build the monograph at ``source`` into the PDF at ``output`` (PNG pages at ``dpi`` for a ``.png``)."""
    rendered = build_leaflet(load_for_build(source, options, on_warning=on_warning), options)
    if on_warning is not None:
        for diagnostic in rendered.warnings:
            on_warning(diagnostic)
    write_output(output, rendered.pdf, dpi=dpi)
    return rendered


OUTPUT_SUFFIXES = (".pdf", ".png")
"""What ``-o`` may name for one leaflet: its PDF, or PNG previews of its pages."""


def write_output(output: Path, pdf: bytes, *, dpi: int | None = None) -> list[Path]:
    """Write ``pdf`` to ``output``, or, for a ``.png`` name, its pages as PNG images (see
    :func:`leaflet.preview.page_paths`; pages of an older, longer preview of that name are removed).
    Every file is written atomically. Returns the files written."""
    if output.suffix.lower() != ".png":
        write_atomically(output, pdf)
        return [output]
    from leaflet.preview import DEFAULT_DPI, page_paths, png_pages, stale_pages

    images = png_pages(pdf, dpi or DEFAULT_DPI)
    paths = page_paths(output, len(images))
    for path, image in zip(paths, images, strict=True):
        write_atomically(path, image)
    for path in stale_pages(output, len(images)):
        path.unlink(missing_ok=True)
    return paths


@dataclass
class BatchReport:
    """What a batch build did."""

    built: list[tuple[Path, Path]] = field(default_factory=list)
    failed: list[tuple[Path, LeafletError]] = field(default_factory=list)
    """Inputs the user must fix, with what is wrong."""
    crashed: list[tuple[Path, str, str]] = field(default_factory=list)
    """Inputs that hit a bug in leaflet (the batch carries on past them): the exception as
    ``Type: message``, and its traceback."""


def plan_outputs(inputs: list[Path], output: Path) -> list[tuple[Path, Path]]:
    """Pair every monograph named (or found in a named folder) with its PDF path.

    One monograph and an OUT ending in ``.pdf``: that file. Otherwise OUT is a folder and each
    leaflet is ``OUT/<name>.pdf``, with sub-folders of an input folder mirrored. A named file that
    does not exist is kept, so that the batch reports it with the others.
    """
    sources = find_sources(inputs)
    if not sources:
        raise OptionsError(
            Diagnostic(
                ", ".join(map(str, inputs)),
                "no .yaml or .txt monographs found",
                hint="name monograph files, or folders that hold them",
            )
        )
    wants_file = output.suffix.lower() in OUTPUT_SUFFIXES
    if wants_file and len(sources) == 1:
        return [(sources[0][0], output)]
    if wants_file:
        raise OptionsError(
            Diagnostic(
                str(output),
                f"{len(sources)} leaflets cannot go into one {output.suffix} file",
                hint="give a folder as -o",
            )
        )
    blocking = next((parent for parent in (output, *output.parents) if parent.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise OptionsError(
            Diagnostic(
                str(output), f"{blocking} is a file, not a folder", hint="give a .pdf path for one leaflet, or a folder"
            )
        )
    pairs = [(source, output / relative.with_suffix(".pdf")) for source, relative in sources]
    _refuse_clashes(pairs)
    return pairs


def find_sources(inputs: list[Path], suffixes: tuple[str, ...] = MONOGRAPH_SUFFIXES) -> list[tuple[Path, Path]]:
    """Each named file, and each file with one of ``suffixes`` under each named folder (sorted), with its
    path relative to the folder it was found in; every file once."""
    sources: list[tuple[Path, Path]] = []
    seen: set[Path] = set()
    for item in inputs:
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.suffix.lower() in suffixes and p.is_file())
            _refuse_links_out(item, found)
            candidates = [(path, path.relative_to(item)) for path in found]
        else:
            candidates = [(item, Path(item.name))]
        for path, relative in candidates:
            key = Path(os.path.abspath(path))  # not resolve(): a thousand realpath calls cost 0.2 s
            if key not in seen:
                seen.add(key)
                sources.append((path, relative))
    return sources


def _refuse_links_out(folder: Path, found: list[Path]) -> None:
    """Refuse files found in ``folder`` that are links to files outside it (issue 10, item 4): a planted
    ``lib/x.txt`` linking to ``/etc/passwd`` would print it into a leaflet. Sub-folders that are links
    are not searched (``rglob``), so only the files themselves need a look."""
    confiner = Confiner(folder)
    problems = []
    for path in found:
        if path.is_symlink():
            try:
                confiner.resolve(path)
            except FileRefusedError as exc:
                hint = "copy the file into the folder, or name it on the command line"
                problems.append(
                    Diagnostic(str(path), f"is a link to a file outside {folder} ({exc.reason})", hint=hint)
                )
    if problems:
        raise OptionsError(problems)


def _refuse_clashes(pairs: list[tuple[Path, Path]]) -> None:
    seen: dict[Path, Path] = {}
    for source, target in pairs:
        if target in seen:
            raise OptionsError(
                Diagnostic(
                    str(source),
                    f"would overwrite the leaflet of {seen[target]} at {target}",
                    hint="rename one of the monographs",
                )
            )
        seen[target] = source


def build_many(
    pairs: list[tuple[Path, Path]],
    options: BuildOptions,
    *,
    on_warning: WarningSink | None = None,
    on_done: Callable[[Path, tuple[Path, ...]], None] | None = None,
    dpi: int | None = None,
) -> BatchReport:
    """Build every pair, carrying on past failures; report what was built and what failed.

    Each pair is a job of :mod:`leaflet.jobs` run in this process (the runner library builds and order
    batches use); no state file: the outputs are the files named (PNG pages at ``dpi`` for a ``.png``)."""
    from leaflet.jobs.leaflet_job import LeafletJob
    from leaflet.jobs.runners import InProcessExecutor

    report = BatchReport()
    jobs = (LeafletJob(source, target, options, dpi=dpi) for source, target in pairs)
    for job, outcome in InProcessExecutor(chunk_size=1).map(jobs):
        for diagnostic in outcome.warnings:
            if on_warning is not None:
                on_warning(diagnostic)
        if outcome.status == "failed":
            report.failed.append((job.source, LeafletError(list(outcome.errors))))
        elif outcome.status == "crashed":
            report.crashed.append((job.source, outcome.crash_message or "", outcome.trace or ""))
        else:
            report.built.append((job.source, job.target))
            if on_done is not None:
                on_done(job.source, outcome.written)
    return report
