"""Writes the Chinese CMS page corpus: `python -m tests.importer.corpus.generate`.

Every page is made up here: the article text comes from kanwu's demo text generator (our own
words), the markup imitates the article templates of DedeCMS, PHPCMS, EmpireCMS, PbootCMS,
WordPress Chinese themes and government-site platforms, each family with its own skeleton and
each page with its own encoding, date format, info-bar wording and chrome. Each page
`<family>/<name>.html` gets a sidecar `<name>.json`: the HTTP Content-Type to serve it with,
and what an import must find (title, published, source, author, paragraphs) and must not
keep (boilerplate). The bytes are committed; rerunning this script rewrites them unchanged.
"""

from __future__ import annotations

import html
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kanwu.demo.textgen import generate_article

HERE = Path(__file__).resolve().parent
TOPICS = ("news", "policy", "grassroots", "history", "theory", "notice")
OUTLETS = ("桐江日报", "岚州晚报", "青禾融媒", "云渡时报", "澄川新闻网", "霁城观察报", "望川日报")
NAMES = ("陈立新", "周晓东", "林海燕", "赵思远", "何雨婷", "吴俊峰", "郭丹凤", "沈春梅", "马德鹏")

# (format, has time, has seconds)
DATE_FORMATS: list[tuple[Callable[[datetime], str], bool, bool]] = [
    (lambda d: d.strftime("%Y-%m-%d %H:%M"), True, False),
    (lambda d: d.strftime("%Y年%m月%d日 %H:%M:%S"), True, True),
    (lambda d: f"{d.year}/{d.month}/{d.day}", False, False),
    (lambda d: d.strftime("%Y-%m-%d %H:%M:%S"), True, True),
    (lambda d: f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}", True, False),
    (lambda d: d.strftime("%Y.%m.%d %H:%M"), True, False),
    (lambda d: d.strftime("%Y-%m-%d"), False, False),
    (lambda d: d.strftime("%Y年%m月%d日"), False, False),
    (lambda d: d.strftime("%Y/%m/%d %H:%M:%S"), True, True),
]


def e(text: str) -> str:
    return html.escape(text, quote=False)


@dataclass
class Page:
    """One fixture being written: the article, then the markup the family wraps it in."""

    family: str
    index: int
    seed: int
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    headings: dict[int, str] = field(default_factory=dict)
    author: str = ""
    source: str = ""
    editor: str = ""
    when: datetime = datetime(2022, 8, 2, 9, 15, 33)  # noqa: DTZ001 - local wall time
    date_kind: int = 0
    machine_seconds: bool = False  # a machine-readable timestamp with seconds is on the page
    related: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    extra_expected: list[str] = field(default_factory=list)

    @property
    def date_text(self) -> str:
        return DATE_FORMATS[self.date_kind][0](self.when)

    @property
    def expected_when(self) -> str:
        _, has_time, has_seconds = DATE_FORMATS[self.date_kind]
        if self.machine_seconds:
            has_time = has_seconds = True
        when = self.when
        if not has_time:
            when = when.replace(hour=0, minute=0, second=0)
        elif not has_seconds:
            when = when.replace(second=0)
        return when.strftime("%Y-%m-%d %H:%M:%S")

    def chrome(self, *lines: str) -> str:
        """Note boilerplate lines (plain text) that must never reach the body; returns them
        escaped for the markup."""
        self.boilerplate.extend(lines)
        return "".join(e(line) for line in lines)


def new_page(family: str, index: int, *, date_kind: int) -> Page:
    seed = 1000 + 97 * index + sum(map(ord, family))
    rng = random.Random(seed)
    text = generate_article(rng, TOPICS[(index + len(family)) % len(TOPICS)])
    when = datetime(  # noqa: DTZ001 - local wall time
        2019 + rng.randint(0, 6), rng.randint(1, 12), rng.randint(1, 28),
        rng.randint(7, 22), rng.randint(0, 59), rng.randint(1, 59),
    )  # fmt: skip
    related_rng = random.Random(seed + 1)
    related = [generate_article(related_rng, "news").title for _ in range(4)]
    return Page(
        family=family,
        index=index,
        seed=seed,
        title=text.title,
        paragraphs=list(text.paragraphs),
        headings=dict(text.headings),
        author=rng.choice(NAMES),
        source=rng.choice(OUTLETS),
        editor=rng.choice(NAMES),
        when=when,
        date_kind=date_kind,
        related=related,
    )


# Article bodies in the ways CMS editors store them.


def body_p(page: Page, *, indent: str = 'style="text-indent:2em;"', image: str = "") -> str:
    parts: list[str] = []
    for number, paragraph in enumerate(page.paragraphs):
        if heading := page.headings.get(number):
            parts.append(f"<p {indent}><strong>{e(heading)}</strong></p>")
        parts.append(f"<p {indent}>{e(paragraph)}</p>")
        if number == 0 and image:
            parts.append(f'<p align="center"><img src="{image}" alt="" border="0" /></p>')
    return "\n".join(parts)


def body_br(page: Page) -> str:
    """DedeCMS/EmpireCMS editors of old: text, non-breaking-space indents and <br>s."""
    parts: list[str] = []
    for number, paragraph in enumerate(page.paragraphs):
        if heading := page.headings.get(number):
            parts.append(f"<b>{e(heading)}</b><br />\n")
        parts.append(f"&nbsp;&nbsp;&nbsp;&nbsp;{e(paragraph)}<br />\n<br />\n")
    return "".join(parts)


def body_div(page: Page) -> str:
    parts: list[str] = []
    for number, paragraph in enumerate(page.paragraphs):
        if heading := page.headings.get(number):
            parts.append(f'<div style="font-weight:bold">{e(heading)}</div>')
        parts.append(f"<div>\u3000\u3000{e(paragraph)}</div>")
    return "\n".join(parts)


def body_span(page: Page) -> str:
    """Pasted from a word processor: spans and fonts inside the paragraphs."""
    parts: list[str] = []
    for number, paragraph in enumerate(page.paragraphs):
        if heading := page.headings.get(number):
            parts.append(f'<h3 style="text-align:left">{e(heading)}</h3>')
        half = len(paragraph) // 2
        parts.append(
            '<p class="MsoNormal" style="line-height:150%"><span style="font-family:仿宋_GB2312;'
            f'font-size:16pt">{e(paragraph[:half])}</span><span style="font-family:仿宋_GB2312;'
            f'font-size:16pt">{e(paragraph[half:])}</span></p>'
        )
    return "\n".join(parts)


def body_table(page: Page) -> str:
    """A body ending with a table of figures."""
    rows = [
        ("项目", "数量", "备注"),
        ("参与单位", "12", "较上年增加"),
        ("服务群众", "3600", "人次"),
    ]
    page.extra_expected.extend("".join(row) for row in rows)
    cells = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return body_p(page, indent="") + f'\n<table border="1" cellspacing="0">{cells}</table>'


def related_ul(page: Page, heading: str, *, tag: str = "h3", dated: bool = False) -> str:
    page.chrome(heading)
    items = []
    for number, title in enumerate(page.related, start=1):
        page.boilerplate.append(title)
        date = f"<span>{page.when:%m-%d}</span>" if dated else ""
        items.append(f'<li><a href="/a/{page.index}{number}.html">{e(title)}</a>{date}</li>')
    return f"<{tag}>{e(heading)}</{tag}><ul>{''.join(items)}</ul>"


def prev_next(page: Page, prev: str = "上一篇：", nxt: str = "下一篇：") -> tuple[str, str]:
    first, second = page.related[0], page.related[1]
    page.boilerplate.extend([prev + first, nxt + second])
    return (
        f'{e(prev)}<a href="/p/{page.index}1.html">{e(first)}</a>',
        f'{e(nxt)}<a href="/p/{page.index}2.html">{e(second)}</a>',
    )


def icp(page: Page, prefix: str) -> str:
    return page.chrome(f"{prefix}ICP备{10000000 + page.seed}号")


