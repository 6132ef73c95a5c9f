"""`kanwu restore FILE`: restore a backup into an empty data dir and database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.backups.archive import BackupError
from kanwu.backups.progress import TerminalProgress
from kanwu.backups.services import backup_restore


class Command(BaseCommand):
    help = (
        "把 kanwu backup 生成的备份恢复到空的数据目录和空数据库：先校验全部校验和，"
        "不同数据库之间（SQLite ↔ PostgreSQL）也可以恢复。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件（.tar.gz 或 .tar.zst）")
        parser.add_argument(
            "--neutral",
            action="store_true",
            help="同类数据库也从中立副本（JSON）恢复，而不用原生备份",
        )

    def handle(self, *args: Any, file: str, neutral: bool, **options: Any) -> None:
        progress = TerminalProgress(self.stdout)
        try:
            report = backup_restore(path=Path(file), progress=progress, neutral=neutral)
        except BackupError as exc:
            progress.done()
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt as exc:
            progress.done()
            raise CommandError("已中断：恢复没有完成，请清空数据目录和数据库后重新恢复。") from exc
        progress.done()
        for line in report.lines():
            self.stdout.write(line)
