"""Backups: making one online, checking one, restoring one, and pruning old ones.

An archive holds (see `backup_create`):

* `database/kanwu.sqlite3` or `database/kanwu.pgdump`: the native copy of the database
  (SQLite's online backup, or `pg_dump --format=custom`), restored as it is onto the same
  vendor;
* `data/<table>.jsonl`: the database-neutral copy of every table, from the same snapshot,
  loaded into the other vendor (SQLite → PostgreSQL and back);
* `media/…` (MEDIA_ROOT), `private/…` (readers' private attachments) and `secret_key`;
* `manifest.json`, last: version, vendor, applied migrations, rows per table and the SHA-256
  of every other member.

`backup_restore` reads the whole archive and checks every checksum, the manifest and the
target before it writes anything.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.template.loader import render_to_string
from django.utils import timezone

from kanwu.backups import database, schema
from kanwu.backups.archive import (
    MANIFEST,
    BackupError,
    compression_for,
    copy_hashed,
    open_writer,
    read_members,
)
from kanwu.backups.manifest import Manifest, Table, kanwu_version, version_key
from kanwu.backups.models import BackupRun
from kanwu.backups.neutral import dump_table, load_table
from kanwu.backups.retention import archive_name, archives, kept
from kanwu.backups.wxr_export import ExportCounts, write_wxr
from kanwu.core import private
from kanwu.core.timeutil import readers_today

logger = logging.getLogger(__name__)

#: progress(stage, done, total); total 0 when not known in advance.
Progress = Callable[[str, int, int], None]
VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DATABASE_MEMBERS = {"sqlite": "database/kanwu.sqlite3", "postgresql": "database/kanwu.pgdump"}
KEEP_RUNS = 200
# Names of what a backup or restore still writing keeps beside its target.
TEMPORARY = (".kanwu-backup-", ".kanwu-restore-")


def _noop(stage: str, done: int, total: int) -> None:
    pass


def private_root() -> Path:
    from kanwu.uploads import private_storage

    return Path(private_storage.location)


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def _files(root: Path, skip: set[Path]) -> Iterator[tuple[str, Path]]:
    """(relative POSIX name, path) of every regular file under `root`, in a stable order."""
    if not root.is_dir():
        return
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        dirnames[:] = sorted(d for d in dirnames if (here / d).resolve() not in skip)
        for filename in sorted(filenames):
            path = here / filename
            if filename.startswith(TEMPORARY) or path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            try:
                relative.encode("utf-8")
            except UnicodeEncodeError:
                logger.warning("skipping %r: its name is not UTF-8", str(path))
                continue
            yield relative, path


def _has_files(root: Path) -> bool:
    return next(_files(root, set()), None) is not None


# ----- making a backup -----


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: Manifest
    seconds: float


def _target_path(path: Path | None, output_dir: Path | None, compression: str) -> Path:
    if path is not None:
        compression_for(path)
        target = path.resolve()
    else:
        folder = (output_dir or Path.cwd()).resolve()
        target = folder / archive_name(timezone.now(), compression)
    if not target.parent.is_dir():
        raise BackupError(f"目标文件夹不存在：{target.parent}")
    if target.exists():
        raise BackupError(f"文件已存在，不会覆盖：{target}")
    return target


def _neutral_copy(
    alias: str, migrations: dict[str, list[str]], staging: Path, progress: Progress
) -> dict[str, Table]:
    """Write every table at `alias` as JSON lines under `staging/data`; their manifest rows."""
    models = schema.models_at(migrations)
    present = set(database.table_names(alias))
    (staging / "data").mkdir()
    tables: dict[str, Table] = {}
    for number, model in enumerate(models, start=1):
        table = model._meta.db_table
        if table in present:
            member = f"data/{table}.jsonl"
            with (staging / member).open("wb") as out:
                rows = dump_table(model, alias, out)
            tables[table] = Table(
                rows=rows,
                member=member,
                model=model._meta.label_lower,
                columns=[f.attname for f in model._meta.local_concrete_fields],
            )
        progress("导出数据表", number, len(models))
    derived = sorted(schema.DERIVED_TABLES & present)
    for table, rows in database.count_rows(alias, derived).items():
        tables[table] = Table(rows=rows)
    return tables


def _snapshot(
    staging: Path, progress: Progress
) -> tuple[str, dict[str, list[str]], dict[str, Table]]:
    """Copy the database into `staging` (native copy and neutral copy of one snapshot)."""
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"不支持备份 {vendor} 数据库（支持 SQLite 和 PostgreSQL）。")
    member = DATABASE_MEMBERS[vendor]
    target = staging / member
    target.parent.mkdir(parents=True)
    progress("复制数据库", 0, 0)
    if vendor == "sqlite":
        database.sqlite_snapshot(target)
        snapshot_db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)}
        with database.extra_alias(snapshot_db) as alias:
            migrations = schema.applied_migrations(alias)
            tables = _neutral_copy(alias, migrations, staging, progress)
        return member, migrations, tables
    from psycopg import IsolationLevel

    database.pg_tool("pg_dump")
    config: dict[str, Any] = database.engine_config(connection.settings_dict)
    config["OPTIONS"]["isolation_level"] = IsolationLevel.REPEATABLE_READ
    with database.extra_alias(config) as alias, transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
        database.pg_dump(config, target, snapshot)
        migrations = schema.applied_migrations(alias)
        tables = _neutral_copy(alias, migrations, staging, progress)
    return member, migrations, tables


def _record(
    *, kind: str, started: Any, ok: bool, path: str = "", size: int | None = None, message: str = ""
) -> None:
    """Remember a run for the dashboard and backup_status(); never fails the backup."""
    try:
        with transaction.atomic():
            BackupRun.objects.create(
                kind=kind, started_at=started, finished_at=timezone.now(), ok=ok, path=path,
                size=size, message=message[:2000],
            )  # fmt: skip
            old = BackupRun.objects.order_by("-started_at", "-pk").values_list("pk", flat=True)
            if stale := list(old[KEEP_RUNS : KEEP_RUNS + 100]):
                BackupRun.objects.filter(pk__in=stale).delete()
    except DatabaseError as exc:
        logger.warning("could not record the backup run: %s", exc)


def backup_create(
    *,
    path: Path | None = None,
    output_dir: Path | None = None,
    compression: str = "gzip",
    progress: Progress | None = None,
    kind: str = BackupRun.Kind.MANUAL,
) -> BackupResult:
    """Back the running site up into one archive, online; raise BackupError on failure.

    The archive is written under a temporary name in the target folder and renamed when it
    is complete, so an interrupted backup never looks like a finished one.
    """
    progress = progress or _noop
    started = timezone.now()
    clock = time.monotonic()
    target: Path | None = None
    try:
        if path is not None:
            compression = compression_for(path)
        target = _target_path(path, output_dir, compression)
        manifest = _write_archive(target, compression, progress)
    except Exception as exc:
        if isinstance(exc, BackupError):
            message = str(exc)
        elif isinstance(exc, OSError):
            message = f"写入备份失败：{exc.strerror or exc}（{exc.filename or target}）"
        else:
            logger.exception("backup failed")
            message = f"备份失败：{exc}"
        _record(kind=kind, started=started, ok=False, path=str(target or ""), message=message)
        if isinstance(exc, BackupError):
            raise
        raise BackupError(message) from exc
    size = target.stat().st_size
    _record(kind=kind, started=started, ok=True, path=str(target), size=size)
    return BackupResult(target, size, manifest, time.monotonic() - clock)


def _write_archive(target: Path, compression: str, progress: Progress) -> Manifest:
    folder = target.parent
    staging = folder / f".kanwu-backup-{uuid.uuid4().hex}.tmp"
    part = folder / f".kanwu-backup-{uuid.uuid4().hex[:8]}-{target.name}.part"
    staging.mkdir(mode=0o700)
    try:
        member, migrations, tables = _snapshot(staging, progress)
        skip = {staging.resolve(), folder.resolve()}
        with open_writer(part, compression) as writer:
            progress("写入数据库", 0, 0)
            writer.add_file(member, staging / member)
            for table in tables.values():
                if table.member:
                    writer.add_file(table.member, staging / table.member)
            writer.add_bytes("secret_key", settings.SECRET_KEY.encode())
            counts = {}
            for root, prefix in ((media_root(), "media"), (private_root(), "private")):
                done = 0
                for relative, path in _files(root, skip):
                    if writer.add_file(f"{prefix}/{relative}", path) is not None:
                        done += 1
                        progress("打包媒体文件" if prefix == "media" else "打包私有附件", done, 0)
                counts[prefix] = done
            manifest = Manifest(
                kanwu_version=kanwu_version(),
                created_at=timezone.now().isoformat(),
                vendor=connection.vendor,
                database_member=member,
                migrations=migrations,
                tables=tables,
                members=dict(writer.members),
                media_files=counts["media"],
                private_files=counts["private"],
            )
            writer.add_bytes(MANIFEST, manifest.to_json())
        os.replace(part, target)
        _fsync_folder(folder)
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        part.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ----- checking an archive -----


def backup_check(*, path: Path, progress: Progress | None = None) -> Manifest:
    """Read the whole archive once: every member's SHA-256 and size against the manifest,
    the neutral copy's rows, the version and migrations. Raise BackupError if anything is
    wrong; write nothing."""
    progress = progress or _noop
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    found: dict[str, tuple[str, int, int]] = {}
    raw_manifest: list[bytes] = []

    def handle(name: str, info: Any, stream: IO[bytes]) -> None:
        if name == MANIFEST:
            raw_manifest.append(stream.read(64 * 1024 * 1024))
            return
        found[name] = copy_hashed(stream)
        progress("校验", len(found), 0)

    read_members(path, handle)
    if not raw_manifest:
        raise BackupError(
            "备份文件不完整：缺少清单 manifest.json（可能是中断的备份，或不是 kanwu 备份）"
        )
    manifest = Manifest.from_json(raw_manifest[0])
    missing = sorted(set(manifest.members) - set(found))
    if missing:
        raise BackupError(f"备份文件缺少 {len(missing)} 个成员：{', '.join(missing[:5])}")
    extra = sorted(set(found) - set(manifest.members))
    if extra:
        raise BackupError(f"备份文件中有清单未列出的成员：{', '.join(extra[:5])}")
    for name, member in manifest.members.items():
        digest, size, _ = found[name]
        if digest != member.sha256 or size != member.size:
            raise BackupError(f"备份成员 {name} 的 SHA-256 校验和不符：文件已损坏或被改动")
    for table_name, table in manifest.tables.items():
        if table.member is None:
            continue
        if table.member not in found:
            raise BackupError(f"备份缺少数据表 {table_name} 的中立副本")
        if found[table.member][2] - 1 != table.rows:
            raise BackupError(f"数据表 {table_name} 的中立副本行数与清单不符")
    if manifest.database_member not in found or manifest.vendor not in DATABASE_MEMBERS:
        raise BackupError("备份清单中的数据库信息不完整")
    _check_version(manifest)
    return manifest


def _check_version(manifest: Manifest) -> None:
    ours = kanwu_version()
    if version_key(manifest.kanwu_version) > version_key(ours):
        raise BackupError(
            f"这份备份由更新版本的 kanwu（{manifest.kanwu_version}）生成，本机是 {ours}："
            "请先升级 kanwu 再恢复。"
        )
    unknown = schema.unknown_migrations(manifest.migrations)
    if unknown:
        raise BackupError(
            f"这份备份的数据库包含本版本 kanwu 不认识的迁移（{', '.join(unknown[:5])}），"
            "由更新版本的 kanwu 生成：请先升级 kanwu 再恢复。"
        )


# ----- restoring -----


@dataclass
class RestoreReport:
    manifest: Manifest
    native: bool
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    private_files: int = 0
    migrated: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        m = self.manifest
        here = VENDORS.get(connection.vendor, connection.vendor)
        how = (
            f" {VENDORS[m.vendor]} 原生备份"
            if self.native
            else f"中立副本（{VENDORS[m.vendor]} → {here}）"
        )
        try:
            made = f"{timezone.localtime(dt.datetime.fromisoformat(m.created_at)):%Y-%m-%d %H:%M}"
        except ValueError:
            made = m.created_at
        lines = [
            f"恢复完成：kanwu {m.kanwu_version} 于 {made} 制作的备份，用时 {self.seconds:.1f} 秒。",
            f"  校验：{len(m.members)} 个成员的 SHA-256 全部一致。",
            f"  数据库：从{how}恢复 {self.tables} 张表、{self.rows} 行，与备份清单逐表核对一致。",
            f"  媒体文件 {self.media_files} 个，私有附件 {self.private_files} 个，密钥已恢复。",
        ]
        labels = {
            "wagtailcore_page": "页面",
            "articles_articlepage": "文章",
            "columns_columnpage": "栏目",
            "comments_comment": "评论",
            "submissions_submission": "投稿",
            "wagtailimages_image": "图片",
            "auth_user": "用户",
        }
        counted = [f"{label} {m.tables[t].rows}" for t, label in labels.items() if t in m.tables]
        if counted:
            lines.append("  其中：" + "，".join(counted) + "。")
        if self.migrated:
            lines.append(f"  备份比当前版本旧：已执行 {self.migrated} 个数据库迁移。")
        lines += [f"  说明：{note}" for note in self.notes]
        return lines


def _check_target() -> database.TargetState:
    problems = []
    for root, label in ((media_root(), "媒体文件夹"), (private_root(), "私有附件文件夹")):
        if _has_files(root):
            problems.append(f"{label} {root} 中已有文件")
    state = database.target_state()
    if state.foreign:
        problems.append(f"数据库中有不属于 kanwu 的表（{', '.join(state.foreign[:5])}）")
    if state.content:
        problems.append(f"数据库中已有内容（{'，'.join(state.content)}）")
    if problems:
        raise BackupError(
            "目标不是空的，已拒绝恢复（未作任何改动）：" + "；".join(problems)
            + "。请恢复到新的数据目录和空数据库。"
        )  # fmt: skip
    return state


def _extract(path: Path, manifest: Manifest, staging: Path, native: bool) -> None:
    """Write the members a restore needs under `staging`, checking each one again."""

    def handle(name: str, info: Any, stream: IO[bytes]) -> None:
        if name == MANIFEST:
            return
        if name.startswith("data/") and native:
            return
        if name.startswith("database/") and not native:
            return
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as out:
            digest, _, _ = copy_hashed(stream, out)
        if digest != manifest.members[name].sha256:
            raise BackupError(f"备份成员 {name} 在校验后发生了变化，已停止恢复")

    read_members(path, handle)


def _empty_tables(models: list[Any]) -> None:
    quote = connection.ops.quote_name
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if tables:
                joined = ", ".join(quote(t) for t in tables)
                cursor.execute(f"TRUNCATE {joined} RESTART IDENTITY CASCADE")
        else:
            for table in reversed(tables):
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608


def _load_neutral(
    manifest: Manifest, staging: Path, state: database.TargetState, progress: Progress
) -> None:
    """Migrate the database to the backup's state and load every table's neutral copy."""
    nodes = schema.applied_nodes(manifest.migrations)
    if state.tables:
        current = schema.applied_nodes(schema.applied_migrations("default"))
        if current != nodes:
            database.drop_tables()
    if schema.applied_nodes(schema.applied_migrations("default")) != nodes:
        progress("建立数据库结构", 0, 0)
        executor = MigrationExecutor(connection)
        executor.migrate(schema.targets(nodes))
    models = schema.models_at(manifest.migrations)
    present = set(database.table_names("default"))
    ordered = schema.dependency_order([m for m in models if m._meta.db_table in present])
    known = {m._meta.db_table for m in ordered}
    lost = [t for t, table in manifest.tables.items() if table.member and t not in known]
    if lost:
        raise BackupError(f"当前数据库结构中没有这些表，无法载入：{', '.join(lost[:5])}")
    with transaction.atomic():
        _empty_tables(ordered)
        for number, model in enumerate(ordered, start=1):
            table = manifest.tables.get(model._meta.db_table)
            if table is not None and table.member:
                with (staging / table.member).open("rb") as stream:
                    load_table(model, "default", stream)
            progress("载入数据表", number, len(ordered))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), ordered):
                    cursor.execute(sql)


def _verify_counts(manifest: Manifest, native: bool) -> tuple[int, int]:
    wanted = {
        name: table.rows
        for name, table in manifest.tables.items()
        if native or table.member is not None
    }
    present = set(database.table_names("default"))
    absent = sorted(set(wanted) - present)
    if absent:
        raise BackupError(f"恢复后的数据库缺少数据表：{', '.join(absent[:5])}")
    counts = database.count_rows("default", sorted(wanted))
    wrong = [f"{t}（应为 {wanted[t]}，实为 {counts[t]}）" for t in wanted if counts[t] != wanted[t]]
    if wrong:
        raise BackupError(f"恢复后的行数与备份清单不符：{'；'.join(wrong[:5])}")
    return len(wanted), sum(wanted.values())


def _migrate_forward() -> int:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
    return len(plan)


def _reindex_search() -> None:
    """Fill the search backend's full-text tables from the loaded SearchDocument rows."""
    from kanwu.search.backends import get_backend
    from kanwu.search.models import SearchDocument

    backend = get_backend()
    last = -1
    with backend.bulk():
        while True:
            documents = list(
                SearchDocument.objects.filter(article_id__gt=last).order_by("article_id")[:500]
            )
            if not documents:
                break
            with transaction.atomic():
                backend.index(documents)
            last = documents[-1].article_id


