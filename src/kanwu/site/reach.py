"""What search engines, feed readers and share cards read from a reader page: the canonical
address, the meta description, OpenGraph, JSON-LD and the site's icons.

Everything here comes from what the page already loaded (the page, its breadcrumb trail, the
site settings) or from `core.memo` (renditions), so it adds no query to a page view. Absolute
addresses are on the Wagtail site's root URL, which `site_apply_base_url` keeps equal to
KANWU_BASE_URL, never on the Host a reader sent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from kanwu.articles.assembly import Thumb, rendition
from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.core.memo import Crumb
from kanwu.core.pages import absolute_url
from kanwu.core.text import cut, plain_text
from kanwu.core.timeutil import iso_seconds
from kanwu.site.models import HomePage, SimplePage, SiteSettings
from kanwu.site.traditional import is_reader_path, is_traditional, traditional_address

DESCRIPTION_LENGTH = 120  # what search results show of a Chinese description
HEADLINE_LENGTH = 110  # Google's limit for a NewsArticle's headline
COVER_SPEC = "fill-640x400"  # the home lead's size: most covers have this rendition already
SHARE_SPEC = "fill-600x600"  # WeChat crops a shared link's picture square
FAVICON_SPEC = "fill-32x32|format-png"
TOUCH_ICON_SPEC = "fill-180x180|format-png"
DEFAULT_FAVICON = "kanwu/favicon-32.png"
DEFAULT_TOUCH_ICON = "kanwu/apple-touch-icon.png"

_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)
# In a <script> element only "</" (and "<!--") can end or confuse it: <, > and & are written as
# JSON escapes, as Django's json_script does, so the data stays valid JSON whatever a title holds.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class Icons:
    favicon: str
    touch_icon: str


@dataclass
class Reach:
    canonical: str
    title: str
    description: str
    og_type: str  # "article" or "website"
    image: Thumb | None = None
    published: str = ""
    modified: str = ""
    json_ld: list[dict[str, Any]] = field(default_factory=list)
    alternates: list[tuple[str, str]] = field(default_factory=list)

    @property
    def json_ld_html(self) -> SafeString:
        return SafeString("".join(str(json_ld_script(data)) for data in self.json_ld))


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """`<script type="application/ld+json">` holding `data`, safe for any text inside."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def page_address(request: HttpRequest) -> str:
    """This page's simplified address: its path, and the page number of a list beyond the
    first (each list page is a page of its own); tracking parameters dropped."""
    url = request.path
    number = request.GET.get("page", "")
    if number.isdigit() and int(number) > 1:
        url += f"?page={int(number)}"
    return url


def canonical_url(request: HttpRequest) -> str:
    """This page's own address on the configured host (a traditional page's is its
    `/zh-hant/` address)."""
    url = page_address(request)
    return absolute_url(traditional_address(url) if is_traditional(request) else url, request)


def alternates(request: HttpRequest) -> list[tuple[str, str]]:
    """`hreflang` → absolute address of this page in each script (x-default: simplified);
    none for what is not a reader page."""
    url = page_address(request)
    if not is_reader_path(url):
        return []
    simplified = absolute_url(url, request)
    return [
        ("zh-Hans", simplified),
        ("zh-Hant", absolute_url(traditional_address(url), request)),
        ("x-default", simplified),
    ]


def first_paragraph(rich_text: str) -> str:
    """The plain text of the first paragraph that has any, else of the whole text."""
    for match in _PARAGRAPH.finditer(rich_text):
        if text := plain_text(match.group(1)):
            return text
    return plain_text(rich_text)


def description_of(page: Page | None, settings: SiteSettings) -> str:
    """The meta description: what the editor wrote for search engines, else the summary
    (or a column's introduction), else the first paragraph of the body; plain text, cut."""
    if page is None:
        return settings.site_name
    text = page.search_description or ""
    if not text and isinstance(page, ArticlePage):
        text = page.summary or first_paragraph(page.body)
    elif not text and isinstance(page, ColumnPage):
        text = page.intro or f"{settings.site_name}“{page.title}”栏目的最新文章。"
    elif not text and isinstance(page, SimplePage):
        text = first_paragraph(page.body)
    return cut(" ".join(text.split()), DESCRIPTION_LENGTH) or settings.site_name


def share_image(settings: SiteSettings) -> Thumb | None:
    return rendition(settings.share_image_id, SHARE_SPEC)


def icons(settings: SiteSettings) -> Icons:
    """The site's favicon and touch icon: renditions of the one in the settings, else kanwu's."""
    favicon = rendition(settings.favicon_id, FAVICON_SPEC)
    touch = rendition(settings.favicon_id, TOUCH_ICON_SPEC)
    return Icons(
        favicon.url if favicon else static(DEFAULT_FAVICON),
        touch.url if touch else static(DEFAULT_TOUCH_ICON),
    )


def breadcrumb_list(
    request: HttpRequest, crumbs: list[Crumb], current: str, canonical: str
) -> dict[str, Any]:
    """schema.org's BreadcrumbList of the visible breadcrumb: 首页, the columns above, this
    page."""
    trail = [("首页", absolute_url("/", request))]
    trail += [(crumb.title, absolute_url(crumb.url, request)) for crumb in crumbs if crumb.url]
    trail.append((current, canonical))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def news_article(
    article: ArticlePage, reach: Reach, settings: SiteSettings, request: HttpRequest
) -> dict[str, Any]:
    publisher = {
        "@type": "Organization",
        "name": settings.site_name,
        "url": absolute_url("/", request),
    }
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": cut(article.title, HEADLINE_LENGTH),
        "description": reach.description,
        "datePublished": reach.published,
        "dateModified": reach.modified,
        "mainEntityOfPage": {"@type": "WebPage", "@id": reach.canonical},
        "author": ({"@type": "Person", "name": article.author} if article.author else publisher),
        "publisher": publisher,
    }
    if reach.image is not None:
        data["image"] = [absolute_url(reach.image.url, request)]
    return data


def reach_for(context: dict[str, Any]) -> Reach:
    """What the page in this template context tells search engines and share cards."""
    request: HttpRequest = context["request"]
    settings: SiteSettings = SiteSettings.for_request(request)
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    canonical = canonical_url(request)
    reach = Reach(
        canonical=canonical,
        title=page.title if page is not None else context.get("reach_title", settings.site_name),
        description=context.get("reach_description") or description_of(page, settings),
        og_type="website",
        alternates=alternates(request),
    )
    if isinstance(page, HomePage):
        reach.title = settings.site_name
    if isinstance(page, ArticlePage):
        reach.og_type = "article"
        reach.image = rendition(page.cover_id, COVER_SPEC)
        reach.published = iso_seconds(page.published_at)
        modified = page.last_published_at
        reach.modified = iso_seconds(
            modified if modified and modified > page.published_at else page.published_at
        )
    if reach.image is None and context.get("reach_image_id"):
        reach.image = rendition(context["reach_image_id"], COVER_SPEC)  # e.g. a 专题's banner
    if reach.image is None:
        reach.image = share_image(settings)
    crumbs = context.get("ancestors") or []
    if isinstance(page, ArticlePage):
        reach.json_ld.append(news_article(page, reach, settings, request))
        reach.json_ld.append(breadcrumb_list(request, crumbs, page.title, canonical))
    elif page is not None and not isinstance(page, HomePage):
        # Columns, 单页 and the page types of apps above this one (专题).
        reach.json_ld.append(breadcrumb_list(request, crumbs, page.title, canonical))
    elif page is None and "reach_title" in context:
        reach.json_ld.append(breadcrumb_list(request, [], context["reach_title"], canonical))
    return reach
