"""What slow clients and killed processes cost `kanwu serve` (a benchmark, not a test).

1. Cache hits: requests/s of `kanwu serve`'s RSGI front against granian's WSGI interface
   (what `kanwu serve` ran before), one web process each pinned to core 0, wrk on core 1,
   taking turns (BENCH_REPEATS runs each, median reported).
2. Slow uploads: latency of cached pages and of one uncached page from three clients, first
   alone for BENCH_QUIET_SECONDS (20), then while BENCH_SLOW_CLIENTS (50) clients keep
   `POST /submit/` uploads (Content-Length 100000, a CSRF cookie so that Django reads the
   body, a byte every 5 s) open for BENCH_SLOW_SECONDS (60), each opened again a second after
   the server ends it. Two web processes, as
   `kanwu serve` runs by default here; the RSGI front, then the WSGI interface.
3. Kills (BENCH_KILLS rounds, 3): under a steady load, kill -9 one web process, then the
   granian main process: requests that failed, seconds until the replacement process exists
   and until it listens. granian main kills are 31 s apart, so each is a first restart
   (no crash-loop backoff).

BENCH_PHASES (hits,slow,kills) picks the parts to run. Writes
bench/results/slow-clients-<time>.json. Needs wrk and taskset (`make bench-deps`).
Run: `.venv/bin/python bench/slow_clients.py` after `make install`.
"""

from __future__ import annotations

import http.client
import json
import os
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from run import RESULTS, WORK, env_for, free_port, kanwu, log, wait_for, wrk

from kanwu.serving.supervisor import children_of, serving

DATA = WORK / "slow-clients"
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "200"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
QUIET_SECONDS = float(os.environ.get("BENCH_QUIET_SECONDS", "20"))
SLOW_SECONDS = float(os.environ.get("BENCH_SLOW_SECONDS", "60"))
SLOW_CLIENTS = int(os.environ.get("BENCH_SLOW_CLIENTS", "50"))
KILLS = int(os.environ.get("BENCH_KILLS", "3"))
PHASES = os.environ.get("BENCH_PHASES", "hits,slow,kills").split(",")
PROBE_TIMEOUT = 30.0  # a page slower than this counts as failed
TRICKLE = 5.0  # seconds between the bytes of a slow upload
REOPEN = 1.0  # seconds a slow client waits before opening another upload once one ended
CSRF_COOKIE = b"abcdefghijklmnopqrstuvwxyzABCDEF"  # well-formed: Django checks it against the form
PAGES = {
    "home (cached)": "/",
    "column (cached)": "/news/",
    "admin login (uncached)": "/admin/login/",
}


def prepare() -> dict[str, str]:
    env = env_for(DATA, KANWU_SCHEDULE_INTERVAL="30")
    if not (DATA / "kanwu.sqlite3").exists():
        log(f"building a demo of {ARTICLES} articles in {DATA}")
        DATA.mkdir(parents=True, exist_ok=True)
        kanwu(env, "migrate", "--noinput", "-v0")
        kanwu(env, "demo", "--articles", str(ARTICLES))
    kanwu(env, "collectstatic", "--noinput", "-v0")
    return env


def start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    wait_for(f"http://127.0.0.1:{port}/", timeout=180)
    for path in PAGES.values():
        get(port, path)  # the cacheable ones are stored now
    return process


def kanwu_serve(port: int, workers: int, pin: bool = False) -> list[str]:
    taskset = ["taskset", "-c", "0"] if pin else []
    return [
        *taskset, sys.executable, "-m", "kanwu.cli", "serve", "--port", str(port),
        "--workers", str(workers), "--no-worker", "--skip-collectstatic",
    ]  # fmt: skip


def granian_wsgi(port: int, workers: int, pin: bool = False) -> list[str]:
    """What `kanwu serve` ran before the RSGI front."""
    taskset = ["taskset", "-c", "0"] if pin else []
    return [
        *taskset, sys.executable, "-m", "granian", "--interface", "wsgi", "--port", str(port),
        "--workers", str(workers), "--no-ws", "--blocking-threads", "4",
        "--log-level", "warning", "kanwu.wsgi:application",
    ]  # fmt: skip


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        pass
    for pid in descendants(process.pid):  # each child of kanwu serve leads its own group
        with_pid(pid, signal.SIGKILL)
    with_pid(process.pid, signal.SIGKILL)
    process.wait()


def descendants(pid: int) -> list[int]:
    found = []
    for child in children_of(pid):
        found += [child, *descendants(child)]
    return found


