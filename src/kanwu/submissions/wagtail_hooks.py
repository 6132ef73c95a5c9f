"""The contribution queue in the admin (kanwu.casework's queue with 采用 and 不予采用)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from kanwu.casework.models import clock_label
from kanwu.casework.queue import Action, TrackedItemView, TrackedViewSet
from kanwu.submissions import services
from kanwu.submissions.forms import AcceptForm, DeclineForm
from kanwu.submissions.models import Submission, SubmissionAttachment


class SubmissionItemView(TrackedItemView):
    model = Submission
    detail_template_name = "submissions/admin/submission_detail.html"
    reply_use = "submission"

    def get_actions(self) -> dict[str, Action]:
        item: Submission = self.object
        actions = super().get_actions()
        if not item.email:
            actions["reply"] = (*actions["reply"][:3], "答复已保存。")
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


class SubmissionViewSet(TrackedViewSet):
    model = Submission
    item_view_class = SubmissionItemView
    attachment_model = SubmissionAttachment
    panel_title = "投稿"
    icon = "mail"
    menu_label = "投稿"
    menu_order = 250
    list_display = [
        "title",
        "name",
        Column("status", label="状态", accessor="get_status_display"),
        Column("assignee", label="负责编辑"),
        Column("created_at", label="收到时间"),
        Column("due_at", label="期限", accessor=clock_label),
    ]
    search_fields = ["title", "name", "email", "code"]


submission_viewset = SubmissionViewSet("submission_queue")


@hooks.register("register_admin_viewset")
def register_viewset() -> ModelViewSet:
    return submission_viewset


@hooks.register("construct_homepage_panels")
def add_deadline_panel(request: HttpRequest, panels: list[Any]) -> None:
    if panel := submission_viewset.deadline_panel(request):
        panels.append(panel)
