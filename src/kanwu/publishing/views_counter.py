"""Page views: counted in each process's memory and written to the database in batches.

A cached page is the same for every reader, so its view count is fetched by the page's script
from the beacon endpoint; counting there costs no database write per view.
"""

from __future__ import annotations

import hashlib
import threading
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from kanwu.publishing.models import PageViews

FLUSH_EVERY_VIEWS = 50
FLUSH_EVERY_SECONDS = 10.0
# One counted view per reader (address + browser) per article within this many seconds.
VIEW_WINDOW = 3600


class ViewCounter:
    def __init__(self) -> None:
        self.pending: dict[int, int] = {}
        self.lock = threading.Lock()
        self.last_flush = time.monotonic()

    def add(self, page_id: int) -> int:
        """Count one view of `page_id`; return its total so far."""
        with self.lock:
            self.pending[page_id] = self.pending.get(page_id, 0) + 1
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
            return (stored or 0) + self.pending.get(page_id, 0)

    def flush(self) -> None:
        with self.lock:
            batch, self.pending = self.pending, {}
            self.last_flush = time.monotonic()
        if not batch:
            return
        with transaction.atomic():
            existing = set(
                PageViews.objects.filter(page_id__in=batch).values_list("page_id", flat=True)
            )
            PageViews.objects.bulk_create(
                [PageViews(page_id=pk, count=0) for pk in batch if pk not in existing],
                ignore_conflicts=True,
            )
            for page_id, views in batch.items():
                PageViews.objects.filter(page_id=page_id).update(count=F("count") + views)


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
