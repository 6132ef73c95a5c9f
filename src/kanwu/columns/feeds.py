"""/<column>/feed/: a column's newest articles as RSS (栏目 - 站名)."""

from __future__ import annotations

from kanwu.articles.feeds import FEED_ITEMS, PageFeed, site_name
from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import column_articles
from kanwu.columns.models import ColumnPage
from kanwu.core.dependencies import listing_tag

# A column's path from the site's root: slugs, each ending with "/" (at least one).
COLUMN_FEED_PATTERN = r"^(?P<path>(?:[-\w]+/)+)feed/$"


class ColumnFeed(PageFeed[ColumnPage]):
    model = ColumnPage
    missing = "没有这个栏目。"

    def dependencies(self, column: ColumnPage) -> list[str]:
        return [listing_tag(column.pk)]

    def description(self, column: ColumnPage) -> str:
        return column.intro or f"{site_name(self.request)}“{column.title}”栏目的最新文章"

    def items(self, column: ColumnPage) -> list[ArticlePage]:
        return list(column_articles(column)[:FEED_ITEMS])
