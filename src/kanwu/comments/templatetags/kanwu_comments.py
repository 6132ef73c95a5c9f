"""Template tags for the comment area under articles, and the plain-text comment filter."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from kanwu.comments.forms import FormState, spam_policy
from kanwu.comments.models import MAX_DEPTH, Comment, CommentSettings
from kanwu.comments.selectors import ThreadNode, approved_thread, comments_open
from kanwu.core import antispam
from kanwu.core.dependencies import comments_tag, shows
from kanwu.core.ids import parse_id
from kanwu.core.pages import url_for_path

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


def _count(nodes: list[ThreadNode]) -> int:
    return sum(1 + _count(node.children) for node in nodes)


@register.inclusion_tag("comments/area_body.html", takes_context=True)
def comment_area(context: template.Context) -> dict[str, Any]:
    """The comment list and form under an article.

    The same for every reader, except with ?replytocom=ID (the no-JavaScript reply link): then
    the form sits under that comment and carries its tokens, as that URL is not the article's.
    """
    page = context["page"]
    shows([comments_tag(page.pk)])
    request = context.get("request")
    settings = CommentSettings.for_request(request) if request is not None else None
    is_open = comments_open(page, settings)
    thread = approved_thread(page)
    reply_to: Comment | None = None
    tokens: dict[str, str] | None = None
    reply_id = parse_id(request.GET.get("replytocom", "")) if request is not None else None
    if request is not None and reply_id is not None and is_open:
        reply_to = Comment.objects.approved().filter(article=page, pk=reply_id).first()
        if reply_to is not None:
            tokens = antispam.form_fields(spam_policy(page))
            tokens["csrf"] = get_token(request)
    return {
        "page": page,
        "article_url": url_for_path(page.url_path, request),
        "thread": thread,
        "count": _count(thread),
        "form": FormState.blank(page.pk, reply_to.pk if reply_to else 0),
        "is_open": is_open,
        "reply_to": reply_to,
        "tokens": tokens,
        "max_depth": MAX_DEPTH,
    }
