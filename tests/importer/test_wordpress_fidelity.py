"""WordPress imports that keep what real-world exports hold (issue 16): namespaces, passwords,
empty bodies, comments on pages, pingbacks, networks of blogs, honest counts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.comments.models import Comment
from kanwu.importer.models import ImportedItem
from kanwu.site.models import HomePage, SimplePage
from tests.factories import ArticleFactory, ColumnFactory
from tests.importer.conftest import jpeg_bytes
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
    assert "栏目：新导入 0，已存在 5" in report  # the same categories: the same columns
    assert ColumnPage.objects.filter(title="国际").count() == 1
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
    # /?p=N once per post (link and guid are both that address) + ?cat= and /category/… of
    # each of the 5 columns.
    assert "旧网址重定向：新导入 12，已存在 0，跳过 0" in report
    report = run(tmp_path, [Post(3, "老标签", "<p>三。</p>", categories=[*NEWS, *tags])], "c.xml")
    assert "文章标签：新导入 0，已存在 2，跳过 0" in report


def navigation(client: Client) -> str:
    html = client.get("/").content.decode()
    return html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_the_empty_default_category_is_not_imported(home: HomePage, tmp_path: Path) -> None:
    categories = [("news", "", "新闻", ""), ("uncategorized", "", "未分类", "")]
    report = run(
        tmp_path, [Post(1, "新闻稿", "<p>一。</p>", categories=NEWS)], categories=categories
    )
    assert "[栏目] 未分类：WordPress 的默认分类，没有文章，不导入" in report
    assert "栏目：新导入 1，已存在 0，跳过 1" in report
    assert not ColumnPage.objects.filter(title="未分类").exists()


def test_the_default_category_with_posts_is_imported_once(home: HomePage, tmp_path: Path) -> None:
    chinese = "%e6%9c%aa%e5%88%86%e7%b1%bb"  # 未分类, as a Chinese WordPress names it
    posts = [
        Post(1, "归入默认分类", "<p>一。</p>", categories=[("category", chinese, "未分类")]),
        Post(2, "没有分类", "<p>二。</p>"),
    ]
    report = run(tmp_path, posts, categories=[(chinese, "", "未分类", "")])
    assert "栏目：新导入 1，已存在 0，跳过 0" in report
    column = ColumnPage.objects.get(title="未分类")
    assert ArticlePage.objects.child_of(column).count() == 2


def test_imported_columns_wait_for_an_editor_to_show_them(home: HomePage, tmp_path: Path) -> None:
    ours = ColumnFactory(parent=home, title="编辑建的栏目", slug="ours")
    ArticleFactory(parent=ours, title="编辑写的文章")  # empty columns are never in the navigation
    report = run(tmp_path, [Post(1, "新闻稿", "<p>一。</p>", categories=NEWS)])
    assert "新导入的 5 个栏目没有加入网站导航" in report and "在菜单中显示" in report
    news = ColumnPage.objects.get(slug="news")
    assert news.live and not news.show_in_menus
    client = Client()
    assert "编辑建的栏目" in navigation(client)
    assert "新闻" not in navigation(client)
    assert "新闻稿" in client.get(news.url).content.decode()  # readers can open it

    news.show_in_menus = True
    news.save_revision().publish()
    assert "新闻" in navigation(client)


GREEK = "%ce%ba%ce%b1%ce%bb%ce%b7%ce%bc%ce%ad%cf%81%ce%b1-2"  # καλημέρα-2


def test_old_wordpress_addresses_answer_before_the_home_page(
    home: HomePage,
    tmp_path: Path,
    page_cache: Path,  # noqa: F811
) -> None:
    base = "http://old.example.com"
    posts = [
        Post(503, "旧文章", "<p>正文。</p>", name="old-post", link=f"{base}/2019/05/old-post/",
             categories=[*NEWS, ("post_tag", "tongzhan", "统战")]),
        Post(504, "Καλημέρα", "<p>希腊文。</p>", name=GREEK, link=f"{base}//greek/{GREEK}/",
             categories=NEWS),
        Post(12, "材料", post_type="attachment", status="inherit", parent=503,
             link=f"{base}/2019/05/old-post/report/", attachment_url=f"{base}/report.pdf"),
        Post(202, "关于我们", "<p>介绍。</p>", post_type="page", name="about"),
    ]  # fmt: skip
    run(tmp_path, posts)
    article = ArticlePage.objects.get(title="旧文章")
    greek = ArticlePage.objects.get(title="Καλημέρα")
    assert greek.slug == "kalimera-2"  # transliterated, not the "2" slugify leaves

    reader = Reader()
    reader.get("/")
    assert reader.get("/")[1]["X-Kanwu-Cache"] == "HIT"  # the home page is in the cache
    expected = {
        "/?p=503": article.url,
        "/?p=503&utm_source=wechat": article.url,
        "/index.php?p=503": article.url,
        "/?page_id=202": "/about/",
        "/?cat=1": "/news/",
        "/category/news/": "/news/",
        "/?tag=tongzhan": "/tag/%E7%BB%9F%E6%88%98/",
        "/tag/tongzhan/": "/tag/%E7%BB%9F%E6%88%98/",
        "/?attachment_id=12": article.url,
        "/2019/05/old-post/report/": article.url,
        f"//greek/{GREEK}/": greek.url,
        "/2019/05/old-post/": article.url,
        "//news/": "/news/",  # no redirect stored: the one address of the same page
    }
    for old, new in expected.items():
        status, headers, _ = reader.get(old)
        assert (status, headers.get("Location")) == (301, new), old
        assert "X-Kanwu-Cache" not in headers, old
    assert "旧文章" in reader.text(reader.get("/?tag=tongzhan")[1]["Location"])
    status, headers, _ = reader.get("/?p=999")  # nothing by that number: WordPress's home
    assert status == 200
    # Elsewhere `?p=` is the page's own parameter (Wagtail's admin listings page with it).
    assert reader.get("/news/?p=503")[0] == 200


def test_titles_are_plain_text(home: HomePage, tmp_path: Path) -> None:
    posts = [
        Post(1, "Title <em>With</em> <b>Markup</b> &amp; more", "<p>一。</p>",
             categories=[("category", "tech", "技术 &amp; <i>科学</i>")]),
    ]  # fmt: skip
    categories = [("tech", "", "技术 &amp; <i>科学</i>", "")]
    report = run(tmp_path, posts, categories=categories)
    article = ArticlePage.objects.get()
    assert article.title == "Title With Markup & more"
    assert ColumnPage.objects.get(slug="tech").title == "技术 & 科学"
    assert "<em>" not in report
    html = Client().get(article.url).content.decode()
    assert '<h1 class="article-title">Title With Markup &amp; more</h1>' in html


RICH = """<p>按 <kbd>Ctrl</kbd>+<kbd>C</kbd> 复制，调用 <code>print()</code>，
H<sub>2</sub>O 与 x<sup>2</sup>。</p>
<pre><code>def main():
    if True:
        return  1
