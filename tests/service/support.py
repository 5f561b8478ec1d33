"""Shared helpers of the service tests: ``leaflet serve`` started as a subprocess on a loopback port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

MARKER = "Zqxmarker Patientname"
"""A patient's name no response but the packet itself, no log line and no metric may ever show."""


@dataclass
class Server:
    """A running ``leaflet serve``: its base URL and where its log goes."""

    url: str
    log: Path
    process: subprocess.Popen

    def metric(self, name: str) -> float:
        """The value of one sample of /metrics (0 when absent), e.g. ``leaflet_packets_total``."""
        for line in httpx.get(f"{self.url}/metrics").text.splitlines():
            if line.startswith(name + " ") or (line.startswith(name + "{") and line.split(" ")[0] == name):
                return float(line.rsplit(" ", 1)[1])
        return 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(*args: str, cwd: Path, log: Path, command: list[str] | None = None) -> Iterator[Server]:
    """``leaflet serve --port P ARGS`` (or ``command`` with ``{port}`` filled in) until the block ends."""
    port = free_port()
    if command is None:
        command = [sys.executable, "-m", "leaflet", "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    else:
        command = [part.replace("{port}", str(port)) for part in command]
    env = {**os.environ, "NO_COLOR": "1"}
    with log.open("wb") as stream:
        process = subprocess.Popen(command, cwd=cwd, stdout=stream, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"leaflet serve did not start: {log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield Server(url, log, process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
