"""What differs per database vendor: online copies, native restores, table lists, emptiness.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live database in one
read transaction: in WAL mode readers and the writer go on meanwhile. PostgreSQL: a
REPEATABLE READ transaction exports its snapshot, and `pg_dump --snapshot` dumps exactly what
that transaction sees, so the dump and the neutral copy read in the same transaction agree.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, connections
from django.db.models import Model
from django.db.utils import load_backend

from kanwu.backups.archive import BackupError

# Tables kanwu (or Django) makes besides its models' own: the migration log, SQLite's own
# bookkeeping, and the full-text tables the search migrations create by hand.
OWN_PREFIXES = ("search_fts", "search_signals", "wagtailsearch_indexentry")
OWN_TABLES = {"django_migrations", "sqlite_sequence"}
TOOL_HINT = (
    "请安装与数据库服务器版本相同或更新的 PostgreSQL 客户端"
    "（Debian：apt-get install postgresql-client）"
)


def engine_config(settings_dict: dict[str, Any]) -> dict[str, Any]:
    """The connection settings another alias needs to reach the same database."""
    keys = ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")
    return {key: settings_dict.get(key, "") for key in keys} | {
        "OPTIONS": dict(settings_dict.get("OPTIONS") or {})
    }


@contextmanager
def extra_alias(config: dict[str, Any]) -> Iterator[str]:
    """A connection alias of its own for `config`, closed and forgotten afterwards."""
    alias = f"kanwu_backups_{uuid.uuid4().hex[:10]}"
    full = connections.configure_settings({"default": {}, alias: dict(config)})[alias]
    # Made here rather than declared in settings: a connection of this thread only, which
    # Django's test cases also allow (a "dynamically created" connection).
    wrapper = load_backend(full["ENGINE"]).DatabaseWrapper(full, alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        try:
            wrapper.close()
        finally:
            del connections[alias]


def table_names(alias: str) -> list[str]:
    conn = connections[alias]
    with conn.cursor() as cursor:
        return sorted(conn.introspection.table_names(cursor))


def count_rows(alias: str, tables: list[str]) -> dict[str, int]:
    conn = connections[alias]
    quote = conn.ops.quote_name
    counts: dict[str, int] = {}
    with conn.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _own(table: str) -> bool:
    known = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    return table in known or table in OWN_TABLES or table.startswith(OWN_PREFIXES)


@dataclass(frozen=True)
class TargetState:
    tables: list[str]
    foreign: list[str]  # tables kanwu does not know
    content: list[str]  # what it holds beyond a fresh `migrate`, in words

    @property
    def empty(self) -> bool:
        return not self.foreign and not self.content


def _content_checks() -> list[tuple[type[Model], int, str]]:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, Revision

    from kanwu.comments.models import Comment
    from kanwu.submissions.models import Submission
    from kanwu.takedowns.models import Takedown

    # A fresh `migrate` makes the tree's root and the home page, nothing else of these.
    return [
        (get_user_model(), 0, "用户"),
        (Page, 2, "页面"),
        (Revision, 0, "页面版本"),
        (get_image_model(), 0, "图片"),
        (get_document_model(), 0, "文档"),
        (Comment, 0, "评论"),
        (Submission, 0, "投稿"),
        (Takedown, 0, "侵权投诉"),
    ]


def target_state(alias: str = "default") -> TargetState:
    """The database at `alias`: its tables, and whether it holds anything a restore would
    overwrite (content beyond what `migrate` makes, or tables that are not kanwu's)."""
    try:
        tables = table_names(alias)
    except DatabaseError as exc:
        raise BackupError(f"无法连接目标数据库：{exc}") from exc
    foreign = [t for t in tables if not _own(t)]
    content = []
    present = set(tables)
    for model, allowed, label in _content_checks():
        table = model._meta.db_table
        if table in present:
            rows = count_rows(alias, [table])[table]
            if rows > allowed:
                content.append(f"{label} {rows} 条")
    return TargetState(tables=tables, foreign=foreign, content=content)


def drop_tables(alias: str = "default") -> None:
    """Drop every table of an (empty) kanwu database: virtual tables first on SQLite."""
    conn = connections[alias]
    quote = conn.ops.quote_name
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TABLE IF EXISTS {quote(name)}")
            for name in conn.introspection.table_names(cursor):
                if name != "sqlite_sequence":
                    cursor.execute(f"DROP TABLE IF EXISTS {quote(name)}")
            cursor.execute("PRAGMA foreign_keys = ON")
        else:
            names = conn.introspection.table_names(cursor)
            if names:
                cursor.execute(f"DROP TABLE IF EXISTS {', '.join(quote(n) for n in names)} CASCADE")


# ----- SQLite -----


def sqlite_snapshot(path: Path) -> None:
    """Copy the live default database to `path` online, as one self-contained file."""
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    target = sqlite3.connect(path)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def sqlite_restore(path: Path) -> None:
    """Replace the default database's content with the database file at `path`."""
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"恢复 SQLite 数据库失败：{exc}") from exc
    finally:
        source.close()
    connection.close()


def sqlite_check(path: Path) -> None:
    """Raise BackupError unless SQLite finds the database file at `path` sound."""
    try:
        with sqlite3.connect(path) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.Error as exc:
        raise BackupError(f"备份中的 SQLite 数据库无法打开：{exc}") from exc
    if not result or result[0] != "ok":
        raise BackupError(f"备份中的 SQLite 数据库未通过完整性检查：{result}")


# ----- PostgreSQL -----


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到 {name} 命令：{TOOL_HINT}。")
    return found


def pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment that points libpq's tools at the database of `settings_dict`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            values[variable] = options[option]
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as exc:
        raise BackupError(f"无法运行 {command[0]}：{exc}") from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{what}失败：{' '.join(detail) or result.returncode}")


def pg_dump(settings_dict: dict[str, Any], path: Path, snapshot: str) -> None:
    """Dump the database as `pg_dump --format=custom` sees it in the exported `snapshot`."""
    command = [
        pg_tool("pg_dump"), "--format=custom", "--compress=0", "--no-password",
        f"--snapshot={snapshot}", f"--file={path}",
    ]  # fmt: skip
    _run(command, pg_env(settings_dict), "pg_dump 导出数据库")


def pg_restore(settings_dict: dict[str, Any], path: Path) -> None:
    """Restore a custom-format dump into the (table-less) database of `settings_dict`."""
    command = [
        pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
        "--exit-on-error", "--no-password", f"--dbname={settings_dict.get('NAME')}", str(path),
    ]  # fmt: skip
    _run(command, pg_env(settings_dict), "pg_restore 恢复数据库")


def pg_check(path: Path) -> None:
    """Raise BackupError unless pg_restore can read the dump's table of contents."""
    command = [pg_tool("pg_restore"), "--list", str(path)]
    _run(command, dict(os.environ), "读取 PostgreSQL 备份目录")
