"""What search engines, feed readers and share cards read from reader pages: canonical links,
descriptions, OpenGraph, JSON-LD, icons and robots.txt, on the configured address."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site

from kanwu.articles.models import ArticlePage
from kanwu.articles.recommendations import recommendations_rebuild
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SimplePage, SiteSettings
from tests.factories import ArticleFactory, make_image

pytestmark = pytest.mark.django_db
BASE = "https://news.example.cn"


def square_image(title: str, size: int = 400, colour: str = "#1b5e20") -> Any:
    buffer = io.BytesIO()
    PILImage.new("RGB", (size, size), colour).save(buffer, "PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name=f"{title}.png")
    image.save()
    return image


def head_of(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser").head


def meta(head: BeautifulSoup, prop: str) -> str | None:
    tag = head.find("meta", attrs={"property": prop}) or head.find("meta", attrs={"name": prop})
    return tag["content"] if tag else None


def json_ld(head: BeautifulSoup) -> dict[str, dict[str, Any]]:
    """Each JSON-LD block of the page by its @type (json.loads fails on an invalid one)."""
    blocks = [json.loads(tag.string) for tag in head.find_all("script", type="application/ld+json")]
    return {block["@type"]: block for block in blocks}


def test_every_reader_page_has_one_absolute_canonical_link_on_the_configured_host(
    client: Client, configured: Site, news: ColumnPage, history: ColumnPage,
    site_settings: SiteSettings,
) -> None:  # fmt: skip
    article = ArticleFactory(parent=history, tags=["统战"])
    for _ in range(21):
        ArticleFactory(parent=history)
    about = SimplePage(title="关于我们", slug="about")
    configured.root_page.add_child(instance=about)
    expected = {
        "/": f"{BASE}/",
        "/news/": f"{BASE}/news/",
        "/news/history/?page=2": f"{BASE}/news/history/?page=2",
        "/news/history/?page=1": f"{BASE}/news/history/",
        article.url + "?utm_source=wechat&from=timeline": f"{BASE}{article.url}",
        "/about/": f"{BASE}/about/",
        "/tag/%E7%BB%9F%E6%88%98/": f"{BASE}/tag/%E7%BB%9F%E6%88%98/",
    }
    for url, canonical in expected.items():
        links = head_of(client, url).find_all("link", rel="canonical")
        assert [link["href"] for link in links] == [canonical], url
    # Search results are noindex, and have no canonical address.
    search = head_of(client, "/search/?q=统战")
    assert search.find("link", rel="canonical") is None
    assert meta(search, "robots") == "noindex"


def test_opengraph_of_an_article_uses_its_cover(
    client: Client, configured: Site, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article: ArticlePage = ArticleFactory(
        parent=news, title="统战史话", summary="一段摘要。", cover=make_image("封面")
    )
    head = head_of(client, article.url)
    assert meta(head, "og:type") == "article"
    assert meta(head, "og:title") == "统战史话"
    assert meta(head, "og:description") == "一段摘要。"
    assert meta(head, "og:url") == f"{BASE}{article.url}"
    assert meta(head, "og:site_name") == "测试新闻网"
    image = meta(head, "og:image") or ""
    assert image.startswith(f"{BASE}/media/images/") and ".fill-640x400" in image
    published = meta(head, "article:published_time") or ""
    assert published.endswith("+08:00") and "." not in published  # to the second, China time


def test_without_a_cover_pages_share_the_site_share_image(
    client: Client, configured: Site, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=news)
    assert meta(head_of(client, article.url), "og:image") is None
    site_settings.share_image = square_image("分享图")
    site_settings.save()
    for url in [article.url, "/", "/news/"]:
        head = head_of(client, url)
        assert ".fill-600x600" in (meta(head, "og:image") or ""), url
        assert meta(head, "og:image:width") == meta(head, "og:image:height") == "400", url
    assert meta(head_of(client, "/"), "og:type") == "website"
    assert meta(head_of(client, "/"), "og:title") == "测试新闻网"


def test_share_image_and_favicon_too_small_are_refused_in_chinese(
    site_settings: SiteSettings,
) -> None:
    site_settings.share_image = square_image("小图", size=200)
    site_settings.favicon = square_image("更小", size=16)
    with pytest.raises(ValidationError) as error:
        site_settings.full_clean()
    assert "至少需要 300×300 像素" in str(error.value.message_dict["share_image"])
    assert "至少需要 32×32 像素" in str(error.value.message_dict["favicon"])


def test_news_article_json_ld_is_valid_json_even_with_a_hostile_title(
    client: Client, configured: Site, news: ColumnPage, history: ColumnPage,
    site_settings: SiteSettings,
) -> None:  # fmt: skip
    title = "坏标题</script><script>alert(\"x\")</script> & “引号” '单引号'"
    article = ArticleFactory(
        parent=history, title=title, author="张三", cover=make_image("封面"),
        body="<p></p><p>第一段<b>正文</b>。</p><p>第二段。</p>",
    )  # fmt: skip
    response = client.get(article.url)
    assert b"</script><script>alert" not in response.content
    head = BeautifulSoup(response.content, "html.parser").head
    data = json_ld(head)
    news_article = data["NewsArticle"]
    assert news_article["headline"] == title
    assert news_article["description"] == "第一段正文。"
    assert news_article["mainEntityOfPage"]["@id"] == f"{BASE}{article.url}"
    assert news_article["author"] == {"@type": "Person", "name": "张三"}
    assert news_article["publisher"]["name"] == "测试新闻网"
    assert news_article["image"][0].startswith(f"{BASE}/media/")
    for key in ("datePublished", "dateModified"):
        assert news_article[key].endswith("+08:00") and "." not in news_article[key]
    assert news_article["dateModified"] >= news_article["datePublished"]
    # The BreadcrumbList names what the visible breadcrumb links, then the article.
    crumbs = [(item["name"], item["item"]) for item in data["BreadcrumbList"]["itemListElement"]]
    visible = head.parent.select_one("nav.breadcrumb").find_all("a")
    assert [name for name, _ in crumbs[:-1]] == [a.get_text() for a in visible]
    assert [url for _, url in crumbs[:-1]] == [f"{BASE}{a['href']}" for a in visible]
    assert crumbs[-1] == (title, f"{BASE}{article.url}")
    assert [item["position"] for item in data["BreadcrumbList"]["itemListElement"]] == [1, 2, 3, 4]


def test_column_and_tag_pages_have_a_breadcrumb_list(
    client: Client, configured: Site, history: ColumnPage, site_settings: SiteSettings
) -> None:
    ArticleFactory(parent=history, tags=["统战"])
    crumbs = json_ld(head_of(client, "/news/history/"))["BreadcrumbList"]["itemListElement"]
    assert [item["name"] for item in crumbs] == ["首页", "新闻", "统战史话"]
    tag = json_ld(head_of(client, "/tag/%E7%BB%9F%E6%88%98/"))["BreadcrumbList"]
    assert [item["name"] for item in tag["itemListElement"]] == ["首页", "标签：统战"]
    assert "NewsArticle" not in json_ld(head_of(client, "/news/history/"))


def test_meta_description_from_the_summary_else_the_first_paragraph(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    summarised = ArticleFactory(parent=news, summary="编辑写的摘要。")
    long_paragraph = "统一战线" * 60
    plain = ArticleFactory(parent=news, summary="", body=f"<h2>小标题</h2><p>{long_paragraph}</p>")
    described = ArticleFactory(parent=news, summary="摘要", search_description="给搜索引擎的描述")
    assert meta(head_of(client, summarised.url), "description") == "编辑写的摘要。"
    text = meta(head_of(client, plain.url), "description") or ""
    assert text.startswith("统一战线统一战线") and text.endswith("…") and len(text) == 120
    assert meta(head_of(client, described.url), "description") == "给搜索引擎的描述"
    news.intro = "新闻栏目的简介"
    news.save_revision().publish()
    assert meta(head_of(client, "/news/"), "description") == "新闻栏目的简介"
    assert meta(head_of(client, "/"), "description") == "测试新闻网"
    heads = [head_of(client, url) for url in ["/", "/news/", plain.url]]
    assert all(len(head.find_all("meta", attrs={"name": "description"})) == 1 for head in heads)


def test_pages_link_a_favicon_and_favicon_ico_finds_it(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    head = head_of(client, "/news/")
    default = head.find("link", rel="icon")["href"]
    assert default.endswith(".png") and "favicon" in default
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == default
    assert client.get(default).status_code == 200  # the built-in icon is served
    assert head.find("link", rel="apple-touch-icon")["href"].endswith(".png")

    site_settings.favicon = square_image("站标")
    site_settings.save()
    icon = head_of(client, "/news/").find("link", rel="icon")["href"]
    assert icon.startswith("/media/images/") and icon.endswith(".png") and "32x32" in icon
    assert client.get("/favicon.ico")["Location"] == icon
    assert "180x180" in head_of(client, "/").find("link", rel="apple-touch-icon")["href"]
    # Search and error pages have the icon too.
    assert head_of(client, "/search/?q=x").find("link", rel="icon")["href"] == icon


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_admin_and_search(
    client: Client, configured: Site
) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert {"Disallow: /admin/", "Disallow: /search/"} <= set(lines)
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert f"Sitemap: {BASE}/sitemap-news.xml" in lines


def test_an_article_with_icons_and_share_image_keeps_its_five_queries(
    client: Client, configured: Site, history: ColumnPage, site_settings: SiteSettings,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    site_settings.share_image = square_image("分享图")
    site_settings.favicon = square_image("站标")
    site_settings.save()
    article = ArticleFactory(parent=history, tags=["统战"])
    for _ in range(7):
        ArticleFactory(parent=history, tags=["统战"])
    recommendations_rebuild()  # what the worker has done by the time readers come
    client.get(article.url)  # the first views make renditions and default settings rows
    client.get(article.url)
    # docs/architecture.md's budget for an uncached article (tests/articles/test_article_page.py)
    with django_assert_max_num_queries(5):
        head = head_of(client, article.url)
    assert ".fill-600x600" in (meta(head, "og:image") or "")
    assert "32x32" in head.find("link", rel="icon")["href"]
