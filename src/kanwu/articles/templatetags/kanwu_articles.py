from __future__ import annotations

from django import template
from django.utils.text import Truncator

register = template.Library()


@register.filter
def excerpt(text: str, length: int) -> str:
    """Cut `text` to at most `length` characters, ending with “…” when cut."""
    return Truncator(text).chars(int(length), truncate="…")
