"""`kanwu serve`'s supervisor: keeps its child processes running until it is told to stop.

A child that exits on its own is started again at once, or after a backoff (1, 2, 4… up to
30 s) when it keeps dying soon after each start, so a crash loop does not spin; each restart
prints one line. SIGTERM, SIGINT or SIGHUP stops every child gracefully: each is sent SIGTERM,
is given `stop_timeout` seconds (granian lets its in-flight requests finish meanwhile), then
whatever is left is killed. A second signal kills at once.

Each child leads a process group of its own. When granian's main process dies, its workers
live on, each still listening on its own SO_REUSEPORT socket: they keep answering until every
worker of the new granian listens too (it has loaded the application), then get SIGTERM
(they finish what they are doing) and, `stop_timeout` later, SIGKILL. Whatever else a dead
child leaves behind (a task worker's job process) gets the same at once. Own groups also keep
a terminal's Ctrl+C to the supervisor, which stops the children in order.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

POLL = 0.1  # seconds between looks at the children
STABLE = 30.0  # a child that ran this long before dying is not crash-looping
MAX_BACKOFF = 30.0
SUCCESSOR_WAIT = 30.0  # longest a dead child's leftovers serve on while its successor starts
RETERM = 1.0  # seconds between SIGTERMs to a granian that has not stopped yet


def backoff(quick_deaths: int) -> float:
    """Seconds to wait before the next start: none after the first quick death."""
    return 0.0 if quick_deaths <= 1 else min(MAX_BACKOFF, 2.0 ** (quick_deaths - 2))


def describe(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"被信号 {signal.Signals(-returncode).name} 终止"
        except ValueError:
            return f"被信号 {-returncode} 终止"
    return f"退出码 {returncode}"


def children_of(pid: int) -> list[int]:
    """The processes `pid` started that are still running (Linux; elsewhere none)."""
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(child) for child in (task / "children").read_text().split()]
    return found


def listening_sockets() -> set[str]:
    """The inodes of this machine's listening TCP sockets (Linux)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A":  # TCP_LISTEN
                    inodes.add(fields[9])
    return inodes


def holds_socket(pid: int, inodes: set[str]) -> bool:
    with contextlib.suppress(OSError):
        for entry in os.scandir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                link = os.readlink(entry.path)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return True
    return False


def serving(pid: int) -> bool:
    """Whether every worker of the granian whose main process is `pid` is listening. On
    Linux each granian worker opens its own socket (SO_REUSEPORT) once it has loaded the
    application, so that is when it serves; off Linux this is never known (False)."""
    workers = children_of(pid)
    if not workers:
        return False
    inodes = listening_sockets()
    return all(holds_socket(worker, inodes) for worker in workers)


def signal_group(pgid: int, signum: int) -> bool:
    """Send `signum` to a process group; False when nothing is left of it."""
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a member that is exiting: the group still exists
    return True


@dataclass
class Child:
    name: str  # as printed, in Chinese
    argv: list[str]
    env: dict[str, str] | None = None
    # granian: what is left of a dead one serves on until its successor serves (see serving)
    web: bool = False
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    quick_deaths: int = 0
    restart_at: float = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env, process_group=0)  # noqa: S603
        self.started = time.monotonic()


@dataclass
class Leftovers:
    """What remains of a dead child's process group, retired once its successor is up."""

    pgid: int
    successor: Child
    wait_until: float
    kill_at: float | None = None  # set once SIGTERM went out


@dataclass
class Supervisor:
    children: list[Child]
    stop_timeout: float
    say: Callable[[str], None]
    stopping: bool = False
    hurry: bool = False
    leftovers: list[Leftovers] = field(default_factory=list)

    def run(self) -> None:
        """Start every child and keep them running until SIGTERM, SIGINT or SIGHUP; then stop
        them."""
        # SIGHUP too: the children, in groups of their own, would outlive a closed terminal.
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self.on_signal)
        for child in self.children:
            child.start()
        while not self.stopping:
            now = time.monotonic()
            for child in self.children:
                self.check(child, now)
            self.retire(now)
            time.sleep(POLL)
        self.stop()

    def on_signal(self, signum: int, frame: object) -> None:
        self.hurry = self.stopping  # a second signal: kill at once
        self.stopping = True

    def check(self, child: Child, now: float) -> None:
        if child.process is None:
            if now >= child.restart_at:
                child.start()
            return
        returncode = child.process.poll()
        if returncode is None:
            return
        pgid = child.process.pid
        child.process = None
        child.quick_deaths = child.quick_deaths + 1 if now - child.started < STABLE else 1
        delay = backoff(child.quick_deaths)
        child.restart_at = now + delay
        when = "已重新启动" if delay == 0 else f"{delay:g} 秒后重新启动"
        self.say(f"kanwu: {child.name}（PID {pgid}）意外退出（{describe(returncode)}），{when}。")
        if delay == 0:
            child.start()
        wait = delay + SUCCESSOR_WAIT if child.web else 0.0
        self.leftovers.append(Leftovers(pgid, child, now + wait))

    def retire(self, now: float) -> None:
        """SIGTERM a dead child's leftovers once its successor is up, SIGKILL them later."""
        for item in list(self.leftovers):
            if not signal_group(item.pgid, 0):
                self.leftovers.remove(item)  # nothing was left, or it has all exited
            elif item.kill_at is None:
                successor = item.successor.process
                if now >= item.wait_until or (successor is not None and serving(successor.pid)):
                    item.kill_at = now + self.stop_timeout
                    signal_group(item.pgid, signal.SIGTERM)
            elif now >= item.kill_at:
                signal_group(item.pgid, signal.SIGKILL)
                self.leftovers.remove(item)

    def stop(self) -> None:
        """SIGTERM every child, wait up to `stop_timeout`, then kill every group left.

        A granian worker still loading the application loses the SIGTERM that granian's
        main process passes on (granian 2.8.7): so granian's whole group is sent SIGTERM
        again every RETERM seconds while it runs (a worker that serves takes it once)."""
        processes = [child.process for child in self.children if child.process is not None]
        web = [child.process.pid for child in self.children if child.web and child.process]
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        for item in self.leftovers:
            signal_group(item.pgid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        again = time.monotonic() + RETERM
        while not self.hurry and time.monotonic() < deadline:
            if all(process.poll() is not None for process in processes):
                break
            if time.monotonic() >= again:
                again += RETERM
                for pgid in web:
                    signal_group(pgid, signal.SIGTERM)
            time.sleep(POLL)
        for pgid in [process.pid for process in processes] + [i.pgid for i in self.leftovers]:
            signal_group(pgid, signal.SIGKILL)
        for process in processes:
            process.wait()
