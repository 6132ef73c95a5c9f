"""Two-factor login for the admin (django-otp TOTP): enrolment from the account area with a QR
code, a code after the password before any admin page, KANWU_REQUIRE_2FA for all staff."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kanwu.accounts.models import LoginRecord
from tests.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 4, 8, 30, tzinfo=dt.UTC)
VERIFY = "/admin/2fa/"
SETUP = "/admin/2fa/setup/"


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def code_for(device: TOTPDevice, *, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += later
    return f"{totp.token():06d}"


def enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="手机", confirmed=True)


def test_staff_enrol_from_the_account_area_with_a_qr_code(
    client: Client, editor: User, clock: Any
) -> None:
    client.force_login(editor)
    account = client.get("/admin/account/").content.decode()
    assert SETUP in account and "两步验证" in account

    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'<img class="kanwu-2fa-qr" src="data:image/svg\+xml', html)
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    # The same device (and QR code) when the page is shown again.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=editor).count() == 1

    wrong = client.post(SETUP, {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()

    clock.shift(dt.timedelta(seconds=5))  # django-otp waits a second after a wrong code
    done = client.post(SETUP, {"token": code_for(device)})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(user=editor).confirmed
    # This session counts as verified: the admin opens.
    assert client.get("/admin/").status_code == 200
    assert "两步验证已开启" in client.get(SETUP).content.decode()


def test_after_the_password_a_code_is_needed_before_any_admin_page(
    client: Client, editor: User, clock: Any
) -> None:
    device = enrolled(editor)
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    for path in ["/admin/", "/admin/pages/", "/admin/users/", SETUP]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY), path

    page = client.get(VERIFY + "?next=/admin/pages/")
    assert page.status_code == 200
    assert "两步验证" in page.content.decode()

    wrong = client.post(VERIFY, {"token": "12345x", "next": "/admin/pages/"})
    assert wrong.status_code == 400
    assert "验证码是 6 位数字" in wrong.content.decode()
    bad = "000000" if code_for(device) != "000000" else "111111"
    wrong = client.post(VERIFY, {"token": bad, "next": "/admin/pages/"})
    assert wrong.status_code == 400
    assert "验证码不正确" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    # Straight after a wrong code, even the right one has to wait (django-otp's throttle).
    too_soon = client.post(VERIFY, {"token": code_for(device), "next": "/admin/pages/"})
    assert too_soon.status_code == 400
    assert "秒后再试" in too_soon.content.decode()

    clock.shift(dt.timedelta(seconds=3))
    right = client.post(VERIFY, {"token": code_for(device), "next": "/admin/pages/"})
    assert right.status_code == 302
    assert right["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    # The wrong code and the one too soon are in the login log (not the malformed one).
    assert list(LoginRecord.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "success",
        "2fa_failure",
        "2fa_failure",
    ]


def test_a_used_code_cannot_be_replayed_in_another_session(client: Client, editor: User) -> None:
    device = enrolled(editor)
    sign_in(client, "editor", PASSWORD)
    token = code_for(device)
    assert client.post(VERIFY, {"token": token}).status_code == 302
    other = Client()
    sign_in(other, "editor", PASSWORD)
    assert other.post(VERIFY, {"token": token}).status_code == 400


def test_next_may_only_be_an_admin_page_of_this_site(client: Client, editor: User) -> None:
    device = enrolled(editor)
    sign_in(client, "editor", PASSWORD)
    response = client.post(VERIFY, {"token": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_staff_without_a_device_are_not_asked_unless_it_is_required(
    client: Client, editor: User, settings: Any
) -> None:
    sign_in(client, "editor", PASSWORD)
    assert client.get("/admin/").status_code == 200

    settings.KANWU_REQUIRE_2FA = True
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    setup = client.get(SETUP)
    assert setup.status_code == 200
    assert "要求工作人员开启两步验证" in setup.content.decode()
    device = TOTPDevice.objects.get(user=editor)
    assert client.post(SETUP, {"token": code_for(device)}).status_code == 302
    assert client.get("/admin/pages/").status_code == 200
    # Once required, it cannot be switched off by the user.
    refused = client.post(SETUP, {"action": "disable"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).exists()


def test_staff_may_switch_it_off_when_not_required(client: Client, editor: User) -> None:
    device = enrolled(editor)
    sign_in(client, "editor", PASSWORD)
    client.post(VERIFY, {"token": code_for(device)})
    response = client.post(SETUP, {"action": "disable"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_readers_pages_never_ask_for_a_code(client: Client, editor: User) -> None:
    enrolled(editor)
    sign_in(client, "editor", PASSWORD)
    assert client.get("/").status_code == 200
    assert client.get("/submit/").status_code == 200
