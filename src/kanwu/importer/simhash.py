"""64-bit SimHash over segmented Chinese words, for near-duplicate article bodies."""

from __future__ import annotations

import hashlib
import re
from itertools import pairwise

BITS = 64
BANDS = 4
BAND_BITS = BITS // BANDS
NEAR_DISTANCE = 3
_SKIP = re.compile(r"^[\W_]+$")


def _tokens(text: str) -> list[str]:
    import rjieba  # loaded when first needed: its dictionary takes 33 MB

    return [word for word in rjieba.cut(text) if word.strip() and not _SKIP.match(word)]


def simhash(text: str) -> int:
    """The SimHash of `text` as an unsigned 64-bit integer (0 for text without words)."""
    tokens = _tokens(text)
    # Shingles of two words keep some word order, so reordered paragraphs still match but a
    # different text made of the same vocabulary does not.
    features = tokens + [a + b for a, b in pairwise(tokens)]
    # Count each byte value per byte position, then the bits: 8 additions per feature
    # instead of 64 keeps this fast in pure Python.
    counts = [[0] * 256 for _ in range(8)]
    for feature in features:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        for position, value in enumerate(digest):
            counts[position][value] += 1
    total = len(features)
    result = 0
    for position, values in enumerate(counts):
        for bit in range(8):
            ones = sum(n for value, n in enumerate(values) if n and value >> bit & 1)
            if 2 * ones > total:
                result |= 1 << ((7 - position) * 8 + bit)
    return result


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()


def bands(value: int) -> list[int]:
    mask = (1 << BAND_BITS) - 1
    return [(value >> (BAND_BITS * index)) & mask for index in range(BANDS)]


def to_signed(value: int) -> int:
    """Store 64 unsigned bits in a signed BIGINT column."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value & 0xFFFFFFFFFFFFFFFF
