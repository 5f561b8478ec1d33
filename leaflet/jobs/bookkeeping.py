"""Book-keeping shared by the incremental commands (library builds, order batches): the folder
lock, the digest of what leaflet itself contributes to an output, and the up-to-date test."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from leaflet import __version__
from leaflet.errors import Diagnostic, OutputError
from leaflet.text.fonts import font_files


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


@cache
def tool_digest() -> str:
    """What every output owes to leaflet itself: its version and the bundled fonts' bytes."""
    digest = hashlib.sha256(__version__.encode())
    for path in font_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def output_is_current(entry: dict | None, key: str, target: Path) -> bool:
    """True when ``entry`` recorded ``key`` and ``target`` is still the file written then (size, mtime)."""
    if not entry or entry.get("key") != key:
        return False
    try:
        stat = target.stat()
    except OSError:
        return False
    return stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns")
