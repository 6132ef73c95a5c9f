"""Chinese CMS article pages (DedeCMS, PHPCMS, EmpireCMS, PbootCMS, WordPress themes,
government-site platforms): the headline, the info bar, the body and its boilerplate.

Pure functions over an lxml tree. The rules are about what such pages print, not about any
one site: the headline is the heading that `<title>` starts with (`标题_栏目_站名`); the info bar
is the labelled line under it (`发布时间：… 来源：… 作者：… 点击：…`); the body is the element
holding the most paragraph text; and inside it, lines such as 免责声明…, （责任编辑：…）,
分享到, 上一篇/下一篇, 打印本页/关闭窗口 and 相关文章 lists are the site's, not the article's.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

import lxml.html
from lxml import etree

# Elements that never hold article text.
DROP_TAGS = (
    "script", "style", "noscript", "iframe", "form", "input", "button", "select", "textarea",
    "template", "object", "embed", "svg", "canvas",
)  # fmt: skip
INLINE_TAGS = {
    "a", "span", "font", "strong", "b", "em", "i", "u", "img", "small", "big", "sub", "sup",
    "label", "time", "code", "abbr", "q", "cite", "s", "del", "ins", "mark", "kbd", "var",
    "samp", "bdi", "bdo", "wbr",
}  # fmt: skip
KEPT_BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre",
    "figure", "hr", "address",
}  # fmt: skip
PARAGRAPH_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "center"}
CONTAINER_TAGS = {"div", "td", "article", "section", "main", "font", "center", "dd", "span"}
MIN_CONTAINER_CHARS = 50

SOURCE_LABELS = (
    "信息来源", "文章来源", "本文来源", "消息来源", "图文来源", "稿件来源", "新闻来源",
    "转载来源", "内容来源", "来源单位", "供稿单位", "转载自", "转自",
    "发布机构", "发布单位", "来源", "稿源", "出处",
)  # fmt: skip
AUTHOR_LABELS = ("本文作者", "原文作者", "文章作者", "作者", "撰稿人", "撰稿", "撰文", "记者")
DATE_LABELS = (
    "发布时间", "发表时间", "发布日期", "发表日期", "更新时间", "更新日期", "录入时间", "添加时间",
    "上传时间", "发文日期", "成文日期", "时间", "日期",
)  # fmt: skip
STAFF_LABELS = (
    "责任编辑", "责编", "编辑", "审核", "校对", "终审", "初审", "复审", "编审", "监制", "统筹",
    "摄影", "摄像", "通讯员", "发布人", "发布者", "录入", "供图",
)  # fmt: skip
COUNTER_LABELS = (
    "点击数", "点击量", "点击率", "点击次数", "点击", "阅读次数", "浏览人次", "浏览次数",
    "浏览量", "浏览", "阅读数", "阅读量", "阅读",
    "访问量", "访问次数", "人气", "评论数", "评论", "字号", "字体", "关键词", "关键字", "标签",
    "分类", "所属栏目", "栏目",
)  # fmt: skip
ALL_LABELS = sorted(
    {*SOURCE_LABELS, *AUTHOR_LABELS, *DATE_LABELS, *STAFF_LABELS, *COUNTER_LABELS},
    key=len,
    reverse=True,
)
# "时间：" or "日期：" alone starts lines of real notices too (会议时间：…); inside the body only
# the labels below, or two labels on one line, mark an info line.
_WEAK_LABELS = {"时间", "日期", "分类", "栏目", "标签", "关键词", "关键字", "评论", "阅读"}
# Government templates space the characters out: `来 源：`, `作　者：`.
_SPACED = "|".join("[ \u3000\xa0]?".join(label) for label in ALL_LABELS)
_LABEL = re.compile(r"(" + _SPACED + r")\s*[：:]")


def _label(match: re.Match[str]) -> str:
    return re.sub(r"[ \u3000\xa0]", "", match.group(1))


_OPEN = r"^[\s（(【\[〔<《]*"
_SEPARATOR = re.compile(r"\s{2,}|[\u3000\xa0|丨｜【】\[\]()（）<>《》/]")
PLACEHOLDERS = {"佚名", "未知", "不详", "暂无", "无", "匿名", "admin", "Admin", "管理员"}
OWN_SITE = {"本站", "本网", "本站原创", "本网原创", "原创", "本站编辑", "网络"}

_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(?:T|\s)?\s*(\d{1,2})\s*(?:[:：]|时)\s*(\d{1,2})(?!\d)\s*分?"
    r"(?:\s*[:：]\s*(\d{1,2})(?!\d)\s*秒?)?)?"
)
_DISCLAIMER = re.compile(
    _OPEN + r"(免责声明|版权声明|特别声明|郑重声明|重要声明|本站声明|本网声明|版权说明|声明|"
    r"版权所有|原文链接|本文链接|原文地址|本文地址|转载请注明|转载请保留|转载须知|转载说明)"
)
_DISCLAIMER_WORDS = re.compile(
    r"转载请注明|转载请保留|如有侵权|侵权请联系|不代表本站|不代表本网|不代表本平台|仅代表作者|"
    r"版权归原作者|版权归作者|未经授权.{0,6}不得转载|违者必究"
)
_NAVIGATION = re.compile(
    _OPEN + r"(上一篇|下一篇|上一条|下一条|上一页|下一页|上篇|下篇|前一篇|后一篇|上一則|下一則)"
)
_PAGER = re.compile(r"^(共\s*\d+\s*页|第\s*\d+\s*页|首页|尾页|上一页|下一页|\d+|[\s:：|<>«»])+$")
_SHARE = re.compile(r"^(一键)?分享(到|至|[：:]|$)")
_TOOL_WORDS = re.compile(
    r"(打印本页|打印本文|打印此文|打印文章|打印|关闭窗口|关闭本页|关闭|返回顶部|返回列表|返回|"
    r"收藏本文|加入收藏|收藏|挑错|纠错|推荐给朋友|推荐|字体|字号|大|中|小|默认|分享|举报|点赞|"
    r"我要评论|评论|发表评论|顶部|放大|缩小|我要打印|打印此页|打印该页|关闭此页|关闭当前页|保存本页|"
    r"保存|复制链接|复制网址|返回首页|回到顶部|TOP|Top|top)+"
)
_TOOL_PUNCT = re.compile(r"[\s\[\]【】()（）|｜丨:：·•/\\,，.。>-]+")
_COUNTER = re.compile(
    r"^[\s(（\[【]*(点击|点击数|点击量|浏览|浏览次数|浏览量|阅读|阅读数|阅读量|访问量|人气|评论|"
    r"喜欢|点赞)\s*[：:]?\s*[(（]?\s*[\d,.]*\s*[KkWw万千]?\s*[)）]?\s*次?[\s)）\]】]*$"
    r"|^[\d,.]+\s*[KkWw万]?\s*(次浏览|次阅读|人阅读|条评论|人评论|次点击|人围观|个赞)$"
)
_RULE = re.compile(r"^[-—=_*·.\s]*(分隔线|分割线)?[-—=_*·.\s]*$")
_QR = re.compile(r"(扫一扫|扫描二维码|扫码|长按识别).{0,12}(关注|阅读|手机|分享|公众号|微信|打开)")
_RELATED = re.compile(
    _OPEN + r"(相关文章|相关阅读|相关新闻|相关链接|相关信息|相关推荐|相关资讯|相关内容|延伸阅读|"
    r"推荐阅读|猜你喜欢|热门文章|最新文章|热门推荐|为您推荐|你可能感兴趣|您可能感兴趣|热点排行|"
    r"精彩推荐|热点推荐|近期文章)"
)
# `…最后一句。（责任编辑：张三）`: the template's editor line glued to the text.
_TRAILING_EDITOR = re.compile(
    r"\s*[（(【\[]\s*(责任编辑|责编|编辑|审核|校对)\s*[：:][^（()）【】\[\]]{1,30}[）)】\]]\s*$"
)
_DATE_ONLY = re.compile(r"^[\s\[【（(]*" + _DATE.pattern + r"[\s\]】）)]*$")
_BYLINE_CLASS = re.compile(r"author|nickname|byline|writer|zuozhe", re.IGNORECASE)
_PUBLISHED_BY = re.compile(
    r"(?:^|\s)([\u4e00-\u9fffA-Za-z·]{2,12})\s*发布于|(?:^|\s)文\s*[/／]\s*([\u4e00-\u9fff·]{2,8})"
)
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|\s[-–—]\s|--|(?<!\d)-(?!\d)|\s·\s)\s*")
_SITE_META = ("og:site_name", "SiteName", "sitename", "site_name", "application-name")
_DATE_META = (
    "article:published_time", "og:release_date", "PubDate", "pubdate", "publishdate",
    "publish_date", "PublishDate", "datePublished", "dc.date", "DC.Date", "firstpublishedtime",
)  # fmt: skip
_SOURCE_META = ("ContentSource", "source", "Source")
_TITLE_META = ("ArticleTitle", "og:title", "twitter:title")


@dataclass(frozen=True)
class Stamp:
    """A date found on the page, with how much of the time it gives (0 none, 1 minutes,
    2 seconds)."""

    value: datetime
    precision: int


@dataclass
class CmsPage:
    """What the Chinese-CMS reading found; empty fields are left to the generic extractors."""

    title: str = ""
    body_html: str = ""
    published: Stamp | None = None
    source: str = ""
    author: str = ""
    site_name: str = ""
    removed: list[str] = field(default_factory=list)


def squash(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u3000", " ").split())


_RUN = re.compile(r"[ \t\r\n\xa0\u3000]{2,}|[\xa0\u3000]")


def _line(text: str) -> str:
    """A line's text with runs of spaces kept as two (they separate info-bar fields)."""
    return _RUN.sub("  ", text.replace("\t", " ").replace("\n", " ")).strip()


