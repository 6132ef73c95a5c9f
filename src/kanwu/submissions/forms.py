"""The public contribution form, and the forms only the contribution queue uses."""

from __future__ import annotations

from typing import Any

from django import forms

from kanwu.casework.forms import (
    ATTACHMENT_KINDS,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_TOTAL_BYTES,
    PHONE_VALIDATOR,
    MultipleFileField,
    check_uploads,
    text_action_form,
)
from kanwu.columns.forms import ColumnChoiceField
from kanwu.columns.models import ColumnPage
from kanwu.uploads import MB, CheckedFile, allowed_labels


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


class AcceptForm(forms.Form):
    action_title = "采用，生成草稿文章"
    column = ColumnChoiceField(
        label="放入栏目", queryset=ColumnPage.objects.all().order_by("path"),
        error_messages={"required": "请选择栏目。"},
    )  # fmt: skip
    title = forms.CharField(label="文章标题", max_length=255, required=False,
                            help_text="留空则使用投稿标题。")  # fmt: skip
    message = forms.CharField(
        label="给作者的话", widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="留空则发送默认的采用通知。",
    )  # fmt: skip


DeclineForm = text_action_form(title="不予采用", field="reason", label="原因", dangerous=True)
