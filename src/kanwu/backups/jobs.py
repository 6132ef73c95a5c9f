"""The worker's daily backup (named in KANWU_PERIODIC_JOBS; no cron)."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from kanwu.backups.services import backup_due, backup_scheduled

RUNNING_KEY = "kanwu:backups:running"
# Longest a backup may hold the lock (a worker that died mid-backup frees it then).
LOCK_SECONDS = 6 * 3600


def _run(folder: Path) -> None:
    try:
        backup_scheduled(
            folder=folder,
            keep_daily=settings.KANWU_BACKUP_KEEP_DAILY,
            keep_weekly=settings.KANWU_BACKUP_KEEP_WEEKLY,
        )
    finally:
        cache.delete(RUNNING_KEY)
        connections.close_all()


def backup_daily() -> threading.Thread | None:
    """Periodic job: when today's backup is due, make it in a thread of its own (so the
    scheduler's tick, and scheduled publishing, do not wait for it) and return the thread.

    One backup runs at a time across workers (a lock in the shared cache).
    """
    folder: Path | None = settings.KANWU_BACKUP_DIR
    if folder is None or not backup_due(folder=folder, now=timezone.now()):
        return None
    if not cache.add(RUNNING_KEY, "1", timeout=LOCK_SECONDS):
        return None
    thread = threading.Thread(target=_run, args=(folder,), name="kanwu-backup", daemon=True)
    thread.start()
    return thread
