"""Steps both reader workflows share: receive, assign, reply, decide. Each step writes its
audit entry and queues its mail after commit; the workflow apps add what is theirs (the
draft article of an accepted contribution, the unpublishing of a takedown)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from kanwu.casework.audit import audit_record
from kanwu.casework.clock import deadline, fill_template, promise_text, public_url, site_name
from kanwu.casework.models import AttachmentBase, TrackedRequest
from kanwu.casework.tasks import mail_after_commit
from kanwu.uploads import CheckedFile, private_storage, store_private

# What answering an item changes: saved alone, so a stale copy never overwrites the rest.
ANSWER_FIELDS = ["status", "answered_at", "public_reply", "replied_at"]


def status_url(item: TrackedRequest) -> str:
    """The reader's status page of `item`, as an absolute address for mail."""
    return public_url(reverse(item.STATUS_URL_NAME) + f"?code={item.code}")


def tracked_create(
    *,
    model: type[TrackedRequest],
    site: Site | None,
    fields: dict[str, Any],
    files: list[CheckedFile],
    attachment: Callable[..., AttachmentBase],
    add_related: Callable[[Any], str],
    receipt_subject: str,
    receipt_template: str,
) -> Any:
    """Store an item with its (already checked) files, start its clock, log it and mail the
    receipt. `attachment(item=…, **file fields)` makes an attachment row; `add_related(item)`
    stores the rest and returns the audit message. Nothing stays behind when any part fails."""
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            item = model._default_manager.create(
                created_at=now, due_at=deadline(now, site), **fields
            )
            message = add_related(item)
            for checked in files:
                stored.append(store_private(checked, folder=model._meta.app_label))
                attachment(
                    item=item,
                    file=stored[-1],
                    original_name=checked.original_name,
                    content_type=checked.kind.content_type,
                    size=checked.size,
                ).save()
            audit_record(obj=item, action="create", message=message)
            context = {
                "item": item,
                "status_url": status_url(item),
                "promise": promise_text(site),
                "site_name": site_name(site),
            }
            mail_after_commit(
                subject=receipt_subject,
                body=render_to_string(receipt_template, context),
                recipients=[item.email],
                about=item,
            )
    except BaseException:
        for name in stored:
            private_storage.delete(name)
        raise
    return item


@transaction.atomic
def tracked_assign(*, item: TrackedRequest, user: Any, assignee: Any) -> None:
    old = item.assignee.get_username() if item.assignee else "无"
    new = assignee.get_username() if assignee else "无"
    item.assignee = assignee
    item.reminded_at = None  # a new assignee gets their own reminder
    if assignee and item.status == TrackedRequest.RECEIVED:
        item.status = TrackedRequest.IN_REVIEW
    item.save(update_fields=["assignee", "reminded_at", "status"])
    audit_record(
        obj=item,
        action="assign",
        user=user,
        message=f"负责编辑：{old} → {new}",
        data={"assignee": assignee.pk if assignee else None, "status": item.status},
    )


def tracked_close(*, item: TrackedRequest, reply: str) -> None:
    """Stop the clock (if running) and record the answer the reader sees on the status page."""
    now = timezone.now()
    if item.answered_at is None:
        item.answered_at = now
    if reply:
        item.public_reply = reply
        item.replied_at = now


@transaction.atomic
def tracked_reply(*, item: TrackedRequest, user: Any, subject: str, body: str) -> None:
    """Answer the reader: shown on the status page, and mailed when they left an address.

    Placeholders of reply templates ({姓名} {标题} {查询码} {查询网址} {网站名称}) are filled
    from the item.
    """
    email = item.email
    values = {"姓名": item.name, "标题": item.subject_title, "查询码": item.display_code,
              "查询网址": status_url(item), "网站名称": site_name()}  # fmt: skip
    subject = fill_template(subject, values)
    body = fill_template(body, values)
    tracked_close(item=item, reply=body)
    if item.status in TrackedRequest.OPEN_STATUSES:
        item.status = TrackedRequest.REPLIED
    item.save(update_fields=ANSWER_FIELDS)
    sent = f"邮件已发送至 {email}" if email else "对方未留邮箱，仅在查询页显示"
    audit_record(
        obj=item,
        action="reply",
        user=user,
        message=f"答复（{sent}）：{subject}",
        data={"subject": subject, "body": body, "to": email},
    )
    mail_after_commit(subject=subject, body=body, recipients=[email], about=item)


def tracked_decide(
    *,
    item: TrackedRequest,
    user: Any,
    status: str,
    reply: str,
    action: str,
    message: str,
    subject: str,
    body: str = "",
    data: dict[str, Any] | None = None,
    extra_fields: tuple[str, ...] = (),
) -> None:
    """Close `item` with `status` and tell the reader: `reply` is shown on the status page and
    mailed (in `body` when given, else in a plain letter with the status address)."""
    item.status = status
    tracked_close(item=item, reply=reply)
    item.save(update_fields=[*ANSWER_FIELDS, *extra_fields])
    audit_record(obj=item, action=action, user=user, message=message, data=data)
    mail_after_commit(
        subject=subject,
        body=body or f"{item.name}，您好：\n\n{reply}\n\n查询进度：{status_url(item)}\n",
        recipients=[item.email],
        about=item,
    )
