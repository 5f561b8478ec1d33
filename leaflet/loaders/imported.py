"""Import structured product information (EU ePI as FHIR JSON or XML, FDA SPL XML) into a monograph.

One entry, :func:`import_structured`: reads the file as untrusted (at most :data:`MAX_BYTES`, UTF-8, XML
without a DTD), tells the format by its content (a FHIR resource, an SPL ``document``; anything else is
refused), hands it to :mod:`leaflet.loaders.epi` or :mod:`leaflet.loaders.spl`, and finishes the
monograph the same way for both: the overdose advice boxed, and one warning each for what was dropped,
for pictures that could not be placed, and for a leaflet without an overdose section.

Loaded only for ``.json`` and ``.xml`` files, so that a plain-text build never imports ``json`` or expat.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from leaflet.errors import Diagnostic, content_error
from leaflet.loaders.narrative import CAPTION, Tally
from leaflet.loaders.outline import box_overdose, has_warning
from leaflet.loaders.source_text import normalized, read_text
from leaflet.loaders.steps import with_steps
from leaflet.loaders.xml_safe import parse_xml
from leaflet.model import Block, Figure, Metadata, Monograph, Paragraph, Section, plain

MAX_BYTES = 16 * 1024 * 1024
"""Largest ePI or SPL file accepted: pictures inside an ePI and a whole US label run to a few MiB."""
STRUCTURED_SUFFIXES = (".json", ".xml")
MAX_PICTURES = 100
MAX_PICTURE_BYTES_IN_ALL = 32 * 2**20
"""The YAML loader's bounds on a monograph's pictures (``yaml_blocks``; not imported from there, which would
load PyYAML): a 16 MiB SPL naming one 4 MiB picture a thousand times must not take gigabytes. Pictures
past them are not placed, and reported."""
MAX_LISTED = 6
"""Pictures named one by one in the warning about those not placed."""
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")

WarningSink = Callable[[Diagnostic], None]


@dataclass
class ImportContext:
    """What an import carries along: the file, where pictures may come from, the warnings, the tally."""

    name: str
    root: Path
    """The folder of the file: SPL pictures are read from it, and from nowhere else."""
    warn: WarningSink
    language: str | None = None
    """The language asked for (``--language``); the file's own language must agree."""
    source_text: str = ""
    tally: Tally = field(default_factory=Tally)
    heading: str = ""
    """The heading of the section being read (a picture without alt text is named after it)."""
    figures: int = 0
    picture_bytes: int = 0


def import_structured(path: Path, *, on_warning: WarningSink | None = None, language: str | None = None) -> Monograph:
    """The monograph of the ePI (FHIR JSON or XML) or SPL (XML) file at ``path``."""
    text = read_text(path, limit=MAX_BYTES)
    context = ImportContext(str(path), path.parent, on_warning or (lambda d: None), language, text)
    if path.suffix.lower() == ".json":
        from leaflet.loaders.epi import import_epi
        from leaflet.loaders.fhir import read_fhir_json

        return import_epi(read_fhir_json(text, context.name), context, text=text)
    root = parse_xml(text, context.name)
    if root.namespace == "http://hl7.org/fhir":
        from leaflet.loaders.epi import import_epi
        from leaflet.loaders.fhir import fhir_from_xml

        return import_epi(fhir_from_xml(root), context)
    if root.namespace == "urn:hl7-org:v3" and root.tag == "document":
        from leaflet.loaders.spl import import_spl

        return import_spl(root, context)
    raise content_error(
        context.name,
        f"XML that is neither FHIR ePI nor SPL (its root is <{root.tag}>)",
        line=root.line,
        hint="give an ePI Bundle (FHIR XML or JSON) or an FDA SPL document",
        code="file-unknown-format",
    )


