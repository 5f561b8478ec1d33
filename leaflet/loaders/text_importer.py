"""Import a plain-text monograph in the seed's style into the content model.

The conventions (see ``content/baclofen.txt``'s origin, the seed monograph):

* the first non-blank line is the title;
* ``-`` alone on a line introduces the list item on the next line; ``- item`` is an item
  (``*`` and ``•`` work as well);
* a short line (at most 12 words) without final ``.``, ``:``, ``;``, ``,`` or ``!`` is a heading;
* every other line is a paragraph; a paragraph ending in ``:`` right before a list is its lead-in.

Plain text has no levels, so nesting is inferred: a heading directly followed by another heading
opens a group, and the headings after it are its sub-sections until the next such heading. A
section whose heading mentions an overdose, or taking too much / more than you should, is the
boxed warning. What the importer had to guess or ignore is reported through ``on_warning``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from leaflet.errors import Diagnostic, content_error
from leaflet.loaders.language import OVERDOSE, detect_language, language_name
from leaflet.loaders.source_text import normalized, read_text
from leaflet.model import Block, BulletList, Metadata, Monograph, Paragraph, Run, Section, source_lines

WarningSink = Callable[[Diagnostic], None]

BULLET_MARKS = frozenset("-*•‣◦▪–")
_ITEM = re.compile(r"^[-*•‣◦▪–]\s+(?P<text>\S.*)$")
_HEADING_END = re.compile(r"[.:;,!…。．：；，！]$")
_LAYOUT_SPACE = re.compile(r"[ \t\f\v]+")
MAX_HEADING_WORDS = 12


@dataclass(frozen=True)
class _Line:
    kind: str  # "heading", "paragraph" or "item"
    text: str
    number: int


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
    lines = list(_classify(numbered[1:], name, warn))
    if not lines:
        raise content_error(
            name,
            "there is nothing after the title",
            line=title_line,
            hint="add the monograph's text",
            code="text-nothing-after-title",
        )
    body = _Structure(name).build(lines)
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


def _classify(numbered: list[tuple[int, str]], name: str, warn: WarningSink) -> Iterator[_Line]:
    index = 0
    while index < len(numbered):
        number, line = numbered[index]
        index += 1
        if line in BULLET_MARKS:
            following = numbered[index][1] if index < len(numbered) else None
            if following is None or following in BULLET_MARKS or _ITEM.match(following):
                warn(
                    Diagnostic(
                        name,
                        f"'{line}' with no list item after it; ignored",
                        number,
                        hint="put the item's text on the next line or delete the mark",
                        code="text-lone-bullet",
                    )
                )
                continue
            yield _Line("item", numbered[index][1], numbered[index][0])
            index += 1
        elif match := _ITEM.match(line):
            yield _Line("item", match.group("text"), number)
        elif _is_heading(line):
            yield _Line("heading", line, number)
        else:
            yield _Line("paragraph", line, number)


def _is_heading(line: str) -> bool:
    return len(line.split()) <= MAX_HEADING_WORDS and not _HEADING_END.search(line)


@dataclass
class _OpenSection:
    heading: str
    line: int
    body: list[Block] = field(default_factory=list)
    children: list[_OpenSection] = field(default_factory=list)

    def close(self, inside_warning: bool = False) -> Section:
        warning = bool(OVERDOSE.search(self.heading)) and not inside_warning
        body = self.body + [child.close(inside_warning or warning) for child in self.children]
        return Section(heading=self.heading, body=tuple(body), warning=warning, line=self.line)


class _Structure:
    """Groups classified lines into sections, lists and lead-ins."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.preamble: list[Block] = []
        self.top: list[_OpenSection] = []
        self.group: _OpenSection | None = None
        self.current: _OpenSection | None = None

    def build(self, lines: list[_Line]) -> tuple[Block, ...]:
        index = 0
        while index < len(lines):
            line = lines[index]
            if line.kind == "heading":
                opens_group = index + 1 < len(lines) and lines[index + 1].kind == "heading"
                self.add_heading(line, opens_group)
                index += 1
            elif line.kind == "item":
                index = self.add_list(lines, index, lead=None)
            elif line.text.endswith(":") and index + 1 < len(lines) and lines[index + 1].kind == "item":
                index = self.add_list(lines, index + 1, lead=line)
            else:
                self.target().append(Paragraph((Run(line.text),), line.number))
                index += 1
        return tuple(self.preamble) + tuple(section.close() for section in self.top)

    def add_heading(self, line: _Line, opens_group: bool) -> None:
        section = _OpenSection(line.text, line.number)
        if opens_group or self.group is None:
            self.top.append(section)
            self.group = section if opens_group else None
        else:
            self.group.children.append(section)
        self.current = section

    def add_list(self, lines: list[_Line], index: int, lead: _Line | None) -> int:
        start = index
        while index < len(lines) and lines[index].kind == "item":
            index += 1
        items = tuple(Paragraph((Run(item.text),), item.number) for item in lines[start:index])
        lead_paragraph = Paragraph((Run(lead.text),), lead.number) if lead else None
        first_line = lead.number if lead else items[0].line
        self.target().append(BulletList(items=items, lead=lead_paragraph, line=first_line))
        return index

    def target(self) -> list[Block]:
        return self.current.body if self.current else self.preamble


def _walk(blocks: tuple[Block, ...]) -> Iterator[Section]:
    for block in blocks:
        if isinstance(block, Section):
            yield block
            yield from _walk(block.body)
