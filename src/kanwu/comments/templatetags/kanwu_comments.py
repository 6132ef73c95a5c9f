"""Template tags for the comment area under articles, and the plain-text comment filter."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

URL_RE = re.compile(r"https?://[^\s<>\"'\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""


def _linkify(text: str) -> str:
    pieces: list[str] = []
    position = 0
    for match in URL_RE.finditer(text):
        url = match.group(0).rstrip(TRAILING)
        if len(url) <= len("https://"):
            continue
        pieces.append(escape(text[position : match.start()]))
        pieces.append(format_html('<a href="{}" rel="nofollow ugc noopener">{}</a>', url, url))
        position = match.start() + len(url)
    pieces.append(escape(text[position:]))
    return "".join(pieces)


@register.filter
def comment_text(text: str) -> SafeString:
    """Plain text as HTML: everything escaped, paragraphs and line breaks kept, URLs linked."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    html = "".join(f"<p>{_linkify(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return mark_safe(html)  # noqa: S308 (every piece was escaped or built by format_html)


@register.inclusion_tag("comments/area_body.html", takes_context=True)
def comment_area(context: template.Context) -> dict[str, Any]:
    """The comment list and form under an article, as the article page read them
    (comments.assembly)."""
    area: dict[str, Any] = context["comment_area"]
    return area
