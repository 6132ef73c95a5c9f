"""Reads of the account-security features: who needs a second factor, current lockouts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice


def is_staff_user(user: Any) -> bool:
    """Someone who may use the admin (Wagtail's access_admin permission, staff, superuser)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))


def has_totp_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def needs_second_factor(user: Any) -> bool:
    """A staff user whose session has not passed a code yet, who has a device (or must)."""
    if not is_staff_user(user) or is_verified(user):
        return False
    return bool(settings.KANWU_REQUIRE_2FA) or has_totp_device(user)


def needs_enrolment(user: Any) -> bool:
    """KANWU_REQUIRE_2FA and no device yet: enrol before anything else."""
    return bool(settings.KANWU_REQUIRE_2FA) and not has_totp_device(user)


@dataclass(frozen=True)
class Lockout:
    """An account (username) or an address (ip_address) locked by django-axes."""

    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    last_attempt: dt.datetime
    until: dt.datetime

    @property
    def label(self) -> str:
        return "账号" if self.kind == "username" else "IP 地址"


def lockouts_current(*, now: dt.datetime | None = None) -> list[Lockout]:
    """Accounts and addresses with AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME."""
    now = now or timezone.now()
    cooloff: dt.timedelta = settings.AXES_COOLOFF_TIME
    limit = int(settings.AXES_FAILURE_LIMIT)
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cooloff)
    found: list[Lockout] = []
    for kind in ("username", "ip_address"):
        rows = (
            recent.exclude(**{f"{kind}__isnull": True})
            .values(kind)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
            .order_by("-last")
        )
        found.extend(
            Lockout(kind, str(row[kind]), int(row["failures"]), row["last"], row["last"] + cooloff)
            for row in rows
        )
    return sorted(found, key=lambda lockout: lockout.last_attempt, reverse=True)
