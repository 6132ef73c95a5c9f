"""Reads of the takedown workflow."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.http import HttpRequest
from wagtail.models import Site

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.takedowns.models import Takedown, TakedownArticle


def takedown_by_code(code: str) -> Takedown | None:
    return Takedown.objects.filter(code=code).first()


def is_taken_down(path: str) -> bool:
    """Whether `path` was a public article that is now taken down (it answers 410)."""
    stripped = path.rstrip("/")
    candidates = {path, stripped + "/", stripped}
    return TakedownArticle.objects.filter(
        path__in=candidates, state=TakedownArticle.State.TAKEN_DOWN
    ).exists()


def site_hosts(request: HttpRequest) -> set[str]:
    """Host names that are this site: the request's own and every Wagtail site's."""
    hosts = {request.get_host().split(":")[0].lower()}
    hosts.update(hostname.lower() for hostname in Site.objects.values_list("hostname", flat=True))
    return hosts


def article_for_url(request: HttpRequest, url: str) -> ArticlePage | None:
    """The published article of this site that `url` (absolute or a path) points to."""
    try:
        parts = urlsplit(url.strip())
        hostname = parts.hostname
    except ValueError:  # "http://[": not a URL at all
        return None
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and (hostname or "").lower() not in site_hosts(request):
        return None
    if not parts.netloc and not parts.path.startswith("/"):
        return None
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    path = unquote(parts.path).strip("/")
    url_path = site.root_page.url_path + (path + "/" if path else "")
    found: ArticlePage | None = public_articles().filter(url_path=url_path).first()
    return found
