"""The reader's article page: each element readers see, and its query budget."""

from __future__ import annotations

import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import Site

from kanwu.articles.models import ArticlePage
from kanwu.articles.recommendations import recommendations_rebuild
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from kanwu.site.qrcode import qr_svg_data_uri
from tests.factories import ArticleFactory, make_image

pytestmark = pytest.mark.django_db


def soup_of(client: Client, url: str, **headers: str) -> BeautifulSoup:
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_breadcrumb_links_home_column_and_sub_column(
    client: Client, history: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=history, title="一篇史话")
    crumb = soup_of(client, article.url).select_one("nav.breadcrumb")
    assert crumb is not None
    assert crumb.get_text().startswith("您的位置：首页 > 新闻 > 统战史话")
    links = [(a.get_text(), a["href"]) for a in crumb.find_all("a")]
    assert links == [("首页", "/"), ("新闻", "/news/"), ("统战史话", "/news/history/")]


def test_url_is_column_slug_then_article_slug(history: ColumnPage) -> None:
    article = ArticleFactory(parent=history, slug="yi-pian")
    assert article.url == "/news/history/yi-pian/"


def test_meta_line_shows_date_source_author_and_views(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(
        parent=news,
        title="转载的文章",
        author="李明",
        is_repost=True,
        source_name="远方日报",
        source_url="https://paper.example.cn/a/1.html",
    )
    soup = soup_of(client, article.url)
    meta = soup.select_one(".article-meta")
    assert meta is not None
    text = meta.get_text(" ", strip=True)
    assert article.published_at.astimezone().strftime("%Y-%m-%d") in meta.time.get_text()
    assert "作者：李明" in text
    assert "阅读：" in text
    source = meta.select_one(".source a")
    assert source is not None
    assert source.get_text() == "远方日报"
    assert source["href"] == "https://paper.example.cn/a/1.html"
    assert soup.select_one(".article-body").get_text(strip=True)


def test_disclaimer_names_takedown_email_on_reposts_only(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    site_settings.disclaimer = "转载仅供学习交流。"
    site_settings.save()
    repost = ArticleFactory(parent=news, is_repost=True, source_name="某报")
    original = ArticleFactory(parent=news)

    disclaimer = soup_of(client, repost.url).select_one("aside.disclaimer")
    assert disclaimer is not None
    assert "转载仅供学习交流。" in disclaimer.get_text()
    mail = disclaimer.select_one("a[href^='mailto:']")
    assert mail is not None
    assert mail["href"] == "mailto:qinquan@example.cn"

    assert soup_of(client, original.url).select_one("aside.disclaimer") is None


def test_related_shows_six_distinct_live_others_with_thumbnail_alt(
    client: Client, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> None:
    cover = make_image()
    article = ArticleFactory(parent=history, tags=["统战"], cover=cover)
    for _ in range(8):
        ArticleFactory(parent=news, cover=cover)
    hidden = ArticleFactory(parent=history, tags=["统战"], title="未发布的文章")
    hidden.unpublish()

    items = soup_of(client, article.url).select(".related-item")
    assert len(items) == 6
    titles = [item.select_one(".related-title").get_text() for item in items]
    assert len(set(titles)) == 6
    assert article.title not in titles
    assert "未发布的文章" not in titles
    for item in items:
        image = item.select_one("img")
        assert image["alt"] == item.select_one(".related-title").get_text()


def test_related_prefers_shared_tags_then_same_column(
    client: Client, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=history, tags=["统战", "历史"])
    both_tags = ArticleFactory(parent=news, tags=["统战", "历史"], title="两个相同标签")
    one_tag = ArticleFactory(parent=news, tags=["历史"], title="一个相同标签")
    sibling = ArticleFactory(parent=history, title="同栏目文章")
    for _ in range(5):
        ArticleFactory(parent=news)  # newer, unrelated

    titles = [
        a.get_text() for a in soup_of(client, article.url).select(".related-item .related-title")
    ]
    assert titles[:3] == [both_tags.title, one_tag.title, sibling.title]
    assert len(titles) == 6


def test_related_excerpt_cut_at_configured_length(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    site_settings.excerpt_length = 10
    site_settings.save()
    article = ArticleFactory(parent=news)
    ArticleFactory(parent=news, summary="一二三四五六七八九十十一十二")

    excerpt = soup_of(client, article.url).select_one(".related-excerpt").get_text()
    assert excerpt == "一二三四五六七八九…"


def test_summary_made_from_body_when_empty(news: ColumnPage) -> None:
    article = ArticleFactory(parent=news, summary="", body="<p>" + "史" * 200 + "</p>")
    assert article.excerpt.startswith("史" * 100)
    assert article.excerpt.endswith("…")
    assert len(article.excerpt) <= 120


def test_comment_area_heading(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=news)
    heading = soup_of(client, article.url).select_one("#respond h2")
    assert heading is not None
    assert heading.get_text() == "发表回复"


def test_toolbar_shows_qq_qr_and_submission_promise(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    site_settings.reply_promise = "我们将12小时内回复"
    site_settings.save()
    toolbar = soup_of(client, ArticleFactory(parent=news).url).select_one("#toolbar")
    assert toolbar is not None
    assert toolbar.select_one("#back-to-top").get_text(strip=True).endswith("返回顶部")
    assert toolbar.select_one(".qq-number").get_text() == "12345678"
    qr = toolbar.select_one("img.wechat-qr")
    assert qr["src"].startswith("data:image/svg+xml")
    assert toolbar.select_one(".submit-email").get_text() == "tougao@example.cn"
    assert toolbar.select_one(".promise").get_text() == "我们将12小时内回复"


def test_generated_qr_is_the_sites_address_whatever_host_the_reader_used(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    site = Site.objects.get(is_default_site=True)
    article = ArticleFactory(parent=news)
    for host in ("testserver", "127.0.0.1"):
        qr = soup_of(client, article.url, HTTP_HOST=host).select_one("img.wechat-qr")
        assert qr["src"] == qr_svg_data_uri(f"{site.root_url}/")
        assert qr["src"] != qr_svg_data_uri(f"http://{host}/")


def test_toolbar_uses_uploaded_wechat_qr(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    site_settings.wechat_qr = make_image("二维码")
    site_settings.save()
    qr = soup_of(client, ArticleFactory(parent=news).url).select_one("img.wechat-qr")
    assert qr["src"].startswith("/media/images/")


def test_footer_has_beian_links_and_contact(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=news)
    footer = soup_of(client, article.url).select_one("footer.site-footer")
    icp = footer.select_one("a[href='https://beian.miit.gov.cn/']")
    assert icp is not None
    assert icp.get_text() == "京ICP备12345678号"
    assert footer.select_one(".police-beian") is None
    assert "测试新闻网" in footer.get_text()
    assert "contact@example.cn" in footer.get_text()

    site_settings.police_number = "京公网安备11010502000001号"
    site_settings.save()
    footer = soup_of(client, article.url).select_one("footer.site-footer")
    police = footer.select_one(".police-beian")
    assert police.get_text() == "京公网安备11010502000001号"
    assert "11010502000001" in police["href"]


def test_every_asset_is_served_by_the_site(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=news, cover=make_image())
    ArticleFactory(parent=news, cover=make_image())
    soup = soup_of(client, article.url)
    assets = [tag.get("src") for tag in soup.find_all(["script", "img"])] + [
        tag.get("href")
        for tag in soup.find_all("link")
        # Addresses, not something to load: the canonical link and the hreflang alternates.
        if "canonical" not in tag.get("rel", []) and not tag.get("hreflang")
    ]
    assert assets
    for url in filter(None, assets):
        assert re.match(r"^(/|data:)", url), url


def test_anonymous_html_has_no_per_user_data(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=news)
    first = client.get(article.url).content
    other = Client().get(article.url).content
    assert first == other
    assert b"csrfmiddlewaretoken" not in first
    assert "Cookie" not in client.get(article.url).get("Vary", "")


def test_article_page_query_count_does_not_grow_with_related(
    client: Client,
    news: ColumnPage,
    history: ColumnPage,
    site_settings: SiteSettings,
    django_assert_max_num_queries: Any,
) -> None:
    cover = make_image()
    article = ArticleFactory(parent=history, tags=["统战"], cover=cover)
    for n in range(10):
        ArticleFactory(parent=history, tags=["统战"], cover=make_image(f"封面{n}"))
    recommendations_rebuild()  # what the worker has done by the time readers come
    client.get(article.url)  # the first views make renditions and default settings rows
    client.get(article.url)
    # docs/architecture.md's budget for an uncached article (articles/assembly.py): the page,
    # its tags, the stored 为您推荐, the comment state and the approved comments; the same with
    # 6 related articles as with 1.
    with django_assert_max_num_queries(5):
        soup = soup_of(client, article.url)
    assert len(soup.select(".related-item")) == 6


def test_unpublished_article_is_not_found(client: Client, news: ColumnPage) -> None:
    article: ArticlePage = ArticleFactory(parent=news)
    article.unpublish()
    assert client.get(article.url_path.removeprefix("/home")).status_code == 404


def test_article_offers_print_and_font_size_buttons_once_scripts_run(
    client: Client, history: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=history)
    tools = soup_of(client, article.url).select_one("article .article-tools")
    assert tools is not None
    # Both need site.js, which shows them: without it a reader sees no button that does nothing.
    assert tools.has_attr("hidden")
    switch = tools.select_one("[role=group]")
    assert switch["aria-label"] == "字号"
    buttons = [(b.get_text(), b["aria-label"], b["aria-pressed"]) for b in switch.select("button")]
    assert buttons == [
        ("大", "大字号", "false"),
        ("中", "中字号", "true"),
        ("小", "小字号", "false"),
    ]
    assert tools.select_one("button.print-page").get_text() == "打印本页"
