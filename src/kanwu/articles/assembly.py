"""What the article page shows, read in one place (`ArticlePage.get_context` calls
`article_context`): the query budget and the cache dependencies of the page are here.

Uncached, an article costs one query to find it (`HomePage.route`), one for its tags, one for
its 为您推荐, and whatever the `construct_article_context` hooks add (comments: two); the
breadcrumb, settings and thumbnails come from `core.memo`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.images import get_image_model

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import related_articles, tag_links
from kanwu.core import memo
from kanwu.core.dependencies import image_tag, shows, shows_pages
from kanwu.core.pages import url_for_path

# Other apps add to the article page through this Wagtail hook: fn(page, request, context).
ARTICLE_CONTEXT_HOOK = "construct_article_context"
RELATED_SPEC = "fill-240x160"


@dataclass(frozen=True)
class RelatedItem:
    """One 为您推荐 entry, ready to show: the list is on every article page, so its values
    are worked out here rather than by a dozen template lookups per entry."""

    url: str
    title: str
    excerpt: str
    thumb: SafeString  # the cover's <img>, or "" without one


@dataclass(frozen=True)
class Thumb:
    url: str
    width: int
    height: int


def rendition(image_id: int | None, spec: str) -> Thumb | None:
    """The `spec` rendition of image `image_id` (remembered per process: an image change
    makes every process look again); the page being rendered then depends on the image."""
    if image_id is None:
        return None
    shows([image_tag(image_id)])

    def find() -> Thumb | None:
        image = get_image_model().objects.filter(pk=image_id).first()
        if image is None:
            return None
        made = image.get_rendition(spec)
        return Thumb(made.url, made.width, made.height)

    return memo.remembered(f"rendition:{image_id}:{spec}", find)


def renditions_prefetch(image_ids: Iterable[int | None], spec: str) -> None:
    """Make `rendition(id, spec)` answer from memory for every one of `image_ids`: those not
    remembered yet are read in two queries (images, their renditions), however many."""
    wanted = {pk for pk in image_ids if pk is not None}
    missing = [pk for pk in wanted if not memo.is_remembered(f"rendition:{pk}:{spec}")]
    if not missing:
        return
    for image in get_image_model().objects.filter(pk__in=missing).prefetch_renditions(spec):
        made = image.get_rendition(spec)
        memo.remembered(
            f"rendition:{image.pk}:{spec}", partial(Thumb, made.url, made.width, made.height)
        )


def thumbnail_html(image_id: int | None, spec: str, alt: str) -> SafeString:
    """<img> of the `spec` rendition of image `image_id`, or an empty string if there is
    none."""
    thumb = rendition(image_id, spec)
    if thumb is None:
        return SafeString("")
    return format_html(
        '<img alt="{}" height="{}" src="{}" width="{}">', alt, thumb.height, thumb.url, thumb.width
    )


def related_items(article: ArticlePage, request: HttpRequest | None) -> list[RelatedItem]:
    """为您推荐 for `article`; the cached page then depends on each article it shows."""
    related = related_articles(article)
    shows_pages(item.pk for item in related)
    return [
        RelatedItem(
            url_for_path(item.url_path, request),
            item.title,
            item.excerpt,
            thumbnail_html(item.cover_id, RELATED_SPEC, item.title),
        )
        for item in related
    ]


def article_context(
    article: ArticlePage, request: HttpRequest | None, context: dict[str, Any]
) -> dict[str, Any]:
    """Add what the article page shows to `context`."""
    context["ancestors"] = memo.trail(article)
    context["tags"] = tag_links(article)
    context["related"] = related_items(article, request)
    for hook in hooks.get_hooks(ARTICLE_CONTEXT_HOOK):
        hook(article, request, context)
    return context
