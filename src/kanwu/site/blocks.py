"""The blocks an editor arranges the home page (首页) from, in the admin (a StreamField).

The blocks hold only the editor's choices; what each shows is read for the whole page at
once by `kanwu.site.home`, which reads the stream's raw values (ids, numbers), so choosing
forty columns costs no more queries than choosing one.
"""

from __future__ import annotations

from typing import Any

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class HeadlineBlock(blocks.StaticBlock):
    class Meta:
        label = "头条"
        icon = "title"
        admin_text = "推荐位“头条”中最新的一篇文章：大标题和摘要。"


class SlidesBlock(blocks.StructBlock):
    count = blocks.IntegerBlock(label="篇数", default=5, min_value=1, max_value=10)

    class Meta:
        label = "幻灯"
        icon = "image"
        help_text = "推荐位“幻灯”中有封面图的最新文章，轮流显示。"


class ColumnsBlock(blocks.StructBlock):
    columns = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="columns.ColumnPage", label="栏目"),
        label="栏目",
        help_text="不选则显示全部一级栏目（按栏目树中的顺序）。",
    )
    count = blocks.IntegerBlock(label="每栏篇数", default=6, min_value=1, max_value=20)
    width = blocks.ChoiceBlock(
        label="每行栏数", choices=[("2", "两栏"), ("3", "三栏")], default="3"
    )

    class Meta:
        label = "栏目方块"
        icon = "table"
        help_text = "每个栏目一个方块：标题和日期，第一篇带缩略图。"


class NoticesBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="标题", default="通知公告", max_length=20)
    column = blocks.PageChooserBlock(
        page_type="columns.ColumnPage", label="栏目", required=False,
        help_text="不选则显示推荐位“滚动”中的文章。",
    )  # fmt: skip
    count = blocks.IntegerBlock(label="篇数", default=8, min_value=1, max_value=20)

    class Meta:
        label = "通知公告"
        icon = "list-ul"


class BannerBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="横幅图片")
    page = blocks.PageChooserBlock(label="链接到", help_text="点击横幅打开的页面，例如专题页。")
    title = blocks.CharBlock(
        label="说明文字",
        max_length=60,
        required=False,
        help_text="显示在横幅上；留空用所链页面的标题。",
    )

    class Meta:
        label = "专题横幅"
        icon = "link"


class HotBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="标题", default="热门", max_length=20)
    count = blocks.IntegerBlock(label="篇数", default=10, min_value=1, max_value=10)

    class Meta:
        label = "热门"
        icon = "pick"
        help_text = "全站 7 天内阅读最多的文章。"


class LinksBlock(blocks.StaticBlock):
    class Meta:
        label = "友情链接"
        icon = "site"
        admin_text = "“友情链接”中的全部链接，按其中的顺序。"


class LatestBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="标题", default="最新文章", max_length=20)
    count = blocks.IntegerBlock(label="篇数", default=8, min_value=1, max_value=30)

    class Meta:
        label = "最新文章"
        icon = "list-ol"


class HomeBlocks(blocks.StreamBlock):
    headline = HeadlineBlock()
    slides = SlidesBlock()
    columns = ColumnsBlock()
    notices = NoticesBlock()
    banner = BannerBlock()
    hot = HotBlock()
    links = LinksBlock()
    latest = LatestBlock()

    class Meta:
        block_counts = {"headline": {"max_num": 1}, "slides": {"max_num": 1}}


def default_layout() -> list[dict[str, Any]]:
    """A home page's blocks until an editor arranges them: 头条, 幻灯 beside the newest
    articles, every top column, 通知公告 (推荐位 滚动), 热门 and 友情链接."""
    return [
        {"type": "headline", "value": None},
        {"type": "slides", "value": {"count": 5}},
        {"type": "latest", "value": {"title": "最新文章", "count": 8}},
        {"type": "columns", "value": {"columns": [], "count": 6, "width": "3"}},
        {"type": "notices", "value": {"title": "通知公告", "column": None, "count": 8}},
        {"type": "hot", "value": {"title": "热门", "count": 10}},
        {"type": "links", "value": None},
    ]
