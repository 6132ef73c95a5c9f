"""A column's article listing, newest first, paged without OFFSET scans.

Django's Paginator asks for rows `[start:stop]`, which becomes `LIMIT … OFFSET start`: the
database walks past every earlier row, so page 2,000 of a 100,000-article column reads
40,000 rows. Here the listing keeps, per column, the number of articles and the sort key
(published_at, pk) of every STRIDE-th article (the anchors), found by one scan of the
published_at index and kept in Django's cache until the column's listing changes. A slice
then starts at the nearest anchor at or before `start` (`WHERE key <= anchor`, a range on the
index) and skips fewer than STRIDE rows, whatever the page number.

The listing changes when an article under the column is saved, published, unpublished or
deleted, or any page moves: kanwu.publishing.invalidation calls `forget_listings` then, as it
purges the cached pages that showed the listing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, overload

from django.core.cache import cache
from django.db import connection
from wagtail.models import Page

from kanwu.articles.lists import ENTRY_SQL, ListEntry
from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.core.visibility import visible_sql

STRIDE = 200  # articles between anchors: a slice skips fewer than this many rows
TIMEOUT = 3600  # a bound on staleness should a change ever bypass the signals (bulk writes)
_FORMAT = 1  # of the tuple kept in the cache; bump when its shape changes

Key = tuple[datetime, int]  # (published_at, pk): the listing's order, newest first


@dataclass(frozen=True)
class ListingIndex:
    """How many articles a column lists, and where every STRIDE-th one of them starts."""

    count: int
    # anchors[i] is the key of the article at position i * STRIDE; None if it vanished
    # between the two queries that found it (the listing then changed, and is forgotten).
    anchors: tuple[Key | None, ...]


def _token_key(column_id: int) -> str:
    return f"kanwu:columns:listing-token:{column_id}"


def _index_key(column_id: int) -> str:
    return f"kanwu:columns:listing:{column_id}"


def forget_listings(column_ids: Iterable[int]) -> None:
    """The listings of these columns changed: the next reader finds them again.

    Dropping the token, not the index, makes an index that a reader is still computing from
    the old rows unusable once stored, since it was made under the old token.
    """
    cache.delete_many([_token_key(pk) for pk in column_ids])


def listing_index(column: Page) -> ListingIndex:
    """The column's count and anchors, from the cache or found and remembered now."""
    token_key, index_key = _token_key(column.pk), _index_key(column.pk)
    found = cache.get_many([token_key, index_key])
    token = found.get(token_key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(token_key, token, timeout=None):
            token = cache.get(token_key, token)
    stored = found.get(index_key)
    if isinstance(stored, tuple) and stored[:3] == (_FORMAT, token, STRIDE):
        return ListingIndex(count=stored[3], anchors=stored[4])
    index = _find_index(column)
    cache.set(index_key, (_FORMAT, token, STRIDE, index.count, index.anchors), timeout=TIMEOUT)
    return index


def _find_index(column: Page) -> ListingIndex:
    # The pks in listing order come from the published_at index and the pages' rows alone
    # (no article content, no date parsing); only the anchors' keys are then read.
    order = public_articles().in_column(column).newest_first()
    pks = list(order.values_list("pk", flat=True))
    anchor_pks = pks[::STRIDE]
    dates = dict(
        ArticlePage.objects.filter(pk__in=anchor_pks).order_by().values_list("pk", "published_at")
    )
    anchors = tuple((dates[pk], pk) if pk in dates else None for pk in anchor_pks)
    return ListingIndex(count=len(pks), anchors=anchors)


_PAGE = Page._meta.db_table
_ARTICLE = ArticlePage._meta.db_table


def entries(column: Page, anchor: Key | None, skip: int, count: int) -> list[ListEntry]:
    """`count` of the column's public articles, newest first, after skipping `skip` of those
    at or after `anchor` in the listing ((published_at, pk) <= anchor; all without one).

    One statement written here rather than by the ORM, whose building of it cost more than
    running it. The order is the newest-first index's own columns (as `site.home` reads
    it), and the redundant `published_at <= …` bounds the range of it that is read.
    """
    shown, paths = visible_sql("p")
    params: list[Any] = list(paths)
    # Wagtail's paths are digits and capitals: nothing a LIKE pattern would read as a wildcard.
    sql = (
        f"SELECT {ENTRY_SQL} FROM {_PAGE} p JOIN {_ARTICLE} a ON a.page_ptr_id = p.id "  # noqa: S608
        f"WHERE {shown} AND p.path LIKE %s AND p.depth > %s"
    )
    params += [f"{column.path}%", column.depth]
    if anchor is not None:
        published_at = connection.ops.adapt_datetimefield_value(anchor[0])
        sql += " AND a.published_at <= %s AND (a.published_at < %s OR a.page_ptr_id <= %s)"
        params += [published_at, published_at, anchor[1]]
    sql += " ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, count, skip])
        return [ListEntry.from_row(row) for row in cursor.fetchall()]


class ColumnListing:
    """A column's articles, sub-columns included, newest first, as a sequence for Django's
    Paginator: `len()` is the cached count and a slice is a query that seeks from an anchor.
    """

    def __init__(self, column: Page) -> None:
        self.column = column

    @cached_property
    def _index(self) -> ListingIndex:
        return listing_index(self.column)

    def __len__(self) -> int:
        return self._index.count

    def __iter__(self) -> Iterator[ListEntry]:
        return iter(self[0 : len(self)])

    @overload
    def __getitem__(self, index: int) -> ListEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[ListEntry]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            if not 0 <= index < len(self):
                raise IndexError(index)
            return self[index : index + 1][0]
        if index.step not in (None, 1):
            raise ValueError("A column listing has no stepped slices.")
        start = index.start or 0
        stop = len(self) if index.stop is None else index.stop
        if start < 0 or stop < 0:
            raise ValueError("A column listing has no negative indices.")
        anchors = self._index.anchors
        slot = min(start // STRIDE, len(anchors) - 1) if anchors else 0
        while slot > 0 and anchors[slot] is None:
            slot -= 1
        anchor = anchors[slot] if slot > 0 else None
        skip = start - slot * STRIDE
        return entries(self.column, anchor, skip, max(0, stop - start))
