"""The reply clock: reminder mail to the assignee before the deadline, sent once; the
append-only audit log, visible to administrators only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.test import Client
from django.utils import timezone

from kanwu.casework.models import AuditEntry
from kanwu.casework.workflow import tracked_assign
from kanwu.serving.scheduler import scheduler_tick
from kanwu.submissions.jobs import remind_submissions
from kanwu.submissions.models import Submission
from kanwu.submissions.services import submission_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_superuser("editor", "editor@example.cn", "pw-123456")


def make(title: str, due_in_hours: float, assignee: User | None = None) -> Submission:
    item = submission_create(
        site=None, name="张三", email="zs@example.cn", phone="", title=title, body="b", files=[]
    )
    if assignee:
        tracked_assign(item=item, user=assignee, assignee=assignee)
    Submission.objects.filter(pk=item.pk).update(
        due_at=timezone.now() + dt.timedelta(hours=due_in_hours)
    )
    return item


def test_reminder_goes_to_the_assignee_once_before_the_deadline(
    editor: User, home: Any, django_capture_on_commit_callbacks: Any
) -> None:
    due_soon = make("快到期", 3, editor)
    make("还早", 10, editor)
    make("无人负责", 1)
    answered = make("已答复", 1, editor)
    Submission.objects.filter(pk=answered.pk).update(answered_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_submissions() == 1
    assert len(mail.outbox) == 1
    reminder = mail.outbox[0]
    assert reminder.to == ["editor@example.cn"]
    assert "快到期" in reminder.subject
    assert f"/admin/submission_queue/edit/{due_soon.pk}/" in reminder.body
    assert AuditEntry.objects.filter(action="remind", object_id=str(due_soon.pk)).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_submissions() == 0
    assert len(mail.outbox) == 1


def test_reminders_run_from_the_scheduler(
    editor: User, home: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert "kanwu.submissions.jobs.remind_submissions" in django_settings.KANWU_PERIODIC_JOBS
    assert "kanwu.takedowns.jobs.remind_takedowns" in django_settings.KANWU_PERIODIC_JOBS
    make("已逾期", -1, editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler_tick()
    assert [m.subject[:4] for m in mail.outbox] == ["【提醒】"]


def test_a_new_assignee_gets_their_own_reminder(
    editor: User, home: Any, django_user_model: type[User],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    item = make("换人", 2, editor)
    with django_capture_on_commit_callbacks(execute=True):
        remind_submissions()
    other = django_user_model.objects.create_superuser("other", "other@example.cn", "pw-123456")
    tracked_assign(item=item, user=editor, assignee=other)
    with django_capture_on_commit_callbacks(execute=True):
        remind_submissions()
    assert [m.to for m in mail.outbox] == [["editor@example.cn"], ["other@example.cn"]]


def test_audit_log_is_append_only(home: Any) -> None:
    make("稿件", 5)
    entry = AuditEntry.objects.get()
    entry.message = "改写历史"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(message="改写历史")
    assert AuditEntry.objects.get().message != "改写历史"


def test_audit_log_is_for_administrators_only(
    client: Client, editor: User, home: Any, django_user_model: type[User]
) -> None:
    make("审计用稿件", 5)
    client.force_login(editor)
    response = client.get("/admin/audit_log/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "审计用稿件" in page and "收到投稿" in page
    assert "/admin/audit_log/" in client.get("/admin/").content.decode()  # in the 报告 menu
    assert client.get("/admin/audit_log/edit/1/").status_code == 404
    assert client.get("/admin/audit_log/delete/1/").status_code == 404

    plain = django_user_model.objects.create_user("plain", "p@example.cn", "pw-123456")
    plain.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_submission"),
    )
    client.force_login(plain)
    assert "/admin/audit_log/" not in client.get("/admin/").content.decode()
    response = client.get("/admin/audit_log/")
    assert response.status_code == 302
    assert "审计用稿件" not in client.get("/admin/audit_log/", follow=True).content.decode()
