"""Forms both workflows share: several checked files in one field, and the admin queue's
assign and reply forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator

from kanwu.casework.models import ReplyTemplate
from kanwu.uploads import MB, CheckedFile, UploadRefused, check_upload

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


def text_action_form(
    *, title: str, field: str, label: str, help_text: str = "", dangerous: bool = False
) -> type[forms.Form]:
    """An action on an item that takes one text: required unless `help_text` says what an
    empty one means."""
    required = not help_text
    text = forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=required,
        help_text=help_text,
        error_messages={"required": f"请填写{label}。"},
    )
    attrs = {"action_title": title, "dangerous": dangerous, field: text}
    return type("TextActionForm", (forms.Form,), attrs)
