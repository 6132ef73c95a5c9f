"""Text that goes into a mail, made safe before the message is built.

Django refuses a header holding a newline (BadHeaderError), so a reader's title with a line
break would stop their receipt. Header values are cleaned here instead: newlines and every
other control or format character become spaces, runs of spaces one, and the length is capped.
"""

from __future__ import annotations

import unicodedata

SUBJECT_LIMIT = 200
ADDRESS_LIMIT = 254


def header_clean(value: object, *, limit: int = SUBJECT_LIMIT) -> str:
    """A single-line header value: no control characters (newlines included), no lone
    surrogates, at most `limit` characters."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") else ch
        for ch in str(value or "")
    )
    return " ".join(text.split())[:limit]


def addresses_clean(addresses: list[str]) -> list[str]:
    """Recipient addresses as header values, without empty ones."""
    cleaned = (header_clean(address, limit=ADDRESS_LIMIT) for address in addresses)
    return [address for address in cleaned if address]


def body_clean(value: object) -> str:
    """A mail body: line breaks kept; NUL and lone surrogates (which cannot be encoded) out."""
    text = str(value or "").replace("\x00", " ")
    return text.encode("utf-8", "replace").decode("utf-8")
