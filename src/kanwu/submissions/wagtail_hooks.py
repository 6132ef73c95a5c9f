"""The contribution queue, reply templates, workflow settings and the audit log in the admin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from kanwu.core.admin import AdministratorsOnlyIndexView
from kanwu.submissions import services
from kanwu.submissions.admin_views import (
    Action,
    AttachmentDownloadView,
    DeadlinePanel,
    TrackedItemView,
)
from kanwu.submissions.forms import AcceptForm, AssignForm, DeclineForm, ReplyForm
from kanwu.submissions.models import (
    AuditEntry,
    ReplyTemplate,
    Submission,
    SubmissionAttachment,
    clock_label,
)


class SubmissionItemView(TrackedItemView):
    model = Submission
    detail_template_name = "submissions/admin/submission_detail.html"

    def get_actions(self) -> dict[str, Action]:
        item: Submission = self.object
        actions: dict[str, Action] = {
            "assign": (AssignForm, {"initial": {"assignee": item.assignee_id}},
                       lambda user, data: services.submission_assign(
                           submission=item, user=user, assignee=data["assignee"]),
                       "已指定负责编辑。"),
            "reply": (ReplyForm, {"use": "submission"},
                      lambda user, data: services.submission_reply(
                          submission=item, user=user, subject=data["subject"], body=data["body"]),
                      "答复已保存" + ("，邮件已发出。" if item.email else "。")),
        }  # fmt: skip
        if item.status != Submission.Status.ACCEPTED:
            actions["accept"] = (
                AcceptForm, {},
                lambda user, data: services.submission_accept(
                    submission=item, user=user, column=data["column"], title=data["title"],
                    message=data["message"]),
                "已采用，草稿文章已生成。",
            )  # fmt: skip
            if item.status != Submission.Status.DECLINED:
                actions["decline"] = (
                    DeclineForm, {},
                    lambda user, data: services.submission_decline(
                        submission=item, user=user, reason=data["reason"]),
                    "已标记为不予采用。",
                )  # fmt: skip
        return actions


class SubmissionViewSet(ModelViewSet):
    model = Submission
    icon = "mail"
    menu_label = "投稿"
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "title",
        "name",
        Column("status", label="状态", accessor="get_status_display"),
        Column("assignee", label="负责编辑"),
        Column("created_at", label="收到时间"),
        Column("due_at", label="期限", accessor=clock_label),
    ]
    list_filter = ["status", "assignee"]
    search_fields = ["title", "name", "email", "code"]
    copy_view_enabled = False
    form_fields = ["assignee"]

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs: dict[str, Any] = super().get_index_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self) -> list[URLPattern]:
        item_view = SubmissionItemView.as_view(
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
            attachment_url_name=self.get_url_name("attachment"),
            header_icon=self.icon,
        )
        download = AttachmentDownloadView.as_view(
            model=SubmissionAttachment, permission_policy=self.permission_policy
        )
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("edit/<int:pk>/", item_view, name="edit"),
            path("attachment/<int:pk>/", download, name="attachment"),
        ]


class ReplyTemplateViewSet(ModelViewSet):
    model = ReplyTemplate
    icon = "doc-full"
    menu_label = "回复模板"
    add_to_settings_menu = True
    list_display = ["name", "use", "subject"]
    form_fields = ["name", "use", "subject", "body"]
    copy_view_enabled = False


class AuditEntryViewSet(ModelViewSet):
    """The audit log, for administrators only, read-only: no add, edit or delete views."""

    model = AuditEntry
    icon = "list-ul"
    index_view_class = AdministratorsOnlyIndexView
    list_display = [
        Column("created_at", label="时间"),
        Column("user_name", label="操作人"),
        Column("content_type", label="对象类型"),
        "object_repr",
        "action",
        "message",
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "message", "user_name"]
    copy_view_enabled = False
    form_fields = ["message"]

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs: dict[str, Any] = super().get_index_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


submission_viewset = SubmissionViewSet("submission_queue")
audit_viewset = AuditEntryViewSet("audit_log")


@hooks.register("register_admin_viewset")
def register_viewsets() -> list[ModelViewSet]:
    return [submission_viewset, ReplyTemplateViewSet("reply_templates"), audit_viewset]


@hooks.register("register_reports_menu_item")
def register_audit_menu_item() -> AdminOnlyMenuItem:
    return AdminOnlyMenuItem(
        "投稿与投诉审计日志", reverse("audit_log:index"), icon_name="list-ul", order=900
    )


@hooks.register("construct_homepage_panels")
def add_deadline_panel(request: HttpRequest, panels: list[Any]) -> None:
    if submission_viewset.permission_policy.user_has_permission(request.user, "change"):
        panels.append(
            DeadlinePanel(title="投稿", model=Submission, edit_url_name="submission_queue:edit")
        )
