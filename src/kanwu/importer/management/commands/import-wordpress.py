"""`kanwu import-wordpress export.xml [--media-dir wp-content/uploads]`: migrate a WordPress site.

Django finds commands by file name, so this hyphenated module is `kanwu import-wordpress`
(and `call_command("import-wordpress", …)`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.importer.progress import Progress
from kanwu.importer.wordpress.importer import wordpress_import
from kanwu.importer.wordpress.wxr import WxrError


class Command(BaseCommand):
    help = "导入 WordPress 导出文件（WXR 1.1/1.2）：分类、文章、页面、评论、附件和旧网址重定向。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", help="WordPress 导出的 XML 文件")
        parser.add_argument(
            "--media-dir", help="WordPress 的 wp-content/uploads 文件夹；不给出时从原网址下载附件"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["export"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        media_dir = Path(options["media_dir"]) if options["media_dir"] else None

        def progress(now: Progress) -> None:
            done, total = now.done, now.total
            if total and done and (done == total or done % 50 == 0):
                bar = "#" * (20 * done // total)
                sys.stderr.write(f"\r[{bar:<20}] {done}/{total}")
                if done == total:
                    sys.stderr.write("\n")

        try:
            report = wordpress_import(path=path, media_dir=media_dir, progress=progress)
        except WxrError as exc:
            raise CommandError(f"导入已取消，网站未作任何改动：{exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
