"""The workers' ledger (:mod:`leaflet.jobs.celery_engine`): work already done is skipped while its output is
intact, and a task that keeps killing its worker ends with the job it died on reported, not forever."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from leaflet.jobs.leaflet_job import LeafletJob
from leaflet.options import BuildOptions

celery_engine = pytest.importorskip("leaflet.jobs.celery_engine")
SAMPLE = Path(__file__).resolve().parents[2] / "content" / "baclofen.yaml"


class FakeRedis:
    """The few Redis commands the ledger uses, in memory."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def set(self, name: str, value: str, ex: float | None = None) -> None:
        self.values[name] = value.encode()

    def incr(self, name: str) -> int:
        self.values[name] = int(self.values.get(name, 0)) + 1
        return int(self.values[name])

    def expire(self, name: str, seconds: float) -> None:
        pass

    def smembers(self, name: str) -> set[bytes]:
        return set(self.values.get(name, set()))

    def sadd(self, name: str, member: int) -> None:
        self.values.setdefault(name, set()).add(str(member).encode())


def jobs(tmp_path: Path, *names: str) -> list[LeafletJob]:
    made = []
    for name in names:
        source = tmp_path / "in" / f"{name}.yaml"
        source.parent.mkdir(exist_ok=True)
        shutil.copyfile(SAMPLE, source)
        made.append(LeafletJob(source, tmp_path / "out" / f"{name}.pdf", BuildOptions(), key=f"key-{name}"))
    return made


def test_done_work_is_skipped_while_its_output_is_intact(tmp_path: Path) -> None:
    """This test ensures that a job noted done is not run again (its output untouched, the same outcome), unless
    its output has changed since, in which case it is made again with the same bytes."""
    client = FakeRedis()
    first = celery_engine._Ledger(client, "task-1").run(jobs(tmp_path, "a", "b"))
    a, b = tmp_path / "out" / "a.pdf", tmp_path / "out" / "b.pdf"
    made, stamp = a.read_bytes(), a.stat().st_mtime_ns
    b.write_bytes(b"changed")
    again = celery_engine._Ledger(client, "task-2").run(jobs(tmp_path, "a", "b"))
    assert [outcome.status for outcome in first] == ["done", "done"]
    assert again == first  # the noted outcome comes back: the section digests the library state records
    assert a.stat().st_mtime_ns == stamp and b.read_bytes() == made


def test_a_task_that_keeps_killing_its_worker_reports_the_job_it_died_on(tmp_path: Path) -> None:
    """This test ensures that at a task's third delivery (its worker died twice while running it) the first job
    not yet done is reported as crashed (a worker death, as --jobs reports it) and the others are made, and
    that a further delivery adds the next job left, never running a culprit again."""
    client = FakeRedis()
    client.values["leaflet:deliveries:task-9"] = 2
    outcomes = celery_engine._Ledger(client, "task-9").run(jobs(tmp_path, "a", "b", "c"))
    assert [outcome.status for outcome in outcomes] == ["crashed", "done", "done"]
    assert outcomes[0].crash_type == "WorkerDiedError" and not (tmp_path / "out" / "a.pdf").exists()
    (tmp_path / "out" / "b.pdf").unlink()  # as if the worker had died before b's record was of use
    outcomes = celery_engine._Ledger(client, "task-9").run(jobs(tmp_path, "a", "b", "c"))
    assert [outcome.status for outcome in outcomes] == ["crashed", "crashed", "done"]
