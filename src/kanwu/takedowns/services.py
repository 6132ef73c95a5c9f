"""Writes of the takedown (侵权投诉) workflow. Taking down and restoring go through Wagtail's
unpublish and publish actions, so they are in each page's history, and Wagtail's signals tell
search and the page cache."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from kanwu.articles.models import ArticlePage
from kanwu.core.uploads import CheckedFile, private_storage, store_private
from kanwu.submissions.audit import audit_record
from kanwu.submissions.clock import deadline, promise_text, public_url, site_name
from kanwu.submissions.tasks import mail_after_commit
from kanwu.submissions.workflow import (
    ANSWER_FIELDS,
    template_values,
    tracked_assign,
    tracked_close,
    tracked_reply,
)
from kanwu.takedowns.models import Takedown, TakedownArticle, TakedownAttachment

DEFAULT_TAKEDOWN_REPLY = "经核实，您投诉的文章已从本站下架。感谢您的来信。"
DEFAULT_RESTORE_REPLY = "经复核，相关文章已恢复发布。"


def status_url(item: Takedown) -> str:
    return public_url(reverse("takedowns:status") + f"?code={item.code}")


def article_path(page: ArticlePage) -> str:
    """The path readers use for the article on its site ("/news/some-article/")."""
    parts = page.get_url_parts()
    return str(parts[2]) if parts else ""


def takedown_create(
    *,
    site: Site | None,
    name: str,
    organisation: str,
    email: str,
    phone: str,
    right: str,
    reason: str,
    articles: list[tuple[str, ArticlePage]],
    files: list[CheckedFile],
    ip_address: str | None = None,
    flagged_words: str = "",
) -> Takedown:
    """Store a request naming (url, article) pairs, start its clock, log it, mail a receipt."""
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            takedown = Takedown.objects.create(
                name=name,
                organisation=organisation,
                email=email,
                phone=phone,
                right=right,
                reason=reason,
                declared_at=now,
                created_at=now,
                due_at=deadline(now, site),
                ip_address=ip_address,
                flagged_words=flagged_words[:500],
            )
            for url, article in articles:
                TakedownArticle.objects.create(
                    takedown=takedown,
                    article=article,
                    url=url[:500],
                    title=article.title[:255],
                    path=article_path(article)[:500],
                )
            for checked in files:
                stored.append(store_private(checked, folder="takedowns"))
                TakedownAttachment.objects.create(
                    takedown=takedown,
                    file=stored[-1],
                    original_name=checked.original_name,
                    content_type=checked.kind.content_type,
                    size=checked.size,
                )
            audit_record(
                obj=takedown,
                action="create",
                message=f"收到侵权投诉（{len(articles)} 篇文章，{len(files)} 个证明材料）",
                data={"articles": [article.pk for _, article in articles]},
            )
            context = {
                "item": takedown,
                "status_url": status_url(takedown),
                "promise": promise_text(site),
                "site_name": site_name(site),
            }
            mail_after_commit(
                subject="侵权投诉已收到",
                body=render_to_string("takedowns/email/receipt.txt", context),
                recipients=[email],
                about=takedown,
            )
    except BaseException:
        for name_ in stored:
            private_storage.delete(name_)
        raise
    return takedown


@transaction.atomic
def takedown_assign(*, takedown: Takedown, user: Any, assignee: Any) -> Takedown:
    tracked_assign(item=takedown, user=user, assignee=assignee)
    return takedown


@transaction.atomic
def takedown_reply(*, takedown: Takedown, user: Any, subject: str, body: str) -> Takedown:
    titles = "、".join(article.title for article in takedown.articles.all())
    values = template_values(
        name=takedown.name, title=titles, code=takedown.code, status_url=status_url(takedown)
    )
    tracked_reply(
        item=takedown, user=user, subject=subject, body=body, email=takedown.email,
        values=values,
    )  # fmt: skip
    return takedown


@transaction.atomic
def takedown_execute(*, takedown: Takedown, user: Any, note: str = "") -> Takedown:
    """Take the named articles down: unpublish each through Wagtail (checking the user's
    permission), make its path answer 410 Gone, close the clock, log and tell the claimant."""
    if takedown.status == Takedown.Status.TAKEN_DOWN:
        raise ValueError("这些文章已经下架了。")
    items = [item for item in takedown.articles.select_related("article") if item.article]
    if not items:
        raise ValueError("投诉的文章已不存在，无需下架。")
    for item in items:
        page = item.article.specific if item.article else None
        if page is None:
            continue
        if page.live:
            item.path = article_path(page)[:500] or item.path
            page.unpublish(user=user)
        item.state = TakedownArticle.State.TAKEN_DOWN
        item.save()
    reply = note or DEFAULT_TAKEDOWN_REPLY
    takedown.status = Takedown.Status.TAKEN_DOWN
    tracked_close(item=takedown, reply=reply)
    takedown.save(update_fields=ANSWER_FIELDS)
    audit_record(
        obj=takedown,
        action="take_down",
        user=user,
        message="下架：" + "、".join(f"“{item.title}”（{item.path}）" for item in items),
        data={"articles": [item.article_id for item in items], "note": note},
    )
    mail_after_commit(
        subject="侵权投诉处理结果：相关文章已下架",
        body=f"{takedown.name}，您好：\n\n{reply}\n\n查询进度：{status_url(takedown)}\n",
        recipients=[takedown.email],
        about=takedown,
    )
    return takedown


@transaction.atomic
def takedown_restore(*, takedown: Takedown, user: Any, note: str = "") -> Takedown:
    """Undo a takedown: republish each article's latest revision through Wagtail; its path
    stops answering 410."""
    if takedown.status != Takedown.Status.TAKEN_DOWN:
        raise ValueError("只有已下架的投诉才能恢复。")
    items = list(
        takedown.articles.filter(state=TakedownArticle.State.TAKEN_DOWN).select_related("article")
    )
    for item in items:
        page = item.article.specific if item.article else None
        if page is not None and not page.live:
            revision = page.get_latest_revision() or page.save_revision(user=user)
            revision.publish(user=user)
        item.state = TakedownArticle.State.RESTORED
        item.save()
    takedown.status = Takedown.Status.RESTORED
    takedown.public_reply = note or DEFAULT_RESTORE_REPLY
    takedown.replied_at = timezone.now()
    takedown.save(update_fields=ANSWER_FIELDS)
    audit_record(
        obj=takedown,
        action="restore",
        user=user,
        message="恢复发布：" + "、".join(f"“{item.title}”" for item in items),
        data={"articles": [item.article_id for item in items], "note": note},
    )
    mail_after_commit(
        subject="侵权投诉处理进展：相关文章已恢复发布",
        body=f"{takedown.name}，您好：\n\n{takedown.public_reply}\n\n查询进度：{status_url(takedown)}\n",
        recipients=[takedown.email],
        about=takedown,
    )
    return takedown


@transaction.atomic
def takedown_decline(*, takedown: Takedown, user: Any, reason: str) -> Takedown:
    if takedown.status == Takedown.Status.TAKEN_DOWN:
        raise ValueError("文章已下架；如需撤销，请使用“恢复发布”。")
    takedown.status = Takedown.Status.DECLINED
    tracked_close(item=takedown, reply=reason)
    takedown.save(update_fields=ANSWER_FIELDS)
    audit_record(obj=takedown, action="decline", user=user, message=f"驳回：{reason}")
    mail_after_commit(
        subject="侵权投诉处理结果",
        body=f"{takedown.name}，您好：\n\n经核实，您的投诉未获支持。\n原因：{reason}\n\n"
        f"查询进度：{status_url(takedown)}\n",
        recipients=[takedown.email],
        about=takedown,
    )
    return takedown
