"""The public contribution form, its receipt and the status page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kanwu.casework.models import AuditEntry
from kanwu.site.models import SiteSettings
from kanwu.submissions.models import Submission, SubmissionAttachment
from tests.submissions.helpers import errors_of, png_upload, spam_fields

pytestmark = pytest.mark.django_db

URL = "/submit/"


def valid_data(client: Client, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "张三",
        "email": "zhangsan@example.cn",
        "phone": "",
        "title": "家乡的变化",
        "body": "第一段。\n\n第二段，<b>加粗</b>。",
        "consent": "on",
        **spam_fields(client, URL),
    }
    data.update(overrides)
    return data


def test_form_shows_fields_and_the_promise(client: Client, site_settings: SiteSettings) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for label in ["姓名", "电子邮箱", "电话", "标题", "正文", "附件", "同意本站编辑"]:
        assert label in page
    assert site_settings.reply_promise in page
    assert 'enctype="multipart/form-data"' in page
    assert "no-store" in response["Cache-Control"]


def test_contribution_with_attachment_gets_receipt_mail_and_status(
    client: Client, site_settings: SiteSettings, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_data(client, attachments=[png_upload()]))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert response["Location"] == f"/submit/received/?code={submission.code}"
    # Ten Crockford base32 characters (50 bits), shown in groups: K7Q2-M9XD-4F.
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{10}", submission.code)
    shown = f"{submission.code[:4]}-{submission.code[4:8]}-{submission.code[8:]}"
    assert submission.status == "received"
    assert (submission.due_at - submission.created_at).total_seconds() == 24 * 3600

    receipt = client.get(response["Location"]).content.decode()
    assert f'<code class="tracking-code">{shown}</code>' in receipt
    assert site_settings.reply_promise in receipt

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhangsan@example.cn"]
    assert f"查询码：{shown}" in message.body
    assert f"/submit/status/?code={submission.code}" in message.body

    attachment = SubmissionAttachment.objects.get()
    stored = Path(settings.DATA_DIR) / "private" / attachment.file.name
    assert stored.exists()
    assert attachment.original_name == "photo.png"
    assert "photo" not in attachment.file.name  # random name, not the reader's
    assert not str(stored.resolve()).startswith(str(Path(settings.MEDIA_ROOT).resolve()))
    assert AuditEntry.objects.filter(action="create", object_id=str(submission.pk)).exists()

    status = client.get(f"/submit/status/?code={submission.code}")
    assert status.status_code == 200
    soup = BeautifulSoup(status.content, "html.parser")
    assert soup.select_one(".item-status").get_text() == "已收到"
    assert soup.select_one(".item-title").get_text() == "家乡的变化"


def test_phone_is_enough_without_email(client: Client, home: Any) -> None:
    response = client.post(URL, valid_data(client, email="", phone="13800138000"))
    assert response.status_code == 302
    assert Submission.objects.get().phone == "13800138000"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "请填写姓名"),
        ({"title": ""}, "请填写稿件标题"),
        ({"body": ""}, "请填写稿件正文"),
        ({"email": "", "phone": ""}, "电子邮箱和电话请至少填写一项"),
        ({"email": "不是邮箱"}, "请输入有效的电子邮箱地址"),
        ({"phone": "abc", "email": ""}, "请输入有效的电话号码"),
        ({"consent": ""}, "请阅读并勾选投稿声明"),
    ],
)
def test_missing_or_bad_fields_are_refused_and_kept(
    client: Client, home: Any, overrides: dict[str, str], message: str
) -> None:
    response = client.post(URL, valid_data(client, **overrides))
    assert response.status_code == 400
    assert message in errors_of(response)
    page = response.content.decode()
    if overrides.get("title") != "":
        assert "家乡的变化" in page  # what the reader typed is still there
    assert not Submission.objects.exists()
    assert not AuditEntry.objects.exists()


def test_too_many_files_are_refused(client: Client, home: Any) -> None:
    files = [png_upload(f"p{n}.png") for n in range(6)]
    response = client.post(URL, valid_data(client, attachments=files))
    assert response.status_code == 400
    assert "附件最多 5 个" in errors_of(response)
    assert not Submission.objects.exists()
    assert not (Path(settings.DATA_DIR) / "private").exists()


def test_files_over_the_total_limit_are_refused(client: Client, home: Any) -> None:
    files = [SimpleUploadedFile(f"big{n}.pdf", b"%PDF-1.4\n" + b"0" * (18 * 1024 * 1024))
             for n in range(3)]  # fmt: skip
    response = client.post(URL, valid_data(client, attachments=files))
    assert response.status_code == 400
    assert "附件总大小不能超过 50 MB" in errors_of(response)
    assert not Submission.objects.exists()


def test_a_bad_file_among_good_ones_stores_nothing(client: Client, home: Any) -> None:
    bad = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/jpeg")
    response = client.post(URL, valid_data(client, attachments=[png_upload(), bad]))
    assert response.status_code == 400
    assert "“photo.jpg”是可执行程序" in errors_of(response)
    assert "家乡的变化" in response.content.decode()
    assert not Submission.objects.exists()
    assert not (Path(settings.DATA_DIR) / "private").exists()


def test_honeypot_and_missing_token_are_refused(client: Client, home: Any) -> None:
    response = client.post(URL, valid_data(client, kanwu_hp="http://spam.example"))
    assert response.status_code == 400
    assert "请不要填写隐藏的字段" in errors_of(response)
    data = valid_data(client)
    del data["kanwu_ts"]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "表单校验失败" in errors_of(response)
    assert not Submission.objects.exists()


def test_sending_too_fast_is_refused(client: Client, home: Any, settings: Any) -> None:
    settings.KANWU_WORKFLOW_MIN_SECONDS = 60
    response = client.post(URL, valid_data(client))
    assert response.status_code == 400
    assert "提交太快了" in errors_of(response)
    assert not Submission.objects.exists()


def test_rate_limit_per_address(client: Client, home: Any) -> None:
    for n in range(5):
        response = client.post(URL, valid_data(client, title=f"标题{n}", body=f"正文{n}"))
        assert response.status_code == 302
    response = client.post(URL, valid_data(client, title="再来一篇", body="正文"))
    assert response.status_code == 400
    assert "提交过于频繁" in errors_of(response)
    assert Submission.objects.count() == 5


def test_a_spoofed_forwarded_for_neither_escapes_the_limit_nor_is_stored(
    client: Client, home: Any, settings: Any
) -> None:
    settings.KANWU_TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(6):
        response = client.post(
            URL,
            valid_data(client, title=f"标题{n}", body=f"正文{n}"),
            REMOTE_ADDR="198.51.100.20",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",  # written by the client, not by nginx
        )
    assert response.status_code == 400
    assert "提交过于频繁" in errors_of(response)
    assert set(Submission.objects.values_list("ip_address", flat=True)) == {"198.51.100.20"}


def test_behind_nginx_the_reader_address_is_stored(
    client: Client, home: Any, settings: Any
) -> None:
    settings.KANWU_TRUSTED_PROXIES = ["127.0.0.1"]
    via_nginx = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.5"}
    response = client.post(URL, valid_data(client), **via_nginx)
    assert response.status_code == 302
    assert Submission.objects.get().ip_address == "203.0.113.5"


def test_rejected_sensitive_words_are_refused(
    client: Client, home: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from kanwu.wordfilter import services as wordfilter

    # The matcher is cached per process by a version number kept in the cache, which the
    # test suite clears between tests: start from a fresh matcher.
    monkeypatch.setattr(wordfilter, "_current", None)
    with django_capture_on_commit_callbacks(execute=True):
        wordfilter.words_import(lines=["违禁词语"], action="reject")
    response = client.post(URL, valid_data(client, body="这里有违禁词语。"))
    assert response.status_code == 400
    assert "含有不能接受的词语" in errors_of(response)
    assert not Submission.objects.exists()


def test_held_sensitive_words_are_flagged_for_editors(
    client: Client, home: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from kanwu.wordfilter import services as wordfilter

    # The matcher is cached per process by a version number kept in the cache, which the
    # test suite clears between tests: start from a fresh matcher.
    monkeypatch.setattr(wordfilter, "_current", None)
    with django_capture_on_commit_callbacks(execute=True):
        wordfilter.words_import(lines=["待审词语"], action="hold")
    response = client.post(URL, valid_data(client, body="这里有待审词语。"))
    assert response.status_code == 302
    assert Submission.objects.get().flagged_words == "待审词语"


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        ("", 400, "请输入查询码"),
        ("no-such-code-xyz", 404, "没有找到这个查询码"),
        ("x" * 65, 400, "查询码格式不对"),
    ],
)
def test_bad_tracking_codes(
    client: Client, home: Any, code: str, status: int, message: str
) -> None:
    response = client.get("/submit/status/", {"code": code})
    assert response.status_code == status
    assert message in errors_of(response)


def test_status_page_without_code_shows_the_lookup_form(client: Client, home: Any) -> None:
    response = client.get("/submit/status/")
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_no_receipt_mail_without_an_address(
    client: Client, home: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_data(client, email="", phone="13800138000"))
    assert response.status_code == 302
    assert mail.outbox == []
    assert Submission.objects.get().code in client.get(response["Location"]).content.decode()


def test_a_code_read_out_on_the_phone_finds_the_contribution(client: Client, home: Any) -> None:
    from kanwu.submissions.services import submission_create

    item = submission_create(
        site=None, name="张三", email="", phone="13800000000", title="家乡的变化", body="正文。",
        files=[],
    )  # fmt: skip
    typed = f" {item.code[:4].lower()} {item.code[4:8]}-{item.code[8:]} "
    typed = typed.replace("1", "l").replace("0", "o")  # misheard 1 and 0 still match
    response = client.get("/submit/status/", {"code": typed})
    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").select_one(".item-title").get_text() == (
        "家乡的变化"
    )
    assert client.get("/submit/status/", {"code": "ZZZZ-ZZZZ-ZZ"}).status_code == 404


def test_lookups_are_rate_limited_per_client(client: Client, home: Any) -> None:
    statuses = [
        client.get("/submit/status/", {"code": f"0000-0000-{n:02d}"}).status_code for n in range(31)
    ]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
    assert "查询过于频繁" in client.get("/submit/status/", {"code": "ABCD"}).content.decode()
