"""Contributions (投稿): articles readers send in, built on kanwu.casework."""

from __future__ import annotations

from django.db import models

from kanwu.casework.models import AttachmentBase, TrackedQuerySet, TrackedRequest


class Submission(TrackedRequest):
    class Status(models.TextChoices):
        RECEIVED = "received", "已收到"
        IN_REVIEW = "in_review", "审核中"
        ACCEPTED = "accepted", "已采用"
        DECLINED = "declined", "未采用"
        REPLIED = "replied", "已回复"

    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    name = models.CharField("姓名", max_length=50)
    email = models.EmailField("电子邮箱", blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    consent_at = models.DateTimeField("同意条款时间")
    flagged_words = models.CharField("敏感词", max_length=500, blank=True)
    article = models.ForeignKey(
        "articles.ArticlePage",
        verbose_name="采用后的文章",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TrackedQuerySet.as_manager()
    STATUS_URL_NAME = "submissions:status"

    class Meta(TrackedRequest.Meta):
        verbose_name = "投稿"
        verbose_name_plural = "投稿"

    def __str__(self) -> str:
        return self.title


class SubmissionAttachment(AttachmentBase):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="attachments", verbose_name="投稿"
    )

    class Meta:
        verbose_name = "投稿附件"
        verbose_name_plural = "投稿附件"
