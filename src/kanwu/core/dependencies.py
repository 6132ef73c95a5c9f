"""Which content a response shows, recorded while it renders.

The page cache and the static export tag each stored page with what it showed, so a change
purges exactly the pages that showed it. Readers of content call `shows(...)`; whoever
renders a page opens a `recording()` around it. Outside a recording, `shows` does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[set[str] | None] = ContextVar("kanwu_dependencies", default=None)


def page_tag(page_id: int) -> str:
    """Pages that show this page: itself, or a list, recommendation or block showing it."""
    return f"page:{page_id}"


def listing_tag(column_id: int) -> str:
    """Pages that list the articles under this column (column pages, home sections)."""
    return f"listing:{column_id}"


def image_tag(image_id: int) -> str:
    """Pages that show this image (a thumbnail, a cover, a picture in an article's body)."""
    return f"image:{image_id}"


def comments_tag(article_id: int) -> str:
    """Pages that show the article's comments (and whether they are open): its own page."""
    return f"comments:{article_id}"


def tag_listing_tag(name: str) -> str:
    """Pages that list the articles with this tag (标签): the tag's pages."""
    return f"tag:{name}"


SITE_TAG = "site"  # everything that every page shows: settings, navigation
FEEDS_TAG = "feeds"  # the feeds and the sitemap: every published page
# Recorded by a page that only some readers may see (a view restriction applies): such a
# response is never stored, neither in the page cache nor in the static export.
PRIVATE_TAG = "private"
DAILY_TAG = "daily"  # pages showing the daily-reading pick, which changes at midnight


def shows(tags: Iterable[str]) -> None:
    """Record that the page being rendered shows content with these tags."""
    current = _current.get()
    if current is not None:
        current.update(tags)


def shows_pages(ids: Iterable[int]) -> None:
    shows(page_tag(pk) for pk in ids)


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the tags recorded by everything rendered inside the block.

    Recordings nest: an outer one (the static export) also gets what an inner one (the page
    cache middleware) collected.
    """
    outer = _current.get()
    tags: set[str] = {SITE_TAG}
    token = _current.set(tags)
    try:
        yield tags
    finally:
        _current.reset(token)
        if outer is not None:
            outer.update(tags)
