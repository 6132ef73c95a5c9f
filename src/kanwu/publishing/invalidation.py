"""Carrying out what a change invalidates (the table is `kanwu.publishing.registry`).

Changes announced by signals arrive through the registry; apps whose own data appears on pages
call `comments_changed`, and the worker calls `new_day` at midnight. The site-wide memo and the
small caches that pages read instead of querying are forgotten at once (so the changing
transaction reads fresh values) and again after commit; page-cache purges, the export's
refresh and removals run after the transaction commits, when readers can see the change.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from kanwu.articles.hot import forget_hot
from kanwu.articles.models import ArticlePage, ArticleSlot
from kanwu.columns.listing import forget_listings
from kanwu.columns.models import ColumnPage
from kanwu.core import memo
from kanwu.core.cache import UNREACHABLE
from kanwu.core.dependencies import DAILY_TAG, SITE_TAG, comments_tag, listing_tag, slot_tag
from kanwu.core.timeutil import readers_today
from kanwu.publishing import pagecache
from kanwu.publishing.registry import Effects, leaf_tags
from kanwu.publishing.static_export import Exporter, static_dir
from kanwu.publishing.tasks import refresh_static_export
from kanwu.site.daily import forget_daily
from kanwu.site.models import SiteSettings

DAY_KEY = "kanwu:publishing:day"
SLOTS_KEY = "kanwu:publishing:slots-checked"
logger = logging.getLogger(__name__)


def _forget_derived(tags: list[str]) -> None:
    """Drop the small caches that pages read instead of querying (daily pick, column
    listings' counts and anchors, 热门 lists)."""
    today = readers_today()
    if SITE_TAG in tags:
        columns = SiteSettings.objects.exclude(daily_reading_column=None)
        forget_daily(columns.values_list("daily_reading_column_id", flat=True), today)
        forget_listings(ColumnPage.objects.values_list("pk", flat=True))  # a page may have moved
    prefix = listing_tag(0).removesuffix("0")
    listed = [int(tag.removeprefix(prefix)) for tag in tags if tag.startswith(prefix)]
    forget_daily(listed, today)
    forget_listings(listed)
    if listed or SITE_TAG in tags:  # an article changed (gone, restricted) or the whole site
        forget_hot()


def apply(effects: Effects) -> None:
    """Carry out one registry row's effects: now what this transaction reads, the rest (and
    the same again) after it commits."""
    if effects.memo:
        memo.forget()
    _forget_derived(effects.tags)

    def after_commit() -> None:
        _forget_derived(effects.tags)
        outdir = static_dir()
        if outdir is not None and effects.unexport:
            exporter = Exporter(outdir)
            for page in Page.objects.filter(pk__in=effects.unexport):
                if url := page.get_url():
                    exporter.unexport(url)
        purge_and_refresh(effects.tags, effects.page_ids)

    transaction.on_commit(after_commit)


def purge_and_refresh(tags: list[str], page_ids: list[int]) -> None:
    """Purge the page cache and have the worker refresh the export. While Redis (the page
    store and the task queue) cannot be reached, the change must still reach readers: the
    store is skipped (nothing in it can be read meanwhile; Redis restarted comes back empty)
    and the refresh is done in this process (core/taskqueue.py)."""
    try:
        pagecache.purge(tags)
    except UNREACHABLE as error:
        logger.warning("page cache unreachable (%r): purge of %s skipped", error, tags)
    if static_dir() is not None:
        refresh_static_export.enqueue(tags, page_ids, time.time())


def comments_changed(article_id: int) -> None:
    """The article's comments as readers see them changed: one approved or withdrawn, the
    thread closed or reopened. Only the article's own page shows them."""
    apply(Effects([comments_tag(article_id)]))


def new_day() -> None:
    """Periodic job: at midnight in China, purge pages showing the daily-reading pick."""
    today = readers_today().isoformat()
    previous = cache.get(DAY_KEY)
    cache.set(DAY_KEY, today, timeout=None)
    if previous is not None and previous != today:
        purge_and_refresh([DAILY_TAG], [])


def slots_lapsed() -> None:
    """Periodic job: 推荐位 whose expiry passed since the last tick. Cached pages showing them
    lapse by themselves (`shows_until`); the static export's files are rendered again here."""
    now = timezone.now()
    since = cache.get(SLOTS_KEY)
    cache.set(SLOTS_KEY, now.timestamp(), timeout=None)
    if since is None:
        return
    lapsed = ArticleSlot.objects.filter(
        expires_at__gt=datetime.fromtimestamp(float(since), tz=UTC), expires_at__lte=now
    ).values_list("flag", "article_id")
    if not (lapsed := list(lapsed)):
        return
    tags = {slot_tag(flag) for flag, _ in lapsed}
    articles = ArticlePage.objects.filter(pk__in={pk for _, pk in lapsed}, live=True)
    for article in articles.only("path"):
        tags.update(leaf_tags(article))
    apply(Effects(sorted(tags)))
