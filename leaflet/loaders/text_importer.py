"""Import a plain-text monograph (the seed's pharmacy style, or a real EU leaflet) into the content model.

The conventions (see ``content/baclofen.txt``'s origin, the seed monograph):

* the first non-blank line is the title;
* ``-`` alone on a line introduces the list item on the next line; ``- item`` is an item
  (``*`` and ``•`` work as well); numbered lines in a row (``1.``, ``2)``) are the steps of a numbered list;
* a line with `` | `` is a table row; a line starting with ▼ that says the medicine is subject to additional
  monitoring (in any language of :mod:`leaflet.loaders.qrd`) is the black-triangle statement;
* a short line (at most 12 words) without final ``.``, ``:``, ``;``, ``,`` or ``!`` is a heading, unless it
  holds a postcode, a phone number or an e-mail or web address; a numbered QRD section heading
  ("3. How to take X", in any EU language of :mod:`leaflet.loaders.qrd`) is a heading whatever its length;
* every other line is a paragraph; a paragraph ending in ``:`` right before a list is its lead-in.

Lines are classified in :mod:`leaflet.loaders.text_lines` and grouped into sections in
:mod:`leaflet.loaders.text_structure` (which says how headings are nested). A section whose heading mentions
an overdose, or taking too much / more than you should, is the boxed warning. What the importer had to guess
or ignore is reported through ``on_warning``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from leaflet.errors import Diagnostic, content_error
from leaflet.loaders.language import detect_language, language_name
from leaflet.loaders.source_text import normalized, read_text
from leaflet.loaders.text_lines import classify
from leaflet.loaders.text_structure import build_body
from leaflet.model import Block, Metadata, Monograph, Section, source_lines

WarningSink = Callable[[Diagnostic], None]

_LAYOUT_SPACE = re.compile(r"[ \t\f\v]+")


def import_text_monograph(
    path: Path, *, on_warning: WarningSink | None = None, language: str | None = None
) -> Monograph:
    """Read the plain-text monograph at ``path`` into a :class:`Monograph` (``language``: its BCP 47 tag,
    else detected from the text)."""
    text = read_text(path, allow_form_feed=True)
    return parse_text_monograph(text, str(path), on_warning=on_warning, language=language)


def parse_text_monograph(
    text: str, name: str, *, on_warning: WarningSink | None = None, language: str | None = None
) -> Monograph:
    """Parse the text of a plain-text monograph; ``name`` is used in messages. Without ``language``, the
    language is detected from the text (:mod:`leaflet.loaders.language`) and a warning says which.

    Plain text states no revision date, so ``meta.revised`` is None (the date is content: it is
    never taken from the clock or the file's mtime, which would make builds irreproducible).
    """
    warn = on_warning or (lambda diagnostic: None)
    text = normalized(text)  # NFC, variation selectors dropped, as a file read from disk is
    numbered = [(number, _clean(raw)) for number, raw in enumerate(source_lines(text), start=1)]
    numbered = [(number, line) for number, line in numbered if line.replace("\u00ad", "")]  # soft hyphens: no text
    if not numbered:
        raise content_error(
            name, "the file is empty", hint="the first line is the title, then the text", code="text-empty-file"
        )
    title_line, title = numbered[0]
    lines, eu_leaflet = classify(numbered[1:], name, warn)
    if not lines:
        raise content_error(
            name,
            "there is nothing after the title",
            line=title_line,
            hint="add the monograph's text",
            code="text-nothing-after-title",
        )
    body = build_body(lines, eu_leaflet=eu_leaflet)
    if not any(section.warning for section in _walk(body)):
        warn(
            Diagnostic(
                name,
                "no overdose section found; the leaflet will have no boxed warning",
                hint="add a section such as 'Overdose Caution' or 'If you take too much'",
                code="text-no-overdose-section",
            )
        )
    language = language or _detected_language(text, title_line, name, warn)
    meta = Metadata(drug=title, language=language, revised=None, source=f"Imported from {Path(name).name}")
    field_lines = {"title": title_line, "drug": title_line}
    return Monograph(title=title, meta=meta, body=body, path=name, lines=field_lines, source_text=text)


def _detected_language(text: str, title_line: int, name: str, warn: WarningSink) -> str:
    """The language CLD2 finds in ``text``; English when it cannot tell. Said in a warning unless English."""
    found = detect_language(text)
    if found is None:
        warn(
            Diagnostic(
                name,
                "the language cannot be told from the text; it is taken as English",
                line=title_line,
                hint="give it with --language (e.g. --language es)",
                code="text-language-unknown",
            )
        )
        return "en"
    if found != "en":
        warn(
            Diagnostic(
                name,
                f"the text is in {language_name(found)} ({found}): its labels, /Lang and checks follow it",
                line=title_line,
                hint="give --language to set another",
                code="text-language-detected",
            )
        )
    return found


def _clean(raw: str) -> str:
    """The line without layout white space; no-break spaces inside it are kept."""
    return _LAYOUT_SPACE.sub(" ", raw).strip()


def _walk(blocks: tuple[Block, ...]) -> Iterator[Section]:
    for block in blocks:
        if isinstance(block, Section):
            yield block
            yield from _walk(block.body)
