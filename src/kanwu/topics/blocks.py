"""A 专题's section as editors fill it in: a heading, and articles by tag, by hand, or both."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from wagtail import blocks

DEFAULT_COUNT = 6
MAX_COUNT = 30


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="小标题", max_length=60)
    tags = blocks.CharBlock(
        label="标签",
        required=False,
        max_length=200,
        help_text="带有其中任一标签的最新文章自动列入本栏；多个标签用逗号或顿号隔开。",
    )
    count = blocks.IntegerBlock(
        label="按标签取文章篇数",
        default=DEFAULT_COUNT,
        min_value=1,
        max_value=MAX_COUNT,
        help_text=f"按标签自动列入的最新文章篇数（1～{MAX_COUNT}），手选的文章另计。",
    )
    articles = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="articles.ArticlePage", label="文章"),
        label="手选文章",
        required=False,
        help_text="排在按标签列入的文章之前；同一篇文章在整个专题中只出现一次。",
    )

    class Meta:
        label = "专题栏目"
        icon = "list-ul"

    def clean(self, value: Any) -> Any:
        cleaned = super().clean(value)
        if not (cleaned.get("tags") or "").strip() and not list(cleaned.get("articles") or []):
            raise blocks.StructBlockValidationError(
                block_errors={"tags": ValidationError("请填写标签或选择手选文章，至少一项。")}
            )
        return cleaned
