from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from wagtail.models import Page

from kanwu.articles.assembly import thumbnail_html
from kanwu.core.pages import url_for_path
from kanwu.core.text import cut

register = template.Library()


@register.filter
def excerpt(text: str, length: int) -> str:
    """Cut `text` to at most `length` characters, ending with “…” when cut."""
    return cut(text, int(length))


@register.simple_tag(takes_context=True)
def link_to(context: template.Context, page: Page) -> str:
    """The page's URL, as `{% pageurl %}` gives it, from its `url_path` (see url_for_path)."""
    return url_for_path(page.url_path, context.get("request"))


@register.simple_tag
def thumbnail(image_id: int | None, spec: str, alt: str) -> SafeString:
    """<img> of the `spec` rendition of image `image_id`, or "" (assembly.thumbnail_html)."""
    return thumbnail_html(image_id, spec, alt)
