"""`kanwu search rebuild | recommend`: rebuild the index and the recommendations."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kanwu.articles.recommendations import recommendations_rebuild
from kanwu.search.services import search_rebuild_all

STAGES = {"index": "索引文章", "keywords": "提取关键词", "recommendations": "计算推荐"}


class Command(BaseCommand):
    help = "搜索索引与推荐：rebuild 重建全部索引（并计算推荐），recommend 只重算推荐。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{rebuild,recommend}")
        rebuild = sub.add_parser("rebuild", help="re-index every published article")
        rebuild.add_argument(
            "--no-recommend", action="store_true", help="skip recomputing recommendations"
        )
        sub.add_parser("recommend", help="recompute every article's recommendations")

    def _progress(self) -> Callable[[str, int, int], None]:
        tty = sys.stdout.isatty()
        stages: list[str] = [""]
        shown: list[float] = [0.0]

        def show(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            if stage != stages[-1] and stages[-1] and tty:
                self.stdout.write("")
            if tty and (now - shown[0] > 0.2 or done >= total):
                width = 30
                filled = width * done // total if total else width
                bar = "#" * filled + "-" * (width - filled)
                label = STAGES.get(stage, stage)
                self.stdout.write(f"\r{label} [{bar}] {done}/{total}", ending="")
                self.stdout.flush()
                shown[0] = now
            stages.append(stage)

        return show

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        progress = self._progress()
        start = time.monotonic()
        if action == "rebuild":
            count = search_rebuild_all(progress=progress, recommend=not options["no_recommend"])
            message = f"已重建搜索索引：{count} 篇文章"
        else:
            count = recommendations_rebuild(progress=progress)
            message = f"已重算推荐：{count} 篇文章"
        if sys.stdout.isatty():
            self.stdout.write("")
        elapsed = time.monotonic() - start
        self.stdout.write(self.style.SUCCESS(f"{message}，用时 {elapsed:.1f} 秒。"))
