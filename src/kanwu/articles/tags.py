"""Tags typed by editors: Chinese separators count as commas (settings.TAGGIT_TAGS_FROM_STRING)."""

from __future__ import annotations

from taggit.utils import _parse_tags

# Full-width comma, 顿号 and semicolons, as Chinese editors type between tags.
SEPARATORS = str.maketrans({"，": ",", "、": ",", ";": ",", "；": ","})


def tags_from_string(text: str) -> list[str]:
    """Tag names in `text`: split on `,` `，` `、` `;` `；` (taggit's rules otherwise: quotes
    keep a name whole; without any separator, spaces separate)."""
    return list(_parse_tags((text or "").translate(SEPARATORS)))
