"""写文章: from anywhere in the admin to a new article in a few clicks.

The entry (menu and dashboard) asks for the column, a tree the editor can filter, with the last
one chosen already selected, then opens Wagtail's own article form there; publishing is the
form's first action for those who may publish (wagtail_hooks.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from kanwu.columns.forms import ColumnChoiceField
from kanwu.columns.models import ColumnPage

LAST_COLUMN = "kanwu_write_column"  # the session key: the column an editor wrote in last


def writable_columns(user: Any) -> list[ColumnPage]:
    """Columns in which `user` may add an article, in tree order."""
    columns = ColumnPage.objects.order_by("path")
    return [column for column in columns if column.permissions_for_user(user).can_add_subpage()]


class WriteForm(forms.Form):
    column = ColumnChoiceField(
        label="栏目", queryset=ColumnPage.objects.none(), error_messages={
            "required": "请选择栏目。", "invalid_choice": "这个栏目不存在或您无权在其中写文章。"},
        widget=forms.Select(attrs={"size": 12, "data-kanwu-filter-target": "choices"}),
    )  # fmt: skip

    def __init__(self, *args: Any, columns: list[ColumnPage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["column"]
        field.queryset = ColumnPage.objects.filter(pk__in=[c.pk for c in columns]).order_by("path")


def add_article_url(column: Page) -> str:
    return reverse("wagtailadmin_pages:add", args=("articles", "articlepage", column.pk))


class WriteView(WagtailAdminTemplateMixin, FormView):  # type: ignore[type-arg]
    template_name = "columns/admin/write.html"
    page_title = "写文章"
    header_icon = "edit"

    def get_form(self, form_class: Any = None) -> WriteForm:
        columns = writable_columns(self.request.user)
        last = self.request.session.get(LAST_COLUMN)
        initial = {"column": last} if any(c.pk == last for c in columns) else {}
        if not initial and len(columns) == 1:
            initial = {"column": columns[0].pk}
        return WriteForm(**{**self.get_form_kwargs(), "initial": initial}, columns=columns)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context.update(action_url=reverse("kanwu_write"), submit_button_label="开始写作")
        return context

    def form_invalid(self, form: WriteForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: WriteForm) -> HttpResponse:
        column = form.cleaned_data["column"]
        self.request.session[LAST_COLUMN] = column.pk
        return redirect(add_article_url(column))


class WritePanel(Component):
    """The dashboard's 写文章 button."""

    order = 10
    template_name = "columns/admin/write_panel.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"url": reverse("kanwu_write")}


def may_write(request: HttpRequest) -> bool:
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return bool(PagePermissionPolicy().user_has_permission(request.user, "add"))
