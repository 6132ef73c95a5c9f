"""The public takedown form and the admin action forms of the takedown queue."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.http import HttpRequest

from kanwu.articles.models import ArticlePage
from kanwu.casework.forms import (
    ATTACHMENT_KINDS,
    MAX_FILE_BYTES,
    MAX_FILES,
    PHONE_VALIDATOR,
    MultipleFileField,
    check_uploads,
    text_action_form,
)
from kanwu.takedowns.models import Takedown
from kanwu.takedowns.selectors import article_for_url, is_taken_down
from kanwu.uploads import MB, CheckedFile, allowed_labels

MAX_URLS = 20


class TakedownForm(forms.Form):
    name = forms.CharField(label="投诉人姓名", max_length=50,
                           error_messages={"required": "请填写投诉人姓名。"})  # fmt: skip
    organisation = forms.CharField(label="单位", max_length=100, required=False)
    email = forms.EmailField(
        label="电子邮箱",
        error_messages={"required": "请填写电子邮箱。", "invalid": "请输入有效的电子邮箱地址。"},
    )
    phone = forms.CharField(label="电话", max_length=30, required=False,
                            validators=[PHONE_VALIDATOR])  # fmt: skip
    urls = forms.CharField(
        label="文章网址",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写被投诉文章的网址。"},
        help_text=f"每行一个本站文章的网址，最多 {MAX_URLS} 个。",
    )
    right = forms.ChoiceField(
        label="主张的权利", choices=[("", "请选择"), *Takedown.Right.choices],
        error_messages={"required": "请选择您主张的权利。"},
    )  # fmt: skip
    reason = forms.CharField(
        label="理由",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "请说明侵权的理由。"},
        help_text="请说明您是权利人（或其代理人）的依据，以及文章侵犯了哪些权利。",
    )
    attachments = MultipleFileField(
        label="证明材料",
        required=False,
        help_text=f"如权属证明、身份证明、授权书；最多 {MAX_FILES} 个，每个不超过 "
        f"{MAX_FILE_BYTES // MB} MB；接受 {allowed_labels(ATTACHMENT_KINDS)}。",
    )
    declaration = forms.BooleanField(
        label="本人保证：以上内容真实，本人是相关权利人或已获其授权；如有不实，愿承担法律责任。",
        error_messages={"required": "请阅读并勾选真实性声明。"},
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_urls(self) -> list[tuple[str, ArticlePage]]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("请填写被投诉文章的网址。")
        if len(lines) > MAX_URLS:
            raise forms.ValidationError(f"一次最多投诉 {MAX_URLS} 篇文章。")
        found: list[tuple[str, ArticlePage]] = []
        errors: list[str] = []
        for number, line in enumerate(lines, start=1):
            article = article_for_url(self.request, line[:500])
            if article is None:
                try:
                    path = urlsplit(line).path
                except ValueError:  # "http://[": not a URL at all
                    path = ""
                if path and is_taken_down(path):
                    errors.append(f"第 {number} 行的文章已经下架：{line[:100]}")
                else:
                    errors.append(f"第 {number} 行不是本站已发布文章的网址：{line[:100]}")
            elif article.pk not in {known.pk for _, known in found}:
                found.append((line[:500], article))
        if errors:
            raise forms.ValidationError(errors)
        return found

    def clean_attachments(self) -> list[CheckedFile]:
        return check_uploads(self.cleaned_data["attachments"], allowed=ATTACHMENT_KINDS)


TakeDownForm = text_action_form(
    title="下架文章", field="note", label="给投诉人的答复", dangerous=True,
    help_text="留空则发送默认答复。文章将取消发布，原网址返回“内容已下架”。",
)  # fmt: skip
RestoreForm = text_action_form(
    title="恢复发布", field="note", label="给投诉人的说明",
    help_text="留空则发送默认说明。文章将重新发布其最新版本。",
)  # fmt: skip
TakedownDeclineForm = text_action_form(
    title="驳回投诉", field="reason", label="驳回原因", dangerous=True
)
