"""Roles in a column: a 撰稿 writes drafts in their column only, a column's 审核 publishes
there and nowhere else, and checking costs the same however many articles a column holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import GroupPagePermission

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from tests.factories import ArticleFactory
from tests.roles.conftest import write

pytestmark = pytest.mark.django_db


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_the_role_groups_exist_with_their_rights(home: Any) -> None:
    names = set(Group.objects.values_list("name", flat=True))
    assert {"撰稿", "编辑", "审核", "栏目管理员", "站点管理员"} <= names

    def rights(name: str) -> set[str]:
        return set(
            GroupPagePermission.objects.filter(group__name=name, page__depth=1).values_list(
                "permission__codename", flat=True
            )
        )

    assert rights("撰稿") == {"add_page"}
    assert "publish_page" not in rights("编辑") and "change_page" in rights("编辑")
    assert "publish_page" in rights("审核")
    admin = Group.objects.get(name="站点管理员")
    codenames = set(admin.permissions.values_list("codename", flat=True))
    assert {"access_admin", "change_sitesettings", "change_user", "change_workflow"} <= codenames
    assert "change_group" not in codenames  # groups define the roles: superusers only


def test_a_writer_drafts_in_their_column_and_nowhere_else(
    client: Client, make_user: Callable[..., User], news: ColumnPage, sports: ColumnPage
) -> None:
    writer = make_user("xiaozhang", role="writer", columns=(news,))
    client.force_login(writer)

    response = write(client, news, "我的草稿", "action-publish")
    assert response.status_code == 302
    draft = ArticlePage.objects.get(title="我的草稿")
    assert not draft.live  # asked to publish, got a draft: a writer cannot publish
    assert draft.get_parent().pk == news.pk

    editor = client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert "提交给审核" in editor and 'name="action-publish"' not in editor

    response = client.get(f"/admin/pages/add/articles/articlepage/{sports.pk}/", follow=True)
    assert response.redirect_chain and response.redirect_chain[0][1] == 302
    assert any("权限" in message for message in messages_of(response))
    response = write(client, sports, "写到体育")
    assert response.status_code == 302
    assert not ArticlePage.objects.filter(title="写到体育").exists()

    # 写文章 offers the writer's own column only.
    page = client.get("/admin/write/").content.decode()
    assert "新闻" in page and "体育" not in page


def test_a_columns_reviewer_publishes_there_and_not_in_another_column(
    client: Client, make_user: Callable[..., User], news: ColumnPage, sports: ColumnPage
) -> None:
    reviewer = make_user("laowang", role="reviewer", columns=(news,))
    client.force_login(reviewer)

    assert write(client, news, "新闻稿", "action-publish").status_code == 302
    assert ArticlePage.objects.get(title="新闻稿").live

    theirs = ArticleFactory(parent=sports, title="体育稿", live=False)
    response = client.get(f"/admin/pages/{theirs.pk}/edit/")
    assert response.status_code == 302
    assert write(client, sports, "体育新稿", "action-publish").status_code == 302
    assert not ArticlePage.objects.filter(title="体育新稿").exists()
    theirs.refresh_from_db()
    assert not theirs.live


def test_a_site_wide_role_reaches_every_column(
    client: Client, make_user: Callable[..., User], news: ColumnPage, sports: ColumnPage
) -> None:
    reviewer = make_user("zhuren", group="审核")
    client.force_login(reviewer)
    for column in (news, sports):
        assert write(client, column, f"{column.title}稿", "action-publish").status_code == 302
    assert ArticlePage.objects.live().count() == 2


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["writer", "editor", "reviewer"])
def test_listing_a_column_costs_the_same_with_5_and_50_articles(
    client: Client, make_user: Callable[..., User], news: ColumnPage, role: str
) -> None:
    """Wagtail checks each row's rights (edit, delete, …) from the user's few permission rows
    and the row itself (kanwu.core.pages.LeafPermissionTester): no query per article."""
    writer = make_user("xiaoli", role=role, columns=(news,))
    client.force_login(writer)
    for n in range(5):
        ArticleFactory(parent=news, owner=writer, live=n % 2 == 0)
    url = f"/admin/pages/{news.pk}/"
    client.get(url)  # warm per-process caches (content types, site root paths)
    few = queries(client, url)
    with CaptureQueriesContext(connection) as captured:
        assert news.permissions_for_user(writer).can_add_subpage()
    check_few = len(captured)

    for n in range(45):
        ArticleFactory(parent=news, live=n % 2 == 0)
    writer = User.objects.get(pk=writer.pk)  # a new request's user: nothing cached
    assert queries(client, url) == few
    with CaptureQueriesContext(connection) as captured:
        assert news.permissions_for_user(writer).can_add_subpage()
    assert len(captured) == check_few
