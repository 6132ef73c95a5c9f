from __future__ import annotations

from django.db import models


class PageViews(models.Model):
    """How many times readers opened a page (counted by the beacon, flushed in batches)."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    count = models.PositiveBigIntegerField("阅读次数", default=0)

    class Meta:
        verbose_name = "阅读次数"
        verbose_name_plural = "阅读次数"

    def __str__(self) -> str:
        return f"{self.page_id}: {self.count}"


class PageViewsHour(models.Model):
    """A page's views within one clock hour (UTC), written with `PageViews` by the same
    batched flush: 热门's 24-hour and 7-day windows are sums of these (kanwu.publishing.hot),
    which keeps them for eight days."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField("小时")
    count = models.PositiveIntegerField("阅读次数", default=0)

    class Meta:
        verbose_name = "每小时阅读次数"
        verbose_name_plural = "每小时阅读次数"
        constraints = [
            models.UniqueConstraint(fields=["page", "hour"], name="page_views_hour_once")
        ]
        indexes = [models.Index(fields=["hour"], name="page_views_hour")]

    def __str__(self) -> str:
        return f"{self.page_id} {self.hour:%Y-%m-%d %H}: {self.count}"


class BaiduPush(models.Model):
    """One push of new or changed addresses to Baidu's link submission API, and its answer
    (报告 › 百度推送记录)."""

    class Status(models.TextChoices):
        SENT = "sent", "已推送"
        FAILED = "failed", "失败"

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    urls = models.TextField("网址")
    status = models.CharField("结果", max_length=10, choices=Status.choices)
    pushed = models.PositiveIntegerField("成功条数", default=0)
    remain = models.IntegerField("当天剩余条数", null=True, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "百度推送记录"
        verbose_name_plural = "百度推送记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.Status(self.status).label}"
