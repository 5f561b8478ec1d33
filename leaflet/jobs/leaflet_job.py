"""One leaflet built as a job (:mod:`leaflet.jobs.model`): what library builds, multi-file builds and
single builds run, with the digests of its sections that the library's state records.

Kept apart from the library's planning and state so that a single ``leaflet build x.txt`` runs the
same job without loading process pools or the state file's code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from leaflet.build import build_leaflet
from leaflet.errors import Diagnostic, LeafletError
from leaflet.jobs.model import Outcome, OutputFile
from leaflet.loaders import load_for_build
from leaflet.model import Block, BulletList, Figure, ListItem, Monograph, Notice, Paragraph, Section, Table
from leaflet.options import BuildOptions


@dataclass(frozen=True)
class LeafletJob:
    """Build the monograph at ``source`` into the PDF at ``target``: a job (:mod:`leaflet.jobs.model`)
    whose result is the leaflet's section digests."""

    source: Path
    target: Path
    options: BuildOptions
    key: str = ""
    """The build key recorded in the state (empty when the source could not be read)."""
    dpi: int | None = None
    """Resolution of the pages when ``target`` is a ``.png`` preview (None: the default)."""

    def run(self) -> Outcome:
        warnings: list[Diagnostic] = []
        try:
            monograph = load_for_build(self.source, self.options, on_warning=warnings.append)
            rendered = build_leaflet(monograph, self.options)
            warnings.extend(rendered.warnings)  # what the layout had to do (a drug name cut short, ...)
        except LeafletError as error:
            return Outcome.failed(error, warnings=warnings)
        except Exception as exc:  # a bug: report it against this input, keep the batch going
            return Outcome.crashed(exc, private=False, warnings=warnings)
        return Outcome.done(section_digests(monograph), warnings=warnings, files=self.output_files(rendered.pdf))

    def output_files(self, pdf: bytes) -> tuple[OutputFile, ...]:
        """The leaflet's PDF at ``target``, or its pages as PNG images for a ``.png`` target."""
        if self.target.suffix.lower() != ".png":
            return (OutputFile(self.target, pdf),)
        from leaflet.preview import DEFAULT_DPI, page_paths, png_pages

        images = png_pages(pdf, self.dpi or DEFAULT_DPI)
        return tuple(
            OutputFile(path, image) for path, image in zip(page_paths(self.target, len(images)), images, strict=True)
        )


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
    """What a section's own blocks say, for its digest; a paragraph and a plain bulleted list as before
    numbered lists, tables, figures and notices came (so that their digests stay the same)."""
    texts: list[object] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.runs)
        elif isinstance(block, BulletList):
            texts.append(_list_text(block))
        elif isinstance(block, Table):
            texts.append(("table", block.caption, block.header, block.rows))
        elif isinstance(block, Figure):
            texts.append(("figure", hashlib.sha256(block.data).hexdigest(), block.alt, block.caption))
        elif isinstance(block, Notice):
            texts.append(("notice", block.kind, block.runs))
    return texts


def _list_text(block: BulletList) -> object:
    items = [
        (item.runs, _list_text(item.sublist)) if isinstance(item, ListItem) and item.sublist else item.runs
        for item in block.items
    ]
    plain = (block.lead and block.lead.runs, items)
    return plain if not block.ordered else ("steps", block.start, *plain)
