"""Page views: counted in each process's memory and written to the database in batches.

A cached page is the same for every reader, so its view count is fetched by the page's script
from the beacon endpoint; counting there costs no database write per view. Each view is
counted in its clock hour too (`PageViewsHour`), for 热门 (kanwu.publishing.hot).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

from kanwu.publishing.models import PageViews, PageViewsHour

FLUSH_EVERY_VIEWS = 50
FLUSH_EVERY_SECONDS = 10.0
# One counted view per reader (address + browser) per article within this many seconds.
VIEW_WINDOW = 3600
# When views were last written: the 热门 job has nothing new to count before then.
FLUSHED_KEY = "kanwu:views:flushed-at"
HOURLY_ROWS = 300  # buckets per statement: 900 parameters, under SQLite's oldest limit


def hour_of(moment: datetime) -> datetime:
    """The start of the clock hour (UTC) that `moment` falls in: a view's bucket."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


class ViewCounter:
    def __init__(self) -> None:
        # Views not yet written, by page and by the hour they were counted in.
        self.pending: dict[tuple[int, datetime], int] = {}
        self.lock = threading.Lock()
        self.last_flush = time.monotonic()

    def add(self, page_id: int) -> int:
        """Count one view of `page_id`; return its total so far."""
        key = (page_id, hour_of(timezone.now()))
        with self.lock:
            self.pending[key] = self.pending.get(key, 0) + 1
            due = (
                sum(self.pending.values()) >= FLUSH_EVERY_VIEWS
                or time.monotonic() - self.last_flush >= FLUSH_EVERY_SECONDS
            )
        if due:
            self.flush()
        return self.total(page_id)

    def total(self, page_id: int) -> int:
        """The views of `page_id` so far: stored plus not yet written."""
        stored = PageViews.objects.filter(page_id=page_id).values_list("count", flat=True).first()
        with self.lock:
            waiting = sum(views for (pk, _), views in self.pending.items() if pk == page_id)
        return (stored or 0) + waiting

    def flush(self) -> None:
        with self.lock:
            batch, self.pending = self.pending, {}
            self.last_flush = time.monotonic()
        if not batch:
            return
        # A page deleted since its views were counted has nowhere to keep them.
        pages = set(
            Page.objects.filter(pk__in={pk for pk, _ in batch}).values_list("pk", flat=True)
        )
        totals: Counter[int] = Counter()
        hours: dict[tuple[int, datetime], int] = {}
        for (page_id, hour), views in batch.items():
            if page_id in pages:
                totals[page_id] += views
                hours[page_id, hour] = views
        if not hours:
            return
        with transaction.atomic():
            existing = set(
                PageViews.objects.filter(page_id__in=totals).values_list("page_id", flat=True)
            )
            PageViews.objects.bulk_create(
                [PageViews(page_id=pk, count=0) for pk in totals if pk not in existing],
                ignore_conflicts=True,
            )
            for page_id, views in totals.items():
                PageViews.objects.filter(page_id=page_id).update(count=F("count") + views)
            _add_hourly(hours)
        cache.set(FLUSHED_KEY, timezone.now().timestamp(), timeout=None)


def _add_hourly(hours: dict[tuple[int, datetime], int]) -> None:
    """Add views to their hourly buckets, whichever process wrote the same bucket before:
    one upsert per HOURLY_ROWS buckets (SQLite ≥ 3.24 and PostgreSQL share its syntax)."""
    quote = connection.ops.quote_name
    table = quote(PageViewsHour._meta.db_table)
    page, hour, count = (quote(name) for name in ("page_id", "hour", "count"))
    items = list(hours.items())
    for start in range(0, len(items), HOURLY_ROWS):
        chunk = items[start : start + HOURLY_ROWS]
        params: list[Any] = []
        for (page_id, moment), views in chunk:
            params += [page_id, connection.ops.adapt_datetimefield_value(moment), views]
        rows = ", ".join(["(%s, %s, %s)"] * len(chunk))
        sql = (
            f"INSERT INTO {table} ({page}, {hour}, {count}) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT ({page}, {hour}) "
            f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


counter = ViewCounter()


def visitor_key(*, ip: str | None, user_agent: str) -> str:
    """Who is reading, as far as counting goes: the address and the browser, hashed."""
    return hashlib.sha256(f"{ip or '-'}\n{user_agent}".encode("utf-8", "replace")).hexdigest()[:32]


def view_record(*, page_id: int, visitor: str) -> int:
    """Count a view of `page_id` unless this visitor was counted for it within VIEW_WINDOW
    seconds (reloads and repeated beacons do not inflate 阅读); return the total."""
    if cache.add(f"views:seen:{page_id}:{visitor}", 1, VIEW_WINDOW):
        return counter.add(page_id)
    return counter.total(page_id)
