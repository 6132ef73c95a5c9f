"""Writes of the account-security features: the login log, lockouts, TOTP devices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kanwu.accounts.models import LoginRecord
from kanwu.core.proxies import client_ip

DEVICE_NAME = "身份验证器"


def _clean(value: object, limit: int) -> str:
    """Text safe for any database column: no NUL or other control characters, cut short."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value or ""))
    return text.strip()[:limit]


def login_record_write(
    *, request: HttpRequest | None, username: object, outcome: str, user: Any = None
) -> LoginRecord:
    """Append one entry to the login log (address from core.proxies.client_ip)."""
    real_user = user if getattr(user, "pk", None) is not None else None
    meta = request.META if request is not None else {}
    return LoginRecord.objects.create(
        username=_clean(username or (real_user.get_username() if real_user else ""), 150),
        user=real_user,
        outcome=outcome,
        ip_address=client_ip(request) if request is not None else None,
        user_agent=_clean(meta.get("HTTP_USER_AGENT", ""), 300),
    )


def login_log_prune(*, now: dt.datetime | None = None) -> int:
    """Delete login records older than KANWU_LOGIN_LOG_DAYS (never fewer than 180) days."""
    days = max(180, int(getattr(settings, "KANWU_LOGIN_LOG_DAYS", 180)))
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _ = LoginRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def lockout_release(*, username: str | None = None, ip_address: str | None = None) -> int:
    """Unlock an account or an address (django-axes forgets its failures); returns how many
    failure records were removed."""
    if username:
        return int(axes_reset(username=username))
    if ip_address:
        return int(axes_reset(ip=ip_address))
    return 0


def lockouts_release_all() -> int:
    """Unlock every account and address (`kanwu axes_reset`)."""
    return int(axes_reset())


def totp_device_pending(*, user: Any) -> TOTPDevice:
    """The device being enrolled: an unconfirmed TOTP device, made on first use, kept until
    confirmed (so the QR code does not change when the page is reloaded)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment with the first code the app shows; the session counts as verified.
    Other devices of the user are removed (one authenticator at a time)."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not locked.verify_token(token):
        login_record_write(request=request, username="", user=locked.user, outcome="2fa_failure")
        return False
    TOTPDevice.objects.filter(user=locked.user).exclude(pk=locked.pk).delete()
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    otp_login(request, locked)
    return True


WRONG_CODE = "验证码不正确或已过期，请重新输入手机上显示的 6 位数字。"
TOO_MANY = "验证码错误次数过多，请等待 {seconds} 秒后再试。"


def totp_verify(*, request: HttpRequest, token: str) -> str | None:
    """The second step of signing in: check a code against the user's confirmed devices.
    Returns None when it matched (the session is verified), else the message to show. A wrong
    code is logged; django-otp makes each further try wait twice as long (1, 2, 4… seconds)."""
    user = request.user
    wait = 0
    with transaction.atomic():
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
        for device in devices:
            allowed, details = device.verify_is_allowed()
            if not allowed:
                wait = max(wait, _throttle_seconds(device, details))
                continue
            if device.verify_token(token):
                otp_login(request, device)
                return None
    login_record_write(request=request, username="", user=user, outcome="2fa_failure")
    return TOO_MANY.format(seconds=wait) if wait else WRONG_CODE


def _throttle_seconds(device: TOTPDevice, details: dict[str, Any] | None) -> int:
    failures = int((details or {}).get("failure_count") or device.throttling_failure_count or 1)
    required = device.get_throttle_factor() * 2 ** (failures - 1)
    started = device.throttling_failure_timestamp or timezone.now()
    left = required - (timezone.now() - started).total_seconds()
    return max(1, int(left + 0.999))


def totp_devices_remove(*, user: Any) -> int:
    """Turn two-factor login off for `user` (an administrator's help after a lost phone)."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted
