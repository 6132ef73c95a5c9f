"""Whole-page caching of anonymous GETs: what may be stored, under which key, in what form.

Used by the middleware (storing what Django rendered) and the WSGI fast path (answering from
the store before Django runs), so both agree on keys and eligibility.

The key is host + path + the query parameters a page really reads (`QUERY_KEYS`, in a
canonical form). Tracking parameters (`utm_*`, WeChat's `from`/`isappinstalled`, …) are left
out of the key, so a shared link is answered with the canonical page; any other parameter
makes the request uncacheable: answered by Django, never stored. The store therefore holds at
most one entry per real page, whatever readers put after the `?`.
"""

from __future__ import annotations

import gzip
import hashlib
from email.utils import formatdate
from typing import Any
from urllib.parse import unquote_plus

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from kanwu.publishing.backends import Entry, get_store

# Paths whose responses depend on the visitor or change on every request.
UNCACHED_PREFIXES = (
    "/admin/", "/comments/", "/search/", "/submit/", "/takedown/", "/_/", "/static/",
    "/media/", "/documents/", "/healthz",
)  # fmt: skip
EXPORT_FLAG = "kanwu.static_export"  # set in the WSGI environ by the static export
CACHEABLE_TYPES = ("text/html", "application/rss+xml", "application/xml", "application/atom+xml")
# Query parameters that change what a cached page shows, with the longest value kept.
QUERY_KEYS = {"page": 6}
# Parameters that only say where a reader came from: ignored for the lookup.
TRACKING_PREFIXES = ("utm_", "hmsr", "mtm_", "pk_")
TRACKING_PARAMS = frozenset(
    {
        "from", "isappinstalled", "spm", "fbclid", "gclid", "gclsrc", "dclid", "msclkid",
        "yclid", "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "wxfrom", "scene",
        "clicktime", "enterid", "share_token", "sharer_shareinfo", "sharer_shareinfo_first",
        "nsukey", "bd_vid", "ref", "ref_src", "ttclid", "twclid", "wx_header", "timestamp",
        "_ga", "_gl", "vd_source", "share_source", "share_medium", "tt_from",
    }
)  # fmt: skip
# Headers that describe this answer rather than the page: the fast path writes its own.
PER_ANSWER_HEADERS = frozenset(
    {
        "content-length", "etag", "last-modified", "vary", "cache-control", "set-cookie",
        "content-encoding", "x-kanwu-cache", "date", "expires", "age",
    }
)  # fmt: skip


def enabled() -> bool:
    return bool(settings.KANWU_PAGE_CACHE.get("ENABLED", True))


def canonical_query(query: str) -> str | None:
    """The part of `query` that makes a page different, in one spelling; None when the query
    holds anything else (the answer may differ in ways the key cannot tell)."""
    if not query:
        return ""
    kept: dict[str, str] = {}
    for part in query.split("&"):
        if not part:
            continue
        raw_name, _, raw_value = part.partition("=")
        name = unquote_plus(raw_name)
        if name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMS:
            continue
        longest = QUERY_KEYS.get(name)
        value = unquote_plus(raw_value)
        # One spelling per value: "page=2", never "page=02" or "page=2&page=2".
        if longest is None or name in kept or not _is_canonical_number(value, longest):
            return None
        kept[name] = value
    return "&".join(f"{name}={kept[name]}" for name in sorted(kept))


def _is_canonical_number(value: str, longest: int) -> bool:
    return 0 < len(value) <= longest and value.isascii() and value.isdigit() and value[0] != "0"


def cache_key(host: str, path: str, query: str) -> str | None:
    """The store key for a page request, or None when the request may not be cached.

    `host` must already be validated against ALLOWED_HOSTS.
    """
    canonical = canonical_query(query)
    if canonical is None:
        return None
    host = split_domain_port(host)[0]
    return f"{host}{path}?{canonical}" if canonical else f"{host}{path}"


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
    """The stored form of `response`; `tags` may be a `Recording` that says when what the
    page shows lapses."""
    body = response.content
    bodies = {
        "identity": body,
        "gzip": gzip.compress(body, compresslevel=6, mtime=0),
        "br": brotli.compress(body, quality=5),
    }
    # Every header the page was answered with (security headers included), so a hit is the
    # same answer as a miss in everything but the cache headers.
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in PER_ANSWER_HEADERS
    ]
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    expires_at = getattr(tags, "expires_at", None) or 0.0
    return Entry(
        200, headers, bodies, etag, formatdate(now, usegmt=True), sorted(tags), now, expires_at
    )


def purge(tags: list[str]) -> int:
    return get_store().purge(tags)


def clear() -> None:
    get_store().clear()


def options() -> dict[str, Any]:
    return dict(settings.KANWU_PAGE_CACHE)
