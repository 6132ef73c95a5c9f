"""`kanwu export-wordpress FILE`: the whole site as a WordPress export (WXR 1.2).

Django finds commands by file name, so this hyphenated module is `kanwu export-wordpress`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.backups.archive import BackupError
from kanwu.backups.services import site_export_wordpress


class Command(BaseCommand):
    help = (
        "把整个网站导出为 WordPress 导出文件（WXR 1.2）：栏目、文章、标签、封面、"
        "已批准的评论和单页，WordPress 自带的导入工具可以读取。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="要写入的 XML 文件")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        show = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if show and total:
                sys.stderr.write(f"\r导出 {done}/{total}")
                if done == total:
                    sys.stderr.write("\n")

        try:
            counts = site_export_wordpress(path=Path(file), progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已导出到 {file}：栏目 {counts.columns} 个，文章 {counts.articles} 篇，"
            f"单页 {counts.pages} 个，标签 {counts.tags} 个，评论 {counts.comments} 条，"
            f"图片附件 {counts.images} 个，作者 {counts.authors} 位。"
        )
