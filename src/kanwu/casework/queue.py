"""Admin pages both workflow queues share: the item page with its actions, attachment
downloads and the dashboard panel with items due soon and overdue."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views import View
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from kanwu.casework.audit import audit_history
from kanwu.casework.forms import AssignForm, ReplyForm
from kanwu.casework.models import DUE_SOON_HOURS, TrackedRequest, clock_label
from kanwu.casework.selectors import outgoing_mail_for
from kanwu.casework.workflow import tracked_assign, tracked_reply
from kanwu.uploads import attachment_response

# An action: the form class, its extra keyword arguments, the service call, the success text.
Action = tuple[type[forms.Form], dict[str, Any], Callable[[Any, dict[str, Any]], Any], str]


def service_action(
    form: type[forms.Form], service: Callable[..., Any], done: str, **bound: Any
) -> Action:
    """An action whose form's cleaned data go to `service` as keyword arguments, next to
    `user` and `bound` (the item, under the name the service gives it)."""
    return (form, {}, lambda user, data: service(user=user, **bound, **data), done)


class TrackedItemView(WagtailAdminTemplateMixin, View):
    """One contribution or takedown request: its content, files, history and action forms.

    Subclasses name the model and return their actions from `get_actions`.
    """

    model: type[TrackedRequest]
    permission_policy: Any = None
    index_url_name = ""
    attachment_url_name = ""
    template_name = "casework/admin/item.html"
    detail_template_name = ""
    header_icon = "mail"
    object: Any

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.object = get_object_or_404(self.model, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    reply_use = ""  # which reply templates apply (ReplyTemplate.Use)
    reply_done = "答复已保存，邮件已发出。"

    def get_actions(self) -> dict[str, Action]:
        """Assign and reply, which every item has; subclasses add their decisions."""
        item = self.object
        return {
            "assign": (AssignForm, {"initial": {"assignee": item.assignee_id}},
                       lambda user, data: tracked_assign(
                           item=item, user=user, assignee=data["assignee"]),
                       "已指定负责编辑。"),
            "reply": (ReplyForm, {"use": self.reply_use},
                      lambda user, data: tracked_reply(
                          item=item, user=user, subject=data["subject"], body=data["body"]),
                      self.reply_done),
        }  # fmt: skip

    def get_page_title(self) -> str:
        return str(self.object)

    def get_page_subtitle(self) -> str:
        return str(self.model._meta.verbose_name)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(self.index_url_name), "label": str(self.model._meta.verbose_name)},
            {"url": "", "label": str(self.object)},
        ]

    def make_forms(self) -> dict[str, forms.Form]:
        return {
            name: form_class(prefix=name, **kwargs)
            for name, (form_class, kwargs, _, _) in self.get_actions().items()
        }

    def render_item(
        self, action_forms: Mapping[str, forms.Form], status: int = 200
    ) -> HttpResponse:
        context = self.get_context_data(
            object=self.object,
            detail_template=self.detail_template_name,
            action_forms=action_forms,
            history=audit_history(self.object)[:200],
            mails=outgoing_mail_for(self.object)[:50],
            clock=clock_label(self.object),
            attachment_url_name=self.attachment_url_name,
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_item(self.make_forms())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = request.POST.get("action", "")
        actions = self.get_actions()
        action_forms = self.make_forms()
        if name not in actions:
            messages.error(request, "此操作在当前状态下不可用。")
            return self.render_item(action_forms, status=400)
        form_class, form_kwargs, run, done = actions[name]
        form = form_class(request.POST, prefix=name, **form_kwargs)
        action_forms[name] = form
        if form.is_valid():
            try:
                run(request.user, form.cleaned_data)
            except (ValueError, PermissionDenied) as error:
                form.add_error(None, str(error) or "您没有执行此操作的权限。")
            else:
                messages.success(request, done)
                return redirect(request.path)
        messages.error(request, "操作未完成，请检查下面的提示。")
        return self.render_item(action_forms, status=400)


class AttachmentDownloadView(View):
    """A private attachment, for editors with permission on its item; always a download."""

    model: Any = None
    permission_policy: Any = None

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        attachment: Any = get_object_or_404(self.model, pk=pk)
        return attachment_response(attachment.file.name, filename=attachment.original_name)


class DeadlinePanel(Component):
    """Dashboard panel: open items overdue and due within DUE_SOON_HOURS hours."""

    template_name = "casework/admin/deadline_panel.html"
    order = 90

    def __init__(self, *, title: str, model: type[TrackedRequest], edit_url_name: str) -> None:
        self.title = title
        self.model = model
        self.edit_url_name = edit_url_name

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
        now = timezone.now()
        manager: Any = self.model._default_manager
        related = manager.select_related("assignee").order_by("due_at")
        rows = [
            (item, clock_label(item), reverse(self.edit_url_name, args=[item.pk]))
            for item in list(related.overdue(now)[:20])
            + list(related.due_within(DUE_SOON_HOURS, now)[:20])
        ]
        return {"title": self.title, "rows": rows, "hours": DUE_SOON_HOURS}


class TrackedViewSet(ModelViewSet):
    """A workflow's queue: the listing, the item page (`item_view_class`) and attachment
    downloads; no add, copy or delete views, and a deadline panel on the dashboard."""

    item_view_class: type[TrackedItemView]
    list_filter = ["status", "assignee"]
    copy_view_enabled = False
    form_fields = ["assignee"]
    add_to_admin_menu = True

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs: dict[str, Any] = super().get_index_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self) -> list[URLPattern]:
        item_view = self.item_view_class.as_view(
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
            attachment_url_name=self.get_url_name("attachment"),
            header_icon=self.icon,
        )
        download = AttachmentDownloadView.as_view(
            # every tracked request's files are its `attachments`
            model=self.model._meta.get_field("attachments").related_model,
            permission_policy=self.permission_policy,
        )
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("edit/<int:pk>/", item_view, name="edit"),
            path("attachment/<int:pk>/", download, name="attachment"),
        ]

    def deadline_panel(self, request: HttpRequest) -> DeadlinePanel | None:
        """The dashboard panel, for those who may work the queue."""
        if not self.permission_policy.user_has_permission(request.user, "change"):
            return None
        return DeadlinePanel(
            title=self.menu_label, model=self.model, edit_url_name=self.get_url_name("edit")
        )


# The columns every queue's listing ends with.
TRACKED_COLUMNS = [
    Column("status", label="状态", accessor="get_status_display"),
    Column("assignee", label="负责编辑"),
    Column("created_at", label="收到时间"),
    Column("due_at", label="期限", accessor=clock_label),
]


def queue_register(viewset: TrackedViewSet) -> None:
    """Put a queue in the admin: its menu item and pages, and its dashboard panel."""
    hooks.register("register_admin_viewset", lambda: viewset)

    def add_deadline_panel(request: HttpRequest, panels: list[Any]) -> None:
        if panel := viewset.deadline_panel(request):
            panels.append(panel)

    hooks.register("construct_homepage_panels", add_deadline_panel)
