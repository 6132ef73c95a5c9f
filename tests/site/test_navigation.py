"""The header navigation: columns that fit in the strip, the rest under 更多, every one in the
phone menu; hidden and empty columns never shown; remembered until that changes."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.test import Client

from kanwu.columns.models import ColumnPage
from kanwu.site.models import HomePage, SiteSettings
from kanwu.site.navigation import fitting, text_px
from tests.factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db
TITLES = [f"{name}频道" for name in "要闻时政经济社会文化教育科技体育法治理论图片视频专题通知"[::2]]


def header(client: Client, url: str = "/") -> dict[str, list[str]]:
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    nav = soup.select_one("nav.main-nav")
    return {
        "strip": [a.get_text() for a in nav.select(".nav-strip li:not(.nav-wide-only) a")],
        "wide": [a.get_text() for a in nav.select(".nav-strip li.nav-wide-only a")],
        "more": [a.get_text() for a in nav.select(".nav-more li a")],
        "menu": [a.get_text() for a in nav.select(".nav-menu a")],
    }


def test_many_columns_fit_the_strip_and_the_rest_go_under_more(
    client: Client, home: HomePage, site_settings: SiteSettings
) -> None:
    for title in TITLES:
        ArticleFactory(parent=ColumnFactory(parent=home, title=title))
    assert len(TITLES) >= 11

    shown = header(client)
    # A narrow desktop header holds 首页 and some columns; a wide one a few more.
    assert shown["strip"][0] == "首页" and len(shown["strip"]) >= 5
    assert (
        shown["strip"][1:] + shown["wide"] == TITLES[: len(shown["strip"]) - 1 + len(shown["wide"])]
    )
    # What is not in the narrow strip is under 更多, in order: every column is one click away.
    assert shown["more"] == TITLES[len(shown["strip"]) - 1 :]
    assert "更多" in client.get("/").content.decode()
    assert shown["menu"] == ["首页", *TITLES]


def test_few_columns_need_no_more_menu(
    client: Client, home: HomePage, news: ColumnPage, site_settings: SiteSettings
) -> None:
    ArticleFactory(parent=news)
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.select_one(".nav-more") is None
    assert [a.get_text() for a in soup.select(".nav-strip a")] == ["首页", "新闻"]


def test_the_fit_follows_the_titles_widths() -> None:
    assert text_px("新闻", 16) == 32
    assert text_px("ab", 16) < 32
    assert fitting(["新闻"] * 3, 1000) == 3
    # Not all fit: keep room for 更多 (a gap and its button). Each item is a gap and a title.
    room = 32 + 2 * (18 + 32) + 18 + 64
    assert fitting(["新闻"] * 30, room) == 2
    assert fitting(["新闻"] * 30, room - 1) == 1


def test_hidden_and_empty_columns_are_not_shown(
    client: Client, home: HomePage, site_settings: SiteSettings
) -> None:
    ArticleFactory(parent=ColumnFactory(parent=home, title="要闻"))
    ColumnFactory(parent=home, title="空栏目")
    hidden = ColumnFactory(parent=home, title="隐藏栏目", show_in_menus=False)
    ArticleFactory(parent=hidden)
    parent = ColumnFactory(parent=home, title="只有子栏目")
    ArticleFactory(parent=ColumnFactory(parent=parent, title="子栏目"))
    drafts = ColumnFactory(parent=home, title="只有草稿")
    ArticleFactory(parent=drafts).unpublish()

    shown = header(client)
    assert shown["strip"] == ["首页", "要闻", "只有子栏目"]
    assert shown["menu"] == ["首页", "要闻", "只有子栏目"]
    assert shown["more"] == []
    assert client.get(hidden.url).status_code == 200  # hidden from the menu, not from readers


def test_the_remembered_navigation_follows_articles_and_visibility(
    client: Client, home: HomePage, news: ColumnPage, site_settings: SiteSettings
) -> None:
    ArticleFactory(parent=news)
    notice = ColumnFactory(parent=home, title="通知公告")
    assert header(client)["strip"] == ["首页", "新闻"]  # now remembered

    first = ArticleFactory(parent=notice, title="放假通知")  # the column's first article
    assert header(client)["strip"] == ["首页", "新闻", "通知公告"]
    second = ArticleFactory(parent=notice, title="会议通知")
    second.unpublish()
    assert header(client)["strip"] == ["首页", "新闻", "通知公告"]
    first.unpublish()  # its last
    assert header(client)["strip"] == ["首页", "新闻"]

    news.show_in_menus = False
    news.save_revision().publish()
    assert header(client)["strip"] == ["首页"]


@pytest.fixture
def editor_client(client: Client, django_user_model: type[User]) -> Client:
    user = django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    client.force_login(user)
    return client


def test_the_column_editor_offers_show_in_menus_ticked_for_new_columns(
    editor_client: Client, home: HomePage, news: ColumnPage
) -> None:
    edit = BeautifulSoup(editor_client.get(f"/admin/pages/{news.pk}/edit/").content, "html.parser")
    box = edit.select_one('input[name="show_in_menus"]')
    assert box is not None and box.has_attr("checked")
    assert "在菜单中显示" in edit.get_text()
    add = BeautifulSoup(
        editor_client.get(f"/admin/pages/add/columns/columnpage/{home.pk}/").content,
        "html.parser",
    )
    assert add.select_one('input[name="show_in_menus"]').has_attr("checked")


def test_existing_columns_stay_in_the_navigation_after_the_upgrade(home: Any) -> None:
    """The migration ticks 在菜单中显示 on columns made before it existed."""
    from importlib import import_module

    from django.apps import apps

    column = ColumnFactory(parent=home, title="老栏目")
    ColumnPage.objects.filter(pk=column.pk).update(show_in_menus=False)
    column.show_in_menus = False
    revision = column.save_revision()
    migration = import_module("kanwu.columns.migrations.0002_columns_shown_in_menus")
    migration.show_columns(apps, None)
    assert ColumnPage.objects.get(pk=column.pk).show_in_menus
    revision.refresh_from_db()
    assert revision.content["show_in_menus"] is True
