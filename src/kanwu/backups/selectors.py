"""What the dashboard and a health check read about backups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from kanwu.backups.models import BackupRun

#: A scheduled backup is made once a day; older than this, the last success is overdue.
STALE_AFTER = dt.timedelta(hours=26)


def _run(run: BackupRun | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {
        "kind": run.kind,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat(),
        "ok": run.ok,
        "file": run.path,
        "size": run.size,
        "message": run.message,
    }


def last_runs() -> tuple[BackupRun | None, BackupRun | None]:
    """(the last backup run, the last successful one)."""
    runs = BackupRun.objects.order_by("-started_at", "-pk")
    return runs.first(), runs.filter(ok=True).first()


def backup_status(now: dt.datetime | None = None) -> dict[str, Any]:
    """The backups' state as plain values (for /healthz and the dashboard).

    `healthy` is False when scheduled backups are on and the last run failed, or no backup
    has succeeded within STALE_AFTER. Times are ISO 8601; `age_seconds` is the age of the
    last successful backup.
    """
    now = now or timezone.now()
    folder: Path | None = settings.KANWU_BACKUP_DIR
    status: dict[str, Any] = {
        "enabled": folder is not None,
        "folder": str(folder) if folder is not None else None,
        "keep_daily": settings.KANWU_BACKUP_KEEP_DAILY,
        "keep_weekly": settings.KANWU_BACKUP_KEEP_WEEKLY,
        "last": None,
        "last_success": None,
        "age_seconds": None,
        "stale": folder is not None,
        "healthy": folder is None,
    }
    try:
        last, success = last_runs()
    except DatabaseError as exc:
        status.update(healthy=False, error=f"无法读取备份记录：{exc}")
        return status
    status["last"], status["last_success"] = _run(last), _run(success)
    if success is not None:
        age = now - success.finished_at
        status["age_seconds"] = max(0.0, age.total_seconds())
        status["stale"] = folder is not None and age > STALE_AFTER
    if folder is not None:
        status["healthy"] = last is not None and last.ok and not status["stale"]
    return status
