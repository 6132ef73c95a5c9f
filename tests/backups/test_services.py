"""`backup_create`, `backup_check` and `backup_restore` in this process, on the test database."""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command, get_commands
from django.db import connection

from kanwu.articles.models import ArticlePage
from kanwu.backups import archive, services
from kanwu.backups.archive import BackupError
from kanwu.backups.manifest import Manifest
from kanwu.backups.models import BackupRun
from kanwu.backups.services import backup_check, backup_create, backup_restore
from kanwu.comments.models import Comment
from kanwu.search.selectors import search_articles
from kanwu.search.services import search_rebuild_all
from kanwu.submissions.models import Submission
from kanwu.textanalysis import parse_query
from tests.backups.conftest import build_small_site, members, repack

pytestmark = pytest.mark.django_db(transaction=True)


def test_commands_are_found() -> None:
    commands = get_commands()
    assert commands["backup"] == commands["restore"] == "kanwu.backups"
    assert commands["export-wordpress"] == "kanwu.backups"


@pytest.fixture
def site_backup(data_dir: Path, tmp_path: Path) -> Path:
    build_small_site()
    search_rebuild_all()
    out = tmp_path / "out"
    out.mkdir()
    return backup_create(output_dir=out).path


def test_archive_holds_database_copies_files_key_and_a_manifest(
    site_backup: Path, data_dir: Path, settings: Any
) -> None:
    assert site_backup.name.startswith("kanwu-backup-") and site_backup.name.endswith(".tar.gz")
    assert site_backup.stat().st_mode & 0o077 == 0  # it holds the secret key
    assert sorted(p.name for p in site_backup.parent.iterdir()) == [site_backup.name]
    found = members(site_backup)
    names = list(found)
    assert names[-1] == "manifest.json"
    manifest = Manifest.from_json(found["manifest.json"])
    native = {"sqlite": "database/kanwu.sqlite3", "postgresql": "database/kanwu.pgdump"}
    assert manifest.vendor == connection.vendor
    assert manifest.database_member == native[connection.vendor] == names[0]
    assert found["secret_key"] == settings.SECRET_KEY.encode()
    assert manifest.media_files == len([n for n in names if n.startswith("media/")]) >= 1
    assert manifest.private_files == 1
    private = next(n for n in names if n.startswith("private/submissions/"))
    assert found[private].startswith(b"\x89PNG")
    # Every member's checksum and size, the manifest excepted.
    assert set(manifest.members) == set(names) - {"manifest.json"}
    for name, member in manifest.members.items():
        assert member.sha256 == hashlib.sha256(found[name]).hexdigest()
        assert member.size == len(found[name])
    # Migration state and rows per table, matching the database; the neutral copy in pk order.
    assert "0001_initial" in manifest.migrations["backups"]
    assert manifest.tables["articles_articlepage"].rows == ArticlePage.objects.count() == 3
    assert manifest.tables["comments_comment"].rows == 3
    lines = found["data/articles_articlepage.jsonl"].decode().splitlines()
    header = json.loads(lines[0])
    assert header["table"] == "articles_articlepage" and "page_ptr_id" in header["columns"]
    rows = [json.loads(line) for line in lines[1:]]
    pk = header["columns"].index("page_ptr_id")
    assert [r[pk] for r in rows] == sorted(ArticlePage.objects.values_list("pk", flat=True))
    published = header["columns"].index("published_at")
    assert "T" in rows[0][published]  # ISO 8601, whatever the vendor stores
    run = BackupRun.objects.get()
    assert run.ok and run.path == str(site_backup) and run.size == site_backup.stat().st_size


def test_zstd_archives_and_progress(data_dir: Path, tmp_path: Path) -> None:
    build_small_site()
    seen: list[str] = []
    result = backup_create(
        path=tmp_path / "site.tar.zst", progress=lambda stage, done, total: seen.append(stage)
    )
    assert result.path.read_bytes()[:4] == archive.ZSTD_MAGIC
    assert {"复制数据库", "导出数据表", "打包媒体文件", "打包私有附件"} <= set(seen)
    assert backup_check(path=result.path).media_files == result.manifest.media_files


