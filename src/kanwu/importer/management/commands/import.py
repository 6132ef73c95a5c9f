"""`kanwu import URL… --column SLUG`, `--feed URL` or `--file urls.txt`: repost articles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.core.batching import tasks_batched
from kanwu.importer.columns import ColumnNotFound, column_by_slug
from kanwu.importer.feeds import FeedError, feed_links
from kanwu.importer.services import Status, article_import_from_url
from kanwu.safefetch import Accept, FetchError, fetch


class Command(BaseCommand):
    help = "从网址导入转载文章（保存为草稿）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("urls", nargs="*", metavar="URL", help="文章网址")
        parser.add_argument(
            "--column",
            required=True,
            help="栏目的网址名称或名称，如 news、news/history 或 统战史话",
        )
        parser.add_argument("--feed", action="append", default=[], help="RSS 或 Atom 订阅源网址")
        parser.add_argument("--file", action="append", default=[], help="每行一个网址的文本文件")
        parser.add_argument(
            "--simplified", action="store_true", help="把繁体（Big5）网页转换为简体"
        )
        parser.add_argument("--remote-images", action="store_true", help="图片保留为原网址，不下载")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            column = column_by_slug(options["column"])
        except ColumnNotFound as exc:
            raise CommandError(str(exc)) from exc
        urls = list(options["urls"])
        for name in options["file"]:
            try:
                text = Path(name).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"无法读取网址列表文件 {name}：{exc}") from exc
            urls += [line.strip() for line in text.splitlines()]
        for feed_url in options["feed"]:
            try:
                result = fetch(feed_url, accept=Accept.FEED)
                urls += feed_links(result.content, result.url)
            except (FetchError, FeedError) as exc:
                raise CommandError(f"无法读取订阅源：{exc}") from exc
        urls = list(dict.fromkeys(u for u in urls if u and not u.startswith("#")))
        if not urls:
            raise CommandError("没有要导入的网址：请给出网址、--feed 或 --file")

        outcomes = []
        total = len(urls)
        with tasks_batched():  # the indexes and the export hear of the URLs in batches
            for number, url in enumerate(urls, start=1):
                outcome = article_import_from_url(
                    url=url,
                    column=column,
                    big5_to_simplified=options["simplified"],
                    remote_images=True if options["remote_images"] else None,
                )
                outcomes.append(outcome)
                bar = "#" * (20 * number // total)
                sys.stderr.write(f"\r[{bar:<20}] {number}/{total} {outcome.label} {url[:60]}\n")
        counts = {status: sum(o.status is status for o in outcomes) for status in Status}
        self.stdout.write(
            f"导入完成：已导入 {counts[Status.IMPORTED]} 篇，已跳过 {counts[Status.SKIPPED]} 篇，"
            f"失败 {counts[Status.FAILED]} 篇。"
        )
        for outcome in outcomes:
            if outcome.status is Status.IMPORTED and outcome.page is not None:
                self.stdout.write(f"  已导入：{outcome.url} → 《{outcome.page.title}》（草稿）")
            else:
                self.stdout.write(f"  {outcome.label}：{outcome.url} — {outcome.message}")
            for warning in outcome.warnings:
                self.stdout.write(f"    注意：{warning}")
        if counts[Status.FAILED]:
            raise CommandError(f"{counts[Status.FAILED]} 个网址导入失败，原因见上。")
