"""Reads of comments: the approved thread under an article, whether comments are open."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from wagtail.models import Site

from kanwu.articles.models import ArticlePage
from kanwu.comments.models import ArticleCommentState, Comment, CommentSettings
from kanwu.core import rows

# Table names come from the models' meta, values always travel as parameters.
_CLOSED_SQL = f"SELECT 1 FROM {ArticleCommentState._meta.db_table} WHERE article_id = %s AND closed"  # noqa: S608
_APPROVED_SQL = f"FROM {Comment._meta.db_table} WHERE article_id = %s AND status = %s"


@dataclass
class ThreadNode:
    comment: Comment
    depth: int
    children: list[ThreadNode] = field(default_factory=list)


def comment_settings_for(article: ArticlePage) -> CommentSettings:
    site = article.get_site() or Site.objects.get(is_default_site=True)
    return CommentSettings.for_site(site)


def comments_open(article: ArticlePage, settings: CommentSettings | None = None) -> bool:
    """False when the article's comments were closed, or it is older than the settings allow."""
    with connection.cursor() as cursor:  # read under every article: a plain query
        cursor.execute(_CLOSED_SQL, [article.pk])
        if cursor.fetchone() is not None:
            return False
    settings = settings or comment_settings_for(article)
    if settings.close_after_days:
        limit = datetime.timedelta(days=settings.close_after_days)
        if timezone.now() - article.published_at > limit:
            return False
    return True


def build_thread(comments: Iterable[Comment]) -> list[ThreadNode]:
    """Top-level comments oldest first, each with its replies nested (oldest first too).

    Replies whose parent is not in `comments` (held, spam, deleted) are left out, as their
    context is not shown.
    """
    rows = sorted(comments, key=lambda c: (c.created_at, c.pk))
    nodes = {c.pk: ThreadNode(c, 1) for c in rows}
    roots: list[ThreadNode] = []
    for comment in rows:
        node = nodes[comment.pk]
        if comment.parent_id is None:
            roots.append(node)
        elif comment.parent_id in nodes:
            nodes[comment.parent_id].children.append(node)

    def set_depth(items: list[ThreadNode], depth: int) -> None:
        for item in items:
            item.depth = depth
            set_depth(item.children, depth + 1)

    set_depth(roots, 1)
    return roots


def approved_thread(article: ArticlePage) -> list[ThreadNode]:
    return build_thread(
        rows.instances(Comment, _APPROVED_SQL, [article.pk, Comment.Status.APPROVED])
    )


def approved_count(article: ArticlePage) -> int:
    return Comment.objects.approved().filter(article=article).count()


def commenter_pending(article_id: int, comment_ids: Iterable[int]) -> list[Comment]:
    """The held comments, among those this reader posted (ids from their signed cookie)."""
    return list(
        Comment.objects.pending()
        .filter(article_id=article_id, pk__in=list(comment_ids)[:50])
        .order_by("created_at", "pk")
    )


def pending_count() -> int:
    return Comment.objects.pending().count()
