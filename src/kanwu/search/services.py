"""Whole-site operations: what `kanwu search` and the demo builder call."""

from __future__ import annotations

from collections.abc import Callable

from kanwu.articles.recommendations import recommendations_rebuild
from kanwu.search.indexing import search_rebuild

Progress = Callable[[str, int, int], None]


def search_rebuild_all(*, progress: Progress | None = None, recommend: bool = True) -> int:
    """Re-index every public article, then (by default) recompute every recommendation."""

    def indexed(done: int, total: int) -> None:
        if progress:
            progress("index", done, total)

    count = search_rebuild(progress=indexed)
    if recommend:
        recommendations_rebuild(progress=progress)
    return count
