"""kanwu import_words FILE --action reject|hold|mask [--replace]: load a word list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.wordfilter.models import Action
from kanwu.wordfilter.services import words_import


class Command(BaseCommand):
    help = "从文本文件导入敏感词（每行一个）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--action", choices=Action.values, default=Action.HOLD)
        parser.add_argument(
            "--replace", action="store_true", help="删除该处理方式下文件中没有的词。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"找不到文件：{path}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"文件不是 UTF-8 编码：{path}") from error
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error}") from error
        try:
            created, updated = words_import(
                lines=text.splitlines(), action=options["action"], replace=options["replace"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已导入：新增 {created} 个，更新 {updated} 个。")
