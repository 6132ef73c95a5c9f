"""Sensitive words (敏感词) and what to do when a text contains one."""

from __future__ import annotations

from django.db import models


class Action(models.TextChoices):
    # Ordered from mildest to strictest; the strictest matched word decides.
    MASK = "mask", "替换为＊"
    HOLD = "hold", "转人工审核"
    REJECT = "reject", "拒绝"


class SensitiveWord(models.Model):
    word = models.CharField("敏感词", max_length=100, unique=True)
    action = models.CharField(
        "处理方式", max_length=10, choices=Action.choices, default=Action.HOLD
    )
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "敏感词"
        verbose_name_plural = "敏感词"
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
