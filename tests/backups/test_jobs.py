"""Scheduled backups by the worker: one a day, retention, status, dashboard, mail on failure."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from kanwu.backups.jobs import backup_daily
from kanwu.backups.models import BackupRun
from kanwu.backups.retention import kept, stamp_of
from kanwu.backups.selectors import backup_status
from kanwu.core.timeutil import READERS_ZONE

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2026, 3, 1, 3, 0, tzinfo=READERS_ZONE)  # a Sunday, 03:00 in Beijing


@pytest.fixture
def backup_dir(settings: Any, data_dir: Path) -> Path:
    folder = data_dir.parent / "backups"
    settings.KANWU_BACKUP_DIR = folder
    settings.KANWU_BACKUP_KEEP_DAILY = 7
    settings.KANWU_BACKUP_KEEP_WEEKLY = 4
    return folder


def run_job() -> threading.Thread | None:
    """One scheduler tick's worth: the job, and the backup thread it may start."""
    thread = backup_daily()
    if thread is not None:
        thread.join(120)
        assert not thread.is_alive()
    return thread


def test_job_is_one_of_the_periodic_jobs() -> None:
    assert "kanwu.backups.jobs.backup_daily" in django_settings.KANWU_PERIODIC_JOBS


def test_forty_days_of_daily_runs_keep_seven_daily_and_four_weekly(backup_dir: Path) -> None:
    for day in range(40):
        with time_machine.travel(START + dt.timedelta(days=day), tick=False):
            assert run_job() is not None
            assert run_job() is None  # one backup a day
    days = ["0315", "0322", "0329", "0402", "0403", "0404", "0405", "0406", "0407", "0408", "0409"]
    assert sorted(p.name for p in backup_dir.iterdir()) == [
        f"kanwu-backup-2026{day}-030000.tar.gz" for day in days
    ]
    assert BackupRun.objects.filter(kind=BackupRun.Kind.SCHEDULED, ok=True).count() == 40


def test_retention_rule() -> None:
    stamps = [START + dt.timedelta(days=d, hours=h) for d in range(40) for h in (0, 12)]
    keep = kept(stamps, daily=7, weekly=4)
    assert len(keep) == 11
    # The newest of each of the last 7 days, then of each of the 4 ISO weeks before them.
    assert max(keep) == max(stamps)
    assert sorted({s.date() for s in keep}) == sorted(s.date() for s in keep)
    assert kept(stamps, daily=0, weekly=0) == set()
    assert len(kept(stamps[:3], daily=7, weekly=4)) == 2
    assert stamp_of("kanwu-backup-20260301-030000.tar.zst") == START
    assert stamp_of("kanwu-backup-2026.tar.gz") is None
    assert stamp_of(".kanwu-backup-20260301-030000.tar.gz.1234.part") is None


def test_status_tells_the_age_of_the_last_backup(backup_dir: Path) -> None:
    assert backup_status()["healthy"] is False  # on, and nothing made yet
    with time_machine.travel(START, tick=False):
        run_job()
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        status = backup_status()
        assert status["healthy"] is True and status["stale"] is False
        assert status["age_seconds"] == 7200
        assert status["last"]["ok"] is True and status["last"]["kind"] == "scheduled"
        assert Path(status["last"]["file"]).parent == backup_dir
        assert status["last"]["size"] == Path(status["last"]["file"]).stat().st_size
    with time_machine.travel(START + dt.timedelta(hours=27), tick=False):
        assert backup_status()["stale"] is True
        assert backup_status()["healthy"] is False


def test_scheduled_backups_can_be_turned_off(settings: Any) -> None:
    settings.KANWU_BACKUP_DIR = None
    assert backup_daily() is None
    status = backup_status()
    assert status["enabled"] is False and status["healthy"] is True
    assert not BackupRun.objects.exists()


def test_a_failed_backup_is_recorded_mailed_and_retried_an_hour_later(
    settings: Any, data_dir: Path, tmp_path: Path, django_user_model: type[User]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    settings.KANWU_BACKUP_DIR = blocker / "backups"
    django_user_model.objects.create_superuser("boss", "boss@example.cn", "pw-123456")
    django_user_model.objects.create_superuser("nomail", "", "pw-123456")
    django_user_model.objects.create_user("editor", "editor@example.cn", "pw-123456")
    with time_machine.travel(START, tick=False):
        assert run_job() is not None
        assert run_job() is None  # not again at every tick
    assert [m.to for m in mail.outbox] == [["boss@example.cn"]]
    assert "备份失败" in mail.outbox[0].subject and "目标文件夹不存在" in mail.outbox[0].body
    run = BackupRun.objects.get()
    assert not run.ok and run.kind == BackupRun.Kind.SCHEDULED
    assert backup_status()["healthy"] is False
    with time_machine.travel(START + dt.timedelta(minutes=61), tick=False):
        assert run_job() is not None
    assert len(mail.outbox) == 2


def test_dashboard_shows_the_last_result_to_administrators(
    backup_dir: Path, home: Any, django_user_model: type[User]
) -> None:
    admin = django_user_model.objects.create_superuser("boss", "boss@example.cn", "pw-123456")
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert "网站备份" in page and "还没有备份记录" in page
    run_job()
    page = client.get("/admin/").content.decode()
    assert "最近一次定时备份" in page and "成功" in page
    assert ".tar.gz" in page and "保留最近 7 天" in page

    editor = django_user_model.objects.create_user("ed", "ed@example.cn", "pw-123456")
    editor.user_permissions.add(*_admin_access())
    client.force_login(editor)
    assert "网站备份" not in client.get("/admin/").content.decode()


def _admin_access() -> list[Any]:
    from django.contrib.auth.models import Permission

    return list(Permission.objects.filter(codename="access_admin"))
