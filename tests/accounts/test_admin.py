"""The login log, the lockouts and staff's authenticators in the admin, for administrators;
the worker prunes the log after 180 days."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp.plugins.otp_totp.models import TOTPDevice

from kanwu.accounts.jobs import prune_login_log
from kanwu.accounts.models import LoginRecord
from tests.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db
LOG = "/admin/login_log/"
LOCKOUTS = "/admin/lockouts/"


def record(when: dt.datetime, username: str, outcome: str, ip: str) -> LoginRecord:
    return LoginRecord.objects.create(
        created_at=when, username=username, outcome=outcome, ip_address=ip
    )


@pytest.fixture
def admin_client(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def rows(client: Client, query: str = "") -> list[str]:
    response = client.get(LOG + query)
    assert response.status_code == 200
    html = response.content.decode()
    return sorted(
        name for name in ("alice", "bob", "carol", "mallory") if re.search(rf">\s*{name}\s*<", html)
    )


def test_administrators_read_and_filter_the_login_log(admin_client: Client) -> None:
    base = dt.datetime(2026, 4, 1, 10, 0, tzinfo=dt.UTC)
    record(base, "alice", "success", "192.0.2.1")
    record(base + dt.timedelta(days=1), "bob", "failure", "192.0.2.2")
    record(base + dt.timedelta(days=2), "mallory", "lockout", "203.0.113.9")
    record(base + dt.timedelta(days=3), "carol", "2fa_failure", "192.0.2.3")

    assert rows(admin_client) == ["alice", "bob", "carol", "mallory"]
    assert rows(admin_client, "?outcome=lockout") == ["mallory"]
    assert rows(admin_client, "?outcome=failure") == ["bob"]
    assert rows(admin_client, "?username=aro") == ["carol"]
    assert rows(admin_client, "?ip_address=203.0.113.9") == ["mallory"]
    assert rows(admin_client, "?ip_address=not-an-ip") == []
    assert rows(admin_client, "?created_at_from=2026-04-02&created_at_to=2026-04-03") == [
        "bob",
        "mallory",
    ]
    assert "两步验证失败" in admin_client.get(LOG).content.decode()


def test_the_login_log_is_read_only_and_for_administrators_only(
    admin_client: Client, django_user_model: type[User]
) -> None:
    item = record(timezone.now(), "alice", "success", "192.0.2.1")
    for path in [f"{LOG}edit/{item.pk}/", f"{LOG}delete/{item.pk}/", f"{LOG}new/"]:
        assert admin_client.get(path).status_code == 404
    staff = django_user_model.objects.create_user("staff", "s@example.cn", PASSWORD)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    staff_client = Client()
    staff_client.force_login(staff)
    assert staff_client.get(LOG).status_code in (302, 403)
    assert staff_client.get(LOCKOUTS).status_code in (302, 403)


def test_lockouts_are_listed_and_unlocked(
    admin_client: Client, editor: User, django_user_model: type[User]
) -> None:
    django_user_model.objects.create_user("victim", "v@example.cn", PASSWORD)
    reader = Client()
    for _ in range(5):
        sign_in(reader, "victim", "wrong", ip="203.0.113.7")
    assert sign_in(reader, "victim", PASSWORD, ip="198.51.100.1").status_code == 429

    page = admin_client.get(LOCKOUTS).content.decode()
    assert "victim" in page and "203.0.113.7" in page and "解锁" in page

    done = admin_client.post(LOCKOUTS, {"kind": "username", "value": "victim"}, follow=True)
    assert "账号“victim”已解锁" in done.content.decode()
    assert sign_in(reader, "victim", PASSWORD, ip="198.51.100.1").status_code == 302
    assert "目前没有被锁定" in admin_client.get(LOCKOUTS).content.decode()

    # An address that tried five accounts is locked for everybody behind it, until unlocked.
    for name in ["a", "b", "c", "d", "e"]:
        sign_in(Client(), name, "wrong", ip="203.0.113.8")
    assert sign_in(Client(), "victim", PASSWORD, ip="203.0.113.8").status_code == 429
    assert "203.0.113.8" in admin_client.get(LOCKOUTS).content.decode()
    done = admin_client.post(LOCKOUTS, {"kind": "ip_address", "value": "203.0.113.8"}, follow=True)
    assert "IP 地址 203.0.113.8 已解锁" in done.content.decode()
    assert sign_in(Client(), "victim", PASSWORD, ip="203.0.113.8").status_code == 302


def test_unlocking_nonsense_is_refused_in_chinese(admin_client: Client) -> None:
    response = admin_client.post(LOCKOUTS, {"kind": "ip_address", "value": "x' OR 1"}, follow=True)
    assert "请选择要解锁的账号或地址" in response.content.decode()


def test_kanwu_axes_reset_unlocks_everybody(editor: User) -> None:
    reader = Client()
    for _ in range(5):
        sign_in(reader, "editor", "wrong")
    assert sign_in(reader, "editor", PASSWORD).status_code == 429
    out = io.StringIO()
    call_command("axes_reset", stdout=out)
    assert "已解除锁定" in out.getvalue()
    assert sign_in(reader, "editor", PASSWORD).status_code == 302
    out = io.StringIO()
    call_command("axes_reset", stdout=out)
    assert "没有登录失败记录" in out.getvalue()


def test_kanwu_axes_reset_username_and_ip(editor: User) -> None:
    for _ in range(5):
        sign_in(Client(), "editor", "wrong", ip="203.0.113.30")
    out = io.StringIO()
    call_command("axes_reset_username", "editor", stdout=out)
    assert "账号“editor”已解锁" in out.getvalue()
    assert sign_in(Client(), "editor", PASSWORD, ip="198.51.100.30").status_code == 302
    for name in "abcde":
        sign_in(Client(), name, "wrong", ip="203.0.113.31")
    out = io.StringIO()
    call_command("axes_reset_ip", "203.0.113.31", stdout=out)
    assert "IP 地址 203.0.113.31 已解锁" in out.getvalue()
    with pytest.raises(CommandError, match="不是有效的 IP 地址"):
        call_command("axes_reset_ip", "not-an-ip")


def test_administrators_remove_a_lost_authenticator(
    admin_client: Client, django_user_model: type[User]
) -> None:
    staff = django_user_model.objects.create_user("staff", "s@example.cn", PASSWORD)
    device = TOTPDevice.objects.create(user=staff, name="手机", confirmed=True)
    listing = admin_client.get("/admin/totp_devices/").content.decode()
    assert "staff" in listing
    response = admin_client.post(f"/admin/totp_devices/delete/{device.pk}/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_the_worker_prunes_the_login_log_after_180_days(settings: Any) -> None:
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    kept = record(now - dt.timedelta(days=179), "recent", "success", "192.0.2.1")
    record(now - dt.timedelta(days=181), "old", "failure", "192.0.2.2")
    job = "kanwu.accounts.jobs.prune_login_log"
    assert job in settings.KANWU_PERIODIC_JOBS  # the worker's scheduler runs it every tick
    with time_machine.travel(now, tick=False):
        assert import_string(job)() == 1
    assert list(LoginRecord.objects.all()) == [kept]
    # A shorter setting cannot cut below 180 days.
    settings.KANWU_LOGIN_LOG_DAYS = 30
    with time_machine.travel(now, tick=False):
        assert prune_login_log() == 0
