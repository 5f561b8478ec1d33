"""Problems of an order batch addressed to their row: the CSV line and the order id first, then what the
problem is about (a file the row names, or the row itself), never a patient's details."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from leaflet.errors import Diagnostic, OptionsError

if TYPE_CHECKING:
    from leaflet.orders.batch import OrderJob


def about_row(job: OrderJob, diagnostic: Diagnostic) -> Diagnostic:
    """``diagnostic`` re-addressed to the row: the CSV line, the order id, then what it was about."""
    if diagnostic.path == job.where:
        return prefixed(diagnostic, job.order_id)
    message = f"{diagnostic.location()}: {diagnostic.message}"
    return row_diagnostic(job, message, hint=diagnostic.hint, code=diagnostic.code)


def row_diagnostic(job: OrderJob, message: str, *, hint: str | None = None, code: str = "order") -> Diagnostic:
    """A diagnostic about the row of ``job`` (its CSV line and order id), keeping the code of what it is
    about (``order-pdf``, ``glyphs``, ...; ``order`` for the row itself)."""
    path, line = job.where.rsplit(":", 1)
    return Diagnostic(path, f"order {job.order_id}: {message}", line=int(line), hint=hint, code=code or "order")


def prefixed(diagnostic: Diagnostic, order_id: str) -> Diagnostic:
    path, line = diagnostic.path.rsplit(":", 1)
    message = f"order {order_id}: {diagnostic.message}" if order_id else diagnostic.message
    return Diagnostic(path, message, line=int(line), hint=diagnostic.hint, code=diagnostic.code or "order")


def about_file(where: str, order_id: str, diagnostic: Diagnostic) -> Diagnostic:
    """``diagnostic`` about a file the row names, re-addressed to the row (its code kept)."""
    if diagnostic.path == where:
        return prefixed(diagnostic, order_id)
    return prefixed(
        replace(diagnostic, path=where, line=None, message=f"{diagnostic.location()}: {diagnostic.message}"), order_id
    )


def row_error(where: str, order_id: str, message: str, *, hint: str | None = None) -> OptionsError:
    return OptionsError(prefixed(Diagnostic(where, message, hint=hint, code="order"), order_id))