DISCLAIMERS = [
    "免责声明：本站转载的文章，均来自互联网，目的在于传递更多信息，并不代表本站赞同其观点和对其"
    "真实性负责。如有侵权，请联系我们删除。",
    "版权声明：凡本网注明“来源：本网”的所有作品，版权均属本网所有，未经授权不得转载、摘编或利用"
    "其它方式使用上述作品。",
    "声明：本文内容由互联网用户自发贡献，该文观点仅代表作者本人。本站仅提供信息存储空间服务，不"
    "拥有所有权，不承担相关法律责任。",
    "特别声明：以上内容仅代表作者本人观点，不代表本网站观点或立场。",
]


# DedeCMS: "_栏目_站名" titles, <small> info bars, the body in div.content, often with the
# site's disclaimer and （责任编辑：…） inside it.


def dedecms(index: int) -> tuple[Page, str, str, str]:
    page = new_page("dedecms", index, date_kind=[0, 1, 2, 3, 4, 8][index])
    column, site = (
        ["新闻动态", "行业资讯", "本地新闻", "通知公告", "社会民生", "图片新闻"][index],
        (f"{page.source[:2]}信息网"),
    )
    title = e(page.title)
    charset, content_type = [
        ("gb2312", "text/html"),
        ("gbk", "text/html; charset=GBK"),
        ("gb2312", "text/html"),
        ("utf-8", "text/html; charset=utf-8"),
        ("gb2312", "text/html; charset=gb2312"),
        ("gbk", "text/html"),
    ][index]
    head = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />\n'
        f"<title>{title}_{column}_{site}</title>\n"
        f'<meta name="keywords" content="{column}" />\n'
        f'<meta name="description" content="{e(page.paragraphs[0][:60])}" />\n'
        '<link href="/templets/default/style/dedecms.css" rel="stylesheet" media="screen" '
        'type="text/css" />\n<script language="javascript" type="text/javascript" '
        'src="/include/dedeajax2.js"></script>\n</head>\n'
    )
    header = (
        '<div class="header"><div class="top w960 center"><div class="title">'
        f'<h1><a href="/"><img src="/templets/default/images/logo.gif" alt="{site}"/></a></h1>'
        '</div></div><div class="module blue mT10 wrapper w963"><div id="navMenu"><ul>'
        '<li><a href="/"><span>主页</span></a></li>'
        f'<li><a href="/a/news/"><span>{column}</span></a></li>'
        '<li><a href="/a/about/"><span>关于我们</span></a></li></ul></div>'
        '<div class="search"><form name="formsearch" action="/plus/search.php">'
        '<input type="text" name="q" id="search-keyword" value="在这里搜索..." />'
        "</form></div></div></div>\n"
    )
    place = (
        '<div class="place"><strong>当前位置:</strong> <a href="/">主页</a> &gt; '
        f"<a href='/a/news/'>{column}</a> &gt; </div>\n"
    )
    page.boilerplate.append(f"当前位置:主页>{column}>")
    disclaimer = page.chrome(DISCLAIMERS[index % len(DISCLAIMERS)])
    editor_line = page.chrome(
        [f"（责任编辑：{page.editor}）", f"(责任编辑:{page.editor})", f"[责任编辑：{page.editor}]"][
            index % 3
        ]
    )
    prev, nxt = prev_next(page)
    handle = (
        '<div class="boxoff"><strong>------分隔线----------------------------</strong></div>'
        f'<div class="handle"><div class="context"><ul><li>{prev}</li><li>{nxt}</li></ul></div>'
        '<div class="actbox"><ul><li id="act-fav"><a href="/plus/stow.php?aid=3">收藏</a></li>'
        '<li id="act-err"><a href="/plus/erraddsave.php?aid=3">挑错</a></li>'
        '<li id="act-pus"><a href="/plus/recommend.php?aid=3">推荐</a></li>'
        '<li id="act-pnt"><a href="#" onClick="window.print();">打印</a></li></ul></div></div>'
    )
    page.boilerplate.extend(["------分隔线----------------------------", "收藏挑错推荐打印"])
    footer = (
        '<div class="footer w960 center mt1 clear"><div class="footer_left"></div>'
        '<div class="footer_body"><p class="powered">Powered by <a href="http://www.dedecms.com">'
        "<strong>DedeCMS</strong></a> &copy; 2004-2022 DesDev Inc.<br />"
        f'<div class="copyright">Copyright &copy; 2002-2022 {site} 版权所有 '
        f"{icp(page, '浙')}</div></p></div></div>"
    )
    click = "<script src=\"/plus/count.php?view=yes&aid=3&mid=1\" type='text/javascript'></script>"
    if index == 0:
        # The known failure: div layout, h2 headline, the disclaimer and the editor inside.
        info = (
            f"<small>时间:</small>{page.date_text}<small>来源:</small>{page.source} "
            f"<small>作者:</small>{page.author} <small>点击:</small>{click} 次"
        )
        page.boilerplate.append(f"时间:{page.date_text}")
        article = (
            f'<div class="viewbox"><div class="title"><h2>{title}</h2></div>'
            f'<div class="info">{info}</div>'
            f'<div class="intro">{e(page.paragraphs[0][:60])}…</div>'
            '<div class="content"><table width="100%"><tr><td>'
            '<div id="contentMidPicAD" style="float:right; clear:both; top:0; '
            'vertical-align:top;"></div>'
            f"{body_p(page)}<p>{disclaimer}</p><p>{editor_line}</p></td></tr></table></div>"
            f"{handle}</div>"
        )
        page.boilerplate.append(page.paragraphs[0][:60] + "…")
        main = f'<div class="w960 center clear mt1"><div class="pleft">{place}{article}</div></div>'
    elif index == 1:
        # Table layout of an older template: h1 in a cell, br-separated body in a cell.
        page.author = "本站记者 " + page.author
        info = (
            f"发布时间：{page.date_text}&nbsp;&nbsp; 文章来源：{page.source}&nbsp;&nbsp; "
            f"作者：{page.author}&nbsp;&nbsp; 浏览次数：{click}"
        )
        page.boilerplate.append(f"发布时间：{page.date_text}")
        main = (
            f'<table width="960" border="0" align="center" cellpadding="0" cellspacing="0">'
            f'<tr><td height="30" class="place">{place}</td></tr>'
            f'<tr><td align="center" class="title"><h1>{title}</h1></td></tr>'
            f'<tr><td align="center" class="info" style="color:#999">{info}</td></tr>'
            f'<tr><td class="content" id="article_content" style="font-size:14px">'
            f"{body_br(page)}{editor_line}<br />\n{disclaimer}</td></tr>"
            f'<tr><td class="pages"><ul class="pagelist"></ul></td></tr>'
            f"<tr><td>{handle}</td></tr></table>"
        )
    elif index == 2:
        # div paragraphs; prev/next and share bar inside the content box.
        share = page.chrome("分享到：")
        info = (
            f"来源：{page.source}　作者：{page.author}　发布时间：{page.date_text}　"
            "点击数：<span id='hits'>128</span>"
        )
        page.boilerplate.append("点击数：128")
        main = (
            f'<div class="main">{place}<div class="article"><h1 class="arc-title">{title}</h1>'
            f'<div class="arc-info">{info}</div><div class="content" id="content">'
            f"{body_div(page)}<div>{editor_line}</div>"
            f'<div class="bdsharebuttonbox">{share}<a href="#" class="bds_weixin"></a>'
            f'<a href="#" class="bds_tsina"></a></div>'
            f'<div class="prenext"><p>{prev}</p><p>{nxt}</p></div></div></div></div>'
        )
    elif index == 3:
        # UTF-8 5.7 template with an image and a related list appended inside the body.
        info = f"{page.date_text} 来源：{page.source} 作者：{page.author} 点击：<b>356</b>次"
        related = related_ul(page, "相关文章", tag="div")
        main = (
            f'<div class="w960 center clear mt1"><div class="pleft">{place}'
            f'<div class="viewbox"><div class="title"><h1>{title}</h1></div>'
            f'<div class="info">{info}</div><div class="content">'
            f"{body_p(page, indent='', image='/uploads/allimg/220802/1-220P2091500.jpg')}"
            f'<p style="text-align:right">{editor_line}</p>'
            f'<div class="likearticle">{related}</div></div>{handle}</div></div></div>'
        )
        page.boilerplate.append("点击：356次")
    elif index == 4:
        # No headline element at all: the title lives only in <title>.
        info = f"【时间：{page.date_text}】【来源：{page.source}】【作者：{page.author}】"
        page.boilerplate.append(f"【时间：{page.date_text}】")
        main = (
            f'<div class="w960">{place}<div class="newsview">'
            f'<div class="newsinfo">{info}【字体：<a href="#">大</a> <a href="#">中</a> '
            '<a href="#">小</a>】</div>'
            f'<div class="newscont">{body_p(page)}<p>{disclaimer}</p></div>'
            f'<div class="tools"><a href="javascript:window.print()">打印本页</a> | '
            '<a href="javascript:window.close()">关闭窗口</a></div>'
            f"{handle}</div></div>"
        )
        page.boilerplate.extend(["打印本页", "关闭窗口", "【字体：大中小】"])
    else:
        # Table layout, h2, the author labelled 撰稿, the editor as 编辑.
        info = (
            f"更新时间：{page.date_text} &nbsp;来源：<a href='/'>{page.source}</a> &nbsp;"
            f"撰稿：{page.author} &nbsp;编辑：{page.editor}"
        )
        main = (
            '<table width="100%" cellpadding="0" cellspacing="0"><tr>'
            '<td width="240" valign="top" class="left"><ul><li><a href="/a/1/">公司新闻</a></li>'
            '<li><a href="/a/2/">行业新闻</a></li></ul></td><td valign="top">'
            f"{place}<table width='100%'><tr><td align='center'><h2>{title}</h2></td></tr>"
            f"<tr><td align='center' class='info'>{info}</td></tr>"
            f"<tr><td class='content'>{body_table(page)}<p>{disclaimer}</p></td></tr></table>"
            f"{handle}</td></tr></table>"
        )
        page.boilerplate.append(f"更新时间：{page.date_text}")
    document = f"{head}<body class='articleview'>{header}{main}{footer}</body></html>"
    return page, document, charset, content_type


