"""View counts come from a beacon, counted in memory and written in batches."""

from __future__ import annotations

import pytest
from django.test import Client

from kanwu.columns.models import ColumnPage
from kanwu.publishing.models import PageViews
from kanwu.publishing.views_counter import FLUSH_EVERY_VIEWS, counter
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counter() -> None:
    counter.pending.clear()


def test_beacon_counts_and_flushes_in_batches(client: Client, news: ColumnPage) -> None:
    article = ArticleFactory(parent=news)
    counter.flush()
    for expected in range(1, 4):
        response = client.post(f"/_/views/{article.pk}/")
        assert response.status_code == 200
        assert response.json() == {"views": expected}
    assert not PageViews.objects.filter(page_id=article.pk).exists()  # not written per view

    for _ in range(FLUSH_EVERY_VIEWS):
        client.post(f"/_/views/{article.pk}/")
    stored = PageViews.objects.get(page_id=article.pk).count
    assert stored >= FLUSH_EVERY_VIEWS
    assert client.post(f"/_/views/{article.pk}/").json() == {"views": FLUSH_EVERY_VIEWS + 4}


def test_beacon_refuses_unknown_pages_and_gets(client: Client, news: ColumnPage) -> None:
    hidden = ArticleFactory(parent=news)
    hidden.unpublish()
    response = client.post(f"/_/views/{hidden.pk}/")
    assert response.status_code == 404
    assert response.json()["error"] == "文章不存在。"
    assert client.post("/_/views/999999/").status_code == 404
    assert client.get(f"/_/views/{hidden.pk}/").status_code == 405


def test_article_html_has_no_count_in_it(client: Client, news: ColumnPage) -> None:
    article = ArticleFactory(parent=news)
    client.post(f"/_/views/{article.pk}/")
    html = client.get(article.url).content.decode()
    assert f'data-views-for="{article.pk}">--<' in html
