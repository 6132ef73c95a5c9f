"""`kanwu serve`: the production web server and the task worker, supervised together.

granian runs the RSGI front (`kanwu.serving.rsgi`), which reads request bodies on its event
loop so that slow clients cannot hold Django's threads; `kanwu.serving.supervisor` restarts
whatever dies until SIGTERM, SIGINT or SIGHUP.
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.serving.supervisor import Child, Supervisor
from kanwu.site.services import site_apply_base_url

GRACE = 20  # seconds granian gives in-flight requests on stop before killing its workers
# Connections each web process holds at once; the costly parts (threads, large uploads) have
# limits of their own in the RSGI front, so this only has to exceed the clients expected.
CONNECTIONS = 1024
# A connection must send a request's headers within this; an idle keep-alive one is closed.
HEADER_TIMEOUT_MS = 10_000


def default_workers() -> int:
    return max(2, (os.cpu_count() or 1))


def check_port(host: str, port: int) -> None:
    """Fail now, with a message, when the port is taken: otherwise granian would die at once,
    over and over, and the supervisor would keep starting it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        socket.create_server((host, port), family=family).close()
    except OSError as error:
        raise CommandError(f"无法监听 {host}:{port}：{error.strerror or error}") from None


def web_command(options: dict[str, Any]) -> list[str]:
    return [
        # granian's command line, with kanwu loaded before granian forks its workers.
        sys.executable, "-m", "kanwu.serving.web", "--interface", "rsgi",
        "--host", options["host"], "--port", str(options["port"]),
        "--workers", str(options["workers"]), "--no-ws",
        # HTTP/1 only: in "auto" mode granian waits forever for the first byte of a connection
        # that sends nothing; with HTTP/1 the header timeout closes it.
        "--http", "1", "--http1-header-read-timeout", str(HEADER_TIMEOUT_MS),
        "--backpressure", str(CONNECTIONS),
        "--respawn-failed-workers", "--workers-kill-timeout", str(GRACE),
        "--log-level", "warning",
        "kanwu.serving.rsgi:application",
    ]  # fmt: skip


class Command(BaseCommand):
    help = "启动网站（granian）和后台任务处理器。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument(
            "--threads", type=int, default=4, help="threads per web process running Django"
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="serve web requests only (scale-out)"
        )
        parser.add_argument(
            "--skip-collectstatic", action="store_true", help="assets were collected already"
        )
        parser.add_argument(
            "--verbose", action="store_true", help="the worker prints a line for every task"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(f"端口号无效：{options['port']}")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers 和 --threads 至少为 1")
        check_port(options["host"], options["port"])
        try:
            site_apply_base_url()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if not options["skip_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Python runs one thread at a time anyway; a few threads cover slow I/O.
        web_env = {**os.environ, "KANWU_WEB_THREADS": str(options["threads"])}
        children = [Child("网站主进程（granian）", web_command(options), web_env, web=True)]
        if not options["no_worker"]:
            worker = [sys.executable, "-m", "kanwu.cli", "worker"]
            worker += ["--verbose"] if options["verbose"] else []
            children.append(Child("后台任务处理器", worker))
        self.stdout.write(f"kanwu: http://{options['host']}:{options['port']}/  (Ctrl+C 退出)")
        self.stdout.flush()
        Supervisor(children, stop_timeout=GRACE + 5, say=self.say).run()

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
