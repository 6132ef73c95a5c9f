"""Bytes of a web page → text: HTTP header, then the page's meta tag, then detection.

Chinese pages lie about their encoding in predictable ways: "gb2312" pages use GBK characters,
"big5" pages use the Microsoft/HKSCS extensions. So the GB family is decoded as GB18030 (a
superset of both) and Big5 as Big5-HKSCS. Pure function over bytes, no I/O.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

import charset_normalizer

META_SCAN_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
# The labels pages use, mapped to the decoder that reads what those pages really contain.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "gb_2312": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "euc-cn": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
BIG5_FAMILY = {"big5hkscs"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec used, e.g. "gb18030", "big5hkscs", "utf-8"
    how: str  # "bom", "header", "meta" or "detected"
    traditional_converted: bool = False


def _codec(label: str) -> str | None:
    label = label.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


@lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese characters (OpenCC t2s)."""
    converter = _t2s()
    return str(converter.convert(text))  # type: ignore[attr-defined]


def meta_charset(content: bytes) -> str:
    """The charset a page's <meta> declares in its first few KB, "" when none."""
    match = _META_CHARSET.search(content[:META_SCAN_BYTES])
    return match.group(1).decode("ascii", "ignore") if match else ""


def _detected(content: bytes) -> list[tuple[str, str]]:
    """Guesses, made only when no declared encoding decodes the bytes (detection is slow)."""
    found: list[tuple[str, str]] = []
    best = charset_normalizer.from_bytes(content[:200_000]).best()
    if best is not None and (detected := _codec(best.encoding)):
        found.append((detected, "detected"))
    found.append(("gb18030", "detected"))
    return found


def decode_html(
    content: bytes, header_charset: str = "", *, big5_to_simplified: bool = False
) -> Decoded:
    """Decode a page's bytes; `big5_to_simplified` converts Big5 pages to simplified."""
    candidates: list[tuple[str, str]] = []
    if content.startswith(codecs.BOM_UTF8):
        candidates.append(("utf-8-sig", "bom"))
    header = _codec(header_charset) if header_charset else None
    meta = _codec(meta_charset(content))
    # A Latin-1 header is usually a server default, not the author's choice: the meta tag wins.
    if header and not (header == "cp1252" and meta):
        candidates.append((header, "header"))
    if meta:
        candidates.append((meta, "meta"))
    candidates.append(("utf-8", "detected"))
    for encoding, how in [*candidates, *_detected(content)]:
        try:
            text = content.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return _finish(text, encoding, how, big5_to_simplified)
    encoding, how = candidates[0]
    return _finish(content.decode(encoding, errors="replace"), encoding, how, big5_to_simplified)


def _finish(text: str, encoding: str, how: str, big5_to_simplified: bool) -> Decoded:
    encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    if big5_to_simplified and encoding in BIG5_FAMILY:
        return Decoded(to_simplified(text), encoding, how, traditional_converted=True)
    return Decoded(text, encoding, how)
