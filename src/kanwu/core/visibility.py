"""The one gate for what a reader may see (in the style of Zulip's `access_*` functions).

A page is visible to readers when it is live (published and not taken down: a takedown
unpublishes) and no Wagtail view restriction (password, login, groups) applies to it or to any
page above it. Every listing, column and tag page, home block, feed, sitemap, search result,
为您推荐, 每日一读, the static export and every hand-written SQL read of pages start here:
`visible()` for querysets, `visible_sql()` for SQL, `is_visible()` for one page in memory.

Which pages carry a restriction is remembered per process (`core.memo`, forgotten whenever a
restriction changes), so the gate costs no query on a site without restrictions.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from wagtail.models import Page, PageViewRestriction

from kanwu.core import memo

QS = TypeVar("QS", bound=QuerySet[Any])


def restricted_paths() -> tuple[str, ...]:
    """Tree paths of the pages that carry a view restriction, shortest first."""

    def read() -> tuple[str, ...]:
        paths = PageViewRestriction.objects.values_list("page__path", flat=True)
        return tuple(sorted(set(paths), key=lambda path: (len(path), path)))

    return memo.remembered("view-restricted", read)


def visible(pages: QS) -> QS:
    """`pages` (a page queryset) narrowed to what readers may see."""
    pages = pages.filter(live=True)
    if paths := restricted_paths():
        below = Q()
        for path in paths:
            below |= Q(path__startswith=path)
        pages = pages.exclude(below)
    return pages


def visible_sql(alias: str) -> tuple[str, list[str]]:
    """An SQL condition on the page table row `alias` (e.g. "p"): the page is visible.

    `alias` comes from this package's SQL, never from input; the paths travel as parameters.
    """
    paths = restricted_paths()
    condition = f"{alias}.live"
    if paths:
        unders = " OR ".join(f"{alias}.path LIKE %s" for _ in paths)
        condition += f" AND NOT ({unders})"
    return condition, [f"{path}%" for path in paths]


def is_restricted(page: Page) -> bool:
    """Whether a view restriction applies to `page` (on it or on a page above it)."""
    return any(page.path.startswith(path) for path in restricted_paths())


def is_visible(page: Page) -> bool:
    return bool(page.live) and not is_restricted(page)
