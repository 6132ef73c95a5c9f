"""`GET /healthz` for load balancers and systemd: is this process able to serve?

200 with `"status": "ok"` when the database and the cache answer, else 503 with
`"status": "fail"`. The task backlog, the static export's lag and the last backup's age are
reported, not judged:
a long queue is worth a look, not a reason to take the server out of rotation. The page
cache is never consulted (its `/healthz` prefix is uncacheable), and error messages are
not shown, only their class (a probe is often public; messages may name hosts).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import RQBackend

from kanwu.backups.selectors import backup_status
from kanwu.publishing.static_export import static_dir
from kanwu.publishing.tasks import refresh_static_export

logger = logging.getLogger(__name__)
RQ_SCAN = 100  # queued RQ jobs looked at for the oldest export refresh (FIFO: it is early)
Check = dict[str, Any]


def timed_check(name: str, probe: Any) -> Check:
    """Run `probe()`; {"status": "ok", "ms": …} or {"status": "fail", "error": class name}."""
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:
        logger.warning("health check %s failed: %r", name, error)
        return {"status": "fail", "error": type(error).__name__}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


def probe_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def probe_cache() -> None:
    # One key per process and thread: concurrent probes never read each other's token, and
    # repeated probes overwrite one entry instead of adding entries.
    key = f"kanwu:healthz:{os.getpid()}:{threading.get_ident()}"
    token = uuid.uuid4().hex
    cache.set(key, token, timeout=60)
    if cache.get(key) != token:
        raise LookupError("the cache did not give back what was just stored")


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # RQ's are naive UTC


def task_backlog() -> Check:
    """How many tasks wait to run, and when the oldest export refresh among them was queued."""
    backend = task_backends["default"]
    refresh = refresh_static_export.module_path
    oldest: datetime | None = None
    if isinstance(backend, DatabaseBackend):
        backlog = DBTaskResult.objects.ready().count()
        oldest = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=refresh
        ).aggregate(oldest=Min("enqueued_at"))["oldest"]
    elif isinstance(backend, RQBackend):
        import django_rq  # only installed with REDIS_URL

        queue = django_rq.get_queue("default")
        backlog = queue.count
        for job in queue.get_jobs(0, RQ_SCAN):
            if job.func_name == refresh and job.enqueued_at is not None:
                oldest = as_utc(job.enqueued_at)
                break
    else:
        backlog = 0  # tasks run as they are enqueued
    return {"backend": type(backend).__name__, "backlog": backlog, "oldest_refresh": oldest}


def health_report() -> dict[str, Any]:
    checks: dict[str, Any] = {
        "database": timed_check("database", probe_database),
        "cache": timed_check("cache", probe_cache),
    }
    healthy = all(checks[name]["status"] == "ok" for name in ("database", "cache"))
    try:
        tasks = task_backlog()
    except Exception as error:
        logger.warning("health check tasks failed: %r", error)
        tasks = {"backlog": None, "error": type(error).__name__, "oldest_refresh": None}
    oldest = tasks.pop("oldest_refresh")
    checks["tasks"] = tasks
    lag: float | None = None
    if static_dir() is not None and "error" not in tasks:
        age = 0.0 if oldest is None else (datetime.now(UTC) - oldest).total_seconds()
        lag = round(max(0.0, age), 1)
    checks["export"] = {"lag_seconds": lag}
    try:
        backup = backup_status()
        checks["backup"] = {"healthy": backup["healthy"], "age_seconds": backup["age_seconds"]}
    except Exception as error:  # reported, not judged, like the backlog
        logger.warning("health check backup failed: %r", error)
        checks["backup"] = {"healthy": None, "error": type(error).__name__}
    return {"status": "ok" if healthy else "fail", "checks": checks}


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    response = JsonResponse(report, status=200 if report["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response