def _move_tree(source: Path, target: Path) -> int:
    """Move every file under `source` into `target` (same relative names); count them."""
    if not source.is_dir():
        return 0
    target.mkdir(parents=True, exist_ok=True)
    moved = 0
    for relative, path in list(_files(source, set())):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(destination))
        moved += 1
    return moved


def _write_secret_key(value: bytes) -> list[str]:
    path = Path(settings.DATA_DIR) / "secret_key"
    temporary = path.with_name(f".secret_key.{uuid.uuid4().hex[:8]}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(value)
    os.replace(temporary, path)
    if os.environ.get("KANWU_SECRET_KEY"):
        return ["已设置 KANWU_SECRET_KEY 环境变量，它优先于恢复的 secret_key 文件。"]
    return []


def _forget_caches() -> None:
    """The page cache, memo and small caches may hold pages of the empty site."""
    ContentType.objects.clear_cache()
    try:
        from kanwu.core.dependencies import SITE_TAG
        from kanwu.publishing.invalidation import apply
        from kanwu.publishing.registry import Effects

        apply(Effects([SITE_TAG], memo=True))
    except Exception:  # the restore is done; a stale cache entry is no reason to fail it
        logger.exception("could not purge the caches after a restore")


def backup_restore(
    *, path: Path, progress: Progress | None = None, neutral: bool = False
) -> RestoreReport:
    """Restore an archive into this (empty) data dir and database.

    Everything is checked first (every checksum, the manifest, the version and migrations,
    that the target is empty); only then is anything written. Same vendor: the native copy;
    otherwise (or with `neutral`) the database-neutral copy. Migrates forward if the backup
    is older, then checks every table's rows against the manifest.
    """
    progress = progress or _noop
    clock = time.monotonic()
    manifest = backup_check(path=path, progress=progress)
    state = _check_target()
    native = manifest.vendor == connection.vendor and not neutral
    if native and manifest.vendor == "postgresql":
        database.pg_tool("pg_restore")
    report = RestoreReport(manifest=manifest, native=native)
    staging = Path(settings.DATA_DIR) / f".kanwu-restore-{uuid.uuid4().hex}"
    staging.mkdir(mode=0o700)
    try:
        progress("解包", 0, 0)
        _extract(path, manifest, staging, native)
        progress("恢复数据库", 0, 0)
        if native and manifest.vendor == "sqlite":
            database.sqlite_restore(staging / manifest.database_member)
        elif native:
            if state.tables:
                database.drop_tables()
            connection.close()
            database.pg_restore(connection.settings_dict, staging / manifest.database_member)
        else:
            _load_neutral(manifest, staging, state, progress)
        ContentType.objects.clear_cache()
        report.tables, report.rows = _verify_counts(manifest, native)
        report.migrated = _migrate_forward()
        if not native:
            progress("重建搜索索引", 0, 0)
            _reindex_search()
            derived = manifest.tables.get("wagtailsearch_indexentry")
            if derived is not None and derived.rows:
                call_command("update_index", verbosity=0, stdout=io.StringIO())
                report.notes.append("已重建后台（Wagtail）搜索索引。")
        progress("恢复文件", 0, 0)
        report.media_files = _move_tree(staging / "media", media_root())
        report.private_files = _move_tree(staging / "private", private_root())
        report.notes += _write_secret_key((staging / "secret_key").read_bytes())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _forget_caches()
    report.seconds = time.monotonic() - clock
    return report


# ----- verifying in a scratch place -----


@dataclass
class VerifyReport:
    manifest: Manifest
    place: str
    lines: list[str]
    seconds: float


def _child_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
        and not key.startswith("KANWU_")
    }
    env.update(
        KANWU_DATA_DIR=str(data_dir), KANWU_STATIC_DIR="0", KANWU_BACKUP_DIR="0",
        KANWU_PAGE_CACHE="0",
    )  # fmt: skip
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _pg_url(settings_dict: dict[str, Any], name: str) -> str:
    user = quote(str(settings_dict.get("USER") or ""), safe="")
    password = quote(str(settings_dict.get("PASSWORD") or ""), safe="")
    host = str(settings_dict.get("HOST") or "")
    host = quote(host, safe="") if host.startswith("/") else host
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{host}{port}/{name}"


