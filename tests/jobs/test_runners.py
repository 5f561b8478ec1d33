"""The job runner (issue 9.5): jobs in, outcomes out, in order, the same from every executor."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import pytest

from leaflet.errors import ContentError, Diagnostic
from leaflet.jobs.model import Outcome, OutputFile
from leaflet.jobs.runners import InProcessExecutor, PoolExecutor
from leaflet.jobs.state import StateFile, file_entry, output_is_current


@dataclass(frozen=True)
class Square:
    """A job that squares its number, fails on 3 (a user error), crashes on 4 (a bug) and writes a file."""

    number: int
    folder: Path

    def run(self) -> Outcome:
        if self.number == 3:
            return Outcome.failed(ContentError(Diagnostic("three", "is odd")))
        if self.number == 4:
            raise RuntimeError("four")
        path = self.folder / f"{self.number}.txt"
        return Outcome.done(self.number**2, files=(OutputFile(path, str(self.number).encode(), mode=0o600),))


@pytest.mark.parametrize(
    "executor", [InProcessExecutor(chunk_size=2), PoolExecutor(2, chunk_size=2)], ids=["in-process", "pool"]
)
def test_executors_give_outcomes_in_order_and_write_files(tmp_path: Path, executor: object) -> None:
    """This test ensures that each executor yields every job with its outcome in the order given, writes the
    files the jobs made (and sends none back), and turns failures and bugs into outcomes."""
    jobs = [Square(number, tmp_path) for number in range(9)]
    results = list(executor.map(iter(jobs)))  # type: ignore[attr-defined]
    assert [job for job, _ in results] == jobs
    statuses = [outcome.status for _, outcome in results]
    assert statuses == ["done"] * 3 + ["failed", "crashed"] + ["done"] * 4
    assert results[8][1].result == 64 and results[8][1].files == ()
    assert results[3][1].errors == (Diagnostic("three", "is odd", code="content"),)
    assert results[4][1].crash_type == "RuntimeError" and results[4][1].crash_message == "RuntimeError"
    assert (tmp_path / "8.txt").read_bytes() == b"8" and (tmp_path / "8.txt").stat().st_mode & 0o777 == 0o600
    assert pickle.loads(pickle.dumps(results[3][1])) == results[3][1]


def test_a_failed_write_is_the_jobs_failure(tmp_path: Path) -> None:
    """This test ensures that a file the runner cannot write fails that job alone, naming the file."""
    (tmp_path / "1.txt").mkdir()
    results = list(InProcessExecutor().map([Square(1, tmp_path), Square(2, tmp_path)]))
    assert [outcome.status for _, outcome in results] == ["failed", "done"]
    assert results[0][1].errors[0].path == str(tmp_path / "1.txt")


def test_state_round_trip_and_damaged_state(tmp_path: Path) -> None:
    """This test ensures that the state file keeps its entries, owner-only when private, and that a damaged
    state, or one that is a link, reads as empty (everything is remade) rather than failing."""
    state = StateFile(tmp_path, ".state.json", ".state.lock", "packets", private=True)
    (tmp_path / "a.pdf").write_bytes(b"%PDF-")
    state.save({"a": file_entry(tmp_path / "a.pdf", "k")})
    assert output_is_current(state.load()["a"], "k", tmp_path / "a.pdf")
    assert state.path.stat().st_mode & 0o777 == 0o600
    state.path.write_text("{not json", encoding="utf-8")
    assert state.load() == {}
    state.path.unlink()
    (tmp_path / "elsewhere.json").write_text('{"format": 1, "packets": {"a": {}}}', encoding="utf-8")
    state.path.symlink_to(tmp_path / "elsewhere.json")
    assert state.load() == {}


@dataclass(frozen=True)
class Deadly:
    """A job that kills the worker process running it when ``deadly`` (as the OOM killer would), else
    returns its number; run in the parent itself, it never kills."""

    number: int
    deadly: bool
    parent: int

    def run(self) -> Outcome:
        import os
        import signal

        if self.deadly and os.getpid() != self.parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return Outcome.done(self.number)


def test_a_worker_killed_mid_batch_fails_only_its_job() -> None:
    """This test ensures that a worker process killed while running a job (SIGKILL: the OOM killer) makes
    that job a crash and nothing else: the other jobs, in the same chunk and after it, are done, in order
    (issue 10: one bad row is that row's error; it ended the whole run with BrokenProcessPool)."""
    import os

    jobs = [Deadly(number, number == 5, os.getpid()) for number in range(12)]
    results = list(PoolExecutor(2, chunk_size=4).map(iter(jobs)))
    assert [job for job, _ in results] == jobs
    assert [outcome.status for _, outcome in results] == ["done"] * 5 + ["crashed"] + ["done"] * 6
    assert [outcome.result for _, outcome in results if outcome.status == "done"] == [n for n in range(12) if n != 5]
    assert results[5][1].crash_type == "WorkerDiedError"
