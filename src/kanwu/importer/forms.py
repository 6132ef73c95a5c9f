"""The admin form of 从网址导入."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.safestring import mark_safe

from kanwu.columns.forms import ColumnChoiceField
from kanwu.columns.models import ColumnPage

MAX_URLS = 10
# More URLs than this are imported by the worker, with a progress page, not in the request.
URLS_IN_REQUEST = 3


class ImportUrlsForm(forms.Form):
    urls = forms.CharField(
        label="文章网址",
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "https://…（每行一个）"}),
        help_text=(
            f"每行一个网址，一次最多 {MAX_URLS} 个；超过 {URLS_IN_REQUEST} 个时在后台导入，"
            "可在进度页面查看。文章将保存为草稿，发布前请核对。"
        ),
        error_messages={"required": "请至少填写一个网址。"},
    )
    column = ColumnChoiceField(
        label="栏目",
        queryset=ColumnPage.objects.order_by("path"),
        empty_label="请选择栏目",
        error_messages={
            "required": "请选择栏目。",
            "invalid_choice": "所选栏目不存在，请重新选择。",
        },
    )
    big5_to_simplified = forms.BooleanField(label="繁体（Big5）网页转换为简体", required=False)
    remote_images = forms.BooleanField(label="图片保留原网址（不下载到本站）", required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["remote_images"].initial = bool(
            getattr(settings, "KANWU_IMPORT_REMOTE_IMAGES", False)
        )

    def clean_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines()]
        urls = list(dict.fromkeys(line for line in lines if line))
        if not urls:
            raise ValidationError("请至少填写一个网址。")
        if len(urls) > MAX_URLS:
            raise ValidationError(f"一次最多导入 {MAX_URLS} 个网址，您填写了 {len(urls)} 个。")
        validate = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                validate(url)
            except ValidationError as exc:
                raise ValidationError(f"网址格式不正确：{url}") from exc
        return urls

    def clean_column(self) -> ColumnPage:
        column: ColumnPage = self.cleaned_data["column"]
        if self.user is not None and not column.permissions_for_user(self.user).can_add_subpage():
            raise ValidationError("您没有在这个栏目下添加文章的权限。")
        return column


class WordPressUploadForm(forms.Form):
    export = forms.FileField(
        label="WordPress 导出文件",
        help_text=mark_safe(
            "在 WordPress 后台“工具 → 导出”得到的 XML 文件（WXR 1.1 或 1.2）。"
            "附件从原网站下载；也可以在服务器上用命令 "
            "<code>kanwu import-wordpress --media-dir</code> 导入。"
        ),
        error_messages={"required": "请选择要上传的导出文件。", "empty": "上传的文件是空的。"},
    )
