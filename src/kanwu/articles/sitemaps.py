"""Sitemaps on the site's configured address: an index at /sitemap.xml naming the pages'
sitemaps (/sitemap-pages-N.xml, 50,000 addresses each) and a Google News sitemap of the last
two days' articles (/sitemap-news.xml)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap

from kanwu.articles.feeds import site_name
from kanwu.articles.selectors import public_articles
from kanwu.core.dependencies import DAILY_TAG, FEEDS_TAG, shows
from kanwu.core.pages import absolute_url, url_for_path
from kanwu.core.timeutil import iso_seconds
from kanwu.core.visibility import visible

NEWS_DAYS = 2  # Google News reads articles of the last two days
NEWS_LIMIT = 1000  # … at most 1,000 a sitemap
NEWS_LANGUAGE = "zh-cn"
XML = "application/xml"


class VisibleSitemap(Sitemap):
    """Wagtail's sitemap of the site's pages, through kanwu's visibility gate."""

    def items(self) -> Any:
        root = self.get_wagtail_site().root_page
        pages = visible(root.get_descendants(inclusive=True)).order_by("path")
        return pages.defer_streamfields().specific()


def page_sitemap_count(request: HttpRequest | None = None) -> int:
    """How many /sitemap-pages-N.xml there are (one even for an empty site)."""
    return max(1, VisibleSitemap(request).paginator.num_pages)


@dataclass(frozen=True)
class IndexEntry:
    """One sitemap in the index (what Django's sitemap_index.xml template reads)."""

    location: str
    last_mod: dt.datetime | None = None


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the index of the site's sitemaps."""
    shows([FEEDS_TAG])
    urls = [reverse("sitemap-pages", args=[n]) for n in range(1, page_sitemap_count(request) + 1)]
    urls.append(reverse("sitemap-news"))
    items = [IndexEntry(absolute_url(url, request)) for url in urls]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type=XML)


@require_safe
def sitemap_pages(request: HttpRequest, number: int) -> HttpResponse:
    """/sitemap-pages-N.xml: the Nth 50,000 public pages, with their last change."""
    shows([FEEDS_TAG])
    sitemap = VisibleSitemap(request)
    try:
        urls = sitemap.get_urls(page=number, site=get_current_site(request), protocol=None)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("没有这一页站点地图。") from exc
    return TemplateResponse(request, "sitemap.xml", {"urlset": urls}, content_type=XML)


@dataclass(frozen=True)
class NewsItem:
    location: str
    title: str
    published: str


@require_safe
def sitemap_news(request: HttpRequest) -> HttpResponse:
    """/sitemap-news.xml: articles published in the last two days, newest first.

    Refreshed by every publish and at midnight in China, so articles leave it without one."""
    shows([FEEDS_TAG, DAILY_TAG])
    now = timezone.now()
    articles = (
        public_articles()
        .filter(published_at__gt=now - dt.timedelta(days=NEWS_DAYS), published_at__lte=now)
        .newest_first()
        .for_lists()[:NEWS_LIMIT]
    )
    items = [
        NewsItem(
            absolute_url(url_for_path(article.url_path, request), request),
            article.title,
            iso_seconds(article.published_at),
        )
        for article in articles
    ]
    context = {"items": items, "publication": site_name(request), "language": NEWS_LANGUAGE}
    return TemplateResponse(request, "articles/sitemap_news.xml", context, content_type=XML)
