"""Which content a response shows, recorded while it renders.

The page cache and the static export tag each stored page with what it showed, so a change
purges exactly the pages that showed it. Readers of content call `shows(...)`; whoever
renders a page opens a `recording()` around it. Outside a recording, `shows` does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

_current: ContextVar[Recording | None] = ContextVar("kanwu_dependencies", default=None)


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


def slot_tag(flag: str) -> str:
    """Pages that show the articles holding this 推荐位 (头条, 加粗 in lists, …)."""
    return f"slot:{flag}"


def tag_listing_tag(name: str) -> str:
    """Pages that list the articles with this tag (标签): the tag's pages."""
    return f"tag:{name}"


def hot_tag(column_id: int | None) -> str:
    """Pages that show a 热门 list: the top column's, or the whole site's (`None`)."""
    return f"hot:{'site' if column_id is None else column_id}"


SITE_TAG = "site"  # everything that every page shows: settings, navigation
FEEDS_TAG = "feeds"  # the feeds and the sitemap: every published page
# Recorded by a page that only some readers may see (a view restriction applies): such a
# response is never stored, neither in the page cache nor in the static export.
PRIVATE_TAG = "private"
DAILY_TAG = "daily"  # pages showing the daily-reading pick, which changes at midnight
FRIEND_LINKS_TAG = "friend-links"  # pages showing the 友情链接 (the home page's block)


class Recording(set[str]):
    """The tags a page showed, and when the earliest of the things it showed lapses by itself
    (a 推荐位's expiry): a stored copy must not outlive that moment."""

    expires_at: float | None = None

    def lapses_at(self, moment: float) -> None:
        if self.expires_at is None or moment < self.expires_at:
            self.expires_at = moment


def shows(tags: Iterable[str]) -> None:
    """Record that the page being rendered shows content with these tags."""
    current = _current.get()
    if current is not None:
        current.update(tags)


def shows_pages(ids: Iterable[int]) -> None:
    shows(page_tag(pk) for pk in ids)


def shows_until(moment: datetime | None) -> None:
    """Record that what the page shows changes by itself at `moment` (no signal announces
    it, e.g. a 推荐位 expiring): the page cache keeps the page no longer than that."""
    current = _current.get()
    if current is not None and moment is not None:
        current.lapses_at(moment.timestamp())


@contextmanager
def recording() -> Iterator[Recording]:
    """Collect the tags recorded by everything rendered inside the block.

    Recordings nest: an outer one (the static export) also gets what an inner one (the page
    cache middleware) collected.
    """
    outer = _current.get()
    tags = Recording({SITE_TAG})
    token = _current.set(tags)
    try:
        yield tags
    finally:
        _current.reset(token)
        if outer is not None:
            outer.update(tags)
            if tags.expires_at is not None:
                outer.lapses_at(tags.expires_at)
