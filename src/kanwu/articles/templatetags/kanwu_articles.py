from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString
from wagtail.models import Page

from kanwu.articles.assembly import thumbnail_html
from kanwu.articles.lists import article_list_html
from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import latest_articles
from kanwu.core.pages import url_for_path
from kanwu.core.text import cut

register = template.Library()

# What the error pages (404, 410 内容已下架) offer a reader who followed a dead link.
LOST_READER_COUNT = 5


@register.filter
def excerpt(text: str, length: int) -> str:
    """Cut `text` to at most `length` characters, ending with “…” when cut."""
    return cut(text, int(length))


@register.simple_tag(takes_context=True)
def link_to(context: template.Context, page: Page) -> str:
    """The page's URL, as `{% pageurl %}` gives it, from its `url_path` (see url_for_path);
    an article's 跳转 URL when it was marked as holding that 推荐位 (selectors.mark_list_flags)."""
    return getattr(page, "list_jump", "") or url_for_path(page.url_path, context.get("request"))


@register.simple_tag(takes_context=True)
def article_list(context: template.Context, articles: Any) -> SafeString:
    """The list of a column or tag page (`lists.article_list_html`)."""
    return article_list_html(articles, context.get("request"))


@register.simple_tag
def thumbnail(image_id: int | None, spec: str, alt: str) -> SafeString:
    """<img> of the `spec` rendition of image `image_id`, or "" (assembly.thumbnail_html)."""
    return thumbnail_html(image_id, spec, alt)


@register.simple_tag
def latest_for_lost_readers() -> list[ArticlePage]:
    """The newest public articles, for the 404 and 410 pages (one query; neither answer is
    kept in the page cache, so no dependency tags are recorded)."""
    return latest_articles(LOST_READER_COUNT)