def _attr(element: etree._Element, name: str) -> str:
    return str(element.get(name) or "")


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _drop(element: etree._Element) -> None:
    """Remove `element` and what it holds, keeping the text after it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _tag(element: etree._Element) -> str:
    return element.tag if isinstance(element.tag, str) else ""


# Dates.


def date_find(text: str) -> Stamp | None:
    """The first plausible date (and time) written in `text`."""
    for match in _DATE.finditer(text):
        year, month, day, hour, minute, second = match.groups()
        try:
            value = datetime(  # noqa: DTZ001 - the page's local wall time
                int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                int(second or 0),
            )  # fmt: skip
        except ValueError:
            continue
        return Stamp(value, 0 if hour is None else (1 if second is None else 2))
    return None


def _machine_date(value: str) -> Stamp | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return date_find(value)
    if "T" not in value and " " not in value.strip():
        return Stamp(parsed, 0)
    return Stamp(parsed, 2 if parsed.second or re.search(r"\d:\d\d:\d\d", value) else 1)


def _meta(tree: lxml.html.HtmlElement, names: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for element in tree.iter("meta"):
        key = _attr(element, "name") or _attr(element, "property") or _attr(element, "itemprop")
        if key in names and (content := squash(_attr(element, "content"))):
            found.append(content)
    return found


def _ld_dates(tree: lxml.html.HtmlElement) -> list[str]:
    found: list[str] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
                found.append(item["datePublished"])
    return found


def machine_published(tree: lxml.html.HtmlElement) -> Stamp | None:
    """The publish time the page states for machines (meta tags, JSON-LD)."""
    times = [_attr(element, "datetime") for element in tree.iter("time")]
    for value in [*_meta(tree, _DATE_META), *_ld_dates(tree), *times[:1]]:
        if stamp := _machine_date(value):
            return stamp
    return None


def _more_precise(shown: Stamp, machine: Stamp | None) -> Stamp:
    """The date readers see, with the machine-readable time when that says more."""
    if machine is None or machine.precision <= shown.precision:
        return shown
    local = machine.value
    if local.date() == shown.value.date() and (
        shown.precision == 0 or (local.hour, local.minute) == (shown.value.hour, shown.value.minute)
    ):
        return machine
    return shown


# Lines and labelled fields.


def lines_of(element: etree._Element) -> list[str]:
    """The text of `element` one line per block (blocks and <br> end lines)."""
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if text := _line("".join(buffer)):
            lines.append(text)
        buffer.clear()

    def walk(node: etree._Element) -> None:
        tag = _tag(node)
        if tag in DROP_TAGS or not tag:
            return
        block = tag not in INLINE_TAGS
        if tag == "br" or block:
            flush()
        buffer.append(node.text or "")
        for child in node:
            walk(child)
            buffer.append(child.tail or "")
        if block:
            flush()

    walk(element)
    flush()
    return lines


# `作者：张　三`: two-character names padded to the width of three.
_PADDED_NAME = re.compile(
    r"([：:][ \u3000\xa0]*[\u4e00-\u9fff])[ \u3000\xa0]{1,2}([\u4e00-\u9fff])(?=[\s|丨]|$)"
)


def fields_of(text: str) -> list[tuple[str, str]]:
    """The `label：value` pairs of an info line, in order."""
    text = _PADDED_NAME.sub(r"\1\2", text)
    matches = list(_LABEL.finditer(text))
    pairs: list[tuple[str, str]] = []
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        raw = text[match.end() : end].lstrip(" \t\xa0\u3000")
        if dated := _DATE.search(raw):
            raw = raw[: dated.start()]
        value = _SEPARATOR.split(raw, maxsplit=1)[0].strip(" ,，。;；:：")
        pairs.append((_label(match), value))
    return pairs


def _field(lines: list[str], labels: tuple[str, ...]) -> str:
    for number, line in enumerate(lines):
        pairs = fields_of(line)
        for position, (label, value) in enumerate(pairs):
            if label not in labels:
                continue
            if value:
                return value
            if position == len(pairs) - 1 and number + 1 < len(lines):
                # `<dt>来源：</dt><dd>…</dd>`, `<td>发布机构：</td><td>…</td>`
                following = lines[number + 1]
                if not _LABEL.search(following):
                    return _SEPARATOR.split(following, maxsplit=1)[0].strip()
    return ""


def _labelled_date(lines: list[str]) -> Stamp | None:
    for number, line in enumerate(lines):
        for match in _LABEL.finditer(line):
            if _label(match) not in DATE_LABELS:
                continue
            rest = line[match.end() :]
            if not squash(rest) and number + 1 < len(lines):
                rest = lines[number + 1]
            if stamp := date_find(rest):
                return stamp
    return None


def is_info_line(text: str) -> bool:
    """An info-bar line: `来源：… 作者：…`, `发布时间：…`, `（责任编辑：…）`, a date with labels."""
    text = squash(text)
    if not text or len(text) > 160:
        return False
    labels = [_label(match) for match in _LABEL.finditer(text)]
    if not labels:
        return False
    starts = re.match(_OPEN + r"(" + _SPACED + r")\s*[：:]", text)
    dated = re.match(_OPEN + r"(19|20)\d{2}\s*[-/.年]", text)
    if not (starts or dated):
        return False
    return len(set(labels)) > 1 or bool(dated) or labels[0] not in _WEAK_LABELS


def is_boilerplate(text: str) -> bool:
    """A line that belongs to the site, not the article."""
    text = squash(text)
    if not text:
        return False
    if len(text) <= 600 and _DISCLAIMER.match(text):
        return True
    if len(text) <= 160 and _DISCLAIMER_WORDS.search(text):
        return True
    if len(text) <= 200 and _NAVIGATION.match(text):
        return True
    if len(text) <= 60 and (
        _SHARE.match(text) or _COUNTER.match(text) or _QR.search(text) or _PAGER.match(text)
    ):
        return True
    if len(text) <= 30 and re.match(_OPEN + r"(责任编辑|责编)", text):
        return True
    if len(text) <= 40 and (
        _TOOL_WORDS.fullmatch(_TOOL_PUNCT.sub("", text)) or (_RULE.match(text) and len(text) > 4)
    ):
        return True
    return is_info_line(text)


# The headline.


def title_segments(title: str) -> list[str]:
    return [part for part in _TITLE_SPLIT.split(squash(title)) if part]


def _heading_text(element: etree._Element) -> str:
    """A headline's own words: what follows a <br> or sits in an info span is left out."""
    clone = copy.deepcopy(element)
    clone.tail = None
    for child in list(clone.iter()):
        if child is clone or child.getparent() is None:
            continue
        if _tag(child) == "br":
            parent = child.getparent()
            index = parent.index(child)
            child.tail = None
            for later in list(parent)[index:]:
                parent.remove(later)
            break
    for child in list(clone.iter()):
        if child is clone or child.getparent() is None or not _tag(child):
            continue
        inner = squash(_text(child))
        if inner and (date_find(inner) or _LABEL.search(inner)):
            _drop(child)
    return squash(_text(clone))


