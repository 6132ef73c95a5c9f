"""The login log is written from Django's login signals and django-axes' lockout signal.

Each attempt gets one record, whatever order the receivers run in: a failure that locks the
account (or address) and an attempt refused during a lockout are recorded as "lockout". The
record written for a request is remembered on it, so the lockout signal, which may come
before or after Django's `user_login_failed`, changes that record instead of adding one.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest

from kanwu.accounts.models import LoginRecord
from kanwu.accounts.services import login_record_write

RECORD_ATTR = "_kanwu_login_record"
DISPATCH_PREFIX = "kanwu.accounts."


def _username(credentials: dict[str, Any] | None) -> object:
    return (credentials or {}).get("username", "")


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    login_record_write(request=request, username="", user=user, outcome="success")


def on_login_failed(
    sender: Any,
    credentials: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    if request is not None and (
        getattr(request, RECORD_ATTR, None) is not None
        or getattr(request, "axes_locked_out", False)
    ):
        return  # recorded as a lockout
    record = login_record_write(request=request, username=_username(credentials), outcome="failure")
    if request is not None:
        setattr(request, RECORD_ATTR, record)


def on_locked_out(
    sender: Any, request: HttpRequest | None = None, username: Any = "", **kwargs: Any
) -> None:
    record: LoginRecord | None = getattr(request, RECORD_ATTR, None) if request else None
    if record is not None:
        if record.outcome != "lockout":
            record.outcome = "lockout"
            record.save(update_fields=["outcome"])
        return
    record = login_record_write(request=request, username=username, outcome="lockout")
    if request is not None:
        setattr(request, RECORD_ATTR, record)


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid=DISPATCH_PREFIX + "logged_in")
    user_login_failed.connect(on_login_failed, dispatch_uid=DISPATCH_PREFIX + "login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid=DISPATCH_PREFIX + "locked_out")
