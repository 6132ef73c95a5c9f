"""每日一读: one article of a chosen column per calendar day."""

from __future__ import annotations

import datetime as dt

from wagtail.models import Page

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles


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