def _candidates(tree: lxml.html.HtmlElement) -> list[tuple[etree._Element, str]]:
    found: list[tuple[etree._Element, str]] = []
    body = tree.find("body")
    for element in (body if body is not None else tree).iter():
        tag = _tag(element)
        if not tag or tag in DROP_TAGS or tag in {"html", "body", "title", "a"}:
            continue
        if tag in {"ul", "ol", "table", "tr", "tbody", "dl"}:
            continue
        raw = squash(_text(element))
        if not 2 <= len(raw) <= 200:
            continue
        text = _heading_text(element) if tag in {"h1", "h2", "h3"} or len(raw) > 120 else raw
        if 2 <= len(text) <= 120:
            found.append((element, text))
    return found


def _title_match(text: str, title: str) -> bool:
    if not title.startswith(text):
        return False
    rest = title[len(text) :]
    return not rest or bool(_TITLE_SPLIT.match(rest))


def headline(
    tree: lxml.html.HtmlElement, container: etree._Element | None
) -> tuple[str, etree._Element | None]:
    """The article's title and the element showing it (None when only `<title>` has it)."""
    titles = tree.xpath("//title")
    page_title = squash(_text(titles[0])) if titles else ""
    stated = {squash(value) for value in _meta(tree, _TITLE_META)}
    order = {element: number for number, element in enumerate(tree.iter())}
    limit = order.get(container, len(order)) if container is not None else len(order)
    segments = title_segments(page_title)
    longest = max(segments, key=len) if segments else ""
    best: tuple[tuple[int, int, int], etree._Element, str] | None = None
    for element, text in _candidates(tree):
        if container is not None and order[element] > limit and not _inside(element, container):
            continue
        if text in stated:
            match = 3
        elif page_title and _title_match(text, page_title):
            match = 2
        elif len(text) >= 4 and text == longest and not _inside_any(element, {"a", "li", "nav"}):
            match = 2  # `站名 - 标题`
        else:
            continue
        # Of the elements `<title>` names, the one nearest the body: the logo and the column
        # banner (`站名`, `栏目`) sit further up.
        heading = 1 if _tag(element) in {"h1", "h2", "h3"} else 0
        rank = (match, -abs(limit - order[element]), heading)
        if best is None or rank > best[0]:
            best = (rank, element, text)
    if best is not None:
        return best[2], best[1]
    # `<title>` says something else: the last heading above the body.
    fallback: tuple[etree._Element, str] | None = None
    for element, text in _candidates(tree):
        if _tag(element) not in {"h1", "h2", "h3"} or len(text) < 5:
            continue
        if container is not None and order[element] > limit:
            break
        if _inside_any(element, {"ul", "ol", "nav", "header", "footer"}):
            continue
        fallback = (element, text)
        if container is None:
            break
    if fallback is not None:
        return fallback[1], fallback[0]
    return title_from_title_tag(page_title, site_names(tree)), None


