"""The contribution queue in the admin (kanwu.casework's queue with 采用 and 不予采用)."""

from __future__ import annotations

from kanwu.casework import queue
from kanwu.casework.queue import service_action
from kanwu.submissions import services
from kanwu.submissions.forms import AcceptForm, DeclineForm
from kanwu.submissions.models import Submission


class SubmissionItemView(queue.TrackedItemView):
    model = Submission
    detail_template_name = "submissions/admin/submission_detail.html"
    reply_use = "submission"

    def get_actions(self) -> dict[str, queue.Action]:
        item: Submission = self.object
        actions = super().get_actions()
        if not item.email:
            actions["reply"] = (*actions["reply"][:3], "答复已保存。")
        if item.status != Submission.Status.ACCEPTED:
            actions["accept"] = service_action(
                AcceptForm, services.submission_accept, "已采用，草稿文章已生成。", submission=item
            )
            if item.status != Submission.Status.DECLINED:
                actions["decline"] = service_action(
                    DeclineForm, services.submission_decline, "已标记为不予采用。", submission=item
                )
        return actions


class SubmissionViewSet(queue.TrackedViewSet):
    model = Submission
    item_view_class = SubmissionItemView
    icon = "mail"
    menu_label = "投稿"
    menu_order = 250
    list_display = ["title", "name", *queue.TRACKED_COLUMNS]
    search_fields = ["title", "name", "email", "code"]


submission_viewset = SubmissionViewSet("submission_queue")


queue.queue_register(submission_viewset)
