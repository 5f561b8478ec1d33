"""Check monographs' content against the rules a patient leaflet must follow, without building a PDF.

Each rule is a small function that takes a loaded :class:`Monograph` (and the options) and yields
:class:`Finding` s; :func:`check_paths` loads every monograph named or found in a named folder and
runs them all; built ``.pdf`` files go to the preflight rules of :mod:`leaflet.check.preflight`. A folder's
``.leaflet-check-ignore`` acknowledges known findings (see :func:`apply_acknowledgements`). Nothing
here prints: the command line (``leaflet check``) formats the findings.

The reading grade is an estimate: the Flesch-Kincaid formula over a heuristic English syllable
count, run only on English content.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from leaflet.build import find_sources
from leaflet.check.acknowledgements import apply_acknowledgements
from leaflet.check.findings import Finding, Severity
from leaflet.check.measures import GRADE_FORMULAS, PhraseLocator, excerpt, running_text, split_sentences
from leaflet.check.qrd_rules import (
    missing_sections,
    rule_qrd_black_triangle,
    rule_qrd_section_order,
    rule_qrd_statements,
)
from leaflet.errors import Diagnostic, FontError, LeafletError, OptionsError
from leaflet.loaders import MONOGRAPH_SUFFIXES, load_monograph
from leaflet.loaders.language import OVERDOSE
from leaflet.loaders.qrd import SECTION_PATTERNS, SECTION_TITLES
from leaflet.model import Monograph, Section, iter_sections, iter_text
from leaflet.text.fonts import check_coverage, register_fonts

PROFILES: dict[str, tuple[tuple[str, str], ...]] = {
    # What any leaflet needs: USP <1265> asks for the same kinds of information in every leaflet.
    "basic": (
        ("what it is or what it is used for", r"\bwhat (?:is|are)\b(?!.*\bside effects\b)|\bused for\b"),
        ("how to take it (dosage)", r"\bhow\b.*\b(?:take|use)\b|\bdos(?:e|es|age|ing)\b"),
        ("overdose (the warning)", OVERDOSE.pattern),
        ("side effects", r"\bside[- ]effects?\b|\badverse\b"),
        (
            "precautions or who should not take it",
            r"\bprecautions?\b|\bwho\b.*\b(?:take|use)\b|\bbefore you (?:take|use)\b|\bwarnings?\b",
        ),
    ),
    # The EU QRD template's six numbered sections (matched in the leaflet's language: leaflet.check.qrd_rules).
    "eu-qrd": tuple(zip(SECTION_TITLES, SECTION_PATTERNS["en"], strict=True)),
    # The US Medication Guide's fixed headings (21 CFR 208.20(b)).
    "us-medguide": (
        (
            "What is the most important information I should know about X?",
            r"\bmost important information I should know about\b",
        ),
        ("What is X?", r"^what is (?!the most important information\b)"),
        ("Who should not take X?", r"\bwho should not (?:take|use)\b"),
        ("How should I take X?", r"\bhow should I (?:take|use)\b"),
        ("What are the possible side effects of X?", r"\bwhat are the possible side effects\b"),
        ("How should I store X?", r"\bhow should I store\b"),
        (
            "General information about the safe and effective use of X",
            r"\bgeneral information about the safe and effective use\b",
        ),
    ),
}
"""Section profiles: name -> the required sections, each a label and a case-insensitive regex on headings."""

PROMOTIONAL: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("order ... online", r"\border\b[^.!?]{0,60}?\bonline\b"),
        ("buy", r"\bbuy(?:ing)?\b"),
        ("best price", r"\bbest prices?\b"),
        ("discount", r"\bdiscount(?:s|ed)?\b"),
        ("cheap", r"\bcheap(?:er|est|ly)?\b"),
        ("trusted pharmacy", r"\btrusted (?:online )?pharmac(?:y|ies)\b"),
        ("guaranteed", r"\bguarantee(?:s|d)?\b"),
    )
)
"""Promotional wording a patient leaflet must not carry (21 CFR 208.20(a)(1)): label and pattern."""

PDF_SUFFIX = ".pdf"
"""Files checked by the preflight rules (built leaflets) rather than the content rules."""


@dataclass(frozen=True)
class CheckOptions:
    """What :func:`check_paths` checks against."""

    profile: str = "basic"
    """The section profile: a key of :data:`PROFILES`."""
    max_grade: float = 8.0
    """Highest acceptable Flesch-Kincaid grade (USP <1265>: grade 6-8 at most)."""
    max_sentence_words: int = 30
    """Sentences longer than this are reported."""
    max_pages: int | None = None
    """Page budget of a built PDF (rule ``pdf-pages``); None: no budget."""


Rule = Callable[[Monograph, CheckOptions], Iterator[Finding]]


def check_paths(paths: Sequence[Path], options: CheckOptions | None = None) -> list[Finding]:
    """Check every monograph and built PDF named in ``paths`` or found in a named folder (recursively).

    A named folder's ``.leaflet-check-ignore`` acknowledges findings (:func:`apply_acknowledgements`).
    """
    options = options or CheckOptions()
    if options.profile not in PROFILES:
        raise OptionsError(
            Diagnostic("--profile", f"unknown profile {options.profile!r}", hint=f"use {', '.join(PROFILES)}")
        )
    sources = find_monographs(list(paths))
    if not sources:
        raise OptionsError(
            Diagnostic(
                ", ".join(map(str, paths)),
                "no .yaml or .txt monographs found (nor built .pdf leaflets)",
                hint="name monograph files, built PDFs, or folders that hold them",
            )
        )
    findings: list[Finding] = []
    for source in sources:
        findings.extend(check_pdf(source, options) if _is_pdf(source) else check_file(source, options))
    return apply_acknowledgements(findings, [path for path in paths if path.is_dir()])


def find_monographs(paths: list[Path]) -> list[Path]:
    """Each named file, and every monograph and PDF under each named folder (sorted), once each."""
    return [path for path, _ in find_sources(paths, (*MONOGRAPH_SUFFIXES, PDF_SUFFIX))]


def _is_pdf(path: Path) -> bool:
    return path.suffix.lower() == PDF_SUFFIX


def check_pdf(path: Path, options: CheckOptions | None = None) -> list[Finding]:
    """Every preflight finding about the built PDF at ``path`` (``line`` is the page number)."""
    from leaflet.check.preflight import PreflightOptions, preflight_pdf  # pypdf loads only for PDFs

    options = options or CheckOptions()
    return preflight_pdf(path, PreflightOptions(max_pages=options.max_pages))


def check_file(path: Path, options: CheckOptions | None = None) -> list[Finding]:
    """Every finding about the monograph at ``path``, in source order."""
    options = options or CheckOptions()
    loader_warnings: list[Diagnostic] = []
    try:
        monograph = load_monograph(path, on_warning=loader_warnings.append)
    except LeafletError as error:
        return [Finding("error", "load", diagnostic) for diagnostic in error.diagnostics]
    findings = [
        Finding("warning", "load", diagnostic)
        for diagnostic in loader_warnings
        if diagnostic.code != "text-no-overdose-section"  # reported by no-warning-box
    ]
    findings.extend(check_monograph(monograph, options))
    return sorted(findings, key=lambda f: (f.diagnostic.line or 0, f.diagnostic.column or 0))


def check_monograph(monograph: Monograph, options: CheckOptions | None = None) -> list[Finding]:
    """Every rule's findings about ``monograph``, rule by rule."""
    options = options or CheckOptions()
    return [finding for rule in RULES.values() for finding in rule(monograph, options)]


