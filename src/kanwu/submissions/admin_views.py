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
from django.urls import reverse
from django.utils import timezone
from django.views import View
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kanwu.core.uploads import attachment_response
from kanwu.submissions.audit import audit_history
from kanwu.submissions.models import DUE_SOON_HOURS, TrackedRequest, clock_label
from kanwu.submissions.selectors import outgoing_mail_for

# An action: the form class, its extra keyword arguments, the service call, the success text.
Action = tuple[type[forms.Form], dict[str, Any], Callable[[Any, dict[str, Any]], Any], str]


class TrackedItemView(WagtailAdminTemplateMixin, View):
    """One contribution or takedown request: its content, files, history and action forms.

    Subclasses name the model and return their actions from `get_actions`.
    """

    model: type[TrackedRequest]
    permission_policy: Any = None
    index_url_name = ""
    attachment_url_name = ""
    template_name = "submissions/admin/item.html"
    detail_template_name = ""
    header_icon = "mail"
    object: Any

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.object = get_object_or_404(self.model, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_actions(self) -> dict[str, Action]:
        raise NotImplementedError

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

    template_name = "submissions/admin/deadline_panel.html"
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
