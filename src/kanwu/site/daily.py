"""每日一读: one article of a chosen column per calendar day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from wagtail.models import Page

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.columns.models import ColumnPage
from kanwu.core.visibility import visible


def daily_pick(column: Page, day: dt.date) -> ArticlePage | None:
    """The article of `column` featured on `day`.

    The same on every request of a day, and — because consecutive days map to consecutive
    positions modulo the number of articles — never the same on two consecutive days when the
    column has two or more articles.
    """
    articles = public_articles().in_column(column).order_by("published_at", "pk")
    count = articles.count()
    if not count:
        return None
    return articles[day.toordinal() % count]


@dataclass(frozen=True)
class DailyItem:
    title: str
    url: str
    excerpt: str


def _key(column_id: int, day: dt.date) -> str:
    return f"kanwu:daily:{column_id}:{day.isoformat()}"


def daily_item(column_id: int, day: dt.date) -> DailyItem | None:
    """What the daily-reading block shows, kept in the cache for the day (no queries per page).

    Forgotten by `forget_daily` whenever an article under the column changes.
    """
    key = _key(column_id, day)
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    column = visible(ColumnPage.objects.filter(pk=column_id)).first()
    pick = daily_pick(column, day) if column else None
    item = DailyItem(pick.title, str(pick.url), pick.excerpt) if pick else None
    cache.set(key, item or False, timeout=2 * 24 * 3600)
    return item


def forget_daily(column_ids: Iterable[int], day: dt.date) -> None:
    cache.delete_many([_key(pk, day) for pk in column_ids])
