"""RSS feeds of articles: the site's newest (/feed/), and the base the feeds of one page's
articles (/<column or 专题 path>/feed/) build on."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Rss201rev2Feed
from wagtail.models import Page, Site

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.core.dependencies import FEEDS_TAG, shows
from kanwu.core.pages import absolute_url
from kanwu.core.visibility import visible

FEED_ITEMS = 20
FEED_LANGUAGE = "zh-CN"
P = TypeVar("P", bound=Page)


def site_name(request: HttpRequest) -> str:
    """The site's name from 站点设置 (a layer above: named by string, as foreign keys are)."""
    settings = apps.get_model("kanwu_site", "SiteSettings").for_request(request)
    return str(settings.site_name)


class ArticlesFeed(Feed):  # type: ignore[type-arg]
    """A feed of articles, every address on the site's configured host (KANWU_BASE_URL), not
    the Host a reader sent; in Chinese."""

    feed_type = Rss201rev2Feed
    language = FEED_LANGUAGE
    request: HttpRequest

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # One instance in the URLconf serves every thread: each request gets its own copy.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        shows([FEEDS_TAG])
        return None

    def feed_url(self, obj: Any) -> str:
        return absolute_url(self.request.path, self.request)

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.excerpt

    def item_link(self, item: ArticlePage) -> str:
        return absolute_url(str(item.get_url(self.request)), self.request)

    def item_guid(self, item: ArticlePage) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: ArticlePage) -> dt.datetime:
        return item.published_at

    def item_author_name(self, item: ArticlePage) -> str:
        return item.author


class NewestArticlesFeed(ArticlesFeed):
    """/feed/: the site's newest articles."""

    def title(self, obj: Any) -> str:
        return f"最新文章 - {site_name(self.request)}"

    def link(self, obj: Any) -> str:
        return absolute_url("/", self.request)

    def description(self, obj: Any) -> str:
        return f"{site_name(self.request)}最新发布的文章"

    def items(self, obj: Any) -> list[ArticlePage]:
        return list(public_articles().newest_first()[:FEED_ITEMS])


class PageFeed(ArticlesFeed, Generic[P]):
    """The feed of one page's articles (a column's, a 专题's) at /<its path>/feed/, titled
    "页面 - 站名"; a path with no such live, public page is a 404 saying `missing`."""

    model: type[P]
    missing: str

    def page_at(self, request: HttpRequest, path: str) -> P:
        """The live, public page at `path` (e.g. "news/history/") on the request's site."""
        site = Site.find_for_request(request)
        page = None
        if site is not None:
            url_path = f"{site.root_page.url_path}{path}"
            page = visible(self.model.objects.filter(url_path=url_path)).first()
        if page is None:
            raise Http404(self.missing)
        return page

    def dependencies(self, page: P) -> list[str]:
        """The tags, besides every feed's, whose purge must drop this feed's cached copy."""
        raise NotImplementedError

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> P:
        page = self.page_at(request, str(kwargs.get("path", "")))
        shows([FEEDS_TAG, *self.dependencies(page)])
        return page

    def title(self, page: P) -> str:
        return f"{page.title} - {site_name(self.request)}"

    def link(self, page: P) -> str:
        return absolute_url(str(page.get_url(self.request)), self.request)
