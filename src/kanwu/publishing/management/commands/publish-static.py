"""`kanwu publish-static OUTDIR`: write the whole public site as files (静态化)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.publishing.static_export import Exporter, forget, remember


class Command(BaseCommand):
    help = "把全站页面、RSS 和站点地图写成静态文件，并在内容变化时自动更新。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("outdir", type=Path)
        parser.add_argument(
            "--once", action="store_true", help="export now, but do not keep OUTDIR current"
        )
        parser.add_argument("--skip-collectstatic", action="store_true")
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="pages rendered at once, one process each (default: the number of cores)",
        )

    def handle(self, *args: Any, outdir: Path, once: bool, jobs: int, **options: Any) -> None:
        if jobs < 1:
            raise CommandError("--jobs 至少为 1。")
        try:
            outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"无法创建输出目录 {outdir}：{exc.strerror}") from exc
        if not options["skip_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        started = time.monotonic()
        show = sys.stdout.isatty()

        def progress(done: int, total: int) -> None:
            if show and (done % 50 == 0 or done == total):
                self.stdout.write(f"\r导出 {done}/{total}", ending="")
                self.stdout.flush()

        report = Exporter(outdir).export_all(progress, jobs=jobs)
        if show:
            self.stdout.write("")
        if once:
            forget()
        else:
            remember(outdir)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出 {report.written} 个页面到 {outdir}，用时 {seconds:.1f} 秒。"
            )
        )
        for failure in report.failed:
            self.stderr.write(f"失败：{failure}")
        if not once:
            self.stdout.write("内容变化时，后台任务处理器（kanwu worker）会自动更新这些文件。")
        if report.failed:
            raise CommandError(f"{len(report.failed)} 个页面导出失败。")
