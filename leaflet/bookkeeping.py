"""One lock file per output folder, so that two runs writing into the same folder take turns."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from leaflet.errors import Diagnostic, OutputError


@contextlib.contextmanager
def hold_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created owner-only if missing); a second holder waits."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise OutputError(
            Diagnostic(str(path), f"cannot be opened: {exc.strerror}", hint="check the output folder's permissions")
        ) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
