"""The /search/ page: results, snippets, filters, pagination and every bad query."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.search.test_backends import BAD_QUERIES

Publish = Callable[..., ArticlePage]

pytestmark = pytest.mark.django_db


def get(client: Client, status: int = 200, **params: str) -> BeautifulSoup:
    response = client.get("/search/", params)
    assert response.status_code == status, response.content.decode()[:500]
    return BeautifulSoup(response.content, "html.parser")


def titles(soup: BeautifulSoup) -> list[str]:
    return [a.get_text() for a in soup.select(".search-item .item-title")]


def test_results_with_marked_snippet_and_total(
    client: Client, site_settings: SiteSettings, publish: Publish
) -> None:
    publish("统战史话专栏", "抗战时期，统一战线团结了各方力量。")
    publish("无关", "今天天气晴朗。")
    soup = get(client, q="统一战线")
    assert soup.select_one(".search-total strong").get_text() == "1"
    assert titles(soup) == ["统战史话专栏"]
    marks = [m.get_text() for m in soup.select(".search-item .item-excerpt mark")]
    assert marks == ["统一战线"]
    assert soup.select_one(".search-filters input[name=q]")["value"] == "统一战线"
    assert "统一战线 - 搜索" in soup.title.get_text()


def test_title_is_highlighted_and_escaped(client: Client, publish: Publish) -> None:
    publish("<b>乡村振兴</b>的报道", "正文")
    soup = get(client, q="乡村振兴")
    title = soup.select_one(".search-item .item-title")
    assert title.select_one("mark").get_text() == "乡村振兴"
    assert title.select_one("b") is None
    assert "<b>" in title.get_text()


def test_traditional_query_highlights_simplified_text(client: Client, publish: Publish) -> None:
    publish("报道", "爱国统一战线不断发展。")
    soup = get(client, q="統一戰線")
    assert [m.get_text() for m in soup.select(".item-excerpt mark")] == ["统一战线"]


def test_header_search_box_on_every_page(
    client: Client, site_settings: SiteSettings, news: ColumnPage
) -> None:
    for url in ["/", news.url, "/search/?q=x"]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        form = soup.select_one("header form.search-box")
        assert form["action"] == "/search/" and form["method"] == "get"
        assert form.select_one("input[name=q]") is not None


def test_pagination_keeps_the_filters(client: Client, publish: Publish) -> None:
    for n in range(23):
        publish(f"共同富裕报道{n:02d}", "共同富裕")
    first = get(client, q="共同富裕", sort="newest")
    assert len(titles(first)) == 10
    links = [a["href"] for a in first.select(".pagination a")]
    assert "?q=%E5%85%B1%E5%90%8C%E5%AF%8C%E8%A3%95&sort=newest&page=2" in links
    third = get(client, q="共同富裕", sort="newest", page="3")
    assert len(titles(third)) == 3
    seen = set(titles(first)) | set(titles(get(client, q="共同富裕", page="2", sort="newest")))
    assert len(seen | set(titles(third))) == 23


def test_sort_by_newest(client: Client, publish: Publish) -> None:
    now = timezone.now()
    publish("乡村振兴（旧）", "乡村振兴", published_at=now - timedelta(days=5))
    publish("其他新闻", "乡村振兴", published_at=now)
    assert titles(get(client, q="乡村振兴", sort="newest")) == ["其他新闻", "乡村振兴（旧）"]
    assert titles(get(client, q="乡村振兴"))[0] == "乡村振兴（旧）"


def test_filter_by_column_and_dates(client: Client, publish: Publish, history: ColumnPage) -> None:
    now = timezone.localtime()
    publish("新闻里的", "共同富裕", published_at=now)
    publish("史话里的", "共同富裕", parent=history, published_at=now - timedelta(days=10))
    assert titles(get(client, q="共同富裕", column=str(history.pk))) == ["史话里的"]
    day = (now - timedelta(days=2)).date().isoformat()
    assert titles(get(client, q="共同富裕", date_from=day)) == ["新闻里的"]
    assert titles(get(client, q="共同富裕", date_to=day)) == ["史话里的"]


def test_quoted_phrase(client: Client, publish: Publish) -> None:
    publish("一", "民族团结进步")
    publish("二", "团结了各个民族")
    assert titles(get(client, q='"民族团结"')) == ["一"]
    assert titles(get(client, q="“民族 团结”")) == ["一"]


def test_unpublished_articles_are_not_shown(client: Client, publish: Publish) -> None:
    article = publish("乡村振兴", "乡村振兴")
    article.unpublish()
    soup = get(client, q="乡村振兴")
    assert titles(soup) == []
    assert "没有找到" in soup.select_one(".search-list").get_text()


@pytest.mark.parametrize(
    ("q", "message"),
    [("", "请输入要搜索的文字"), ("   ", "请输入要搜索的文字"), ("！？。，…", "只有标点或符号")],
)
def test_empty_queries_get_a_message(
    client: Client, publish: Publish, q: str, message: str
) -> None:
    assert message in get(client, q=q).select_one(".search-message").get_text()


def test_long_query_is_cut_with_a_notice(client: Client, publish: Publish) -> None:
    soup = get(client, q="统" * 500)
    assert "搜索词过长" in soup.select_one(".search-notice").get_text()


@pytest.mark.parametrize("q", BAD_QUERIES)
def test_hostile_queries_give_a_normal_page(client: Client, publish: Publish, q: str) -> None:
    publish("统战史话", "统战史话 drop table near or and")
    soup = get(client, q=q.replace("\x00", ""))
    assert soup.select_one(".search-results") is not None
    assert "syntax" not in str(soup).lower()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "统战", "date_from": "2026-13-45"}, "日期格式"),
        ({"q": "统战", "date_from": "2026-02-01", "date_to": "2026-01-01"}, "截止日期不能早于"),
        ({"q": "统战", "column": "999999"}, "没有这个栏目"),
        ({"q": "统战", "column": "abc"}, "没有这个栏目"),
        ({"q": "统战", "sort": "'; drop"}, "排序方式"),
        ({"q": "统战", "page": "x"}, "页码必须是数字"),
        ({"q": "统战", "page": "0"}, "页码必须是正整数"),
        ({"q": "统战", "page": "99999999999999999999"}, "页码不能超过"),
    ],
)
def test_bad_parameters_are_a_400_with_a_message(
    client: Client, publish: Publish, params: dict[str, str], message: str
) -> None:
    soup = get(client, 400, **params)
    assert message in soup.select_one(".search-error").get_text()


def test_page_past_the_end_is_a_404_with_a_message(client: Client, publish: Publish) -> None:
    publish("统战", "统战")
    soup = get(client, 404, q="统战", page="5")
    assert "没有第 5 页" in soup.select_one(".search-error").get_text()


def test_nul_byte_in_query_is_not_a_500(client: Client, publish: Publish) -> None:
    response = client.get("/search/?q=%00%E7%BB%9F")
    assert response.status_code < 500


def test_post_is_refused(client: Client) -> None:
    assert client.post("/search/", {"q": "统战"}).status_code == 405


def test_page_has_no_per_reader_data(client: Client, publish: Publish) -> None:
    publish("统战", "统战")
    response = client.get("/search/", {"q": "统战"})
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "Cookie" not in response.get("Vary", "")


def test_more_matches_than_ranked_show_an_about_count(
    client: Client, publish: Publish, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kanwu.search.backends import get_backend

    for n in range(25):
        publish(f"共同富裕报道{n:02d}", "共同富裕")
    monkeypatch.setattr(type(get_backend()), "RANK_WINDOW", 5)
    soup = get(client, q="共同富裕")
    total = soup.select_one(".search-total")
    assert "约" in total.get_text()
    assert 20 <= int(total.select_one("strong").get_text()) <= 30
    assert len(titles(soup)) == 10
    assert soup.select_one(".pagination .total").get_text().startswith("约 ")
    # All 25 are still reachable, and the last page counts them exactly.
    last = get(client, q="共同富裕", page="3")
    assert len(titles(last)) == 5
    assert "约" not in last.select_one(".search-total").get_text()
    assert last.select_one(".search-total strong").get_text() == "25"


def test_exact_counts_are_shown_without_about(client: Client, publish: Publish) -> None:
    for n in range(3):
        publish(f"乡村振兴{n}", "乡村振兴")
    total = get(client, q="乡村振兴").select_one(".search-total")
    assert "约" not in total.get_text()
    assert total.select_one("strong").get_text() == "3"