</code></pre>
<dl><dt>统战</dt><dd>统一战线的简称</dd></dl>
<address>北京市西城区某某路 1 号</address>
<table><thead><tr><th>年份</th><th>人数</th></tr></thead><tbody><tr><td>2019</td><td>12</td></tr></tbody></table>
<figure><img src="http://10.0.0.1/x.jpg" alt="图"><figcaption>图一：会场</figcaption></figure>
<blockquote><p>实事求是。</p><cite>毛泽东</cite></blockquote>
<script>alert(1)</script><p onclick="x()">完</p>"""


def test_rich_markup_is_kept_and_shown_to_readers(home: HomePage, tmp_path: Path) -> None:
    run(tmp_path, [Post(1, "富文本", RICH, categories=NEWS)])
    article = ArticlePage.objects.get()
    html = Client().get(article.url).content.decode()
    page_body = html.split('<div class="article-body rich-text">', 1)[1].split("</div>", 1)[0]
    for fragment in [
        "<kbd>Ctrl</kbd>+<kbd>C</kbd>",
        "<code>print()</code>",
        "H<sub>2</sub>O",
        "x<sup>2</sup>",
        "<pre><code>def main():\n    if True:\n        return  1\n</code></pre>",
        "<dl><dt>统战</dt><dd>统一战线的简称</dd></dl>",
        "<address>北京市西城区某某路 1 号</address>",
        "<thead><tr><th>年份</th><th>人数</th></tr></thead>",
        "<td>2019</td>",
        "<figcaption>图一：会场</figcaption></figure>",
        "<blockquote><p>实事求是。</p><cite>毛泽东</cite></blockquote>",
        "<p>完</p>",
    ]:
        assert fragment in page_body, fragment
    assert "alert" not in page_body and "onclick" not in page_body
    assert "10.0.0.1" not in page_body  # an intranet image is never fetched nor linked


def test_an_attachment_on_no_post_redirects_to_its_image(home: HomePage, tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    (uploads / "2019").mkdir(parents=True)
    (uploads / "2019" / "a.jpg").write_bytes(jpeg_bytes())
    posts = [
        Post(10, "孤立的图片", post_type="attachment", status="inherit",
             link="http://old.example.com/a-jpg/",
             attachment_url="http://old.example.com/wp-content/uploads/2019/a.jpg"),
    ]  # fmt: skip
    path = tmp_path / "export.xml"
    path.write_text(build_wxr(posts), encoding="utf-8")
    call_command(
        "import-wordpress", str(path), "--media-dir", str(uploads),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    image = get_image_model().objects.get(title="孤立的图片")
    for old in ["/?attachment_id=10", "/a-jpg/"]:
        response = Client().get(old)
        assert (response.status_code, response["Location"]) == (301, image.file.url), old
