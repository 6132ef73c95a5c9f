"""Mail about comments, sent by the task worker, never inside the reader's request."""

from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task

from kanwu.comments.models import Comment
from kanwu.core.mail import addresses_clean, body_clean, header_clean


def _article_url(comment: Comment) -> str:
    return str(comment.article.full_url or comment.article.url or "")


@task()
def notify_moderators(comment_id: int) -> int:
    """Tell the moderators listed in the comment settings that a comment waits for them."""
    from kanwu.comments.selectors import comment_settings_for

    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return 0
    recipients = comment_settings_for(comment.article).moderator_email_list
    if not recipients:
        return 0
    body = (
        f"文章《{comment.article.title}》有一条新评论等待审核。\n\n"
        f"昵称：{comment.author_name}\n邮箱：{comment.author_email}\n\n{comment.body}\n\n"
        f"文章地址：{_article_url(comment)}\n请到管理后台的“评论”中审核。"
    )
    return send_mail(
        header_clean(f"[待审核评论] {comment.article.title}"),
        body_clean(body),
        None,
        addresses_clean(list(recipients)),
    )


@task()
def notify_reply(comment_id: int) -> int:
    """Tell the parent commenter, if they asked for it, that someone replied to them."""
    comment = Comment.objects.select_related("article", "parent").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.APPROVED or comment.parent is None:
        return 0
    parent = comment.parent
    if not parent.notify_replies or parent.author_email.lower() == comment.author_email.lower():
        return 0
    body = (
        f"{parent.author_name}，您好：\n\n"
        f"{comment.author_name} 回复了您在《{comment.article.title}》下的评论：\n\n"
        f"{comment.body}\n\n查看：{_article_url(comment)}#comment-{comment.pk}"
    )
    return send_mail(
        header_clean(f"您在《{comment.article.title}》的评论有了新回复"),
        body_clean(body),
        None,
        addresses_clean([parent.author_email]),
    )