@contextmanager
def _scratch_postgres() -> Iterator[str | None]:
    """A new, empty PostgreSQL database on the server kanwu uses (its URL), dropped
    afterwards; None when kanwu is not on PostgreSQL or may not create databases."""
    if connection.vendor != "postgresql":
        yield None
        return
    name = f"kanwu_verify_{uuid.uuid4().hex[:12]}"
    try:
        with private.server_cursor(connection) as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    except DatabaseError:
        logger.warning("could not create a scratch database", exc_info=True)
        yield None
        return
    try:
        yield _pg_url(connection.settings_dict, name)
    finally:
        with private.server_cursor(connection) as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backup_verify(*, path: Path, progress: Progress | None = None) -> VerifyReport:
    """Check an archive and restore it into a scratch place, never touching the live site:
    a temporary data dir with SQLite, or a scratch PostgreSQL database for a PostgreSQL
    backup when kanwu's server lets us create one. The restore compares every table's rows
    and every file's checksum with the manifest."""
    progress = progress or _noop
    clock = time.monotonic()
    path = path.resolve()
    manifest = backup_check(path=path, progress=progress)
    scratch = Path(tempfile.mkdtemp(prefix="kanwu-verify-"))
    try:
        with _scratch_postgres() if manifest.vendor == "postgresql" else _none() as url:
            if url:
                place = f"临时 PostgreSQL 数据库 {url.rsplit('/', 1)[1]}（用后即删）"
            elif manifest.vendor == "postgresql":
                place = "临时 SQLite 数据目录（无法创建临时 PostgreSQL 数据库，改用中立副本）"
            else:
                place = "临时 SQLite 数据目录"
            progress("在临时位置恢复", 0, 0)
            result = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "kanwu.cli", "restore", str(path)],
                env=_child_env(scratch / "data", url),
                capture_output=True,
                text=True,
                check=False,
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    output = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["（无输出）"])[-1]
        raise BackupError(f"在临时位置恢复失败：{reason.removeprefix('CommandError: ')}")
    return VerifyReport(manifest, place, output, time.monotonic() - clock)


