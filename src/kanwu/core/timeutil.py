"""Calendar helpers: readers' days are Asia/Shanghai days, whatever the server's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

READERS_ZONE = ZoneInfo("Asia/Shanghai")


def readers_today(now: dt.datetime | None = None) -> dt.date:
    """The calendar day in China at `now` (default: the current time)."""
    return (now or timezone.now()).astimezone(READERS_ZONE).date()


def iso_seconds(moment: dt.datetime | None) -> str:
    """`moment` in ISO 8601 in the readers' time zone, to the second: what sitemaps, JSON-LD
    and OpenGraph carry (validators and crawlers read microseconds poorly)."""
    if moment is None:
        return ""
    return moment.astimezone(READERS_ZONE).replace(microsecond=0).isoformat()
