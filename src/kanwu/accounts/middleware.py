"""Two-factor login for the admin: after the password, a code, before any admin page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

from kanwu.accounts.selectors import needs_enrolment, needs_second_factor

ADMIN_PREFIX = "/admin/"
# Admin URLs an unverified user may still reach: signing in and out, the code and enrolment
# pages themselves, and the admin's translation catalogue those pages load.
OPEN_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "kanwu_2fa_verify",
    "kanwu_2fa_setup",
    "wagtailadmin_javascript_catalog",
)


def _open_paths() -> tuple[str, ...]:
    return tuple(reverse(name) for name in OPEN_URL_NAMES)


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: a staff user who has a TOTP device (or every staff
    user, with KANWU_REQUIRE_2FA) is sent to enter a code (or to enrol) until the session is
    verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.open_paths: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        if path.startswith(ADMIN_PREFIX):
            if self.open_paths is None:
                self.open_paths = _open_paths()
            if path not in self.open_paths and needs_second_factor(request.user):
                target = "kanwu_2fa_setup" if needs_enrolment(request.user) else "kanwu_2fa_verify"
                return HttpResponseRedirect(
                    f"{reverse(target)}?next={quote(request.get_full_path(), safe='/')}"
                )
        return self.get_response(request)
