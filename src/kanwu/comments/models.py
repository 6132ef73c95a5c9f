"""Readers' comments (评论) under articles, their moderation state and the comment settings."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from kanwu.core.memo import RememberedSiteSetting

MAX_BODY_LENGTH = 2000
MAX_DEPTH = 5


class CommentQuerySet(models.QuerySet["Comment"]):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.PENDING)

    def oldest_first(self) -> CommentQuerySet:
        return self.order_by("created_at", "pk")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已批准"
        SPAM = "spam", "垃圾评论"
        TRASH = "trash", "回收站"

    article = models.ForeignKey(
        "articles.ArticlePage",
        verbose_name="文章",
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="回复的评论",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author_name = models.CharField("昵称", max_length=50)
    author_email = models.EmailField("邮箱", max_length=254)
    author_url = models.URLField("网址", max_length=200, blank=True)
    body = models.TextField("评论内容")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    notify_replies = models.BooleanField("有回复时邮件通知", default=False)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=255, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = "评论"
        verbose_name_plural = "评论"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author_name}：{self.body[:30]}"

    @property
    def depth(self) -> int:
        """1 for a top-level comment, 2 for a reply to it, and so on (walks the parents)."""
        depth, node = 1, self
        while node.parent_id is not None:
            depth += 1
            node = node.parent  # type: ignore[assignment]
        return depth


class ModerationPolicy(models.TextChoices):
    HOLD_ALL = "hold_all", "所有评论都需审核"
    HOLD_FIRST = "hold_first", "仅首次评论者需审核"
    PUBLISH = "publish", "直接发布"


@register_setting(icon="comment")
class CommentSettings(RememberedSiteSetting, BaseSiteSetting):
    policy = models.CharField(
        "审核方式",
        max_length=12,
        choices=ModerationPolicy.choices,
        default=ModerationPolicy.HOLD_ALL,
    )
    close_after_days = models.PositiveIntegerField(
        "自动关闭评论天数",
        default=0,
        help_text="文章发布超过这么多天后不再接受评论；0 表示永不自动关闭。",
    )
    max_links = models.PositiveSmallIntegerField(
        "每条评论最多链接数", default=2, help_text="超过此数的评论将被拒绝。"
    )
    moderator_emails = models.TextField(
        "审核通知邮箱",
        blank=True,
        help_text="有新评论待审核时通知这些邮箱，每行一个。",
    )

    panels = [
        FieldPanel("policy"),
        FieldPanel("close_after_days"),
        FieldPanel("max_links"),
        FieldPanel("moderator_emails"),
    ]

    class Meta:
        verbose_name = "评论设置"

    @property
    def moderator_email_list(self) -> list[str]:
        return [line.strip() for line in self.moderator_emails.splitlines() if line.strip()]


class ArticleCommentState(models.Model):
    """Per-article comment switches, kept here so the article model stays the articles app's."""

    article = models.OneToOneField(
        "articles.ArticlePage",
        verbose_name="文章",
        on_delete=models.CASCADE,
        related_name="comment_state",
    )
    closed = models.BooleanField("关闭评论", default=False)

    class Meta:
        verbose_name = "文章评论开关"
        verbose_name_plural = "文章评论开关"

    def __str__(self) -> str:
        return f"{self.article_id}: {'关闭' if self.closed else '开放'}"
