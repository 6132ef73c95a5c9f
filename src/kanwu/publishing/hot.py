"""热门 worked out from the view counts: the periodic job `hot_refresh`.

Views are kept per page and clock hour (`PageViewsHour`, written by the beacon's batched
flush). Every REFRESH_EVERY seconds the job sums the last 24 hours (this hour and the 23
before it) and 7 days (this hour and the 167 before it) per article readers may see, ranks
the articles of the whole site and of each top column (sub-columns included), and stores the
lists (`kanwu.articles.hot`). Pages showing a list that changed are purged (`hot:<column>`),
and hours older than KEEP_HOURS are dropped. Nothing is summed when no view was written since
the last time and the hour has not turned: the lists cannot have moved.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone
from wagtail.models import Page

from kanwu.articles.hot import HOT_COUNT, ListKey, Period, hot_lists_store
from kanwu.articles.selectors import public_articles
from kanwu.columns.models import ColumnPage
from kanwu.core.dependencies import hot_tag
from kanwu.publishing.invalidation import purge_and_refresh
from kanwu.publishing.models import PageViewsHour
from kanwu.publishing.views_counter import FLUSHED_KEY, hour_of

REFRESH_EVERY = 600  # seconds between two workings-out
DAY_HOURS = 24
WEEK_HOURS = 7 * 24
KEEP_HOURS = 8 * 24  # a day to spare over the longest window
STATE_KEY = "kanwu:hot:refreshed"  # (when, which hour) the lists were last worked out


def hot_counts(now: datetime) -> dict[ListKey, list[int]]:
    """Every 热门 list at `now`: article ids, most read first (ties: the newer article), at
    most HOT_COUNT each; lists without views are left out."""
    hour = hour_of(now)
    week_from = hour - timedelta(hours=WEEK_HOURS - 1)
    day_from = hour - timedelta(hours=DAY_HOURS - 1)
    rows = list(
        PageViewsHour.objects.filter(
            hour__gte=week_from, page_id__in=public_articles().values("pk")
        )
        .values("page_id", "page__path")
        .annotate(day=Sum("count", filter=Q(hour__gte=day_from)), week=Sum("count"))
    )
    top = 3 * Page.steplen  # an article's path starts with the root's, home's and top column's
    columns = dict(
        ColumnPage.objects.filter(path__in={row["page__path"][:top] for row in rows})
        .values_list("path", "pk")
    )  # fmt: skip
    ranked: dict[ListKey, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        column_id = columns.get(row["page__path"][:top])
        scopes = [None] if column_id is None else [None, column_id]
        for period, views in ((Period.DAY, row["day"]), (Period.WEEK, row["week"])):
            for scope in scopes if views else ():
                ranked[scope, period].append((views, row["page_id"]))
    return {
        key: [pk for _, pk in sorted(entries, reverse=True)[:HOT_COUNT]]
        for key, entries in ranked.items()
    }


def prune_hours(now: datetime) -> None:
    """Drop the hours no window reaches any more (one statement: Django's delete would load
    every row first, since the invalidation registry listens to every model's deletes)."""
    quote = connection.ops.quote_name
    table = quote(PageViewsHour._meta.db_table)
    oldest = connection.ops.adapt_datetimefield_value(
        hour_of(now) - timedelta(hours=KEEP_HOURS - 1)
    )
    hour = quote("hour")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {hour} < %s", [oldest])  # noqa: S608


def hot_refresh() -> None:
    """Periodic job: work the 热门 lists out again when REFRESH_EVERY seconds have passed
    and something may have moved them; purge the pages showing those that did."""
    now = timezone.now()
    hour = hour_of(now).timestamp()
    state = cache.get(STATE_KEY)
    if isinstance(state, tuple):
        refreshed_at, refreshed_hour = state
        if now.timestamp() - refreshed_at < REFRESH_EVERY:
            return
        flushed_at = cache.get(FLUSHED_KEY)
        if hour == refreshed_hour and (flushed_at is None or flushed_at < refreshed_at):
            return
        if hour != refreshed_hour:
            prune_hours(now)
    else:
        prune_hours(now)
    changed = hot_lists_store(lists=hot_counts(now))
    cache.set(STATE_KEY, (now.timestamp(), hour), timeout=None)
    if changed:
        purge_and_refresh([hot_tag(column_id) for column_id in changed], [])
