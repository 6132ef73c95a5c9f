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


def daily_picks(column: Page, day: dt.date) -> list[ArticlePage]:
    """The article of `column` featured on `day`, then the one shown instead on that
    article's own page (the next one; none when the column has only one).

    The same on every request of a day, and — because consecutive days map to consecutive
    positions modulo the number of articles — never the same on two consecutive days when the
    column has two or more articles.
    """
    articles = public_articles().in_column(column).order_by("published_at", "pk")
    count = articles.count()
    if not count:
        return []
    position = day.toordinal() % count
    picks = [articles[position]]
    if count > 1:
        picks.append(articles[(position + 1) % count])
    return picks


def daily_pick(column: Page, day: dt.date) -> ArticlePage | None:
    """The article of `column` featured on `day` (see `daily_picks`)."""
    picks = daily_picks(column, day)
    return picks[0] if picks else None


@dataclass(frozen=True)
class DailyItem:
    pk: int
    title: str
    url: str
    excerpt: str


def _key(column_id: int, day: dt.date) -> str:
    return f"kanwu:daily:2:{column_id}:{day.isoformat()}"


def daily_item(column_id: int, day: dt.date, reading: int | None = None) -> DailyItem | None:
    """What the daily-reading block shows on the page of article `reading` (never that
    article itself), kept in the cache for the day (no queries per page).

    Forgotten by `forget_daily` whenever an article under the column changes.
    """
    key = _key(column_id, day)
    items: list[DailyItem] | None = cache.get(key)
    if items is None:
        column = visible(ColumnPage.objects.filter(pk=column_id)).first()
        picks = daily_picks(column, day) if column else []
        items = [DailyItem(pick.pk, pick.title, str(pick.url), pick.excerpt) for pick in picks]
        cache.set(key, items, timeout=2 * 24 * 3600)
    return next((item for item in items if item.pk != reading), None)


def forget_daily(column_ids: Iterable[int], day: dt.date) -> None:
    cache.delete_many([_key(pk, day) for pk in column_ids])
