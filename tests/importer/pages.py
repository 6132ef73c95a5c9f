"""Article pages imitating the layouts of Chinese news portals, written for the tests.

The article text comes from kanwu's demo text generator (our own words); the page around it
carries what real portals carry: navigation, breadcrumb, info bar, share toolbar, sidebar
rankings, a 为您推荐 list, a comment form, a disclaimer and a footer. `BOILERPLATE` lists lines
of that chrome which must never reach an imported article.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

from kanwu.demo.textgen import ArticleText, generate_article

BOILERPLATE = [
    "首页",
    "您的位置",
    "分享到",
    "打印本页",
    "热点排行",
    "为您推荐",
    "发表评论",
    "提交评论",
    "免责声明",
    "京ICP备",
    "版权所有",
    "关于我们",
    "扫一扫",
    "责任编辑",
    "相关阅读",
    "网友评论",
]

RECOMMENDED = [
    "春耕时节农机忙 田间地头添新绿",
    "城市更新让老街区焕发新活力",
    "博物馆之夜吸引众多市民参观",
    "社区食堂解决老年人吃饭难题",
    "青年志愿者走进乡村学校支教",
    "新能源公交线路今日正式开通",
]


@dataclass(frozen=True)
class PortalArticle:
    text: ArticleText
    published: str  # "2024-03-15 10:20"
    source_name: str
    image_paths: tuple[str, ...] = ()

    @property
    def plain(self) -> str:
        """The article text as a reader sees it: headings and paragraphs, one per line."""
        headings = dict(self.text.headings)
        lines: list[str] = []
        for index, paragraph in enumerate(self.text.paragraphs):
            if heading := headings.get(index):
                lines.append(heading)
            lines.append(paragraph)
        return "\n".join(lines)


def make_article(seed: int, *, topic: str = "news", images: tuple[str, ...] = ()) -> PortalArticle:
    rng = random.Random(seed)
    text = generate_article(rng, topic)
    day = 1 + seed % 27
    return PortalArticle(
        text=text,
        published=f"2024-03-{day:02d} 10:{seed % 60:02d}",
        source_name="光明晚报",
        image_paths=images,
    )


def _body(article: PortalArticle, *, with_table: bool = True) -> str:
    headings = dict(article.text.headings)
    parts: list[str] = []
    for index, paragraph in enumerate(article.text.paragraphs):
        if heading := headings.get(index):
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(f'<p style="text-indent:2em">{html.escape(paragraph)}</p>')
        if index == 0:
            for number, path in enumerate(article.image_paths, start=1):
                parts.append(
                    f'<p style="text-align:center"><img src="{path}" alt="现场图片{number}" '
                    f'width="600"></p>'
                )
    if with_table:
        parts.append(
            "<table><tr><th>项目</th><th>数量</th></tr>"
            "<tr><td>参与单位</td><td>12</td></tr></table>"
        )
    return "\n".join(parts)


def _nav() -> str:
    items = "".join(
        f'<li><a href="/{slug}/">{name}</a></li>'
        for slug, name in [
            ("", "首页"),
            ("news", "新闻"),
            ("culture", "文化"),
            ("about", "关于我们"),
        ]
    )
    return f'<div class="nav"><ul>{items}</ul></div>'


def _recommend() -> str:
    items = "".join(
        f'<li><a href="/news/{n}.html">{title}</a><span>2024-03-0{n}</span></li>'
        for n, title in enumerate(RECOMMENDED, start=1)
    )
    return f'<div class="recommend"><h3>为您推荐</h3><ul>{items}</ul></div>'


def _comments() -> str:
    return (
        '<div class="comment-box"><h3>网友评论</h3>'
        '<form action="/comment/post" method="post"><textarea name="c"></textarea>'
        '<input name="nick" placeholder="昵称"><button type="submit">提交评论</button></form>'
        "<p>发表评论请遵守相关法律法规</p></div>"
    )


def _toolbar() -> str:
    return (
        '<div class="share-bar">分享到：<a href="#">微信</a><a href="#">微博</a>'
        '<a href="#">QQ空间</a> <a href="javascript:window.print()">打印本页</a></div>'
    )


def _footer() -> str:
    return (
        '<div class="footer"><p><a href="/about/">关于我们</a> | <a href="/contact/">联系方式</a>'
        "</p><p>版权所有 &copy; 2024 光明晚报社 京ICP备12345678号</p>"
        "<p>扫一扫关注我们的微信公众号</p></div>"
    )


def _sidebar() -> str:
    items = "".join(f"<li><a href='/hot/{n}.html'>{t}</a></li>" for n, t in enumerate(RECOMMENDED))
    return f'<div class="sidebar"><h3>热点排行</h3><ol>{items}</ol></div>'


def portal_page(article: PortalArticle, *, charset: str = "utf-8", layout: int = 0) -> str:
    """One article page; `layout` picks one of three portal templates."""
    title = html.escape(article.text.title)
    meta_charset = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    head = (
        f"<head>{meta_charset}<title>{title}_新闻频道_光明晚报网</title>"
        f'<meta name="keywords" content="新闻,{title}">'
        '<meta property="og:site_name" content="光明晚报网">'
        f'<link rel="stylesheet" href="/css/main.css"><script>var _hmt = [];</script></head>'
    )
    info = (
        f'<div class="info"><span class="time">{article.published}</span> '
        f"<span>来源：{article.source_name}</span> "
        f"<span>作者：{html.escape(article.text.author)}</span></div>"
    )
    body = _body(article)
    disclaimer = (
        '<div class="disclaimer">免责声明：本文仅代表作者个人观点，与本网无关。'
        "其原创性以及文中陈述文字和内容未经本站证实。</div>"
    )
    editor = '<p class="editor">（责任编辑：王小明）</p>'
    breadcrumb = (
        '<div class="crumb">您的位置：<a href="/">首页</a> &gt; <a href="/news/">新闻</a>'
        " &gt; 正文</div>"
    )
    if layout == 0:
        main = (
            f'<div class="main"><div class="left">{breadcrumb}<h1>{title}</h1>{info}'
            f'{_toolbar()}<div id="detail" class="content">{body}</div>{editor}'
            f"{disclaimer}{_recommend()}{_comments()}</div>{_sidebar()}</div>"
        )
    elif layout == 1:
        main = (
            f'<div class="wrap">{breadcrumb}<div class="article">'
            f'<h1 class="main-title">{title}</h1><div class="date-source">{info}</div>'
            f'<div class="article-body" id="artibody">{body}</div>{editor}{_toolbar()}'
            f"{disclaimer}</div>{_recommend()}{_sidebar()}{_comments()}</div>"
        )
    else:
        main = (
            f"{breadcrumb}<article><header><h1>{title}</h1>{info}</header>"
            f'<section class="article-content">{body}</section>{editor}</article>'
            f"<aside>{_sidebar()}</aside>{_toolbar()}{disclaimer}{_recommend()}{_comments()}"
        )
    return (
        f'<!DOCTYPE html><html lang="zh-CN">{head}<body><div class="top">{_nav()}</div>'
        f'{main}{_footer()}<script src="/js/stat.js"></script></body></html>'
    )
