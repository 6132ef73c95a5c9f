"""Columns (栏目): nestable sections that hold articles, e.g. 新闻 > 统战史话."""

from __future__ import annotations

from typing import Any

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from kanwu.articles.hot import hot_block
from kanwu.columns.listing import ColumnListing
from kanwu.core import memo
from kanwu.core.dependencies import listing_tag, shows
from kanwu.core.pages import PinyinSlugMixin, RememberedRestrictionsMixin, paginate
from kanwu.core.visibility import visible

ARTICLES_PER_PAGE = 20


class ColumnPage(RememberedRestrictionsMixin, PinyinSlugMixin, Page):
    intro = models.TextField("栏目简介", blank=True)

    parent_page_types = ["kanwu_site.HomePage", "columns.ColumnPage"]
    subpage_types = ["columns.ColumnPage", "articles.ArticlePage"]
    template = "columns/column_page.html"
    # The admin lists a column's pages newest first by creation: Wagtail's own tie-breaking
    # order for listings, read from the primary key's index and stopped after one page. Its
    # default (last edited first) sorts every child, and SQLite works out the listing's
    # per-page subqueries (site root, approved schedule) for each: most of a second at 100,000.
    admin_default_ordering = "-pk"
    # Its title in the page explorer lists its pages (kanwu's _page_title_explore.html).
    admin_title_explores = True
    # 在菜单中显示 (promote tab): a new column is in the header navigation unless unticked; an
    # imported one waits for an editor (kanwu.importer).
    show_in_menus_default = True

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        shows([listing_tag(self.pk)])
        context["articles"], context["page_range"] = paginate(
            ColumnListing(self), ARTICLES_PER_PAGE, request
        )
        context["sub_columns"] = memo.remembered(f"sub-columns:{self.pk}", self._sub_columns)
        context["ancestors"] = trail = memo.trail(self)
        # 热门 of the top column (this one, or the first in its trail), sub-columns included.
        context["hot"] = hot_block(trail[0].pk if trail else self.pk, request)
        return context

    def _sub_columns(self) -> list[memo.Crumb]:
        """The visible columns right under this one (remembered like the breadcrumb trail:
        until a column changes). `.type()` lets SQLite find them by content type: `child_of`
        alone is a LIKE on the path, which SQLite answers by reading every page's path."""
        columns = visible(ColumnPage.objects.child_of(self).type(ColumnPage))
        return [
            memo.Crumb(c.title, c.get_url() or "", c.pk)
            for c in columns.only("title", "url_path", "path", "depth")
        ]
