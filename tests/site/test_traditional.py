"""繁體: every reader page also at /zh-hant/<path>, converted with OpenCC in the phrasing the
site settings choose, linked both ways with hreflang alternates and the 简体/繁體 switch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory, make_image
from tests.publishing.conftest import Reader, page_cache, reader  # noqa: F401

pytestmark = pytest.mark.django_db
BASE = "https://news.example.cn"
TITLE = "软件发展的历史"


@pytest.fixture
def article(history: ColumnPage, site_settings: SiteSettings) -> ArticlePage:
    image = make_image("封面")
    body = (
        "<p>信息技术推动软件产业发展。</p>"
        f'<p><a href="/news/">新闻栏目</a> <img src="/media/images/x.jpg" alt="图片{image.pk}"></p>'
    )
    return ArticleFactory(parent=history, title=TITLE, body=body, tags=["统战"], cover=image)


def soup_of(client: Client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def set_variant(site_settings: SiteSettings, variant: str) -> None:
    site_settings.traditional_variant = variant
    site_settings.save()


def test_article_in_taiwan_phrasing_by_default(client: Client, article: ArticlePage) -> None:
    soup = soup_of(client, "/zh-hant" + article.url)
    assert soup.html["lang"] == "zh-Hant"
    assert soup.h1.get_text(strip=True) == "軟體發展的歷史"
    assert "資訊科技推動軟體產業發展。" in soup.get_text()
    assert "软件" not in soup.get_text()
    assert soup.find("meta", property="og:locale")["content"] == "zh_TW"
    simplified = soup_of(client, article.url)
    assert simplified.find("meta", property="og:locale")["content"] == "zh_CN"


def test_hong_kong_phrasing_from_the_settings(
    client: Client, article: ArticlePage, site_settings: SiteSettings
) -> None:
    set_variant(site_settings, "s2hk")
    soup = soup_of(client, "/zh-hant" + article.url)
    assert soup.h1.get_text(strip=True) == "軟件發展的歷史"
    assert soup.find("meta", property="og:locale")["content"] == "zh_HK"


def test_internal_links_keep_the_reader_in_traditional(
    client: Client, article: ArticlePage
) -> None:
    soup = soup_of(client, "/zh-hant" + article.url)
    hrefs = {a["href"] for a in soup.find_all("a", href=True)}
    assert "/zh-hant/" in hrefs  # 首页
    assert "/zh-hant/news/" in hrefs  # navigation and the link in the body
    # A tag's path keeps its (simplified) characters, only prefixed.
    assert "/zh-hant/tag/%E7%BB%9F%E6%88%98/" in hrefs
    assert not any(h.startswith("/zh-hant/zh-hant/") for h in hrefs)
    assert {"/submit/", f"/comments/post/?article={article.pk}"} <= hrefs  # forms: not prefixed
    srcs = [img["src"] for img in soup.find_all("img", src=True)]
    assert srcs and not any(src.startswith("/zh-hant/") for src in srcs)
    stylesheet = soup.find("link", rel="stylesheet")["href"]
    assert stylesheet.startswith("/static/")
    assert soup.find("link", type="application/rss+xml")["href"] == "/feed/"


def test_hreflang_alternates_on_both_variants(
    client: Client, configured: Site, article: ArticlePage
) -> None:
    expected = {
        "zh-Hans": f"{BASE}{article.url}",
        "zh-Hant": f"{BASE}/zh-hant{article.url}",
        "x-default": f"{BASE}{article.url}",
    }
    for url in (article.url, "/zh-hant" + article.url):
        head = soup_of(client, url).head
        found = {link["hreflang"]: link["href"] for link in head.find_all("link", hreflang=True)}
        assert found == expected, url
    simplified = soup_of(client, article.url).head.find("link", rel="canonical")["href"]
    traditional = soup_of(client, "/zh-hant" + article.url).head.find("link", rel="canonical")
    assert simplified == expected["zh-Hans"]
    assert traditional["href"] == expected["zh-Hant"]


def test_the_switch_links_each_variant_to_the_other(
    client: Client, article: ArticlePage, news: ColumnPage
) -> None:
    switch = soup_of(client, article.url).find("nav", class_="script-switch")
    link = switch.find("a")
    assert (link.get_text(), link["href"], link["hreflang"]) == (
        "繁體", "/zh-hant" + article.url, "zh-Hant"
    )  # fmt: skip
    switch = soup_of(client, "/zh-hant" + article.url).find("nav", class_="script-switch")
    link = switch.find("a")
    assert (link.get_text(), link["href"], link["hreflang"]) == ("简体", article.url, "zh-Hans")
    assert switch.find(attrs={"aria-current": "page"}).get_text() == "繁體"
    # A list's page number goes along.
    ArticleFactory.create_batch(21, parent=news)
    switch = soup_of(client, "/news/?page=2").find("nav", class_="script-switch")
    assert switch.find("a")["href"] == "/zh-hant/news/?page=2"


def test_home_and_short_prefix(client: Client, article: ArticlePage) -> None:
    soup = soup_of(client, "/zh-hant/")
    assert "軟體發展的歷史" in soup.get_text()
    response = client.get("/zh-hant")
    assert (response.status_code, response["Location"]) == (301, "/zh-hant/")


def test_missing_pages_and_machine_files_are_chinese_404s(client: Client, home: Any) -> None:
    for url in (
        "/zh-hant/no-such-page/", "/zh-hant/feed/", "/zh-hant/news/feed/",
        "/zh-hant/sitemap.xml", "/zh-hant/robots.txt", "/zh-hant/admin/",
        "/zh-hant/static/kanwu/site.css", "/zh-hant/zh-hant/",
    ):  # fmt: skip
        soup = soup_of(client, url, status=404)
        assert "頁面不存在" in soup.get_text(), url


def test_a_post_is_refused(client: Client, article: ArticlePage) -> None:
    assert client.post("/zh-hant" + article.url).status_code == 405
    assert client.post("/zh-hant/comments/post/", {"body": "评论"}).status_code == 404


def test_an_old_address_redirects_within_traditional(client: Client, article: ArticlePage) -> None:
    Redirect.add_redirect("/old-address/", redirect_to=article, is_permanent=True)
    response = client.get("/zh-hant/old-address/")
    assert response.status_code == 301
    assert response["Location"] == "/zh-hant" + article.url
    # A column without its trailing slash too (Django's APPEND_SLASH).
    response = client.get("/zh-hant/news")
    assert (response.status_code, response["Location"]) == (301, "/zh-hant/news/")


def test_conversion_adds_no_query(client: Client, article: ArticlePage) -> None:
    client.get(article.url)  # the process remembers the site, settings, fragments
    client.get("/zh-hant" + article.url)
    counts = []
    for url in (article.url, "/zh-hant" + article.url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_both_variants_cached_and_purged_together(
    reader: Reader,  # noqa: F811
    article: ArticlePage,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    url = article.url
    for path in (url, "/zh-hant" + url):
        reader.text(path)
        _, headers, _ = reader.get(path)
        assert headers.get("X-Kanwu-Cache") == "HIT", path
    assert "軟體發展的歷史" in reader.text("/zh-hant" + url)
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "经济发展的今天"
        article.save_revision().publish()
    assert "经济发展的今天" in reader.text(url)
    assert "經濟發展的今天" in reader.text("/zh-hant" + url)
