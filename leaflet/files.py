"""Reading input files as untrusted: regular files only, size checked before reading, no link
followed out of the folder they must stay in (issue 10, items 2-4).

Consumes a path (and a size limit, and optionally the root it must stay inside); returns its bytes,
or raises :class:`FileRefusedError` saying why in a sentence that never quotes the file, or ``OSError``.
A named pipe, a device or a folder is refused without blocking on it (``O_NONBLOCK``), and the size is
read from the open descriptor (``fstat``) so that it is the file read, not one swapped in since.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileRefusedError(Exception):
    """A file leaflet will not read: not a regular file, too large, or outside its root."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


def read_regular(path: Path, *, limit: int, root: Path | None = None, follow_links: bool = True) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them; with ``root``, the file
    (links resolved) must be inside ``root`` (links resolved); without ``follow_links``, ``path``
    itself must not be a link."""
    if root is not None:
        path = Confiner(root).resolve(path)
        follow_links = False  # resolved: a link now would have been put there since
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        refuse_unless_regular(info.st_mode)
        if info.st_size > limit:
            raise FileRefusedError(
                f"is {_size(info.st_size)}, over the {_size(limit)} limit", hint="check this is the right file"
            )
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    finally:
        os.close(descriptor)
    if len(data) > limit:  # grew while being read
        raise FileRefusedError(f"is over the {_size(limit)} limit", hint="check this is the right file")
    return data


def refuse_unless_regular(mode: int) -> None:
    """Raise :class:`FileRefusedError` naming what the file is, unless ``mode`` is a regular file's."""
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in KINDS if test(mode)), "not a regular file")
    raise FileRefusedError(f"is {kind}, not a regular file", hint="give the path of a file")


class Confiner:
    """Resolves paths that must stay inside ``root``, each folder resolved once (a batch names the same
    few folders on every row; resolving every path in full costs a system call per component)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = Path(os.path.realpath(root))
        self.folders: dict[Path, Path] = {}

    def resolve(self, path: Path) -> Path:
        """``path`` with its links resolved, refused with :class:`FileRefusedError` unless inside ``root``."""
        folder = self.folders.get(path.parent)
        if folder is None:
            folder = self.folders[path.parent] = Path(os.path.realpath(path.parent))
        real = folder / path.name
        if path.name in ("", ".", "..") or os.path.islink(real):
            real = Path(os.path.realpath(real))
        if real != self.real_root and self.real_root not in real.parents:
            raise FileRefusedError(
                f"is outside {self.root}",
                hint=f"keep the files inside {self.root} (no absolute paths, '..' or links out of it), or name "
                "another root",
            )
        return real


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 2**20:.1f} MiB".replace(".0 MiB", " MiB")
    return f"{count:,} bytes"
