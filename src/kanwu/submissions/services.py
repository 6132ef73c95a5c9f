"""Writes of the contribution (投稿) workflow; receiving, assigning and replying are
kanwu.casework's."""

from __future__ import annotations

import io
import re
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

from kanwu.articles.models import ArticlePage
from kanwu.casework.workflow import tracked_create, tracked_decide
from kanwu.core import private
from kanwu.core.pages import unique_child_slug
from kanwu.submissions.models import Submission, SubmissionAttachment
from kanwu.uploads import CheckedFile

LIGHT_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "blockquote", "h2", "h3"}
BLOCK_START = re.compile(r"\s*<(?:p|ul|ol|blockquote|h2|h3)\b")


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
    fields = {"name": name, "email": email, "phone": phone, "title": title, "body": body,
              "consent_at": timezone.now(), "ip_address": ip_address,
              "flagged_words": flagged_words[:500]}  # fmt: skip
    submission: Submission = tracked_create(
        model=Submission,
        site=site,
        fields=fields,
        files=files,
        attachment=lambda item, **file: SubmissionAttachment(submission=item, **file),
        add_related=lambda item: f"收到投稿（{len(files)} 个附件）",
        receipt_subject=f"投稿已收到：{title}",
        receipt_template="submissions/email/receipt.txt",
    )
    return submission


def attachments_adopt(*, submission: Submission, user: Any) -> tuple[Any, str]:
    """The contribution's files as Wagtail images and documents: returns the cover (the first
    picture) and the HTML to append to the body (the other pictures, then links to the
    documents)."""
    images: list[Any] = []
    documents: list[Any] = []
    for attachment in submission.attachments.all():
        with attachment.file.open("rb") as handle:
            content = handle.read()
        title = attachment.original_name[:255]
        if attachment.content_type.startswith("image/"):
            image = get_image_model()(title=title, uploaded_by_user=user)
            image.file = ImageFile(io.BytesIO(content), name=attachment.original_name)
            private.set_image_metadata(image)
            image.save()
            images.append(image)
        else:
            document = get_document_model()(title=title, uploaded_by_user=user)
            document.file = ContentFile(content, name=attachment.original_name)
            document.save()
            documents.append(document)
    html = "".join(
        format_html('<embed alt="{}" embedtype="image" format="fullwidth" id="{}"/>', i.title, i.pk)
        for i in images[1:]
    )
    if documents:
        links = "、".join(
            format_html('<a id="{}" linktype="document">{}</a>', d.pk, d.title) for d in documents
        )
        html += f"<p>附件：{links}</p>"
    return (images[0] if images else None), html


@transaction.atomic
def submission_accept(
    *, submission: Submission, user: Any, column: Any, title: str = "", message: str = ""
) -> ArticlePage:
    """Make a draft article in `column` from the contribution (its author is the contributor,
    its pictures and documents come along) and tell the contributor."""
    if submission.article_id is not None:
        raise ValueError("这篇投稿已经采用过了。")
    if not column.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied("您没有在该栏目中新建文章的权限。")
    title = title or submission.title
    cover, files_html = attachments_adopt(submission=submission, user=user)
    article = ArticlePage(
        title=title,
        slug=unique_child_slug(column, title),
        author=submission.name,
        body=body_html(submission.body) + files_html,
        cover=cover,
        live=False,
        owner=user,
        published_at_auto=True,  # shown with the time an editor publishes it
    )
    column.add_child(instance=article)
    article.save_revision(user=user, log_action=True)
    submission.article = article
    tracked_decide(
        item=submission,
        user=user,
        status=Submission.Status.ACCEPTED,
        reply=message
        or f"您的投稿“{submission.title}”已被采用，编辑正在编排，发表后即可在本站看到。",
        action="accept",
        message=f"采用，已在栏目“{column.title}”中生成草稿文章“{article.title}”",
        data={"article": article.pk, "column": column.pk},
        subject=f"投稿已采用：{submission.title}",
        extra_fields=("article",),
    )
    return article


@transaction.atomic
def submission_decline(*, submission: Submission, user: Any, reason: str) -> Submission:
    if submission.status == Submission.Status.ACCEPTED:
        raise ValueError("已采用的投稿不能再拒绝。")
    tracked_decide(
        item=submission,
        user=user,
        status=Submission.Status.DECLINED,
        reply=reason,
        action="decline",
        message=f"未采用：{reason}",
        subject=f"投稿处理结果：{submission.title}",
        body=f"{submission.name}，您好：\n\n您的投稿“{submission.title}”未被采用。\n"
        f"原因：{reason}\n\n感谢您的支持。\n",
    )
    return submission
