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


class ImportRun(models.Model):
    """What an import the worker runs shares: its state, how far it got, the errors so far.

    The worker writes the counts in batches (`progress.ProgressRecorder`), each write its own
    short transaction, so the run page shows them while the import goes on.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    skipped = models.PositiveIntegerField("已跳过", default=0)
    failed = models.PositiveIntegerField("失败", default=0)
    # The first errors (ERRORS_KEPT at most); the report lists every one at the end.
    errors = models.JSONField("错误", default=list, blank=True)
    report = models.TextField("导入报告", blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    created_by = models.ForeignKey(
        "auth.User", verbose_name="提交者", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.label}（{self.get_status_display()}）"

    @property
    def label(self) -> str:
        raise NotImplementedError

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def errors_not_listed(self) -> int:
        return max(0, self.failed - len(self.errors))

    @property
    def percent(self) -> int:
        return min(100, 100 * self.done // self.total) if self.total else 0


class WordPressImport(ImportRun):
    """One WordPress export uploaded in the admin; the worker imports it and keeps the report.

    The uploaded file lives in the private data folder (never under MEDIA_ROOT: an export holds
    commenters' e-mail addresses) and is deleted once the import ends. `total` is the number of
    items in the file, `done` the items handled; `skipped` and `failed` count everything the
    report lists as skipped (comments, redirects and tags too).
    """

    filename = models.CharField("文件名", max_length=255)
    path = models.CharField("文件位置", max_length=500)
    # The blog the file is from, as the import ledger names it ("wp:<address>").
    source = models.CharField("来源", max_length=200, blank=True)
    # A run that fetches the images an earlier import could not (重新获取图片), not a file.
    retry_media = models.BooleanField("重新获取图片", default=False)

    class Meta(ImportRun.Meta):
        verbose_name = "WordPress 导入"
        verbose_name_plural = "WordPress 导入"

    @property
    def label(self) -> str:
        return f"重新获取图片（{self.filename}）" if self.retry_media else self.filename

    @property
    def pending_media_count(self) -> int:
        """Images the blog's imported pages still lack (the run page offers to fetch them)."""
        if not self.source:
            return 0
        return PendingMedia.objects.filter(source=self.source).count()


class PendingMedia(models.Model):
    """An image a WordPress import could not fetch, kept to be fetched again.

    The page's body holds a marker where the image goes (`PENDING_EMBED`, which readers never
    see) or, for `role` cover, the page has no cover yet. `kanwu import-wordpress FILE
    --retry-media` and the run page's 重新获取图片 fetch it, put it in place and delete the row.
    """

    class Role(models.TextChoices):
        BODY = "body", "正文图片"
        COVER = "cover", "封面图片"

    source = models.CharField("来源", max_length=200)
    url = models.CharField("图片网址", max_length=2000)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="页面", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField("用途", max_length=10, choices=Role.choices, default=Role.BODY)
    # The WordPress attachment the URL is the file of, "" for an image only a body names.
    attachment_id = models.CharField("附件编号", max_length=20, blank=True)
    reason = models.CharField("原因", max_length=500)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_tried_at = models.DateTimeField("上次尝试", null=True, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "待获取图片"
        verbose_name_plural = "待获取图片"
        indexes = [models.Index(fields=["source", "page"])]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.url}（{self.get_role_display()}）"


class UrlImport(ImportRun):
    """从网址导入 of more URLs than a request should fetch: the worker imports them one by one.

    `results` holds one line per URL done: {"url", "status", "label", "message", "warnings",
    "title", "edit_url", "existing"}.
    """

    urls = models.JSONField("网址", default=list)
    column = models.ForeignKey(
        "columns.ColumnPage", verbose_name="栏目", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    big5_to_simplified = models.BooleanField("繁体转换为简体", default=False)
    remote_images = models.BooleanField("图片保留原网址", default=False)
    results = models.JSONField("各网址结果", default=list, blank=True)

    class Meta(ImportRun.Meta):
        verbose_name = "网址导入"
        verbose_name_plural = "网址导入"

    @property
    def label(self) -> str:
        return f"{len(self.urls)} 个网址"
