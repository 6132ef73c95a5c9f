"""What the home page's blocks show (`HomePage.body`), read for the whole page at once.

The blocks are rendered in the editor's order, and no article appears twice: each block
skips what an earlier one showed. The page is purged on every publish, so an uncached home
must stay cheap whatever the number of columns: every column list of the page (栏目方块,
通知公告 from a column) comes from one query (a UNION ALL of one newest-first LIMIT per
column, which SQLite and PostgreSQL both answer from their indexes), the columns from one
more, 加粗/跳转 for every title on the page from one, and thumbnails from memory
(`renditions_prefetch`: two queries for those not yet remembered). The other blocks cost a
query or two each (the 推荐位 ones: how many hold the flag, then the holders). The values
shown are plain dataclasses, built from rows rather than model instances.

Each block records what it shows (`core.dependencies`), so the cached page is purged when a
listed column gains an article, a 推荐位 changes, the 热门 list or the 友情链接 change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from wagtail.models import Page

from kanwu.articles.assembly import renditions_prefetch
from kanwu.articles.hot import hot_lists
from kanwu.articles.lists import LINK_SQL, Linked
from kanwu.articles.models import ArticlePage, ArticleSlot, Flag, excerpt_of
from kanwu.articles.selectors import db_datetime_required, list_flags
from kanwu.columns.models import ColumnPage
from kanwu.core import memo
from kanwu.core.dependencies import (
    FRIEND_LINKS_TAG,
    image_tag,
    listing_tag,
    shows,
    shows_pages,
    shows_until,
    slot_tag,
)
from kanwu.core.pages import url_for_path, urls_for_paths
from kanwu.core.visibility import visible, visible_sql
from kanwu.site.models import FriendLink, HomePage

SLIDE_SPEC = "fill-720x405"
THUMB_SPEC = "fill-240x160"
BANNER_SPEC = "fill-1180x150"
HEADLINE_SUMMARY = 120

_PAGE = Page._meta.db_table
_ARTICLE = ArticlePage._meta.db_table
_FROM = f"FROM {_PAGE} p JOIN {_ARTICLE} a ON a.page_ptr_id = p.id"
# The newest-first index's own columns (articles.article_newest_first): ordering by p.id
# instead, the same value, would make SQLite sort every candidate row.
_SLOT = ArticleSlot._meta.db_table
_ORDER = "ORDER BY a.published_at DESC, a.page_ptr_id DESC"


@dataclass
class Item(Linked):
    """An article as a block shows it."""

    url: str = ""
    bold: bool = False
    summary: str = ""
    date: str = ""  # the day it was published, as readers' clocks say: 2026-12-07

    @property
    def title_html(self) -> SafeString:
        """The title, in <strong> when it holds the 推荐位 加粗."""
        title = escape(self.title)
        return SafeString(f"<strong>{title}</strong>" if self.bold else title)


@dataclass
class Shown:
    """One block as the template prints it (`site/home/<kind>.html`)."""

    kind: str
    title: str = ""
    url: str = ""  # the block's 更多 link
    items: list[Item] = field(default_factory=list)
    boxes: list[Shown] = field(default_factory=list)  # 栏目方块: one box per column
    width: str = "3"
    links: list[tuple[str, str]] = field(default_factory=list)  # 友情链接, 专题横幅: (name, url)
    image_id: int | None = None  # 专题横幅's picture
    page_id: int | None = None  # 专题横幅's page
    anchor: str = ""  # the block's id in the page
    half: bool = False  # sits beside its neighbour on wide screens

    @property
    def titles(self) -> SafeString:
        """The block's list of titles with their dates (site/home/titles.html's markup,
        built here: the template engine's lookups would cost more than the rest of the
        page for a grid of many columns)."""
        return titles_html(self.items[1:] if self.lead else self.items)

    @property
    def lead(self) -> Item | None:
        """A 栏目方块's first article, shown with its thumbnail when it has a cover."""
        first = self.items[0] if self.kind == "box" and self.items else None
        return first if first is not None and first.cover_id is not None else None

    @property
    def template(self) -> str:
        return f"site/home/{self.kind}.html"

    @property
    def thumb_spec(self) -> str:
        return THUMB_SPEC

    @property
    def slide_spec(self) -> str:
        return SLIDE_SPEC

    @property
    def banner_spec(self) -> str:
        return BANNER_SPEC


