"""Batches on Celery with Redis (issue 14, part 3): each test starts its own redis-server and ``leaflet
worker`` processes on a free loopback port; a batch on the workers gives the same bytes as a local one,
even with a worker killed mid-batch, and work already done is not done again."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import Result, run_cli
from tests.orders.test_orders_batch import good, make_batch
from tests.service.support import free_port

pytest.importorskip("celery")
redis = pytest.importorskip("redis")
pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed (apt-get install redis-server)"
)
SAMPLE = Path(__file__).resolve().parents[2] / "content" / "baclofen.yaml"


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """A private redis-server on a free loopback port, without persistence: its URL and process."""
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen([*command, "--dir", str(folder)], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port, socket_connect_timeout=1)
    try:
        deadline = time.monotonic() + 10
        while not _answers(client):
            assert time.monotonic() < deadline and server.poll() is None, "redis-server did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", server
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[str]:
    with redis_server(tmp_path) as (url, _):
        yield url


def _answers(client: object) -> bool:
    try:
        return bool(client.ping())  # type: ignore[attr-defined]
    except redis.exceptions.ConnectionError:
        return False


def start_worker(broker: str, log: Path, *extra: str) -> subprocess.Popen:
    """``leaflet worker`` (one process) in its own process group, so that it can be killed whole."""
    command = [sys.executable, "-m", "leaflet", "worker", "--broker", broker, "--concurrency", "1", *extra]
    with log.open("ab") as stream:
        return subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, start_new_session=True)


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def packets(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.pdf"))}


def celery(broker: str) -> tuple[str, ...]:
    return ("--engine", "celery", "--broker", broker)


def in_background(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[threading.Thread, dict[str, Result]]:
    """``leaflet ARGS`` run by a thread (its result in the dict under ``run`` once it ends)."""
    result: dict[str, Result] = {}
    thread = threading.Thread(target=lambda: result.update(run=run_cli(capsys, *args)))
    thread.start()
    return thread, result


def wait_mid_task(folder: Path) -> int:
    """The number of packets in ``folder`` once a lone worker is surely inside a task: past the first few
    packets, and 1 to 5 packets into a task of 8 (the task has at least 3 packets to make)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        made = len(list(folder.glob("*.pdf")))
        if made >= 4 and 1 <= made % 8 <= 5:
            return made
        time.sleep(0.0005)
    raise AssertionError(f"the batch made {made} packets in 60 s")


def pool_process(worker: subprocess.Popen) -> int:
    """The process a worker runs its tasks in: its one child running leaflet (not a passing ``file``
    that Celery's start-up banner runs)."""
    folder = Path(f"/proc/{worker.pid}")
    children = [Path(f"/proc/{pid}") for pid in (folder / "task" / str(worker.pid) / "children").read_text().split()]
    [pool] = [child for child in children if (child / "cmdline").read_bytes() == (folder / "cmdline").read_bytes()]
    return int(pool.name)


def redeliveries(broker: str) -> int:
    """How many tasks were delivered more than once (the deliveries the workers count in Redis)."""
    client = redis.Redis.from_url(broker)
    try:
        return sum(int(client.get(key) or 0) > 1 for key in client.scan_iter("leaflet:deliveries:*"))
    finally:
        client.close()


