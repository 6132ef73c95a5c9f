"""/<column>/feed/: a column's newest articles as RSS (栏目 - 站名)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from wagtail.models import Site

from kanwu.articles.feeds import FEED_ITEMS, ArticlesFeed, site_name
from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import column_articles
from kanwu.columns.models import ColumnPage
from kanwu.core.dependencies import FEEDS_TAG, listing_tag, shows
from kanwu.core.pages import absolute_url
from kanwu.core.visibility import visible

# A column's path from the site's root: slugs, each ending with "/" (at least one).
COLUMN_FEED_PATTERN = r"^(?P<path>(?:[-\w]+/)+)feed/$"


def column_at(request: HttpRequest, path: str) -> ColumnPage:
    """The live, public column at `path` (e.g. "news/history/") on the request's site."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("没有这个栏目。")
    url_path = f"{site.root_page.url_path}{path}"
    column = visible(ColumnPage.objects.filter(url_path=url_path)).first()
    if column is None:
        raise Http404("没有这个栏目。")
    return column


class ColumnFeed(ArticlesFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> ColumnPage:
        column = column_at(request, str(kwargs.get("path", "")))
        shows([FEEDS_TAG, listing_tag(column.pk)])
        return column

    def title(self, column: ColumnPage) -> str:
        return f"{column.title} - {site_name(self.request)}"

    def link(self, column: ColumnPage) -> str:
        return absolute_url(str(column.get_url(self.request)), self.request)

    def description(self, column: ColumnPage) -> str:
        return column.intro or f"{site_name(self.request)}“{column.title}”栏目的最新文章"

    def items(self, column: ColumnPage) -> list[ArticlePage]:
        return list(column_articles(column)[:FEED_ITEMS])
