"""`kanwu serve`: the production web server and the task worker, supervised together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def default_workers() -> int:
    return max(2, (os.cpu_count() or 1))


class Command(BaseCommand):
    help = "启动网站（granian）和后台任务处理器。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")
        parser.add_argument(
            "--no-worker", action="store_true", help="serve web requests only (scale-out)"
        )
        parser.add_argument(
            "--skip-collectstatic", action="store_true", help="assets were collected already"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(f"端口号无效：{options['port']}")
        if not options["skip_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        web = [
            sys.executable, "-m", "granian", "--interface", "wsgi",
            "--host", options["host"], "--port", str(options["port"]),
            "--workers", str(options["workers"]), "--no-ws",
            # Python runs one thread at a time anyway; a few threads cover slow I/O.
            "--blocking-threads", str(options["threads"]),
            "kanwu.wsgi:application",
        ]  # fmt: skip
        children = [subprocess.Popen(web)]  # noqa: S603
        if not options["no_worker"]:
            children.append(subprocess.Popen([sys.executable, "-m", "kanwu.cli", "worker"]))
        self.stdout.write(f"kanwu: http://{options['host']}:{options['port']}/  (Ctrl+C 退出)")
        self._supervise(children)

    def _supervise(self, children: list[subprocess.Popen[bytes]]) -> None:
        """Wait until a child exits or we are told to stop, then stop them all."""
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        failed = [child.args for child in children if child.returncode not in (0, -15, None)]
        if failed and not stopping:
            raise CommandError(f"子进程意外退出：{failed}")