def test_an_orders_batch_on_workers_matches_a_local_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, broker: str
) -> None:
    """This test ensures that `orders --engine celery` makes every packet with the same bytes as a local run
    and prints the same summary; that a re-run skips them all; and that with the batch's state lost (a
    client killed before it saved) the workers do not make the packets again, but remake one changed by hand;
    and that Ctrl-C stops a worker with status 130 and no traceback."""
    batch = make_batch(tmp_path / "in", [good(f"E{n}", "a2.pdf" if n % 2 else "a1.pdf") for n in range(20)])
    local = run_cli(capsys, "orders", batch, "-o", tmp_path / "local")
    remote_out = tmp_path / "remote"
    worker = start_worker(broker, tmp_path / "worker.log")
    try:
        remote = run_cli(capsys, "orders", batch, "-o", remote_out, *celery(broker))
        again = run_cli(capsys, "orders", batch, "-o", remote_out, *celery(broker))
        made = {path.name: path.stat().st_mtime_ns for path in remote_out.glob("*.pdf")}
        (remote_out / ".leaflet-orders.json").unlink()
        (remote_out / "E3.pdf").write_bytes(b"changed by hand")
        lost = run_cli(capsys, "orders", batch, "-o", remote_out, *celery(broker))
        os.killpg(worker.pid, signal.SIGINT)  # Ctrl-C at its terminal
        assert worker.wait(timeout=30) == 130
    finally:
        stop(worker)
    assert "Traceback" not in (tmp_path / "worker.log").read_text()
    assert (local.code, remote.code) == (0, 0), remote.err
    assert local.out == remote.out.replace(str(remote_out), str(tmp_path / "local"))
    assert "0 done, 20 skipped (unchanged), 0 failed" in again.out
    assert "20 done, 0 skipped (unchanged), 0 failed" in lost.out
    assert packets(remote_out) == packets(tmp_path / "local") and len(packets(tmp_path / "local")) == 20
    remade = [path.name for path in remote_out.glob("*.pdf") if path.stat().st_mtime_ns != made[path.name]]
    assert remade == ["E3.pdf"]


def test_a_worker_killed_whole_mid_batch_loses_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, broker: str
) -> None:
    """This test ensures that killing a worker whole (SIGKILL to its process group) while it runs a batch loses
    no packet: its task goes to a worker started after it once the visibility timeout has passed, and the
    packets are the same bytes as a local run's."""
    batch = make_batch(tmp_path / "in", [good(f"K{n}", "a2.pdf" if n % 3 else "a1.pdf") for n in range(160)])
    run_cli(capsys, "orders", batch, "-o", tmp_path / "local")
    out = tmp_path / "remote"
    doomed = start_worker(broker, tmp_path / "doomed.log", "--visibility-timeout", "2")
    survivor = None
    try:
        thread, result = in_background(capsys, "orders", batch, "-o", out, *celery(broker))
        made = wait_mid_task(out)
        os.killpg(doomed.pid, signal.SIGKILL)
        assert made < 160, "the batch ended before its worker could be killed"
        survivor = start_worker(broker, tmp_path / "survivor.log", "--visibility-timeout", "2")
        thread.join(timeout=90)
        assert not thread.is_alive()
    finally:
        stop(doomed)
        if survivor is not None:
            stop(survivor)
    assert result["run"].code == 0, result["run"].err
    assert "160 done, 0 skipped (unchanged), 0 failed" in result["run"].out
    assert packets(out) == packets(tmp_path / "local") and len(packets(out)) == 160
    assert redeliveries(broker) >= 1


def test_a_worker_process_killed_mid_task_loses_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, broker: str
) -> None:
    """This test ensures that when the process running a task is killed (SIGKILL: the OOM killer's way), the task
    goes back to the queue at once (acknowledged late, rejected on worker loss) and the worker's new process
    finishes it, with the same bytes as a local run."""
    batch = make_batch(tmp_path / "in", [good(f"P{n}") for n in range(160)])
    run_cli(capsys, "orders", batch, "-o", tmp_path / "local")
    out = tmp_path / "remote"
    worker = start_worker(broker, tmp_path / "worker.log")
    try:
        thread, result = in_background(capsys, "orders", batch, "-o", out, *celery(broker))
        made = wait_mid_task(out)
        os.kill(pool_process(worker), signal.SIGKILL)
        assert made < 160, "the batch ended before its worker process could be killed"
        thread.join(timeout=60)
        assert not thread.is_alive()
    finally:
        stop(worker)
    assert result["run"].code == 0, result["run"].err
    assert packets(out) == packets(tmp_path / "local") and len(packets(out)) == 160
    assert redeliveries(broker) >= 1


