"""A decoded article page → title, body, date, author, source. Pure function, no I/O.

`cms.py` reads the page as Chinese CMS templates lay it out: the headline, the info bar under
it (发布时间 with its time, 来源, 作者) and the body without the site's lines. What it cannot
find is left to the generic extractors: trafilatura for the body (its extract functions only:
its fetch_url guards nothing), the title and the site name, htmldate for the publish date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from kanwu.importer.cms import CmsPage, clean_fragment, read_page

_TITLE_SUFFIX = re.compile(r"\s*[_|\-–—]\s*[^_|\-–—]{1,30}$")
MIN_BODY_CHARS = 20


class ExtractError(Exception):
    """No article could be found on the page (a Chinese message for the editor)."""


@dataclass(frozen=True)
class Extracted:
    title: str
    body_html: str  # the article body as HTML, images with absolute URLs
    text: str  # the body's plain text
    author: str = ""
    published_at: datetime | None = None
    source_name: str = ""
    canonical_url: str = ""
    image_urls: list[str] = field(default_factory=list)


def _tree(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _canonical(tree: lxml.html.HtmlElement | None, url: str) -> str:
    if tree is None:
        return ""
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        values = tree.xpath(xpath)
        if values and str(values[0]).strip():
            absolute = urljoin(url, str(values[0]).strip())
            if urlsplit(absolute).scheme in {"http", "https"}:
                return absolute
    return ""


def _title_fill(tree: lxml.html.HtmlElement | None) -> str:
    if tree is None:
        return ""
    for h1 in tree.xpath("//h1"):
        if text := " ".join(h1.text_content().split()):
            return text
    titles = tree.xpath("//title/text()")
    if titles:
        title = " ".join(str(titles[0]).split())
        while _TITLE_SUFFIX.search(title) and len(_TITLE_SUFFIX.sub("", title)) >= 4:
            title = _TITLE_SUFFIX.sub("", title)
        return title
    return ""


def _body(html: str, url: str) -> str:
    import trafilatura  # loaded by the first import, not by every web worker

    body = trafilatura.extract(
        html,
        url=url,
        output_format="html",
        include_images=True,
        include_tables=True,
        include_formatting=True,
        include_links=True,
        include_comments=False,
        favor_precision=True,
        deduplicate=False,
    )
    if body:
        root = lxml.html.document_fromstring(body)
        inner = root.body if root.find("body") is not None else root
        return "".join(etree.tostring(child, encoding="unicode") for child in inner)
    return ""


def _image_urls(body_html: str, url: str) -> list[str]:
    if not body_html:
        return []
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    urls: list[str] = []
    for img in root.iter("img"):
        src = img.get("src") or img.get("data-src") or ""
        if src.strip():
            absolute = urljoin(url, src.strip())
            img.set("src", absolute)
            if absolute not in urls:
                urls.append(absolute)
    return urls


def extract_article(html: str, url: str) -> Extracted:
    """Find the article in `html` (already decoded) fetched from `url`."""
    tree = _tree(html)
    page = read_page(_tree(html)) if tree is not None else CmsPage()
    body_html = page.body_html
    if len(_text_of(body_html)) < MIN_BODY_CHARS:
        # No element holds the text as Chinese CMS pages do: trafilatura finds it, and the
        # site's lines are taken out of what it found.
        found = _body(html, url)
        body_html = clean_fragment(found, page.title) if found else ""
    if len(_text_of(body_html)) < MIN_BODY_CHARS:
        raise ExtractError("未能在网页中识别出文章正文")
    import trafilatura

    metadata = trafilatura.extract_metadata(html, default_url=url)
    title = page.title or (metadata.title if metadata and metadata.title else "")
    title = title or _title_fill(tree)
    author = page.author
    if not author and not page.body_html and metadata and metadata.author:
        author = metadata.author
    source_name = (
        page.source
        or page.site_name
        or (metadata.sitename if metadata and metadata.sitename else "")
        or urlsplit(url).hostname
        or ""
    )
    published_at = page.published.value if page.published else None
    if published_at is None:
        import htmldate

        found_date = htmldate.find_date(
            html, url=url, original_date=True, outputformat="%Y-%m-%d %H:%M:%S"
        )
        if found_date:
            published_at = datetime.strptime(found_date, "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007
    fixed_body = _absolute_images(body_html, url)
    return Extracted(
        title=(title or "无标题")[:255],
        body_html=fixed_body,
        text=_text_of(fixed_body),
        author=author[:100],
        published_at=published_at,
        source_name=source_name[:100],
        canonical_url=_canonical(tree, url),
        image_urls=_image_urls(fixed_body, url),
    )


def _absolute_images(body_html: str, url: str) -> str:
    if not body_html:
        return ""
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    for img in root.iter("img"):
        src = img.get("src") or img.get("data-src") or ""
        if src.strip():
            img.set("src", urljoin(url, src.strip()))
    return "".join(etree.tostring(child, encoding="unicode") for child in root)


def _text_of(body_html: str) -> str:
    if not body_html.strip():
        return ""
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    return "\n".join(line.strip() for line in root.itertext() if line.strip())
