"""The reply-time promise as a clock: deadlines, the dashboard's lists and reminder mail.

Shared by contributions and takedown requests (both are `TrackedRequest`s).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from kanwu.casework.audit import audit_record
from kanwu.casework.models import TrackedRequest, WorkflowSettings
from kanwu.casework.tasks import mail_after_commit
from kanwu.site.models import DEFAULT_PROMISE, SiteSettings


def default_site() -> Site | None:
    return Site.objects.filter(is_default_site=True).select_related("root_page").first()


def workflow_settings(site: Site | None = None) -> WorkflowSettings:
    site = site or default_site()
    if site is None:
        return WorkflowSettings()
    return WorkflowSettings.for_site(site)


def promise_text(site: Site | None = None) -> str:
    """The promise the toolbar shows (站点设置 → 回复承诺)."""
    site = site or default_site()
    if site is None:
        return DEFAULT_PROMISE
    return str(SiteSettings.for_site(site).reply_promise or DEFAULT_PROMISE)


def site_name(site: Site | None = None) -> str:
    site = site or default_site()
    return str(SiteSettings.for_site(site).site_name) if site else "kanwu"


def deadline(received_at: dt.datetime, site: Site | None = None) -> dt.datetime:
    return received_at + dt.timedelta(hours=workflow_settings(site).reply_hours)


def public_url(path: str) -> str:
    """An absolute address on the public site, for mail."""
    site = default_site()
    return (site.root_url if site else "") + path


def admin_url(path: str) -> str:
    return str(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/") + path


def fill_template(text: str, values: dict[str, str]) -> str:
    """Replace the placeholders {姓名} {标题} {查询码} {查询网址} {网站名称}; leave the rest."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def remind_assignees(model: type[TrackedRequest], *, label: str, url_name: str) -> int:
    """Mail each assignee whose open item is due within WorkflowSettings.reminder_hours (or
    already overdue) and has not been reminded; each item is reminded once. Returns the count.
    """
    now = timezone.now()
    lead = dt.timedelta(hours=workflow_settings().reminder_hours)
    manager: Any = model._default_manager  # a TrackedQuerySet manager
    candidates = manager.open().filter(
        assignee__isnull=False, reminded_at__isnull=True, due_at__lt=now + lead
    )
    sent = 0
    for item in candidates.select_related("assignee"):
        with transaction.atomic():
            # Claiming the row first makes two workers (or two ticks) send only one mail.
            claimed = manager.filter(pk=item.pk, reminded_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            local_due = timezone.localtime(item.due_at)
            audit_record(
                obj=item, action="remind", message=f"已发提醒邮件给 {item.assignee.get_username()}"
            )
            mail_after_commit(
                subject=f"【提醒】{label}“{item}”须在 {local_due:%m-%d %H:%M} 前回复",
                body=(
                    f"{item.assignee.get_username()}，您好：\n\n"
                    f"您负责的{label}“{item}”的回复期限是 {local_due:%Y-%m-%d %H:%M}。"
                    f"\n请及时处理：{admin_url(reverse(url_name, args=[item.pk]))}\n"
                ),
                recipients=[item.assignee.email],
                about=item,
            )
        sent += 1
    return sent
