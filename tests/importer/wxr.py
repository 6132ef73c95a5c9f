"""WordPress exports (WXR) built by the tests, covering every case the importer handles."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

BASE = "http://old.example.com"


@dataclass
class Post:
    post_id: int
    title: str
    content: str = ""
    post_type: str = "post"
    status: str = "publish"
    name: str = ""
    date: str = "2019-05-06 10:00:00"  # local (Beijing) time, as WordPress writes post_date
    date_gmt: str = "2019-05-06 02:00:00"
    link: str = ""
    excerpt: str = ""
    creator: str = "editor"
    parent: int = 0
    sticky: bool = False
    categories: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[dict[str, str]] = field(default_factory=list)
    attachment_url: str = ""
    password: str = ""


def comment(
    cid: int, body: str, *, approved: str = "1", parent: int = 0, **extra: str
) -> dict[str, str]:
    values = {
        "comment_id": str(cid),
        "comment_author": extra.get("author", f"读者{cid}"),
        "comment_author_email": extra.get("email", f"reader{cid}@example.cn"),
        "comment_author_url": extra.get("url", ""),
        "comment_author_IP": "203.0.113.9",
        "comment_date": "2019-05-07 09:00:00",
        "comment_date_gmt": f"2019-05-07 01:{cid:02d}:00",
        "comment_content": body,
        "comment_approved": approved,
        "comment_type": extra.get("type", ""),
        "comment_parent": str(parent),
        "comment_user_id": "0",
    }
    return values


CDATA_KEYS = {"comment_content", "comment_author"}


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _item(post: Post, version: str) -> str:
    link = post.link or f"{BASE}/?p={post.post_id}"
    cats = "".join(
        f'<category domain="{domain}" nicename="{nicename}">{_cdata(name)}</category>'
        for domain, nicename, name in post.categories
    )
    meta = "".join(
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key><wp:meta_value>{_cdata(value)}"
        "</wp:meta_value></wp:postmeta>"
        for key, value in post.meta.items()
    )
    comments = "".join(
        "<wp:comment>"
        + "".join(
            f"<wp:{key}>{_cdata(value) if key in CDATA_KEYS else escape(value)}</wp:{key}>"
            for key, value in c.items()
        )
        + "</wp:comment>"
        for c in post.comments
    )
    sticky = f"<wp:is_sticky>{int(post.sticky)}</wp:is_sticky>" if version == "1.2" else ""
    attachment = (
        f"<wp:attachment_url>{escape(post.attachment_url)}</wp:attachment_url>"
        if post.attachment_url
        else ""
    )
    return (
        f"<item><title>{escape(post.title)}</title><link>{escape(link)}</link>"
        "<pubDate>Mon, 06 May 2019 02:00:00 +0000</pubDate>"
        f"<dc:creator>{_cdata(post.creator)}</dc:creator>"
        f'<guid isPermaLink="false">{BASE}/?p={post.post_id}</guid><description></description>'
        f"<content:encoded>{_cdata(post.content)}</content:encoded>"
        f"<excerpt:encoded>{_cdata(post.excerpt)}</excerpt:encoded>"
        f"<wp:post_id>{post.post_id}</wp:post_id>"
        f"<wp:post_date>{_cdata(post.date)}</wp:post_date>"
        f"<wp:post_date_gmt>{_cdata(post.date_gmt)}</wp:post_date_gmt>"
        "<wp:comment_status>open</wp:comment_status><wp:ping_status>open</wp:ping_status>"
        f"<wp:post_name>{_cdata(post.name)}</wp:post_name>"
        f"<wp:status>{post.status}</wp:status><wp:post_parent>{post.parent}</wp:post_parent>"
        f"<wp:menu_order>0</wp:menu_order><wp:post_type>{post.post_type}</wp:post_type>"
        f"<wp:post_password>{_cdata(post.password)}</wp:post_password>{sticky}{attachment}{cats}{meta}{comments}"
        "</item>"
    )


def build_wxr(
    posts: list[Post],
    *,
    version: str = "1.2",
    base: str = BASE,
    blog: str = "",
    scheme: str = "http",
    categories: list[tuple[str, str, str, str]] | None = None,
) -> str:
    """`blog`: the blog's own address when it differs from `base` (a network's blog)."""
    ns = f"{scheme}://wordpress.org/export/{version}/"
    authors = "".join(
        f"<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login>{_cdata(login)}"
        f"</wp:author_login><wp:author_email>{_cdata(login + '@example.cn')}</wp:author_email>"
        f"<wp:author_display_name>{_cdata(name)}</wp:author_display_name></wp:author>"
        for n, (login, name) in enumerate([("editor", "张编辑"), ("writer", "李作者")], start=1)
    )
    categories = "".join(
        f"<wp:category><wp:term_id>{n}</wp:term_id><wp:category_nicename>{_cdata(nice)}"
        f"</wp:category_nicename><wp:category_parent>{_cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{_cdata(name)}</wp:cat_name>"
        f"<wp:category_description>{_cdata(desc)}</wp:category_description></wp:category>"
        for n, (nice, parent, name, desc) in enumerate(
            CATEGORIES if categories is None else categories, start=1
        )
    )
    tags = "".join(
        f"<wp:tag><wp:term_id>{n}</wp:term_id><wp:tag_slug>{_cdata(slug)}</wp:tag_slug>"
        f"<wp:tag_name>{_cdata(name)}</wp:tag_name></wp:tag>"
        for n, (slug, name) in enumerate([("tongzhan", "统战"), ("lishi", "历史")], start=50)
    )
    items = "".join(_item(post, version) for post in posts)
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        f'<rss version="2.0" xmlns:excerpt="{ns}excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:wp="{ns}">\n<channel><title>旧站</title><link>{base}</link>'
        f"<description>旧的 WordPress 网站</description><language>zh-CN</language>"
        f"<wp:wxr_version>{version}</wp:wxr_version><wp:base_site_url>{base}</wp:base_site_url>"
        f"<wp:base_blog_url>{blog or base}</wp:base_blog_url>{authors}{categories}{tags}"
        "<generator>https://wordpress.org/?v=6.4</generator>\n"
        f"{items}</channel></rss>\n"
    )


# A child listed before its parent ("local" under "culture"); a percent-encoded Chinese slug.
CATEGORIES = [
    ("news", "", "新闻", "本地与国内新闻"),
    ("local", "culture", "本地文化", ""),
    ("history", "news", "统战史话", "统一战线的历史"),
    ("culture", "", "文化", "文化动态"),
    ("%e5%9b%bd%e9%99%85", "", "国际", ""),
]

LEAD_CONTENT = """<!-- wp:paragraph -->
<p>这是导语部分，讲述统一战线的发展历程。</p>
<!-- /wp:paragraph -->
<!--more-->
第一段正文，没有段落标签，由自动分段处理。
同一段的第二行。

