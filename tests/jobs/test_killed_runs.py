"""Runs killed half way (issue 10, items 1 and 7): a killed ``build --jobs 2`` or ``orders --jobs 2``
leaves no worker alive and no folder locked, a later run that finds a folder locked says so, and
the next run removes the temporary files a killed one left behind."""

from __future__ import annotations

import fcntl
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leaflet.jobs.library import LOCK_NAME, STATE_NAME
from leaflet.orders.batch import LOCK_NAME as ORDERS_LOCK_NAME
from tests.conftest import SAMPLE
from tests.orders.support import order_pdf, write

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
LEAFLETS = 12


def library(folder: Path) -> list[str]:
    """A content folder of variants of the sample; the arguments of a build of it into ``folder/out``."""
    text = SAMPLE.read_text(encoding="utf-8")
    for number in range(LEAFLETS):
        path = folder / "content" / f"drug{number:02d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("title: Baclofen", f"title: Baclofen {number}", 1), encoding="utf-8")
    return ["build", str(folder / "content"), "-o", str(folder / "out"), "--jobs", "2", "-q"]


def batch(folder: Path) -> list[str]:
    """An orders CSV of 40 rows; the arguments of a batch of it into ``folder/out``."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLE, folder / "baclofen.yaml")
    write(folder / "order.pdf", order_pdf(1))
    rows = [f"A{n},order.pdf,baclofen.yaml,Zoë,{n},2026-11-24,daily,Main St" for n in range(40)]
    header = "order_id,order_pdf,monographs,patient,rx,dispensed,directions,pharmacy"
    (folder / "orders.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return ["orders", str(folder / "orders.csv"), "-o", str(folder / "out"), "--jobs", "2", "-q"]


def group_members(group: int) -> list[int]:
    """The processes still in process group ``group`` (zombies left out)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def lock_is_free(path: Path, *, within: float) -> bool:
    deadline = time.monotonic() + within
    descriptor = os.open(path, os.O_RDWR)
    try:
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.05)
    finally:
        os.close(descriptor)


def leaflet(*args: str, **options: object) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "leaflet", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("command", "lock_name", "whole_group", "signum"),
    [
        (library, LOCK_NAME, False, signal.SIGKILL),
        (library, LOCK_NAME, True, signal.SIGKILL),
        (batch, ORDERS_LOCK_NAME, False, signal.SIGTERM),
        (batch, ORDERS_LOCK_NAME, True, signal.SIGKILL),
    ],
    ids=["build-main-KILL", "build-group-KILL", "orders-main-TERM", "orders-group-KILL"],
)
def test_a_killed_parallel_run_leaves_no_worker_and_no_lock(
    tmp_path: Path, command: object, lock_name: str, whole_group: bool, signum: int
) -> None:
    """This test ensures (issue 10, item 1) that killing the main process of a run with --jobs 2, alone or
    with its whole process group, at a random moment, leaves no worker process alive, frees the folder's
    lock, and that the next run into the folder finishes with every output whole and no temporary file."""
    arguments = command(tmp_path)  # type: ignore[operator]
    run = leaflet(*arguments, start_new_session=True)
    out = tmp_path / "out"
    deadline = time.monotonic() + 20
    while not (out / lock_name).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(random.uniform(0.05, 0.6))  # a moment in the run
    (os.killpg if whole_group else os.kill)(run.pid, signum)
    run.communicate(timeout=20)
    deadline = time.monotonic() + 5
    while group_members(run.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = group_members(run.pid)
    if survivors:
        os.killpg(run.pid, signal.SIGKILL)  # leave no process behind the failing test
    assert survivors == [], "worker processes outlived the killed run"
    assert lock_is_free(out / lock_name, within=1)
    again = leaflet(*arguments)
    _, stderr = again.communicate(timeout=60)
    assert again.returncode == 0, stderr.decode()
    assert sorted(path.name for path in out.iterdir() if path.name.endswith(".tmp")) == []
    for pdf in out.glob("*.pdf"):
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF")


def test_a_run_that_finds_the_folder_locked_says_so(tmp_path: Path) -> None:
    """This test ensures (issue 10, item 1) that a build into a folder whose lock another run holds says it
    is waiting for that run, naming the lock, and finishes once the lock is released."""
    arguments = library(tmp_path)
    (tmp_path / "out").mkdir()
    descriptor = os.open(tmp_path / "out" / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        run = leaflet(*[argument for argument in arguments if argument != "-q"])
        assert run.stderr is not None
        ready, _, _ = select.select([run.stderr], [], [], 10)
        assert ready, "the build waits for the lock without saying so"
        line = run.stderr.readline().decode()
        assert f"waiting for the build holding {tmp_path / 'out' / LOCK_NAME}" in line
        assert not (tmp_path / "out" / STATE_NAME).exists()
    finally:
        os.close(descriptor)
    stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 0, stderr.decode()
    assert stdout.decode().splitlines()[-1] == f"{LEAFLETS} rebuilt, 0 unchanged, 0 failed"


@pytest.mark.parametrize("command", [library, batch], ids=["build", "orders"])
def test_the_next_run_removes_a_killed_runs_temporary_files(tmp_path: Path, command: object) -> None:
    """This test ensures (issue 10, item 7) that the temporary files a killed run leaves in the output
    folder (packets with patient data among them) are removed by the next run into it, and nothing else."""
    arguments = command(tmp_path)  # type: ignore[operator]
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    leftovers = [out / ".A1.pdf.k3x_9q2a.tmp", out / "sub" / ".drug01.pdf.abcdefgh.tmp"]
    leftovers.append(out / f".{STATE_NAME if command is library else '.leaflet-orders.json'}.12345678.tmp")
    kept = [out / ".notes.txt.abcdefgh.tmp", out / "mine.tmp", out / "sub" / "x.pdf"]
    for path in leftovers + kept:
        path.write_bytes(b"%PDF- a half-written packet")
    run = leaflet(*arguments)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 0, stderr.decode()
    removed = leftovers if command is library else [leftovers[0], leftovers[2]]
    assert [path for path in removed if path.exists()] == []
    assert all(path.exists() for path in kept)
