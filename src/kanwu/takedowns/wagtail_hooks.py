"""The takedown queue in the admin (kanwu.casework's queue with 下架, 恢复发布 and 驳回)."""

from __future__ import annotations

from wagtail.admin.ui.tables import Column

from kanwu.casework import queue
from kanwu.casework.queue import service_action
from kanwu.takedowns import services
from kanwu.takedowns.forms import RestoreForm, TakedownDeclineForm, TakeDownForm
from kanwu.takedowns.models import Takedown


class TakedownItemView(queue.TrackedItemView):
    model = Takedown
    detail_template_name = "takedowns/admin/takedown_detail.html"
    reply_use = "takedown"

    def get_actions(self) -> dict[str, queue.Action]:
        item: Takedown = self.object
        actions = super().get_actions()
        if item.status == Takedown.Status.TAKEN_DOWN:
            actions["restore"] = service_action(
                RestoreForm, services.takedown_restore, "文章已恢复发布。", takedown=item
            )
            return actions
        actions["take_down"] = service_action(
            TakeDownForm,
            services.takedown_execute,
            "文章已下架，原网址现在返回“内容已下架”。",
            takedown=item,
        )
        if item.status != Takedown.Status.DECLINED:
            actions["decline"] = service_action(
                TakedownDeclineForm, services.takedown_decline, "投诉已驳回。", takedown=item
            )
        return actions


class TakedownViewSet(queue.TrackedViewSet):
    model = Takedown
    item_view_class = TakedownItemView
    icon = "warning"
    menu_label = "侵权投诉"
    menu_order = 260
    list_display = [
        Column("name", label="投诉人"),
        Column("right", label="主张的权利", accessor="get_right_display"),
        *queue.TRACKED_COLUMNS,
    ]
    search_fields = ["name", "organisation", "email", "code", "reason"]


takedown_viewset = TakedownViewSet("takedown_queue")


queue.queue_register(takedown_viewset)
