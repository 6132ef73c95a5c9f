"""Admin screens: 设置 › 栏目权限, 三审 on or off for a column, and an article's 审核记录."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from kanwu.columns.models import ColumnPage
from kanwu.core.ids import parse_id
from kanwu.roles import selectors, services
from kanwu.roles.forms import AssignForm
from kanwu.roles.models import ColumnRole


class ColumnRolesView(WagtailAdminTemplateMixin, View):
    """Who holds which role in which column; a form to add, a button to take one away."""

    template_name = "roles/admin/column_roles.html"
    page_title = "栏目权限"
    header_icon = "group"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not selectors.may_manage_roles(request.user):
            raise PermissionDenied
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def render_page(self, form: AssignForm, status: int = 200) -> HttpResponse:
        context = self.get_context_data(form=form, assignments=selectors.assignments())
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(AssignForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            return self.revoke(request)
        form = AssignForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        user, role = form.cleaned_data["user"], form.cleaned_data["role"]
        try:
            assigned = services.column_role_assign(
                by=request.user, user=user, role=role, columns=form.cleaned_data["columns"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_page(form, status=400)
        names = "、".join(str(column_role.column.title) for column_role in assigned)
        label = ColumnRole.Role(role).label
        messages.success(request, f"已将“{user.get_username()}”设为{names}的{label}。")
        return redirect("kanwu_column_roles")

    def revoke(self, request: HttpRequest) -> HttpResponse:
        user_id = parse_id(request.POST.get("user"))
        column_role_id = parse_id(request.POST.get("column_role"))
        user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        column_role = (
            ColumnRole.objects.filter(pk=column_role_id).select_related("column").first()
            if column_role_id
            else None
        )
        if user is None or column_role is None:
            messages.error(request, "要取消的权限不存在，可能已被取消。")
            return self.render_page(AssignForm(), status=400)
        services.column_role_revoke(by=request.user, user=user, column_role=column_role)
        messages.success(
            request,
            f"已取消“{user.get_username()}”在{column_role.column.title}的"
            f"{column_role.get_role_display()}权限。",
        )
        return redirect("kanwu_column_roles")


def _column_or_404(column_id: int) -> ColumnPage:
    # parse_id: a number past 2**63 is "no such column" (a lookup through the page_ptr key
    # would hand it to the database).
    pk = parse_id(column_id)
    column = ColumnPage.objects.filter(pk=pk).first() if pk else None
    if column is None:
        raise Http404("没有这个栏目。")
    return column


class ReviewSwitchView(WagtailAdminTemplateMixin, View):
    """三审 on or off for a column: a confirmation, then Wagtail's WorkflowPage row."""

    template_name = "roles/admin/review_switch.html"
    header_icon = "tasks"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.column = _column_or_404(kwargs["column_id"])
        if not selectors.may_switch_review(request.user, self.column):
            raise PermissionDenied
        self.on = selectors.review_on(self.column, services.THREE_REVIEWS)
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get_page_title(self) -> str:
        return f"{'关闭' if self.on else '开启'}三审：{self.column.title}"

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get(self, request: HttpRequest, column_id: int) -> HttpResponse:
        context = self.get_context_data(column=self.column, on=self.on)
        return TemplateResponse(request, self.template_name, context)

    def post(self, request: HttpRequest, column_id: int) -> HttpResponse:
        try:
            services.column_review_switch(by=request.user, column=self.column, on=not self.on)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            context = self.get_context_data(column=self.column, on=self.on)
            return TemplateResponse(request, self.template_name, context, status=400)
        if self.on:
            messages.success(request, f"栏目“{self.column.title}”已关闭三审。")
        else:
            messages.success(
                request,
                f"栏目“{self.column.title}”已开启三审：提交的文章须经初审、复审、终审后发布。",
            )
        return redirect("wagtailadmin_explore", self.column.pk)


class ReviewRecordView(WagtailAdminTemplateMixin, View):
    """审核记录: each step of each review of a page, who approved or sent it back, and when."""

    template_name = "roles/admin/review_record.html"
    header_icon = "history"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        page = Page.objects.filter(pk=kwargs["page_id"]).first()
        if page is None:
            raise Http404("没有这个页面。")
        explorable = PagePermissionPolicy().explorable_instances(request.user)
        if not explorable.filter(pk=page.pk).exists():
            raise PermissionDenied
        self.page = page
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get_page_title(self) -> str:
        return f"审核记录：{self.page.get_admin_display_title()}"

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get(self, request: HttpRequest, page_id: int) -> HttpResponse:
        context = self.get_context_data(
            page=self.page,
            steps=selectors.review_record(self.page),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
        )
        return TemplateResponse(request, self.template_name, context)
