"""ASCII slugs for any title: pinyin for Chinese (统战史话 → tong-zhan-shi-hua), other scripts
transliterated by anyascii (Καλημέρα → kalemera), Latin words kept."""

from __future__ import annotations

from django.utils.text import slugify

MAX_WORDS = 12


def pinyin_slug(title: str, *, max_length: int = 80) -> str:
    """Return a lower-case ASCII slug, pinyin for Chinese characters, words kept for Latin."""
    from anyascii import anyascii
    from pypinyin import Style, lazy_pinyin  # 55 MB of dictionaries: loaded when first needed

    # What pypinyin does not read as Chinese (Latin, Greek, Cyrillic, kana…) is transliterated.
    parts = lazy_pinyin(title, style=Style.NORMAL, errors=lambda chars: anyascii(chars))
    words = [word for part in parts if (word := slugify(part))]
    slug = "-".join(words[:MAX_WORDS])[:max_length].strip("-")
    return slug or "page"
