"""Configuration comes from the environment, with a data folder made on first run."""

from __future__ import annotations

from pathlib import Path

import pytest

from kanwu.settings.env import read_env


def test_defaults_use_sqlite_in_wal_mode_inside_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [
        "DATABASE_URL",
        "REDIS_URL",
        "KANWU_DEBUG",
        "KANWU_SECRET_KEY",
        "KANWU_STATIC_DIR",
    ]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KANWU_DATA_DIR", str(tmp_path / "data"))
    env = read_env()
    assert env.data_dir == tmp_path / "data"
    assert env.database["ENGINE"] == "django.db.backends.sqlite3"
    assert env.database["NAME"] == str(tmp_path / "data" / "kanwu.sqlite3")
    assert "journal_mode=WAL" in env.database["OPTIONS"]["init_command"]
    assert env.redis_url is None
    assert env.debug is False
    assert env.static_dir == tmp_path / "data" / "html"  # 静态化 is on by default


@pytest.mark.parametrize(
    ("value", "expected"), [("0", None), ("off", None), ("srv/html", "srv/html")]
)
def test_static_export_folder_can_be_moved_or_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, expected: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KANWU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KANWU_STATIC_DIR", value)
    assert read_env().static_dir == (expected and tmp_path / expected)


def test_secret_key_is_made_once_and_kept_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KANWU_SECRET_KEY", raising=False)
    monkeypatch.setenv("KANWU_DATA_DIR", str(tmp_path))
    first = read_env().secret_key
    assert len(first) >= 50
    assert read_env().secret_key == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_postgres_redis_hosts_and_debug_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANWU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://kanwu@db.internal:5432/portal")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/2")
    monkeypatch.setenv("KANWU_ALLOWED_HOSTS", "news.example.org, www.example.org")
    monkeypatch.setenv("KANWU_DEBUG", "1")
    env = read_env()
    assert env.database["ENGINE"] == "django.db.backends.postgresql"
    assert env.database["NAME"] == "portal"
    assert env.redis_url == "redis://127.0.0.1:6379/2"
    assert env.allowed_hosts == ["news.example.org", "www.example.org"]
    assert env.debug is True