def _finding(
    severity: Severity,
    rule: str,
    monograph: Monograph,
    message: str,
    line: int | None,
    column: int | None = None,
    hint: str | None = None,
) -> Finding:
    return Finding(severity, rule, Diagnostic(monograph.path, message, line or None, column, hint))


def _title_line(monograph: Monograph) -> int | None:
    return monograph.lines.get("title") or None


# --- the rules -------------------------------------------------------------------------------


def rule_no_warning_box(monograph: Monograph, options: CheckOptions) -> Iterator[Finding]:
    """Error: no section is set apart as the boxed (overdose) warning.

    USP <1265> and 21 CFR 208.20(a)(5): warnings visibly distinct from instructions.
    """
    if not any(section.warning for _, section in iter_sections(monograph.body)):
        yield _finding(
            "error",
            "no-warning-box",
            monograph,
            "no warning section; the leaflet would have no boxed overdose warning",
            _title_line(monograph),
            hint="add a 'warning:' section (YAML) or an 'Overdose Caution' heading (plain text)",
        )


def rule_empty_section(monograph: Monograph, options: CheckOptions) -> Iterator[Finding]:
    """Warning: a section with a heading and nothing under it."""
    for _, section in iter_sections(monograph.body):
        if not section.body:
            yield _finding(
                "warning",
                "empty-section",
                monograph,
                f"section {section.heading!r} has no text",
                section.line,
                hint="add its text or remove the heading",
            )