def title_from_title_tag(title: str, sites: list[str]) -> str:
    """`标题_栏目_站名` → `标题`."""
    for site in sites:
        if site and title.endswith(site) and len(title) > len(site) + 3:
            title = re.sub(r"[\s_|｜\-–—·]+$", "", title[: -len(site)]) or title
    parts = [part for part in title_segments(title) if part not in sites]
    if not parts:
        return title
    head = parts[0]
    if len(head) < 4 and len(parts) > 1:
        head = f"{parts[0]} {parts[1]}"
    return head


def site_names(tree: lxml.html.HtmlElement) -> list[str]:
    return _meta(tree, _SITE_META)


def _inside(element: etree._Element, ancestor: etree._Element) -> bool:
    return any(parent is ancestor for parent in element.iterancestors())


def _inside_any(element: etree._Element, tags: set[str]) -> bool:
    return any(_tag(parent) in tags for parent in element.iterancestors())


# The body.


def _link_free_len(element: etree._Element) -> int:
    total = len(squash(_text(element)))
    links = sum(len(squash(_text(a))) for a in element.iter("a"))
    return total - links


def _direct_text(element: etree._Element) -> int:
    total = len(squash(element.text or ""))
    for child in element:
        tag = _tag(child)
        total += len(squash(child.tail or ""))
        if tag in PARAGRAPH_TAGS or (tag in INLINE_TAGS and tag != "a"):
            total += _link_free_len(child)
        elif tag == "div" and not any(
            _tag(inner) not in INLINE_TAGS and _tag(inner) != "br"
            for inner in child.iterdescendants()
        ):
            total += _link_free_len(child)
    return total


