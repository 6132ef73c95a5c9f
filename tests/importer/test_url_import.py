"""Reposting articles from portal pages served by a real local HTTP server."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

import opencc
import pytest
from django.core.management import CommandError, call_command
from django.utils.timezone import localtime
from pytest_django.fixtures import Settings
from wagtail.images import get_image_model

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.importer.richtext import plain_text
from kanwu.importer.services import Status, article_import_from_url
from tests.importer.conftest import jpeg_bytes
from tests.importer.pages import BOILERPLATE, make_article, portal_page
from tests.importer.server import LocalServer, Response

pytestmark = pytest.mark.django_db
MIN_SIMILARITY = 0.9


def similarity(a: str, b: str) -> float:
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    return SequenceMatcher(None, squash(a), squash(b), autojunk=False).ratio()


def serve_article(
    server: LocalServer, path: str, seed: int, *, layout: int = 0, charset: str = "utf-8",
    header_charset: bool = True, images: tuple[str, ...] = (),
) -> object:  # fmt: skip
    article = make_article(seed, images=images)
    html = portal_page(article, charset=charset, layout=layout)
    content_type = f"text/html; charset={charset}" if header_charset else "text/html"
    server.routes[path] = Response(html.encode(charset), content_type=content_type)
    for image in images:
        server.routes[image] = Response(jpeg_bytes(), content_type="image/jpeg")
    return article


@pytest.mark.parametrize("layout", [0, 1, 2])
def test_portal_page_becomes_a_draft_repost_with_clean_body(
    server: LocalServer, news: ColumnPage, layout: int
) -> None:
    article = serve_article(
        server, "/news/a.html", 10 + layout, layout=layout, images=("/i/1.jpg",)
    )
    outcome = article_import_from_url(url=server.url("/news/a.html"), column=news)
    assert outcome.status is Status.IMPORTED, outcome.message
    page = ArticlePage.objects.get(pk=outcome.page.pk)
    assert page.get_parent().specific == news
    assert not page.live and page.has_unpublished_changes
    assert page.latest_revision is not None
    assert page.title == article.text.title
    assert page.author == article.text.author
    assert page.is_repost and page.source_name == "光明晚报"
    assert page.source_url == server.url("/news/a.html")
    assert localtime(page.published_at).strftime("%Y-%m-%d %H:%M") == article.published
    text = plain_text(page.body)
    score = similarity(text, article.plain)
    assert score >= MIN_SIMILARITY, score
    for line in BOILERPLATE:
        assert line not in text, line
    assert "<script" not in page.body and "style=" not in page.body
    assert "<table>" in page.body and "<td>12</td>" in page.body
    if article.text.headings:
        assert "<h2>" in page.body
    image = get_image_model().objects.get()
    assert (
        f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="现场图片1"/>'
        in page.body
    )
    assert page.cover_id == image.pk
    assert image.width == 120


def test_gbk_page_declared_only_in_meta(server: LocalServer, news: ColumnPage) -> None:
    article = serve_article(server, "/gbk.html", 21, charset="gbk", header_charset=False)
    outcome = article_import_from_url(url=server.url("/gbk.html"), column=news)
    assert outcome.status is Status.IMPORTED, outcome.message
    assert outcome.page.title == article.text.title
    assert similarity(plain_text(outcome.page.body), article.plain) >= MIN_SIMILARITY


def test_big5_page_can_be_converted_to_simplified(server: LocalServer, news: ColumnPage) -> None:
    article = make_article(22)
    to_trad = opencc.OpenCC("s2t")
    html = to_trad.convert(portal_page(article, charset="big5"))
    server.routes["/big5.html"] = Response(
        html.encode("big5hkscs", errors="replace"), content_type="text/html; charset=big5"
    )
    kept = article_import_from_url(url=server.url("/big5.html"), column=news)
    assert kept.status is Status.IMPORTED, kept.message
    assert kept.page.title == to_trad.convert(article.text.title)
    kept.page.delete()
    converted = article_import_from_url(
        url=server.url("/big5.html"), column=news, big5_to_simplified=True
    )
    assert converted.status is Status.IMPORTED, converted.message
    assert any("繁体" in warning for warning in converted.warnings)
    score = similarity(plain_text(converted.page.body), article.plain)
    assert score >= MIN_SIMILARITY, score


def test_same_url_or_canonical_is_refused_with_a_link(
    server: LocalServer, news: ColumnPage
) -> None:
    serve_article(server, "/a.html", 30)
    first = article_import_from_url(url=server.url("/a.html"), column=news)
    again = article_import_from_url(url=server.url("/a.html"), column=news)
    assert again.status is Status.SKIPPED
    assert again.existing == first.page
    assert f"/admin/pages/{first.page.pk}/edit/" in again.message
    # The same article under another address whose canonical link names the first.
    html = portal_page(make_article(30)).replace(
        "<head>", f'<head><link rel="canonical" href="{server.url("/a.html")}">'
    )
    server.routes["/mobile/a.html"] = Response(html.encode())
    third = article_import_from_url(url=server.url("/mobile/a.html"), column=news)
    assert third.status is Status.SKIPPED and third.existing == first.page
    assert ArticlePage.objects.count() == 1


def test_near_duplicate_body_is_imported_with_a_warning(
    server: LocalServer, news: ColumnPage
) -> None:
    serve_article(server, "/one.html", 40, layout=0)
    serve_article(server, "/two.html", 40, layout=2)  # same text, another portal's layout
    serve_article(server, "/other.html", 41, layout=0)
    first = article_import_from_url(url=server.url("/one.html"), column=news)
    second = article_import_from_url(url=server.url("/two.html"), column=news)
    other = article_import_from_url(url=server.url("/other.html"), column=news)
    assert second.status is Status.IMPORTED
    assert any(first.page.title in warning and "相似" in warning for warning in second.warnings)
    assert other.status is Status.IMPORTED and other.warnings == []


def test_remote_images_setting_keeps_links(
    server: LocalServer, news: ColumnPage, settings: Settings
) -> None:
    settings.KANWU_IMPORT_REMOTE_IMAGES = True
    serve_article(server, "/a.html", 50, images=("/i/2.jpg",))
    outcome = article_import_from_url(url=server.url("/a.html"), column=news)
    assert f'<img src="{server.url("/i/2.jpg")}"' in outcome.page.body
    assert get_image_model().objects.count() == 0
    assert "/i/2.jpg" not in server.paths()


def test_failures_name_the_reason_and_store_nothing(server: LocalServer, news: ColumnPage) -> None:
    server.routes["/to-intranet"] = Response(status=302, headers={"Location": "http://10.0.0.8/"})
    server.routes["/big.html"] = Response(b"<html>" + b"x" * (5 * 1024 * 1024 + 10))
    server.routes["/report.pdf"] = Response(b"%PDF-1.4", content_type="application/pdf")
    server.routes["/empty.html"] = Response(
        "<html><body><div class='nav'>首页</div></body></html>".encode()
    )
    cases = {
        "/to-intranet": "内网地址",
        "/big.html": "超过 5 MB",
        "/report.pdf": "不是网页",
        "/empty.html": "未能在网页中识别出文章正文",
        "/missing.html": "HTTP 404",
    }
    for path, reason in cases.items():
        outcome = article_import_from_url(url=server.url(path), column=news)
        assert outcome.status is Status.FAILED
        assert reason in outcome.message, outcome.message
    assert ArticlePage.objects.count() == 0


def test_private_address_refused_without_the_setting(
    server: LocalServer, news: ColumnPage, settings: Settings
) -> None:
    settings.KANWU_FETCH_ALLOW_PRIVATE = False
    serve_article(server, "/a.html", 60)
    outcome = article_import_from_url(url=server.url("/a.html"), column=news)
    assert outcome.status is Status.FAILED and "本机回环地址" in outcome.message
    assert server.requests == []


def test_broken_image_is_left_out_with_a_warning(server: LocalServer, news: ColumnPage) -> None:
    serve_article(server, "/a.html", 70, images=("/i/bad.jpg",))
    server.routes["/i/bad.jpg"] = Response(b"<html>", content_type="text/html")
    outcome = article_import_from_url(url=server.url("/a.html"), column=news)
    assert outcome.status is Status.IMPORTED
    assert any("图片未能下载" in warning for warning in outcome.warnings)
    assert "<embed" not in outcome.page.body and "<img" not in outcome.page.body


def test_command_imports_urls_file_and_feed_idempotently(
    server: LocalServer, news: ColumnPage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(4):
        serve_article(server, f"/p{n}.html", 80 + n, layout=n % 3)
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>a</title><link>{server.url('/p2.html')}</link></item>"
        f"<item><title>b</title><link>{server.url('/p3.html')}</link></item>"
        "</channel></rss>"
    )
    server.routes["/feed.xml"] = Response(feed.encode(), content_type="application/rss+xml")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.url('/p1.html')}\n# comment\n\n", encoding="utf-8")
    call_command(
        "import", server.url("/p0.html"), "--column", "news",
        "--file", str(urls), "--feed", server.url("/feed.xml"),
    )  # fmt: skip
    out = capsys.readouterr()
    assert "已导入 4 篇，已跳过 0 篇，失败 0 篇" in out.out
    assert "4/4" in out.err
    call_command(
        "import", server.url("/p0.html"), "--column", "news",
        "--file", str(urls), "--feed", server.url("/feed.xml"),
    )  # fmt: skip
    assert "已导入 0 篇，已跳过 4 篇，失败 0 篇" in capsys.readouterr().out
    assert ArticlePage.objects.count() == 4


def test_command_reports_failures_and_bad_arguments(
    server: LocalServer, news: ColumnPage, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match="1 个网址导入失败"):
        call_command("import", server.url("/missing.html"), "--column", "news")
    assert "HTTP 404" in capsys.readouterr().out
    with pytest.raises(CommandError, match="找不到栏目“nope”。现有栏目"):
        call_command("import", server.url("/x.html"), "--column", "nope")
    with pytest.raises(CommandError, match="没有要导入的网址"):
        call_command("import", "--column", "news")
