"""Purging exactly the cached pages that showed what changed.

Page saves, deletions and moves are picked up from signals (kanwu.publishing.signals); apps
whose own data appears on pages (approved comments, settings) call these functions. Purges run
after the transaction commits, when readers can already see the change.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction
from wagtail.models import Page

from kanwu.articles.feeds import FEEDS_TAG
from kanwu.articles.models import ArticlePage
from kanwu.columns.listing import forget_listings
from kanwu.columns.models import ColumnPage
from kanwu.core.dependencies import DAILY_TAG, SITE_TAG, listing_tag, page_tag, tag_listing_tag
from kanwu.core.timeutil import readers_today
from kanwu.publishing import pagecache
from kanwu.publishing.static_export import static_dir
from kanwu.publishing.tasks import refresh_static_export
from kanwu.site.daily import forget_daily
from kanwu.site.models import SiteSettings
from kanwu.site.navigation import forget_navigation

DAY_KEY = "kanwu:publishing:day"


def _forget_derived(tags: list[str]) -> None:
    """Drop the small caches that pages read instead of querying (navigation, daily pick,
    column listings' counts and anchors)."""
    today = readers_today()
    if SITE_TAG in tags:
        forget_navigation()
        columns = SiteSettings.objects.exclude(daily_reading_column=None)
        forget_daily(columns.values_list("daily_reading_column_id", flat=True), today)
        forget_listings(ColumnPage.objects.values_list("pk", flat=True))  # a page may have moved
    prefix = listing_tag(0).removesuffix("0")
    listed = [int(tag.removeprefix(prefix)) for tag in tags if tag.startswith(prefix)]
    forget_daily(listed, today)
    forget_listings(listed)


def _purge_on_commit(tags: list[str], page_ids: list[int] | None = None) -> None:
    # Forget now, so this transaction's own later reads are fresh, and again after commit,
    # so a reader who filled the caches meanwhile from the old data cannot keep them.
    _forget_derived(tags)

    def purge() -> None:
        _forget_derived(tags)
        pagecache.purge(tags)
        if static_dir() is not None:
            refresh_static_export.enqueue(tags, page_ids or [], time.time())

    transaction.on_commit(purge)


def page_tags(page: Page) -> list[str]:
    """Tags of every cached page that may show `page`."""
    model = page.specific_class
    if model is not None and model._meta.label in ("columns.ColumnPage", "kanwu_site.HomePage"):
        return [SITE_TAG]  # in the navigation or breadcrumbs of every page
    tags = [page_tag(page.pk), FEEDS_TAG]
    # Its columns' listings, found by tree path so this works for a deleted page too.
    step = Page.steplen
    ancestor_paths = [page.path[:end] for end in range(step, len(page.path), step)]
    ancestors = Page.objects.filter(path__in=ancestor_paths).values_list("pk", flat=True)
    tags += [listing_tag(pk) for pk in ancestors]
    # The pages of the tags it has now (those it had show it, and go with page:<id>). The
    # page's own tags, in memory: when it is saved they may not be written yet.
    if isinstance(page, ArticlePage):
        tags += [tag_listing_tag(tag.name) for tag in page.tags.all()]
    return tags


def page_changed(page: Page) -> None:
    """A page was saved, published, unpublished or deleted."""
    _purge_on_commit(page_tags(page), [page.pk])


def article_changed(article_id: int) -> None:
    """Something shown on the article's page changed (e.g. a comment was approved)."""
    _purge_on_commit([page_tag(article_id)])


def site_changed() -> None:
    """Something shown on every page changed (site settings, a page move)."""
    _purge_on_commit([SITE_TAG])


def new_day() -> None:
    """Periodic job: at midnight in China, purge pages showing the daily-reading pick."""
    today = readers_today().isoformat()
    previous = cache.get(DAY_KEY)
    cache.set(DAY_KEY, today, timeout=None)
    if previous is not None and previous != today:
        pagecache.purge([DAILY_TAG])
        if static_dir() is not None:
            refresh_static_export.enqueue([DAILY_TAG], [], time.time())
