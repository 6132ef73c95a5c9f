"""Editors separate tags as Chinese editors type them: ， 、 ； as well as commas."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kanwu.articles.models import ArticlePage
from kanwu.articles.tags import tags_from_string
from kanwu.columns.models import ColumnPage
from tests.adminforms import form_fields
from tests.factories import ArticleFactory


@pytest.mark.parametrize(
    "typed, names",
    [
        ("统战，新闻", ["新闻", "统战"]),
        ("统战、新闻、历史", ["历史", "新闻", "统战"]),
        ("统战;新闻；历史", ["历史", "新闻", "统战"]),
        ("统战, 新闻 ，历史", ["历史", "新闻", "统战"]),
        ('"一国 两制"，统战', ["一国 两制", "统战"]),
        ("统战 新闻", ["新闻", "统战"]),
        ("统战，，、", ["统战"]),
        ("", []),
    ],
)
def test_chinese_separators_split_tags(typed: str, names: list[str]) -> None:
    assert sorted(tags_from_string(typed)) == names


@pytest.mark.django_db
def test_an_editor_typing_chinese_separators_gets_separate_tags(
    client: Client, admin_user: Any, news: ColumnPage, site_settings: Any
) -> None:
    article = ArticleFactory(parent=news, title="打标签的文章")
    client.force_login(admin_user)
    url = f"/admin/pages/{article.pk}/edit/"
    data = form_fields(client.get(url).content.decode())
    data["tags"] = "统战，新闻、历史"
    data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(pk=article.pk)
    assert sorted(tag.name for tag in article.tags.all()) == ["历史", "新闻", "统战"]
