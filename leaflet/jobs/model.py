"""What a job is: a picklable description in, an :class:`Outcome` out (issue 9.5).

A job is any picklable object with a ``run() -> Outcome`` method that never raises: a library
leaflet, an order's packet, a file of a multi-file build. Nothing in a job may depend on the process
that made it, so any executor (a loop here, a process pool, a distributed queue) can run it.

An outcome says how the job ended (``done``, ``failed``: input the user must fix, ``crashed``: a bug
in leaflet), with its diagnostics and a result payload. The files a job makes are returned in the
outcome (:class:`OutputFile`) rather than written by the job, so that the runner writes one file while
the next job is computed; the runner empties ``files`` before an outcome leaves the worker.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol

from leaflet.errors import Diagnostic, LeafletError

Status = Literal["done", "failed", "crashed"]


@dataclass(frozen=True)
class OutputFile:
    """A file a job made, to be written atomically by the runner."""

    path: Path
    data: bytes
    mode: int | None = None
    """Permissions of the written file (0o600 for anything holding patient details); None: as
    :func:`leaflet.build.write_atomically` chooses."""


@dataclass(frozen=True)
class Outcome:
    """How one job ended: picklable, small (its files are written and dropped in the worker)."""

    status: Status
    result: Any = None
    """What the job reports back when done (e.g. a leaflet's section digests)."""
    errors: tuple[Diagnostic, ...] = ()
    """Why the job failed: input the user must fix."""
    warnings: tuple[Diagnostic, ...] = ()
    crash_type: str | None = None
    """The exception's type name when the job hit a bug in leaflet."""
    crash_message: str | None = None
    """``Type: message`` of a crash; the type alone for a private job (its text could quote a patient)."""
    trace: str | None = None
    """The formatted traceback of a crash (for ``--verbose``); None for a private job."""
    files: tuple[OutputFile, ...] = ()
    written: tuple[Path, ...] = ()
    """Where the runner wrote the job's files (set once they are written and dropped)."""

    @classmethod
    def done(cls, result: Any = None, *, warnings: Sequence[Diagnostic] = (), **more: Any) -> Outcome:
        return cls("done", result, warnings=tuple(warnings), **more)

    @classmethod
    def failed(cls, error: LeafletError, *, warnings: Sequence[Diagnostic] = ()) -> Outcome:
        return cls("failed", errors=error.diagnostics, warnings=tuple(warnings))

    @classmethod
    def crashed(cls, exc: BaseException, *, private: bool, warnings: Sequence[Diagnostic] = ()) -> Outcome:
        """A bug met while running a job; ``private`` keeps only the exception's type name."""
        name = type(exc).__name__
        return cls(
            "crashed",
            warnings=tuple(warnings),
            crash_type=name,
            crash_message=name if private else f"{name}: {exc}",
            trace=None if private else "".join(traceback.format_exception(exc)),
        )

    def without_files(self) -> Outcome:
        return replace(self, files=(), written=tuple(file.path for file in self.files)) if self.files else self


class Job(Protocol):
    """A unit of work: picklable, run anywhere, never raises."""

    def run(self) -> Outcome:
        """Do the work; failures and bugs are part of the outcome."""
        ...


def run_guarded(job: Job, *, private: bool = True) -> Outcome:
    """``job.run()``, with an exception escaping it (a bug) turned into a crashed outcome (its type
    only, unless not ``private``: the runner cannot know whether its text quotes a patient)."""
    try:
        return job.run()
    except Exception as exc:  # a bug: report it against this job, keep the batch going
        return Outcome.crashed(exc, private=private)
