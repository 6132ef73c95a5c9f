"""Plain text out of rich text, and cutting it short: what lists, snippets and indexing share."""

from __future__ import annotations

import html
import re

# Rich text is tags and text: a regular expression strips it many times quicker than Django's
# parser-based `strip_tags` (lists strip twenty bodies a page, the indexer every article).
_TAG = re.compile(r"<[^>]*>|<[^>]*$")


def plain_text(rich_text: str) -> str:
    """The text of HTML: tags removed, entities decoded, whitespace runs made one space.

    The result is text, not HTML: templates escape it again when they show it.
    """
    return " ".join(html.unescape(_TAG.sub("", rich_text)).split())


def cut(text: str, length: int) -> str:
    """`text` in at most `length` characters, ending with “…” when it was cut."""
    return text if len(text) <= length else text[: max(0, length - 1)] + "…"
