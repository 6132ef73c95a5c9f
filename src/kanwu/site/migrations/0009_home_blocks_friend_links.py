"""The home page built from blocks (HomePage.body) and the 友情链接 snippet.

An existing home page gets the layout that the page had, and more: 头条, 幻灯, the newest
articles, every top column, 通知公告 (推荐位 滚动), 热门 and 友情链接. The layout is written
out here, not imported, so this migration keeps doing what it did when the code moves on.
"""

import uuid

import wagtail.fields
from django.db import migrations, models

import kanwu.site.blocks

DEFAULT_LAYOUT = [
    {"type": "headline", "value": None},
    {"type": "slides", "value": {"count": 5}},
    {"type": "latest", "value": {"title": "最新文章", "count": 8}},
    {"type": "columns", "value": {"columns": [], "count": 6, "width": "3"}},
    {"type": "notices", "value": {"title": "通知公告", "column": None, "count": 8}},
    {"type": "hot", "value": {"title": "热门", "count": 10}},
    {"type": "links", "value": None},
]


def fill_default_layout(apps, schema_editor):
    HomePage = apps.get_model("kanwu_site.HomePage")
    for home in HomePage.objects.all():
        if not home.body:
            home.body = [{**block, "id": str(uuid.uuid4())} for block in DEFAULT_LAYOUT]
            home.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [
        ("kanwu_site", "0008_traditional_variant"),
    ]

    operations = [
        migrations.CreateModel(
            name="FriendLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                ("name", models.CharField(max_length=40, verbose_name="网站名称")),
                ("url", models.URLField(max_length=500, verbose_name="网址")),
            ],
            options={
                "verbose_name": "友情链接",
                "verbose_name_plural": "友情链接",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="homepage",
            name="body",
            field=wagtail.fields.StreamField(
                [
                    ("headline", 0),
                    ("slides", 2),
                    ("columns", 7),
                    ("notices", 11),
                    ("banner", 15),
                    ("hot", 18),
                    ("links", 19),
                    ("latest", 22),
                ],
                blank=True,
                block_lookup={
                    0: ("kanwu.site.blocks.HeadlineBlock", (), {}),
                    1: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"default": 5, "label": "篇数", "max_value": 10, "min_value": 1},
                    ),
                    2: ("wagtail.blocks.StructBlock", [[("count", 1)]], {}),
                    3: (
                        "wagtail.blocks.PageChooserBlock",
                        (),
                        {"label": "栏目", "page_type": ["columns.ColumnPage"]},
                    ),
                    4: (
                        "wagtail.blocks.ListBlock",
                        (3,),
                        {
                            "help_text": "不选则显示全部一级栏目（按栏目树中的顺序）。",
                            "label": "栏目",
                        },
                    ),
                    5: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"default": 6, "label": "每栏篇数", "max_value": 20, "min_value": 1},
                    ),
                    6: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {"choices": [("2", "两栏"), ("3", "三栏")], "label": "每行栏数"},
                    ),
                    7: (
                        "wagtail.blocks.StructBlock",
                        [[("columns", 4), ("count", 5), ("width", 6)]],
                        {},
                    ),
                    8: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"default": "通知公告", "label": "标题", "max_length": 20},
                    ),
                    9: (
                        "wagtail.blocks.PageChooserBlock",
                        (),
                        {
                            "help_text": "不选则显示推荐位“滚动”中的文章。",
                            "label": "栏目",
                            "page_type": ["columns.ColumnPage"],
                            "required": False,
                        },
                    ),
                    10: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"default": 8, "label": "篇数", "max_value": 20, "min_value": 1},
                    ),
                    11: (
                        "wagtail.blocks.StructBlock",
                        [[("title", 8), ("column", 9), ("count", 10)]],
                        {},
                    ),
                    12: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "横幅图片"}),
                    13: (
                        "wagtail.blocks.PageChooserBlock",
                        (),
                        {"help_text": "点击横幅打开的页面，例如专题页。", "label": "链接到"},
                    ),
                    14: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "显示在横幅上；留空用所链页面的标题。",
                            "label": "说明文字",
                            "max_length": 60,
                            "required": False,
                        },
                    ),
                    15: (
                        "wagtail.blocks.StructBlock",
                        [[("image", 12), ("page", 13), ("title", 14)]],
                        {},
                    ),
                    16: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"default": "热门", "label": "标题", "max_length": 20},
                    ),
                    17: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"default": 10, "label": "篇数", "max_value": 10, "min_value": 1},
                    ),
                    18: ("wagtail.blocks.StructBlock", [[("title", 16), ("count", 17)]], {}),
                    19: ("kanwu.site.blocks.LinksBlock", (), {}),
                    20: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"default": "最新文章", "label": "标题", "max_length": 20},
                    ),
                    21: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"default": 8, "label": "篇数", "max_value": 30, "min_value": 1},
                    ),
                    22: ("wagtail.blocks.StructBlock", [[("title", 20), ("count", 21)]], {}),
                },
                default=kanwu.site.blocks.default_layout,
                help_text="首页自上而下的区块；同一篇文章只在最先出现的区块中显示。",
                verbose_name="首页区块",
            ),
        ),
        migrations.RunPython(fill_default_layout, migrations.RunPython.noop),
    ]
