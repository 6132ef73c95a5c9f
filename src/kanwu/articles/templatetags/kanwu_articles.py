from __future__ import annotations

from django import template
from django.utils.text import Truncator

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import related_articles
from kanwu.core.dependencies import shows_pages

register = template.Library()


@register.filter
def excerpt(text: str, length: int) -> str:
    """Cut `text` to at most `length` characters, ending with “…” when cut."""
    return Truncator(text).chars(int(length), truncate="…")


@register.simple_tag
def related_to(article: ArticlePage) -> list[ArticlePage]:
    """为您推荐 for `article`; the cached page then depends on each article it shows."""
    related = related_articles(article)
    shows_pages(item.pk for item in related)
    return related
