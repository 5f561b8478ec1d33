"""Build: the stages in order (load -> check glyphs -> lay out and render -> write), one leaflet
or a batch, with output written atomically.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from leaflet.errors import Diagnostic, LeafletError, OptionsError, OutputError
from leaflet.fonts import check_coverage, register_fonts
from leaflet.loaders import MONOGRAPH_SUFFIXES, WarningSink, load_monograph
from leaflet.model import Monograph
from leaflet.render import Rendered, render_pdf
from leaflet.style import BuildOptions


def build_leaflet(monograph: Monograph, options: BuildOptions | None = None) -> Rendered:
    """Lay out ``monograph`` into a PDF, after checking every character against the fonts."""
    options = options or BuildOptions()
    validate_options(options)
    check_coverage(monograph, register_fonts())
    return render_pdf(monograph, options)


def validate_options(options: BuildOptions) -> None:
    """Refuse option values that make no leaflet."""
    if options.paper not in ("a4", "letter"):
        raise OptionsError(Diagnostic("--paper", f"unknown paper {options.paper!r}", hint="use a4 or letter"))
    if options.columns not in (1, 2):
        raise OptionsError(Diagnostic("--columns", f"{options.columns} columns", hint="use 1 or 2"))


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    A failure at any point leaves the previous file at ``path`` as it was and no temporary file.
    """
    folder = path.parent
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
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(Diagnostic(str(path), f"cannot write: {exc.strerror}")) from None
        raise


def build_file(source: Path, output: Path, options: BuildOptions, *, on_warning: WarningSink | None = None) -> Rendered:
    """Build the monograph at ``source`` into the PDF at ``output``."""
    rendered = build_leaflet(load_monograph(source, on_warning=on_warning), options)
    write_atomically(output, rendered.pdf)
    return rendered


@dataclass
class BatchReport:
    """What a batch build did."""

    built: list[tuple[Path, Path]] = field(default_factory=list)
    failed: list[tuple[Path, LeafletError]] = field(default_factory=list)


def plan_outputs(inputs: list[Path], output: Path) -> list[tuple[Path, Path]]:
    """Pair every monograph named (or found in a named folder) with its PDF path.

    One monograph and an OUT ending in ``.pdf``: that file. Otherwise OUT is a folder and each
    leaflet is ``OUT/<name>.pdf``, with sub-folders of an input folder mirrored.
    """
    pairs: list[tuple[Path, Path]] = []
    sources: list[tuple[Path, Path]] = []
    for item in inputs:
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.suffix.lower() in MONOGRAPH_SUFFIXES and p.is_file())
            sources.extend((path, path.relative_to(item)) for path in found)
        elif item.exists():
            sources.append((item, Path(item.name)))
        else:
            raise OptionsError(Diagnostic(str(item), "no such file or folder", hint="check the path"))
    if not sources:
        raise OptionsError(Diagnostic(", ".join(map(str, inputs)), "no .yaml or .txt monographs found"))
    single_file = len(inputs) == 1 and not inputs[0].is_dir() and output.suffix.lower() == ".pdf"
    if single_file:
        return [(sources[0][0], output)]
    if output.suffix.lower() == ".pdf":
        raise OptionsError(
            Diagnostic(str(output), "several leaflets cannot go into one PDF file", hint="give a folder as -o")
        )
    for source, relative in sources:
        pairs.append((source, output / relative.with_suffix(".pdf")))
    _refuse_clashes(pairs)
    return pairs


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
    on_done: Callable[[Path, Path], None] | None = None,
) -> BatchReport:
    """Build every pair, carrying on past failures; report what was built and what failed."""
    report = BatchReport()
    for source, target in pairs:
        try:
            build_file(source, target, options, on_warning=on_warning)
        except LeafletError as error:
            report.failed.append((source, error))
            continue
        report.built.append((source, target))
        if on_done is not None:
            on_done(source, target)
    return report
