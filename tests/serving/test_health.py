"""`GET /healthz`: 200 with every check when the database and cache answer, 503 when not.
(The database failure is tried on a real server: tests/serving/test_supervisor.py.)"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kanwu.publishing.backends import get_store
from kanwu.publishing.tasks import refresh_static_export
from kanwu.serving import health
from tests.publishing.conftest import Reader, page_cache, reader  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def healthz(client: Client) -> tuple[int, dict[str, Any], str]:
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content), response["Cache-Control"]


def test_healthy_server_answers_200_with_every_check(client: Client) -> None:
    status, report, cache_control = healthz(client)
    assert (status, report["status"], cache_control) == (200, "ok", "no-store")
    checks = report["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["cache"]["status"] == "ok"
    assert checks["tasks"] == {"backend": "ImmediateBackend", "backlog": 0}
    assert checks["export"] == {"lag_seconds": None}  # no static export in the tests


def test_backlog_and_export_lag_come_from_the_task_queue(
    client: Client,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.KANWU_STATIC_DIR = tmp_path
    assert healthz(client)[1]["checks"]["export"] == {"lag_seconds": 0.0}  # nothing queued
    with django_capture_on_commit_callbacks(execute=True):
        refresh_static_export.enqueue(["site"], [], time.time())
        refresh_static_export.enqueue(["site"], [], time.time())
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=90))
    status, report, _ = healthz(client)
    assert status == 200
    assert report["checks"]["tasks"] == {"backend": "DatabaseBackend", "backlog": 2}
    assert report["checks"]["export"]["lag_seconds"] >= 90


def test_a_failing_cache_makes_it_503(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    class BrokenCache:
        def set(self, *args: Any, **kwargs: Any) -> None:
            raise ConnectionError("cache server gone")

    monkeypatch.setattr(health, "cache", BrokenCache())
    status, report, cache_control = healthz(client)
    assert (status, report["status"], cache_control) == (503, "fail", "no-store")
    assert report["checks"]["cache"] == {"status": "fail", "error": "ConnectionError"}
    assert report["checks"]["database"]["status"] == "ok"


def test_it_never_touches_the_page_cache(reader: Reader) -> None:  # noqa: F811 (fixture)
    for _ in range(2):
        status, headers, _ = reader.get("/healthz")
        assert status == 200
        assert "X-Kanwu-Cache" not in headers
    assert get_store().size() == (0, 0)
