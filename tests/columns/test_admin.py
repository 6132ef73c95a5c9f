"""The admin's listing of a column: its newest pages first, found without sorting them all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from kanwu.columns.models import ColumnPage
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client: Client, django_user_model: type[User]) -> Client:
    user = django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    client.force_login(user)
    return client


def listed(client: Client, column: ColumnPage, titles: list[str], **query: str) -> list[str]:
    response = client.get(f"/admin/pages/{column.pk}/", query)
    assert response.status_code == 200
    page = response.content.decode()
    return sorted(titles, key=page.index)


def test_a_columns_newest_pages_come_first(editor_client: Client, news: ColumnPage) -> None:
    now = timezone.now()
    titles = ["最早的文章", "中间的文章", "最新的文章"]
    articles = [
        ArticleFactory(parent=news, title=title, published_at=now - timedelta(days=3 - n))
        for n, title in enumerate(titles)
    ]
    articles[0].save_revision()  # edited last: Wagtail's own default would list it first

    assert listed(editor_client, news, titles) == ["最新的文章", "中间的文章", "最早的文章"]
    edited_first = listed(editor_client, news, titles, ordering="-latest_revision_created_at")
    assert edited_first[0] == "最早的文章"


def test_clicking_a_column_in_the_explorer_lists_its_articles(
    editor_client: Client, news: ColumnPage
) -> None:
    ArticleFactory(parent=news, title="栏目里的文章")
    explorer = editor_client.get(f"/admin/pages/{news.get_parent().pk}/").content.decode()
    assert f'href="/admin/pages/{news.pk}/" title="查看栏目中的文章"' in explorer
    response = editor_client.get(f"/admin/pages/{news.pk}/")
    assert "栏目里的文章" in response.content.decode()
    # The article's own title still opens its editor, and the column's 编辑 is in its row menu.
    assert f'href="/admin/pages/{news.pk}/edit/?next=' in explorer