def _paragraph_text(element: etree._Element) -> int:
    """Link-free text in the paragraphs anywhere below `element`."""
    total = 0
    for inner in element.iterdescendants():
        tag = _tag(inner)
        if tag in PARAGRAPH_TAGS or (tag in {"div", "section"} and not _has_block_below(inner)):
            if not any(_tag(parent) in PARAGRAPH_TAGS for parent in inner.iterancestors()):
                total += _link_free_len(inner)
    return total


def _has_block_below(element: etree._Element) -> bool:
    return any(
        _tag(inner) not in INLINE_TAGS and _tag(inner) != "br"
        for inner in element.iterdescendants()
    )


def container_find(tree: lxml.html.HtmlElement) -> etree._Element | None:
    """The element holding the most paragraph text of its own (links not counted); its
    parent instead when the text is spread over siblings (one <section> per paragraph)."""
    best: tuple[int, etree._Element] | None = None
    for element in tree.iter(*CONTAINER_TAGS):
        score = _direct_text(element)
        if score >= MIN_CONTAINER_CHARS and (best is None or score > best[0]):
            best = (score, element)
    if best is None:
        return None
    score, chosen = best
    parent = chosen.getparent()
    while parent is not None and _tag(parent) in CONTAINER_TAGS | {"body"}:
        if _tag(parent) == "body" or parent.find(".//h1") is not None:
            break
        total = len(squash(_text(parent)))
        if not total or _link_free_len(parent) < 0.7 * total:
            break
        if _paragraph_text(parent) < 1.5 * max(score, _paragraph_text(chosen)):
            break
        chosen, parent = parent, parent.getparent()
    return chosen


