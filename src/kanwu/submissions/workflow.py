"""Steps both reader workflows share: assign, reply, close the clock. Callers hold the
transaction; each step writes its audit entry and queues its mail after commit."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kanwu.submissions.audit import audit_record
from kanwu.submissions.clock import fill_template, site_name
from kanwu.submissions.models import TrackedRequest
from kanwu.submissions.tasks import mail_after_commit


def tracked_assign(*, item: TrackedRequest, user: Any, assignee: Any) -> None:
    old = item.assignee.get_username() if item.assignee else "无"
    new = assignee.get_username() if assignee else "无"
    item.assignee = assignee
    item.reminded_at = None  # a new assignee gets their own reminder
    status = getattr(item, "status", "")
    if assignee and status == "received":
        item.status = "in_review"  # type: ignore[attr-defined]
    item.save(update_fields=["assignee", "reminded_at", "status"])
    audit_record(
        obj=item,
        action="assign",
        user=user,
        message=f"负责编辑：{old} → {new}",
        data={"assignee": assignee.pk if assignee else None, "status": item.status},  # type: ignore[attr-defined]
    )


# What answering an item changes: saved alone, so a stale copy never overwrites the rest.
ANSWER_FIELDS = ["status", "answered_at", "public_reply", "replied_at"]


def tracked_close(*, item: TrackedRequest, reply: str) -> None:
    """Stop the clock (if running) and record the answer the reader sees on the status page."""
    now = timezone.now()
    if item.answered_at is None:
        item.answered_at = now
    if reply:
        item.public_reply = reply
        item.replied_at = now


def tracked_reply(
    *,
    item: TrackedRequest,
    user: Any,
    subject: str,
    body: str,
    email: str,
    values: dict[str, str],
) -> None:
    """Answer the reader: shown on the status page, and mailed when they left an address.

    Placeholders of reply templates ({姓名} {标题} {查询码} {查询网址} {网站名称}) are filled
    from `values`.
    """
    subject = fill_template(subject, values)
    body = fill_template(body, values)
    tracked_close(item=item, reply=body)
    if item.status in TrackedRequest.OPEN_STATUSES:  # type: ignore[attr-defined]
        item.status = "replied"  # type: ignore[attr-defined]
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


def template_values(*, name: str, title: str, code: str, status_url: str) -> dict[str, str]:
    return {"姓名": name, "标题": title, "查询码": code, "查询网址": status_url,
            "网站名称": site_name()}  # fmt: skip
