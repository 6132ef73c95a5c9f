"""The one typed reader of the environment (KANWU_*, DATABASE_URL, REDIS_URL).

Everything the deployment may change is read here, so settings modules stay declarative.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url

ON = {"1", "true", "yes", "on"}
OFF = {"", "0", "false", "no", "off"}


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ON


def _list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _flag_or_list(name: str) -> bool | list[str]:
    value = os.environ.get(name, "").strip()
    if value.lower() in OFF:
        return False
    if value.lower() in ON:
        return True
    return _list(name, [])


def _positive(name: str, default: float) -> float:
    """A positive number of seconds, megabytes, uploads…; a bad value stops the start-up."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0:
        raise ValueError(f"环境变量 {name} 必须是正数，当前为 {value!r}")
    return number


def _folder_or_off(name: str, default: Path) -> Path | None:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in OFF:
        return None
    return Path(value).resolve()


def _count(name: str, default: int) -> int:
    """A non-negative whole number (a count), or `default` when unset or unreadable."""
    value = os.environ.get(name, "").strip()
    try:
        return max(0, int(value)) if value else default
    except ValueError:
        return default


def _networks(name: str) -> list[str]:
    """Addresses or CIDR networks, comma-separated, in their normal spelling; entries that
    are neither are ignored (a typo must not make every client a trusted proxy)."""
    networks: list[str] = []
    for item in _list(name, []):
        try:
            network = ipaddress.ip_network(item.strip("[]"), strict=False)
        except ValueError:
            continue
        if str(network) not in networks:
            networks.append(str(network))
    return networks


# A CSP host-source: scheme, host (a leading "*." allowed), port and path; nothing that could
# end the directive (";", ",", quotes, spaces).
SOURCE_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[a-z0-9.-]+(?::[0-9]+)?(?:/[\w./-]*)?$")


def _sources(name: str) -> list[str]:
    """Hosts for a Content-Security-Policy directive; anything else is ignored."""
    return [item for item in _list(name, []) if SOURCE_RE.match(item.lower())]


def _https(base_url: str) -> bool:
    """The HTTPS switch: KANWU_HTTPS, or else a KANWU_BASE_URL that starts with https://."""
    if os.environ.get("KANWU_HTTPS", "").strip():
        return _flag("KANWU_HTTPS")
    return base_url.strip().lower().startswith("https://")


