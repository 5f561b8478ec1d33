"""Errors as ``application/problem+json`` (RFC 9457): the status, a title, and leaflet's diagnostics
(code, path, line, column, message, hint) as the command line reports them.

4xx for what the client sent (422 for a monograph, order or patient details that cannot be used as
sent; 400 for a malformed request; 413 too large; 415 a body of another kind); 5xx only for leaflet's
own failures (500 a bug, 503 out of time). No body, query value or exception text is echoed: a problem
carries only what leaflet's diagnostics say, and they never quote a patient's details.
"""

from __future__ import annotations

from leaflet.errors import ContentError, Diagnostic, FontError, LayoutFitError, LeafletError, OutputError

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    500: "Internal error",
    503: "Service unavailable",
}


def status_of(error: LeafletError) -> int:
    """The HTTP status of a leaflet error: 500 when leaflet could not write its own output, else 422."""
    if isinstance(error, OutputError):
        return 500
    if isinstance(error, ContentError | FontError | LayoutFitError):
        return 422
    codes = {diagnostic.code for diagnostic in error.diagnostics}
    return 404 if codes == {"monograph-unknown"} else 422


def problem(status: int, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...], *, title: str | None = None) -> dict:
    """The problem document of ``status`` with ``diagnostics`` (the first gives ``code`` and ``detail``)."""
    first = diagnostics[0] if diagnostics else None
    code = (first.code if first else "") or "error"
    return {
        "type": f"urn:leaflet:problem:{code}",
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": str(first) if first else None,
        "code": code,
        "diagnostics": [as_dict(diagnostic) for diagnostic in diagnostics],
    }


def as_dict(diagnostic: Diagnostic) -> dict[str, object]:
    return {
        "code": diagnostic.code,
        "path": diagnostic.path,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }


def simple(status: int, code: str, message: str, *, where: str = "request", hint: str | None = None) -> dict:
    """A problem of one diagnostic about the request itself."""
    return problem(status, [Diagnostic(where, message, hint=hint, code=code)])