第二段正文，介绍座谈会的情况。

[caption id="attachment_10" align="aligncenter" width="600"]<img class="size-full wp-image-10" \
src="{base}/wp-content/uploads/2019/05/a-300x200.jpg" alt="会场" width="300" height="200" /> \
座谈会现场[/caption]

[gallery ids="10,11"]

[embed]https://video.example.com/v/123[/embed]

[su_note note_color="#eee"]这是提示框里的文字。[/su_note]

<!-- wp:list --><ul><li>第一项</li><li>第二项</li></ul><!-- /wp:list -->

<table><tr><td>单元格</td></tr></table>
<script>alert(1)</script>"""


def full_site(base: str = BASE) -> list[Post]:
    upload = f"{base}/wp-content/uploads/2019/05"
    return [
        Post(10, "会场照片", post_type="attachment", status="inherit",
             attachment_url=f"{upload}/a.jpg", meta={"_wp_attached_file": "2019/05/a.jpg"}),
        Post(11, "合影", post_type="attachment", status="inherit",
             attachment_url=f"{upload}/b.png", meta={"_wp_attached_file": "2019/05/b.png"}),
        Post(12, "会议材料", post_type="attachment", status="inherit",
             attachment_url=f"{upload}/report.pdf",
             meta={"_wp_attached_file": "2019/05/report.pdf"}),
        Post(13, "丢失的图片", post_type="attachment", status="inherit",
             attachment_url=f"{upload}/missing.jpg",
             meta={"_wp_attached_file": "2019/05/missing.jpg"}),
        Post(
            100, "统一战线的历史与今天", LEAD_CONTENT.format(base=base), name="hello-world",
            link=f"{base}/2019/05/hello-world/", sticky=True,
            categories=[("category", "history", "统战史话"), ("category", "news", "新闻"),
                        ("post_tag", "tongzhan", "统战"), ("post_tag", "lishi", "历史")],
            meta={"_thumbnail_id": "10", "_edit_last": "1"},
            comments=[
                comment(1, "写得很好，受益匪浅。"),
                comment(2, "同意楼上的看法。", parent=1, author="回复者"),
                comment(3, "便宜代开发票", approved="spam"),
                comment(4, "已删除的评论", approved="trash"),
                comment(5, "回复一条垃圾评论", parent=3),
                comment(6, "等待审核的评论", approved="0"),
                comment(7, "引用了本文", type="pingback", author="某博客"),
            ],
        ),
        Post(101, "草稿文章", "<p>还没写完的草稿。</p>", status="draft", name="",
             categories=[("category", "news", "新闻")], date_gmt="0000-00-00 00:00:00"),
        Post(102, "待审文章", "<p>等待审核。</p>", status="pending", name="pending-post",
             categories=[("category", "news", "新闻")]),
        Post(103, "私密文章", "<p>只有作者能看。</p>", status="private", name="secret",
             categories=[("category", "culture", "文化")]),
        Post(104, "定时发布的文章", "<p>将来发布。</p>", status="future", name="future-post",
             date="2031-01-01 08:00:00", date_gmt="2031-01-01 00:00:00",
             categories=[("category", "culture", "文化")]),
        Post(105, "回收站里的文章", "<p>已删除。</p>", status="trash", name="trashed",
             categories=[("category", "news", "新闻")]),
        Post(
            106, "古籍修复展开幕",
            "<!-- wp:paragraph --><p>文化段落一。</p><!-- /wp:paragraph -->\n"
            "<!-- wp:paragraph --><p>文化段落二。</p><!-- /wp:paragraph -->",
            name="%e5%8f%a4%e7%b1%8d", link=f"{base}/2019/05/06/%e5%8f%a4%e7%b1%8d/",
            excerpt="这是手写的摘要。", creator="writer",
            categories=[("category", "local", "本地文化")],
        ),
        Post(107, "没有分类的文章", "没有分类。", name="no-category", link=f"{base}/archives/107"),
        Post(108, "自动草稿", "", status="auto-draft"),
        Post(109, "", "", post_type="nav_menu_item", name="109"),
        Post(201, "联系我们", "<p>电话：010-12345678</p>", post_type="page", parent=202,
             name="contact", link=f"{base}/about/contact/"),
        Post(202, "关于我们", "本站介绍。\n\n第二段。", post_type="page", name="about",
             link=f"{base}/about/"),
        Post(203, "草稿单页", "<p>未完成</p>", post_type="page", status="draft", name="draft-page"),
    ]  # fmt: skip
