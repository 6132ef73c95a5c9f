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


def test_request_body_limits_of_the_rsgi_front(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANWU_DATA_DIR", str(tmp_path))
    names = ["BODY_TIMEOUT", "BODY_DEADLINE", "MAX_UPLOADS", "MAX_BODY_MB", "WEB_THREADS"]
    for name in names:
        monkeypatch.delenv(f"KANWU_{name}", raising=False)
    env = read_env()
    assert (env.body_timeout, env.body_deadline, env.max_uploads) == (10.0, 30.0, 8)
    assert (env.max_body_mb, env.web_threads) == (60.0, 4)
    monkeypatch.setenv("KANWU_BODY_TIMEOUT", "2.5")
    monkeypatch.setenv("KANWU_MAX_UPLOADS", "3")
    assert (read_env().body_timeout, read_env().max_uploads) == (2.5, 3)
    monkeypatch.setenv("KANWU_MAX_BODY_MB", "0")
    with pytest.raises(ValueError, match="KANWU_MAX_BODY_MB 必须是正数"):
        read_env()


def test_page_cache_bounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KANWU_DATA_DIR", str(tmp_path))
    for name in ("KANWU_PAGE_CACHE_MB", "KANWU_PAGE_CACHE_TTL"):
        monkeypatch.delenv(name, raising=False)
    env = read_env()
    assert (env.page_cache_mb, env.page_cache_ttl) == (512.0, 86400.0)
    monkeypatch.setenv("KANWU_PAGE_CACHE_MB", "64")
    monkeypatch.setenv("KANWU_PAGE_CACHE_TTL", "600")
    assert (read_env().page_cache_mb, read_env().page_cache_ttl) == (64.0, 600.0)
    monkeypatch.setenv("KANWU_PAGE_CACHE_TTL", "-1")
    with pytest.raises(ValueError, match="KANWU_PAGE_CACHE_TTL 必须是正数"):
        read_env()


def test_scheduled_backups_folder_and_retention(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANWU_DATA_DIR", str(tmp_path / "data"))
    for name in ["KANWU_BACKUP_DIR", "KANWU_BACKUP_KEEP_DAILY", "KANWU_BACKUP_KEEP_WEEKLY"]:
        monkeypatch.delenv(name, raising=False)
    env = read_env()
    assert env.backup_dir == tmp_path / "data" / "backups"
    assert (env.backup_keep_daily, env.backup_keep_weekly) == (7, 4)
    monkeypatch.setenv("KANWU_BACKUP_DIR", "0")
    assert read_env().backup_dir is None
    monkeypatch.setenv("KANWU_BACKUP_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("KANWU_BACKUP_KEEP_DAILY", "14")
    monkeypatch.setenv("KANWU_BACKUP_KEEP_WEEKLY", "many")
    env = read_env()
    assert env.backup_dir == tmp_path / "elsewhere"
    assert (env.backup_keep_daily, env.backup_keep_weekly) == (14, 4)


SECURITY_VARIABLES = [
    "KANWU_HTTPS", "KANWU_BASE_URL", "KANWU_HSTS_INCLUDE_SUBDOMAINS", "KANWU_HSTS_PRELOAD",
    "KANWU_TRUSTED_PROXIES", "KANWU_REQUIRE_2FA", "KANWU_CSP_IMG_HOSTS", "KANWU_CSP_FRAME_HOSTS",
]  # fmt: skip


@pytest.fixture
def bare_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in SECURITY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KANWU_DATA_DIR", str(tmp_path))
    return monkeypatch


def test_security_switches_are_off_by_default(bare_env: pytest.MonkeyPatch) -> None:
    env = read_env()
    assert env.https is False
    assert env.trusted_proxies == []
    assert env.require_2fa is False
    assert env.hsts_include_subdomains is True
    assert env.hsts_preload is False
    assert env.csp_img_hosts == []


@pytest.mark.parametrize(
    ("variables", "https"),
    [
        ({"KANWU_BASE_URL": "https://news.example.cn"}, True),
        ({"KANWU_BASE_URL": "HTTPS://news.example.cn/"}, True),
        ({"KANWU_BASE_URL": "http://news.example.cn"}, False),
        ({"KANWU_HTTPS": "1"}, True),
        ({"KANWU_HTTPS": "on", "KANWU_BASE_URL": "http://127.0.0.1:8000"}, True),
        # An explicit "off" wins over the address (e.g. while the certificate is not ready).
        ({"KANWU_HTTPS": "0", "KANWU_BASE_URL": "https://news.example.cn"}, False),
    ],
)
def test_https_switch_from_base_url_or_its_own_variable(
    bare_env: pytest.MonkeyPatch, variables: dict[str, str], https: bool
) -> None:
    for name, value in variables.items():
        bare_env.setenv(name, value)
    assert read_env().https is https


def test_trusted_proxies_keep_addresses_and_networks_and_drop_the_rest(
    bare_env: pytest.MonkeyPatch,
) -> None:
    bare_env.setenv(
        "KANWU_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,::1, localhost, 300.1.2.3, 10.0.0.0/8"
    )
    assert read_env().trusted_proxies == ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]


def test_two_factor_hsts_and_csp_hosts_from_environment(bare_env: pytest.MonkeyPatch) -> None:
    bare_env.setenv("KANWU_REQUIRE_2FA", "yes")
    bare_env.setenv("KANWU_HSTS_INCLUDE_SUBDOMAINS", "0")
    bare_env.setenv("KANWU_HSTS_PRELOAD", "1")
    bare_env.setenv(
        "KANWU_CSP_IMG_HOSTS", "https://img.example.cn, *.cdn.example.cn, evil; script-src *"
    )
    bare_env.setenv("KANWU_CSP_FRAME_HOSTS", "https://player.bilibili.com, 'unsafe-inline'")
    env = read_env()
    assert env.require_2fa is True
    assert env.hsts_include_subdomains is False
    assert env.hsts_preload is True
    # Anything that could end the directive or add a keyword is dropped.
    assert env.csp_img_hosts == ["https://img.example.cn", "*.cdn.example.cn"]
    assert env.csp_frame_hosts == ["https://player.bilibili.com"]


def test_the_base_urls_host_is_always_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANWU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KANWU_ALLOWED_HOSTS", "www.example.org")
    monkeypatch.setenv("KANWU_BASE_URL", "https://news.example.org")
    assert read_env().allowed_hosts == ["www.example.org", "news.example.org"]
    monkeypatch.setenv("KANWU_ALLOWED_HOSTS", "news.example.org")
    assert read_env().allowed_hosts == ["news.example.org"]
