"""热门: the most-read articles of the whole site and of each top column (its sub-columns
included), over the last 24 hours and 7 days.

The worker works the lists out from the hourly view counts every few minutes
(`kanwu.publishing.hot`) and stores them here with `hot_lists_store`, in `HotArticle`; pages
read them with `hot_lists`, kept in Django's cache, so a column page or the home page costs no
query for them once one reader has read them (and one query when the cache lost them). The
gate (`core.visibility`) is applied as they are read, so an article unpublished, taken down or
restricted since the worker last looked is never shown: every article change forgets the kept
lists (`forget_hot`, called by kanwu.publishing.invalidation) and purges the pages that showed
the article (`page:<id>`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from kanwu.articles.models import HotArticle
from kanwu.articles.selectors import public_articles
from kanwu.core.dependencies import hot_tag, shows, shows_pages
from kanwu.core.pages import url_for_path

HOT_COUNT = 10  # articles in each list
TIMEOUT = 3600  # a bound on staleness should a change ever bypass the signals
_TOKEN_KEY = "kanwu:hot:token"  # noqa: S105 (a cache key)
_FORMAT = 1  # of the value kept in the cache; bump when its shape changes

Period = HotArticle.Period
# A list's place: (top column id, or None for the whole site; the period).
ListKey = tuple[int | None, str]


@dataclass(frozen=True)
class HotItem:
    pk: int
    title: str
    url_path: str


@dataclass(frozen=True)
class HotLists:
    """The 热门 lists of the whole site or of one top column."""

    day: tuple[HotItem, ...] = field(default=())
    week: tuple[HotItem, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.day or self.week)


def _key(column_id: int | None) -> str:
    return f"kanwu:hot:{'site' if column_id is None else column_id}"


def forget_hot() -> None:
    """Every kept 热门 list may show what changed: the next reader of each reads it again.

    Dropping the token, not the lists, makes lists a reader is still reading from the old
    rows unusable once stored, since they were read under the old token.
    """
    cache.delete(_TOKEN_KEY)


def _read(column_id: int | None) -> HotLists:
    """One query: the stored lists, without the articles readers may no longer see."""
    rows = (
        HotArticle.objects.filter(
            Q(column__isnull=True) if column_id is None else Q(column_id=column_id),
            article_id__in=public_articles().values("pk"),
        )
        .order_by("period", "rank")
        .values_list("period", "article_id", "article__title", "article__url_path")
    )
    found: dict[str, list[HotItem]] = {Period.DAY: [], Period.WEEK: []}
    for period, pk, title, url_path in rows:
        found[period].append(HotItem(pk, title, url_path))
    return HotLists(day=tuple(found[Period.DAY]), week=tuple(found[Period.WEEK]))


def hot_lists(column_id: int | None) -> HotLists:
    """热门 of the top column `column_id` (None: the whole site; the home page's 热门 block
    is its `week` list), from the cache or read now and kept. The page being rendered then
    depends on the list (`hot:<column>`, purged when the worker finds it changed) and on each
    article it shows."""
    shows([hot_tag(column_id)])
    key = _key(column_id)
    found = cache.get_many([_TOKEN_KEY, key])
    token = found.get(_TOKEN_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(_TOKEN_KEY, token, timeout=None):
            token = cache.get(_TOKEN_KEY, token)
    stored = found.get(key)
    if isinstance(stored, tuple) and stored[:2] == (_FORMAT, token):
        lists: HotLists = stored[2]
    else:
        lists = _read(column_id)
        cache.set(key, (_FORMAT, token, lists), timeout=TIMEOUT)
    shows_pages({item.pk for item in (*lists.day, *lists.week)})
    return lists


@dataclass(frozen=True)
class HotLink:
    title: str
    url: str


@dataclass(frozen=True)
class HotBlock:
    """A sidebar's 热门 block, ready to print (articles/hot.html)."""

    week: list[HotLink]
    day: list[HotLink] | None = None  # None: the 7-day list alone (the home page's 热门)

    def __bool__(self) -> bool:
        return bool(self.week or self.day)


def hot_block(column_id: int | None, request: HttpRequest | None) -> HotBlock:
    """热门文章 of a top column, 24 hours and 7 days; or, for None, the home page's 热门: the
    whole site's most read in 7 days."""
    lists = hot_lists(column_id)

    def links(items: Sequence[HotItem]) -> list[HotLink]:
        return [HotLink(item.title, url_for_path(item.url_path, request)) for item in items]

    if column_id is None:
        return HotBlock(links(lists.week))
    return HotBlock(links(lists.week), links(lists.day))


def hot_lists_store(*, lists: Mapping[ListKey, Sequence[int]]) -> list[int | None]:
    """Store the lists the worker worked out (article ids, most read first, per list; a list
    not named is empty) in place of those stored. Returns the columns (None: the whole site)
    whose lists changed, whose pages are then out of date; writes nothing when none did."""
    stored: dict[ListKey, list[int]] = {}
    rows = HotArticle.objects.order_by("column_id", "period", "rank")
    for scope, period, article_id in rows.values_list("column_id", "period", "article_id"):
        stored.setdefault((scope, period), []).append(article_id)
    wanted = {key: list(ids[:HOT_COUNT]) for key, ids in lists.items() if ids}
    changed = [key for key in {*stored, *wanted} if stored.get(key) != wanted.get(key)]
    if not changed:
        return []
    with transaction.atomic():
        gone = Q(pk__in=[])
        for column_id, period in changed:
            place = Q(column__isnull=True) if column_id is None else Q(column_id=column_id)
            gone |= place & Q(period=period)
        HotArticle.objects.filter(gone).delete()
        HotArticle.objects.bulk_create(
            HotArticle(column_id=column_id, period=period, rank=rank, article_id=article_id)
            for column_id, period in changed
            for rank, article_id in enumerate(wanted.get((column_id, period), []), start=1)
        )
    forget_hot()
    transaction.on_commit(forget_hot)
    return sorted({column_id for column_id, _ in changed}, key=lambda pk: pk or 0)
