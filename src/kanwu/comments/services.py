"""Writes to comments: readers' new comments, imported ones, and moderation.

`comment_create` is the readers' path: it refuses comments on closed articles, bad parents and
too-deep replies, runs the sensitive-word filter and applies the moderation policy. Spam checks
need the HTTP request and are done by the view before it calls this (see kanwu.antispam).
`comment_import` is the importers' path: the given status and date are kept, nothing is checked
but the parent's article, and no mail is sent.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from email.utils import parseaddr
from functools import partial

from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from kanwu.articles.models import ArticlePage
from kanwu.comments.models import (
    MAX_BODY_LENGTH,
    MAX_DEPTH,
    ArticleCommentState,
    Comment,
    CommentSettings,
)
from kanwu.comments.selectors import comment_settings_for, comments_open
from kanwu.comments.tasks import notify_moderators, notify_reply
from kanwu.publishing.invalidation import comments_changed
from kanwu.site.models import SiteSettings
from kanwu.wordfilter.services import check_text


class CommentRefused(Exception):
    """A comment that cannot be stored; `message` is for the reader, next to form `field`."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _check_parent(*, article: ArticlePage, parent: Comment | None) -> None:
    if parent is None:
        return
    if parent.article_id != article.pk or parent.status != Comment.Status.APPROVED:
        raise CommentRefused("回复的评论不存在或不属于这篇文章。", "comment_parent")
    if parent.depth >= MAX_DEPTH:
        raise CommentRefused(f"回复层级太深了（最多 {MAX_DEPTH} 层），请回复上一层评论。")


def _is_first_time(email: str) -> bool:
    return not Comment.objects.approved().filter(author_email__iexact=email).exists()


def _status_for(*, settings: CommentSettings, email: str, held_by_filter: bool) -> str:
    from kanwu.comments.models import ModerationPolicy

    if held_by_filter or settings.policy == ModerationPolicy.HOLD_ALL:
        return Comment.Status.PENDING
    if settings.policy == ModerationPolicy.HOLD_FIRST and _is_first_time(email):
        return Comment.Status.PENDING
    return Comment.Status.APPROVED


def comment_create(
    *,
    article: ArticlePage,
    parent: Comment | None,
    author_name: str,
    author_email: str,
    author_url: str = "",
    body: str,
    notify_replies: bool = False,
    ip_address: str | None = None,
    user_agent: str = "",
    status: str | None = None,
    created_at: datetime.datetime | None = None,
) -> Comment:
    """A reader's comment: checked, filtered and stored pending or approved by the policy."""
    if not comments_open(article):
        raise CommentRefused("这篇文章的评论已关闭。")
    _check_parent(article=article, parent=parent)
    filtered = {
        name: check_text(value) for name, value in (("author", author_name), ("comment", body))
    }
    for field, result in filtered.items():
        if result.action == "reject":
            raise CommentRefused("内容包含不允许发表的词语，请修改后再提交。", field)
    held = any(result.action == "hold" for result in filtered.values())
    duplicate = Comment.objects.filter(
        article=article, author_email__iexact=author_email, body=filtered["comment"].text
    ).exclude(status=Comment.Status.TRASH)
    if duplicate.exists():
        raise CommentRefused("您已经提交过相同的内容。", "comment")
    if status is None:
        status = _status_for(
            settings=comment_settings_for(article), email=author_email, held_by_filter=held
        )
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        author_name=filtered["author"].text,
        author_email=author_email,
        author_url=author_url,
        body=filtered["comment"].text,
        status=status,
        notify_replies=notify_replies,
        ip_address=ip_address,
        user_agent=user_agent[:255],
        created_at=created_at or timezone.now(),
    )
    if comment.status == Comment.Status.PENDING:
        transaction.on_commit(partial(notify_moderators.enqueue, comment.pk))
    elif comment.status == Comment.Status.APPROVED:
        _after_approval([comment])
    return comment