def test_a_library_build_on_workers_matches_a_local_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, broker: str
) -> None:
    """This test ensures that `build DIR -o OUT --engine celery` writes the same leaflets as a local build, with
    the same summary, and that a re-run has nothing to do."""
    library = tmp_path / "library"
    library.mkdir()
    for name in ("a", "b", "c"):
        shutil.copyfile(SAMPLE, library / f"{name}.yaml")
    local = run_cli(capsys, "build", library, "-o", tmp_path / "local")
    worker = start_worker(broker, tmp_path / "worker.log")
    try:
        remote = run_cli(capsys, "build", library, "-o", tmp_path / "remote", *celery(broker))
        again = run_cli(capsys, "build", library, "-o", tmp_path / "remote", *celery(broker))
    finally:
        stop(worker)
    assert (local.code, remote.code, again.code) == (0, 0, 0), remote.err
    assert remote.out.replace(str(tmp_path / "remote"), str(tmp_path / "local")) == local.out
    assert packets(tmp_path / "remote") == packets(tmp_path / "local") and len(packets(tmp_path / "local")) == 3
    assert "0 rebuilt, 3 unchanged, 0 failed" in again.out, again.out


def test_an_unreachable_broker_is_a_user_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a broker nobody answers at is an error naming --broker (code broker-unreachable,
    exit 2, no traceback, no password), for a batch and for a worker, within seconds."""
    batch = make_batch(tmp_path / "in", [good("U1")])
    url = f"redis://:secret@127.0.0.1:{free_port()}/0"
    started = time.monotonic()
    result = run_cli(capsys, "orders", batch, "-o", tmp_path / "o", *celery(url))
    assert result.code == 2 and "error[broker-unreachable]" in result.err, result.err
    assert "Traceback" not in result.err and "secret" not in result.err
    worker = subprocess.run(
        [sys.executable, "-m", "leaflet", "worker", "--broker", url], capture_output=True, text=True, timeout=60
    )
    assert worker.returncode == 2 and "error[broker-unreachable]" in worker.stderr, worker.stderr
    assert "Traceback" not in worker.stderr
    assert time.monotonic() - started < 30


def test_a_broker_lost_mid_batch_is_a_user_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a batch whose broker goes away while it waits for its tasks stops within seconds
    with broker-unreachable (exit 2, no traceback) rather than waiting for ever; and that the tasks it had sent
    were small JSON messages of paths and digests (no PDF), with no patient detail in their headers."""
    batch = make_batch(tmp_path / "in", [good(f"L{n}") for n in range(40)])
    with redis_server(tmp_path) as (url, server):
        thread, result = in_background(capsys, "orders", batch, "-o", tmp_path / "o", *celery(url))
        time.sleep(2)  # no worker: the tasks wait in Redis
        queued = waiting_tasks(url)
        server.kill()
        server.wait()
        stopped = time.monotonic()
        thread.join(timeout=60)
        assert not thread.is_alive()
    assert time.monotonic() - stopped < 30
    assert result["run"].code == 2 and "error[broker-unreachable]" in result["run"].err, result["run"].err
    assert "Traceback" not in result["run"].err
    assert len(queued) == 5  # 40 orders, 8 a task
    for headers, body in queued:
        assert headers["argsrepr"] == "(8 jobs)" and "Zoë" not in json.dumps(headers)
        assert b"%PDF" not in body and len(body) < 16_000  # paths, options and digests: no PDF
        assert json.loads(body)[0][0][0]["order_pdf"] == {"$path": str(tmp_path / "in" / "a1.pdf")}


def waiting_tasks(url: str) -> list[tuple[dict, bytes]]:
    """The headers and body of each task message waiting in the ``leaflet`` queue."""
    client = redis.Redis.from_url(url)
    try:
        messages = [json.loads(raw) for raw in client.lrange("leaflet", 0, -1)]
    finally:
        client.close()
    return [(message["headers"], base64.b64decode(message["body"])) for message in messages]


def test_engine_options_are_checked(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that --engine celery without --broker, --broker without it, a broker that is not a
    Redis URL, and --jobs with --engine celery are usage errors."""
    batch = make_batch(tmp_path / "in", [good("F1")])
    wrong = (["--engine", "celery"], ["--broker", "redis://127.0.0.1:1/0"], celery("amqp://127.0.0.1"))
    for options in (*wrong, ["--jobs", "2", *celery("redis://127.0.0.1:1/0")]):
        result = run_cli(capsys, "orders", batch, "-o", tmp_path / "o", *options)
        assert result.code == 2 and "error[options]" in result.err, result.err
    assert not (tmp_path / "o").exists()
