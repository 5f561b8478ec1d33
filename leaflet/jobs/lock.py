"""The folder lock: one run at a time writes into an output folder.

``hold_lock(path)`` takes an exclusive ``flock`` on ``path`` (created owner-only, never through a
link). A run that finds the lock held says so once, through ``on_wait`` ("waiting for the build
holding OUT/.leaflet-state.lock"), then waits for it, or gives up with :class:`OutputError` after
``timeout`` seconds.

No child process keeps a lock: the descriptor is not inheritable (closed on ``exec``), and a child
made by ``fork`` (the process-pool workers, :mod:`leaflet.jobs.runners`) closes every lock descriptor
of this process as it starts (``os.register_at_fork``), before it runs anything else. An ``flock``
belongs to the open file, which a forked child shares: a worker that kept it would keep the folder
locked after its parent was killed (issue 10, item 1).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from leaflet.errors import Diagnostic, OutputError

POLL_SECONDS = 0.05
_HELD: set[int] = set()
"""Descriptors of the folder locks this process holds (closed in a forked child)."""


def _close_held_in_child() -> None:
    for descriptor in _HELD:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_in_child)


@contextlib.contextmanager
def hold_lock(
    path: Path,
    *,
    what: str = "build",
    on_wait: Callable[[Diagnostic], None] | None = None,
    timeout: float | None = None,
) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` for the block; ``what`` names the holder in the messages."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise OutputError(
            Diagnostic(str(path), f"cannot be opened: {exc.strerror}", hint="check the output folder's permissions")
        ) from None
    _HELD.add(descriptor)
    try:
        _acquire(descriptor, path, what=what, on_wait=on_wait, timeout=timeout)
        yield
    finally:
        _HELD.discard(descriptor)
        os.close(descriptor)  # closing releases the lock


def _acquire(
    descriptor: int, path: Path, *, what: str, on_wait: Callable[[Diagnostic], None] | None, timeout: float | None
) -> None:
    deadline = None if timeout is None else time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if deadline is not None and time.monotonic() >= deadline:
            raise OutputError(
                Diagnostic(
                    str(path),
                    f"another {what} into this folder still holds this lock after {timeout:g} s",
                    hint=f"wait for that {what} to finish, or stop it",
                )
            )
        if not told and on_wait is not None:
            hint = "another leaflet run writes into this folder; this one goes on when it ends"
            on_wait(Diagnostic(str(path.parent), f"waiting for the {what} holding {path}", hint=hint))
            told = True
        time.sleep(POLL_SECONDS)