# PHPCMS v9: "标题 - 栏目 - 站名", the info bar inside the h1 (default template), #Article.


def phpcms(index: int) -> tuple[Page, str, str, str]:
    page = new_page("phpcms", index, date_kind=[3, 0, 1, 5, 2, 4][index])
    column, site = ["国内", "财经", "文化", "教育", "体育", "科技"][index], f"{page.source[:2]}在线"
    title = e(page.title)
    charset, content_type = [
        ("utf-8", "text/html; charset=utf-8"),
        ("gbk", "text/html"),
        ("utf-8", "text/html"),
        ("gbk", "text/html; charset=gbk"),
        ("utf-8", "text/html; charset=UTF-8"),
        ("gb2312", "text/html"),
    ][index]
    head = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head>\n'
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />\n'
        '<meta http-equiv="X-UA-Compatible" content="IE=7" />\n'
        f"<title>{title} - {column} - {site}</title>\n"
        f'<meta name="keywords" content="{column}">\n'
        '<link href="/statics/css/reset.css" rel="stylesheet" type="text/css" />\n'
        '<link href="/statics/css/default_blue.css" rel="stylesheet" type="text/css" />\n'
        '<script type="text/javascript" src="/statics/js/jquery.min.js"></script>\n</head>\n'
    )
    header = (
        '<div class="header"><div class="logo"><a href="/"><img src="/statics/images/v9/logo.jpg"'
        f' /></a></div><div class="link"><a href="/index.php?m=member">登录</a> | '
        '<a href="/index.php?m=member&a=register">注册</a></div></div>'
        '<div class="nav-bar"><map><ul class="nav-site cu-span"><li><a href="/"><span>首页</span>'
        f'</a></li><li class="line">|</li><li><a href="/list-1-1.html"><span>{column}</span></a>'
        "</li></ul></map></div>\n"
    )
    crumbs = (
        f'<div class="crumbs"><a href="/">首页</a><span> &gt; </span><a href="/list-1-1.html">'
        f"{column}</a> &gt;  正文</div>\n"
    )
    page.boilerplate.append(f"首页>{column}>正文")
    prev, nxt = prev_next(page)
    share = page.chrome("分享到：")
    bdshare = (
        f'<div class="bdshare_t bds_tools get-codes-bdshare" id="bdshare"><span class="bds_more">'
        f'{share}</span><a class="bds_qzone"></a><a class="bds_tsina"></a><a class="bds_tqq"></a>'
        "</div>"
    )
    footer = (
        '<div class="footer"><p class="info"><a href="/html/about/about/">关于我们</a> | '
        '<a href="/html/about/contactus/">联系方式</a> | <a href="/html/about/copyright/">版权声明'
        f"</a></p><p>Powered by <strong>PHPCMS v9</strong> &copy; 2022 {icp(page, '京')}</p></div>"
    )
    page.boilerplate.append("版权声明")
    comment = (
        '<div class="comment"><h4>发表评论</h4><iframe src="/index.php?m=comment&c=index&a=init" '
        'width="100%" height="100%" id="comment_iframe" frameborder="0" scrolling="no"></iframe>'
        "</div>"
    )
    page.boilerplate.append("发表评论")
    if index == 0:
        # The default v9 show.html: the info bar is a span inside the h1.
        span = (
            f"<span>{page.date_text}&nbsp;&nbsp;&nbsp;来源：{page.source}&nbsp;&nbsp;&nbsp;"
            f'作者：{page.author}&nbsp;&nbsp;&nbsp;评论：<a href="#comment_iframe" '
            'id="comment">0</a> 点击：<span id="hits"></span></span>'
        )
        article = (
            f'<div id="Article"><h1>{title}<br/>{span}</h1>'
            f'<div class="content">{body_p(page, indent="")}'
            '<div id="pages" class="text-c"></div>'
            f'<p style="color:#93A1A1;font-size:12px;margin-bottom:20px;">'
            f"{page.chrome(f'（编辑：{page.editor}）')}</p>"
            f'</div><p class="f14"><strong>{prev}</strong><br /><strong>{nxt}</strong></p>'
            f"{bdshare}{comment}</div>"
        )
        page.boilerplate.append(f"{page.date_text}来源：{page.source}")
    elif index == 1:
        # phpcms 2008 style: h2 title div, a summary box, body with a <font> wrapper.
        info = (
            f"发布时间：{page.date_text} &nbsp; 来源：{page.source} &nbsp; 作者：{page.author} "
            "&nbsp; 浏览：<span id='hits'>89</span>次 &nbsp; 【<a href='javascript:doZoom(16)'>"
            "大</a> <a href='javascript:doZoom(14)'>中</a> <a href='javascript:doZoom(12)'>小"
            "</a>】"
        )
        page.boilerplate.extend(["浏览：89次", "【大中小】"])
        article = (
            f'<div class="main"><div class="col-left"><div id="Article">'
            f'<div class="title"><h2>{title}</h2></div><div class="info">{info}</div>'
            f'<div class="content" id="Article_content"><font style="font-size:14px">'
            f"{body_p(page)}</font>"
            f"<p>{page.chrome(f'责任编辑：{page.editor}')}</p></div>"
            f'<div class="pn"><ul><li>{prev}</li><li>{nxt}</li></ul></div>'
            f'<div class="print"><a href="javascript:window.print();">[打印本页]</a> '
            '<a href="javascript:window.close();">[关闭窗口]</a></div></div></div></div>'
        )
        page.boilerplate.extend(["[打印本页]", "[关闭窗口]"])
    elif index == 2:
        # Date only in the info bar, source linked, 相关阅读 and a copyright box below.
        info = (
            f'<span class="time">{page.date_text}</span> <span class="from">来源：'
            f'<a href="http://www.example.com/">{page.source}</a></span> '
            f'<span class="author">作者：{page.author}</span>'
        )
        article = (
            f'{crumbs}<div id="Article"><h1>{title}</h1><div class="info">{info}</div>'
            f'<div class="content">{body_span(page)}</div>'
            f'<div class="copyright">{page.chrome(DISCLAIMERS[1])}</div>'
            f'<div class="related">{related_ul(page, "相关阅读", tag="h5", dated=True)}</div>'
            f"{bdshare}</div>"
        )
    elif index == 3:
        # Table layout; the info bar is a table row; 上一条/下一条.
        prev, nxt = prev_next(page, "上一条：", "下一条：")
        info = (
            f"{page.date_text}&nbsp;&nbsp;&nbsp;&nbsp;信息来源：{page.source}&nbsp;&nbsp;"
            f"&nbsp;&nbsp;作者：{page.author}&nbsp;&nbsp;&nbsp;&nbsp;阅读：<span id='hits'>"
            "2631</span>"
        )
        page.boilerplate.append("阅读：2631")
        article = (
            f'<table width="980" align="center"><tr><td>{crumbs}</td></tr>'
            f'<tr><td class="title" align="center"><h1 style="font-size:22px">{title}</h1></td>'
            f'</tr><tr><td class="info" align="center">{info}</td></tr>'
            f'<tr><td id="Article_content" class="content">{body_table(page)}</td></tr>'
            f"<tr><td>{prev}<br>{nxt}</td></tr><tr><td>{bdshare}</td></tr></table>"
        )
    elif index == 4:
        # The title only in <title>: the page shows no headline element.
        info = f"日期：{page.date_text}　来源：{page.source}　作者：{page.author}"
        article = (
            f'{crumbs}<div id="Article"><div class="info">{info}</div>'
            f'<div class="content">{body_p(page)}</div>'
            f'<div class="related"><div class="hd">{page.chrome("延伸阅读")}</div><ul>'
            + "".join(
                f'<li><a href="/a/{n}.html">{e(t)}</a></li>' for n, t in enumerate(page.related)
            )
            + f"</ul></div>{comment}</div>"
        )
        page.boilerplate.extend(page.related)
    else:
        # Wide template: h1 with an editor's subtitle span, meta line with 丨 separators.
        info = (
            f"{page.date_text} 丨 来源：{page.source} 丨 作者：{page.author} 丨 责编：{page.editor}"
        )
        page.boilerplate.append(f"责编：{page.editor}")
        article = (
            f'{crumbs}<div class="arc-main"><div class="arc-hd"><h1 class="arc-tit">{title}</h1>'
            f'<p class="arc-meta">{info}</p></div><div class="arc-bd content">'
            f"{body_p(page, image='/uploadfile/2022/0802/20220802091533123.jpg')}</div>"
            f'<div class="arc-ft"><p>{page.chrome("打印")} | {page.chrome("关闭")}</p>'
            f'<ul class="pn"><li>{prev}</li><li>{nxt}</li></ul></div>{bdshare}</div>'
        )
    main = f'<div class="main">{crumbs if index in (0, 1) else ""}{article}</div>'
    document = f"{head}<body>{header}{main}{footer}</body></html>"
    return page, document, charset, content_type


