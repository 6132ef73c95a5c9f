"""The Chinese-CMS rules of cms.py on small pages: each rule a user would notice in a repost."""

from __future__ import annotations

import pytest

from kanwu.importer.cms import date_find, is_boilerplate, title_from_title_tag
from kanwu.importer.extract import extract_article

P1 = "第一段讲述了本地社区开展志愿服务活动的情况，参与群众达到三百余人次，活动持续了整整一天。"
P2 = "第二段介绍活动的具体安排，包括义诊、理发、法律咨询等多个服务项目，受到居民的普遍欢迎。"
P3 = "第三段总结了活动的意义，社区负责人表示今后将定期开展类似活动，让志愿服务成为常态。"
URL = "http://news.example.com/a.html"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-08-02 09:15", "2022-08-02 09:15:00"),
        ("发布时间：2022年08月02日 09:15:33 星期二", "2022-08-02 09:15:33"),
        ("2022/8/2", "2022-08-02 00:00:00"),
        ("2022.08.02 09:15", "2022-08-02 09:15:00"),
        ("2022年8月2日09时15分", "2022-08-02 09:15:00"),
        ("[2022-08-02]", "2022-08-02 00:00:00"),
        ("索引号：11330000/2022-00123 发文日期：2022-08-02", "2022-08-02 00:00:00"),
        ("2022-13-45 无效日期", None),
    ],
)
def test_dates_in_the_formats_portals_print(text: str, expected: str | None) -> None:
    found = date_find(text)
    assert (f"{found.value:%Y-%m-%d %H:%M:%S}" if found else None) == expected


@pytest.mark.parametrize(
    "line",
    [
        "免责声明：本站转载的文章均来自互联网，不代表本站观点。",
        "版权声明：本文为原创文章，转载请注明出处。",
        "（责任编辑：张三）",
        "[责任编辑:admin]",
        "责任编辑 王五",
        "编辑：王五 审核：赵六",
        "分享到：",
        "上一篇：某某新闻",
        "下一篇：没有了",
        "【打印本页】【关闭窗口】",
        "[ 打印 ] [ 关闭 ]",
        "【字体：大 中 小】",
        "点击数：128",
        "阅读 1,234",
        "3 条评论",
        "来源：某某日报 作者：张三",
        "来 源：某某日报",
        "发布时间：2022-08-02 09:15 浏览次数：88",
        "2022-08-02 09:15:33 来源：某某网",
        "------分隔线----------------------------",
        "扫一扫在手机打开当前页",
    ],
)
def test_site_lines_are_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        P1,
        "时间：2022年8月10日上午9:00",  # a notice's own schedule
        "分享经验是社区工作的一部分。",
        "（作者系某某大学教授）",
        "数据来源：国家统计局",
        "附件：活动安排表.docx",
        "2022年8月2日",
    ],
)
def test_article_lines_are_kept(line: str) -> None:
    assert not is_boilerplate(line)


@pytest.mark.parametrize(
    ("title", "sites", "expected"),
    [
        ("社区志愿服务暖人心_本地新闻_某某资讯网", [], "社区志愿服务暖人心"),
        ("社区志愿服务暖人心 - 国内 - 某某在线", [], "社区志愿服务暖人心"),
        ("社区志愿服务暖人心 | 某某博客", [], "社区志愿服务暖人心"),
        ("某某网 - 社区志愿服务暖人心", ["某某网"], "社区志愿服务暖人心"),
        ("2022-2023学年工作总结_通知公告_某某学校", [], "2022-2023学年工作总结"),
    ],
)
def test_title_element_suffixes_are_cut(title: str, sites: list[str], expected: str) -> None:
    assert title_from_title_tag(title, sites) == expected


def test_dedecms_table_page_keeps_only_the_article() -> None:
    page = f"""<html><head><meta charset="gb2312">
    <title>社区志愿服务暖人心_本地新闻_某某资讯网</title></head><body><table>
    <tr><td><a href="/">首页</a> | <a href="/bd/">本地新闻</a></td></tr>
    <tr><td>您现在的位置：<a href="/">首页</a> &gt; 正文</td></tr>
    <tr><td align="center"><h1>社区志愿服务暖人心</h1></td></tr>
    <tr><td>发布时间：2022-08-02 09:15&nbsp;&nbsp;来源：某某日报&nbsp;&nbsp;作者：张&#12288;三&nbsp;
    &nbsp;点击：<script>count()</script>次</td></tr><tr><td><div class="content">
    <p>{P1}</p><p>{P2}</p>{P3}（责任编辑：admin）
    <p>免责声明：本站所发布的文章均来源于网络，版权归原作者所有，如有侵权请联系删除。</p>
    </div></td></tr><tr><td>上一篇：<a href="/1.html">其他新闻</a><br>下一篇：没有了</td></tr>
    </table></body></html>"""
    extracted = extract_article(page, URL)
    assert extracted.title == "社区志愿服务暖人心"
    assert f"{extracted.published_at:%Y-%m-%d %H:%M:%S}" == "2022-08-02 09:15:00"
    assert (extracted.source_name, extracted.author) == ("某某日报", "张三")
    assert extracted.text.split("\n") == [P1, P2, P3]


def test_paragraphs_in_sibling_sections_are_all_kept() -> None:
    sections = "".join(f"<section><p><span>{p}</span></p></section>" for p in (P1, P2, P3))
    page = f"""<html><head><title>社区志愿服务暖人心 - 某某网</title></head><body>
    <div class="art"><h1>社区志愿服务暖人心</h1>
    <div class="info">2022-08-02 09:15 来源：某某日报</div>
    <div class="content">{sections}<p>附件：<a href="/a.docx">活动安排表.docx</a></p></div>
    <div class="share">分享到：<a>微信</a></div></div></body></html>"""
    extracted = extract_article(page, URL)
    assert extracted.text.split("\n") == [P1, P2, P3, "附件：", "活动安排表.docx"]


def test_site_first_title_and_info_after_the_body() -> None:
    page = f"""<html><head><title>某某网 - 社区志愿服务暖人心</title></head><body>
    <div class="logo"><h1>某某网</h1></div><div class="tit">社区志愿服务暖人心</div>
    <table><tr><td class="text">{P1}<br><br>{P2}<br><br>{P3}<br><br>
    发布时间：2022/08/02 18:30　来源：某某晚报　作者：钱七<br>【打印】【关闭】</td></tr>
    <tr><td>相关新闻：<br><a href="/1">其他新闻一</a> 2022-08-01</td></tr></table></body></html>"""
    extracted = extract_article(page, URL)
    assert extracted.title == "社区志愿服务暖人心"
    assert f"{extracted.published_at:%Y-%m-%d %H:%M:%S}" == "2022-08-02 18:30:00"
    assert (extracted.source_name, extracted.author) == ("某某晚报", "钱七")
    assert extracted.text.split("\n") == [P1, P2, P3]


def test_machine_readable_time_completes_a_date_only_line() -> None:
    page = f"""<html><head><title>社区志愿服务暖人心 &#8211; 某某博客</title></head><body><article>
    <h1 class="entry-title">社区志愿服务暖人心</h1><div class="entry-meta"><time datetime=
    "2022-08-02T09:15:33+08:00">2022年8月2日</time> 由 <span class="author vcard"><a>老王</a></span>
    </div><div class="entry-content"><p>{P1}</p><p>{P2}</p></div></article></body></html>"""
    extracted = extract_article(page, URL)
    assert extracted.published_at is not None
    assert extracted.published_at.isoformat() == "2022-08-02T09:15:33+08:00"
    assert (extracted.source_name, extracted.author) == ("某某博客", "老王")
