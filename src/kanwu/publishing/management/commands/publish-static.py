"""`kanwu publish-static [OUTDIR]`: write the whole public site as files (静态化)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.publishing.static_export import Exporter, static_dir
from kanwu.site.services import site_apply_base_url


class Command(BaseCommand):
    help = "把全站页面、RSS 和站点地图写成静态文件（默认写入后台任务自动更新的静态目录）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "outdir", type=Path, nargs="?", help="default: KANWU_STATIC_DIR (<data dir>/html)"
        )
        parser.add_argument("--skip-collectstatic", action="store_true")
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="pages rendered at once, one process each (default: the number of cores)",
        )

    def handle(self, *args: Any, outdir: Path | None, jobs: int, **options: Any) -> None:
        if jobs < 1:
            raise CommandError("--jobs 至少为 1。")
        kept = static_dir()
        if outdir is None:
            if kept is None:
                raise CommandError("静态化已关闭（KANWU_STATIC_DIR=0），请指定输出目录。")
            outdir = kept
        try:
            outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"无法创建输出目录 {outdir}：{exc.strerror}") from exc
        try:
            site_apply_base_url()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
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
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出 {report.written} 个页面到 {outdir}，用时 {seconds:.1f} 秒。"
            )
        )
        for failure in report.failed:
            self.stderr.write(f"失败：{failure}")
        if kept is not None and outdir.resolve() == kept.resolve():
            self.stdout.write("内容变化时，后台任务处理器（kanwu worker）会自动更新这些文件。")
        else:
            self.stdout.write(
                "这是一次性导出：后台任务处理器只自动更新 KANWU_STATIC_DIR 指定的目录"
                f"（{kept or '已关闭'}）。"
            )
        if report.failed:
            raise CommandError(f"{len(report.failed)} 个页面导出失败。")
