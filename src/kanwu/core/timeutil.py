"""Calendar helpers: readers' days are Asia/Shanghai days, whatever the server's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

READERS_ZONE = ZoneInfo("Asia/Shanghai")


def readers_today(now: dt.datetime | None = None) -> dt.date:
    """The calendar day in China at `now` (default: the current time)."""
    return (now or timezone.now()).astimezone(READERS_ZONE).date()