# EmpireCMS (帝国CMS): nested tables, td#text or div.newstext, 【字体：大 中 小】, click counter
# script, 打印本文/关闭窗口 rows and 相关信息 lists.


def empirecms(index: int) -> tuple[Page, str, str, str]:
    page = new_page("empirecms", index, date_kind=[3, 1, 0, 6, 8, 4][index])
    column, site = (
        ["新闻中心", "学校新闻", "企业动态", "政策法规", "综合新闻", "专题报道"][index],
        (f"{page.source[:2]}网"),
    )
    title = e(page.title)
    charset, content_type = [
        ("gb2312", "text/html; charset=gb2312"),
        ("utf-8", "text/html; charset=utf-8"),
        ("gbk", "text/html"),
        ("utf-8", "text/html"),
        ("gb2312", "text/html"),
        ("utf-8", "text/html; charset=utf-8"),
    ][index]
    separator = ["_", " - ", "_", "-", "--", "_"][index]
    head = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{title}{separator}{site}</title>"
        f'<meta name="keywords" content="{title}" /><meta name="description" '
        f'content="{e(page.paragraphs[0][:50])}" />'
        '<link href="/skin/default/css/style.css" rel="stylesheet" type="text/css" />'
        '<script type="text/javascript" src="/skin/default/js/tabs.js"></script></head>'
    )
    header = (
        '<table width="100%" border="0" cellspacing="0" cellpadding="0" class="top"><tr><td>'
        '<table width="920" align="center"><tr><td width="50%"><a href="/">'
        f'<img src="/skin/default/images/logo.gif" alt="{site}" /></a></td>'
        '<td align="right"><a href="/e/member/login/">登录</a> | <a href="/e/member/register/">'
        "注册</a></td></tr></table></td></tr></table>"
        '<table width="920" align="center" class="nav"><tr><td class="nav_global"><ul>'
        f'<li class="curr"><a href="/">首页</a></li><li><a href="/news/">{column}</a></li>'
        '<li><a href="/download/">下载</a></li></ul></td></tr></table>'
    )
    position = (
        '<table width="100%" border="0" cellspacing="0" cellpadding="0" class="position"><tr><td>'
        f'现在的位置：<a href="/">首页</a>&nbsp;>&nbsp;<a href="/news/">{column}</a></td></tr>'
        "</table>"
    )
    page.boilerplate.append(f"现在的位置：首页>{column}")
    click = "<script src=/e/public/ViewClick/?classid=2&id=5&addclick=1></script>"
    prev, nxt = prev_next(page)
    footer = (
        '<table width="100%" class="copyright"><tr><td><a href="/">网站首页</a> | '
        '<a href="#">关于我们</a> | <a href="#">联系我们</a><br />Powered by <strong>'
        '<a href="http://www.phome.net" target="_blank">EmpireCMS</a></strong> '
        f"{icp(page, '粤')}</td></tr></table>"
    )
    if index in (0, 2, 4):
        # The default news template: title_info table, td#text body.
        fonts = (
            '【<a href="#ecms" onclick="javascript:doZoom(14)">小</a> '
            '<a href="#ecms" onclick="javascript:doZoom(16)">中</a> '
            '<a href="#ecms" onclick="javascript:doZoom(18)">大</a>】'
        )
        page.boilerplate.append("【小中大】")
        if index == 0:
            info = (
                f"{page.date_text}&nbsp;&nbsp;&nbsp;来源：{page.source}&nbsp;&nbsp;&nbsp;"
                f"作者：{page.author}&nbsp;&nbsp;&nbsp;{fonts}&nbsp;&nbsp;点击：{click}次"
            )
            body = body_p(page)
        elif index == 2:
            info = (
                f"发布时间：{page.date_text}　　信息来源：{page.source}　　"
                f"作者：{page.author}　　{fonts}　　浏览次数：{click}"
            )
            body = body_br(page)
        else:
            page.author = f"{page.author} {page.editor}"
            info = (
                f"作者：{page.author}&nbsp; 来源：{page.source}&nbsp; 时间：{page.date_text}"
                f"&nbsp; {fonts}"
            )
            body = body_div(page)
        content = (
            '<table width="100%" border="0" cellpadding="0" cellspacing="6" class="main"><tr>'
            f'<td valign="top">{position}<table width="100%" class="box"><tr><td>'
            '<table width="100%" border="0" cellspacing="0" cellpadding="0" class="title_info">'
            f'<tr><td><h1>{title}</h1></td></tr><tr><td class="info_text">{info}</td></tr>'
            '</table><table width="100%" border="0" cellpadding="0" cellspacing="0">'
            f'<tr><td id="text">{body}<div class="ecms-page"></div></td></tr></table>'
            '<table width="100%" class="share"><tr><td>'
            f'{page.chrome("分享到：")}<a href="#">微信</a> <a href="#">微博</a></td></tr></table>'
            f"<table width='100%'><tr><td>{prev}<br />{nxt}</td></tr></table>"
            "<table width='100%'><tr><td align='right'>[<a href='#ecms' "
            "onclick='window.print();'>打印本文</a>] [<a href='javascript:window.close()'>"
            "关闭窗口</a>]</td></tr></table></td></tr></table>"
            f'<table width="100%" class="box"><tr><td class="title">{page.chrome("相关信息")}</td>'
            "</tr><tr><td><ul>"
            + "".join(
                f'<li><a href="/n/{n}.html">{e(t)}</a></li>' for n, t in enumerate(page.related)
            )
            + "</ul></td></tr></table></td>"
            '<td width="300" valign="top" class="sider"><table class="box"><tr><td class="title">'
            "热门排行</td></tr><tr><td><ol><li><a href='/n/1.html'>本月热点一</a></li></ol>"
            "</td></tr></table></td></tr></table>"
        )
        page.boilerplate.extend(["[打印本文]", "[关闭窗口]", *page.related])
    elif index == 1:
        # Div template: div.newstext, meta in p.newsinfo, editor at the end of the text.
        info = (
            f"<span>发布日期：{page.date_text}</span><span>来源：{page.source}</span>"
            f"<span>作者：{page.author}</span><span>浏览：{click}次</span>"
        )
        content = (
            f'<div class="wrap"><div class="location">{position}</div><div class="newsdetail">'
            f'<h2 class="newstitle">{title}</h2><p class="newsinfo">{info}</p>'
            f'<div class="newstext">{body_p(page, indent="")}'
            f"<p>{page.chrome(f'责任编辑：{page.editor}')}</p></div>"
            f'<div class="prenext"><span>{prev}</span><span>{nxt}</span></div>'
            f'<div class="xgxw"><h4>{page.chrome("相关新闻")}</h4><ul>'
            + "".join(
                f'<li><a href="/n/{n}.html">{e(t)}</a></li>' for n, t in enumerate(page.related)
            )
            + "</ul></div></div></div>"
        )
        page.boilerplate.extend(page.related)
    elif index == 3:
        # Date only; the source and author printed after the body, not in the info bar.
        content = (
            f'<div class="container">{position}<div class="show"><div class="show-title">'
            f'<h1>{title}</h1></div><div class="show-date">{page.date_text} '
            f"{page.chrome('点击：')}{click}</div>"
            f'<div class="show-body" id="text">{body_table(page)}'
            f'<p style="text-align:right">（来源：{page.source}　作者：{page.author}）</p></div>'
            f'<div class="show-page">{prev}<br/>{nxt}</div></div></div>'
        )
        page.boilerplate.append(f"（来源：{page.source}　作者：{page.author}）")
    else:
        # Subtitle line, meta as a definition list, QR code box.
        info = (
            f"<dl class='meta'><dt>时间：</dt><dd>{page.date_text}</dd><dt>来源：</dt>"
            f"<dd>{page.source}</dd><dt>作者：</dt><dd>{page.author}</dd></dl>"
        )
        content = (
            f'<div class="wrap">{position}<div class="article"><h1>{title}</h1>{info}'
            f'<div class="article-text">{body_p(page, image="/d/file/p/2022-08-02/a.jpg")}</div>'
            f'<div class="qrcode"><img src="/qr.png"/><p>{page.chrome("扫一扫在手机上阅读")}</p>'
            f"</div><div class='page-nav'>{prev}<br />{nxt}</div></div></div>"
        )
    document = f"{head}<body>{header}{content}{footer}</body></html>"
    return page, document, charset, content_type


