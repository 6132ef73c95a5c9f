"""View counts come from a beacon, counted in memory and written in batches."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from kanwu.columns.models import ColumnPage
from kanwu.publishing.models import PageViews
from kanwu.publishing.views import BEACON_RATE
from kanwu.publishing.views_counter import FLUSH_EVERY_VIEWS, counter
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counter() -> None:
    counter.pending.clear()


def reader_at(number: int) -> dict[str, str]:
    """A different reader for each number: its own address."""
    return {"REMOTE_ADDR": f"10.1.{number // 250}.{number % 250 + 1}"}


def test_beacon_counts_and_flushes_in_batches(client: Client, news: ColumnPage) -> None:
    article = ArticleFactory(parent=news)
    counter.flush()
    for expected in range(1, 4):
        response = client.post(f"/_/views/{article.pk}/", **reader_at(expected))
        assert response.status_code == 200
        assert response.json() == {"views": expected}
    assert not PageViews.objects.filter(page_id=article.pk).exists()  # not written per view

    for number in range(FLUSH_EVERY_VIEWS):
        client.post(f"/_/views/{article.pk}/", **reader_at(100 + number))
    stored = PageViews.objects.get(page_id=article.pk).count
    assert stored >= FLUSH_EVERY_VIEWS
    last = client.post(f"/_/views/{article.pk}/", **reader_at(999))
    assert last.json() == {"views": FLUSH_EVERY_VIEWS + 4}


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


def test_one_view_per_reader_per_article_per_hour(client: Client, news: ColumnPage) -> None:
    article = ArticleFactory(parent=news)
    other = ArticleFactory(parent=news)
    start = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):  # reloads, or a script sending the beacon again and again
            assert client.post(f"/_/views/{article.pk}/", **reader_at(1)).json() == {"views": 1}
        # Another article, another browser on the same address, another address: counted.
        assert client.post(f"/_/views/{other.pk}/", **reader_at(1)).json() == {"views": 1}
        phone = {**reader_at(1), "HTTP_USER_AGENT": "手机浏览器"}
        assert client.post(f"/_/views/{article.pk}/", **phone).json() == {"views": 2}
        assert client.post(f"/_/views/{article.pk}/", **reader_at(2)).json() == {"views": 3}
        clock.shift(dt.timedelta(minutes=59))
        assert client.post(f"/_/views/{article.pk}/", **reader_at(1)).json() == {"views": 3}
        clock.shift(dt.timedelta(minutes=2))
        assert client.post(f"/_/views/{article.pk}/", **reader_at(1)).json() == {"views": 4}


def test_a_spoofed_forwarded_for_does_not_make_new_readers(
    client: Client, news: ColumnPage, settings: Any
) -> None:
    settings.KANWU_TRUSTED_PROXIES = ["127.0.0.1"]
    article = ArticleFactory(parent=news)
    for number in range(5):
        spoofed = {**reader_at(1), "HTTP_X_FORWARDED_FOR": f"10.8.8.{number}"}
        response = client.post(f"/_/views/{article.pk}/", **spoofed)
    assert response.json() == {"views": 1}
    # Through the trusted nginx, each forwarded address is a reader of its own.
    for number in range(3):
        via_nginx = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": f"10.8.8.{number}"}
        response = client.post(f"/_/views/{article.pk}/", **via_nginx)
    assert response.json() == {"views": 4}


def test_the_beacon_is_rate_limited_per_address(client: Client, news: ColumnPage) -> None:
    articles = [ArticleFactory(parent=news) for _ in range(2)]
    start = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        statuses = [
            client.post(f"/_/views/{articles[n % 2].pk}/", **reader_at(7)).status_code
            for n in range(BEACON_RATE + 1)
        ]
        assert statuses[:BEACON_RATE] == [200] * BEACON_RATE
        refused = client.post(f"/_/views/{articles[0].pk}/", **reader_at(7))
        assert refused.status_code == 429
        assert refused.json() == {"error": "请求过于频繁，请稍后再试。"}
        # Other readers are not affected; the address may send again a minute later.
        assert client.post(f"/_/views/{articles[0].pk}/", **reader_at(8)).status_code == 200
        clock.shift(dt.timedelta(seconds=61))
        assert client.post(f"/_/views/{articles[0].pk}/", **reader_at(7)).status_code == 200
