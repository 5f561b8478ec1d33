"""The state file that makes re-runs incremental, and the book-keeping of an output folder.

One implementation for every incremental command (library builds: ``OUT/.leaflet-state.json``,
entries under ``outputs``; order batches: ``OUTDIR/.leaflet-orders.json``, under ``packets``): a JSON
object ``{"format": 1, TABLE: {name: entry}}``, each entry recording an output's build *key*, its
size and mtime (an output changed by hand is remade). It is read as untrusted (a regular file, never
through a link, bounded, entries validated) and written atomically, owner-only when asked.

:func:`open_folder` is how a run enters its folder: it takes the lock, removes what a killed run
left behind (its own temporary files, issue 10 item 7) and loads the state.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from leaflet import __version__
from leaflet.errors import Diagnostic
from leaflet.files import FileRefusedError, read_regular
from leaflet.jobs.lock import hold_lock
from leaflet.text.fonts import font_files

STATE_FORMAT = 1
MAX_STATE_BYTES = 256 * 1024 * 1024
SAVE_EVERY_SECONDS = 2.0
"""A long run saves its state this often, so that a killed run loses little work."""
LEFTOVER = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")
"""A temporary file of :func:`leaflet.build.write_atomically`: ``.NAME.XXXXXXXX.tmp``."""


@dataclass(frozen=True)
class StateFile:
    """Where an incremental command keeps its state in its output folder, and how."""

    folder: Path
    name: str
    """The state file's name, e.g. ``.leaflet-state.json``."""
    lock_name: str
    table: str
    """The key of the entries in the JSON object (``outputs``, ``packets``)."""
    private: bool = False
    """Written owner-only (0600): its keys are digests of patient details."""
    indent: int = 1
    is_sound: Callable[[str, object], bool] = lambda name, entry: isinstance(entry, dict)
    """Whether an entry read back is one leaflet could have written (others are dropped)."""

    @property
    def path(self) -> Path:
        return self.folder / self.name

    def load(self) -> dict[str, dict]:
        """The recorded entries; none if the file is missing, damaged or not leaflet's (all is remade)."""
        try:
            data = json.loads(read_regular(self.path, limit=MAX_STATE_BYTES, follow_links=False))
        except (OSError, ValueError, FileRefusedError):
            return {}
        entries = data.get(self.table) if isinstance(data, dict) and data.get("format") == STATE_FORMAT else None
        if not isinstance(entries, dict):
            return {}
        return {name: entry for name, entry in entries.items() if self.is_sound(name, entry)}

    def save(self, entries: dict[str, dict]) -> None:
        from leaflet.build import write_atomically

        text = json.dumps({"format": STATE_FORMAT, self.table: entries}, indent=self.indent, sort_keys=True)
        write_atomically(self.path, text.encode("utf-8"), mode=0o600 if self.private else None)


class Saver:
    """Saves the state now and then during a long run (at most every :data:`SAVE_EVERY_SECONDS`)."""

    def __init__(self, state: StateFile) -> None:
        self.state = state
        self.saved_at = time.monotonic()

    def now_and_then(self, entries: dict[str, dict]) -> None:
        if time.monotonic() - self.saved_at > SAVE_EVERY_SECONDS:
            self.state.save(entries)
            self.saved_at = time.monotonic()


@contextlib.contextmanager
def open_folder(
    state: StateFile,
    *,
    what: str,
    recursive: bool,
    on_wait: Callable[[Diagnostic], None] | None = None,
    lock_timeout: float | None = None,
) -> Iterator[dict[str, dict]]:
    """Hold the folder's lock, clear a killed run's leftovers, and give the recorded entries."""
    with hold_lock(state.folder / state.lock_name, what=what, on_wait=on_wait, timeout=lock_timeout):
        remove_leftovers(state.folder, state_name=state.name, recursive=recursive)
        yield state.load()


def remove_leftovers(folder: Path, *, state_name: str, recursive: bool) -> list[Path]:
    """Remove the temporary files a killed run left in ``folder``: ``.X.pdf.*.tmp`` and the state's
    own; links are not followed into other folders. Called under the folder's lock."""
    removed = []
    for parent, _folders, names in os.walk(folder) if recursive else [(str(folder), [], os.listdir(folder))]:
        for name in names:
            match = LEFTOVER.match(name)
            if match and (match["name"].lower().endswith(".pdf") or match["name"] == state_name):
                path = Path(parent) / name
                with contextlib.suppress(OSError):
                    if stat.S_ISREG(os.lstat(path).st_mode) or path.is_symlink():
                        path.unlink()
                        removed.append(path)
    return removed


def file_entry(target: Path, key: str, **extra: object) -> dict:
    """A state entry for the output just written at ``target`` under ``key``."""
    info = os.lstat(target)
    return {"key": key, "size": info.st_size, "mtime_ns": info.st_mtime_ns, **extra}


def output_is_current(entry: dict | None, key: str, target: Path) -> bool:
    """True when ``entry`` recorded ``key`` and ``target`` is still the file written then (a regular
    file of that size and mtime; a link put in its place is not)."""
    if not entry or entry.get("key") != key:
        return False
    try:
        info = os.lstat(target)
    except OSError:
        return False
    return (
        stat.S_ISREG(info.st_mode) and info.st_size == entry.get("size") and info.st_mtime_ns == entry.get("mtime_ns")
    )


@cache
def tool_digest() -> str:
    """What every output owes to leaflet itself: its version and the bundled fonts' bytes."""
    digest = hashlib.sha256(__version__.encode())
    for path in font_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()
