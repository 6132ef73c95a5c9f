"""Reading a WordPress export (WXR 1.x) as a stream, in constant memory.

`iter_wxr(path)` yields authors, categories, tags and items in document order, each as a small
dataclass, and drops every element once read, so memory does not grow with the file. The XML
is parsed by defusedxml with DTDs forbidden: a WordPress export never has one, and refusing it
refuses external entities (XXE) and entity-expansion bombs before any entity is defined.
Pure parsing: no database, no network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import iterparse

# WordPress writes http://wordpress.org/export/1.2/; its own theme test data says https://.
_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/(excerpt/)?$")
_VERSION = re.compile(r"^1\.\d+$")


class WxrError(Exception):
    """The file is not a WordPress export we can read safely (a Chinese message)."""


@dataclass(frozen=True)
class WxrAuthor:
    login: str
    email: str
    display_name: str


@dataclass(frozen=True)
class WxrCategory:
    nicename: str
    name: str
    parent: str
    description: str
    term_id: str = ""


@dataclass(frozen=True)
class WxrTag:
    slug: str
    name: str
    term_id: str = ""


@dataclass(frozen=True)
class WxrComment:
    comment_id: str
    author: str
    email: str
    url: str
    date_gmt: str
    date: str
    content: str
    approved: str  # "1", "0", "spam", "trash"
    comment_type: str
    parent: str


@dataclass
class WxrItem:
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_name: str = ""
    status: str = ""
    post_parent: str = ""
    post_type: str = ""
    is_sticky: bool = False
    attachment_url: str = ""
    post_password: str = ""
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # domain, slug, name
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WxrComment] = field(default_factory=list)


@dataclass
class WxrChannel:
    version: str = ""
    base_site_url: str = ""  # the network's address on a multisite
    base_blog_url: str = ""  # the blog's own address
    link: str = ""
    title: str = ""


WxrObject = WxrAuthor | WxrCategory | WxrTag | WxrItem | WxrChannel


def _split(tag: str) -> tuple[str, str]:
    """("wp" | "content" | "excerpt" | "dc" | "", local name) for a namespaced tag."""
    if not tag.startswith("{"):
        return "", tag
    namespace, local = tag[1:].split("}", 1)
    if found := _WP_NAMESPACE.match(namespace):
        return ("excerpt" if found.group(1) else "wp"), local
    if namespace == "http://purl.org/rss/1.0/modules/content/":
        return "content", local
    if namespace == "http://purl.org/dc/elements/1.1/":
        return "dc", local
    return "other", local


def _children(element: Element) -> dict[tuple[str, str], str]:
    values: dict[tuple[str, str], str] = {}
    for child in element:
        values.setdefault(_split(child.tag), (child.text or "").strip())
    return values


def _comment(element: Element) -> WxrComment:
    v = _children(element)
    return WxrComment(
        comment_id=v.get(("wp", "comment_id"), ""),
        author=v.get(("wp", "comment_author"), ""),
        email=v.get(("wp", "comment_author_email"), ""),
        url=v.get(("wp", "comment_author_url"), ""),
        date_gmt=v.get(("wp", "comment_date_gmt"), ""),
        date=v.get(("wp", "comment_date"), ""),
        content=next(
            (c.text or "" for c in element if _split(c.tag) == ("wp", "comment_content")), ""
        ),
        approved=v.get(("wp", "comment_approved"), "0"),
        comment_type=v.get(("wp", "comment_type"), ""),
        parent=v.get(("wp", "comment_parent"), "0"),
    )


def _item(element: Element) -> WxrItem:
    item = WxrItem()
    for child in element:
        kind, local = _split(child.tag)
        text = child.text or ""
        if kind == "" and local == "title":
            item.title = text.strip()
        elif kind == "" and local == "link":
            item.link = text.strip()
        elif kind == "" and local == "guid":
            item.guid = text.strip()
        elif kind == "dc" and local == "creator":
            item.creator = text.strip()
        elif kind == "content" and local == "encoded":
            item.content = text
        elif kind == "excerpt" and local == "encoded":
            item.excerpt = text
        elif kind == "" and local == "category":
            item.categories.append(
                (child.get("domain", ""), child.get("nicename", ""), text.strip())
            )
        elif kind == "wp" and local == "postmeta":
            meta = _children(child)
            item.meta[meta.get(("wp", "meta_key"), "")] = meta.get(("wp", "meta_value"), "")
        elif kind == "wp" and local == "comment":
            item.comments.append(_comment(child))
        elif kind == "wp" and local == "is_sticky":
            item.is_sticky = text.strip() == "1"
        elif kind == "wp" and local in {
            "post_id", "post_date", "post_date_gmt", "post_name", "status", "post_parent",
            "post_type", "attachment_url",
        }:  # fmt: skip
            setattr(item, local, text.strip())
        elif kind == "wp" and local == "post_password":
            item.post_password = text  # spaces are part of a password
    return item


def iter_wxr(path: Path) -> Iterator[WxrObject]:
    """Yield the export's channel facts, then authors/categories/tags/items in file order.

    Raises WxrError for anything unreadable or unsafe; a truncated file raises only at its
    end, so callers that must not change anything on bad input read the file through once
    first (see `wxr_check`).
    """
    channel: Element | None = None
    facts = WxrChannel()
    facts_sent = False
    depth = 0
    try:
        events: Any = iterparse(
            str(path), events=("start", "end"), forbid_dtd=True, forbid_entities=True
        )
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1 and element.tag != "rss":
                    raise WxrError("文件不是 WordPress 导出文件（根元素不是 rss）")
                if depth == 2 and element.tag == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            kind, local = _split(element.tag)
            if kind == "wp" and local == "wxr_version":
                facts.version = (element.text or "").strip()
            elif kind == "wp" and local == "base_site_url":
                facts.base_site_url = (element.text or "").strip()
            elif kind == "wp" and local == "base_blog_url":
                facts.base_blog_url = (element.text or "").strip()
            elif kind == "" and local == "link":
                facts.link = (element.text or "").strip()
            elif kind == "" and local == "title":
                facts.title = (element.text or "").strip()
            elif kind == "wp" and local == "author":
                v = _children(element)
                yield WxrAuthor(
                    login=v.get(("wp", "author_login"), ""),
                    email=v.get(("wp", "author_email"), ""),
                    display_name=v.get(("wp", "author_display_name"), "")
                    or v.get(("wp", "author_login"), ""),
                )
            elif kind == "wp" and local == "category":
                v = _children(element)
                yield WxrCategory(
                    nicename=v.get(("wp", "category_nicename"), ""),
                    name=v.get(("wp", "cat_name"), ""),
                    parent=v.get(("wp", "category_parent"), ""),
                    description=v.get(("wp", "category_description"), ""),
                    term_id=v.get(("wp", "term_id"), ""),
                )
            elif kind == "wp" and local == "tag":
                v = _children(element)
                yield WxrTag(
                    slug=v.get(("wp", "tag_slug"), ""),
                    name=v.get(("wp", "tag_name"), ""),
                    term_id=v.get(("wp", "term_id"), ""),
                )
            elif kind == "" and local == "item":
                if facts.version and not _VERSION.match(facts.version):
                    raise WxrError(f"不支持的 WXR 版本 {facts.version}（支持 1.x）")
                if not facts.version:
                    raise WxrError("文件缺少 wp:wxr_version，不是 WordPress 导出文件")
                if not facts_sent:
                    facts_sent = True
                    yield facts
                yield _item(element)
            else:
                continue
            channel.remove(element)  # constant memory: forget what was read
        if channel is None:
            raise WxrError("文件不是 WordPress 导出文件（缺少 channel）")
        if not facts.version:
            raise WxrError("文件缺少 wp:wxr_version，不是 WordPress 导出文件")
        if not facts_sent:
            yield facts
    except (DTDForbidden, EntitiesForbidden) as exc:
        raise WxrError("文件包含 DTD 或实体声明（可能是 XXE 或实体膨胀攻击），已拒绝") from exc
    except DefusedXmlException as exc:
        raise WxrError(f"文件包含不安全的 XML 结构，已拒绝：{exc}") from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise WxrError(
            f"XML 格式错误或文件不完整（第 {line} 行第 {column} 列）：{exc.msg}"
            if hasattr(exc, "msg")
            else f"XML 格式错误或文件不完整（第 {line} 行第 {column} 列）"
        ) from exc
    except OSError as exc:
        raise WxrError(f"无法读取文件：{exc}") from exc


@dataclass
class WxrCheck:
    """What a full read of the file found: safe, complete, and how much is in it."""

    channel: WxrChannel
    counts: dict[str, int]
    categories: list[WxrCategory]
    authors: dict[str, WxrAuthor]
    tags: list[WxrTag] = field(default_factory=list)
    # Posts (not trashed, not auto-drafts) per category nicename.
    posts_in: dict[str, int] = field(default_factory=dict)


def wxr_check(path: Path) -> WxrCheck:
    """Read the whole file once without keeping items; raise WxrError if it is bad.

    Categories and authors are kept (a site has tens, not millions of them): categories
    must be created parents first, whatever order the file lists them in.
    """
    counts: dict[str, int] = {}
    categories: list[WxrCategory] = []
    authors: dict[str, WxrAuthor] = {}
    tags: list[WxrTag] = []
    posts_in: dict[str, int] = {}
    channel = WxrChannel()
    for obj in iter_wxr(path):
        if isinstance(obj, WxrChannel):
            channel = obj
        elif isinstance(obj, WxrCategory):
            categories.append(obj)
        elif isinstance(obj, WxrAuthor):
            authors[obj.login] = obj
        elif isinstance(obj, WxrTag):
            tags.append(obj)
        elif isinstance(obj, WxrItem):
            counts[obj.post_type] = counts.get(obj.post_type, 0) + 1
            if obj.post_type == "post" and obj.status not in {"trash", "auto-draft", "inherit"}:
                for nicename in {
                    slug for domain, slug, _ in obj.categories if domain == "category"
                }:
                    posts_in[nicename] = posts_in.get(nicename, 0) + 1
    return WxrCheck(
        channel=channel, counts=counts, categories=categories, authors=authors, tags=tags,
        posts_in=posts_in,
    )  # fmt: skip