# PbootCMS: Bootstrap templates, the column name in a banner h1 above the article's h2/h3,
# "时间：… 访问量：…" under the title, "上一篇：…/下一篇：没有了！".


def pbootcms(index: int) -> tuple[Page, str, str, str]:
    page = new_page("pbootcms", index, date_kind=[3, 0, 4, 1, 2, 5][index])
    column, site = (
        ["新闻中心", "公司动态", "行业资讯", "案例展示", "新闻资讯", "技术文章"][index],
        (f"{page.source[:2]}科技有限公司"),
    )
    title = e(page.title)
    charset, content_type = "utf-8", ["text/html; charset=utf-8", "text/html"][index % 2]
    separator = ["-", "_", " - ", "-", "_", "|"][index]
    head = (
        '<!doctype html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">\n'
        f"<title>{title}{separator}{site}</title>\n"
        f'<meta name="keywords" content="{column}">\n'
        f'<meta name="description" content="{e(page.paragraphs[0][:40])}">\n'
        '<link rel="stylesheet" href="/template/default/bootstrap/css/bootstrap.min.css">\n'
        '<link rel="stylesheet" href="/template/default/css/aoyun.css?v=v1.3.5">\n'
        '<script src="/template/default/js/jquery-1.12.4.min.js"></script>\n</head>\n'
    )
    navbar = (
        '<nav class="navbar navbar-light bg-light fixed-top navbar-expand-lg shadow-sm">'
        '<div class="container"><a class="navbar-brand my-1" href="/"><img src="/static/upload/'
        f'image/20220802/logo.png" class="logo-sm-height" height="50"></a><div class="collapse '
        'navbar-collapse justify-content-end" id="navbarNav"><ul class="navbar-nav">'
        '<li class="nav-item"><a class="nav-link" href="/">首页</a></li>'
        f'<li class="nav-item active"><a class="nav-link" href="/news/">{column}</a></li>'
        '<li class="nav-item"><a class="nav-link" href="/about/">关于我们</a></li>'
        "</ul></div></div></nav>"
    )
    banner = (
        '<div class="head-sm-height"></div><div class="jumbotron jumbotron-fluid mb-2" '
        'style="background:#e9ecef url(/static/upload/image/banner.jpg);background-size:cover;">'
        f'<div class="container text-light"><h1 class="fs-18 fs-sm-26 wow fadeInDown">{column}'
        '</h1><p class="fs-14 fs-sm-18 wow fadeInDown">'
        f"{page.chrome('专业、高效、诚信，为客户创造价值')}</p></div></div>"
    )
    position = (
        '<div class="position text-secondary border-bottom pb-2 mb-3">当前位置：'
        f'<a href="/">首页</a> &gt; <a href="/news/">{column}</a> &gt;</div>'
    )
    page.boilerplate.append(f"当前位置：首页>{column}>")
    prev, nxt = prev_next(page)
    nothing = page.chrome("下一篇：没有了！")
    footer = (
        '<div class="footer mt-3 pt-5 border-top text-secondary bg-light"><div class="container">'
        '<div class="row pb-5"><div class="col-12 col-md-5"><h5>'
        f'{site}</h5><ul class="lh-2"><li>营业执照：91350100M000100Y43</li>'
        "<li>地址：某某省某某市某某区某某路88号</li><li>电话：0591-88888888</li></ul></div>"
        '</div></div><div class="copyright border-top lh-3 text-center d-none d-md-block">'
        f'Copyright © 2022 {site} 版权所有 <a href="http://beian.miit.gov.cn/" rel="nofollow">'
        f"{icp(page, '闽')}</a></div></div>"
    )
    page.boilerplate.append("营业执照：91350100M000100Y43")
    if index == 0:
        meta = (
            '<div class="text-center border-bottom text-secondary pb-2 mb-3">'
            f"作者：{page.author} &nbsp;&nbsp;来源：{page.source} &nbsp;&nbsp;"
            f"时间：{page.date_text} &nbsp;&nbsp;访问量：1024</div>"
        )
        article = (
            f'<h2 class="text-center fs-sm-28 fs-20 mt-3">{title}</h2>{meta}'
            f'<div class="content">{body_p(page, indent="")}</div>'
            f'<div class="text-secondary lh-2"><p>{prev}</p><p>{nothing}</p></div>'
        )
        page.boilerplate.append("访问量：1024")
    elif index == 1:
        meta = (
            f'<p class="meta">发布时间：{page.date_text} | 来源：{page.source} | '
            f"作者：{page.author} | 浏览：<span>88</span>次</p>"
        )
        article = (
            f'<div class="row"><div class="col-12 col-md-9"><div class="news-detail">'
            f'<h3 class="title">{title}</h3>{meta}<div class="news-content">'
            f"{body_p(page, image='/static/upload/image/20220802/1659402933.jpg')}"
            f"</div><div class='share'>{page.chrome('分享到：')}<a class='wx'>微信</a></div>"
            f'<ul class="prev-next"><li>{prev}</li><li>{nxt}</li></ul></div></div>'
            '<div class="col-12 col-md-3"><div class="sidebar"><h4>推荐内容</h4><ul>'
            + "".join(
                f'<li><a href="/r/{n}.html">{e(t)}</a></li>' for n, t in enumerate(page.related)
            )
            + "</ul></div></div></div>"
        )
        page.boilerplate.append("浏览：88次")
    elif index == 2:
        # Date with 年月日, the source in a badge, the editor at the end of the content.
        meta = (
            f'<div class="info"><span class="badge badge-light">{page.source}</span> '
            f"<span>来源：{page.source}</span> <span>作者：{page.author}</span> "
            f"<span>{page.date_text}</span></div>"
        )
        article = (
            f'<h2 class="text-center mt-3">{title}</h2>{meta}'
            f'<div class="content">{body_div(page)}'
            f"<p>{page.chrome(f'编辑：{page.editor}')}</p></div>"
            f'<div class="text-secondary lh-2"><p>{prev}</p><p>{nxt}</p></div>'
        )
    elif index == 3:
        # Case page: a related list in the content column, the text with a table.
        meta = (
            f'<div class="text-center text-secondary">时间：{page.date_text}&nbsp;&nbsp;'
            f"来源：{page.source}&nbsp;&nbsp;作者：{page.author}&nbsp;&nbsp;"
            "点击量：<span id='visits'>312</span></div>"
        )
        article = (
            f'<h2 class="text-center mt-3 mb-3">{title}</h2>{meta}<div class="content">'
            f'{body_table(page)}</div><div class="mt-4"><h5>{page.chrome("相关推荐")}</h5>'
            '<div class="row">'
            + "".join(
                f'<div class="col-6"><a href="/case/{n}.html">{e(t)}</a></div>'
                for n, t in enumerate(page.related)
            )
            + f'</div></div><div class="text-secondary lh-2"><p>{prev}</p><p>{nothing}</p></div>'
        )
        page.boilerplate.extend([*page.related, "点击量：312"])
    elif index == 4:
        # Headline as a div.title; the date alone on a line, 来源/作者 after the text.
        article = (
            f'<div class="news-box"><div class="news-title">{title}</div>'
            f'<div class="news-date">{page.date_text}</div><div class="news-text">'
            f"{body_p(page)}<p>文章来源：{page.source}</p><p>作者：{page.author}</p>"
            f"<p>{page.chrome(DISCLAIMERS[2])}</p></div>"
            f'<div class="page-turn"><p>{prev}</p><p>{nxt}</p></div></div>'
        )
        page.boilerplate.extend([f"文章来源：{page.source}", f"作者：{page.author}"])
    else:
        # Source without author: author stays empty.
        meta = (
            f'<ul class="list-inline text-secondary"><li class="list-inline-item">'
            f'<i class="fa fa-clock-o"></i> {page.date_text}</li><li class="list-inline-item">'
            f'来源：{page.source}</li><li class="list-inline-item">阅读：<span>77</span></li></ul>'
        )
        page.author = ""
        article = (
            f'<h2 class="text-center mt-3">{title}</h2>{meta}<div class="content">'
            f"{body_span(page)}</div>"
            f'<div class="text-secondary lh-2"><p>{prev}</p><p>{nxt}</p></div>'
        )
        page.boilerplate.append("阅读：77")
    main = f'<div class="container pages">{position}{article}</div>'
    document = f"{head}<body>{navbar}{banner}{main}{footer}</body></html>"
    return page, document, charset, content_type


