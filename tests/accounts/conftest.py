from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

PASSWORD = "Kanwu-test-密码-2026"
LOGIN = "/admin/login/"


@pytest.fixture
def editor(django_user_model: type[User], home: Any) -> User:
    user = django_user_model.objects.create_user("editor", "editor@example.cn", PASSWORD)
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


def sign_in(
    client: Client, username: str, password: str, ip: str = "192.0.2.10", **extra: str
) -> Any:
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="Mozilla/5.0 测试浏览器",
        **extra,
    )
