"""Time-driven work the task worker does by itself, so no cron job is needed."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections, connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

TICK_LOCK = "kanwu:scheduler:tick"


def scheduler_tick() -> bool:
    """Publish and unpublish what is due (Wagtail's scheduled revisions), then run each
    callable named in settings.KANWU_PERIODIC_JOBS (reminders and the like).

    Returns False when another worker holds the tick, so several workers may run side by side
    without publishing the same revision twice.
    """
    if not cache.add(TICK_LOCK, "1", timeout=55):
        return False
    try:
        _recycle_connections()
        call_command("publish_scheduled", verbosity=0)
        for path in settings.KANWU_PERIODIC_JOBS:
            try:
                import_string(path)()
            except Exception:
                logger.exception("periodic job %s failed; retrying next tick", path)
    finally:
        cache.delete(TICK_LOCK)
        _recycle_connections()
    return True


def _recycle_connections() -> None:
    """Drop stale or broken database connections, as Django does around each request; never
    one inside a transaction (a caller's atomic block), which closing would break."""
    if not any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        close_old_connections()


def start_scheduler(interval: float, stop: threading.Event) -> threading.Thread:
    """Run `scheduler_tick` every `interval` seconds in a daemon thread until `stop` is set."""

    def loop() -> None:
        while not stop.is_set():
            try:
                scheduler_tick()
            except Exception:
                logger.exception("scheduled publishing failed; retrying next tick")
            stop.wait(interval)

    thread = threading.Thread(target=loop, name="kanwu-scheduler", daemon=True)
    thread.start()
    return thread