# WordPress with Chinese themes (Begin, 知更鸟, JustNews-like, Git-like, twenty*): entry-title,
# single-meta, entry-content with a 版权声明 box, share buttons, post navigation, related posts.


def wordpress(index: int) -> tuple[Page, str, str, str]:
    page = new_page("wordpress", index, date_kind=[1, 3, 4, 0, 7, 8][index])
    site = ["青禾笔记", "云渡博客", "澄川观察", "桐江技术分享", "岚州生活志", "望川随笔"][index]
    title = e(page.title)
    charset, content_type = "utf-8", "text/html; charset=UTF-8"
    separator = [" - ", " | ", " – ", "_", " - ", " | "][index]
    og = ""
    if index in (0, 2, 4):
        page.machine_seconds = True
        og = (
            '<meta property="og:type" content="article" />'
            f'<meta property="og:title" content="{title}" />'
            f'<meta property="og:site_name" content="{site}" />'
            f'<meta property="article:published_time" content="{page.when:%Y-%m-%dT%H:%M:%S}'
            '+08:00" />'
        )
    head = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="UTF-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}{separator}{site}</title>\n{og}\n"
        "<link rel='stylesheet' id='wp-block-library-css' href='/wp-includes/css/dist/"
        "block-library/style.min.css?ver=6.0.1' media='all' />\n"
        "<script src='/wp-includes/js/jquery/jquery.min.js?ver=3.6.0' id='jquery-core-js'>"
        "</script>\n</head>\n"
    )
    nav = (
        '<header id="masthead" class="site-header"><div class="site-branding">'
        f'<p class="site-title"><a href="/" rel="home">{site}</a></p>'
        f'<p class="site-description">{page.chrome("记录生活，分享点滴")}</p></div>'
        '<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">'
        '<li class="menu-item"><a href="/">首页</a></li><li class="menu-item">'
        '<a href="/category/note/">笔记</a></li><li class="menu-item"><a href="/about/">关于'
        "</a></li></ul></nav></header>"
    )
    prev, nxt = prev_next(page)
    copyright_box = page.chrome(
        f"版权声明：本文为{site}原创文章，转载请注明出处。",
        f"本文链接：https://blog.example.com/{page.seed}.html",
    )
    share = page.chrome("分享到：")
    comments = (
        '<div id="comments" class="comments-area"><div id="respond" class="comment-respond">'
        f'<h3 id="reply-title" class="comment-reply-title">{page.chrome("发表回复")}</h3>'
        '<form action="/wp-comments-post.php" method="post" id="commentform">'
        '<p class="comment-notes">您的电子邮箱地址不会被公开。</p><textarea id="comment" '
        'name="comment"></textarea><input name="submit" type="submit" value="发表评论" />'
        "</form></div></div>"
    )
    footer = (
        '<footer id="colophon" class="site-footer"><div class="site-info">'
        f'Copyright © 2022 {site} · 自豪地采用 <a href="https://cn.wordpress.org/">WordPress</a>'
        f' · <a href="https://beian.miit.gov.cn/">{icp(page, "苏")}-1</a></div></footer>'
    )
    page.boilerplate.append("自豪地采用WordPress")
    if index == 0:
        # Begin-style: single-meta spans, views, 版权声明 box inside the entry content.
        page.source = site
        meta = (
            f'<div class="begin-single-meta"><span class="my-date"><i class="be be-schedule">'
            f'</i> {page.date_text}</span><span class="comment"> 3 条评论</span>'
            f'<span class="views"><i class="be be-eye"></i> 阅读 1,234</span>'
            f'<span class="author-meta">作者：<a href="/author/a/">{page.author}</a></span></div>'
        )
        page.boilerplate.extend(["阅读1,234", "3条评论"])
        article = (
            f'<article id="post-{page.seed}" class="post-{page.seed} post type-post">'
            f'<header class="entry-header"><h1 class="entry-title">{title}</h1></header>'
            f'{meta}<div class="entry-content"><div class="single-content">'
            f'{body_p(page, indent="")}</div><div class="clear"></div>'
            f'<div class="copyright-post"><p>{copyright_box}</p></div>'
            f'<div class="share-area"><span class="share-tip">{share}</span>'
            '<a class="share-wx">微信</a></div></div></article>'
            f'<nav class="nav-single"><span class="meta-nav">{prev}</span>'
            f'<span class="meta-nav">{nxt}</span></nav>'
            f'<div class="related-posts">{related_ul(page, "相关文章")}</div>{comments}'
        )
    elif index == 1:
        # twenty*-style: entry-meta with posted-on and byline, 转载 source in the text head.
        page.source = page.source
        meta = (
            '<div class="entry-meta"><span class="posted-on">发布于 <a href="/2022/08/02/"'
            f' rel="bookmark"><time class="entry-date published">{page.date_text}</time></a>'
            f'</span><span class="byline"> 作者 <span class="author vcard"><a class="url fn n"'
            f' href="/author/u/">{page.author}</a></span></span></div>'
        )
        article = (
            f'<article id="post-{page.seed}" class="post type-post hentry">'
            f'<header class="entry-header"><h1 class="entry-title">{title}</h1>{meta}</header>'
            f'<div class="entry-content"><p>{page.chrome(f"转载来源：{page.source}")}</p>'
            f"{body_p(page, indent='')}</div>"
            f'<footer class="entry-footer"><span class="cat-links">{page.chrome("发布在")} '
            '<a href="/category/n/" rel="category tag">笔记</a></span> <span class="tags-links">'
            f'{page.chrome("标签：")}<a href="/tag/t/" rel="tag">生活</a></span></footer></article>'
            '<nav class="navigation post-navigation"><div class="nav-links">'
            f'<div class="nav-previous">{prev}</div><div class="nav-next">{nxt}</div></div></nav>'
            f"{comments}"
        )
        page.boilerplate.append("作者" + page.author)
    elif index == 2:
        # 知更鸟-style: <span class="date">, 来源/作者 in the meta row, related thumbnails.
        meta = (
            f'<div class="single-meta"><span class="date">{page.date_text}</span>'
            f'<span class="source">来源：{page.source}</span>'
            f'<span class="author">作者：{page.author}</span>'
            '<span class="views">浏览：456次</span></div>'
        )
        page.boilerplate.append("浏览：456次")
        article = (
            f'<div id="primary"><main id="main"><article class="post">'
            f'<header class="single-header"><h1 class="single-title">{title}</h1>{meta}</header>'
            f'<div class="single-content">{body_span(page)}'
            f'<div class="single-copyright">{copyright_box}</div></div>'
            f'<div class="post-nav"><p>{prev}</p><p>{nxt}</p></div>'
            f'<div class="related-img">{related_ul(page, "猜你喜欢", tag="h4")}</div>'
            f"</article></main></div>"
        )
    elif index == 3:
        # JustNews-style: JSON-LD, entry-info with 发布时间, a reprint notice at the end.
        page.source = site
        ld = json.dumps(
            {
                "@context": "https://schema.org",
                "@type": "Article",
                "headline": page.title,
                "datePublished": page.when.strftime("%Y-%m-%dT%H:%M:00+08:00"),
            },
            ensure_ascii=False,
        )
        meta = (
            f'<div class="entry-info"><a href="/author/x/" class="nickname">{page.author}</a>'
            f'<span class="dot">•</span><span>发布时间：{page.date_text}</span>'
            '<span class="dot">•</span><span>阅读 2.1K</span></div>'
        )
        page.boilerplate.append("阅读2.1K")
        article = (
            f'<script type="application/ld+json">{ld}</script>'
            f'<div class="entry"><div class="entry-head"><h1 class="entry-title">{title}</h1>'
            f'{meta}</div><div class="entry-content">{body_table(page)}'
            f"<p>{page.chrome('转载请注明出处，谢谢合作。')}</p></div>"
            f'<div class="entry-bar"><div class="info"><span>{page.chrome("点赞")}</span>'
            f"<span>{share}</span></div></div>"
            f'<div class="entry-page"><p>{prev}</p><p>{nxt}</p></div>'
            f'<div class="entry-related">{related_ul(page, "相关推荐", tag="h3")}</div></div>'
        )
    elif index == 4:
        # Git-style theme: title in h2.article-title, date only, 版权声明 as a blockquote.
        meta = (
            f'<ul class="article-meta"><li>{page.author} 发布于 {page.date_text}</li>'
            f'<li>分类：<a href="/c/">随笔</a></li><li>阅读({page.seed})</li>'
            f"<li>评论(0)</li></ul>"
        )
        page.boilerplate.extend([f"阅读({page.seed})", "评论(0)"])
        page.source = site
        article = (
            '<div class="content-wrap"><div class="content"><header class="article-header">'
            f'<h2 class="article-title"><a href="/{page.seed}.html">{title}</a></h2>{meta}'
            f'</header><article class="article-content">{body_p(page, indent="")}'
            f"<blockquote>{copyright_box}</blockquote></article>"
            f'<div class="article-social">{share}</div>'
            f'<nav class="article-nav"><span class="article-nav-prev">{prev}</span>'
            f'<span class="article-nav-next">{nxt}</span></nav>'
            f'<div class="relates"><div class="title"><h3>{page.chrome("相关推荐")}</h3></div><ul>'
            + "".join(
                f'<li><a href="/r{n}.html">{e(t)}</a></li>' for n, t in enumerate(page.related)
            )
            + "</ul></div></div></div>"
        )
        page.boilerplate.extend(page.related)
    else:
        # No og tags, title only in <title> with " | 站名"; a reprint source line at the top.
        meta = (
            f'<div class="post-meta"><span>{page.date_text}</span><span> / </span>'
            f"<span>作者：{page.author}</span><span> / </span><span>来源：{page.source}</span>"
            "</div>"
        )
        article = (
            f'<div class="post-single">{meta}<div class="post-content">{body_div(page)}</div>'
            f'<div class="post-copyright">{copyright_box}</div>'
            f'<div class="post-share">{share}</div><div class="post-nav">{prev} {nxt}</div>'
            f"</div>{comments}"
        )
    sidebar = (
        '<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">'
        f'<h2 class="widget-title">{page.chrome("近期文章")}</h2><ul>'
        + "".join(f'<li><a href="/w{n}.html">{e(t)}</a></li>' for n, t in enumerate(page.related))
        + "</ul></section></aside>"
    )
    document = (
        f'{head}<body class="post-template-default single single-post">{nav}'
        f'<div id="content" class="site-content">{article}{sidebar}</div>{footer}</body></html>'
    )
    return page, document, charset, content_type


