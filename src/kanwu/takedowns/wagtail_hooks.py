"""The takedown queue in the admin (kanwu.casework's queue with 下架, 恢复发布 and 驳回)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from kanwu.casework.models import clock_label
from kanwu.casework.queue import Action, TrackedItemView, TrackedViewSet
from kanwu.takedowns import services
from kanwu.takedowns.forms import RestoreForm, TakedownDeclineForm, TakeDownForm
from kanwu.takedowns.models import Takedown, TakedownAttachment


class TakedownItemView(TrackedItemView):
    model = Takedown
    detail_template_name = "takedowns/admin/takedown_detail.html"
    reply_use = "takedown"

    def get_actions(self) -> dict[str, Action]:
        item: Takedown = self.object
        actions = super().get_actions()
        if item.status == Takedown.Status.TAKEN_DOWN:
            actions["restore"] = (
                RestoreForm, {},
                lambda user, data: services.takedown_restore(
                    takedown=item, user=user, note=data["note"]),
                "文章已恢复发布。",
            )  # fmt: skip
            return actions
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


class TakedownViewSet(TrackedViewSet):
    model = Takedown
    item_view_class = TakedownItemView
    attachment_model = TakedownAttachment
    panel_title = "侵权投诉"
    icon = "warning"
    menu_label = "侵权投诉"
    menu_order = 260
    list_display = [
        Column("name", label="投诉人"),
        Column("right", label="主张的权利", accessor="get_right_display"),
        Column("status", label="状态", accessor="get_status_display"),
        Column("assignee", label="负责编辑"),
        Column("created_at", label="收到时间"),
        Column("due_at", label="期限", accessor=clock_label),
    ]
    search_fields = ["name", "organisation", "email", "code", "reason"]


takedown_viewset = TakedownViewSet("takedown_queue")


@hooks.register("register_admin_viewset")
def register_viewset() -> ModelViewSet:
    return takedown_viewset


@hooks.register("construct_homepage_panels")
def add_deadline_panel(request: HttpRequest, panels: list[Any]) -> None:
    if panel := takedown_viewset.deadline_panel(request):
        panels.append(panel)
