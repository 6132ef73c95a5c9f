"""`kanwu import-wordpress export.xml [--media-dir wp-content/uploads]`: migrate a WordPress site;
`kanwu import-wordpress export.xml --retry-media`: fetch the images that import could not.

Django finds commands by file name, so this hyphenated module is `kanwu import-wordpress`
(and `call_command("import-wordpress", …)`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.importer.progress import progress_bar
from kanwu.importer.wordpress.importer import wordpress_import, wxr_source
from kanwu.importer.wordpress.media import wordpress_media_retry
from kanwu.importer.wordpress.wxr import WxrError, wxr_check


class Command(BaseCommand):
    help = "导入 WordPress 导出文件（WXR 1.1/1.2）：分类、文章、页面、评论、附件和旧网址重定向。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", help="WordPress 导出的 XML 文件")
        parser.add_argument(
            "--media-dir", help="WordPress 的 wp-content/uploads 文件夹；不给出时从原网址下载附件"
        )
        parser.add_argument(
            "--retry-media",
            action="store_true",
            help="不再导入，只重新获取以前导入这个文件时未能获取的图片，放回正文和封面",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["export"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        if options["retry_media"]:
            if options["media_dir"]:
                raise CommandError("--retry-media 从原网址重新获取图片，不能与 --media-dir 同用")
            self.retry_media(path)
            return
        media_dir = Path(options["media_dir"]) if options["media_dir"] else None
        try:
            report = wordpress_import(path=path, media_dir=media_dir, progress=progress_bar)
        except WxrError as exc:
            raise CommandError(f"导入已取消，网站未作任何改动：{exc}") from exc
        for line in report.lines():
            self.stdout.write(line)

    def retry_media(self, path: Path) -> None:
        try:
            check = wxr_check(path)
        except WxrError as exc:
            raise CommandError(f"无法读取导出文件，未作任何改动：{exc}") from exc
        report = wordpress_media_retry(
            source=wxr_source(check.channel, path), progress=progress_bar
        )
        for line in report.lines():
            self.stdout.write(line)