# Government sites (TRS WCM / 集约化平台 templates): the article meta tags, 发布时间/来源/
# 浏览次数/【字体：大 中 小】 bars, #zoom/.TRS_Editor bodies, 【打印本页】【关闭窗口】, 相关链接,
# 主办/承办 footers with 网站标识码, ICP and 公网安备 numbers.


def gov(index: int) -> tuple[Page, str, str, str]:
    page = new_page("gov", index, date_kind=[0, 3, 7, 1, 5, 2][index])
    city = ["桐江市", "岚州市", "青禾县", "云渡区", "澄川市", "霁城县"][index]
    site, column = (
        f"{city}人民政府",
        ["政务动态", "部门动态", "通知公告", "政策解读", "乡镇动态", "工作动态"][index],
    )
    page.source = [
        f"{city}发展和改革委员会",
        f"{city}教育局",
        f"{city}人民政府办公室",
        f"{city}农业农村局",
        f"{city}融媒体中心",
        f"{city}卫生健康委员会",
    ][index]
    title = e(page.title)
    charset, content_type = [
        ("utf-8", "text/html; charset=UTF-8"),
        ("gb2312", "text/html"),
        ("utf-8", "text/html"),
        ("gbk", "text/html; charset=GBK"),
        ("utf-8", "text/html; charset=utf-8"),
        ("gb18030", "text/html"),
    ][index]
    metas = ""
    if index in (0, 1, 3):
        metas = (
            f'<meta name="SiteName" content="{site}">\n<meta name="SiteDomain" content="www.'
            f'example.gov.cn">\n<meta name="SiteIDCode" content="{3300000000 + page.seed}">\n'
            f'<meta name="ColumnName" content="{column}">\n<meta name="ColumnType" '
            f'content="{column}">\n<meta name="ArticleTitle" content="{title}">\n'
            f'<meta name="PubDate" content="{page.when:%Y-%m-%d %H:%M}">\n'
            f'<meta name="ContentSource" content="{page.source}">\n'
        )
        if index == 1:
            page.machine_seconds = True
            metas = metas.replace(
                f'content="{page.when:%Y-%m-%d %H:%M}"', f'content="{page.when:%Y-%m-%d %H:%M:%S}"'
            )
    head = (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
        f"{metas}<title>{title}_{column}_{site}</title>\n"
        '<link rel="stylesheet" href="/images/zf_common.css">\n'
        '<script src="/js/jquery.js"></script>\n</head>\n'
    )
    top = (
        '<div class="top-bar"><div class="w1200"><span>今天是：<span id="today"></span></span>'
        '<a href="/wza/">无障碍</a> | <a href="/mobile/">手机版</a> | '
        '<a href="/zxft/">繁體</a></div></div><div class="header"><div class="logo">'
        f'<img src="/images/logo.png" alt="{site}"></div><div class="search"><form action='
        '"/search/"><input name="q" placeholder="请输入关键词"><button>搜索</button></form>'
        '</div></div><div class="nav"><ul><li><a href="/">首页</a></li>'
        '<li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>'
        '<li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxx/">走进本地</a></li></ul></div>'
    )
    position = (
        '<div class="position">当前位置：<a href="/">首页</a> &gt; '
        f'<a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zwdt/">{column}</a></div>'
    )
    page.boilerplate.append(f"当前位置：首页>政务公开>{column}")
    tools = (
        '<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a>'
        '<a href="javascript:window.close()">【关闭窗口】</a></div>'
    )
    page.boilerplate.extend(["【打印本页】", "【关闭窗口】"])
    fonts = (
        '【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
        '<a href="javascript:doZoom(14)">小</a>】'
    )
    page.boilerplate.append("【字体：大中小】")
    footer = (
        '<div class="footer"><div class="links"><a href="/">网站地图</a> | <a href="/">联系我们'
        '</a> | <a href="/">隐私声明</a></div>'
        f"<p>主办：{site}办公室　承办：{city}大数据发展管理局</p>"
        f"<p>网站标识码：{3300000000 + page.seed}　{icp(page, '浙')}-1　"
        f"{page.chrome(f'浙公网安备 {33010202000000 + page.seed}号')}</p>"
        '<p><img src="/images/dzjg.png" alt="党政机关"> 建议使用1366×768分辨率</p></div>'
    )
    page.boilerplate.extend([f"主办：{site}办公室", f"网站标识码：{3300000000 + page.seed}"])
    related = (
        f'<div class="related"><div class="hd">{page.chrome("相关链接")}</div><ul>'
        + "".join(f'<li><a href="/g/{n}.html">{e(t)}</a></li>' for n, t in enumerate(page.related))
        + "</ul></div>"
    )
    page.boilerplate.extend(page.related)
    share = (
        f'<div class="share">{page.chrome("分享到：")}<a class="wx" title="微信"></a>'
        '<a class="wb" title="微博"></a></div>'
    )
    if index == 0:
        page.author = ""
        info = (
            f"发布时间：{page.date_text}&nbsp;&nbsp;&nbsp;来源：{page.source}&nbsp;&nbsp;&nbsp;"
            f'浏览次数：<span id="hits">1234</span>&nbsp;&nbsp;&nbsp;{fonts}'
        )
        page.boilerplate.append("浏览次数：1234")
        main = (
            f'<div class="main w1200">{position}<div class="article">'
            f'<div class="article-title"><h1>{title}</h1></div><div class="article-info">{info}'
            f'</div><div class="article-content" id="zoom"><div class="TRS_Editor">'
            f"{body_span(page)}</div></div>{share}{tools}{related}</div></div>"
        )
    elif index == 1:
        # Table layout: the title in a td class="title" (no heading tag), 信息发布 bar.
        page.author = page.editor
        info = (
            f"信息来源：{page.source}　　发布日期：{page.date_text}　　作者：{page.author}　　"
            f"点击数：<script>document.write(88)</script>"
        )
        main = (
            f'<table width="1000" align="center"><tr><td>{position}</td></tr></table>'
            '<table width="1000" align="center" class="bk"><tr>'
            f'<td class="title" align="center" style="font-size:22px;font-weight:bold;'
            f'color:#c00">{title}</td></tr><tr><td align="center" class="xxfb">{info}</td></tr>'
            f'<tr><td class="bt_content" id="zoom"><div class="TRS_Editor">{body_br(page)}</div>'
            f'</td></tr><tr><td align="right">{tools}</td></tr><tr><td>{related}</td></tr>'
            "</table>"
        )
        page.boilerplate.append("点击数：")
    elif index == 2:
        # 政府信息公开 page: the index table above the text, date-only 发文日期.
        page.author = ""
        catalog = (
            '<table class="xxgk-table" width="100%"><tr><td>索引号：</td>'
            f"<td>{11330000000000000 + page.seed}/2022-00{index}</td><td>主题分类：</td>"
            f"<td>综合政务</td></tr><tr><td>发布机构：</td><td>{page.source}</td>"
            f"<td>发文日期：</td><td>{page.date_text}</td></tr><tr><td>名称：</td>"
            f'<td colspan="3">{title}</td></tr><tr><td>文号：</td><td>{city[:2]}政办〔2022〕'
            f"{index + 11}号</td><td>时效：</td><td>有效</td></tr></table>"
        )
        page.boilerplate.extend(["主题分类：", "综合政务", "索引号："])
        main = (
            f'<div class="main w1200">{position}{catalog}<div class="xxgk-detail">'
            f'<h2 class="xxgk-title">{title}</h2><div class="xxgk-content" id="zoom">'
            f"{body_p(page, indent=GOV_INDENT)}"
            f'<p align="right">{page.source}</p><p align="right">{page.date_text}</p></div>'
            f"{tools}{related}</div></div>"
        )
        page.extra_expected.extend([page.source, page.date_text])
    elif index == 3:
        # Sub-site template: h2 title, spans, 作者 and the 责任编辑 at the end inside zoom.
        info = (
            f'<span class="time">发布时间：{page.date_text}</span><span class="source">'
            f'来源：{page.source}</span><span class="author">作者：{page.author}</span>'
            f'<span class="font">{fonts}</span>'
        )
        main = (
            f'<div class="main w1200">{position}<div class="detail"><h2 class="detail-title">'
            f'{title}</h2><div class="detail-info">{info}</div><div class="detail-content"'
            f' id="zoom">{body_table(page)}<p style="text-align:right">'
            f"{page.chrome(f'（责任编辑：{page.editor}）')}</p></div>{share}{tools}</div></div>"
        )
    elif index == 4:
        # 融媒体 news: subtitle and image, 来源 linked, 编辑/校对/审核 at the end.
        info = f'<p>{page.date_text}　来源：<a href="/">{page.source}</a>　作者：{page.author}</p>'
        main = (
            f'<div class="main w1200">{position}<div class="news-detail"><h1>{title}</h1>'
            f'<div class="news-info">{info}</div><div class="news-content" id="zoom">'
            f"{body_p(page, image='/u/cms/www/202208/02091533abcd.jpg')}"
            f"<p>{page.chrome(f'编辑：{page.editor}　校对：{page.author}　审核：{page.editor}')}"
            f"</p></div>{tools}{related}</div></div>"
        )
    else:
        # Date in the 年/月/日 with slashes, the headline a div.bt; footer-only source line.
        page.author = ""
        info = f"日期：{page.date_text}　　来源：{page.source}　　{fonts}"
        main = (
            f'<div class="main w1200">{position}<div class="content-box">'
            f'<div class="bt">{title}</div><div class="xx">{info}</div>'
            f'<div class="nr" id="zoom"><div class="TRS_Editor">{body_div(page)}</div></div>'
            f"{share}{tools}</div></div>"
        )
    document = f"{head}<body>{top}{main}{footer}</body></html>"
    return page, document, charset, content_type


