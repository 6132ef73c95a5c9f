"""The backups panel on the admin dashboard (administrators only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from kanwu.backups.selectors import STALE_AFTER, last_runs


class BackupPanel(Component):
    template_name = "backups/admin/status_panel.html"
    order = 95

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
        last, success = last_runs()
        now = timezone.now()
        return {
            "folder": settings.KANWU_BACKUP_DIR,
            "keep_daily": settings.KANWU_BACKUP_KEEP_DAILY,
            "keep_weekly": settings.KANWU_BACKUP_KEEP_WEEKLY,
            "last": last,
            "success": success,
            "stale": success is None or now - success.finished_at > STALE_AFTER,
            "stale_hours": int(STALE_AFTER.total_seconds() // 3600),
        }


@hooks.register("construct_homepage_panels")
def add_backup_panel(request: HttpRequest, panels: list[Any]) -> None:
    if getattr(request.user, "is_superuser", False):
        panels.append(BackupPanel())
