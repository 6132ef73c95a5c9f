"""设置 › 栏目权限: an administrator gives a user a role in columns and takes it away; bad
input gets a Chinese message and a 4xx; 站点管理员 manage users but cannot make superusers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.test import Client

from kanwu.columns.models import ColumnPage
from kanwu.roles.models import ColumnRole

pytestmark = pytest.mark.django_db

URL = "/admin/column-roles/"


def test_assigning_and_revoking_a_role_in_columns(
    client: Client,
    administrator: User,
    django_user_model: type[User],
    news: ColumnPage,
    history: ColumnPage,
    sports: ColumnPage,
) -> None:
    user = django_user_model.objects.create_user("xiaoming", password="pw-123456")
    client.force_login(administrator)
    settings_menu = client.get("/admin/").content.decode()
    assert URL in settings_menu

    response = client.post(
        URL, {"user": user.pk, "role": "editor", "columns": [news.pk, sports.pk]}, follow=True
    )
    assert "已将“xiaoming”设为新闻、体育的编辑。" in response.content.decode()
    assert set(user.groups.values_list("name", flat=True)) == {"新闻 · 编辑", "体育 · 编辑"}
    user.refresh_from_db()
    assert user.is_staff
    assert history.permissions_for_user(user).can_edit()  # a sub-column is included
    assert not news.get_parent().permissions_for_user(user).can_add_subpage()

    # The same role in the same column again reuses its group.
    other = django_user_model.objects.create_user("xiaohong", password="pw-123456")
    client.post(URL, {"user": other.pk, "role": "editor", "columns": [news.pk]})
    assert ColumnRole.objects.filter(column=news, role="editor").count() == 1

    rows = BeautifulSoup(client.get(URL).content.decode(), "html.parser").select("tbody tr")
    assert len(rows) == 3
    column_role = ColumnRole.objects.get(column=sports, role="editor")
    response = client.post(
        URL, {"action": "revoke", "user": user.pk, "column_role": column_role.pk}, follow=True
    )
    assert "已取消“xiaoming”在体育的编辑权限。" in response.content.decode()
    assert set(user.groups.values_list("name", flat=True)) == {"新闻 · 编辑"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "editor", "columns": ["1"]}, "请选择用户。"),
        ({"user": "1", "role": "boss", "columns": ["1"]}, "没有这个角色。"),
        ({"user": "1", "role": "editor"}, "请至少选择一个栏目。"),
        ({"user": "1", "role": "editor", "columns": ["abc"]}, "所选栏目不存在。"),
        ({"user": "1", "role": "editor", "columns": ["99999999999999999999"]}, "所选栏目不存在。"),
        ({"action": "revoke", "user": "x", "column_role": "²"}, "要取消的权限不存在"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_400(
    client: Client, administrator: User, news: ColumnPage, data: dict[str, str], message: str
) -> None:
    client.force_login(administrator)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/column-roles/review/99999999999999999999/",
        "/admin/review-record/99999999999999999999/",
    ],
)
def test_an_id_past_the_database_range_is_not_found(
    client: Client, administrator: User, news: ColumnPage, url: str
) -> None:
    client.force_login(administrator)
    assert client.get(url).status_code == 404


def test_only_administrators_reach_column_roles(
    client: Client, make_user: Callable[..., User], news: ColumnPage
) -> None:
    client.force_login(make_user("xiaozhang", role="column_admin", columns=(news,)))
    assert URL not in client.get("/admin/").content.decode()
    response = client.post(URL, {"user": "1", "role": "editor", "columns": [news.pk]})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not ColumnRole.objects.filter(role="editor").exists()


def test_a_site_administrator_manages_users_but_makes_no_superuser(
    client: Client, make_user: Callable[..., User], administrator: User, news: ColumnPage
) -> None:
    site_admin = make_user("zhanzhang", group="站点管理员")
    client.force_login(site_admin)
    assert client.get(URL).status_code == 200
    assert client.get("/admin/users/").status_code == 200
    data = {
        "username": "xinren", "email": "xr@example.cn", "first_name": "新", "last_name": "王",
        "password1": "Kanwu-test-密码-2026", "password2": "Kanwu-test-密码-2026",
        "is_active": "on", "groups": [Group.objects.get(name="撰稿").pk],
    }  # fmt: skip
    response = client.post("/admin/users/new/", {**data, "is_superuser": "on"}, follow=True)
    assert "只有超级管理员可以" in response.content.decode()
    assert not User.objects.filter(username="xinren").exists()
    client.post("/admin/users/new/", data)
    assert User.objects.get(username="xinren").groups.get().name == "撰稿"
    client.post(f"/admin/users/delete/{administrator.pk}/")
    assert User.objects.filter(pk=administrator.pk).exists()
    response = client.post(
        f"/admin/users/edit/{administrator.pk}/", {**data, "username": "x"}, follow=True
    )
    assert "只有超级管理员可以" in response.content.decode()
    assert User.objects.get(pk=administrator.pk).username == "zongbian"
