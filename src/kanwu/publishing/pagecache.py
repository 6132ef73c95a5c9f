"""Whole-page caching of anonymous GETs: what may be stored, under which key, in what form.

Used by the middleware (storing what Django rendered) and the WSGI fast path (answering from
the store before Django runs), so both agree on keys and eligibility.
"""

from __future__ import annotations

import gzip
import hashlib
from email.utils import formatdate
from typing import Any

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from kanwu.publishing.backends import Entry, get_store

# Paths whose responses depend on the visitor or change on every request.
UNCACHED_PREFIXES = (
    "/admin/", "/comments/", "/search/", "/submit/", "/takedown/", "/_/", "/static/",
    "/media/", "/documents/",
)  # fmt: skip
EXPORT_FLAG = "kanwu.static_export"  # set in the WSGI environ by the static export
CACHEABLE_TYPES = ("text/html", "application/rss+xml", "application/xml", "application/atom+xml")
STORED_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "X-Content-Type-Options")


def enabled() -> bool:
    return bool(settings.KANWU_PAGE_CACHE.get("ENABLED", True))


def cache_key(host: str, path: str, query: str) -> str:
    host = host.lower().split(":")[0] if host else ""
    return f"{host}{path}?{query}" if query else f"{host}{path}"


def path_is_cacheable(path: str) -> bool:
    return not path.startswith(UNCACHED_PREFIXES)


def request_key(request: HttpRequest) -> str | None:
    """The key for a request whose response may be cached, or None."""
    if request.method not in ("GET", "HEAD") or not enabled() or request.META.get(EXPORT_FLAG):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or not path_is_cacheable(request.path):
        return None
    return cache_key(request.get_host(), request.path, request.META.get("QUERY_STRING", ""))


def response_is_cacheable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(CACHEABLE_TYPES):
        return False
    vary = response.get("Vary", "").lower()
    control = response.get("Cache-Control", "").lower()
    return "cookie" not in vary and "private" not in control and "no-store" not in control


def make_entry(response: HttpResponse, tags: set[str], now: float) -> Entry:
    body = response.content
    bodies = {
        "identity": body,
        "gzip": gzip.compress(body, compresslevel=6, mtime=0),
        "br": brotli.compress(body, quality=5),
    }
    headers = [(name, response[name]) for name in STORED_HEADERS if response.has_header(name)]
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    return Entry(200, headers, bodies, etag, formatdate(now, usegmt=True), sorted(tags))


def store(key: str, response: HttpResponse, tags: set[str], now: float) -> None:
    get_store().set(key, make_entry(response, tags, now))


def purge(tags: list[str]) -> int:
    return get_store().purge(tags)


def clear() -> None:
    get_store().clear()


def options() -> dict[str, Any]:
    return dict(settings.KANWU_PAGE_CACHE)