def _paragraphs(container: etree._Element) -> list[etree._Element]:
    """The container's content as a flat list of blocks; loose text and <br> runs become <p>."""
    blocks: list[etree._Element] = []
    current: list[etree._Element | str] = []

    def close() -> None:
        if any(isinstance(part, str) and part.strip() for part in current) or any(
            not isinstance(part, str) for part in current
        ):
            paragraph = etree.Element("p")
            last: etree._Element | None = None
            for part in current:
                if isinstance(part, str):
                    if last is None:
                        paragraph.text = (paragraph.text or "") + part
                    else:
                        last.tail = (last.tail or "") + part
                else:
                    paragraph.append(part)
                    last = part
            blocks.append(paragraph)
        current.clear()

    def walk(node: etree._Element) -> None:
        if node.text:
            current.append(node.text)
        for child in node:
            tag = _tag(child)
            if not tag or tag in DROP_TAGS:
                pass
            elif tag == "br":
                close()
            elif tag in INLINE_TAGS and not _has_block_below(child):
                clone = copy.deepcopy(child)
                clone.tail = None
                current.append(clone)
            elif tag in KEPT_BLOCKS and (tag not in {"p", "h1", "h2", "h3", "h4", "h5", "h6"}):
                close()
                clone = copy.deepcopy(child)
                clone.tail = None
                blocks.append(clone)
            elif tag in {"p", "h1", "h2", "h3", "h4", "h5", "h6"} and not _has_block_below(child):
                close()
                if child.find(".//br") is not None and tag == "p":
                    walk(child)  # one paragraph per line, like the loose text
                    close()
                else:
                    clone = copy.deepcopy(child)
                    clone.tail = None
                    blocks.append(clone)
            else:
                close()
                walk(child)
                close()
            if child.tail:
                current.append(child.tail)

    walk(container)
    close()
    return blocks


