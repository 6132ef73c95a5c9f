"""What both reader workflows (投稿 and 侵权投诉) share: the tracked request with its reply
clock, reply templates, the append-only audit log and the mail they send."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from kanwu.uploads import private_storage

DEFAULT_REPLY_HOURS = 24
DUE_SOON_HOURS = 4


# Crockford's base32: no I, L, O or U, so a code read out on the phone is not misheard.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 random bits
MISREAD = str.maketrans({"I": "1", "L": "1", "O": "0", "-": None, " ": None, "\u3000": None})


def new_tracking_code() -> str:
    """The code a reader looks up their item with: 10 Crockford base32 characters (50 bits),
    shown in groups as K7Q2-M9XD-4F."""
    return "".join(secrets.choice(CROCKFORD) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as typed (lower case, with dashes or spaces, I/L for 1, O for 0) as stored.
    Codes made before Crockford codes (22 mixed-case characters) are returned as typed."""
    text = text.strip()
    folded = text.upper().translate(MISREAD)
    if len(folded) == CODE_LENGTH and all(char in CROCKFORD for char in folded):
        return folded
    return text


def display_code(code: str) -> str:
    """K7Q2M9XD4F → K7Q2-M9XD-4F; older codes unchanged."""
    if len(code) != CODE_LENGTH:
        return code
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


@register_setting(icon="time")
class WorkflowSettings(BaseSiteSetting):
    reply_hours = models.PositiveSmallIntegerField(
        "回复时限（小时）",
        default=DEFAULT_REPLY_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text="投稿和侵权投诉须在收到后多少小时内回复；请与站点设置中的“回复承诺”保持一致。",
    )
    reminder_hours = models.PositiveSmallIntegerField(
        "提前提醒（小时）",
        default=DUE_SOON_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 7)],
        help_text="到期前多少小时给负责的编辑发提醒邮件（每条只发一次）。",
    )

    panels = [FieldPanel("reply_hours"), FieldPanel("reminder_hours")]

    class Meta:
        verbose_name = "投稿与投诉设置"

    def __str__(self) -> str:
        return f"{self.reply_hours} 小时内回复"


class TrackedQuerySet(models.QuerySet[Any]):
    def open(self) -> TrackedQuerySet:
        """Items still waiting for an answer: their clock is running."""
        return self.filter(answered_at__isnull=True)

    def overdue(self, now: dt.datetime | None = None) -> TrackedQuerySet:
        return self.open().filter(due_at__lt=now or timezone.now())

    def due_within(self, hours: float, now: dt.datetime | None = None) -> TrackedQuerySet:
        """Open items whose deadline falls in the next `hours` hours (overdue ones excluded)."""
        now = now or timezone.now()
        return self.open().filter(due_at__gte=now, due_at__lt=now + dt.timedelta(hours=hours))


class TrackedRequest(models.Model):
    """Something a reader sent that editors must answer within the promised time."""

    OPEN_STATUSES: ClassVar[tuple[str, ...]] = ("received", "in_review")
    RECEIVED, IN_REVIEW, REPLIED = "received", "in_review", "replied"
    STATUS_URL_NAME: ClassVar[str]  # the reader's status page, e.g. "submissions:status"
    # Declared by each workflow's model, with its own labels.
    name: str
    email: str

    code = models.CharField(
        "查询码", max_length=32, unique=True, default=new_tracking_code, editable=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="负责编辑",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("收到时间", default=timezone.now, db_index=True)
    due_at = models.DateTimeField("回复期限", db_index=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True)
    public_reply = models.TextField("给对方的答复", blank=True)
    replied_at = models.DateTimeField("最近答复时间", null=True, blank=True)
    ip_address = models.GenericIPAddressField("来源IP", null=True, blank=True)
    # Every workflow starts at RECEIVED, goes IN_REVIEW when assigned and may end REPLIED;
    # concrete subclasses redeclare the field with their own choices.
    status = models.CharField("状态", max_length=20, default=RECEIVED, db_index=True)

    # Concrete subclasses declare `objects = TrackedQuerySet.as_manager()`.

    class Meta:
        abstract = True
        ordering: ClassVar[list[str]] = ["-created_at"]

    @property
    def display_code(self) -> str:
        return display_code(self.code)

    @property
    def subject_title(self) -> str:
        """What the item is about: {标题} in reply templates."""
        return str(self)

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()


class AttachmentBase(models.Model):
    """A reader's file, stored privately (uploads) and handed to editors as a download."""

    file = models.FileField("文件", storage=private_storage, max_length=200)
    original_name = models.CharField("原文件名", max_length=100)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class ReplyTemplate(models.Model):
    class Use(models.TextChoices):
        ALL = "all", "通用"
        SUBMISSION = "submission", "投稿"
        TAKEDOWN = "takedown", "侵权投诉"

    name = models.CharField("模板名称", max_length=50)
    use = models.CharField("用于", max_length=20, choices=Use.choices, default=Use.ALL)
    subject = models.CharField("邮件标题", max_length=200)
    body = models.TextField(
        "邮件正文",
        help_text="可用占位符：{姓名} {标题} {查询码} {查询网址} {网站名称}",
    )

    panels = [FieldPanel("name"), FieldPanel("use"), FieldPanel("subject"), FieldPanel("body")]

    class Meta:
        verbose_name = "回复模板"
        verbose_name_plural = "回复模板"
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("the audit log is append-only")


ACTION_LABELS = {
    "create": "收到", "assign": "指定负责编辑", "reply": "答复", "remind": "提醒",
    "accept": "采用", "decline": "拒绝", "take_down": "下架", "restore": "恢复发布",
}  # fmt: skip


class AuditEntry(models.Model):
    """One thing someone did to a contribution or takedown request. Never changed or deleted."""

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=40, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField("对象编号", max_length=40, db_index=True)
    object_repr = models.CharField("对象", max_length=200)
    message = models.TextField("说明", blank=True)
    data = models.JSONField("详情", default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user_name or '访客'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("the audit log is append-only")

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


class OutgoingMail(models.Model):
    """A mail the workflows send (receipts, replies, reminders), and how sending it went.

    The worker sends it; a failure is retried with a growing delay a bounded number of
    times (submissions.tasks). Editors see the state on the item it is about.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "等待发送"
        SENDING = "sending", "正在发送"
        RETRYING = "retrying", "发送失败，等待重试"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    created_at = models.DateTimeField("创建时间", default=timezone.now, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="对象类型",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    object_id = models.CharField("对象编号", max_length=40, blank=True, db_index=True)
    subject = models.CharField("标题", max_length=255)
    body = models.TextField("正文")
    recipients = models.JSONField("收件人", default=list)
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.CharField("失败原因", max_length=500, blank=True)
    next_attempt_at = models.DateTimeField("下次重试", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "外发邮件"
        verbose_name_plural = "外发邮件"
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject}（{self.get_state_display()}）"

    @property
    def state_label(self) -> str:
        """What editors read: 已发送, or 发送失败：<reason>."""
        if self.state in (self.State.FAILED, self.State.RETRYING) and self.last_error:
            return f"{self.get_state_display()}：{self.last_error}"
        return str(self.get_state_display())


def clock_label(item: TrackedRequest) -> str:
    """How the item stands against its deadline, for the admin queue."""
    if not item.is_open:
        return "已答复"
    left = item.due_at - timezone.now()
    hours = abs(left.total_seconds()) / 3600
    amount = f"{hours:.0f} 小时" if hours >= 1 else f"{max(1, round(hours * 60))} 分钟"
    return f"已逾期 {amount}" if left.total_seconds() < 0 else f"剩余 {amount}"