@contextmanager
def _none() -> Iterator[None]:
    yield None


# ----- scheduled backups: retention -----


def backup_prune(*, folder: Path, keep_daily: int, keep_weekly: int) -> list[Path]:
    """Delete the scheduled archives in `folder` the retention policy does not keep (the
    newest is always kept), and leftovers of interrupted runs; return what was deleted."""
    found = archives(folder)
    keep = kept(list(found.values()), daily=keep_daily, weekly=keep_weekly)
    if found:
        keep.add(max(found.values()))
    removed = []
    for path, stamp in sorted(found.items()):
        if stamp not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    day_ago = time.time() - 86400
    for leftover in folder.glob(".kanwu-backup-*"):
        try:
            if leftover.stat().st_mtime < day_ago:
                if leftover.is_dir():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)
        except OSError:
            continue
    return removed


# ----- scheduled backups -----

#: After a failed scheduled backup, the worker tries again this much later (not every tick).
RETRY_AFTER = dt.timedelta(hours=1)


def backup_due(*, folder: Path, now: dt.datetime) -> bool:
    """True when `folder` has no archive from today (Beijing) and no scheduled backup failed
    within RETRY_AFTER."""
    today = readers_today(now)
    if any(readers_today(stamp) == today for stamp in archives(folder).values()):
        return False
    last = BackupRun.objects.filter(kind=BackupRun.Kind.SCHEDULED).order_by("-started_at").first()
    return last is None or last.ok or now - last.finished_at >= RETRY_AFTER


