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
