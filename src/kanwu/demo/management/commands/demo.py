"""`kanwu demo`: fill an empty site with generated columns, articles and settings."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.demo.builder import DemoExistsError, build_demo

STAGES = {
    "articles": "生成文章",
    "index": "建立搜索索引",
    "keywords": "提取关键词",
    "recommendations": "计算相关推荐",
}


class Command(BaseCommand):
    help = "生成演示站点（栏目、文章、封面、站点设置），只写入空站点。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=300, help="number of articles")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing (exit 0) if articles exist"
        )

    def handle(self, *args: Any, articles: int, seed: int, if_empty: bool, **options: Any) -> None:
        if articles < 1:
            raise CommandError("--articles 必须是正整数。")
        show = sys.stdout.isatty()
        seen: set[str] = set()

        def progress(stage: str, done: int, total: int) -> None:
            label = STAGES.get(stage, stage)
            if show:
                self.stdout.write(f"\r{label} {done}/{total}    ", ending="")
                self.stdout.flush()
            elif stage not in seen:  # not a terminal (make run's log): one line per stage
                seen.add(stage)
                self.stdout.write(f"{label}（共 {total}）…")

        try:
            build_demo(articles=articles, seed=seed, progress=progress)
        except DemoExistsError as exc:
            if if_empty:
                self.stdout.write(f"{exc} 跳过。")
                return
            raise CommandError(str(exc)) from exc
        if show:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"演示站点已生成：{articles} 篇文章。"))