def rule_duplicate_heading(monograph: Monograph, options: CheckOptions) -> Iterator[Finding]:
    """Warning: the same heading text twice (compared without case and extra spaces)."""
    first: dict[str, Section] = {}
    for _, section in iter_sections(monograph.body):
        key = " ".join(section.heading.casefold().split())
        if key not in first:
            first[key] = section
            continue
        earlier = first[key].line or "?"
        yield _finding(
            "warning",
            "duplicate-heading",
            monograph,
            f"heading {section.heading!r} appears twice (lines {earlier} and {section.line or '?'})",
            section.line,
            hint="merge the sections or make the headings distinct",
        )


def rule_glyphs(monograph: Monograph, options: CheckOptions) -> Iterator[Finding]:
    """Error: characters the bundled fonts cannot draw."""
    try:
        check_coverage(monograph, register_fonts())
    except FontError as error:
        for diagnostic in error.diagnostics:
            yield Finding("error", "glyphs", diagnostic)


def rule_layout_fit(monograph: Monograph, options: CheckOptions) -> Iterator[Finding]:
    """Error: what ``leaflet build`` refuses to lay out (with the default options): a title block too tall
    for the first page, more than 5,000 pieces of text; warning: a title that fits in standard print but
    not in large print."""
    from leaflet.errors import LayoutFitError
    from leaflet.options import BuildOptions
    from leaflet.render import check_fits  # measured as the build measures it

    checks: tuple[tuple[Severity, BuildOptions], ...] = (
        ("error", BuildOptions()),
        ("warning", BuildOptions(large_print=True)),
    )
    for severity, build_options in checks:
        try:
            check_fits(monograph, build_options)
        except LayoutFitError as error:
            suffix = "" if severity == "error" else " in large print"
            for diagnostic in error.diagnostics:
                yield Finding(severity, "layout-fit", replace(diagnostic, message=diagnostic.message + suffix))
            return


def rule_header_fit(monograph: Monograph, options: CheckOptions) -> Iterator[Finding]:
    """Warning: a drug name the running header cuts short (as ``leaflet build`` warns)."""
    from leaflet.options import BuildOptions
    from leaflet.render import layout_warnings

    for diagnostic in layout_warnings(monograph, BuildOptions()):
        yield Finding("warning", "header-fit", diagnostic)


def rule_long_sentence(monograph: Monograph, options: CheckOptions) -> Iterator[Finding]:
    """Warning: a sentence longer than ``options.max_sentence_words`` words (plain language, USP <1265>)."""
    locate = PhraseLocator(monograph.source_text)
    for piece in running_text(monograph):
        for sentence in split_sentences(piece.text):
            count = len(sentence.split())
            if count > options.max_sentence_words:
                line, column = locate(sentence, piece)
                yield _finding(
                    "warning",
                    "long-sentence",
                    monograph,
                    f"a sentence of {count} words (more than {options.max_sentence_words}): {excerpt(sentence)}",
                    line,
                    column,
                    hint="split it into shorter sentences",
                )