def titles_html(items: list[Item]) -> SafeString:
    lines = [
        f'<li><a href="{escape(i.url)}">{i.title_html}</a> '
        f'<time datetime="{i.date}">{i.date[5:]}</time></li>'
        for i in items
    ]
    return SafeString(f'<ul class="title-list">{"".join(lines)}</ul>')


def _item(row: Sequence[Any]) -> Item:
    return Item(*Item.values(row))


def _not_in(shown: set[int]) -> tuple[str, list[int]]:
    if not shown:
        return "", []
    return f" AND p.id NOT IN ({', '.join(['%s'] * len(shown))})", sorted(shown)


@dataclass
class _ColumnList:
    """A list of a column's newest articles that a block wants (a 栏目方块 box, 通知公告)."""

    column: ColumnPage
    count: int
    margin: int = 0  # more rows to read, for articles blocks above it may take first
    rows: list[Item] = field(default_factory=list)


def _column_rows(lists: list[_ColumnList], shown: set[int]) -> None:
    """Every list's newest articles, in one query (a LIMIT per column, UNION ALL)."""
    if not lists:
        return
    gate, gate_params = visible_sql("p")
    not_in, not_in_params = _not_in(shown)
    parts: list[str] = []
    params: list[str | int] = []
    for number, wanted in enumerate(lists):
        limit = int(wanted.count + wanted.margin)
        parts.append(
            f"SELECT * FROM (SELECT {number} AS grp, {LINK_SQL} {_FROM} "  # noqa: S608
            f"WHERE p.path LIKE %s AND {gate}{not_in} {_ORDER} LIMIT {limit}) t{number}"
        )
        params += [f"{wanted.column.path}%", *gate_params, *not_in_params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for row in cursor.fetchall():
            lists[row[0]].rows.append(_item(row[1:]))


def _newest_rows(home: Page, limit: int, shown: set[int]) -> list[Item]:
    gate, gate_params = visible_sql("p")
    not_in, not_in_params = _not_in(shown)
    where = f"WHERE p.path LIKE %s AND {gate}{not_in}"
    sql = f"SELECT {LINK_SQL} {_FROM} {where} {_ORDER} LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{home.path}%", *gate_params, *not_in_params])
        return [_item(row) for row in cursor.fetchall()]


