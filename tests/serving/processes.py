"""Real `kanwu serve` and granian processes for the serving tests, and ways to poke at them.

Nothing here waits for a fixed time: every wait polls until its condition holds, bounded by
one generous deadline (KANWU_TEST_DEADLINE seconds, default 180) meant only to turn a
hang into a failure on a slow, shared machine.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

from kanwu.serving.supervisor import children_of, serving
from tests.core.test_commands import kanwu_env
from tests.deadlines import DEADLINE

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], T], what: str) -> T:
    """Poll `check()` until it returns something true; fail after the deadline."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if value := check():
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what} after {DEADLINE:g} s")


def get(
    port: int, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request on a fresh connection: (status, lower-cased headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
    try:
        connection.request(method, path, headers={"Connection": "close", **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def answers(port: int, path: str = "/", status: int = 200) -> bool:
    try:
        return get(port, path)[0] == status
    except OSError:
        return False


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def descendants(pid: int) -> list[int]:
    found = []
    for child in children_of(pid):
        found += [child, *descendants(child)]
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def send_raw(port: int, data: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    sock.sendall(data)
    return sock


def upload_head(length: int, path: str = "/submit/", more: str = "") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {length}\r\n{more}\r\n"
    ).encode()


def read_answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection ("" if it just closes;
    a reset counts as closing)."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def status_of(answer: bytes) -> int | None:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None


@dataclass
class Serve:
    """A `kanwu serve` process on a free port; its output goes to `log`."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @classmethod
    def start(
        cls, data_dir: Path, *args: str, ready: tuple[str, int] = ("/", 200), **env: str
    ) -> Serve:
        """Start it and wait until `ready` (path, status) is answered."""
        port = free_port()
        log = data_dir / f"serve-{port}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "kanwu.cli", "serve", "--port", str(port), *args],
            env={**kanwu_env(data_dir), **env},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        server = cls(process, port, log)
        wait_until(
            lambda: answers(port, *ready) or process.poll() is not None, "kanwu serve to answer"
        )
        assert process.poll() is None, server.output()
        return server

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def child(self, marker: str) -> int | None:
        found = [pid for pid in children_of(self.process.pid) if marker in cmdline(pid)]
        return found[0] if found else None

    def granian(self) -> int | None:
        return self.child("kanwu.serving.web")

    def task_worker(self) -> int | None:
        return self.child("kanwu.cli worker")

    def web_workers(self) -> list[int]:
        main = self.granian()
        return children_of(main) if main else []

    def serving(self) -> bool:
        """Whether granian runs and every one of its workers listens."""
        main = self.granian()
        return main is not None and serving(main)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                pass
        for pid in descendants(self.process.pid):
            os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@dataclass
class Load:
    """A few threads requesting `path` one after another until stopped (or `limit` seconds),
    counting answers and failures. A thread whose request failed waits a moment before the
    next, as a browser would not retry in a tight loop."""

    port: int
    path: str = "/"
    threads: int = 4
    limit: float = 20.0
    ok: int = 0
    failed: list[str] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.ends_at = time.monotonic() + self.limit

    def over(self) -> bool:
        return self.stopping.is_set() or time.monotonic() >= self.ends_at

    def run(self) -> None:
        while not self.over():
            try:
                status = get(self.port, self.path)[0]
                error = None if status == 200 else f"HTTP {status}"
            except OSError as failure:
                error = repr(failure)
            with self.lock:
                if error is None:
                    self.ok += 1
                else:
                    self.failed.append(error)
            if error is not None:
                time.sleep(0.2)

    def answered(self, count: int) -> bool:
        with self.lock:
            return self.ok >= count

    def wait_for(self, count: int) -> None:
        """Wait until `count` requests were answered; fail if the load ended first."""
        wait_until(lambda: self.answered(count) or self.over(), f"{count} answers")
        assert self.answered(count), (self.ok, self.failed)


@contextmanager
def load(port: int, path: str = "/", threads: int = 4, limit: float = 20.0) -> Iterator[Load]:
    state = Load(port, path, threads, limit)
    workers = [threading.Thread(target=state.run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    try:
        yield state
    finally:
        state.stopping.set()
        for worker in workers:
            worker.join()


@dataclass
class Front:
    """granian running the RSGI front alone, with `kanwu serve`'s options, on a free port."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @classmethod
    def start(cls, data_dir: Path, **env: str) -> Front:
        from kanwu.serving.management.commands.serve import web_command

        port = free_port()
        log = data_dir / f"front-{port}.log"
        process = subprocess.Popen(
            web_command({"host": "127.0.0.1", "port": port, "workers": 1}),
            env={**kanwu_env(data_dir), "KANWU_WEB_THREADS": "2", **env},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        front = cls(process, port, log)
        wait_until(lambda: answers(port) or process.poll() is not None, "granian to answer")
        assert process.poll() is None, front.output()
        return front

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=DEADLINE)
        finally:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # its workers, should any be left
            except ProcessLookupError:
                pass
            if self.process.poll() is None:
                self.process.wait()