def comment_import(
    *,
    article: ArticlePage,
    parent: Comment | None,
    author_name: str,
    author_email: str,
    author_url: str = "",
    body: str,
    status: str = Comment.Status.APPROVED,
    created_at: datetime.datetime,
    ip_address: str | None = None,
    user_agent: str = "",
    notify_replies: bool = False,
) -> Comment:
    """A comment brought over from another system (e.g. WordPress), stored as it was.

    No spam or word checks, no moderation policy, no mail. The parent, when given, must be a
    comment of the same article.
    """
    if parent is not None and parent.article_id != article.pk:
        raise CommentRefused("回复的评论不属于这篇文章。", "comment_parent")
    if status not in Comment.Status.values:
        raise CommentRefused(f"未知的评论状态：{status}")
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        author_name=author_name[:50],
        author_email=author_email,
        author_url=author_url[:200],
        body=body,
        status=status,
        notify_replies=notify_replies,
        ip_address=ip_address or None,
        user_agent=user_agent[:255],
        created_at=created_at,
    )
    if status == Comment.Status.APPROVED:
        transaction.on_commit(partial(comments_changed, article.pk))
    return comment


def _after_approval(comments: Iterable[Comment]) -> None:
    """Purge the pages and tell parent commenters who asked, once the change is committed."""
    for article_id in sorted({c.article_id for c in comments}):
        transaction.on_commit(partial(comments_changed, article_id))
    for comment in comments:
        if comment.parent_id is not None:
            transaction.on_commit(partial(notify_reply.enqueue, comment.pk))


def comments_set_status(*, comments: Iterable[Comment], status: str) -> int:
    """Move comments to approved / pending / spam / trash; returns how many changed."""
    if status not in Comment.Status.values:
        raise CommentRefused(f"未知的评论状态：{status}")
    changed = [c for c in comments if c.status != status]
    if not changed:
        return 0
    with transaction.atomic():
        Comment.objects.filter(pk__in=[c.pk for c in changed]).update(status=status)
        was_public = [c for c in changed if c.status == Comment.Status.APPROVED]
        for comment in changed:
            comment.status = status
        if status == Comment.Status.APPROVED:
            _after_approval(changed)
        for article_id in sorted({c.article_id for c in was_public}):
            transaction.on_commit(partial(comments_changed, article_id))
    return len(changed)


def comment_approve(*, comment: Comment) -> Comment:
    comments_set_status(comments=[comment], status=Comment.Status.APPROVED)
    return comment


def comment_mark_spam(*, comment: Comment) -> Comment:
    comments_set_status(comments=[comment], status=Comment.Status.SPAM)
    return comment


def comment_trash(*, comment: Comment) -> Comment:
    comments_set_status(comments=[comment], status=Comment.Status.TRASH)
    return comment


def site_name_for(article: ArticlePage) -> str:
    """The name the site signs its replies with (站点设置 → 网站名称), at most a nickname long."""
    site = article.get_site() or Site.objects.filter(is_default_site=True).first()
    name = str(SiteSettings.for_site(site).site_name) if site else ""
    return (name or "本站")[: Comment._meta.get_field("author_name").max_length]


def comment_reply_as_site(*, parent: Comment, body: str, email: str = "") -> Comment:
    """An editor's reply from the admin: signed with the site's name and approved at once.

    Replying to a held comment approves it first (the reply would hang under nothing). A
    comment already at MAX_DEPTH gets the reply beside it, under its parent, addressed
    "回复 @name：". Goes through `comment_create`, so closed articles, the word filter and
    the page purge apply as they do to readers.
    """
    body = body.strip()
    if not body:
        raise CommentRefused("请填写回复内容。", "body")
    if len(body) > MAX_BODY_LENGTH:
        raise CommentRefused(f"回复内容最多 {MAX_BODY_LENGTH} 个字符。", "body")
    if parent.status not in (Comment.Status.APPROVED, Comment.Status.PENDING):
        raise CommentRefused("只能回复已批准或待审核的评论。")
    article = parent.article
    with transaction.atomic():
        if parent.status == Comment.Status.PENDING:
            comments_set_status(comments=[parent], status=Comment.Status.APPROVED)
        anchor = parent
        while anchor.depth >= MAX_DEPTH and anchor.parent is not None:
            anchor = anchor.parent
        if anchor.pk != parent.pk:
            body = f"回复 @{parent.author_name}：{body}"
        return comment_create(
            article=article,
            parent=anchor,
            author_name=site_name_for(article),
            author_email=email or parseaddr(django_settings.DEFAULT_FROM_EMAIL)[1],
            body=body,
            status=Comment.Status.APPROVED,
        )


def article_comments_set_closed(*, article: ArticlePage, closed: bool) -> ArticleCommentState:
    """Close or reopen an article's comments."""
    state, _ = ArticleCommentState.objects.update_or_create(
        article=article, defaults={"closed": closed}
    )
    transaction.on_commit(partial(comments_changed, article.pk))
    return state
