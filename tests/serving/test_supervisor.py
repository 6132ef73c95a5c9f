"""`kanwu serve` heals itself: real processes killed with SIGKILL while clients keep asking,
slow uploads that try to starve it, and a graceful stop. The tests assert what happens,
never how fast (every wait is bounded by KANWU_TEST_DEADLINE)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management.base import CommandError

from kanwu.serving.management.commands.serve import check_port
from kanwu.serving.supervisor import backoff, describe
from tests.core.test_commands import kanwu
from tests.serving.processes import (
    DEADLINE,
    Serve,
    alive,
    descendants,
    get,
    load,
    read_answer,
    send_raw,
    status_of,
    upload_head,
    wait_until,
)

pytestmark = pytest.mark.slow
CLIENTS = 4  # threads requesting pages while a process is killed
LOAD_LIMIT = 60.0  # seconds a client loop may run at most


def test_backoff_starts_at_once_then_doubles_to_thirty_seconds() -> None:
    assert [backoff(n) for n in range(1, 9)] == [0, 1, 2, 4, 8, 16, 30, 30]
    assert describe(-9) == "被信号 SIGKILL 终止"
    assert describe(3) == "退出码 3"


def test_a_child_in_a_crash_loop_is_restarted_with_a_backoff(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from kanwu.serving.supervisor import Child, Supervisor\n"
        "crash = Child('测试进程', [sys.executable, '-c', 'raise SystemExit(3)'])\n"
        "Supervisor([crash], stop_timeout=5, say=lambda line: print(line, flush=True)).run()\n"
    )
    log = tmp_path / "supervisor.log"
    process = subprocess.Popen([sys.executable, "-c", script], stdout=log.open("wb"))
    try:
        wait_until(lambda: log.read_text().count("意外退出") >= 3, "three restarts")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=DEADLINE) == 0
    finally:
        process.kill()
        process.wait()
    lines = log.read_text().splitlines()
    assert "测试进程" in lines[0] and "退出码 3" in lines[0] and "已重新启动" in lines[0]
    assert "1 秒后重新启动" in lines[1]
    assert "2 秒后重新启动" in lines[2]


def test_a_taken_port_stops_kanwu_serve_with_a_message() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"无法监听 127.0.0.1:{port}"):
            check_port("127.0.0.1", port)


@pytest.fixture(scope="module")
def server(demo_dir: Path) -> Iterator[Serve]:
    """`kanwu serve` with two web processes; a body must bring a byte every 5 s."""
    serve = Serve.start(demo_dir, "--workers", "2", "--skip-collectstatic", KANWU_BODY_TIMEOUT="5")
    wait_until(serve.serving, "both web processes to listen")
    yield serve
    serve.stop()


def test_a_killed_web_process_is_replaced_while_the_other_answers(server: Serve) -> None:
    main = server.granian()
    before = server.web_workers()
    assert len(before) == 2
    get(server.port, "/")
    with load(server.port, "/", CLIENTS, LOAD_LIMIT) as clients:
        clients.wait_for(20)
        os.kill(before[0], signal.SIGKILL)
        wait_until(
            lambda: before[0] not in server.web_workers() and len(server.web_workers()) == 2,
            "granian to start a new web process",
        )
        wait_until(server.serving, "the new web process to listen")
        clients.wait_for(clients.ok + 20)
    # Only requests in flight on the killed process may fail: at most one per client.
    assert len(clients.failed) <= CLIENTS, clients.failed
    assert server.granian() == main  # granian itself kept running


def test_a_killed_granian_is_restarted_and_its_workers_serve_until_then(server: Serve) -> None:
    main = server.granian()
    assert main is not None
    workers = server.web_workers()
    with load(server.port, "/", CLIENTS, LOAD_LIMIT) as clients:
        clients.wait_for(20)
        os.kill(main, signal.SIGKILL)
        wait_until(lambda: server.granian() not in (None, main), "kanwu serve to restart granian")
        wait_until(server.serving, "the new granian to listen")
        wait_until(lambda: not any(alive(pid) for pid in workers), "the old workers to stop")
        clients.wait_for(clients.ok + 20)
    assert len(clients.failed) <= CLIENTS, clients.failed
    assert "网站主进程（granian）" in server.output()
    assert "意外退出（被信号 SIGKILL 终止），已重新启动" in server.output()


def test_a_killed_task_worker_is_restarted_and_runs_new_tasks(
    server: Serve, demo_dir: Path
) -> None:
    home = demo_dir / "html" / "index.html"
    wait_until(lambda: home.exists() and "党史天天读" in home.read_text(), "the static export")
    worker = server.task_worker()
    assert worker is not None
    os.kill(worker, signal.SIGKILL)
    wait_until(lambda: server.task_worker() not in (None, worker), "a new task worker")
    assert "后台任务处理器" in server.output()
    script = (
        "from kanwu.articles.models import ArticlePage\n"
        "a = ArticlePage.objects.live().order_by('pk').first()\n"
        "a.title = '重启之后照常导出'\n"
        "a.save_revision().publish()\n"
        "print(a.url_path.removeprefix('/home'))\n"
    )
    path = kanwu(demo_dir, "shell", "-c", script).stdout.strip().splitlines()[-1]
    page = demo_dir / "html" / path.lstrip("/") / "index.html"
    # The refresh task queued by that change runs in the new worker.
    wait_until(lambda: page.exists() and "重启之后照常导出" in page.read_text(), "the refresh")


def test_slow_uploads_cannot_starve_the_pages(server: Serve) -> None:
    for path in ("/", "/news/"):
        get(server.port, path)  # stored in the page cache
    # A CSRF cookie, as a browser's: Django would then read the body to find the form's
    # token (without one it refuses the post before reading it).
    cookie = "Cookie: csrftoken=abcdefghijklmnopqrstuvwxyzABCDEF\r\n"
    slow = [send_raw(server.port, upload_head(100_000, more=cookie) + b"a=1") for _ in range(50)]
    try:
        for _ in range(3):
            for path in ("/", "/news/"):
                status, headers, _ = get(server.port, path)
                assert (status, headers.get("x-kanwu-cache")) == (200, "HIT")
            assert get(server.port, "/admin/login/")[0] == 200  # Django, in a thread
            assert get(server.port, "/search/?q=" + quote("政协"))[0] == 200
        # Each slow upload is refused at once (no slot left) or when it stalls (5 s here).
        statuses = [status_of(read_answer(sock)) for sock in slow]
    finally:
        for sock in slow:
            sock.close()
    assert set(statuses) <= {408, 503, None}, statuses
    assert 408 in statuses and 503 in statuses, statuses


def test_sigterm_lets_requests_finish_then_stops_everything(demo_dir: Path) -> None:
    serve = Serve.start(demo_dir, "--workers", "1", "--skip-collectstatic")
    try:
        wait_until(lambda: serve.serving() and serve.task_worker(), "every process")
        family = descendants(serve.process.pid)
        body = b"a=1&b=2"
        sock = send_raw(serve.port, upload_head(len(body)) + body[:3])
        assert get(serve.port, "/")[0] == 200  # by now the upload above is being read
        serve.process.send_signal(signal.SIGTERM)
        sock.sendall(body[3:])
        assert status_of(read_answer(sock)) == 403  # answered (Django's CSRF check), not cut
        # The graceful limit is 25 s; the deadline only turns a hang into a failure.
        assert serve.process.wait(timeout=DEADLINE) == 0
        assert [pid for pid in family if alive(pid)] == []
    finally:
        serve.stop()


def test_healthz_fails_with_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    broken = Serve.start(
        tmp_path,
        "--workers",
        "1",
        "--no-worker",
        "--skip-collectstatic",
        ready=("/healthz", 503),
        DATABASE_URL=f"sqlite:///{tmp_path / 'missing' / 'kanwu.sqlite3'}",
    )
    try:
        status, headers, body = get(broken.port, "/healthz")
        assert status == 503
        assert headers["cache-control"] == "no-store"
        assert b'"database": {"status": "fail", "error": "OperationalError"}' in body
        assert b'"cache": {"status": "ok"' in body
    finally:
        broken.stop()
