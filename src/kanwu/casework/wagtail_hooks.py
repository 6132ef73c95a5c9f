"""Reply templates and the audit log both workflows share, in the admin."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from wagtail import hooks
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from kanwu.casework.models import ACTION_LABELS, AuditEntry, ReplyTemplate
from kanwu.core.admin import AdministratorsOnlyIndexView, WithoutEditViewMixin


class ReplyTemplateViewSet(ModelViewSet):
    model = ReplyTemplate
    icon = "doc-full"
    menu_label = "回复模板"
    add_to_settings_menu = True
    list_display = ["name", "use", "subject"]
    form_fields = ["name", "use", "subject", "body"]
    copy_view_enabled = False


def _audited_types(request: HttpRequest) -> QuerySet[ContentType]:
    return ContentType.objects.filter(
        pk__in=AuditEntry.objects.values("content_type").distinct()
    ).order_by("model")


class AuditEntryFilterSet(WagtailFilterSet):
    """By what was done (in Chinese) and by the kind of request: only the kinds in the log."""

    action = django_filters.ChoiceFilter(label="操作", choices=list(ACTION_LABELS.items()))
    content_type = ContentTypeFilter(label="对象类型", queryset=_audited_types)

    class Meta:
        model = AuditEntry
        fields = ["action", "content_type"]


class AuditEntryViewSet(WithoutEditViewMixin, ModelViewSet):
    """The audit log, for administrators only, read-only: no add, edit or delete views."""

    model = AuditEntry
    icon = "list-ul"
    index_view_class = AdministratorsOnlyIndexView
    list_display = [
        Column("created_at", label="时间"),
        Column("user_name", label="操作人"),
        Column("content_type", label="对象类型"),
        "object_repr",
        Column("action", label="操作", accessor="action_label"),
        "message",
    ]
    filterset_class = AuditEntryFilterSet
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


@hooks.register("register_admin_viewset")
def register_viewsets() -> list[ModelViewSet]:
    return [ReplyTemplateViewSet("reply_templates"), AuditEntryViewSet("audit_log")]


@hooks.register("register_reports_menu_item")
def register_audit_menu_item() -> AdminOnlyMenuItem:
    return AdminOnlyMenuItem(
        "投稿与投诉审计日志", reverse("audit_log:index"), icon_name="list-ul", order=900
    )
