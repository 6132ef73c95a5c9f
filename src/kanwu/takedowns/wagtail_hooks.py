"""The takedown queue and its dashboard panel in the admin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, path
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from kanwu.submissions.admin_views import (
    Action,
    AttachmentDownloadView,
    DeadlinePanel,
    TrackedItemView,
)
from kanwu.submissions.forms import AssignForm, ReplyForm
from kanwu.submissions.models import clock_label
from kanwu.takedowns import services
from kanwu.takedowns.forms import RestoreForm, TakedownDeclineForm, TakeDownForm
from kanwu.takedowns.models import Takedown, TakedownAttachment


class TakedownItemView(TrackedItemView):
    model = Takedown
    detail_template_name = "takedowns/admin/takedown_detail.html"
    header_icon = "warning"

    def get_actions(self) -> dict[str, Action]:
        item: Takedown = self.object
        actions: dict[str, Action] = {
            "assign": (AssignForm, {"initial": {"assignee": item.assignee_id}},
                       lambda user, data: services.takedown_assign(
                           takedown=item, user=user, assignee=data["assignee"]),
                       "已指定负责编辑。"),
            "reply": (ReplyForm, {"use": "takedown"},
                      lambda user, data: services.takedown_reply(
                          takedown=item, user=user, subject=data["subject"], body=data["body"]),
                      "答复已保存，邮件已发出。"),
        }  # fmt: skip
        if item.status == Takedown.Status.TAKEN_DOWN:
            actions["restore"] = (
                RestoreForm, {},
                lambda user, data: services.takedown_restore(
                    takedown=item, user=user, note=data["note"]),
                "文章已恢复发布。",
            )  # fmt: skip
        else:
            actions["take_down"] = (
                TakeDownForm, {},
                lambda user, data: services.takedown_execute(
                    takedown=item, user=user, note=data["note"]),
                "文章已下架，原网址现在返回“内容已下架”。",
            )  # fmt: skip
            if item.status != Takedown.Status.DECLINED:
                actions["decline"] = (
                    TakedownDeclineForm, {},
                    lambda user, data: services.takedown_decline(
                        takedown=item, user=user, reason=data["reason"]),
                    "投诉已驳回。",
                )  # fmt: skip
        return actions


class TakedownViewSet(ModelViewSet):
    model = Takedown
    icon = "warning"
    menu_label = "侵权投诉"
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        Column("name", label="投诉人"),
        Column("right", label="主张的权利", accessor="get_right_display"),
        Column("status", label="状态", accessor="get_status_display"),
        Column("assignee", label="负责编辑"),
        Column("created_at", label="收到时间"),
        Column("due_at", label="期限", accessor=clock_label),
    ]
    list_filter = ["status", "assignee"]
    search_fields = ["name", "organisation", "email", "code", "reason"]
    copy_view_enabled = False
    form_fields = ["assignee"]

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs: dict[str, Any] = super().get_index_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self) -> list[URLPattern]:
        item_view = TakedownItemView.as_view(
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
            attachment_url_name=self.get_url_name("attachment"),
        )
        download = AttachmentDownloadView.as_view(
            model=TakedownAttachment, permission_policy=self.permission_policy
        )
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("edit/<int:pk>/", item_view, name="edit"),
            path("attachment/<int:pk>/", download, name="attachment"),
        ]


takedown_viewset = TakedownViewSet("takedown_queue")


@hooks.register("register_admin_viewset")
def register_viewset() -> ModelViewSet:
    return takedown_viewset


@hooks.register("construct_homepage_panels")
def add_deadline_panel(request: HttpRequest, panels: list[Any]) -> None:
    if takedown_viewset.permission_policy.user_has_permission(request.user, "change"):
        panels.append(
            DeadlinePanel(title="侵权投诉", model=Takedown, edit_url_name="takedown_queue:edit")
        )
