"""`kanwu worker`: the background task worker plus the publishing scheduler."""

from __future__ import annotations

import os
import threading
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_rq import RQBackend

from kanwu.serving.console import quiet_tasks
from kanwu.serving.scheduler import start_scheduler
from kanwu.site.services import site_apply_base_url


class Command(BaseCommand):
    help = "运行后台任务处理器（邮件、索引、定时发布）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=float(os.environ.get("KANWU_SCHEDULE_INTERVAL", "30")),
            help="seconds between checks for scheduled publishing (default 30, or "
            "KANWU_SCHEDULE_INTERVAL)",
        )
        parser.add_argument(
            "--verbose", action="store_true", help="print a line for every task, not a summary"
        )

    def handle(self, *args: Any, schedule_interval: float, **options: Any) -> None:
        try:
            site_apply_base_url()  # the worker's exports and feeds name KANWU_BASE_URL's host
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        stop = threading.Event()
        start_scheduler(schedule_interval, stop)
        if not options["verbose"]:
            quiet_tasks(self.say, stop)
        backend = task_backends["default"]
        self.stdout.write(
            f"kanwu worker: {type(backend).__name__}, "
            f"scheduled publishing every {schedule_interval:g}s"
        )
        try:
            if isinstance(backend, RQBackend):
                call_command("rqworker", "default", job_class="django_tasks_rq.Job")
            elif isinstance(backend, DatabaseBackend):
                call_command("db_worker", queue_name="*", reload=False, interval=1.0)
            else:
                # Immediate/dummy backends run tasks in the caller: only the scheduler is needed.
                stop.wait()
        finally:
            stop.set()

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
