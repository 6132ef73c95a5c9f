"""Mail of both workflows: header values cleaned before a message is built, failures retried
with a growing delay a bounded number of times, the state shown to editors on the item."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings
from django_tasks import default_task_backend

from kanwu.casework.models import OutgoingMail
from kanwu.casework.tasks import MAX_ATTEMPTS, outgoing_mail_send, send_outgoing_mail
from kanwu.core.mail import header_clean
from kanwu.submissions.models import Submission
from kanwu.submissions.services import submission_create
from kanwu.takedowns.models import Takedown
from tests.submissions import mailbackends
from tests.submissions.helpers import spam_fields

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_backend_calls() -> None:
    mailbackends.CALLS["count"] = 0


@pytest.fixture
def editor_client(client: Client, django_user_model: type[User]) -> Client:
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.cn", "x"))
    return client


def send(title: str = "家乡的变化", **extra: Any) -> Submission:
    return submission_create(
        site=None, name="张三", email="zs@example.cn", phone="", title=title, body="正文",
        files=[], **extra,
    )  # fmt: skip


def item_page(client: Client, item: Submission | Takedown) -> str:
    kind = "submission_queue" if isinstance(item, Submission) else "takedown_queue"
    response = client.get(f"/admin/{kind}/edit/{item.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("标题\n第二行", "标题 第二行"),
        ("a\r\nBcc: victim@example.cn", "a Bcc: victim@example.cn"),
        ("制表\t符\x00与\x1b控制", "制表 符 与 控制"),
        ("行\u2028分隔\u2029段", "行 分隔 段"),
        ("孤立\ud800代理", "孤立 代理"),
        ("长" * 500, "长" * 200),
    ],
)
def test_header_values_are_one_line_without_control_characters(raw: str, clean: str) -> None:
    assert header_clean(raw) == clean


def test_a_title_with_a_newline_still_gets_its_receipt(
    client: Client, home: Any, editor_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    reader = Client()
    data = {
        "name": "张三", "email": "zs@example.cn", "phone": "", "title": "上行\n下行\rBcc: x@y.cn",
        "body": "正文", "consent": "on", **spam_fields(reader, "/submit/"),
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = reader.post("/submit/", data)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "投稿已收到：上行 下行 Bcc: x@y.cn"
    assert mail.outbox[0].to == ["zs@example.cn"]
    assert mail.outbox[0].bcc == []
    stored = OutgoingMail.objects.get()
    assert (stored.state, stored.attempts) == ("sent", 1)
    assert "已发送" in item_page(editor_client, Submission.objects.get())


@override_settings(EMAIL_BACKEND="tests.submissions.mailbackends.FailOnceBackend")
def test_a_receipt_that_fails_once_is_sent_on_the_retry(
    home: Any, editor_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item = send()
    assert len(mail.outbox) == 1
    stored = OutgoingMail.objects.get()
    assert (stored.state, stored.attempts) == ("sent", 2)
    assert "连接意外关闭" in stored.last_error  # why the first try failed is kept
    assert "已发送" in item_page(editor_client, item)


@override_settings(EMAIL_BACKEND="tests.submissions.mailbackends.AlwaysFailBackend")
def test_a_receipt_that_keeps_failing_gives_up_and_says_why(
    home: Any, editor_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item = send()
    assert mailbackends.CALLS["count"] == MAX_ATTEMPTS  # bounded
    stored = OutgoingMail.objects.get()
    assert (stored.state, stored.attempts) == ("failed", MAX_ATTEMPTS)
    page = item_page(editor_client, item)
    assert "发送失败：SMTPRecipientsRefused" in page
    assert "mailbox unavailable" in page


@override_settings(
    EMAIL_BACKEND="tests.submissions.mailbackends.FailOnceBackend",
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
)
def test_a_failed_try_is_enqueued_again_after_a_delay(
    home: Any, django_capture_on_commit_callbacks: Any
) -> None:
    backend: Any = default_task_backend
    backend.clear()

    def mail_tasks() -> list[Any]:
        return [r for r in backend.results if r.task.func is send_outgoing_mail.func]

    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            send()
        stored = OutgoingMail.objects.get()
        assert [(r.kwargs, r.task.run_after) for r in mail_tasks()] == [
            ({"mail_id": stored.pk}, None)
        ]
        assert outgoing_mail_send(mail_id=stored.pk) == "retrying"
    stored.refresh_from_db()
    assert stored.state == "retrying"
    assert stored.next_attempt_at == NOW + dt.timedelta(minutes=1)
    retry = mail_tasks()[-1]
    assert retry.kwargs == {"mail_id": stored.pk}
    assert retry.task.run_after == NOW + dt.timedelta(minutes=1)
    assert outgoing_mail_send(mail_id=stored.pk) == "sent"
    # Sent mail is never sent again (a second worker, a duplicated task).
    assert outgoing_mail_send(mail_id=stored.pk) == "sent"
    assert len(mail.outbox) == 1


def test_takedown_receipts_are_tracked_on_the_takedown_too(
    home: Any, editor_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from kanwu.takedowns.services import takedown_create

    with django_capture_on_commit_callbacks(execute=True):
        item = takedown_create(
            site=None, name="李四\n", organisation="", email="ls@example.cn", phone="",
            right="copyright", reason="理由", articles=[], files=[],
        )  # fmt: skip
    assert mail.outbox[0].subject == "侵权投诉已收到"
    assert "已发送" in item_page(editor_client, item)
