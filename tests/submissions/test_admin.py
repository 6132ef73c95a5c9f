"""The contribution queue in the Wagtail admin: filters, assign, reply, accept, decline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from kanwu.articles.models import ArticlePage
from kanwu.casework.models import AuditEntry, ReplyTemplate
from kanwu.columns.models import ColumnPage
from kanwu.submissions.models import Submission
from kanwu.submissions.services import submission_create
from kanwu.uploads import MB, check_upload
from tests.submissions.helpers import png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_superuser("editor", "editor@example.cn", "pw-123456")


@pytest.fixture
def editor_client(client: Client, editor: User) -> Client:
    client.force_login(editor)
    return client


def make_submission(
    title: str = "家乡的变化", email: str = "zs@example.cn", **extra: Any
) -> Submission:
    return submission_create(
        site=None, name="张三", email=email, phone="", title=title,
        body="第一段。\n\n第二段<b>加粗</b><script>x()</script>。", files=extra.pop("files", []),
        **extra,
    )  # fmt: skip


def edit_url(item: Submission) -> str:
    return f"/admin/submission_queue/edit/{item.pk}/"


def test_queue_lists_and_filters_by_status_and_assignee(
    editor_client: Client, editor: User, home: Any
) -> None:
    first = make_submission("第一篇")
    second = make_submission("第二篇")
    Submission.objects.filter(pk=second.pk).update(status="declined", assignee=editor)
    page = editor_client.get("/admin/submission_queue/").content.decode()
    assert "第一篇" in page and "第二篇" in page
    assert "剩余" in page  # the clock column
    page = editor_client.get("/admin/submission_queue/", {"status": "declined"}).content.decode()
    assert "第二篇" in page and "第一篇" not in page
    page = editor_client.get("/admin/submission_queue/", {"assignee": editor.pk}).content.decode()
    assert "第二篇" in page and "第一篇" not in page
    assert first.pk


def test_assign_then_reply_with_a_template(
    editor_client: Client, editor: User, home: Any, django_capture_on_commit_callbacks: Any
) -> None:
    item = make_submission()
    template = ReplyTemplate.objects.create(
        name="收稿", use="submission", subject="关于《{标题}》",
        body="{姓名}您好，您的稿件正在审阅。查询码：{查询码}",
    )  # fmt: skip
    response = editor_client.post(
        edit_url(item), {"action": "assign", "assign-assignee": editor.pk}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.assignee == editor
    assert item.status == "in_review"

    page = editor_client.get(edit_url(item)).content.decode()
    assert "收稿" in page  # the template is offered
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            edit_url(item), {"action": "reply", "reply-template": template.pk}
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "replied"
    assert item.answered_at is not None
    assert mail.outbox[-1].subject == "关于《家乡的变化》"
    assert mail.outbox[-1].body == f"张三您好，您的稿件正在审阅。查询码：{item.display_code}"
    status = editor_client.get("/submit/status/", {"code": item.code}).content.decode()
    assert "您的稿件正在审阅" in status
    actions = list(
        AuditEntry.objects.filter(object_id=str(item.pk)).values_list("action", "user_name")
    )
    assert ("assign", "editor") in actions
    assert ("reply", "editor") in actions
    assert ("create", "") in actions


def test_reply_needs_a_body(editor_client: Client, home: Any) -> None:
    item = make_submission()
    response = editor_client.post(edit_url(item), {"action": "reply", "reply-subject": "x"})
    assert response.status_code == 400
    assert "请填写答复内容" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "received"


def test_accept_creates_a_draft_article_in_the_chosen_column(
    editor_client: Client, news: ColumnPage, django_capture_on_commit_callbacks: Any
) -> None:
    item = make_submission()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            edit_url(item), {"action": "accept", "accept-column": news.pk, "accept-title": ""}
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "accepted"
    article = ArticlePage.objects.get(pk=item.article_id)
    assert article.get_parent().pk == news.pk
    assert not article.live
    assert article.title == "家乡的变化"
    assert article.author == "张三"
    assert article.slug == "jia-xiang-de-bian-hua"
    assert "<p>第一段。</p>" in article.body
    assert "<b>加粗</b>" in article.body
    assert "<script" not in article.body
    assert article.get_latest_revision() is not None
    assert "已被采用" in mail.outbox[-1].body
    assert AuditEntry.objects.filter(action="accept", object_id=str(item.pk)).exists()
    # A second accept is no longer offered.
    response = editor_client.post(edit_url(item), {"action": "accept", "accept-column": news.pk})
    assert response.status_code == 400
    assert ArticlePage.objects.filter(title="家乡的变化").count() == 1


def test_accept_brings_pictures_and_documents_into_the_draft(
    editor_client: Client, news: ColumnPage
) -> None:
    from tests.core.pdfs import plain_pdf

    files = [
        check_upload(png_upload("现场一.png", (80, 60)), allowed={"png"}, max_bytes=MB),
        check_upload(png_upload("现场二.png", (40, 30)), allowed={"png"}, max_bytes=MB),
        check_upload(
            SimpleUploadedFile("报名表.pdf", plain_pdf(), content_type="application/pdf"),
            allowed={"pdf"}, max_bytes=MB,
        ),
    ]  # fmt: skip
    item = make_submission(files=files)
    response = editor_client.post(edit_url(item), {"action": "accept", "accept-column": news.pk})
    assert response.status_code == 302
    article = ArticlePage.objects.get(pk=Submission.objects.get(pk=item.pk).article_id)
    assert article.cover is not None
    assert (article.cover.title, article.cover.width) == ("现场一.png", 80)
    second = get_image_model().objects.get(title="现场二.png")
    assert f'embedtype="image" format="fullwidth" id="{second.pk}"' in article.body
    document = get_document_model().objects.get(title="报名表.pdf")
    assert f'<a id="{document.pk}" linktype="document">报名表.pdf</a>' in article.body
    # Published, readers see the picture and can open the document.
    article.get_latest_revision().publish()
    page = Client().get(article.url).content.decode()
    assert 'alt="现场二.png"' in page
    assert f'href="/documents/{document.pk}/' in page


def test_accept_offers_the_column_tree(editor_client: Client, news: ColumnPage) -> None:
    child = ColumnPage(title="本地要闻", slug="local")
    news.add_child(instance=child)
    page = editor_client.get(edit_url(make_submission())).content.decode()
    assert ">　本地要闻</option>" in page


def test_decline_needs_a_reason_and_tells_the_contributor(
    editor_client: Client, home: Any, django_capture_on_commit_callbacks: Any
) -> None:
    item = make_submission()
    response = editor_client.post(edit_url(item), {"action": "decline", "decline-reason": ""})
    assert response.status_code == 400
    assert "请填写原因" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            edit_url(item), {"action": "decline", "decline-reason": "题材与本站不符"}
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "declined"
    assert "题材与本站不符" in mail.outbox[-1].body
    status = editor_client.get("/submit/status/", {"code": item.code}).content.decode()
    assert "未采用" in status and "题材与本站不符" in status


def test_unknown_action_is_refused(editor_client: Client, home: Any) -> None:
    item = make_submission()
    assert editor_client.post(edit_url(item), {"action": "explode"}).status_code == 400


def test_attachments_are_downloads_for_editors_only(
    editor_client: Client, client: Client, home: Any, django_user_model: type[User],
    settings: Any,
) -> None:  # fmt: skip
    checked = check_upload(png_upload("稿件配图.png"), allowed={"png"}, max_bytes=MB)
    item = make_submission(files=[checked])
    attachment = item.attachments.get()
    url = f"/admin/submission_queue/attachment/{attachment.pk}/"
    assert url in editor_client.get(edit_url(item)).content.decode()
    response = editor_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == checked.data

    editor_client.logout()
    assert client.get(url).status_code == 302  # to the login page
    reader = django_user_model.objects.create_user("reader", "r@example.cn", "pw-123456")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    # Wagtail answers PermissionDenied with a redirect to the dashboard and a message.
    for denied in (client.get(url), client.get(edit_url(item))):
        assert denied.status_code == 302
        assert denied["Location"] == "/admin/"
    # The private folder is not under the media URL.
    assert client.get(settings.MEDIA_URL + attachment.file.name).status_code == 404


def test_editors_group_can_work_the_queue(
    client: Client, home: Any, django_user_model: type[User]
) -> None:
    group = Group.objects.create(name="投稿编辑")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_submission"),
    )
    user = django_user_model.objects.create_user("bianji", "b@example.cn", "pw-123456")
    user.groups.add(group)
    client.force_login(user)
    item = make_submission()
    assert client.get("/admin/submission_queue/").status_code == 200
    assert client.get(edit_url(item)).status_code == 200


def test_dashboard_shows_overdue_and_due_soon_items(editor_client: Client, home: Any) -> None:
    now = timezone.now()
    overdue = make_submission("逾期的稿件")
    soon = make_submission("快到期的稿件")
    later = make_submission("还早的稿件")
    answered = make_submission("已答复的稿件")
    Submission.objects.filter(pk=overdue.pk).update(due_at=now - dt.timedelta(hours=2))
    Submission.objects.filter(pk=soon.pk).update(due_at=now + dt.timedelta(hours=3))
    Submission.objects.filter(pk=later.pk).update(due_at=now + dt.timedelta(hours=20))
    Submission.objects.filter(pk=answered.pk).update(
        due_at=now - dt.timedelta(hours=1), answered_at=now
    )
    soup = BeautifulSoup(editor_client.get("/admin/").content, "html.parser")
    panel = soup.select_one(".kanwu-deadlines")
    assert panel is not None
    assert [a.get_text() for a in panel.select("tr.overdue a")] == ["逾期的稿件"]
    assert [a.get_text() for a in panel.select("tr.due-soon a")] == ["快到期的稿件"]


def test_workflow_settings_set_the_deadline(editor_client: Client, site: Any) -> None:
    from kanwu.casework.models import WorkflowSettings

    url = f"/admin/settings/casework/workflowsettings/{site.pk}/"
    response = editor_client.post(url, {"reply_hours": "48", "reminder_hours": "6"})
    assert response.status_code == 302
    assert WorkflowSettings.for_site(site).reply_hours == 48
    item = submission_create(
        site=site, name="张三", email="", phone="13800138000", title="t", body="b", files=[]
    )
    assert item.due_at - item.created_at == dt.timedelta(hours=48)
    response = editor_client.post(url, {"reply_hours": "0", "reminder_hours": "6"})
    assert response.status_code == 200
    assert WorkflowSettings.for_site(site).reply_hours == 48
