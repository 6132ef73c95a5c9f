"""Column pages deep into the archive: the same articles on every page as a plain newest-first
listing, kept right as articles come and go, in queries that do not grow with the page number.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.columns import listing
from kanwu.columns import models as column_models
from kanwu.columns.listing import ColumnListing, forget_listings, listing_index
from kanwu.columns.models import ColumnPage
from kanwu.demo.builder import create_articles
from tests.factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 10
TOTAL = 95  # ten pages, the last one half full


@pytest.fixture
def archive(home: Any, site_settings: Any, monkeypatch: pytest.MonkeyPatch) -> ColumnPage:
    """档案 with a sub-column: 95 live articles in runs of equal publication times, and two
    unpublished ones; ten to a page, an anchor every seven articles (mid-page, mid-run)."""
    monkeypatch.setattr(column_models, "ARTICLES_PER_PAGE", PER_PAGE)
    monkeypatch.setattr(listing, "STRIDE", 7)
    column = ColumnFactory(parent=home, title="档案", slug="archive")
    sub = ColumnFactory(parent=column, title="旧闻", slug="old")
    create_articles(random.Random(3), [(column, "history"), (sub, "news")], [], TOTAL + 2)
    pks = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))
    start = timezone.now().replace(microsecond=0)
    for position, pk in enumerate(pks):
        # Runs of up to four articles share a second: their order comes from the pk.
        ArticlePage.objects.filter(pk=pk).update(
            published_at=start - timedelta(seconds=position // 3 + (position % 5 == 0))
        )
    ArticlePage.objects.filter(pk__in=pks[40:42]).update(live=False)
    return column


def hrefs(client: Client, column: ColumnPage, page: int | str | None = None) -> list[str]:
    response = client.get(column.url, {"page": page} if page is not None else {})
    assert response.status_code == 200, page
    soup = BeautifulSoup(response.content, "html.parser")
    return [a["href"] for a in soup.select(".article-list .item-title")]


def expected(column: ColumnPage) -> list[str]:
    """The plain listing: every live article under the column, newest first, ties by pk."""
    rows = public_articles().in_column(column).order_by("-published_at", "-pk")
    return [str(article.url) for article in rows]


def pages_of(items: list[str]) -> list[list[str]]:
    return [items[start : start + PER_PAGE] for start in range(0, len(items), PER_PAGE)]


def assert_every_page_matches(client: Client, column: ColumnPage) -> None:
    want = pages_of(expected(column))
    got = [hrefs(client, column, number) for number in range(1, len(want) + 1)]
    assert got == want
    assert client.get(column.url, {"page": len(want) + 1}).status_code == 404


def test_every_page_lists_what_a_plain_newest_first_listing_would(
    client: Client, archive: ColumnPage
) -> None:
    want = expected(archive)
    assert len(want) == TOTAL
    assert len(set(want)) == TOTAL
    assert hrefs(client, archive) == want[:PER_PAGE]
    assert_every_page_matches(client, archive)
    soup = BeautifulSoup(client.get(archive.url, {"page": 10}).content, "html.parser")
    assert soup.select_one(".pagination .total").get_text() == f"共 {TOTAL} 篇"
    assert soup.select_one(".pagination .current").get_text() == "10"
    assert soup.select_one('.pagination a[rel="prev"]')["href"] == "?page=9"
    assert soup.select_one('.pagination a[rel="next"]') is None


@pytest.mark.parametrize("page", ["0", "-1", "11", "9999", "abc", "1.5", "2x"])
def test_pages_outside_the_listing_are_404(client: Client, archive: ColumnPage, page: str) -> None:
    assert client.get(archive.url, {"page": page}).status_code == 404


def test_pages_stay_right_as_articles_are_published_unpublished_and_deleted(
    client: Client, archive: ColumnPage
) -> None:
    assert_every_page_matches(client, archive)  # every page's anchors are now cached

    newest = ArticleFactory(parent=archive, title="最新文章", published_at=timezone.now())
    assert hrefs(client, archive, 1)[0] == newest.url
    assert_every_page_matches(client, archive)

    listed = public_articles().in_column(archive).order_by("-published_at", "-pk")
    listed[33].unpublish()
    listed[60].specific.delete()
    assert_every_page_matches(client, archive)

    hidden = ArticlePage.objects.filter(live=False).first()
    assert hidden is not None
    hidden.save_revision().publish()
    assert_every_page_matches(client, archive)

    moved = listed[5].specific
    moved.published_at = timezone.now() - timedelta(days=365)
    moved.save_revision().publish()
    assert hrefs(client, archive, 10)[-1] == moved.url
    assert_every_page_matches(client, archive)


def test_an_article_moved_out_of_the_column_leaves_its_pages(
    client: Client, archive: ColumnPage, home: Any
) -> None:
    assert_every_page_matches(client, archive)
    elsewhere = ColumnFactory(parent=home, title="别处", slug="elsewhere")
    public_articles().in_column(archive).newest_first()[12].move(elsewhere, pos="last-child")
    assert_every_page_matches(client, archive)
    assert len(expected(archive)) == TOTAL - 1


def test_a_deep_page_costs_the_same_queries_as_an_early_one(
    client: Client, archive: ColumnPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(column_models, "ARTICLES_PER_PAGE", 1)
    client.get(archive.url)  # count and anchors found once

    def queries(page: int) -> tuple[int, list[int]]:
        with CaptureQueriesContext(connection) as captured:
            assert len(hrefs(client, archive, page)) == 1
        offsets = [
            int(number)
            for query in captured.captured_queries
            for number in re.findall(r"OFFSET (\d+)", query["sql"])
        ]
        return len(captured), offsets

    counts = {}
    for page in (2, 8, 50, 94, 95):
        counts[page], offsets = queries(page)
        assert all(offset < listing.STRIDE for offset in offsets), (page, offsets)
    assert len(set(counts.values())) == 1, counts


def test_a_listing_found_while_it_changed_is_not_kept(
    archive: ColumnPage,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: Any,
) -> None:
    find = listing._find_index

    def changed_meanwhile(column: Any) -> listing.ListingIndex:
        found = find(column)
        forget_listings([column.pk])  # as a publish committing during the scan would
        return found

    monkeypatch.setattr(listing, "_find_index", changed_meanwhile)
    assert listing_index(archive).count == TOTAL
    monkeypatch.setattr(listing, "_find_index", find)
    with django_assert_num_queries(2):  # found again, not taken from the cache
        assert listing_index(archive).count == TOTAL
    with django_assert_num_queries(0):
        assert listing_index(archive).count == TOTAL


def test_slices_match_the_plain_listing_even_without_an_anchor(
    archive: ColumnPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    find = listing._find_index

    def lost_anchor(column: Any) -> listing.ListingIndex:
        found = find(column)
        anchors = list(found.anchors)
        anchors[5] = None  # its article vanished between the two queries
        return listing.ListingIndex(count=found.count, anchors=tuple(anchors))

    monkeypatch.setattr(listing, "_find_index", lost_anchor)
    plain = list(public_articles().in_column(archive).newest_first().values_list("pk", flat=True))
    articles = ColumnListing(archive)
    assert len(articles) == TOTAL
    for start, stop in [(0, 10), (30, 40), (35, 49), (41, 42), (90, 95), (94, 200), (95, 99)]:
        assert [a.pk for a in articles[start:stop]] == plain[start:stop], (start, stop)
    assert articles[37].pk == plain[37]
    assert [a.pk for a in articles] == plain
