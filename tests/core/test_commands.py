"""The `kanwu` command as a user runs it: real processes, a real data folder, a real server."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deadlines import DEADLINE

pytestmark = pytest.mark.slow
TEST_ENV = "test-env.json"  # in a data folder: environment its kanwu processes get


def kanwu_env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
        and not key.startswith("KANWU_")
    }
    env.update(KANWU_DATA_DIR=str(data_dir), KANWU_SCHEDULE_INTERVAL="1")
    # A data folder a test set up for PostgreSQL + Redis names them here (tests/serving).
    if (extra := data_dir / TEST_ENV).exists():
        env.update(json.loads(extra.read_text()))
    return env


def kanwu(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kanwu.cli", *args],
        env=kanwu_env(data_dir),
        capture_output=True,
        text=True,
        timeout=DEADLINE * 2,
        check=check,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder migrated and filled with a small demo, shared by this module's tests."""
    path = tmp_path_factory.mktemp("kanwu-data")
    kanwu(path, "migrate", "--noinput", "-v0")
    demo = kanwu(path, "demo", "--articles", "40")
    assert "演示站点已生成：40 篇文章" in demo.stdout
    # Not a terminal: one line per stage, so a long build is never silent.
    assert "生成文章（共 40）…\n建立搜索索引（共 40）…" in demo.stdout
    return path


def test_data_folder_holds_a_wal_database_and_a_secret_key(data_dir: Path) -> None:
    database = data_dir / "kanwu.sqlite3"
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert (data_dir / "secret_key").exists()
    assert list((data_dir / "media" / "original_images").glob("demo-cover-*.jpg"))


def test_demo_never_writes_over_existing_content(data_dir: Path) -> None:
    again = kanwu(data_dir, "demo", check=False)
    assert again.returncode == 1
    assert "数据库中已有文章" in again.stderr
    assert kanwu(data_dir, "demo", "--if-empty").returncode == 0


def test_admin_password_is_printed_once(data_dir: Path) -> None:
    first = kanwu(data_dir, "ensure_admin").stdout
    assert "已创建管理员 admin，密码：" in first
    second = kanwu(data_dir, "ensure_admin").stdout
    assert "密码" not in second
    assert "管理员已存在" in second


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=DEADLINE) as response:  # noqa: S310 (loopback only)
        return response.status, response.read()


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kanwu.cli", "serve", "--port", str(port), "--workers", "1"],
        env=kanwu_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            try:
                if fetch(base + "/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"kanwu serve did not answer within {DEADLINE:.0f} s")
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("kanwu serve did not stop on SIGTERM")


def test_serve_caches_pages_whole_by_default(server: str) -> None:
    """A page asked for again is answered from the whole-page cache. The worker's first jobs
    (热门, recommendations) may purge it once in between: ask until the site is quiet."""
    deadline = time.monotonic() + DEADLINE
    while True:
        with urllib.request.urlopen(server + "/news/", timeout=DEADLINE) as response:  # noqa: S310
            cached, body = response.headers["X-Kanwu-Cache"], response.read().decode()
        if cached == "HIT" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert cached == "HIT"
    assert "新闻动态" in body


def test_serve_answers_pages_admin_and_assets(server: str) -> None:
    status, home = fetch(server + "/")
    assert status == 200
    assert "党史天天读" in home.decode()
    assert fetch(server + "/news/")[0] == 200
    assert fetch(server + "/admin/login/")[0] == 200
    css = home.decode().split('<link rel="stylesheet" href="')[1].split('"')[0]
    assert css.startswith("/static/kanwu/site.") and css != "/static/kanwu/site.css"  # hashed
    assert fetch(server + css)[0] == 200
    media = home.decode().split('src="/media/')[1].split('"')[0]
    assert fetch(server + "/media/" + media)[0] == 200


def test_serve_names_kanwu_base_url_in_robots_txt_and_sitemaps(server: str) -> None:
    # The migrations' site record says http://localhost; `kanwu serve` applies KANWU_BASE_URL
    # (here its default) as it starts, so crawlers are sent to the configured address.
    status, robots = fetch(server + "/robots.txt")
    assert status == 200
    assert b"Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots
    assert (
        b"<loc>http://127.0.0.1:8000/sitemap-pages-1.xml</loc>" in fetch(server + "/sitemap.xml")[1]
    )


def test_worker_publishes_scheduled_articles_on_time(server: str, data_dir: Path) -> None:
    schedule = (
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from kanwu.articles.models import ArticlePage\n"
        "a = ArticlePage.objects.live().first()\n"
        "a.unpublish()\n"
        "a.go_live_at = timezone.now() + timedelta(hours=1)\n"
        "a.save_revision().publish()\n"
        "print(a.url_path.removeprefix('/home'))\n"
    )
    path = kanwu(data_dir, "shell", "-c", schedule).stdout.strip().splitlines()[-1]
    with pytest.raises(urllib.error.HTTPError) as gone:
        fetch(server + path)
    assert gone.value.code == 404
    # The hour passes: the scheduled revision is now due (no waiting on the wall clock).
    due = (
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from wagtail.models import Revision\n"
        "past = timezone.now() - timedelta(seconds=1)\n"
        "for r in Revision.objects.exclude(approved_go_live_at=None):\n"
        "    r.content['go_live_at'] = past.isoformat()\n"
        "    r.approved_go_live_at = past\n"
        "    r.save(update_fields=['content', 'approved_go_live_at'])\n"
    )
    kanwu(data_dir, "shell", "-c", due)
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        try:
            if fetch(server + path)[0] == 200:
                return
        except urllib.error.HTTPError:
            time.sleep(0.5)
    pytest.fail("the scheduled article was not published by the worker")


def wait_for_file(path: Path, text: str, seconds: float = DEADLINE) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(encoding="utf-8"):
            return True
        time.sleep(0.5)
    return False


def test_serve_keeps_a_static_export_by_default(server: str, data_dir: Path) -> None:
    export = data_dir / "html"
    assert wait_for_file(export / "index.html", "党史天天读"), "no static export was made"
    script = (
        "from kanwu.articles.models import ArticlePage\n"
        "a = ArticlePage.objects.live().order_by('pk').last()\n"
        "a.title = '静态文件跟着改'\n"
        "a.save_revision().publish()\n"
        "print(a.url_path.removeprefix('/home'))\n"
    )
    path = kanwu(data_dir, "shell", "-c", script).stdout.strip().splitlines()[-1]
    # The worker re-renders the article's file and the pages listing it.
    assert wait_for_file(export / path.lstrip("/") / "index.html", "静态文件跟着改")
    assert wait_for_file(export / "index.html", "静态文件跟着改")
