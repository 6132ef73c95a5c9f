"""The article list of column and tag pages (`{% article_list %}`), built as HTML here.

A page of a column shows twenty articles; through the template engine each cost some
thirty variable lookups, two date formats and three tags, most of the page's CPU time.
Here the list's addresses, 加粗/跳转 and thumbnails are found for the whole list at once
(one query for the flags, thumbnails from memory) and each entry is one f-string. A column's
listing reads `ListEntry` rows (no model instances); the tag page passes articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString

from kanwu.articles.assembly import renditions_prefetch, thumbnail_html
from kanwu.articles.models import ArticlePage, Flag, excerpt_of
from kanwu.articles.selectors import db_datetime_required, list_flags
from kanwu.core.pages import urls_for_paths
from kanwu.core.text import cut

#: What any list reads of an article to link it, in `Linked` order: SQL over the page table
#: `p` and the article table `a`.
LINK_SQL = "p.id, p.title, p.url_path, a.published_at, a.cover_id, a.jump_url"
#: What an entry of this list needs, in `ListEntry` order (the body only when the summary
#: is empty: see `excerpt_of`).
ENTRY_SQL = (
    f"{LINK_SQL}, a.is_repost, a.source_name, a.summary, "
    "CASE WHEN a.summary = '' THEN a.body ELSE '' END"
)


@dataclass(slots=True)
class Linked:
    """An article as any list links it (this one, the home page's blocks)."""

    pk: int
    title: str
    url_path: str
    published_at: datetime
    cover_id: int | None
    jump_url: str

    @staticmethod
    def values(row: Sequence[Any]) -> tuple[int, str, str, datetime, int | None, str]:
        """The fields of a row that starts with `LINK_SQL`'s columns, in their order."""
        pk, title, url_path, published_at, cover_id, jump_url = row[:6]
        return pk, title, url_path, db_datetime_required(published_at), cover_id, jump_url or ""


@dataclass(slots=True)
class ListEntry(Linked):
    """An article as this list shows it: a row of `ENTRY_SQL`, or made from an article."""

    is_repost: bool
    source_name: str
    summary: str
    body: str

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> ListEntry:
        repost, source, summary, body = row[6:10]
        return cls(*cls.values(row), bool(repost), source, summary, body)

    @classmethod
    def of(cls, article: ArticlePage) -> ListEntry:
        a = article
        return cls(
            a.pk, a.title, a.url_path, a.published_at, a.cover_id, a.jump_url, a.is_repost,
            a.source_name, a.summary, a.body,
        )  # fmt: skip

    @property
    def excerpt(self) -> str:
        return excerpt_of(self.summary, self.body)


THUMB_SPEC = "fill-200x134"
EXCERPT_LENGTH = 90
EMPTY = SafeString('<ul class="article-list"><li class="empty">暂无文章</li></ul>')


def _entry(article: ListEntry, url: str, bold: bool) -> str:
    link = escape(url)
    title = escape(article.title)
    thumb = ""
    if article.cover_id is not None:
        image = thumbnail_html(article.cover_id, THUMB_SPEC, article.title)
        thumb = f'<a class="thumb" href="{link}">{image}</a>'
    if bold:
        title = f"<strong>{title}</strong>"
    when = timezone.localtime(article.published_at)
    source = ""
    if article.is_repost and article.source_name:
        source = f" · 来源：{escape(article.source_name)}"
    return (
        f'<li class="article-item">{thumb}<div class="item-text">'
        f'<a class="item-title" href="{link}">{title}</a>'
        f'<p class="item-excerpt">{escape(cut(article.excerpt, EXCERPT_LENGTH))}</p>'
        f'<p class="item-meta"><time datetime="{when.strftime("%Y-%m-%dT%H:%M:%S%z")}">'
        f"{when.date().isoformat()}</time>{source}</p></div></li>"
    )


def article_list_html(
    articles: Iterable[ListEntry | ArticlePage], request: HttpRequest | None
) -> SafeString:
    """The `<ul class="article-list">` of these articles, in the order given: title (bold
    when it holds 加粗, its 跳转 address when it holds that), thumbnail, excerpt, date and,
    for a repost, its source; "暂无文章" for none."""
    shown = [a if isinstance(a, ListEntry) else ListEntry.of(a) for a in articles]
    if not shown:
        return EMPTY
    flags = list_flags(a.pk for a in shown)
    renditions_prefetch([a.cover_id for a in shown], THUMB_SPEC)
    urls = urls_for_paths([a.url_path for a in shown], request)
    entries = []
    for article, url in zip(shown, urls, strict=True):
        held = flags.get(article.pk, set())
        jump = article.jump_url if Flag.JUMP in held else ""
        entries.append(_entry(article, jump or url, Flag.BOLD in held))
    return SafeString(f'<ul class="article-list">{"".join(entries)}</ul>')
