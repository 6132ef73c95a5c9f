"""WordPress imports that keep what real-world exports hold (issue 16): namespaces, passwords,
empty bodies, comments on pages, pingbacks, networks of blogs, honest counts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import PageViewRestriction

from kanwu.articles.models import ArticlePage
from kanwu.comments.models import Comment
from kanwu.importer.models import ImportedItem
from kanwu.site.models import HomePage, SimplePage
from tests.importer.wxr import Post, build_wxr, comment
from tests.publishing.conftest import Reader, page_cache  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

NEWS = [("category", "news", "新闻")]


def run(tmp_path: Path, posts: list[Post], name: str = "export.xml", **options: object) -> str:
    path = tmp_path / name
    path.write_text(build_wxr(posts, **options), encoding="utf-8")  # type: ignore[arg-type]
    out = io.StringIO()
    call_command("import-wordpress", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize(("scheme", "version"), [("https", "1.2"), ("http", "1.3")])
def test_https_namespace_and_any_1x_version_are_read(
    home: HomePage, tmp_path: Path, scheme: str, version: str
) -> None:
    posts = [Post(1, "新命名空间", "<p>正文。</p>", categories=NEWS, excerpt="摘要。")]
    report = run(tmp_path, posts, scheme=scheme, version=version)
    assert "文章：新导入 1" in report
    article = ArticlePage.objects.get(title="新命名空间")
    assert article.live and article.summary == "摘要。"  # the excerpt namespace too


@pytest.fixture
def protected(home: HomePage, tmp_path: Path) -> ArticlePage:
    posts = [
        Post(1, "公开文章", "<p>人人可读。</p>", name="open", categories=NEWS),
        Post(2, "加密文章", "<p>只给知道密码的人看的内容。</p>", name="locked",
             categories=NEWS, password="s3cret pw",
             comments=[comment(1, "加密文章下的评论。")]),
    ]  # fmt: skip
    report = run(tmp_path, posts)
    assert "#2《加密文章》 在 WordPress 中设有密码，已导入为需要同一密码才能阅读的页面" in report
    return ArticlePage.objects.get(slug="locked")


def test_a_password_protected_post_is_never_public(
    protected: ArticlePage,
    page_cache: Path,  # noqa: F811
) -> None:
    restriction = PageViewRestriction.objects.get(page=protected)
    assert restriction.restriction_type == PageViewRestriction.PASSWORD
    assert restriction.password == "s3cret pw"
    assert protected.live
    assert Comment.objects.filter(article=protected).count() == 1

    reader = Reader()
    for _ in range(2):  # a second request must not be answered from the page cache either
        status, headers, body = reader.get(protected.url)
        assert status == 200 and "X-Kanwu-Cache" not in headers
        assert "只给知道密码的人看的内容" not in body.decode()
        assert "加密文章下的评论" not in body.decode()
        assert "password" in body.decode()  # Wagtail's password form
    for url in ["/", "/news/", "/feed/"]:
        text = reader.text(url)
        assert "公开文章" in text and "加密文章" not in text, url

    client = Client()
    form = f"/_util/authenticate_with_password/{restriction.pk}/{protected.pk}/"
    assert client.post(form, {"password": "wrong", "return_url": protected.url}).status_code == 200
    response = client.post(form, {"password": "s3cret pw", "return_url": protected.url})
    assert response.status_code == 302
    assert "只给知道密码的人看的内容" in client.get(protected.url).content.decode()


def test_a_rerun_locks_a_post_an_earlier_import_left_public(
    protected: ArticlePage, tmp_path: Path
) -> None:
    PageViewRestriction.objects.filter(page=protected).delete()  # as imports before issue 16
    posts = [Post(2, "加密文章", "<p>x</p>", name="locked", categories=NEWS, password="pw2")]
    report = run(tmp_path, posts, name="again.xml")
    assert "已为之前导入的页面加上同样的密码" in report
    assert PageViewRestriction.objects.get(page=protected).password == "pw2"


def test_an_empty_post_is_imported_with_its_comments(home: HomePage, tmp_path: Path) -> None:
    posts = [
        Post(1, "只有标题", "", categories=NEWS, comments=[comment(1, "空文章下的评论。")]),
        Post(2, "只有空白", "  \n\n <!-- wp:paragraph --><!-- /wp:paragraph -->", categories=NEWS),
    ]
    report = run(tmp_path, posts)
    assert "文章：新导入 2，已存在 0，跳过 0" in report
    assert "#1《只有标题》 正文为空，已按空正文导入" in report
    empty = ArticlePage.objects.get(title="只有标题")
    assert empty.live
    assert [c.body for c in Comment.objects.filter(article=empty)] == ["空文章下的评论。"]
    assert Client().get(empty.url).status_code == 200


def test_comments_on_pages_and_pingbacks_are_reported(home: HomePage, tmp_path: Path) -> None:
    posts = [
        Post(1, "文章", "<p>正文。</p>", categories=NEWS, comments=[
            comment(1, "文章评论。"),
            comment(2, "", type="pingback", author="某博客"),
            comment(3, "", type="trackback", author="另一博客"),
        ]),
        Post(5, "关于我们", "<p>介绍。</p>", post_type="page", name="about", comments=[
            comment(4, "单页下的留言。"),
            comment(5, "单页下的第二条留言。", parent=4),
        ]),
    ]  # fmt: skip
    report = run(tmp_path, posts)
    assert "评论：新导入 1，已存在 0，跳过 2" in report
    assert "引用通告（pingback/trackback）：新导入 0，已存在 0，跳过 2" in report
    assert "#5《关于我们》 的评论 #4：单页不能带评论（本站的评论只属于文章），未导入" in report
    assert "#1《文章》 的评论 #2：引用通告（pingback）不导入" in report
    assert "#1《文章》 的评论 #3：引用通告（trackback）不导入" in report
    assert SimplePage.objects.get(slug="about").live
    assert list(Comment.objects.values_list("body", flat=True)) == ["文章评论。"]


NETWORK = "http://blogs.example.com"


def blog_posts(blog: str, word: str) -> list[Post]:
    return [
        Post(1, f"{word}的第一篇", f"<p>{word}一。</p>", name="first", link=f"{blog}/first/",
             categories=NEWS, comments=[comment(1, f"{word}的评论。")]),
        Post(2, f"{word}的第二篇", f"<p>{word}二。</p>", name="second", link=f"{blog}/second/",
             categories=NEWS),
    ]  # fmt: skip


def test_two_blogs_of_one_network_do_not_collide(home: HomePage, tmp_path: Path) -> None:
    one, two = f"{NETWORK}/one", f"{NETWORK}/two"
    run(tmp_path, blog_posts(one, "甲"), "one.xml", base=NETWORK, blog=one)
    report = run(tmp_path, blog_posts(two, "乙"), "two.xml", base=NETWORK, blog=two)
    assert "文章：新导入 2，已存在 0" in report
    assert "评论：新导入 1，已存在 0" in report
    titles = set(ArticlePage.objects.values_list("title", flat=True))
    assert titles == {"甲的第一篇", "甲的第二篇", "乙的第一篇", "乙的第二篇"}
    assert set(ImportedItem.objects.values_list("source", flat=True)) == {f"wp:{one}", f"wp:{two}"}


def test_an_import_recorded_under_the_network_address_is_still_recognised(
    home: HomePage, tmp_path: Path
) -> None:
    one, two = f"{NETWORK}/one", f"{NETWORK}/two"
    run(tmp_path, blog_posts(one, "甲"), "one.xml", base=NETWORK, blog=one)
    # What imports before issue 16 wrote: everything under the network's address.
    ImportedItem.objects.update(source=f"wp:{NETWORK}")
    before = ArticlePage.objects.count(), Comment.objects.count()

    report = run(tmp_path, blog_posts(one, "甲"), "one-again.xml", base=NETWORK, blog=one)
    assert "文章：新导入 0，已存在 2" in report and "评论：新导入 0，已存在 1" in report
    assert (ArticlePage.objects.count(), Comment.objects.count()) == before
    moved = ImportedItem.objects.filter(source=f"wp:{one}").exclude(key__startswith="category:")
    assert sorted(moved.values_list("key", flat=True)) == ["comment:1", "post:1", "post:2"]

    # The network's other blog has the same post ids: they are not mistaken for blog one's.
    moved.update(source=f"wp:{NETWORK}")
    report = run(tmp_path, blog_posts(two, "乙"), "two.xml", base=NETWORK, blog=two)
    assert "文章：新导入 2，已存在 0" in report and "评论：新导入 1，已存在 0" in report


def test_a_single_blog_keeps_its_ledger(home: HomePage, tmp_path: Path) -> None:
    site = "http://solo.example.com"
    run(tmp_path, blog_posts(site, "独"), "a.xml", base=site)
    assert set(ImportedItem.objects.values_list("source", flat=True)) == {f"wp:{site}"}
    report = run(tmp_path, blog_posts(site, "独"), "b.xml", base=site)
    assert "文章：新导入 0，已存在 2" in report


def test_report_counts_items_not_assignments(home: HomePage, tmp_path: Path) -> None:
    tags = [("post_tag", "a", "甲"), ("post_tag", "b", "乙"), ("post_tag", "a", "甲")]
    posts = [
        Post(1, "三个分类", "<p>一。</p>", categories=[
            ("category", "news", "新闻"), ("category", "culture", "文化"),
            ("category", "history", "统战史话"), *tags,
        ]),
        Post(2, "同样的标签", "<p>二。</p>", categories=[*NEWS, *tags]),
    ]  # fmt: skip
    report = run(tmp_path, posts)
    assert "共 2 项" in report
    assert "文章：新导入 2，已存在 0，跳过 0" in report
    assert "文章标签：新导入 2，已存在 0，跳过 0" in report
    report = run(tmp_path, [Post(3, "老标签", "<p>三。</p>", categories=[*NEWS, *tags])], "c.xml")
    assert "文章标签：新导入 0，已存在 2，跳过 0" in report
