"""Takedown requests (侵权投诉): rights holders ask for articles to be taken down."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from kanwu.casework.models import AttachmentBase, TrackedQuerySet, TrackedRequest


class Takedown(TrackedRequest):
    class Status(models.TextChoices):
        RECEIVED = "received", "已收到"
        IN_REVIEW = "in_review", "处理中"
        TAKEN_DOWN = "taken_down", "已下架"
        DECLINED = "declined", "已驳回"
        RESTORED = "restored", "已恢复"
        REPLIED = "replied", "已回复"

    class Right(models.TextChoices):
        COPYRIGHT = "copyright", "著作权（版权）"
        REPUTATION = "reputation", "名誉权"
        PRIVACY = "privacy", "隐私权"
        PORTRAIT = "portrait", "肖像权"
        TRADEMARK = "trademark", "商标权"
        OTHER = "other", "其他权利"

    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    name = models.CharField("投诉人", max_length=50)
    organisation = models.CharField("单位", max_length=100, blank=True)
    email = models.EmailField("电子邮箱")
    phone = models.CharField("电话", max_length=30, blank=True)
    right = models.CharField("主张的权利", max_length=20, choices=Right.choices)
    reason = models.TextField("理由")
    declared_at = models.DateTimeField("声明时间")
    flagged_words = models.CharField("敏感词", max_length=500, blank=True)

    objects = TrackedQuerySet.as_manager()
    STATUS_URL_NAME = "takedowns:status"

    class Meta(TrackedRequest.Meta):
        verbose_name = "侵权投诉"
        verbose_name_plural = "侵权投诉"

    @property
    def subject_title(self) -> str:
        return "、".join(article.title for article in self.articles.all())

    def __str__(self) -> str:
        first = self.articles.first()
        about = f"：{first.title}" if first else ""
        return f"{self.name}的投诉{about}"


class TakedownArticle(models.Model):
    """One article a request names, and whether it is taken down because of it."""

    class State(models.TextChoices):
        PENDING = "pending", "待处理"
        TAKEN_DOWN = "taken_down", "已下架"
        RESTORED = "restored", "已恢复"

    takedown = models.ForeignKey(
        Takedown, on_delete=models.CASCADE, related_name="articles", verbose_name="投诉"
    )
    article = models.ForeignKey(
        "articles.ArticlePage",
        verbose_name="文章",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.CharField("投诉的网址", max_length=500)
    title = models.CharField("文章标题", max_length=255)
    # The public path the article had ("/news/some-article/"): it answers 410 while taken down.
    path = models.CharField("路径", max_length=500, db_index=True)
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )

    class Meta:
        verbose_name = "被投诉的文章"
        verbose_name_plural = "被投诉的文章"
        ordering: ClassVar[list[str]] = ["pk"]

    def __str__(self) -> str:
        return self.title


class TakedownAttachment(AttachmentBase):
    takedown = models.ForeignKey(
        Takedown, on_delete=models.CASCADE, related_name="attachments", verbose_name="投诉"
    )

    class Meta:
        verbose_name = "证明材料"
        verbose_name_plural = "证明材料"
