"""The record of backups made: what the dashboard and `backup_status()` report."""

from __future__ import annotations

from django.db import models


class BackupRun(models.Model):
    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "定时备份"
        MANUAL = "manual", "手动备份"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("结束时间")
    ok = models.BooleanField("成功", default=False)
    path = models.CharField("备份文件", max_length=1000, blank=True)
    size = models.BigIntegerField("文件大小（字节）", null=True, blank=True)
    message = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "备份记录"
        verbose_name_plural = "备份记录"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        result = "成功" if self.ok else "失败"
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M} {result}"
