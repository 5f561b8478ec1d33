"""What the checks report: a :class:`Finding` is one problem, how serious, which rule, and where.

Produced by the content rules (:mod:`leaflet.check.rules`) and the PDF preflight (:mod:`leaflet.check.preflight`);
the command line formats them as text or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from leaflet.errors import Diagnostic

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem found in a monograph: how serious, which rule, and where."""

    severity: Severity
    rule: str
    """The rule that found it: what ``.leaflet-check-ignore`` names (``load`` for what the loader refuses)."""
    diagnostic: Diagnostic

    @property
    def code(self) -> str:
        """The stable code: the diagnostic's own (``yaml-unknown-key`` for a ``load`` finding), else the rule's
        name (the content and preflight rules are their own codes)."""
        return self.diagnostic.code or self.rule

    def with_code(self) -> Diagnostic:
        """The diagnostic, carrying :attr:`code`."""
        return self.diagnostic if self.diagnostic.code else replace(self.diagnostic, code=self.rule)

    def as_dict(self) -> dict[str, object]:
        """The finding as plain data (for JSON)."""
        d = self.diagnostic
        return {
            "path": d.path,
            "line": d.line,
            "column": d.column,
            "severity": self.severity,
            "rule": self.rule,
            "code": self.code,
            "message": d.message,
            "hint": d.hint,
        }
