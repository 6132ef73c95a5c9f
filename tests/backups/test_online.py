"""Backups of a running site, as a user makes them: real `kanwu` processes and data folders.

A writer process keeps posting comments and contributions while `kanwu backup` runs; the
archive is restored into an empty data folder (and database), and the restored site must
hold every write acknowledged before the backup began, render the sampled pages byte for
byte as the original did (page cache off), and find the same search results. On SQLite, on
PostgreSQL, and across the two (scratch PostgreSQL databases, skipped when none is reachable).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.deadlines import DEADLINE

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
PROBE = (HERE / "probe.py").read_text(encoding="utf-8")
LOAD = (HERE / "load.py").read_text(encoding="utf-8")
SERVER = os.environ.get("KANWU_TEST_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test"


def kanwu_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
        and not key.startswith("KANWU_")
    }
    env.update(KANWU_DATA_DIR=str(data_dir), KANWU_PAGE_CACHE="0", KANWU_STATIC_DIR="0")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def kanwu(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "kanwu.cli", *args],
        env=env, capture_output=True, text=True, timeout=DEADLINE * 4, check=False,
    )  # fmt: skip
    if check and result.returncode != 0:
        pytest.fail(f"kanwu {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def probe(env: dict[str, str]) -> dict[str, Any]:
    output = kanwu(env, "shell", "-c", PROBE).stdout
    line = next(line for line in output.splitlines() if line.startswith("PROBE "))
    result: dict[str, Any] = json.loads(line.removeprefix("PROBE "))
    return result


def files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


# ----- scratch PostgreSQL databases -----


def _server_url(name: str) -> str:
    parts = urlsplit(SERVER)
    return urlunsplit(parts._replace(path=f"/{name}"))


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(_server_url("postgres"), connect_timeout=3):
            return True
    except Exception:
        return False


@contextmanager
def scratch_database() -> Iterator[str]:
    """A new, empty PostgreSQL database (its URL), dropped afterwards."""
    import psycopg

    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable")
    name = f"kanwu_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _server_url(name)
    finally:
        with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scratch_databases_left() -> list[str]:
    import psycopg

    with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'kanwu_verify_%'")
        return [row[0] for row in rows]


# ----- a site under write load, backed up -----


@dataclass
class Source:
    data_dir: Path
    env: dict[str, str]
    backup: Path
    before: dict[str, Any]
    acked: list[str] = field(default_factory=list)
    during_backup: int = 0
    output: str = ""


def backed_up_under_load(folder: Path, database_url: str | None = None) -> Source:
    data_dir = folder / "data"
    env = kanwu_env(data_dir, database_url)
    kanwu(env, "migrate", "--noinput", "-v0")
    kanwu(env, "demo", "--articles", "20")
    load_env = env | {"KANWU_LOAD": "setup"}
    assert "SETUP done" in kanwu(load_env, "shell", "-c", LOAD).stdout
    before = probe(env)
    assert before["comments"] and before["submissions"] == ["家乡的变化"]

    stop = folder / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-m", "kanwu.cli", "shell", "-c", LOAD],
        env=env | {"KANWU_LOAD": "run", "KANWU_LOAD_STOP": str(stop)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    acks: list[str] = []
    enough = threading.Event()

    def read() -> None:
        assert writer.stdout is not None
        for line in writer.stdout:
            if line.startswith("ACK "):
                acks.append(line.strip())
                if len(acks) >= 6:
                    enough.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not enough.wait(120):
            pytest.fail("the writer acknowledged no writes")
        acked = list(acks)  # committed before the backup process starts
        backup = folder / "site.tar.gz"
        result = kanwu(env, "backup", str(backup))
        during = len(acks) - len(acked)
    finally:
        stop.touch()
        try:
            _, errors = writer.communicate(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            writer.kill()
            raise
        reader.join(10)
    assert writer.returncode == 0, errors
    assert "locked" not in errors
    return Source(data_dir, env, backup, before, acked, during, result.stdout)


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    return backed_up_under_load(tmp_path_factory.mktemp("sqlite-source"))


@pytest.fixture(scope="module")
def postgres_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    with scratch_database() as url:
        yield backed_up_under_load(tmp_path_factory.mktemp("postgres-source"), url)


def assert_same_site(source: Source, env: dict[str, str]) -> dict[str, Any]:
    after = probe(env)
    assert after["articles"] == source.before["articles"] == 20
    assert after["pages"] == source.before["pages"]  # status and body, byte for byte
    assert all(status == 200 for status, _, _ in after["pages"].values())
    assert after["search"] == source.before["search"]
    assert any(after["search"].values())
    acked_comments = {a.removeprefix("ACK comment ") for a in source.acked if "comment" in a}
    acked_submissions = {
        a.removeprefix("ACK submission ") for a in source.acked if "submission" in a
    }
    assert acked_comments and acked_comments <= set(after["comments"])
    assert acked_submissions <= set(after["submissions"])
    assert set(source.before["comments"]) <= set(after["comments"])
    return after


def restored_files(source: Source, target: Path) -> None:
    assert (target / "secret_key").read_bytes() == (source.data_dir / "secret_key").read_bytes()
    media = files_under(target / "media")
    assert media and set(media) <= set(files_under(source.data_dir / "media"))
    # The setup's contribution and each acknowledged one carry an attachment.
    submissions = 1 + sum("submission" in a for a in source.acked)
    assert len(files_under(target / "private")) >= submissions


def test_sqlite_backup_under_write_load_restores_into_an_empty_data_dir(
    sqlite_source: Source, tmp_path: Path
) -> None:
    assert sqlite_source.output.startswith("备份完成：")
    # The writer kept committing while the backup ran: WAL readers do not block it.
    assert sqlite_source.during_backup > 0
    target = tmp_path / "restored"
    result = kanwu(kanwu_env(target), "restore", str(sqlite_source.backup))
    assert "恢复完成" in result.stdout and "SQLite 原生备份" in result.stdout
    assert "与备份清单逐表核对一致" in result.stdout
    assert_same_site(sqlite_source, kanwu_env(target))
    restored_files(sqlite_source, target)


def test_sqlite_backup_restores_into_postgresql(sqlite_source: Source, tmp_path: Path) -> None:
    with scratch_database() as url:
        target = tmp_path / "restored"
        env = kanwu_env(target, url)
        result = kanwu(env, "restore", str(sqlite_source.backup))
        assert "中立副本（SQLite → PostgreSQL）" in result.stdout
        assert_same_site(sqlite_source, env)
        restored_files(sqlite_source, target)
        # New rows are numbered after the restored ones (sequences were reset).
        script = (
            "from kanwu.comments.models import Comment\n"
            "from kanwu.articles.models import ArticlePage\n"
            "top = Comment.objects.order_by('-pk').first().pk\n"
            "c = Comment.objects.create(article=ArticlePage.objects.first(), author_name='x',"
            " author_email='x@example.cn', body='新的')\n"
            "print('NEW', c.pk > top)\n"
        )
        assert "NEW True" in kanwu(env, "shell", "-c", script).stdout


def test_postgresql_backup_under_write_load_restores_into_an_empty_database(
    postgres_source: Source, tmp_path: Path
) -> None:
    assert postgres_source.during_backup > 0
    with scratch_database() as url:
        target = tmp_path / "restored"
        env = kanwu_env(target, url)
        result = kanwu(env, "restore", str(postgres_source.backup))
        assert "PostgreSQL 原生备份" in result.stdout
        assert_same_site(postgres_source, env)
        restored_files(postgres_source, target)


def test_postgresql_backup_restores_into_sqlite(postgres_source: Source, tmp_path: Path) -> None:
    target = tmp_path / "restored"
    result = kanwu(kanwu_env(target), "restore", str(postgres_source.backup))
    assert "中立副本（PostgreSQL → SQLite）" in result.stdout
    assert_same_site(postgres_source, kanwu_env(target))


def test_verify_restores_in_a_scratch_place_without_touching_the_site(
    sqlite_source: Source,
) -> None:
    before = files_under(sqlite_source.data_dir)
    result = kanwu(sqlite_source.env, "backup", "--verify", str(sqlite_source.backup))
    assert result.stdout.startswith("校验通过") and "临时 SQLite 数据目录" in result.stdout
    assert "与备份清单逐表核对一致" in result.stdout
    assert files_under(sqlite_source.data_dir) == before


def test_verify_of_a_postgresql_backup_uses_a_scratch_database(postgres_source: Source) -> None:
    result = kanwu(postgres_source.env, "backup", "--verify", str(postgres_source.backup))
    scratch = re.search(
        r"临时 PostgreSQL 数据库 (kanwu_verify_[0-9a-f]+)（用后即删）", result.stdout
    )
    assert scratch is not None, result.stdout
    # Only this verify's own database: another run on the same server may have one open now.
    assert scratch[1] not in scratch_databases_left()


def test_cli_errors_are_chinese_messages_without_tracebacks(
    sqlite_source: Source, tmp_path: Path
) -> None:
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(sqlite_source.backup.read_bytes()[:5000])
    result = kanwu(kanwu_env(tmp_path / "empty"), "restore", str(truncated), check=False)
    assert result.returncode == 1
    assert "备份文件已损坏或不完整" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "empty" / "media").exists()


def test_missing_pg_dump_is_a_clear_message(postgres_source: Source, tmp_path: Path) -> None:
    no_tools = postgres_source.env | {"PATH": str(tmp_path)}
    result = kanwu(no_tools, "backup", str(tmp_path / "x.tar.gz"), check=False)
    assert result.returncode == 1
    assert "找不到 pg_dump 命令" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*x.tar.gz*"))


def test_an_older_backup_is_migrated_forward(sqlite_source: Source, tmp_path: Path) -> None:
    """A backup made before a migration (here: the backups app's own) restores, natively and
    from the neutral copy (read with the models of its time), then migrates forward."""
    older = tmp_path / "older"
    older.mkdir()
    for name in ("kanwu.sqlite3", "kanwu.sqlite3-wal", "secret_key"):
        if (sqlite_source.data_dir / name).exists():
            (older / name).write_bytes((sqlite_source.data_dir / name).read_bytes())
    env = kanwu_env(older)
    kanwu(env, "migrate", "backups", "zero", "-v0")
    backup = tmp_path / "older.tar.gz"
    made = kanwu(env, "backup", str(backup))
    assert "Traceback" not in made.stderr  # it could not record itself, and says so in a log line

    native = kanwu(kanwu_env(tmp_path / "native"), "restore", str(backup)).stdout
    assert "已执行 1 个数据库迁移" in native
    script = "from kanwu.backups.models import BackupRun\nprint('RUNS', BackupRun.objects.count())"
    assert "RUNS 0" in kanwu(kanwu_env(tmp_path / "native"), "shell", "-c", script).stdout
    if postgres_reachable():
        with scratch_database() as url:
            env = kanwu_env(tmp_path / "neutral", url)
            neutral = kanwu(env, "restore", str(backup)).stdout
            assert (
                "中立副本（SQLite → PostgreSQL）" in neutral and "已执行 1 个数据库迁移" in neutral
            )
            assert "RUNS 0" in kanwu(env, "shell", "-c", script).stdout
