"""RSS feed of the newest articles (/feed/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.core.dependencies import FEEDS_TAG, shows
from kanwu.core.visibility import visible

FEED_ITEMS = 20


class NewestArticlesFeed(Feed):  # type: ignore[type-arg]
    title = "最新文章"
    link = "/"
    description = "本站最新发布的文章"

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> None:
        shows([FEEDS_TAG])

    def items(self) -> list[ArticlePage]:
        return list(public_articles().newest_first()[:FEED_ITEMS])

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.excerpt

    def item_link(self, item: ArticlePage) -> str:
        return str(item.url)

    def item_pubdate(self, item: ArticlePage) -> dt.datetime:
        return item.published_at

    def item_author_name(self, item: ArticlePage) -> str:
        return item.author


class VisibleSitemap(Sitemap):
    """Wagtail's sitemap of the site's pages, through kanwu's visibility gate."""

    def items(self) -> Any:
        root = self.get_wagtail_site().root_page
        pages = visible(root.get_descendants(inclusive=True)).order_by("path")
        return pages.defer_streamfields().specific()


def sitemap_view(request: HttpRequest) -> HttpResponse:
    """Wagtail's sitemap.xml, tagged so that publishing anything refreshes it."""
    shows([FEEDS_TAG])
    response: HttpResponse = wagtail_sitemap(request, sitemaps={"wagtail": VisibleSitemap})
    return response
