"""Known findings a folder accepts: its ``.leaflet-check-ignore`` file.

Consumes the findings of ``leaflet check`` and the folders checked; returns the findings less those a
folder's ignore file acknowledges, plus an error for each unreadable line and a warning for each
acknowledgement that no longer matches anything (see :func:`apply_acknowledgements`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from leaflet.check.findings import Finding
from leaflet.errors import Diagnostic

IGNORE_NAME = ".leaflet-check-ignore"
_ACKNOWLEDGEMENT = re.compile(r"^(?P<path>\S+):(?P<line>\d+)\s+(?P<rule>[\w-]+)\s*(?:#\s*(?P<reason>.*))?$")


@dataclass(frozen=True)
class Acknowledgement:
    """One line of a ``.leaflet-check-ignore``: a finding known and accepted, and why."""

    path: Path
    """The file the finding is about (resolved)."""
    line: int
    rule: str
    reason: str
    written_in: str
    """The ignore file."""
    written_at: int
    """The acknowledgement's line in the ignore file."""


def apply_acknowledgements(findings: list[Finding], folders: Sequence[Path]) -> list[Finding]:
    """``findings`` less those acknowledged in each folder's ``.leaflet-check-ignore``.

    A line reads ``PATH:LINE RULE  # reason`` (``PATH`` relative to the folder, the reason required)
    and matches a finding of that rule at exactly that file and line. A line that matches nothing is
    reported as stale (warning); a line that cannot be read is an error.
    """
    acknowledgements: list[Acknowledgement] = []
    problems: list[Finding] = []
    for folder in folders:
        ignore_file = folder / IGNORE_NAME
        if ignore_file.is_file():
            read, bad = read_acknowledgements(ignore_file)
            acknowledgements.extend(read)
            problems.extend(bad)
    if not acknowledgements:
        return findings + problems
    kept = [finding for finding in findings if not any(_acknowledges(ack, finding) for ack in acknowledgements)]
    stale = [
        Finding(
            "warning",
            "ignore",
            Diagnostic(
                ack.written_in,
                f"stale acknowledgement: no {ack.rule} finding at {ack.path.name}:{ack.line} any more",
                ack.written_at,
                hint="remove the line",
            ),
        )
        for ack in acknowledgements
        if not any(_acknowledges(ack, finding) for finding in findings)
    ]
    return kept + problems + stale


def _acknowledges(ack: Acknowledgement, finding: Finding) -> bool:
    where = finding.diagnostic
    return finding.rule == ack.rule and where.line == ack.line and Path(where.path).resolve() == ack.path


def read_acknowledgements(ignore_file: Path) -> tuple[list[Acknowledgement], list[Finding]]:
    """The acknowledgements in ``ignore_file``, and an error finding for each line that is not one
    (or a single one when the file cannot be read or is not UTF-8)."""
    acknowledgements: list[Acknowledgement] = []
    problems: list[Finding] = []
    try:
        text_of_file = ignore_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else f"cannot be read: {exc.strerror}"
        hint = "save it as UTF-8" if isinstance(exc, UnicodeDecodeError) else "check its permissions"
        return [], [Finding("error", "ignore", Diagnostic(str(ignore_file), reason, hint=hint))]
    for number, raw in enumerate(text_of_file.splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        match = _ACKNOWLEDGEMENT.match(text)
        reason = (match["reason"] or "").strip() if match else ""
        if match is None or not reason:
            message = "an acknowledgement needs a reason" if match else f"cannot read {text!r}"
            problems.append(
                Finding(
                    "error",
                    "ignore",
                    Diagnostic(str(ignore_file), message, number, hint="write 'PATH:LINE RULE  # reason'"),
                )
            )
            continue
        path = (ignore_file.parent / match["path"]).resolve()
        acknowledgements.append(
            Acknowledgement(path, int(match["line"]), match["rule"], reason, str(ignore_file), number)
        )
    return acknowledgements, problems
