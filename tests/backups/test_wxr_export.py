"""`kanwu export-wordpress`: a WXR 1.2 file that WordPress's importer, and kanwu's, read."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.core.management import call_command
from taggit.models import Tag
from wagtail.models import Page

from kanwu.articles.models import ArticlePage
from kanwu.backups.wxr_export import NAMESPACES, cdata, write_wxr
from kanwu.columns.models import ColumnPage
from kanwu.comments.models import Comment
from kanwu.comments.services import comment_import
from kanwu.core.text import plain_text
from kanwu.importer.wordpress.wxr import WxrComment, WxrItem, iter_wxr
from kanwu.site.models import SimplePage
from tests.backups.conftest import build_small_site

pytestmark = pytest.mark.django_db

WP = "{http://wordpress.org/export/1.2/}"


def words(html: str) -> str:
    return "".join(plain_text(html).split())


def parent_title(page: Page) -> str:
    return str(page.get_parent().specific.title)


def site_state() -> dict[str, Any]:
    """What the round trip must keep, in plain values."""
    articles = {}
    for article in ArticlePage.objects.all():
        comments = Comment.objects.filter(article=article, status=Comment.Status.APPROVED)
        articles[article.title] = {
            "text": words(article.body),
            "summary": article.summary,
            "published": article.published_at.replace(microsecond=0),
            "column": parent_title(article),
            "slug": article.slug,
            "live": article.live,
            "tags": sorted(tag.name for tag in article.tags.all()),
            "cover": article.cover.title if article.cover else None,
            "source": (article.source_name, article.source_url, article.is_repost),
            "comments": sorted(
                (
                    c.author_name,
                    c.author_email,
                    c.body,
                    c.parent.body if c.parent else None,
                    c.created_at.replace(microsecond=0),
                )
                for c in comments
            ),
        }
    return {
        "articles": articles,
        "columns": sorted(
            (c.title, c.slug, c.intro, parent_title(c)) for c in ColumnPage.objects.all()
        ),
        "pages": sorted(
            (p.title, p.slug, words(p.body), parent_title(p)) for p in SimplePage.objects.all()
        ),
    }


def test_round_trip_through_kanwus_own_importer(data_dir: Path, tmp_path: Path) -> None:
    site = build_small_site()
    comment_import(
        article=site.articles[1], parent=None, author_name="读者丁", author_email="d@example.cn",
        body="控制字符\x01被去掉了", status=Comment.Status.APPROVED,
        created_at=site.comments[0].created_at,
    )  # fmt: skip
    before = site_state()
    assert len(before["articles"]) == 3 and len(before["columns"]) == 3
    export = tmp_path / "site.xml"
    out = io.StringIO()
    call_command("export-wordpress", str(export), stdout=out)
    assert "文章 3 篇" in out.getvalue() and "评论 3 条" in out.getvalue()
    assert not list(tmp_path.glob(".site.xml*"))

    # An empty site: every page under the home page, and the tags, gone.
    for child in site.home.get_children():
        child.delete()
    Tag.objects.all().delete()
    assert not ArticlePage.objects.exists() and not Comment.objects.exists()

    call_command(
        "import-wordpress", str(export), "--media-dir", str(settings.MEDIA_ROOT),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    after = site_state()
    before_comments = before["articles"]["古籍修复展开幕"]["comments"]
    before["articles"]["古籍修复展开幕"]["comments"] = [
        (*c[:2], c[2].replace("\x01", ""), *c[3:]) for c in before_comments
    ]
    assert after == before
    lead = ArticlePage.objects.get(slug="tongzhan")
    assert lead.body.count('embedtype="image"') == 1  # the picture in the body came back


def test_export_is_well_formed_wxr_1_2(data_dir: Path, tmp_path: Path) -> None:
    site = build_small_site()
    export = tmp_path / "site.xml"
    with export.open("w", encoding="utf-8") as out:
        counts = write_wxr(out)
    assert (counts.columns, counts.articles, counts.pages, counts.comments) == (3, 3, 2, 2)

    namespaces = {}
    root = None
    for event, value in iterparse(export, events=("start-ns", "start")):
        if event == "start-ns":
            prefix, uri = value
            namespaces[prefix] = uri
        elif root is None:
            root = value
    assert root is not None and root.tag == "rss" and root.get("version") == "2.0"
    assert namespaces == NAMESPACES
    text = export.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8" ?>')
    assert "<wp:wxr_version>1.2</wp:wxr_version>" in text
    assert "<![CDATA[含有]]]]><![CDATA[>的标题]]>" in text  # `]]>` split across sections

    items = [obj for obj in iter_wxr(export) if isinstance(obj, WxrItem)]
    kinds = sorted(item.post_type for item in items)
    assert kinds == ["attachment", "page", "page", "post", "post", "post"]
    lead = next(item for item in items if item.post_id == str(site.articles[0].pk))
    assert lead.title == "统一战线的历史与今天" and lead.status == "publish"
    assert ("category", "news", "新闻") in lead.categories
    assert {name for domain, _, name in lead.categories if domain == "post_tag"} == {"统战", "历史"}
    attachment = next(item for item in items if item.post_type == "attachment")
    assert lead.meta["_thumbnail_id"] == attachment.post_id
    assert attachment.attachment_url.startswith("http") and "/media/" in attachment.attachment_url
    assert lead.meta["_kanwu_source_name"] == "人民网" and lead.meta["_kanwu_is_repost"] == "1"
    assert f'class="wp-image-{attachment.post_id}"' in lead.content
    threads: list[WxrComment] = lead.comments
    first, reply = sorted(threads, key=lambda c: int(c.comment_id))
    assert (first.parent, reply.parent) == ("0", first.comment_id)  # the pending one is left out
    contact = next(item for item in items if item.title == "联系我们")
    about = next(item for item in items if item.title == "关于我们")
    assert (about.post_parent, contact.post_parent) == ("0", about.post_id)


def test_cdata_and_invalid_characters() -> None:
    assert cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"
    assert cdata("x\x00\x0by\ufffe") == "<![CDATA[xy]]>"


def test_categories_get_unique_nicenames(data_dir: Path, tmp_path: Path) -> None:
    from tests.factories import ColumnFactory

    site = build_small_site()
    ColumnFactory(parent=site.history, title="新闻（下级）", slug="news")
    export = tmp_path / "site.xml"
    with export.open("w", encoding="utf-8") as out:
        write_wxr(out)
    nicenames = [
        element.text for _, element in iterparse(export) if element.tag == f"{WP}category_nicename"
    ]
    assert sorted(nicenames) == ["empty", "history", "news", "news-2"]
