"""What the checks report: a :class:`Finding` is one problem, how serious, which rule, and where.

Produced by the content rules (:mod:`leaflet.check.rules`) and the PDF preflight (:mod:`leaflet.check.preflight`);
the command line formats them as text or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from leaflet.errors import Diagnostic

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem found in a monograph: how serious, which rule, and where."""

    severity: Severity
    rule: str
    diagnostic: Diagnostic

    def as_dict(self) -> dict[str, object]:
        """The finding as plain data (for JSON)."""
        d = self.diagnostic
        return {
            "path": d.path,
            "line": d.line,
            "column": d.column,
            "severity": self.severity,
            "rule": self.rule,
            "message": d.message,
            "hint": d.hint,
        }
