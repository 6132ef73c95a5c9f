"""`kanwu backup [FILE] [--output-dir DIR] [--compress gzip|zstd]`, `kanwu backup --verify FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanwu.backups.archive import BackupError
from kanwu.backups.progress import TerminalProgress, human_size
from kanwu.backups.services import VENDORS, backup_create, backup_verify


class Command(BaseCommand):
    help = (
        "在线备份整个网站（数据库、媒体文件、读者私有附件、密钥）为一个 tar 归档；"
        "--verify 在临时位置恢复并校验一个备份。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", help="备份文件名（.tar.gz 或 .tar.zst）；省略时自动命名"
        )
        parser.add_argument("--output-dir", help="省略文件名时备份存放的文件夹（默认当前文件夹）")
        parser.add_argument(
            "--compress", choices=["gzip", "zstd"], default="gzip", help="省略文件名时的压缩格式"
        )
        parser.add_argument("--verify", action="store_true", help="校验 FILE，不做新备份")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = TerminalProgress(self.stdout)
        try:
            if options["verify"]:
                self._verify(options["file"], progress)
            else:
                self._backup(options, progress)
        except BackupError as exc:
            progress.done()
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt as exc:
            progress.done()
            raise CommandError("已中断：没有生成备份文件，网站未受影响。") from exc

    def _backup(self, options: dict[str, Any], progress: TerminalProgress) -> None:
        file = Path(options["file"]) if options["file"] else None
        output_dir = Path(options["output_dir"]) if options["output_dir"] else None
        if file is not None and output_dir is not None:
            raise CommandError("给出了文件名时不能再用 --output-dir。")
        result = backup_create(
            path=file, output_dir=output_dir, compression=options["compress"], progress=progress
        )
        progress.done()
        manifest = result.manifest
        self.stdout.write(
            f"备份完成：{result.path}（{human_size(result.size)}，用时 {result.seconds:.1f} 秒）"
        )
        self.stdout.write(
            f"  数据库 {VENDORS[manifest.vendor]}：{len(manifest.tables)} 张表，"
            f"{manifest.total_rows} 行；媒体文件 {manifest.media_files} 个，"
            f"私有附件 {manifest.private_files} 个；每个成员都记录了 SHA-256 校验和。"
        )

    def _verify(self, file: str | None, progress: TerminalProgress) -> None:
        if not file:
            raise CommandError("请给出要校验的备份文件：kanwu backup --verify FILE")
        report = backup_verify(path=Path(file), progress=progress)
        progress.done()
        self.stdout.write(
            f"校验通过：{file}（在{report.place}中恢复，用时 {report.seconds:.1f} 秒）"
        )
        for line in report.lines:
            self.stdout.write(f"  {line.strip()}")
