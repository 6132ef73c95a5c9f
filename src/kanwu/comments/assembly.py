"""The comment area under an article, read while the article page is assembled (the
`construct_article_context` hook, registered in wagtail_hooks.py): the comment state and the
approved thread, two queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token

from kanwu import antispam
from kanwu.comments.forms import FormState, spam_policy
from kanwu.comments.models import MAX_DEPTH, Comment, CommentSettings
from kanwu.comments.selectors import ThreadNode, approved_thread, comments_open
from kanwu.core.dependencies import comments_tag, shows
from kanwu.core.ids import parse_id
from kanwu.core.pages import url_for_path


def _count(nodes: list[ThreadNode]) -> int:
    return sum(1 + _count(node.children) for node in nodes)


def comment_area(page: Any, request: HttpRequest | None, context: dict[str, Any]) -> None:
    """Add `comment_area` to the article's context: the same for every reader, except with
    ?replytocom=ID (the no-JavaScript reply link): then the form sits under that comment and
    carries its tokens, as that URL is not the article's."""
    shows([comments_tag(page.pk)])
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
    context["comment_area"] = {
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
