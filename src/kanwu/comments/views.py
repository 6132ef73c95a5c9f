"""Readers' comment endpoints: posting, the per-reader state for cached pages, CSRF failures."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from kanwu import antispam
from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.comments.forms import CommentForm, FormState, spam_policy
from kanwu.comments.models import MAX_DEPTH, Comment
from kanwu.comments.selectors import commenter_pending, comments_open
from kanwu.comments.services import CommentRefused, comment_create
from kanwu.core.ids import parse_id
from kanwu.core.proxies import client_ip

logger = logging.getLogger(__name__)

COMMENTER_COOKIE = "kanwu_commenter"
COMMENTER_SALT = "kanwu.comments.commenter"
COMMENTER_MAX_AGE = 30 * 24 * 3600
COMMENTER_MAX_IDS = 20
# A comment form is a few kilobytes; anything far bigger is refused before it is parsed.
MAX_POST_BYTES = 64 * 1024


def commenter_ids(request: HttpRequest) -> list[int]:
    """The ids of the comments this browser posted, from its signed cookie."""
    try:
        raw = request.get_signed_cookie(
            COMMENTER_COOKIE, default="", salt=COMMENTER_SALT, max_age=COMMENTER_MAX_AGE
        )
    except signing.BadSignature:
        return []
    ids = [parse_id(part) for part in str(raw).split(".")]
    return [pk for pk in ids if pk is not None][-COMMENTER_MAX_IDS:]


def _article_or_none(raw: object) -> ArticlePage | None:
    article_id = parse_id(raw)
    if article_id is None:
        return None
    return public_articles().filter(pk=article_id).first()


def _parent_or_none(article: ArticlePage, raw: object) -> Comment | None:
    parent_id = parse_id(raw)
    if parent_id is None:
        return None
    return Comment.objects.approved().filter(article=article, pk=parent_id).first()


def render_form_page(
    request: HttpRequest,
    *,
    article: ArticlePage,
    form: CommentForm,
    parent: Comment | None = None,
    status: int = 200,
    message: str = "",
) -> HttpResponse:
    """The form on a page of its own, with fresh tokens: for errors and for readers without JS."""
    context = {
        "page": article,
        "article": article,
        "article_url": article.get_url(request),
        "form": FormState.of(form),
        "reply_to": parent,
        "message": message,
        "tokens": {
            **antispam.form_fields(spam_policy(article)),
            "csrf": get_token(request),
        },
        "is_open": comments_open(article),
    }
    body = render_to_string("comments/form_page.html", context, request=request)
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _not_utf8(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        try:
            parse_qsl(request.body.decode("utf-8"), encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            return True
        return False
    return any("\ufffd" in value for value in request.POST.values())


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    body = render_to_string(
        "comments/error.html", {"title": title, "message": message}, request=request
    )
    return HttpResponse(body, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def comment_post(request: HttpRequest) -> HttpResponse:
    """POST: store a comment (then redirect back); GET: the form alone, for readers without JS.

    CSRF is checked inside, after the size check, so a huge body is refused before it is read.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_POST_BYTES:
        return _error_page(request, 413, "提交的内容太大", "提交的内容太大了，评论最多 2000 字。")
    return _comment_post_checked(request)


@csrf_protect
def _comment_post_checked(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_for_get(request)
    if _not_utf8(request):
        return _error_page(
            request, 400, "编码错误", "提交的内容不是有效的 UTF-8 编码，请重新输入。"
        )
    article = _article_or_none(request.POST.get("comment_post_ID", ""))
    if article is None:
        return _error_page(request, 404, "文章不存在", "要评论的文章不存在或已删除。")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render_form_page(request, article=article, form=form, status=400)
    data = form.cleaned_data
    parent = None
    if data.get("comment_parent"):
        parent = Comment.objects.filter(pk=data["comment_parent"]).first()
        if parent is None:
            form.add_error("comment_parent", "回复的评论不存在或不属于这篇文章。")
            return render_form_page(request, article=article, form=form, status=400)
    policy = spam_policy(article)
    ip = client_ip(request)
    try:
        antispam.check(policy, data=request.POST, ip=ip, email=data["email"], text=data["comment"])
    except antispam.SpamRefused as refusal:
        logger.info("comment refused (%s) from %s", refusal.code, ip)
        form.add_error(refusal.field, refusal.message)
        status = 429 if refusal.code.startswith("rate") else 400
        return render_form_page(request, article=article, form=form, parent=parent, status=status)
    try:
        comment = comment_create(
            article=article,
            parent=parent,
            author_name=data["author"],
            author_email=data["email"],
            author_url=data["url"],
            body=data["comment"],
            notify_replies=data["notify_replies"],
            ip_address=ip,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except CommentRefused as refusal:
        form.add_error(refusal.field, refusal.message)
        return render_form_page(request, article=article, form=form, parent=parent, status=400)
    antispam.record(policy, ip=ip, email=data["email"], text=data["comment"])
    response = HttpResponseRedirect(f"{article.url}#comment-{comment.pk}", status=303)
    ids = [*commenter_ids(request), comment.pk][-COMMENTER_MAX_IDS:]
    response.set_signed_cookie(
        COMMENTER_COOKIE,
        ".".join(map(str, ids)),
        salt=COMMENTER_SALT,
        max_age=COMMENTER_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def _form_for_get(request: HttpRequest) -> HttpResponse:
    article = _article_or_none(request.GET.get("article", ""))
    if article is None:
        return _error_page(request, 404, "文章不存在", "要评论的文章不存在或已删除。")
    parent = None
    if request.GET.get("replytocom"):
        parent = _parent_or_none(article, request.GET["replytocom"])
    initial = {"comment_post_ID": article.pk, "comment_parent": parent.pk if parent else 0}
    return render_form_page(
        request, article=article, form=CommentForm(initial=initial), parent=parent
    )


@never_cache
@require_GET
def comment_state(request: HttpRequest) -> JsonResponse:
    """What is personal on an article page: tokens for the form and this reader's held comments.

    The article page itself is the same for everyone (and cached); comments.js fetches this.
    """
    article = _article_or_none(request.GET.get("article", ""))
    if article is None:
        return JsonResponse({"error": "文章不存在。"}, status=404)
    pending = [
        {
            "id": comment.pk,
            "parent": comment.parent_id,
            "html": render_to_string(
                "comments/comment.html",
                {"comment": comment, "pending": True, "depth": 1, "can_reply": False},
            ),
        }
        for comment in commenter_pending(article.pk, commenter_ids(request))
    ]
    data: dict[str, Any] = {
        "open": comments_open(article),
        "csrf": get_token(request),
        "fields": antispam.form_fields(spam_policy(article)),
        "pending": pending,
        "max_depth": MAX_DEPTH,
    }
    response = JsonResponse(data)
    response["Cache-Control"] = "private, no-store"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a 403 in Chinese; a comment form comes back with what was typed."""
    message = "安全校验失败：页面可能已过期或浏览器禁用了 Cookie。请刷新页面后重新提交。"
    if request.method == "POST" and request.path == reverse("comments:post"):
        article = _article_or_none(request.POST.get("comment_post_ID", ""))
        if article is not None:
            form = CommentForm(request.POST)
            form.is_valid()
            return render_form_page(
                request, article=article, form=form, status=403, message=message
            )
    return _error_page(request, 403, "安全校验失败", message)