def _is_link_list(block: etree._Element) -> bool:
    text = squash(_text(block))
    if not text or "附件" in _free_text(block):
        return False
    return _link_free_len(block) <= max(len(text) // 5, 2) or bool(
        re.fullmatch(r"[\d\s\-/.:：]*", _free_text(block))
    )


def _free_text(block: etree._Element) -> str:
    clone = copy.deepcopy(block)
    for link in list(clone.iter("a")):
        _drop(link)
    return squash(_text(clone))


def body_clean(container: etree._Element, title: str) -> tuple[list[etree._Element], list[str]]:
    """The container's blocks without the site's lines; also the info lines removed."""
    kept: list[etree._Element] = []
    removed: list[str] = []
    blocks = _paragraphs(container)
    skipping_related = False
    for block in blocks:
        text = squash(_text(block))
        has_media = block.find(".//img") is not None or _tag(block) in {"table", "hr"}
        if not text and not has_media:
            continue
        if skipping_related:
            if _is_link_list(block) or (
                len(text) <= 60 and not has_media and _is_related_item(text)
            ):
                continue
            skipping_related = False
        if text and _RELATED.match(text) and len(text) <= 16:
            skipping_related = True
            continue
        if text and _RELATED.match(text) and _is_link_list(block):
            continue
        if text == title and not kept:
            continue
        if text and _tag(block) != "table" and is_boilerplate(text):
            removed.append(text)
            continue
        if not kept and not has_media and _DATE_ONLY.match(text):
            removed.append(text)  # the date above the text; below it, it signs a document
            continue
        if (glued := _trailing_editor(block)) is not None:
            removed.append(glued)
        kept.append(block)
    # A trailing run of link lists is the site's navigation (more articles), not the text.
    while kept and _tag(kept[-1]) in {"ul", "ol", "p", "div"} and _is_link_list(kept[-1]):
        removed.append(squash(_text(kept.pop())))
    return kept, removed


def _trailing_editor(block: etree._Element) -> str | None:
    """Cut a glued `（责任编辑：…）` off the end of a paragraph; what was cut, if anything."""
    nodes: list[tuple[etree._Element, str]] = [(block, "text")]
    for inner in block.iterdescendants():
        nodes.extend([(inner, "text"), (inner, "tail")])
    for element, slot in reversed(nodes):
        value = getattr(element, slot)
        if not value or not value.strip():
            continue
        match = _TRAILING_EDITOR.search(value)
        if match is None or not squash(_text(block)).removesuffix(squash(match.group(0))):
            return None
        setattr(element, slot, value[: match.start()])
        return squash(match.group(0))
    return None


def _is_related_item(text: str) -> bool:
    return bool(re.search(r"\d{2}[-/.]\d{2}\s*$", text))


def _strip_indent(block: etree._Element) -> None:
    """Full-width and non-breaking-space indents are layout, not text."""
    if block.text:
        block.text = block.text.lstrip(" \t\r\n\xa0\u3000")


def blocks_html(blocks: list[etree._Element]) -> str:
    parts: list[str] = []
    for block in blocks:
        _strip_indent(block)
        parts.append(etree.tostring(block, encoding="unicode", method="html", with_tail=False))
    return "".join(parts)


def clean_fragment(body_html: str, title: str) -> str:
    """Another extractor's body with the site's lines taken out."""
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    blocks, _ = body_clean(root, title)
    return blocks_html(blocks)


# The whole page.


