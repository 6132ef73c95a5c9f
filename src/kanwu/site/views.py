"""/robots.txt and /favicon.ico."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from kanwu.core.pages import absolute_url
from kanwu.site.models import SiteSettings
from kanwu.site.reach import icons

# Paths crawlers are asked to leave alone: the admin, and search results (each query a page).
ROBOTS_DISALLOW = ["/admin/", "/search/"]


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt: what crawlers may fetch, and where the sitemaps are (on the configured host)."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines += [
        f"Sitemap: {absolute_url(reverse(name), request)}" for name in ("sitemap", "sitemap-news")
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for whatever the page links: the site's icon."""
    return HttpResponseRedirect(icons(SiteSettings.for_request(request)).favicon)