def test_an_interrupted_backup_leaves_nothing_that_looks_complete(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_small_site()
    calls = 0
    original = archive.ArchiveWriter.add_file

    def failing(self: Any, name: str, path: Path) -> Any:
        nonlocal calls
        calls += 1
        if name.startswith("media/"):
            raise OSError(28, "No space left on device")
        return original(self, name, path)

    monkeypatch.setattr(archive.ArchiveWriter, "add_file", failing)
    with pytest.raises(BackupError, match="写入备份失败"):
        backup_create(output_dir=tmp_path)
    assert calls > 1
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # no archive, no temporary files
    run = BackupRun.objects.get()
    assert not run.ok and "No space left" in run.message


def test_refuses_to_overwrite_and_unknown_suffixes(data_dir: Path, tmp_path: Path) -> None:
    existing = tmp_path / "old.tar.gz"
    existing.write_bytes(b"keep")
    with pytest.raises(CommandError, match="文件已存在"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"keep"
    with pytest.raises(CommandError, match=r"\.tar\.gz 或 \.tar\.zst"):
        call_command("backup", str(tmp_path / "site.zip"))


def test_backup_command_prints_a_summary(data_dir: Path, tmp_path: Path) -> None:
    build_small_site()
    out = io.StringIO()
    call_command("backup", "--output-dir", str(tmp_path), "--compress", "zstd", stdout=out)
    text = out.getvalue()
    assert text.startswith("备份完成：") and ".tar.zst" in text
    assert "媒体文件" in text and "\r" not in text  # no progress when not on a terminal


def test_neutral_copy_restores_into_the_emptied_database(site_backup: Path, data_dir: Path) -> None:
    before = {
        "titles": sorted(ArticlePage.objects.values_list("title", flat=True)),
        "comments": sorted(Comment.objects.values_list("body", "parent__body")),
        "found": [r.article.title for r in search_articles(query=parse_query("统战")).results],
    }
    assert before["found"]
    call_command("flush", interactive=False)  # an empty database (migrated, no content)
    for root in (data_dir / "media", data_dir / "private"):
        for path in sorted(root.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
    report = backup_restore(path=site_backup, neutral=True)
    assert not report.native and report.rows == report.manifest.total_rows - sum(
        t.rows for t in report.manifest.tables.values() if t.member is None
    )
    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == before["titles"]
    assert sorted(Comment.objects.values_list("body", "parent__body")) == before["comments"]
    found = [r.article.title for r in search_articles(query=parse_query("统战")).results]
    assert found == before["found"]
    assert Submission.objects.get().attachments.count() == 1
    assert len(list((data_dir / "private").rglob("*.png"))) == 1
    assert (data_dir / "secret_key").read_text() != ""
    assert os.stat(data_dir / "secret_key").st_mode & 0o077 == 0
    # The restored site goes on numbering after the restored rows.
    assert ArticlePage.objects.order_by("-pk").first().pk < build_more_pk()
    lines = report.lines()
    assert lines[0].startswith("恢复完成") and any("SHA-256" in line for line in lines)


def build_more_pk() -> int:
    from tests.factories import ArticleFactory

    column = ArticlePage.objects.first().get_parent()
    return int(ArticleFactory(parent=column).pk)


def test_check_reads_every_member(site_backup: Path) -> None:
    manifest = backup_check(path=site_backup)
    assert manifest.kanwu_version and manifest.vendor == connection.vendor
    assert services.VENDORS[manifest.vendor] in {"SQLite", "PostgreSQL"}


def test_repacked_archive_with_the_same_members_is_accepted(
    site_backup: Path, tmp_path: Path
) -> None:
    # The check is about the members, not the bytes of the tar around them.
    copy = repack(site_backup, tmp_path / "copy.tar.gz", members(site_backup))
    assert backup_check(path=copy).members == backup_check(path=site_backup).members


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal(data_dir: Path, tmp_path: Path) -> None:
    build_small_site()
    out = Terminal()
    call_command("backup", "--output-dir", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "\r\x1b[K导出数据表 1/" in text and "\r\x1b[K复制数据库…" in text
    assert "\r\x1b[K备份完成：" in text  # the progress line is cleared first
