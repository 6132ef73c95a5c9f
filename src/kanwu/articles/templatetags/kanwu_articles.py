from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail.images import get_image_model
from wagtail.models import Page

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import TagLink, related_articles, tag_links
from kanwu.core import memo
from kanwu.core.dependencies import image_tag, shows, shows_pages
from kanwu.core.pages import url_for_path
from kanwu.core.text import cut

register = template.Library()


@register.filter
def excerpt(text: str, length: int) -> str:
    """Cut `text` to at most `length` characters, ending with “…” when cut."""
    return cut(text, int(length))


@register.simple_tag
def article_tags(article: ArticlePage) -> list[TagLink]:
    return tag_links(article)


@dataclass(frozen=True)
class RelatedItem:
    """One 为您推荐 entry, ready to show: the list is on every article page, so its values
    are worked out here rather than by a dozen template lookups per entry."""

    url: str
    title: str
    excerpt: str
    thumb: SafeString  # the cover's <img>, or "" without one


@register.simple_tag(takes_context=True)
def related_to(
    context: template.Context, article: ArticlePage, spec: str, excerpt_length: int
) -> list[RelatedItem]:
    """为您推荐 for `article`; the cached page then depends on each article it shows."""
    related = related_articles(article)
    shows_pages(item.pk for item in related)
    request = context.get("request")
    return [
        RelatedItem(
            url_for_path(item.url_path, request),
            item.title,
            cut(item.excerpt, int(excerpt_length)),
            thumbnail(item.cover_id, spec, item.title),
        )
        for item in related
    ]


@register.simple_tag(takes_context=True)
def link_to(context: template.Context, page: Page) -> str:
    """The page's URL, as `{% pageurl %}` gives it, from its `url_path` (see url_for_path)."""
    return url_for_path(page.url_path, context.get("request"))


@dataclass(frozen=True)
class Thumb:
    url: str
    width: int
    height: int


@register.simple_tag
def thumbnail(image_id: int | None, spec: str, alt: str) -> SafeString:
    """<img> of the `spec` rendition of image `image_id` (remembered per process: an image
    change makes every process look again), or an empty string if there is none."""
    if image_id is None:
        return SafeString("")
    shows([image_tag(image_id)])

    def find() -> Thumb | None:
        image = get_image_model().objects.filter(pk=image_id).first()
        if image is None:
            return None
        rendition = image.get_rendition(spec)
        return Thumb(rendition.url, rendition.width, rendition.height)

    thumb = memo.remembered(f"rendition:{image_id}:{spec}", find)
    if thumb is None:
        return SafeString("")
    return format_html(
        '<img alt="{}" height="{}" src="{}" width="{}">', alt, thumb.height, thumb.url, thumb.width
    )