def with_pid(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def get(port: int, path: str, timeout: float = PROBE_TIMEOUT) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def summary(latencies: list[float], failed: int) -> dict[str, Any]:
    ordered = sorted(latencies)

    def at(share: float) -> float | None:
        return (
            round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 2)
            if ordered
            else None
        )

    return {"requests": len(ordered), "failed": failed, "p50_ms": at(0.5), "p99_ms": at(0.99)}


def probe(port: int, seconds: float) -> dict[str, Any]:
    """One client per page in PAGES, one request after another for `seconds`."""
    results: dict[str, Any] = {}

    def client(name: str, path: str) -> None:
        latencies, failed = [], 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            started = time.monotonic()
            try:
                ok = get(port, path) == 200
            except OSError:
                ok = False
            if ok:
                latencies.append(time.monotonic() - started)
            else:
                failed += 1
                time.sleep(0.2)
        results[name] = summary(latencies, failed)

    threads = [threading.Thread(target=client, args=item) for item in PAGES.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@dataclass
class SlowClients:
    """`count` uploads kept open, one byte every TRICKLE seconds; one that the server ends is
    opened again REOPEN seconds later."""

    port: int
    count: int
    outcomes: dict[str, int] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)

    def open(self) -> tuple[socket.socket, float]:
        sock = socket.create_connection(("127.0.0.1", self.port))
        # With a CSRF cookie, Django reads the body to find the form's token: without one it
        # refuses the post (403) before reading anything, and no thread would wait.
        sock.sendall(
            b"POST /submit/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
            b"Cookie: csrftoken=" + CSRF_COOKIE + b"\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\na=1"
        )
        sock.setblocking(False)
        return sock, time.monotonic() + TRICKLE

    def note(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def run(self) -> None:
        chooser = selectors.DefaultSelector()
        due: dict[socket.socket, float] = {}
        reopen: list[float] = [0.0] * self.count  # when each ended upload may be opened again
        while not self.stopping.is_set():
            while len(due) < self.count and reopen and reopen[0] <= time.monotonic():
                reopen.pop(0)
                try:
                    sock, when = self.open()
                except OSError as error:
                    self.note(f"connect failed: {type(error).__name__}")
                    reopen.append(time.monotonic() + REOPEN)
                    break
                due[sock] = when
                chooser.register(sock, selectors.EVENT_READ)
            for key, _ in chooser.select(timeout=0.2):
                sock = due_socket(key.fileobj, due)
                try:
                    answer = sock.recv(100)
                    self.note(answer.split(b" ", 2)[1].decode() if answer else "closed")
                except OSError as error:
                    self.note(type(error).__name__)
                chooser.unregister(sock)
                sock.close()
                del due[sock]
                reopen.append(time.monotonic() + REOPEN)
            now = time.monotonic()
            for sock, when in list(due.items()):
                if now >= when:
                    try:
                        sock.send(b"0")
                        due[sock] = now + TRICKLE
                    except OSError:
                        pass  # answered: the read above will see it
        for sock in due:
            sock.close()


def due_socket(fileobj: Any, due: dict[socket.socket, float]) -> socket.socket:
    """The socket a selector key stands for (the selector hands back what was registered)."""
    return next(sock for sock in due if sock is fileobj)


def slow_phase(name: str, command: list[str], env: dict[str, str], port: int) -> dict[str, Any]:
    process = start(command, env, port)
    try:
        log(f"{name}: {QUIET_SECONDS:g} s without slow clients")
        quiet = probe(port, QUIET_SECONDS)
        log(f"{name}: {SLOW_SECONDS:g} s with {SLOW_CLIENTS} slow uploads")
        slow = SlowClients(port, SLOW_CLIENTS)
        attacker = threading.Thread(target=slow.run)
        attacker.start()
        try:
            loaded = probe(port, SLOW_SECONDS)
        finally:
            slow.stopping.set()
            attacker.join()
        return {
            "without_slow_clients": quiet,
            "with_slow_clients": loaded,
            "slow_uploads_ended": slow.outcomes,
        }
    finally:
        stop(process)


@dataclass
class Load:
    """Four clients requesting `/` one after another, each failure noted with its time."""

    port: int
    ok: int = 0
    failures: list[float] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                ok = get(self.port, "/") == 200
            except OSError:
                ok = False
            if ok:
                self.ok += 1
            else:
                self.failures.append(time.monotonic())
                time.sleep(0.05)

    def failed_since(self, moment: float) -> int:
        return sum(1 for when in self.failures if when >= moment)


def wait(condition: Any, limit: float = 120.0) -> float | None:
    """Seconds until `condition()` holds (polled every 10 ms), or None past `limit`."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if condition():
            return round(time.monotonic() - started, 2)
        time.sleep(0.01)
    return None


def since(moment: float, condition: Any) -> float | None:
    """Seconds from `moment` (time.monotonic()) until `condition()` holds, or None."""
    return None if wait(condition) is None else round(time.monotonic() - moment, 2)


def granian_of(serve: int) -> int | None:
    """granian's main process under `kanwu serve` (run as `python -m kanwu.serving.web`)."""
    for pid in children_of(serve):
        try:
            if b"kanwu.serving.web" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue  # gone meanwhile
    return None


def kill_phase(env: dict[str, str]) -> dict[str, Any]:
    port = free_port()
    process = start(kanwu_serve(port, 2), env, port)
    load = Load(port)
    clients = [threading.Thread(target=load.run) for _ in range(4)]
    for client in clients:
        client.start()
    workers: list[dict[str, Any]] = []
    mains: list[dict[str, Any]] = []
    try:
        for round_ in range(KILLS):
            main = granian_of(process.pid)
            if main is None or wait(lambda m=main: serving(m)) is None:
                sys.exit("kanwu serve has no serving granian")
            victim = children_of(main)[round_ % 2]
            killed = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            exists = since(killed, lambda m=main, v=victim: len(set(children_of(m)) - {v}) == 2)
            listens = since(killed, lambda m=main: serving(m))
            time.sleep(2)
            workers.append(
                {
                    "failed": load.failed_since(killed),
                    "new_process_s": exists,
                    "listening_s": listens,
                }
            )
            log(f"web process kill {round_ + 1}: {workers[-1]}")
            time.sleep(6)  # granian gives up on a worker that dies twice within 5.5 s

            old = children_of(main)
            killed = time.monotonic()
            os.kill(main, signal.SIGKILL)
            exists = since(killed, lambda m=main: granian_of(process.pid) not in (None, m))
            listens = since(
                killed, lambda: (g := granian_of(process.pid)) is not None and serving(g)
            )
            retired = since(killed, lambda o=old: not any(Path(f"/proc/{p}").exists() for p in o))
            time.sleep(2)
            mains.append({
                "failed": load.failed_since(killed), "new_process_s": exists,
                "listening_s": listens, "old_workers_gone_s": retired,
            })  # fmt: skip
            log(f"granian main kill {round_ + 1}: {mains[-1]}")
            if round_ < KILLS - 1:
                time.sleep(max(0.0, 31 - (time.monotonic() - killed)))
    finally:
        load.stopping.set()
        for client in clients:
            client.join()
        stop(process)
    return {"web_process": workers, "granian_main": mains, "requests_answered": load.ok}


def hits_phase(env: dict[str, str]) -> dict[str, Any]:
    servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    results: dict[str, Any] = {}
    try:
        for name, command in (("rsgi", kanwu_serve), ("wsgi", granian_wsgi)):
            port = free_port()
            servers[name] = (start(command(port, 1, True), env, port), port)
        for path in ("/", "/news/"):
            runs: dict[str, list[float]] = {"rsgi": [], "wsgi": []}
            for _ in range(REPEATS):
                for name, (_, port) in servers.items():
                    rps, p50, p99, errors, _ = wrk(f"http://127.0.0.1:{port}{path}")
                    runs[name].append(round(rps))
                    log(
                        f"hits {path} {name}: {rps:,.0f} req/s, p50 {p50} ms, p99 {p99} ms, {errors} errors"
                    )
            results[path] = {
                name: {"median_rps": statistics.median(values), "runs": values}
                for name, values in runs.items()
            }
    finally:
        for process, _ in servers.values():
            stop(process)
    return results


def main() -> None:
    env = prepare()
    report: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cpus": os.cpu_count(),
        "articles": ARTICLES,
        "settings": {
            "slow_clients": SLOW_CLIENTS, "slow_seconds": SLOW_SECONDS,
            "quiet_seconds": QUIET_SECONDS, "probe_timeout_s": PROBE_TIMEOUT, "kills": KILLS,
        },
    }  # fmt: skip
    out = RESULTS / f"slow-clients-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}.json"
    RESULTS.mkdir(exist_ok=True)

    def save() -> None:  # after each phase: a later failure keeps what was measured
        out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")

    if "hits" in PHASES:
        log("cache hits: RSGI front against the WSGI interface")
        report["hits"] = hits_phase(env)
        save()
    if "slow" in PHASES:
        report["slow_clients"] = {}
        for name, command in (("rsgi (kanwu serve)", kanwu_serve), ("wsgi (before)", granian_wsgi)):
            port = free_port()
            report["slow_clients"][name] = slow_phase(name, command(port, 2), env, port)
            save()
    if "kills" in PHASES:
        log("kills")
        report["kills"] = kill_phase(env)
        save()
    log(f"wrote {out}")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
