"""pypdf's complaints about a damaged file, collected per thread, without configuring logging.

pypdf reports what it repaired through the loggers of its modules (``pypdf._reader``, ...). Its
messages can quote bytes of an order, which is personal health information, so while leaflet reads
a PDF (inside :func:`collecting`) they are counted and kept from every handler, and otherwise left
alone. That is done by a :class:`logging.Filter` on each pypdf module's logger, added once when this
module is imported: it looks at a context variable, so each thread (and each task) collects only
its own complaints, and pypdf's loggers, their handlers, levels and propagation, and the
``warnings`` filters are never changed while reading (``warnings.catch_warnings`` and adding and
removing handlers are process-wide, and race between threads). pypdf uses ``warnings`` only for
deprecations, which are about leaflet's code, not the file.

A complaint pypdf never logs (its loggers disabled or set above ``WARNING`` by the application) is
not counted.
"""

from __future__ import annotations

import logging
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import pypdf

_COLLECTOR: ContextVar[list[str] | None] = ContextVar("leaflet_pypdf_complaints", default=None)


class _CollectingFilter(logging.Filter):
    """Keeps a pypdf record for the collector of the current context, if any, instead of logging it."""

    def filter(self, record: logging.LogRecord) -> bool:
        collector = _COLLECTOR.get()
        if collector is None:
            return True
        collector.append(record.getMessage())
        return False


_FILTER = _CollectingFilter()


def _install() -> None:
    """Add the filter to the logger of pypdf and of each of its modules (``logger_warning`` logs to the
    logger named after the module that complains). A logger-level filter sees the records made on that
    logger only, hence one a module."""
    names = ["pypdf", *(info.name for info in pkgutil.walk_packages(pypdf.__path__, "pypdf."))]
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


_install()


@contextmanager
def collecting() -> Iterator[list[str]]:
    """The complaints of pypdf in this context while inside; none of them reaches a handler."""
    messages: list[str] = []
    token = _COLLECTOR.set(messages)
    try:
        yield messages
    finally:
        _COLLECTOR.reset(token)


def complain(message: str) -> None:
    """Count ``message`` (a fixed sentence) among the complaints being collected, as pypdf's own."""
    collector = _COLLECTOR.get()
    if collector is not None:
        collector.append(message)
