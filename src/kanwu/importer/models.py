"""The import ledger and the near-duplicate fingerprints."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ImportedItem(models.Model):
    """One thing an import made, so a second run finds it and skips it.

    `source` names where it came from ("url" for a reposted page, "wp:<site>" for a WordPress
    site), `key` what it was there (a URL, "post:123", "category:news", "comment:9"...).
    """

    source = models.CharField("来源", max_length=200)
    key = models.CharField("标识", max_length=500)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField("对象编号")
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="importer_item_unique_key")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.source} {self.key}"


class ArticleFingerprint(models.Model):
    """A 64-bit SimHash of an article's body, split into four 16-bit bands.

    Two bodies within Hamming distance 3 share at least one band exactly (pigeonhole), so the
    near-duplicate lookup is four indexed equality matches, then an exact distance check.
    """

    page = models.OneToOneField(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    simhash = models.BigIntegerField("SimHash")  # signed: the 64 bits as stored by the database
    band0 = models.IntegerField(db_index=True)
    band1 = models.IntegerField(db_index=True)
    band2 = models.IntegerField(db_index=True)
    band3 = models.IntegerField(db_index=True)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "正文指纹"
        verbose_name_plural = "正文指纹"

    def __str__(self) -> str:
        return f"{self.page_id}: {self.simhash & 0xFFFFFFFFFFFFFFFF:016x}"


class WordPressImport(models.Model):
    """One WordPress export uploaded in the admin; the worker imports it and keeps the report.

    The uploaded file lives in the private data folder (never under MEDIA_ROOT: an export holds
    commenters' e-mail addresses) and is deleted once the import ends.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    filename = models.CharField("文件名", max_length=255)
    path = models.CharField("文件位置", max_length=500)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    report = models.TextField("导入报告", blank=True)
    created_by = models.ForeignKey(
        "auth.User", verbose_name="上传者", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "WordPress 导入"
        verbose_name_plural = "WordPress 导入"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"
