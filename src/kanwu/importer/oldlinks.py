"""A migrated site's old addresses: how they are stored as redirects, and answered first.

WordPress addresses like `/?p=503` land on the home page, which answers 200: Wagtail's
RedirectMiddleware looks redirects up only for a 404, so it never sees them. And a path
that starts with two slashes (`//greek/x/`, what WordPress writes when the site address ends
in a slash) is read by `urlparse`, and so by `Redirect.normalise_path`, as the host "greek".
`OldAddressMiddleware` answers both before any page does. It also answers a DedeCMS site's
addresses that carry more than the stored redirect: `/plus/view.php?aid=5&pageno=2` and
`/plus/list.php?tid=3&PageNo=4` (the stored `?aid=5` / `?tid=3`), and a column's list pages
`/a/news/list_3_4.html` (its `/plus/list.php?tid=3`). Neither kind of request is ever
stored by the page cache: a query it does not know makes a request uncacheable
(`publishing.pagecache.canonical_query`), and only a 200 is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.response import HttpResponseRedirect
from django.utils.encoding import iri_to_uri
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

# WordPress's plain links: a post, a page, a category, a tag, an attachment's page.
WORDPRESS_QUERY_KEYS = ("p", "page_id", "cat", "tag", "attachment_id")
WORDPRESS_ROOTS = {"/", "/index.php"}
_SLASHES = re.compile(r"/{2,}")
_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# DedeCMS's dynamic pages (the key that names the item), and its static list pages.
DEDECMS_SCRIPTS = {"/plus/view.php": "aid", "/plus/list.php": "tid"}
_DEDECMS_LIST_PAGE = re.compile(r"/list_(\d+)_\d+\.html$")


def old_path(url: str) -> str:
    """An old address as a redirect's `old_path`: its path and query, slashes runs as one."""
    if _ABSOLUTE.match(url):
        parts = urlsplit(url)
        path, query = parts.path, parts.query
    else:
        path, _, query = url.partition("#")[0].partition("?")
    path = _SLASHES.sub("/", path) or "/"
    return str(Redirect.normalise_path(f"{path}?{query}" if query else path))


def _wordpress_query(query: str) -> bool:
    return any(part.partition("=")[0] in WORDPRESS_QUERY_KEYS for part in query.split("&"))


def _dedecms_candidates(request: HttpRequest) -> list[str]:
    """The stored DedeCMS address a request for one of its dynamic or list pages means."""
    path = request.path
    if key := DEDECMS_SCRIPTS.get(path):
        value = request.GET.get(key, "").strip()
        return [old_path(f"{path}?{key}={value}")] if value.isdigit() else []
    if match := _DEDECMS_LIST_PAGE.search(path):
        return [old_path(f"/plus/list.php?tid={match.group(1)}")]
    return []


def old_address_redirect(request: HttpRequest) -> HttpResponse | None:
    """The 301 for a WordPress query link, a DedeCMS page or a double-slash path, or None."""
    path, query = request.path, request.META.get("QUERY_STRING", "")
    double = "//" in path
    dedecms = _dedecms_candidates(request)
    if not double and not dedecms and not (query and _wordpress_query(query)):
        return None
    candidates = [old_path(request.get_full_path()), *dedecms]
    if path in WORDPRESS_ROOTS:  # other paths' own `?p=` (Wagtail's admin pages) are theirs
        for key in WORDPRESS_QUERY_KEYS:
            if value := request.GET.get(key, "").strip():
                candidates.append(old_path(f"/?{key}={value}"))
    for candidate in dict.fromkeys(candidates):
        redirect = get_redirect(request, candidate)
        if redirect is not None and redirect.link:
            if redirect.is_permanent:
                return HttpResponsePermanentRedirect(redirect.link)
            return HttpResponseRedirect(redirect.link)
    if double:  # the same page, under its one address
        collapsed = iri_to_uri(_SLASHES.sub("/", path))
        return HttpResponsePermanentRedirect(f"{collapsed}?{query}" if query else collapsed)
    return None


class OldAddressMiddleware:
    """Answers a migrated site's old addresses before the page they would land on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"GET", "HEAD"} and (answer := old_address_redirect(request)):
            return answer
        return self.get_response(request)
