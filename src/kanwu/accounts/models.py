"""The login log: every sign-in to the admin, failed or not, kept KANWU_LOGIN_LOG_DAYS days."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice


class LoginRecord(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", "登录成功"
        FAILURE = "failure", "密码错误"
        LOCKOUT = "lockout", "已锁定"
        TWO_FACTOR_FAILURE = "2fa_failure", "两步验证失败"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    username = models.CharField("尝试的用户名", max_length=150, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices, db_index=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True, db_index=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    class Meta:
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.get_outcome_display()}"


class StaffAuthenticator(TOTPDevice):
    """A staff member's authenticator (django-otp's TOTPDevice) under its Chinese name, as the
    admin lists it (两步验证设备) and as 用户组 offers its permissions."""

    class Meta:
        proxy = True
        verbose_name = "两步验证设备"
        verbose_name_plural = "两步验证设备"
