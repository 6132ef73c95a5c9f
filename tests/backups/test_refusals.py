"""A restore refuses damaged archives, newer backups and non-empty targets before it writes
anything: the target is checked unchanged after each refusal."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kanwu.backups.database import count_rows, table_names
from kanwu.backups.services import backup_create
from tests.backups.conftest import build_small_site, members, repack

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup(data_dir: Path, tmp_path: Path) -> Path:
    build_small_site()
    out = tmp_path / "out"
    out.mkdir()
    return backup_create(output_dir=out).path


def snapshot(data_dir: Path) -> dict[str, Any]:
    """Every table's rows and every file under the data folder, with its hash."""
    files = {
        str(path.relative_to(data_dir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data_dir.rglob("*"))
        if path.is_file()
    }
    tables = [t for t in table_names("default") if not t.startswith("search_")]
    return {"files": files, "rows": count_rows("default", tables)}


def refused(path: Path, data_dir: Path, match: str) -> None:
    before = snapshot(data_dir)
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(path))
    assert snapshot(data_dir) == before
    assert not list(data_dir.glob(".kanwu-restore-*"))


def resign(contents: dict[str, bytes], change: Callable[[dict[str, Any]], None]) -> None:
    """Edit the manifest and recompute the checksums of every member, as a forger would."""
    manifest = json.loads(contents["manifest.json"])
    change(manifest)
    for name, data in contents.items():
        if name != "manifest.json":
            manifest["members"][name] = {
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
            }
    contents["manifest.json"] = json.dumps(manifest).encode()


def test_one_byte_flipped_in_a_member(backup: Path, data_dir: Path, tmp_path: Path) -> None:
    contents = members(backup)
    name = next(n for n in contents if n.startswith("data/articles_articlepage"))
    data = bytearray(contents[name])
    data[len(data) // 2] ^= 0x01
    contents[name] = bytes(data)
    damaged = repack(backup, tmp_path / "flipped.tar.gz", contents)
    refused(damaged, data_dir, f"备份成员 {name} 的 SHA-256 校验和不符")


def test_one_byte_flipped_in_the_compressed_file(
    backup: Path, data_dir: Path, tmp_path: Path
) -> None:
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x40
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(bytes(data))
    refused(damaged, data_dir, "已损坏|校验和不符|不完整")


def test_truncated_archive(backup: Path, data_dir: Path, tmp_path: Path) -> None:
    data = backup.read_bytes()
    for size, name in ((len(data) // 2, "half"), (len(data) - 600, "tail")):
        damaged = tmp_path / f"{name}.tar.gz"
        damaged.write_bytes(data[:size])
        refused(damaged, data_dir, "已损坏或不完整|缺少清单")


def test_member_missing(backup: Path, data_dir: Path, tmp_path: Path) -> None:
    contents = members(backup)
    media = next(n for n in contents if n.startswith("media/"))
    del contents[media]
    refused(repack(backup, tmp_path / "missing.tar.gz", contents), data_dir, "缺少 1 个成员")
    contents = members(backup)
    del contents["manifest.json"]
    refused(repack(backup, tmp_path / "no-manifest.tar.gz", contents), data_dir, "缺少清单")


def test_not_an_archive(data_dir: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("not an archive", encoding="utf-8")
    refused(bogus, data_dir, "不是 kanwu 备份文件")
    refused(tmp_path / "absent.tar.gz", data_dir, "找不到备份文件")


def test_backup_from_a_newer_kanwu(backup: Path, data_dir: Path, tmp_path: Path) -> None:
    contents = members(backup)
    resign(contents, lambda m: m.update(kanwu_version="99.0.0"))
    newer = repack(backup, tmp_path / "newer.tar.gz", contents)
    refused(newer, data_dir, "更新版本的 kanwu（99.0.0）")

    contents = members(backup)
    resign(contents, lambda m: m["migrations"]["articles"].append("0099_from_the_future"))
    future = repack(backup, tmp_path / "future.tar.gz", contents)
    refused(future, data_dir, "不认识的迁移（articles.0099_from_the_future）")


def test_non_empty_target(backup: Path, data_dir: Path) -> None:
    # The site this test built is still there.
    refused(backup, data_dir, "目标不是空的.*数据库中已有内容")


def test_target_with_media_files_only(backup: Path, data_dir: Path) -> None:
    call_command("flush", interactive=False)
    assert connection.vendor in {"sqlite", "postgresql"}
    refused(backup, data_dir, "目标不是空的.*媒体文件夹")
