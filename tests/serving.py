"""A real `kb serve` in a subprocess, for the tests that talk to it over HTTP (browser, raw sockets)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

KB = Path(sys.executable).parent / "kb"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def kb_serve(index: Path, corpus: Path, log_path: Path, *options: str, timeout: float = 30.0) -> Iterator[int]:
    """Run ``kb serve`` on a free loopback port until the block ends; yields the port once it answers."""
    port = free_port()
    command = [str(KB), "--index", str(index), "--corpus", str(corpus), "serve", "--port", str(port), *options]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            _wait_until_up(f"http://127.0.0.1:{port}", proc, log_path, timeout)
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_up(base: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"kb serve exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(base + "/", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"kb serve did not answer within {timeout}s:\n{log.read_text(errors='replace')}")
