"""Ids that readers send (in query strings, forms and URLs), read without surprises."""

from __future__ import annotations

LONGEST = 18  # digits: every such number fits a signed 64-bit database column


def parse_id(raw: object) -> int | None:
    """The positive integer `raw` spells in ASCII digits, or None.

    `str.isdigit()` also accepts "²" and "①", `int()` refuses 4,301 digits, and a number past
    2**63 makes the database raise: all of those are simply "no such id" here.
    """
    text = str(raw).strip()
    if not text or len(text) > LONGEST or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value > 0 else None
