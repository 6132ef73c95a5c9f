"""The login log, the lockouts, TOTP devices and the two-factor pages in the admin."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from kanwu.accounts.models import LoginRecord, StaffAuthenticator
from kanwu.accounts.views import LockoutIndexView, TwoFactorSetupView, TwoFactorVerifyView
from kanwu.core.admin import AdministratorsOnlyIndexView, WithoutEditViewMixin
from kanwu.core.proxies import parse_address


class LoginRecordFilterSet(WagtailFilterSet):
    outcome = django_filters.ChoiceFilter(
        label="结果",
        choices=LoginRecord.Outcome.choices,
        widget=forms.RadioSelect,
        empty_label="全部",
    )
    created_at = django_filters.DateFromToRangeFilter(label="日期", widget=DateRangePickerWidget)
    username = django_filters.CharFilter(label="用户名", lookup_expr="icontains")
    ip_address = django_filters.CharFilter(label="IP 地址", method="filter_ip")

    class Meta:
        model = LoginRecord
        fields: list[str] = []

    def filter_ip(self, queryset: QuerySet[LoginRecord], name: str, value: str) -> Any:
        address = parse_address(value)
        # Not an address: nothing matches (PostgreSQL's inet column would refuse the value).
        return queryset.filter(ip_address=str(address)) if address else queryset.none()


class LoginRecordViewSet(WithoutEditViewMixin, ModelViewSet):
    """The login log, for administrators only, read-only: no add, edit or delete views."""

    model = LoginRecord
    icon = "key"
    menu_label = "登录日志"
    index_view_class = AdministratorsOnlyIndexView
    filterset_class = LoginRecordFilterSet
    list_display = [
        Column("created_at", label="时间"),
        Column("username", label="用户名"),
        Column("outcome", label="结果", accessor="get_outcome_display"),
        Column("ip_address", label="IP 地址"),
        Column("user_agent", label="浏览器"),
    ]
    search_fields = ["username", "user_agent"]
    copy_view_enabled = False
    form_fields = ["username"]

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs: dict[str, Any] = super().get_index_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


class TOTPDeviceViewSet(WithoutEditViewMixin, ModelViewSet):
    """Staff's authenticators: an administrator removes one after a lost phone."""

    model = StaffAuthenticator
    icon = "key"
    menu_label = "两步验证设备"
    index_view_class = AdministratorsOnlyIndexView
    list_display = [
        Column("user", label="用户"),
        Column("name", label="名称"),
        Column("confirmed", label="已绑定"),
        Column("last_used_at", label="最近使用"),
    ]
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["name"]

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs: dict[str, Any] = super().get_index_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None)
        return view_kwargs

    def get_delete_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs: dict[str, Any] = super().get_delete_view_kwargs(**kwargs)
        view_kwargs.update(usage_url_name=None, edit_url_name=None)
        return view_kwargs

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("delete/<str:pk>/", self.delete_view, name="delete"),
        ]

    def get_permissions_to_register(self) -> QuerySet[Permission]:
        """The proxy's own permissions (两步验证设备), not django-otp's "TOTP device" ones."""
        content_type = ContentType.objects.get_for_model(self.model, for_concrete_model=False)
        return Permission.objects.filter(content_type=content_type).exclude(
            codename__startswith="view_"
        )


login_log_viewset = LoginRecordViewSet("login_log")
totp_device_viewset = TOTPDeviceViewSet("totp_devices")


@hooks.register("register_admin_viewset")
def register_viewsets() -> list[ModelViewSet]:
    return [login_log_viewset, totp_device_viewset]


@hooks.register("register_admin_urls")
def register_urls() -> list[URLPattern]:
    return [
        path("2fa/", TwoFactorVerifyView.as_view(), name="kanwu_2fa_verify"),
        path("2fa/setup/", TwoFactorSetupView.as_view(), name="kanwu_2fa_setup"),
        path("lockouts/", LockoutIndexView.as_view(), name="kanwu_lockouts"),
    ]


@hooks.register("register_reports_menu_item")
def register_login_log_menu_item() -> AdminOnlyMenuItem:
    return AdminOnlyMenuItem("登录日志", reverse("login_log:index"), icon_name="key", order=910)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item() -> AdminOnlyMenuItem:
    return AdminOnlyMenuItem("登录锁定", reverse("kanwu_lockouts"), icon_name="lock", order=900)


@hooks.register("register_settings_menu_item")
def register_devices_menu_item() -> AdminOnlyMenuItem:
    return AdminOnlyMenuItem(
        "两步验证设备", reverse("totp_devices:index"), icon_name="key", order=910
    )


@hooks.register("register_account_menu_item")
def register_two_factor_account_item(request: HttpRequest) -> dict[str, str]:
    return {
        "url": reverse("kanwu_2fa_setup"),
        "label": "两步验证",
        "help_text": "用手机上的身份验证器生成验证码，登录时在密码之后输入。",
    }


SUPERUSERS_ONLY = "只有超级管理员可以创建、修改或删除超级管理员。"


def _refuse(request: HttpRequest) -> HttpResponse:
    messages.error(request, SUPERUSERS_ONLY)
    return HttpResponseRedirect(reverse("wagtailusers_users:index"))


@hooks.register("before_create_user")
def refuse_making_superusers(request: HttpRequest) -> HttpResponse | None:
    """Wagtail lets whoever may add users tick 管理员; 站点管理员 may manage users, but being
    one stops short of a superuser's rights."""
    if (
        request.method == "POST"
        and request.POST.get("is_superuser")
        and not request.user.is_superuser
    ):
        return _refuse(request)
    return None


@hooks.register("before_edit_user")
def refuse_touching_superusers(request: HttpRequest, user: Any) -> HttpResponse | None:
    """Nor may they change a superuser's account (its password, say); Wagtail itself keeps
    them from deleting one."""
    if request.user.is_superuser:
        return None
    if user.is_superuser or (request.method == "POST" and request.POST.get("is_superuser")):
        return _refuse(request)
    return None
