"""The service's memory: laid-out leaflets by monograph digest and options (bounded, least recently used
first out), the library's monographs by name with their digests, and answers kept for Idempotency-Key.

Every structure is owned by one :class:`leaflet.service.work.Service` (no module state) and safe to use
from the worker threads that serve requests at once.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from leaflet.errors import Diagnostic, OptionsError
from leaflet.files import Confiner, FileRefusedError
from leaflet.loaders import IMPORTED_SUFFIXES, MONOGRAPH_SUFFIXES

Value = TypeVar("Value")
LIBRARY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
"""A monograph's name in the library: its file name without the extension; no path."""


class BoundedCache(Generic[Value]):
    """At most ``size`` values by key, the least recently used dropped first; built once per key even
    when several threads ask at the same moment (the others wait for the first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Value] = OrderedDict()
        self._building: dict[Hashable, Future[Value]] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._values)

    def get_or_build(self, key: Hashable, build: Callable[[], Value]) -> tuple[Value, bool]:
        """The value of ``key`` and whether it was already there (else ``build()`` made it)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                self.hits += 1
                return self._values[key], True
            pending = self._building.get(key)
            owner = pending is None
            if pending is None:
                pending = self._building[key] = Future()
                self.misses += 1
        if not owner:
            return pending.result(), True
        try:
            value = build()
        except BaseException as exc:
            with self._lock:
                del self._building[key]
            pending.set_exception(exc)
            raise
        with self._lock:
            del self._building[key]
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        pending.set_result(value)
        return value, False


@dataclass(frozen=True)
class Remembered:
    """An answer kept for an Idempotency-Key: what the request was (its fingerprint) and the bytes sent."""

    fingerprint: str
    body: bytes
    headers: tuple[tuple[str, str], ...]


class IdempotencyReuseError(Exception):
    """The same Idempotency-Key came with a different request."""


class IdempotencyStore:
    """Answers by Idempotency-Key (bounded, oldest out): a retry gets the same bytes, and a retry while
    the first is still at work waits for it instead of doing the work again."""

    def __init__(self, size: int) -> None:
        self._cache: BoundedCache[Remembered] = BoundedCache(size)

    def answer(self, key: str, fingerprint: str, work: Callable[[], Remembered]) -> tuple[Remembered, bool]:
        """The answer for ``key`` and whether it is a replay; raises :class:`IdempotencyReuseError` when
        ``key`` was used for another request."""
        remembered, replay = self._cache.get_or_build(key, work)
        if remembered.fingerprint != fingerprint:
            raise IdempotencyReuseError(key)
        return remembered, replay


class Library:
    """The monographs of the library folder, found by name; their digests are by content, memoised by
    the file's size and modification time, so an edit is picked up by the next request."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._confiner = Confiner(folder) if folder is not None else None
        self._digests: dict[Path, tuple[tuple[int, int, int], str]] = {}
        self._lock = threading.Lock()

    def find(self, name: str) -> Path:
        """The monograph called ``name`` (``baclofen`` for ``baclofen.yaml``), or :class:`OptionsError`."""
        if self.folder is None or self._confiner is None:
            raise _unknown(name, "this service has no library", hint="upload the monograph as a file")
        if not LIBRARY_NAME.match(name):
            raise _unknown(name, "is not a monograph name", hint="give the file name without its extension")
        for suffix in (*MONOGRAPH_SUFFIXES, *IMPORTED_SUFFIXES):  # baclofen.yaml before baclofen.xml
            path = self.folder / f"{name}{suffix}"
            if path.is_file():
                try:
                    self._confiner.resolve(path)
                except FileRefusedError:
                    raise _unknown(name, "is a link to a file outside the library") from None
                return path
        raise _unknown(name, "is not in the library", hint="check the name, or upload the monograph")

    def digest(self, path: Path) -> str:
        """SHA-256 of the file's bytes, read again only when its size or modification time changed."""
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        with self._lock:
            known = self._digests.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        with self._lock:
            self._digests[path] = (stamp, digest)
        return digest

    def display_name(self, path: Path) -> str:
        """How problems name a library file: its name in the library, never the server's path."""
        return path.name


def _unknown(name: str, message: str, *, hint: str | None = None) -> OptionsError:
    shown = name if LIBRARY_NAME.match(name) else "(monograph)"
    return OptionsError(Diagnostic(shown, message, hint=hint, code="monograph-unknown"))
