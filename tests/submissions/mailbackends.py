"""Mail backends that fail, for the retry tests (set as EMAIL_BACKEND)."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend

CALLS = {"count": 0}


class FailOnceBackend(EmailBackend):
    """The first message sent after CALLS is reset fails; the rest go to mail.outbox."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        CALLS["count"] += 1
        if CALLS["count"] == 1:
            raise smtplib.SMTPServerDisconnected("连接意外关闭")
        sent: int = super().send_messages(messages)
        return sent


class AlwaysFailBackend(EmailBackend):
    def send_messages(self, messages: Sequence[EmailMessage], *args: Any) -> int:
        CALLS["count"] += 1
        raise smtplib.SMTPRecipientsRefused({"zs@example.cn": (550, b"mailbox unavailable")})
