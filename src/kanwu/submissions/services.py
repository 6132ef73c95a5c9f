"""Writes of the contribution (投稿) workflow."""

from __future__ import annotations

import re
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from kanwu.articles.models import ArticlePage
from kanwu.core.pages import unique_child_slug
from kanwu.core.uploads import CheckedFile, private_storage, store_private
from kanwu.submissions.audit import audit_record
from kanwu.submissions.clock import deadline, promise_text, public_url, site_name
from kanwu.submissions.models import Submission, SubmissionAttachment
from kanwu.submissions.tasks import mail_after_commit
from kanwu.submissions.workflow import (
    ANSWER_FIELDS,
    template_values,
    tracked_assign,
    tracked_close,
    tracked_reply,
)

LIGHT_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "blockquote", "h2", "h3"}
BLOCK_START = re.compile(r"\s*<(?:p|ul|ol|blockquote|h2|h3)\b")


def status_url(item: Submission) -> str:
    return public_url(reverse("submissions:status") + f"?code={item.code}")


def body_html(text: str) -> str:
    """A contribution's text as article HTML: blank lines separate paragraphs, and a few
    formatting tags (bold, italic, lists, quotes, sub-headings) are kept; nothing else is."""
    cleaned = nh3.clean(text.replace("\r\n", "\n"), tags=LIGHT_TAGS, attributes={})
    blocks = [block.strip() for block in re.split(r"\n\s*\n", cleaned) if block.strip()]
    return "".join(
        block if BLOCK_START.match(block) else "<p>" + block.replace("\n", "<br/>") + "</p>"
        for block in blocks
    )


def submission_create(
    *,
    site: Site | None,
    name: str,
    email: str,
    phone: str,
    title: str,
    body: str,
    files: list[CheckedFile],
    ip_address: str | None = None,
    flagged_words: str = "",
) -> Submission:
    """Store a contribution with its (already checked) files, start its clock, log it and
    mail the receipt. Nothing stays behind when any part fails."""
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                name=name,
                email=email,
                phone=phone,
                title=title,
                body=body,
                consent_at=now,
                created_at=now,
                due_at=deadline(now, site),
                ip_address=ip_address,
                flagged_words=flagged_words[:500],
            )
            for checked in files:
                stored.append(store_private(checked, folder="submissions"))
                SubmissionAttachment.objects.create(
                    submission=submission,
                    file=stored[-1],
                    original_name=checked.original_name,
                    content_type=checked.kind.content_type,
                    size=checked.size,
                )
            audit_record(
                obj=submission,
                action="create",
                message=f"收到投稿（{len(files)} 个附件）",
                data={"attachments": len(files), "flagged_words": flagged_words},
            )
            context = {
                "item": submission,
                "status_url": status_url(submission),
                "promise": promise_text(site),
                "site_name": site_name(site),
            }
            mail_after_commit(
                subject=f"投稿已收到：{title}",
                body=render_to_string("submissions/email/receipt.txt", context),
                recipients=[email],
                about=submission,
            )
    except BaseException:
        for name_ in stored:
            private_storage.delete(name_)
        raise
    return submission


@transaction.atomic
def submission_assign(*, submission: Submission, user: Any, assignee: Any) -> Submission:
    tracked_assign(item=submission, user=user, assignee=assignee)
    return submission


@transaction.atomic
def submission_reply(*, submission: Submission, user: Any, subject: str, body: str) -> Submission:
    values = template_values(
        name=submission.name, title=submission.title, code=submission.code,
        status_url=status_url(submission),
    )  # fmt: skip
    tracked_reply(
        item=submission, user=user, subject=subject, body=body, email=submission.email,
        values=values,
    )  # fmt: skip
    return submission


@transaction.atomic
def submission_accept(
    *, submission: Submission, user: Any, column: Any, title: str = "", message: str = ""
) -> ArticlePage:
    """Make a draft article in `column` from the contribution (its author is the contributor)
    and tell the contributor."""
    if submission.article_id is not None:
        raise ValueError("这篇投稿已经采用过了。")
    if not column.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied("您没有在该栏目中新建文章的权限。")
    title = title or submission.title
    article = ArticlePage(
        title=title,
        slug=unique_child_slug(column, title),
        author=submission.name,
        body=body_html(submission.body),
        live=False,
        owner=user,
    )
    column.add_child(instance=article)
    article.save_revision(user=user, log_action=True)
    reply = message or f"您的投稿“{submission.title}”已被采用，编辑正在编排，发表后即可在本站看到。"
    submission.article = article
    submission.status = Submission.Status.ACCEPTED
    tracked_close(item=submission, reply=reply)
    submission.save(update_fields=[*ANSWER_FIELDS, "article"])
    audit_record(
        obj=submission,
        action="accept",
        user=user,
        message=f"采用，已在栏目“{column.title}”中生成草稿文章“{article.title}”",
        data={"article": article.pk, "column": column.pk},
    )
    mail_after_commit(
        subject=f"投稿已采用：{submission.title}",
        body=f"{submission.name}，您好：\n\n{reply}\n\n查询进度：{status_url(submission)}\n",
        recipients=[submission.email],
        about=submission,
    )
    return article


@transaction.atomic
def submission_decline(*, submission: Submission, user: Any, reason: str) -> Submission:
    if submission.status == Submission.Status.ACCEPTED:
        raise ValueError("已采用的投稿不能再拒绝。")
    submission.status = Submission.Status.DECLINED
    tracked_close(item=submission, reply=reason)
    submission.save(update_fields=ANSWER_FIELDS)
    audit_record(obj=submission, action="decline", user=user, message=f"未采用：{reason}")
    mail_after_commit(
        subject=f"投稿处理结果：{submission.title}",
        body=f"{submission.name}，您好：\n\n您的投稿“{submission.title}”未被采用。\n"
        f"原因：{reason}\n\n感谢您的支持。\n",
        recipients=[submission.email],
        about=submission,
    )
    return submission
