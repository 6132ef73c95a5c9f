from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from kanwu.columns.models import ColumnPage
from kanwu.roles.services import column_role_assign
from kanwu.site.models import HomePage
from tests.adminforms import form_fields
from tests.factories import ColumnFactory


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def sports(home: HomePage) -> ColumnPage:
    return ColumnFactory(parent=home, title="体育", slug="sports")


@pytest.fixture
def administrator(django_user_model: type[User], home: HomePage) -> User:
    return django_user_model.objects.create_superuser("zongbian", "zb@example.cn", "pw-123456")


@pytest.fixture
def make_user(django_user_model: type[User], administrator: User) -> Callable[..., User]:
    """A staff member holding `role` in `columns`, or in the site-wide `group`."""

    def make(
        username: str, role: str = "", columns: tuple[ColumnPage, ...] = (), group: str = ""
    ) -> User:
        user = django_user_model.objects.create_user(
            username, f"{username}@example.cn", "pw-123456", is_staff=True
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        if role:
            column_role_assign(by=administrator, user=user, role=role, columns=columns)
        return user

    return make


BODY = (
    '{"blocks":[{"key":"a","type":"unstyled","text":"正文","depth":0,'
    '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
)


def write(client: Client, column: ColumnPage, title: str, action: str = "") -> Any:
    """Open the add-article form in `column` as the signed-in user and send it back filled in;
    `action` is the button: "" saves a draft, "action-publish", "action-submit"."""
    url = f"/admin/pages/add/articles/articlepage/{column.pk}/"
    response = client.get(url)
    if response.status_code != 200:
        return response
    data = form_fields(response.content.decode())
    data.update(title=title, slug="", body=BODY)
    if action:
        data[action] = action
    return client.post(url, data)
