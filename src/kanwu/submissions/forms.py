"""The public contribution form, and the forms editors use in the admin queue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator

from kanwu.columns.models import ColumnPage
from kanwu.core.uploads import MB, CheckedFile, UploadRefused, allowed_labels, check_upload
from kanwu.submissions.models import ReplyTemplate

MAX_FILES = 5
MAX_FILE_BYTES = 20 * MB
MAX_TOTAL_BYTES = 50 * MB
ATTACHMENT_KINDS = frozenset({"doc", "docx", "pdf", "jpeg", "png", "webp"})
PHONE_VALIDATOR = RegexValidator(r"^\+?[0-9][0-9\- ()]{4,28}$", "请输入有效的电话号码。")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; `clean` returns the list of uploads as given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [upload for upload in data if upload]
        return [data] if data else []


def check_uploads(
    uploads: list[Any],
    *,
    allowed: frozenset[str],
    max_files: int = MAX_FILES,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> list[CheckedFile]:
    """Check every file by content; raise one ValidationError listing every refusal."""
    if len(uploads) > max_files:
        raise forms.ValidationError(f"附件最多 {max_files} 个，您选择了 {len(uploads)} 个。")
    if sum(upload.size or 0 for upload in uploads) > max_total_bytes:
        raise forms.ValidationError(f"附件总大小不能超过 {max_total_bytes // MB} MB。")
    checked: list[CheckedFile] = []
    errors: list[str] = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, allowed=allowed, max_bytes=max_file_bytes))
        except UploadRefused as refusal:
            errors.extend(refusal.messages)
    if errors:
        raise forms.ValidationError([*errors, "请重新选择附件后再提交。"])
    return checked


class SubmissionForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        error_messages={"invalid": "请输入有效的电子邮箱地址。"},
        help_text="电子邮箱和电话至少填写一项；留邮箱可收到回执和答复。",
    )
    phone = forms.CharField(
        label="电话", max_length=30, required=False, validators=[PHONE_VALIDATOR]
    )
    title = forms.CharField(
        label="标题", max_length=200, error_messages={"required": "请填写稿件标题。"}
    )
    body = forms.CharField(
        label="正文",
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "请填写稿件正文。"},
        help_text="纯文本即可，空一行分段；"
        "可使用少量格式标签，如 <b>、<i>、<h2>、<ul>、<blockquote>。",
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text=f"最多 {MAX_FILES} 个，每个不超过 {MAX_FILE_BYTES // MB} MB，合计不超过 "
        f"{MAX_TOTAL_BYTES // MB} MB；接受 {allowed_labels(ATTACHMENT_KINDS)}。",
    )
    consent = forms.BooleanField(
        label="我确认稿件为本人原创或已获授权，并同意本站编辑、发表该稿件。",
        error_messages={"required": "请阅读并勾选投稿声明。"},
    )

    def clean_attachments(self) -> list[CheckedFile]:
        return check_uploads(self.cleaned_data["attachments"], allowed=ATTACHMENT_KINDS)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error("email", "电子邮箱和电话请至少填写一项，以便编辑与您联系。")
        return cleaned


class StatusLookupForm(forms.Form):
    code = forms.CharField(
        label="查询码", max_length=64, error_messages={"required": "请输入查询码。"}
    )


# ---- admin forms -------------------------------------------------------------------------


def editor_choices() -> Any:
    """Active users who can use the admin: the people an item can be assigned to."""
    from django.db.models import Q

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="access_admin")
            | Q(user_permissions__codename="access_admin")
        )
        .distinct()
        .order_by("username")
    )


class AssignForm(forms.Form):
    action_title = "指定负责编辑"
    assignee = forms.ModelChoiceField(
        label="负责编辑", queryset=get_user_model().objects.none(), required=False,
        empty_label="（不指定）",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = editor_choices()  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    action_title = "答复（发送邮件并显示在查询页）"
    template = forms.ModelChoiceField(
        label="回复模板", queryset=ReplyTemplate.objects.none(), required=False,
        empty_label="（不用模板）",
        help_text="选择模板后，留空的标题和正文用模板填写。",
    )  # fmt: skip
    subject = forms.CharField(label="邮件标题", max_length=200, required=False)
    body = forms.CharField(
        label="答复内容", widget=forms.Textarea(attrs={"rows": 8}), required=False
    )

    def __init__(self, *args: Any, use: str = ReplyTemplate.Use.SUBMISSION, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["template"]
        field.queryset = ReplyTemplate.objects.filter(use__in=[ReplyTemplate.Use.ALL, use])

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        template = cleaned.get("template")
        if template:
            cleaned["subject"] = cleaned.get("subject") or template.subject
            cleaned["body"] = cleaned.get("body") or template.body
        if not cleaned.get("body"):
            self.add_error("body", "请填写答复内容，或选择一个回复模板。")
        if not cleaned.get("subject"):
            cleaned["subject"] = "来自编辑部的答复"
        return cleaned


class AcceptForm(forms.Form):
    action_title = "采用，生成草稿文章"
    column = forms.ModelChoiceField(
        label="放入栏目", queryset=ColumnPage.objects.all().order_by("path"),
        error_messages={"required": "请选择栏目。"},
    )  # fmt: skip
    title = forms.CharField(label="文章标题", max_length=255, required=False,
                            help_text="留空则使用投稿标题。")  # fmt: skip
    message = forms.CharField(
        label="给作者的话", widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="留空则发送默认的采用通知。",
    )  # fmt: skip


class DeclineForm(forms.Form):
    action_title = "不予采用"
    dangerous = True
    reason = forms.CharField(
        label="原因", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写原因。"},
    )  # fmt: skip
