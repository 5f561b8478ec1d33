"""The command line's log lines: ``leaflet: message`` (text), or one JSON object a line
(``--log-format json``) for log collectors: time, level, logger, message and leaflet's own fields
(endpoint, status, ms, code, order id, ...). The fields are those leaflet's log calls pass; a record
never carries a request's body or a patient's details, because leaflet never logs them."""

from __future__ import annotations

import datetime
import json
import logging

FIELDS = ("endpoint", "status", "ms", "code", "order_id", "packet", "worker")
"""The extra fields of a record that go into its JSON line, when a log call gave them."""


class JsonFormatter(logging.Formatter):
    """One JSON object a record."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if getattr(record, name, None) is not None:
                line[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__name__  # the type only: its text may quote input
        return json.dumps(line, ensure_ascii=False)