def rule_reading_grade(monograph: Monograph, options: CheckOptions) -> Iterator[Finding]:
    """Warning: the Flesch-Kincaid grade of the leaflet's text is above ``options.max_grade``.

    USP <1265>: reading level grade 6 or below where possible, never above grade 8. The grade is an
    estimate (heuristic syllables): Flesch-Kincaid for English, the Wiener Sachtextformel for German;
    languages without a grade formula are skipped.
    """
    formula = GRADE_FORMULAS.get(monograph.meta.language.split("-")[0].lower())
    if formula is None:
        return
    grade_of, name = formula
    grade = grade_of(piece.text for piece in running_text(monograph))
    if grade is not None and grade > options.max_grade:
        yield _finding(
            "warning",
            "reading-grade",
            monograph,
            f"estimated reading grade {grade:.1f} ({name}) is above {options.max_grade:g}",
            _title_line(monograph),
            hint="use shorter sentences and everyday words; USP <1265> asks for grade 6-8 at most",
        )


def rule_promotional(monograph: Monograph, options: CheckOptions) -> Iterator[Finding]:
    """Error: promotional wording; a patient leaflet carries none (21 CFR 208.20(a)(1))."""
    locate = PhraseLocator(monograph.source_text)
    for piece in iter_text(monograph):
        for label, pattern in PROMOTIONAL:
            for match in pattern.finditer(piece.text):
                line, column = locate(match.group(0), piece)
                yield _finding(
                    "error",
                    "promotional",
                    monograph,
                    f"promotional wording ({label}): {match.group(0)!r}",
                    line,
                    column,
                    hint="remove it; patient leaflets must not promote (21 CFR 208.20(a)(1))",
                )


def rule_profile(monograph: Monograph, options: CheckOptions) -> Iterator[Finding]:
    """Warning: a section the profile requires has no matching heading.

    USP <1265>: the same kinds of information in the same place in every leaflet. The ``eu-qrd`` profile
    knows the QRD headings in the EU languages of :mod:`leaflet.loaders.qrd`; the other profiles' headings
    are English, so leaflets in other languages are skipped (no finding) until they carry translations.
    """
    if options.profile == "eu-qrd":
        missing = list(missing_sections(monograph))
    elif monograph.meta.language.split("-")[0].lower() != "en":
        return
    else:
        headings = [section.heading.strip() for _, section in iter_sections(monograph.body)]
        missing = [
            label
            for label, pattern in PROFILES[options.profile]
            if not any(re.search(pattern, heading, re.IGNORECASE) for heading in headings)
        ]
    for label in missing:
        yield _finding(
            "warning",
            "profile",
            monograph,
            f"no section {label!r} (profile {options.profile})",
            _title_line(monograph),
            hint="add the section, or choose another --profile",
        )


def rule_qrd(monograph: Monograph, options: CheckOptions) -> Iterator[Finding]:
    """With ``--profile eu-qrd``: the six sections' order and numbers, the template's fixed statements and the
    black triangle (:mod:`leaflet.check.qrd_rules`)."""
    if options.profile != "eu-qrd":
        return
    yield from rule_qrd_section_order(monograph)
    yield from rule_qrd_statements(monograph)
    yield from rule_qrd_black_triangle(monograph)


RULES: dict[str, Rule] = {
    "no-warning-box": rule_no_warning_box,
    "empty-section": rule_empty_section,
    "duplicate-heading": rule_duplicate_heading,
    "glyphs": rule_glyphs,
    "layout-fit": rule_layout_fit,
    "header-fit": rule_header_fit,
    "long-sentence": rule_long_sentence,
    "reading-grade": rule_reading_grade,
    "promotional": rule_promotional,
    "profile": rule_profile,
    "qrd": rule_qrd,
}
"""Every content rule by name, in the order they run (``load`` runs before them, in :func:`check_file`)."""