def _slot_rows(
    home: Page, flag: str, limit: int, shown: set[int], *, covered: bool = False
) -> list[Item]:
    """The newest live holders of the 推荐位 `flag` whose slot has not expired (as
    `articles.selectors.slot_articles` reads them), recorded with their expiries."""
    gate, gate_params = visible_sql("p")
    not_in, not_in_params = _not_in(shown)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    cover = " AND a.cover_id IS NOT NULL" if covered else ""
    sql = (
        f"SELECT {LINK_SQL}, s.expires_at {_FROM} JOIN {_SLOT} s ON s.article_id = p.id "
        "AND s.flag = %s AND (s.expires_at IS NULL OR s.expires_at > %s) "
        f"WHERE p.path LIKE %s AND {gate}{cover}{not_in} {_ORDER} LIMIT {int(limit)}"
    )
    params = [flag, now, f"{home.path}%", *gate_params, *not_in_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    shows([slot_tag(flag)])
    shows_pages(row[0] for row in rows)
    expiries = [db_datetime_required(row[6]) for row in rows if row[6] is not None]
    shows_until(min(expiries, default=None))
    return [_item(row) for row in rows]


def _take(items: Iterable[Item], count: int, shown: set[int]) -> list[Item]:
    taken: list[Item] = []
    for item in items:
        if len(taken) == count:
            break
        if item.pk not in shown:
            taken.append(item)
            shown.add(item.pk)
    return taken


def _count(value: Any, default: int) -> int:
    try:
        return max(1, int(value.get("count") or default)) if isinstance(value, dict) else default
    except (TypeError, ValueError):
        return default


def _list_values(value: Any) -> list[Any]:
    """A ListBlock's raw value: items as {"type": "item", "value": …} or bare values."""
    return [v.get("value") if isinstance(v, dict) else v for v in (value or [])]


def _columns(home: HomePage, stream: list[dict[str, Any]]) -> dict[int | None, list[ColumnPage]]:
    """The columns the blocks name (None: every top column), in one query."""
    chosen: set[int] = set()
    everything = False
    for block in stream:
        value = block.get("value") or {}
        if block.get("type") == "columns":
            ids = [pk for pk in _list_values(value.get("columns")) if isinstance(pk, int)]
            chosen.update(ids)
            everything = everything or not ids
        elif block.get("type") == "notices" and isinstance(value.get("column"), int):
            chosen.add(value["column"])
    if not chosen and not everything:
        return {}

    def read() -> list[ColumnPage]:
        found = ColumnPage.objects.filter(pk__in=chosen)
        if everything:
            found = found | ColumnPage.objects.child_of(home)
        return list(visible(found).only("title", "url_path", "path", "depth").order_by("path"))

    # Remembered per process (core.memo): any change to a column, a view restriction or the
    # tree makes every process read them again.
    columns = memo.remembered(f"home-columns:{home.pk}:{everything}:{sorted(chosen)}", read)
    by_id: dict[int | None, list[ColumnPage]] = {c.pk: [c] for c in columns}
    by_id[None] = [c for c in columns if c.depth == home.depth + 1]
    return by_id


def home_blocks(home: HomePage, request: HttpRequest | None) -> list[Shown]:
    """The home page's blocks, in order, without the empty ones."""
    stream: list[dict[str, Any]] = list(home.body.raw_data)
    shown: set[int] = set()
    blocks: list[Shown | None] = []
    columns = _columns(home, stream)
    # Every column list of the page, read at once where the first of them is shown.
    lists: dict[int, list[_ColumnList]] = {}
    first_list, margin = None, 0
    for index, block in enumerate(stream):
        kind, value = block.get("type"), block.get("value") or {}
        if kind == "columns":
            ids = [pk for pk in _list_values(value.get("columns")) if isinstance(pk, int)]
            chosen = [c for pk in ids for c in columns.get(pk, [])] if ids else columns[None]
            wanted = [_ColumnList(c, _count(value, 6)) for c in chosen]
        elif kind == "notices" and isinstance(value.get("column"), int):
            wanted = [_ColumnList(c, _count(value, 8)) for c in columns.get(value["column"], [])]
        else:
            wanted = []
            if first_list is not None:
                margin += _count(value, 1)  # a block below the first list takes its own first
        if wanted:
            first_list = index if first_list is None else first_list
            earlier = [w for group in lists.values() for w in group]
            for w in wanted:
                # Only a column above or below another can share its articles.
                nested = sum(
                    e.count for e in earlier
                    if e.column.path.startswith(w.column.path)
                    or w.column.path.startswith(e.column.path)
                )  # fmt: skip
                w.margin = margin + nested
                earlier.append(w)
            lists[index] = wanted

    for index, block in enumerate(stream):
        kind, value = block.get("type"), block.get("value") or {}
        if index == first_list:
            _column_rows([w for group in lists.values() for w in group], shown)
        if index in lists:
            blocks.append(_list_block(str(kind), value, lists[index], shown, request))
        elif kind == "headline":
            blocks.append(_headline(home, shown))
        elif kind == "slides":
            items = _take(_slot_rows(home, Flag.SLIDESHOW, _count(value, 5), shown, covered=True),
                          _count(value, 5), shown)  # fmt: skip
            blocks.append(Shown("slides", "幻灯", items=items, half=True) if items else None)
        elif kind == "latest":
            items = _take(_newest_rows(home, _count(value, 8), shown), _count(value, 8), shown)
            shows([listing_tag(home.pk)])  # any article published under the home
            blocks.append(
                Shown("list", value.get("title") or "最新文章", items=items, half=True)
                if items else None
            )  # fmt: skip
        elif kind == "notices":
            rows = _slot_rows(home, Flag.SCROLLING, _count(value, 8), shown)
            items = _take(rows, _count(value, 8), shown)
            title = value.get("title") or "通知公告"
            blocks.append(Shown("list", title, items=items, half=True) if items else None)
        elif kind == "hot":
            blocks.append(_hot(value, shown, request))
        elif kind == "links":
            blocks.append(_friend_links())
        elif kind == "banner":
            blocks.append(_banner(value))
    found = [block for block in blocks if block is not None]
    _finish(found, request)
    return found


def _list_block(
    kind: str, value: dict[str, Any], wanted: list[_ColumnList], shown: set[int],
    request: HttpRequest | None,
) -> Shown | None:  # fmt: skip
    boxes = []
    for w in wanted:
        shows([listing_tag(w.column.pk)])
        items = _take(w.rows, w.count, shown)
        if items:
            url = url_for_path(w.column.url_path, request)
            boxes.append(Shown("box", w.column.title, url, items=items))
    if not boxes:
        return None
    if kind == "notices":
        box = boxes[0]
        box.kind, box.title, box.half = "list", value.get("title") or box.title, True
        return box
    width = "2" if value.get("width") == "2" else "3"
    return Shown("columns", boxes=boxes, width=width)


def _headline(home: Page, shown: set[int]) -> Shown | None:
    """The newest holder of the 推荐位 头条; without one, the newest 置顶 article."""
    found = _slot_rows(home, Flag.HEADLINE, 1, shown)
    if not found:
        gate, gate_params = visible_sql("p")
        not_in, not_in_params = _not_in(shown)
        sql = (
            f"SELECT {LINK_SQL} {_FROM} WHERE a.sticky AND p.path LIKE %s "
            f"AND {gate}{not_in} {_ORDER} LIMIT 1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [f"{home.path}%", *gate_params, *not_in_params])
            found = [_item(row) for row in cursor.fetchall()]
        shows([listing_tag(home.pk)])  # an article made 置顶 or no longer
    if not found:
        return None
    item = found[0]
    shown.add(item.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT summary, body FROM {_ARTICLE} WHERE page_ptr_id = %s", [item.pk])  # noqa: S608
        summary, body = cursor.fetchone() or ("", "")
    item.summary = excerpt_of(summary, body)
    return Shown("headline", "头条", items=[item])


def _hot(value: dict[str, Any], shown: set[int], request: HttpRequest | None) -> Shown | None:
    lists = hot_lists(None)
    count = _count(value, 10)
    items: list[tuple[str, str]] = []
    for hot in lists.week:
        if len(items) == count:
            break
        if hot.pk not in shown:
            shown.add(hot.pk)
            items.append((hot.title, url_for_path(hot.url_path, request)))
    if not items:
        return None
    return Shown("hot", value.get("title") or "热门", links=items, half=True)


def _friend_links() -> Shown | None:
    shows([FRIEND_LINKS_TAG])
    links = list(FriendLink.objects.order_by("sort_order", "pk").values_list("name", "url"))
    return Shown("links", "友情链接", links=links) if links else None


def _banner(value: dict[str, Any]) -> Shown | None:
    page_id, image_id = value.get("page"), value.get("image")
    if not isinstance(page_id, int) or not isinstance(image_id, int):
        return None
    shows_pages([page_id])
    shows([image_tag(image_id)])
    # Its page's title and address: `_finish` reads every banner's page in one query.
    return Shown("banner", value.get("title") or "", image_id=image_id, page_id=page_id)


def _finish(blocks: list[Shown], request: HttpRequest | None) -> None:
    """Addresses, 加粗/跳转, thumbnails and banners' pages for the whole page at once; then
    pair the half-width blocks that stand next to each other."""
    items = [i for b in blocks for i in [*b.items, *(i for box in b.boxes for i in box.items)]]
    flags = list_flags(item.pk for item in items) if items else {}
    urls = urls_for_paths([item.url_path for item in items], request)
    for item, url in zip(items, urls, strict=True):
        item.date = timezone.localtime(item.published_at).date().isoformat()
        held = flags.get(item.pk, set())
        item.bold = Flag.BOLD in held
        item.url = (item.jump_url if Flag.JUMP in held else "") or url
    covers = [box.items[0].cover_id for b in blocks for box in b.boxes if box.items]
    renditions_prefetch(covers, THUMB_SPEC)
    shows(image_tag(pk) for pk in covers if pk is not None)
    slides = [i.cover_id for b in blocks if b.kind == "slides" for i in b.items]
    renditions_prefetch(slides, SLIDE_SPEC)

    banners = [b for b in blocks if b.kind == "banner"]
    if banners:
        pages = visible(Page.objects.filter(pk__in=[b.page_id for b in banners]))
        found = {
            pk: (title, path) for pk, title, path in pages.values_list("pk", "title", "url_path")
        }
        for banner in banners:
            title, path = found.get(banner.page_id or 0, ("", ""))
            banner.title = banner.title or title
            banner.url = url_for_path(path, request) if path else ""
        renditions_prefetch([b.image_id for b in banners], BANNER_SPEC)
        blocks[:] = [b for b in blocks if b.kind != "banner" or b.url]

    for number, block in enumerate(blocks):
        block.anchor = f"{block.kind}-{number + 1}"
    index = 0
    while index < len(blocks):
        if blocks[index].half and index + 1 < len(blocks) and blocks[index + 1].half:
            index += 2  # a pair
        else:
            blocks[index].half = False
            index += 1