def read_picture(source: str, alt: str, line: int, context: ImportContext) -> Figure | None:
    """The picture at ``source`` (a ``data:`` URI, or a file beside the imported one) as a figure, or None
    after noting why it cannot be placed."""
    from leaflet.loaders.images import ImageRefusedError, read_image

    if context.figures >= MAX_PICTURES or context.picture_bytes > MAX_PICTURE_BYTES_IN_ALL:
        context.tally.missing_pictures.append(f"line {line}: over {MAX_PICTURES} pictures or 32 MiB of them in all")
        return None
    try:
        image = read_image(source, context.root)
    except ImageRefusedError as refused:
        where = "a data: picture" if source[:5].lower() == "data:" else source
        context.tally.missing_pictures.append(f"line {line}: {where}: {refused.message}")
        return None
    context.figures += 1
    context.picture_bytes += len(image.data)
    alt = normalized(" ".join(alt.split())) or f"{context.heading or 'Picture'} ({context.figures})"
    shown = "data:" if source[:5].lower() == "data:" else source
    return Figure(image.data, alt, image.format, image.width, image.height, source=shown, line=line)


def finish_monograph(
    context: ImportContext, *, title: str, drug: str, language: str, revised: str, body: tuple[Block, ...], line: int
) -> Monograph:
    """The monograph, with the overdose advice boxed and what was dropped reported."""
    body = box_overdose(with_steps(with_captions(body)))
    if not body:
        raise content_error(context.name, "the leaflet has no text", line=line, code="import-empty")
    _report(context, body, line)
    language = _language(context, language, line)
    title, drug = normalized(" ".join(title.split())), normalized(" ".join(drug.split()))
    match = _DATE.match(revised)
    date = "-".join(match.groups()) if match else None
    source = f"Imported from {Path(context.name).name}"
    meta = Metadata(drug=drug or title, language=language, revised=date, source=source)
    lines = {"title": line, "drug": line, "language": line}
    return Monograph(title, meta, body, context.name, lines, context.source_text)


def with_captions(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """``blocks`` with a "Figure A" paragraph right before a figure made its caption."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Section):
            block = replace(block, body=with_captions(block.body))
        previous = out[-1] if out else None
        if isinstance(block, Figure) and isinstance(previous, Paragraph) and CAPTION.match(plain(previous.runs)):
            out[-1] = replace(block, caption=previous.runs)
            continue
        out.append(block)
    return tuple(out)


def _language(context: ImportContext, stated: str, line: int) -> str:
    if context.language and stated and context.language.lower() != stated.lower():
        raise content_error(
            context.name,
            f"the file states language {stated!r}, not {context.language!r}",
            line=line,
            hint="leave out --language: the file's own language is used",
            code="language-mismatch",
        )
    if stated or context.language:
        return stated or context.language or "en"
    context.warn(
        Diagnostic(
            context.name,
            "the file states no language; it is taken as English",
            line=line,
            hint="give it with --language (e.g. --language es)",
            code="text-language-unknown",
        )
    )
    return "en"


def _report(context: ImportContext, body: tuple[Block, ...], line: int) -> None:
    tally = context.tally
    dropped = [
        f"{tally.styles} inline style{'s' * (tally.styles != 1)}" if tally.styles else "",
        f"{tally.leftovers} template leftover{'s' * (tally.leftovers != 1)} (placeholder codes and text, empty "
        "paragraphs and rows, repeated titles)"
        if tally.leftovers
        else "",
        "unknown markup (" + ", ".join(f"<{tag}> x{n}" for tag, n in sorted(tally.unknown.items())) + "), text kept"
        if tally.unknown
        else "",
    ]
    if any(dropped):
        message = "dropped " + "; ".join(part for part in dropped if part)
        context.warn(Diagnostic(context.name, message, line=line, code="import-dropped-markup"))
    missing = tally.missing_pictures
    if missing:
        more = f"; and {len(missing) - MAX_LISTED} more" if len(missing) > MAX_LISTED else ""
        listed = "; ".join(missing[:MAX_LISTED]) + more
        context.warn(
            Diagnostic(
                context.name,
                f"{len(missing)} picture{'s' * (len(missing) != 1)} not placed: {listed}",
                line=line,
                hint="put the picture files (PNG or JPEG) beside the file, under the names it gives",
                code="import-pictures-not-placed",
            )
        )
    if not has_warning(body):
        context.warn(
            Diagnostic(
                context.name,
                "no overdose section or advice found; the leaflet will have no boxed warning",
                line=line,
                code="import-no-overdose-section",
            )
        )