GOV_INDENT = 'style="text-indent:2em;font-family:仿宋"'

FAMILIES: dict[str, Callable[[int], tuple[Page, str, str, str]]] = {
    "dedecms": dedecms,
    "phpcms": phpcms,
    "empirecms": empirecms,
    "pbootcms": pbootcms,
    "wordpress": wordpress,
    "gov": gov,
}
PER_FAMILY = 6


def main(out: Path = HERE) -> None:
    """Write every page and sidecar under `out` (the corpus folder by default)."""
    for family, make in FAMILIES.items():
        folder = out / family
        folder.mkdir(exist_ok=True)
        for index in range(PER_FAMILY):
            page, document, charset, content_type = make(index)
            expected: list[str] = []
            for number, paragraph in enumerate(page.paragraphs):
                if heading := page.headings.get(number):
                    expected.append(heading)
                expected.append(paragraph)
            expected.extend(page.extra_expected)
            name = f"{family}-{index + 1}"
            # "gb2312" pages really hold GBK characters, as on the web.
            codec = "gbk" if charset in ("gb2312", "gbk") else charset
            (folder / f"{name}.html").write_bytes(document.encode(codec))
            sidecar = {
                "content_type": content_type,
                "charset": charset,
                "title": page.title,
                "published": page.expected_when,
                "source": page.source,
                "author": page.author,
                "paragraphs": expected,
                "boilerplate": sorted(set(page.boilerplate)),
            }
            (folder / f"{name}.json").write_text(
                json.dumps(sidecar, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )


if __name__ == "__main__":
    main()