def _mail_failure(message: str, folder: Path) -> int:
    """Tell the administrators (active superusers with an e-mail address)."""
    User = get_user_model()
    recipients = list(
        User.objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    body = render_to_string(
        "backups/email/failed.txt",
        {
            "message": message,
            "folder": folder,
            "when": timezone.localtime(),
            "base_url": settings.WAGTAILADMIN_BASE_URL,
        },
    )
    try:
        return send_mail("【备份失败】网站的定时备份没有完成", body, None, recipients)
    except Exception:
        logger.exception("could not mail the administrators about a failed backup")
        return 0


def backup_scheduled(*, folder: Path, keep_daily: int, keep_weekly: int) -> BackupResult | None:
    """The daily backup: an archive in `folder`, then old ones pruned; on failure the
    administrators are mailed. The run is recorded either way (`backup_status`)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # backup_create reports the missing folder
    try:
        result = backup_create(output_dir=folder, kind=BackupRun.Kind.SCHEDULED)
    except BackupError as exc:
        logger.error("scheduled backup failed: %s", exc)
        _mail_failure(str(exc), folder)
        return None
    removed = backup_prune(folder=folder, keep_daily=keep_daily, keep_weekly=keep_weekly)
    logger.info("scheduled backup %s written, %d old ones removed", result.path, len(removed))
    return result


# ----- WordPress export -----


def site_export_wordpress(
    *, path: Path, progress: Callable[[int, int], None] | None = None
) -> ExportCounts:
    """Write the whole site to `path` as a WordPress export (WXR 1.2), streamed; the file
    appears under its name only when complete."""
    target = path.resolve()
    if not target.parent.is_dir():
        raise BackupError(f"目标文件夹不存在：{target.parent}")
    part = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        with part.open("x", encoding="utf-8", newline="\n") as out:
            counts = write_wxr(out, progress)
        os.replace(part, target)
    except OSError as exc:
        raise BackupError(f"写入导出文件失败：{exc.strerror or exc}") from exc
    finally:
        part.unlink(missing_ok=True)
    return counts
