"""RSS and Atom feeds → article URLs."""

from __future__ import annotations

import pytest

from kanwu.importer.feeds import FeedError, feed_links


def test_rss_items_in_order_without_duplicates() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel>'
        b"<item><link>https://a.example.cn/1.html</link></item>"
        b'<item><guid isPermaLink="true">https://a.example.cn/2.html</guid></item>'
        b"<item><link>https://a.example.cn/1.html</link></item>"
        b"</channel></rss>"
    )
    assert feed_links(rss) == ["https://a.example.cn/1.html", "https://a.example.cn/2.html"]


def test_atom_alternate_links_relative_to_the_feed() -> None:
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        b'<link rel="edit" href="/edit/1"/><link href="/news/1.html"/></entry>'
        b'<entry><link rel="alternate" href="https://b.example.cn/2.html"/></entry></feed>'
    )
    assert feed_links(atom, "https://b.example.cn/feed.xml") == [
        "https://b.example.cn/news/1.html",
        "https://b.example.cn/2.html",
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body>not a feed</body></html>",
        b"<rss><channel>",
        b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>',
    ],
)
def test_bad_feeds_are_refused(content: bytes) -> None:
    with pytest.raises(FeedError):
        feed_links(content)