def _info_lines(
    tree: lxml.html.HtmlElement, start: etree._Element | None, end: etree._Element
) -> list[str]:
    """Lines between the headline (or, without one, the lines just above the body) and the
    body, one per block."""
    lines: list[str] = []
    buffer: list[str] = []
    started = start is None

    def flush() -> None:
        if started and (text := _line("".join(buffer))):
            lines.append(text)
        buffer.clear()

    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = _tag(element)
        if event == "start":
            if element is end:
                break
            if not tag or tag in DROP_TAGS:
                walker.skip_subtree()
                continue
            if tag == "br" or tag not in INLINE_TAGS:
                flush()
            buffer.append(element.text or "")
            continue
        if element is start:
            buffer.clear()
            started = True
        elif tag and tag not in INLINE_TAGS:
            flush()
        buffer.append(element.tail or "")
    flush()
    return lines[-12:] if start is None else lines[:20]


def _clean_value(value: str, sites: list[str]) -> str:
    value = value.strip()
    if value in PLACEHOLDERS:
        return ""
    if value in OWN_SITE and sites:
        return sites[0]
    return value[:100]


def read_page(tree: lxml.html.HtmlElement) -> CmsPage:
    """Read a Chinese CMS article page (the tree is changed: scripts and forms are dropped)."""
    for element in list(tree.iter(*DROP_TAGS)):
        if _attr(element, "type") != "application/ld+json":
            _drop(element)
    for comment in list(tree.iter(etree.Comment)):
        _drop(comment)
    sites = site_names(tree)
    page_title = squash(tree.findtext(".//title") or "")
    container = container_find(tree)
    title, title_element = headline(tree, container)
    result = CmsPage(title=title)
    result.site_name = sites[0] if sites else ""
    if not result.site_name and len(parts := title_segments(page_title)) > 1:
        result.site_name = parts[-1]
    if container is None:
        return result
    blocks, removed = body_clean(container, title)
    result.body_html = blocks_html(blocks)
    result.removed = removed
    info = _info_lines(tree, title_element, container)
    if title_element is not None:
        info = [*lines_of(title_element), *info]
    info = [line for line in info if line != title]
    near = [*info, *removed]
    everywhere = lines_of(tree.find("body") if tree.find("body") is not None else tree)
    known_sites = [name for name in [result.site_name] if name]
    result.source = _clean_value(
        _field(near, SOURCE_LABELS) or next(iter(_meta(tree, _SOURCE_META)), "")
        or _field(everywhere, SOURCE_LABELS),
        known_sites,
    )  # fmt: skip
    result.author = _clean_value(
        _field(near, AUTHOR_LABELS) or _unlabelled_author(tree, title_element, container, info)
        or _field(everywhere, AUTHOR_LABELS),
        [],
    )  # fmt: skip
    shown = (
        _labelled_date(near)
        or next((stamp for line in info if (stamp := date_find(line))), None)
        or _labelled_date(everywhere)
    )
    machine = machine_published(tree)
    result.published = _more_precise(shown, machine) if shown else machine
    return result


def _unlabelled_author(
    tree: lxml.html.HtmlElement,
    start: etree._Element | None,
    container: etree._Element,
    info: list[str],
) -> str:
    for line in info:
        if match := _PUBLISHED_BY.search(line):
            return match.group(1) or match.group(2)
    order = {element: number for number, element in enumerate(tree.iter())}
    low = order.get(start, 0) if start is not None else 0
    high = order.get(container, len(order))
    for element in tree.iter():
        if not low <= order[element] < high or not _tag(element):
            continue
        marks = f"{_attr(element, 'class')} {_attr(element, 'rel')} {_attr(element, 'itemprop')}"
        if _BYLINE_CLASS.search(marks):
            text = squash(_text(element))
            text = re.sub(r"^(作者|文|By|by)\s*[：:/]?\s*", "", text)
            if _person_like(text):
                return text
    names = {*title_segments(squash(tree.findtext(".//title") or "")), *site_names(tree)}
    for value in _meta(tree, ("author", "Author", "article:author")):
        if _person_like(value) and value not in names:
            return value
    return ""


def _person_like(text: str) -> bool:
    """A name or two, not a date, a count or a sentence."""
    return 2 <= len(text) <= 20 and not re.search(r"\d|http|[：:，,。]", text)
