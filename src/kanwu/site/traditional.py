"""繁體: every reader page also in traditional characters, at `/zh-hant/<its path>`.

The traditional page is the simplified page, converted. `TraditionalMiddleware` takes the
prefix off the request, lets the rest of the stack answer it exactly as it answers the
simplified address (the same queries, the same redirects and 404s, the same page-cache tags
recorded), then converts the HTML with OpenCC in the phrasing 站点设置 › 繁体字形 chooses. It
sits just inside `PageCacheMiddleware`, which keys the answer on the address the reader asked
for: so the converted page is stored under its own URL, with its source page's tags, and a
purge of the one is a purge of the other.

Only reader pages are converted: the admin, forms, JSON, files and what machines read (feeds,
sitemaps, robots.txt) are not, and are a 404 under the prefix.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponsePermanentRedirect
from django.http.response import HttpResponseBase

from kanwu.core.errors import page_not_found
from kanwu.site.models import SiteSettings
from kanwu.textanalysis import to_traditional

PREFIX = "/zh-hant"
REQUEST_FLAG = "kanwu_traditional"
# Paths that are not reader pages: never converted, never linked to under the prefix.
NOT_READER_PREFIXES = (
    "/admin/", "/comments/", "/search/", "/submit/", "/takedown/", "/_/", "/static/",
    "/media/", "/documents/", "/healthz", "/feed/", "/sitemap", "/robots.txt",
    "/favicon.ico", PREFIX + "/",
)  # fmt: skip
REDIRECTS = (301, 302, 303, 307, 308)

_ANCHOR = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_LOCAL_HREF = re.compile(r'(\shref=")(/(?!/)[^"]*)"', re.IGNORECASE)
# What the conversion must leave alone: the 简体/繁體 switch (a link with hreflang), addresses
# in attributes (a tag's path holds Chinese characters) and absolute addresses anywhere (the
# JSON-LD, OpenGraph).
_KEEP = re.compile(
    r"<a\b[^>]*\shreflang=\"[^\"]*\"[^>]*>.*?</a>"
    r"|\s(?:href|src|srcset|action)=\"[^\"]*\""
    r"|https?://[^\s\"'<>\\]*",
    re.IGNORECASE | re.DOTALL,
)
_KEPT = re.compile("\ue000([0-9]+)\ue001")
_HTML_LANG = re.compile(r'<html lang="[^"]*">')
_OG_LOCALE = re.compile(r'<meta property="og:locale" content="zh_CN">')
# OpenGraph's locale of each phrasing (s2t, the plain character set, reads as Taiwan's).
OG_LOCALES = {"s2twp": "zh_TW", "s2t": "zh_TW", "s2hk": "zh_HK"}


def _not_reader_prefixes() -> tuple[str, ...]:
    return (*NOT_READER_PREFIXES, settings.STATIC_URL or "/static/", settings.MEDIA_URL)


def is_reader_path(path: str) -> bool:
    """Whether `path` (simplified) is a reader page that has a traditional twin."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    return (
        path.startswith("/")
        and not path.startswith(_not_reader_prefixes())
        and not path.endswith("/feed/")  # a column's feed
    )


def is_traditional(request: HttpRequest) -> bool:
    return bool(getattr(request, REQUEST_FLAG, False))


def traditional_address(address: str) -> str:
    """The traditional twin of a simplified reader page's address (path and query)."""
    return PREFIX + address


def _prefix_links(html: str) -> str:
    """Links to reader pages lead to their traditional twins, so a reader stays in 繁體."""

    def anchor(match: re.Match[str]) -> str:
        tag = match.group(0)
        if "hreflang=" in tag.lower():
            return tag  # the switch, and any link that names its own language
        return _LOCAL_HREF.sub(
            lambda href: (
                f'{href.group(1)}{traditional_address(href.group(2))}"'
                if is_reader_path(href.group(2))
                else href.group(0)
            ),
            tag,
        )

    return _ANCHOR.sub(anchor, html)


def html_to_traditional(html: str, config: str) -> str:
    """A simplified reader page's HTML as its traditional twin: text converted, internal links
    prefixed, addresses untouched, `lang="zh-Hant"` and OpenGraph's locale of the phrasing."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\ue000{len(kept) - 1}\ue001"

    protected = _KEEP.sub(keep, _prefix_links(html))
    converted = to_traditional(protected, config)
    restored = _KEPT.sub(lambda match: kept[int(match.group(1))], converted)
    locale = OG_LOCALES.get(config, "zh_TW")
    restored = _OG_LOCALE.sub(f'<meta property="og:locale" content="{locale}">', restored, count=1)
    return _HTML_LANG.sub('<html lang="zh-Hant">', restored, count=1)


class TraditionalMiddleware:
    """Answers `/zh-hant/<path>` with the page at `<path>` in traditional characters. Just
    inside `PageCacheMiddleware`, outside everything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        if path == PREFIX:
            return HttpResponsePermanentRedirect(PREFIX + "/")
        if not path.startswith(PREFIX + "/"):
            return self.get_response(request)
        inner = path[len(PREFIX) :]
        if not is_reader_path(inner):
            return self.convert(request, page_not_found(request))
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        # Everything inside sees the simplified address (redirects, takedowns and old links
        # look it up); reach and the switch read the flag.
        request.path = request.path.removesuffix(path) + inner
        request.path_info = inner
        setattr(request, REQUEST_FLAG, True)
        return self.convert(request, self.get_response(request))

    def convert(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.status_code in REDIRECTS:
            location = response.get("Location", "")
            if location.startswith("/") and not location.startswith("//"):
                if is_reader_path(location):
                    response["Location"] = traditional_address(location)
            return response
        content_type = response.get("Content-Type", "")
        if response.streaming or not content_type.startswith("text/html"):
            # A feed, a file, JSON: nothing a reader reads as a page.
            return self.convert(request, page_not_found(request))
        config = SiteSettings.for_request(request).traditional_variant
        charset = getattr(response, "charset", None) or "utf-8"
        html = response.content.decode(charset, errors="replace")  # type: ignore[attr-defined]
        response.content = html_to_traditional(html, config).encode(charset)  # type: ignore[attr-defined]
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
        response["Content-Language"] = "zh-Hant"
        return response
