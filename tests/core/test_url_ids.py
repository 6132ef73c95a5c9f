"""Every address that takes a number answers a number past the database's range (2**63 and
beyond, which SQLite cannot even hold) with a 4xx, never a 500: kanwu's own and Wagtail's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

pytestmark = pytest.mark.django_db

HUGE = "9" * 20
_PART = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_FILLS = {"int": HUGE, "uuid": "12345678-1234-5678-1234-567812345678"}


def routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if not isinstance(pattern, RoutePattern):
            continue  # regular-expression patterns: none of them takes an id
        route = prefix + str(pattern)  # the route as written
        if isinstance(entry, URLResolver):
            yield from routes(entry, route)
        elif isinstance(entry, URLPattern) and "<int:" in route:
            yield route


def address(route: str) -> str:
    return "/" + _PART.sub(lambda m: _FILLS.get(m.group("converter") or "str", "x"), route)


def test_numbers_past_the_database_range_are_never_a_server_error(
    django_user_model: type[User], home: Any
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(
        django_user_model.objects.create_superuser("admin", "a@example.cn", "pw-123456")
    )
    addresses = sorted({address(route) for route in routes(get_resolver())})
    assert len(addresses) > 50  # Wagtail's admin and kanwu's own
    errors = {}
    for path in addresses:
        status = client.get(path).status_code
        if status >= 500:
            errors[path] = status
    assert errors == {}
