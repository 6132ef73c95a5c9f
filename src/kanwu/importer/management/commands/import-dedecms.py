"""`kanwu import-dedecms mysql://root@127.0.0.1:3306/dedecms` or `kanwu import-dedecms site.sql`:
migrate a DedeCMS 5.7 site; `--retry-media` fetches the images an import could not.

Django finds commands by file name, so this hyphenated module is `kanwu import-dedecms`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.importer.dedecms.importer import dede_source, dedecms_import
from kanwu.importer.dedecms.source import DedeSourceError, spill_label
from kanwu.importer.progress import progress_bar
from kanwu.importer.wordpress.media import wordpress_media_retry


class Command(BaseCommand):
    help = (
        "导入 DedeCMS 5.7 网站（MySQL/MariaDB 数据库地址或 SQL 导出文件）：栏目、文章、推荐位、"
        "阅读次数、评论和旧网址重定向。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "source", help="数据库地址 mysql://用户名:密码@主机:端口/数据库名，或 SQL 导出文件"
        )
        parser.add_argument(
            "--charset",
            default="",
            help="数据的字符集（gbk 或 utf8）；不给出时按数据库或导出文件自己的声明",
        )
        parser.add_argument("--prefix", default="", help="数据表前缀，默认自动识别（dede_）")
        parser.add_argument(
            "--media-root", help="原网站的文件夹（含 uploads/），缩略图和正文图片从这里读取"
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="原网站的网址，如 http://old.example.com/，图片从这里下载",
        )
        parser.add_argument(
            "--retry-media",
            action="store_true",
            help="不再导入，只重新获取以前导入这个网站时未能获取的图片",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["source"]
        if options["retry_media"]:
            self.retry_media(source)
            return
        media_root = Path(options["media_root"]) if options["media_root"] else None
        try:
            report = dedecms_import(
                source=source,
                charset=options["charset"],
                prefix=options["prefix"],
                media_root=media_root,
                base_url=options["base_url"],
                progress=progress_bar,
            )
        except DedeSourceError as exc:
            raise CommandError(f"导入已取消，网站未作任何改动：{exc}") from exc
        for line in report.lines():
            self.stdout.write(line)

    def retry_media(self, source: str) -> None:
        try:
            label = spill_label(source)
        except DedeSourceError as exc:
            raise CommandError(f"无法识别这个网站，未作任何改动：{exc}") from exc
        report = wordpress_media_retry(source=dede_source(label), progress=progress_bar)
        for line in report.lines():
            self.stdout.write(line)
