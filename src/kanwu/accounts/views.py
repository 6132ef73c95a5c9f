"""Admin pages of the account-security features: the lockout page, the two-factor code and
enrolment pages, and the list of current lockouts with 解锁."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from wagtail.admin.views.account import get_user_login_form
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kanwu.accounts import selectors, services
from kanwu.accounts.forms import TokenForm
from kanwu.core.proxies import parse_address


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"登录失败次数过多，该账号或您所在的地址已被锁定 {minutes} 分钟。"
        "请稍后再试，或请管理员在“设置 › 登录锁定”中解锁。"
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the Wagtail login page again, with the lockout explained."""
    username = str((credentials or {}).get("username", ""))[:150]
    context = {
        "form": get_user_login_form()(request, initial={"username": username}),
        "lockout_message": lockout_message(),
        "next": _next_url(request, request.POST.get("next", "")),
    }
    return render(request, "accounts/locked_out.html", context, status=429)


def _next_url(request: HttpRequest, raw: str) -> str:
    """Where to go after the code: an admin page of this site, else the dashboard."""
    home = reverse("wagtailadmin_home")
    if (
        raw
        and raw.startswith("/admin/")
        and url_has_allowed_host_and_scheme(
            raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return raw
    return home


class TwoFactorVerifyView(View):
    """After the password: the code from the authenticator app."""

    template_name = "accounts/verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.next_url = _next_url(request, request.GET.get("next") or request.POST.get("next", ""))
        if not selectors.needs_second_factor(request.user):
            return HttpResponseRedirect(self.next_url)
        if selectors.needs_enrolment(request.user):
            return HttpResponseRedirect(reverse("kanwu_2fa_setup"))
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form: TokenForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "next": self.next_url}
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenForm(request.POST)
        if form.is_valid():
            error = services.totp_verify(request=request, token=form.cleaned_data["token"])
            if error is None:
                return HttpResponseRedirect(self.next_url)
            form.add_error("token", error)
        return self.render_form(form, status=400)


class TwoFactorSetupView(WagtailAdminTemplateMixin, View):
    """The account area's 两步验证: enrol an authenticator app (QR code), or see it is on."""

    template_name = "accounts/setup.html"
    page_title = "两步验证"
    header_icon = "key"

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("wagtailadmin_account"), "label": "帐号"},
            {"url": "", "label": self.page_title},
        ]

    def render_page(self, form: TokenForm, status: int = 200) -> HttpResponse:
        user = self.request.user
        enrolled = selectors.has_totp_device(user)
        context: dict[str, Any] = {"form": form, "enrolled": enrolled, "next": self.next_url}
        if not enrolled:
            device = services.totp_device_pending(user=user)
            context["qr_code"] = segno.make(device.config_url, error="m").svg_data_uri(
                scale=5, border=2
            )
            context["secret"] = _grouped(device.config_url)
        context["required"] = bool(settings.KANWU_REQUIRE_2FA)
        return TemplateResponse(
            self.request, self.template_name, self.get_context_data(**context), status=status
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not selectors.is_staff_user(request.user):
            raise PermissionDenied
        self.next_url = _next_url(request, request.GET.get("next") or request.POST.get("next", ""))
        # Someone with a device who has not entered a code yet proves it first.
        if selectors.has_totp_device(request.user) and not selectors.is_verified(request.user):
            return HttpResponseRedirect(reverse("kanwu_2fa_verify"))
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "disable":
            if settings.KANWU_REQUIRE_2FA:
                messages.error(request, "本站要求所有工作人员使用两步验证，不能关闭。")
                return self.render_page(TokenForm(), status=400)
            services.totp_devices_remove(user=request.user)
            messages.success(request, "两步验证已关闭。")
            return HttpResponseRedirect(reverse("kanwu_2fa_setup"))
        form = TokenForm(request.POST)
        if form.is_valid():
            device = services.totp_device_pending(user=request.user)
            if services.totp_device_confirm(
                request=request, device=device, token=form.cleaned_data["token"]
            ):
                messages.success(request, "两步验证已开启：以后登录时，输入密码后还要输入验证码。")
                return HttpResponseRedirect(self.next_url)
            form.add_error("token", services.WRONG_CODE)
        return self.render_page(form, status=400)


def _grouped(config_url: str) -> str:
    """The secret from an otpauth:// URL, in groups of four, for typing in by hand."""
    secret = config_url.split("secret=", 1)[-1].split("&", 1)[0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class LockoutIndexView(WagtailAdminTemplateMixin, View):
    """设置 › 登录锁定 (administrators): the accounts and addresses locked now, with 解锁."""

    template_name = "accounts/lockouts.html"
    page_title = "登录锁定"
    header_icon = "lock"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_superuser:
            raise PermissionDenied
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get(self, request: HttpRequest) -> HttpResponse:
        context = self.get_context_data(
            lockouts=selectors.lockouts_current(),
            limit=settings.AXES_FAILURE_LIMIT,
            minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        )
        return TemplateResponse(request, self.template_name, context)

    def post(self, request: HttpRequest) -> HttpResponse:
        kind = request.POST.get("kind", "")
        value = request.POST.get("value", "").strip()[:255]
        address = parse_address(value) if kind == "ip_address" else None
        if kind == "username" and value:
            services.lockout_release(username=value)
            messages.success(request, f"账号“{value}”已解锁。")
        elif address is not None:
            services.lockout_release(ip_address=str(address))
            messages.success(request, f"IP 地址 {address} 已解锁。")
        else:
            messages.error(request, "请选择要解锁的账号或地址。")
        return HttpResponseRedirect(reverse("kanwu_lockouts"))
