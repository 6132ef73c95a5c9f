"""Signing in to the admin: failures lock the account and the address (django-axes), the
lockout is explained in Chinese on the login page, and every attempt is in the login log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from kanwu.accounts.models import LoginRecord
from tests.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def outcomes() -> list[str]:
    return list(LoginRecord.objects.order_by("pk").values_list("outcome", flat=True))


def test_success_and_failure_are_logged_with_address_and_browser(
    client: Client, editor: User
) -> None:
    assert sign_in(client, "editor", "wrong").status_code == 200
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    failed, success = LoginRecord.objects.order_by("pk")
    assert (failed.outcome, failed.username, failed.user) == ("failure", "editor", None)
    assert (success.outcome, success.username, success.user) == ("success", "editor", editor)
    assert success.ip_address == failed.ip_address == "192.0.2.10"
    assert success.user_agent == "Mozilla/5.0 测试浏览器"


def test_five_failures_lock_the_account_for_thirty_minutes(client: Client, editor: User) -> None:
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            assert sign_in(client, "editor", "wrong").status_code == 200
        locked = sign_in(client, "editor", "wrong")
        assert locked.status_code == 429
        page = locked.content.decode()
        assert "登录失败次数过多" in page
        assert "锁定 30 分钟" in page
        assert 'name="password"' in page  # the login page, not a bare error

        # Even the right password is refused now, from another address too.
        refused = sign_in(client, "editor", PASSWORD, ip="198.51.100.3")
        assert refused.status_code == 429
        assert "_auth_user_id" not in client.session

        clock.shift(dt.timedelta(minutes=29))
        assert sign_in(client, "editor", PASSWORD).status_code == 429
        clock.shift(dt.timedelta(minutes=2))
        assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert outcomes() == ["failure"] * 4 + ["lockout", "lockout", "lockout", "success"]


def test_five_failures_from_one_address_lock_that_address(
    client: Client, editor: User, django_user_model: type[User]
) -> None:
    django_user_model.objects.create_user("other", "o@example.cn", PASSWORD)
    for name in ["a", "b", "c", "d", "e"]:
        sign_in(client, name, "wrong", ip="203.0.113.50")
    assert sign_in(client, "other", PASSWORD, ip="203.0.113.50").status_code == 429
    # The same account from elsewhere is not locked.
    assert sign_in(client, "other", PASSWORD, ip="203.0.113.51").status_code == 302


def test_a_spoofed_forwarded_for_does_not_escape_the_address_lock(
    client: Client, editor: User, settings: Any
) -> None:
    settings.KANWU_TRUSTED_PROXIES = ["127.0.0.1"]
    for number in range(5):
        sign_in(client, f"guess{number}", "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{number}")
    locked = sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.200")
    assert locked.status_code == 429
    assert set(LoginRecord.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}


def test_behind_a_trusted_proxy_the_forwarded_address_is_logged_and_locked(
    client: Client, editor: User, settings: Any
) -> None:
    settings.KANWU_TRUSTED_PROXIES = ["127.0.0.1"]
    for number in range(5):
        sign_in(client, f"guess{number}", "wrong", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert (
        sign_in(client, "editor", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    ).status_code == 429
    # Another reader behind the same nginx is not locked out.
    response = sign_in(client, "editor", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="7.7.7.7")
    assert response.status_code == 302
    assert LoginRecord.objects.filter(ip_address="6.6.6.6", outcome="lockout").exists()


def test_a_hostile_username_is_refused_by_the_form_and_nothing_breaks(
    client: Client, editor: User
) -> None:
    for username in ["a\x00b", "x" * 5000, "😀" * 300]:
        response = sign_in(client, username, "wrong")
        assert response.status_code in (200, 429)
    assert all(len(name) <= 150 for name in LoginRecord.objects.values_list("username", flat=True))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc123", "密码长度太短"),
        ("12345678901", "只包含数字"),
        ("password123", "太常见"),
        ("editor-example", "相似"),
    ],
)
def test_admin_set_passwords_are_validated(
    client: Client, editor: User, password: str, message: str
) -> None:
    client.force_login(editor)
    response = client.post(
        "/admin/users/new/",
        {
            "username": "editor-example",
            "email": "editor-example@example.cn",
            "first_name": "新",
            "last_name": "编辑",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="editor-example").exists()
