"""Migrating a WordPress site from a WXR export built by the tests."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command, get_commands
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.comments.models import Comment
from kanwu.importer.models import ImportedItem
from kanwu.importer.wordpress.markup import convert_content, wpautop
from kanwu.importer.wordpress.wxr import WxrError, WxrItem, iter_wxr
from kanwu.site.models import HomePage, SimplePage
from tests.importer.conftest import jpeg_bytes
from tests.importer.server import LocalServer, Response
from tests.importer.wxr import Post, build_wxr, full_site

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (50, 40), "#aa0000").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    folder = tmp_path / "uploads" / "2019" / "05"
    folder.mkdir(parents=True)
    (folder / "a.jpg").write_bytes(jpeg_bytes())
    (folder / "b.png").write_bytes(png_bytes())
    (folder / "report.pdf").write_bytes(b"%PDF-1.4")
    return tmp_path / "uploads"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(build_wxr(full_site()), encoding="utf-8")
    return path


def run(path: Path, media: Path | None = None) -> str:
    out = io.StringIO()
    args = [str(path)] + (["--media-dir", str(media)] if media else [])
    call_command("import-wordpress", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def site_state() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "images": get_image_model().objects.count(),
        "redirects": Redirect.objects.count(),
        "comments": Comment.objects.count(),
        "ledger": ImportedItem.objects.count(),
    }


def test_command_is_found_under_its_hyphenated_name() -> None:
    assert get_commands()["import-wordpress"] == "kanwu.importer"
    assert get_commands()["import"] == "kanwu.importer"


def test_full_site_is_migrated(home: HomePage, export: Path, uploads: Path) -> None:
    report = run(export, uploads)

    # Categories → column tree, parents first whatever the file order, descriptions kept.
    news = ColumnPage.objects.get(slug="news")
    history = ColumnPage.objects.get(slug="history")
    culture = ColumnPage.objects.get(slug="culture")
    local = ColumnPage.objects.get(title="本地文化")
    assert history.get_parent().pk == news.pk and local.get_parent().pk == culture.pk
    assert news.get_parent().pk == home.pk and news.live
    assert history.intro == "统一战线的历史"
    assert ColumnPage.objects.get(title="国际").slug == "guo-ji"

    lead = ArticlePage.objects.get(title="统一战线的历史与今天")
    assert lead.get_parent().pk == history.pk  # its first category
    assert lead.live and lead.slug == "hello-world" and lead.sticky
    assert lead.author == "张编辑"
    assert lead.first_published_at == datetime(2019, 5, 6, 2, 0, tzinfo=UTC)
    assert lead.published_at == datetime(2019, 5, 6, 2, 0, tzinfo=UTC)
    assert sorted(tag.name for tag in lead.tags.all()) == ["历史", "统战"]
    images = {image.title: image for image in get_image_model().objects.all()}
    assert set(images) == {"会场照片", "合影"}
    assert lead.cover_id == images["会场照片"].pk
    assert lead.summary == "这是导语部分，讲述统一战线的发展历程。"  # the <!--more--> teaser
    body = lead.body
    assert "wp:" not in body and "<!--" not in body and "[" not in body
    assert "<p>第一段正文，没有段落标签，由自动分段处理。<br>同一段的第二行。</p>" in body
    assert "<p>第二段正文，介绍座谈会的情况。</p>" in body
    a_id, b_id = images["会场照片"].pk, images["合影"].pk
    assert f'<embed embedtype="image" id="{a_id}" format="fullwidth" alt="会场"/>' in body
    assert "<figcaption>座谈会现场</figcaption></figure>" in body  # the caption
    assert body.count(f'id="{a_id}"') == 2 and f'id="{b_id}"' in body  # caption + gallery
    assert '<a href="https://video.example.com/v/123">' in body
    assert "这是提示框里的文字。" in body
    assert "<ul><li>第一项</li><li>第二项</li></ul>" in body and "<td>单元格</td>" in body
    assert "alert" not in body

    # Statuses.
    assert not ArticlePage.objects.get(title="草稿文章").live
    assert not ArticlePage.objects.get(title="待审文章").live
    private = ArticlePage.objects.get(title="私密文章")
    assert not private.live and private.slug == "secret"
    future = ArticlePage.objects.get(title="定时发布的文章")
    assert not future.live
    assert future.go_live_at == datetime(2031, 1, 1, tzinfo=UTC)
    assert future.get_latest_revision().approved_go_live_at == datetime(2031, 1, 1, tzinfo=UTC)
    assert not ArticlePage.objects.filter(title__in=["回收站里的文章", "自动草稿"]).exists()
    culture_post = ArticlePage.objects.get(title="古籍修复展开幕")
    assert culture_post.summary == "这是手写的摘要。" and culture_post.author == "李作者"
    assert culture_post.body == "<p>文化段落一。</p><p>文化段落二。</p>"
    assert culture_post.slug == "gu-ji"  # its WordPress slug 古籍, in pinyin
    assert ArticlePage.objects.get(title="没有分类的文章").get_parent().title == "未分类"

    # Pages, with a child listed before its parent.
    about = SimplePage.objects.get(title="关于我们")
    contact = SimplePage.objects.get(title="联系我们")
    assert about.get_parent().pk == home.pk and about.live
    assert contact.get_parent().pk == about.pk and contact.url_path.endswith("/about/contact/")
    assert about.body == "<p>本站介绍。</p><p>第二段。</p>"
    assert not SimplePage.objects.get(title="草稿单页").live

    # Comments: threading kept, approval state kept, spam/trash/pingbacks skipped.
    comments = {c.body: c for c in Comment.objects.all()}
    assert set(comments) == {
        "写得很好，受益匪浅。",
        "同意楼上的看法。",
        "回复一条垃圾评论",
        "等待审核的评论",
    }
    assert comments["同意楼上的看法。"].parent == comments["写得很好，受益匪浅。"]
    assert comments["回复一条垃圾评论"].parent is None
    assert comments["等待审核的评论"].status == Comment.Status.PENDING
    assert comments["写得很好，受益匪浅。"].status == Comment.Status.APPROVED
    assert comments["写得很好，受益匪浅。"].author_email == "reader1@example.cn"
    assert comments["同意楼上的看法。"].created_at == datetime(2019, 5, 7, 1, 2, tzinfo=UTC)

    # Old permalinks redirect to the new pages.
    def target(old: str) -> int:
        return Redirect.objects.get(old_path=Redirect.normalise_path(old)).redirect_page_id

    assert target("/2019/05/hello-world/") == lead.pk
    assert target("/?p=100") == lead.pk
    assert target("/2019/05/06/古籍/") == culture_post.pk
    assert target("/archives/107") == ArticlePage.objects.get(title="没有分类的文章").pk
    assert target("/?page_id=202") == about.pk
    assert target("/about/contact/") == contact.pk
    assert not Redirect.objects.filter(old_path="/about").exists()  # same as the new URL

    # The report: counts per kind and every skipped item with its reason.
    assert "文章：新导入 7，已存在 0，跳过 2" in report
    assert "单页：新导入 3" in report and "栏目：新导入 6" in report
    assert "图片附件：新导入 2，已存在 0，跳过 2" in report
    assert "评论：新导入 4，已存在 0，跳过 2" in report
    assert "引用通告（pingback/trackback）：新导入 0，已存在 0，跳过 1" in report
    assert "文章标签：新导入 2，已存在 0，跳过 0" in report
    assert "非图片附件（.pdf）" in report and "--media-dir 中没有文件 2019/05/missing.jpg" in report
    assert "#105《回收站里的文章》：已在 WordPress 回收站中" in report
    assert "垃圾评论" in report and "pingback" in report
    assert "#103《私密文章》 在 WordPress 中为私密，已导入为未发布的草稿" in report
    assert "不导入的内容类型 nav_menu_item" in report


def test_existing_column_with_the_same_slug_is_reused(
    news: ColumnPage, export: Path, uploads: Path
) -> None:
    report = run(export, uploads)
    assert ColumnPage.objects.filter(slug="news").count() == 1
    assert ColumnPage.objects.get(slug="history").get_parent().pk == news.pk
    assert "栏目：新导入 5，已存在 1" in report


def test_second_run_imports_nothing_twice(home: HomePage, export: Path, uploads: Path) -> None:
    run(export, uploads)
    before = site_state()
    report = run(export, uploads)
    assert site_state() == before
    assert "文章：新导入 0，已存在 7" in report
    assert "评论：新导入 0，已存在 4，跳过 2" in report
    assert "栏目：新导入 0，已存在 5" in report


def test_wxr_1_1_is_read(home: HomePage, tmp_path: Path, uploads: Path) -> None:
    path = tmp_path / "old.xml"
    path.write_text(build_wxr(full_site(), version="1.1"), encoding="utf-8")
    report = run(path, uploads)
    assert "文章：新导入 7" in report
    lead = ArticlePage.objects.get(title="统一战线的历史与今天")
    assert lead.live and not lead.sticky  # WXR 1.1 has no is_sticky
    assert ArticlePage.objects.get(title="古籍修复展开幕").summary == "这是手写的摘要。"


def test_attachments_are_downloaded_through_the_safe_fetcher(
    home: HomePage, tmp_path: Path, server: LocalServer
) -> None:
    base = server.url("")
    server.routes["/wp-content/uploads/2019/05/a.jpg"] = Response(
        jpeg_bytes(), content_type="image/jpeg"
    )
    server.routes["/wp-content/uploads/2019/05/b.png"] = Response(
        png_bytes(), content_type="image/png"
    )
    server.routes["/wp-content/uploads/2019/05/c.jpg"] = Response(
        jpeg_bytes("#00ff00"), content_type="image/jpeg"
    )
    posts = full_site(base)
    posts.append(
        Post(
            110, "外链图片", f'<p><img src="{base}/wp-content/uploads/2019/05/c.jpg" alt="绿"></p>'
        )
    )
    posts.append(Post(111, "内网图片", '<p><img src="http://10.0.0.3/x.jpg" alt="内"></p>文字'))
    path = tmp_path / "export.xml"
    path.write_text(build_wxr(posts, base=base), encoding="utf-8")
    report = run(path)
    assert "图片附件：新导入 2，已存在 0，跳过 2" in report
    assert "HTTP 404" in report  # missing.jpg
    assert "内网地址" in report  # the intranet image in a post body
    green = ArticlePage.objects.get(title="外链图片")
    assert '<embed embedtype="image"' in green.body
    assert "10.0.0.3" not in ArticlePage.objects.get(title="内网图片").body


BAD_FILES = {
    "malformed": "<rss><channel><wp:wxr_version>1.2</wp:wxr_version><item></channel></rss>",
    "not-wxr": '<?xml version="1.0"?><html><body>hello</body></html>',
    "xxe": (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<wp:wxr_version>1.2</wp:wxr_version><item><title>&xxe;</title></item></channel></rss>"
    ),
    "billion-laughs": (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
            for n in range(1, 10)
        )
        + "]><rss><channel><item><title>&lol9;</title></item></channel></rss>"
    ),
    "no-version": "<rss><channel><item><title>x</title></item></channel></rss>",
}


@pytest.mark.parametrize("case", [*BAD_FILES, "truncated"])
def test_bad_files_are_refused_and_leave_the_site_unchanged(
    home: HomePage, tmp_path: Path, case: str
) -> None:
    path = tmp_path / f"{case}.xml"
    if case == "truncated":
        whole = build_wxr(full_site())
        path.write_text(whole[: int(len(whole) * 0.8)], encoding="utf-8")
    else:
        path.write_text(BAD_FILES[case], encoding="utf-8")
    before = site_state()
    with pytest.raises(CommandError, match="导入已取消，网站未作任何改动") as info:
        run(path)
    assert site_state() == before
    message = str(info.value)
    if case in {"xxe", "billion-laughs"}:
        assert "DTD 或实体声明" in message
    elif case in {"malformed", "truncated"}:
        assert "XML 格式错误或文件不完整" in message


def test_missing_file_and_bad_media_dir(home: HomePage, export: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        run(tmp_path / "nope.xml")
    with pytest.raises(CommandError, match="不是一个文件夹"):
        run(export, tmp_path / "no-such-dir")


def test_media_dir_paths_cannot_escape(home: HomePage, tmp_path: Path, uploads: Path) -> None:
    (tmp_path / "secret.jpg").write_bytes(jpeg_bytes())
    posts = [Post(10, "越界", post_type="attachment", status="inherit",
                  attachment_url="http://old.example.com/wp-content/uploads/../secret.jpg",
                  meta={"_wp_attached_file": "../secret.jpg"})]  # fmt: skip
    path = tmp_path / "x.xml"
    path.write_text(build_wxr(posts), encoding="utf-8")
    report = run(path, uploads)
    assert "越出了 --media-dir" in report
    assert get_image_model().objects.count() == 0


# Measured in a process of its own: tracemalloc counts every thread's allocations, and threads
# other tests left behind (servers, fetchers) would be counted with the reader's.
PEAK_SCRIPT = """
import sys, tracemalloc
from kanwu.importer.wordpress.wxr import WxrItem, iter_wxr
tracemalloc.start()
seen = sum(1 for obj in iter_wxr(sys.argv[1]) if isinstance(obj, WxrItem))
print(seen, tracemalloc.get_traced_memory()[1])
"""


def test_streaming_reader_keeps_memory_flat(tmp_path: Path) -> None:
    def peak(count: int) -> int:
        posts = [Post(n, f"文章{n}", "<p>" + "统一战线" * 200 + "</p>") for n in range(1, count)]
        path = tmp_path / f"{count}.xml"
        path.write_text(build_wxr(posts), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-c", PEAK_SCRIPT, str(path)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        seen, top = map(int, result.stdout.split())
        assert seen == count - 1
        return top

    small, large = peak(200), peak(4000)  # files of ~0.5 MB and ~10 MB
    assert large < small * 2


def test_wpautop_and_shortcodes() -> None:
    assert wpautop("一\n二\n\n三") == "<p>一<br />\n二</p>\n<p>三</p>"
    assert wpautop("<div>块</div>\n\n文字") == "<div>块</div>\n<p>文字</p>"
    converted = convert_content("导语<!--more-->正文[foo bar=1]内[/foo]")
    assert converted.teaser == "导语" and "[" not in converted.html and "内" in converted.html


def test_items_are_yielded_with_their_fields(tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_text(build_wxr(full_site()), encoding="utf-8")
    items: dict[str, Any] = {o.post_id: o for o in iter_wxr(path) if isinstance(o, WxrItem)}
    lead = items["100"]
    assert lead.is_sticky and lead.meta["_thumbnail_id"] == "10"
    assert [c.comment_id for c in lead.comments] == ["1", "2", "3", "4", "5", "6", "7"]
    with pytest.raises(WxrError):
        (tmp_path / "b.xml").write_text("<rss><channel>", encoding="utf-8")
        list(iter_wxr(tmp_path / "b.xml"))