def _allowed_hosts() -> list[str]:
    """KANWU_ALLOWED_HOSTS, plus the host of KANWU_BASE_URL when set: the address readers use
    (and the static export renders pages for) is always accepted."""
    hosts = _list("KANWU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
    try:
        host = urlsplit(os.environ.get("KANWU_BASE_URL", "").strip()).hostname or ""
    except ValueError:
        host = ""
    host = f"[{host}]" if ":" in host else host
    if host and "*" not in hosts and host not in hosts:
        hosts.append(host)
    return hosts


def _secret_key(data_dir: Path) -> str:
    """Return KANWU_SECRET_KEY, or a key made on first run and kept in the data folder."""
    if key := os.environ.get("KANWU_SECRET_KEY"):
        return key
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    # O_EXCL: if two processes start at once, exactly one writes and both read its key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


def _database(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=600))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Connections stay open between requests (each worker thread keeps its own): a new one
        # costs more than an article page's queries, as SQLite reads the schema again.
        config["OPTIONS"] = {
            # WAL lets readers and the task worker run beside one writer.
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


@dataclass(frozen=True)
class Env:
    data_dir: Path
    database: dict[str, Any]
    redis_url: str | None
    allowed_hosts: list[str]
    debug: bool
    secret_key: str
    serve_media: bool
    base_url: str
    page_cache: bool
    # The static export the worker keeps current (静态化), or None when turned off.
    static_dir: Path | None = None
    # True, False, or a list of networks / "ip:port" the safe fetcher may reach (core/fetch.py).
    fetch_allow_private: bool | list[str] = False
    # The RSGI front (kanwu.serving.rsgi): a request body must bring a byte at least every
    # `body_timeout` seconds and average 16 KB/s once `body_deadline` seconds have passed;
    # at most `max_uploads` large bodies are read at once per process, none over
    # `max_body_mb`; `web_threads` threads per process run Django.
    body_timeout: float = 10.0
    body_deadline: float = 30.0
    # The page cache's bounds: the data-folder store's size, every entry's longest life.
    page_cache_mb: float = 512.0
    page_cache_ttl: float = 24 * 3600.0
    max_uploads: int = 8
    max_body_mb: float = 60.0
    web_threads: int = 4
    # Scheduled backups (kanwu.backups): their folder, or None when turned off, and how many
    # daily and weekly archives the worker keeps.
    backup_dir: Path | None = None
    backup_keep_daily: int = 7
    backup_keep_weekly: int = 4
    # Served over HTTPS (directly or behind a TLS proxy): secure cookies, HSTS, redirects.
    https: bool = False
    hsts_include_subdomains: bool = True
    hsts_preload: bool = False
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (core/proxies.py).
    trusted_proxies: list[str] = field(default_factory=list)
    # Staff must use two-factor login (TOTP); without it only those with a device are asked.
    require_2fa: bool = False
    # Hosts reader pages may load images / frames from, besides this site (CSP).
    csp_img_hosts: list[str] = field(default_factory=list)
    csp_frame_hosts: list[str] = field(default_factory=list)


def read_env() -> Env:
    data_dir = Path(os.environ.get("KANWU_DATA_DIR", "var")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'kanwu.sqlite3'}"
    base_url = os.environ.get("KANWU_BASE_URL", "http://127.0.0.1:8000")
    return Env(
        data_dir=data_dir,
        database=_database(database_url),
        redis_url=os.environ.get("REDIS_URL") or None,
        allowed_hosts=_allowed_hosts(),
        debug=_flag("KANWU_DEBUG"),
        secret_key=_secret_key(data_dir),
        serve_media=_flag("KANWU_SERVE_MEDIA", default=True),
        base_url=base_url,
        page_cache=_flag("KANWU_PAGE_CACHE", default=True),
        static_dir=_folder_or_off("KANWU_STATIC_DIR", data_dir / "html"),
        fetch_allow_private=_flag_or_list("KANWU_FETCH_ALLOW_PRIVATE"),
        page_cache_mb=_positive("KANWU_PAGE_CACHE_MB", 512.0),
        page_cache_ttl=_positive("KANWU_PAGE_CACHE_TTL", 24 * 3600.0),
        body_timeout=_positive("KANWU_BODY_TIMEOUT", 10.0),
        body_deadline=_positive("KANWU_BODY_DEADLINE", 30.0),
        max_uploads=max(1, int(_positive("KANWU_MAX_UPLOADS", 8))),
        max_body_mb=_positive("KANWU_MAX_BODY_MB", 60.0),
        web_threads=max(1, int(_positive("KANWU_WEB_THREADS", 4))),
        backup_dir=_folder_or_off("KANWU_BACKUP_DIR", data_dir / "backups"),
        backup_keep_daily=_count("KANWU_BACKUP_KEEP_DAILY", 7),
        backup_keep_weekly=_count("KANWU_BACKUP_KEEP_WEEKLY", 4),
        https=_https(base_url),
        hsts_include_subdomains=_flag("KANWU_HSTS_INCLUDE_SUBDOMAINS", default=True),
        hsts_preload=_flag("KANWU_HSTS_PRELOAD"),
        trusted_proxies=_networks("KANWU_TRUSTED_PROXIES"),
        require_2fa=_flag("KANWU_REQUIRE_2FA"),
        csp_img_hosts=_sources("KANWU_CSP_IMG_HOSTS"),
        csp_frame_hosts=_sources("KANWU_CSP_FRAME_HOSTS"),
    )
